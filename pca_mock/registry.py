"""Where the mocked state lives: one registry of (account, region) → RegionState.

The registry is process-global and guarded by one re-entrant lock, which every
operation holds while it reads or changes state, so threads see consistent
state. Resetting swaps in empty state in O(1).
"""

from __future__ import annotations

import threading

from pca_mock.objects import STORE
from pca_mock.service.arns import partition_of
from pca_mock.service.models import RegionState


class Registry:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._regions: dict[tuple[str, str], RegionState] = {}

    def region(self, account: str, region: str) -> RegionState:
        """The state of one account in one region, created on first use."""
        key = (account, region)
        state = self._regions.get(key)
        if state is None:
            with self.lock:
                state = self._regions.setdefault(key, RegionState(account, region, partition_of(region)))
        return state

    def regions(self) -> list[RegionState]:
        with self.lock:
            return list(self._regions.values())

    def reset(self) -> None:
        with self.lock:
            self._regions = {}
            STORE.reset()


REGISTRY = Registry()
