"""Realistic timing, and botocore waiters that wait on the mock's clock instead of the wall clock.

AWS does some work asynchronously: a new CA spends seconds in CREATING, a
certificate is not retrievable the instant IssueCertificate returns, an audit
report takes a while. By default the mock finishes all of it within the
request, so tests never wait. With ``mock_acmpca(realistic_timing=True)`` the
work takes time on the service clock (``ready_at`` instants, derived when
read, never scheduled), so code that forgets a waiter fails with
``RequestInProgressException`` as it would in production.

Code that does use the waiters must not then pay the delays in real time.
While a mock is active, ``botocore.waiter``'s reference to the ``time`` module
is replaced by a proxy whose ``sleep`` moves the service clock forward instead
of sleeping, for acm-pca waiters only: another service's waiter (a real S3
bucket, moto) still sleeps for real.
"""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import botocore.waiter

_SERVICE_NAME = "acm-pca"


@dataclass(frozen=True)
class RealisticTiming:
    """How long the mocked service takes over its asynchronous work.

    AWS publishes no figures; the defaults are inferred from the waiters'
    polling intervals (CertificateAuthorityCSRCreated polls every 3 s,
    CertificateIssued every 1 s, AuditReportCreated every 3 s) and from what
    users report: a CA is usually ready within a few seconds.

    Attributes:
        ca_creation: a new CA reads CREATING for this long (then PENDING_CERTIFICATE).
        certificate_issuance: GetCertificate answers RequestInProgressException for this long.
        audit_report: DescribeCertificateAuthorityAuditReport reads CREATING for this long.
    """

    ca_creation: timedelta = timedelta(seconds=5)
    certificate_issuance: timedelta = timedelta(seconds=1)
    audit_report: timedelta = timedelta(seconds=3)

    def __post_init__(self) -> None:
        for name in ("ca_creation", "certificate_issuance", "audit_report"):
            value = getattr(self, name)
            if not isinstance(value, timedelta) or value < timedelta(0):
                raise ValueError(f"RealisticTiming.{name} must be a timedelta of zero or more, not {value!r}.")


# What mock_acmpca() without realistic timing uses: every asynchronous step is instant.
INSTANT = RealisticTiming(timedelta(0), timedelta(0), timedelta(0))


def timing_option(option: bool | RealisticTiming) -> RealisticTiming:
    """The timing a ``realistic_timing=`` argument asks for."""
    if isinstance(option, RealisticTiming):
        return option
    if isinstance(option, bool):
        return RealisticTiming() if option else INSTANT
    raise TypeError(f"realistic_timing must be a bool or a RealisticTiming, not {type(option).__name__}.")


def _is_acmpca_waiter(waiter: Any) -> bool:
    """Whether the object running Waiter.wait polls an acm-pca client."""
    if not isinstance(waiter, botocore.waiter.Waiter):
        return False
    # Waiter keeps the client's bound method inside a NormalizedOperationMethod.
    method = getattr(getattr(waiter, "_operation_method", None), "_client_method", None)
    meta = getattr(getattr(method, "__self__", None), "meta", None)
    service_model = getattr(meta, "service_model", None)
    return getattr(service_model, "service_name", None) == _SERVICE_NAME


class _WaiterTime(types.ModuleType):
    """The ``time`` module as botocore.waiter sees it while a mock is active."""

    def __init__(self, inner: Any) -> None:
        super().__init__("time")
        # What botocore.waiter had before (the time module, or a test's stand-in).
        self.inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def sleep(self, seconds: float) -> None:
        # Waiter.wait calls time.sleep directly, so its frame is the caller's.
        waiter = sys._getframe(1).f_locals.get("self")
        if _is_acmpca_waiter(waiter):
            from pca_mock.service import context

            context.advance_clock(seconds)
        else:
            self.inner.sleep(seconds)


def install() -> None:
    """Make acm-pca waiters sleep on the service clock (outermost start)."""
    current = botocore.waiter.time  # type: ignore[attr-defined]
    if not isinstance(current, _WaiterTime):
        botocore.waiter.time = _WaiterTime(current)  # type: ignore[attr-defined]


def uninstall() -> None:
    """Give botocore.waiter its time module back (outermost stop).

    Leaves alone a replacement someone else made after ours.
    """
    current = botocore.waiter.time  # type: ignore[attr-defined]
    if isinstance(current, _WaiterTime):
        botocore.waiter.time = current.inner  # type: ignore[attr-defined]
