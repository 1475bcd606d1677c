"""Pre-generated RSA keys, so creating an RSA CA does not wait for key generation.

Generating an RSA-4096 key takes from half a second to several seconds, and a
test suite that creates a few RSA CAs would spend most of its time there. The
pool keeps a few spare keys per RSA size, made by one background thread while
the tests do other things (cryptography releases the GIL while it generates,
so on a machine with two cores the test hardly notices).

Rules the pool keeps:

* A key leaves the pool exactly once: :meth:`KeyPool.take` pops it under a
  lock, so no key is ever handed to two CAs, in any thread. After a fork the
  child empties its copy of the pool, so parent and child cannot both hand out
  the same inherited key.
* The pool only fills sizes that have been asked for (a suite that uses only
  EC keys never pays for RSA generation), and only up to ``depth`` spares.
* When the pool has no spare, the caller generates a key itself, as it would
  without a pool: the pool can make a CA faster, never slower or different.
* ``mock_acmpca(key_pool=False)`` bypasses it for tests that want keys
  generated on the spot.
"""

from __future__ import annotations

import os
import threading
from collections import deque

from cryptography.hazmat.primitives.asymmetric import rsa

# Spare keys kept per RSA size once that size has been used.
DEFAULT_DEPTH = 2


def _generate(size: int) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=size)


class KeyPool:
    """Spare RSA private keys by key size, refilled in the background."""

    def __init__(self, depth: int = DEFAULT_DEPTH) -> None:
        self.depth = depth
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._spares: dict[int, deque[rsa.RSAPrivateKey]] = {}
        self._worker: threading.Thread | None = None
        # Counters for the benchmark and the tests: how take() was served.
        self.hits = 0
        self.misses = 0

    def take(self, size: int) -> rsa.RSAPrivateKey:
        """A key of ``size`` bits that nobody else has been or will be given."""
        with self._lock:
            spares = self._spares.setdefault(size, deque())
            key = spares.popleft() if spares else None
            if key is None:
                self.misses += 1
            else:
                self.hits += 1
            self._ensure_worker()
            self._wake.notify()
        return key if key is not None else _generate(size)

    def spares(self, size: int) -> int:
        """How many keys of ``size`` bits are waiting."""
        with self._lock:
            return len(self._spares.get(size, ()))

    def fill(self, size: int, count: int | None = None) -> None:
        """Generate spares of ``size`` now, in this thread, until ``count`` (default: the depth) wait."""
        target = self.depth if count is None else count
        while True:
            with self._lock:
                spares = self._spares.setdefault(size, deque())
                if len(spares) >= target:
                    return
            key = _generate(size)
            with self._lock:
                self._spares[size].append(key)

    def clear(self) -> None:
        """Forget every spare (and the sizes asked for): nothing is generated until the next take()."""
        with self._lock:
            self._spares = {}

    def _ensure_worker(self) -> None:
        # Called with the lock held.
        if self._worker is None or not self._worker.is_alive():
            self._worker = threading.Thread(target=self._refill, name="pca_mock-key-pool", daemon=True)
            self._worker.start()

    def _wanted(self) -> int | None:
        # Called with the lock held: the smallest size below its depth, if any.
        short = [size for size, spares in self._spares.items() if len(spares) < self.depth]
        return min(short) if short else None

    def _refill(self) -> None:
        while True:
            with self._lock:
                size = self._wanted()
                while size is None:
                    self._wake.wait()
                    size = self._wanted()
            key = _generate(size)
            with self._lock:
                spares = self._spares.get(size)
                # A clear() while generating means the size is no longer wanted.
                if spares is not None and len(spares) < self.depth:
                    spares.append(key)

    def _after_fork_in_child(self) -> None:
        # The child must not hand out keys its parent may also hand out, and
        # the parent's worker thread does not exist in the child.
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._spares = {}
        self._worker = None


POOL = KeyPool()

if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=POOL._after_fork_in_child)
