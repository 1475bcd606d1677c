"""What every operation handler gets: who is calling, where, and when."""

from __future__ import annotations

import base64
import binascii
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Protocol, TypeVar

from pca_mock.errors import InvalidNextTokenException, ResourceNotFoundException
from pca_mock.service.arns import CaRef, parse_ca_arn
from pca_mock.service.models import CertificateAuthority, RegionState

_T = TypeVar("_T")


_ZERO = timedelta(0)
_clock_lock = threading.Lock()
# Time the mock has skipped ahead of the real clock: what botocore waiters
# "slept" while a mock was active (see pca_mock._clock). Cleared with the state.
_offset = _ZERO


def utcnow() -> datetime:
    """The service's clock: every "now" the mock reads comes from here."""
    # datetime.now() rather than time.time(): time-machine and freezegun both move it.
    now = datetime.now(timezone.utc)
    return now + _offset if _offset else now


def advance_clock(seconds: float) -> None:
    """Move the service clock forward, as if that much time had passed."""
    global _offset
    if seconds <= 0:
        return
    with _clock_lock:
        _offset += timedelta(seconds=seconds)


def reset_clock() -> None:
    global _offset
    with _clock_lock:
        _offset = _ZERO


class Delays(Protocol):
    """How long AWS's asynchronous work takes (pca_mock.RealisticTiming satisfies it)."""

    @property
    def ca_creation(self) -> timedelta: ...

    @property
    def certificate_issuance(self) -> timedelta: ...

    @property
    def audit_report(self) -> timedelta: ...


@dataclass(frozen=True, slots=True)
class _NoDelays:
    ca_creation: timedelta = _ZERO
    certificate_issuance: timedelta = _ZERO
    audit_report: timedelta = _ZERO


# The default: everything AWS does asynchronously is finished when the request returns.
NO_DELAYS: Delays = _NoDelays()


class Lock(Protocol):
    """The registry's lock, as far as a request needs it."""

    def acquire(self) -> bool: ...

    def release(self) -> None: ...


class StateDirectory(Protocol):
    """Where other accounts' state is found (the registry), for cross-account access."""

    def regions(self) -> list[RegionState]: ...


@dataclass(frozen=True, slots=True)
class RequestContext:
    account: str
    region: str
    state: RegionState
    now: datetime
    # The AWS operation being served: what a resource-based policy must allow
    # when the caller reaches a CA of another account.
    operation: str = ""
    directory: StateDirectory | None = None
    delays: Delays = NO_DELAYS
    # Whether new RSA CA keys may come from the pre-generated pool (mock_acmpca(key_pool=...)).
    key_pool: bool = True
    # The lock the request runs under (see unlocked()); None when there is none to let go of.
    lock: Lock | None = None

    @contextmanager
    def unlocked(self) -> Iterator[None]:
        """Let other requests run during slow work that reads and writes no state (a signature).

        Whatever was read before may have changed afterwards: re-check what matters.
        """
        lock = self.lock
        if lock is None:
            yield
            return
        lock.release()
        try:
            yield
        finally:
            lock.acquire()

    @property
    def partition(self) -> str:
        return self.state.partition

    def find_ca(self, arn: str) -> CertificateAuthority:
        """The CA named by ``arn``: the caller's own, or another account's that shares it.

        Raises:
            InvalidArnException: the ARN cannot name a CA.
            ResourceNotFoundException: no such CA in the caller's region
                (including one whose deletion window has ended).
            AccessDeniedException: a CA of another account whose resource-based
                policy does not let the caller perform this operation.
        """
        ref = parse_ca_arn(arn)
        ca = None
        if ref.region == self.region:
            if ref.account != self.account:
                return self._find_shared_ca(ref, arn)
            ca = self.state.authorities.get(ref.ca_id)
        if ca is None or ca.is_gone(self.now):
            if ca is not None:
                del self.state.authorities[ca.id]
            raise ResourceNotFoundException(f"Could not find certificate authority with arn {arn}.")
        return ca

    def _find_shared_ca(self, ref: CaRef, arn: str) -> CertificateAuthority:
        # Imported here: access uses this module, and the same-account path never needs it.
        from pca_mock.service import access

        return access.find_shared_ca(self, ref, arn)

    def authorize_template(self, ca: CertificateAuthority, arn: str, template_arn: str | None) -> None:
        """For IssueCertificate on another account's CA: the policy must admit this template."""
        from pca_mock.service import access

        access.authorize_template(self, ca, arn, template_arn)


_TOKEN_PREFIX = "pca-mock:"
# ASCII digits, and few of them: str.isdigit() also admits "²" and other scripts'
# digits, and int() refuses more than 4300 digits.
_TOKEN_DIGITS = re.compile(r"[0-9]{1,18}")


def paginate(
    items: Sequence[_T], max_results: int | None, next_token: str | None, page_cap: int
) -> tuple[list[_T], str | None]:
    """One page of ``items`` and the token of the next, if any.

    Tokens are opaque to callers; any token we did not hand out (or one past
    the end of the list) is rejected with InvalidNextTokenException.
    """
    start = token_position(next_token, len(items))
    size = min(max_results or page_cap, page_cap)
    page = list(items[start : start + size])
    end = start + size
    return page, (position_token(end) if end < len(items) else None)


def token_position(next_token: str | None, limit: int) -> int:
    """The position a NextToken from :func:`position_token` holds (0 for none), at most ``limit``.

    Raises:
        InvalidNextTokenException: a token we did not hand out, or one past ``limit``.
    """
    if next_token is None:
        return 0
    try:
        decoded = base64.urlsafe_b64decode(next_token.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        decoded = ""
    digits = decoded[len(_TOKEN_PREFIX) :]
    if not decoded.startswith(_TOKEN_PREFIX) or not _TOKEN_DIGITS.fullmatch(digits):
        raise InvalidNextTokenException("The token is not valid.")
    start = int(digits)
    if start > limit:
        raise InvalidNextTokenException("The token is not valid.")
    return start


def position_token(position: int) -> str:
    """An opaque NextToken for the page starting at ``position``."""
    return base64.urlsafe_b64encode(f"{_TOKEN_PREFIX}{position}".encode()).decode()
