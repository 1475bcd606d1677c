"""RevokeCertificate (reference §7.1)."""

from __future__ import annotations

import re

from pca_mock.errors import (
    InvalidRequestException,
    InvalidStateException,
    LimitExceededException,
    RequestAlreadyProcessedException,
    RequestInProgressException,
    ResourceNotFoundException,
    UnsupportedByMockError,
)
from pca_mock.service import crls
from pca_mock.service.context import RequestContext
from pca_mock.service.models import CaStatus
from pca_mock.x509.crl import REASONS

# A complete CRL holds at most this many unexpired revoked certificates.
REVOKED_QUOTA = 1_000_000
_HEX = re.compile(r"[0-9a-f]+")


def parse_serial(text: str) -> int | None:
    """A serial as hex, with or without colons, any case; None if it is not hex."""
    digits = text.replace(":", "").lower()
    if not _HEX.fullmatch(digits):
        return None
    return int(digits, 16)


def revoke(ctx: RequestContext, arn: str, *, serial_text: str, reason: str) -> None:
    ca = ctx.find_ca(arn)
    status = ca.status_at(ctx.now)
    if status not in (CaStatus.ACTIVE, CaStatus.DISABLED):
        raise InvalidStateException(
            f"The certificate authority must be in the ACTIVE or DISABLED state to revoke certificates; "
            f"it is in the {status.value} state."
        )
    if reason not in REASONS:
        raise UnsupportedByMockError(
            f"pca_mock does not know the revocation reason {reason!r} yet (botocore's model is newer)."
        )
    serial = parse_serial(serial_text)
    if serial is None:
        raise InvalidRequestException(f"The certificate serial {serial_text} is not a hexadecimal serial number.")
    record = ca.certificates.get(serial)
    if record is None:
        raise ResourceNotFoundException(
            f"Could not find a certificate with serial {serial_text} issued by certificate authority {arn}."
        )
    if record.in_progress(ctx.now):
        raise RequestInProgressException(f"The certificate with serial {serial_text} is still being issued.")
    if record.self_issued:
        raise InvalidRequestException(
            "A root certificate authority's own certificate cannot be revoked; delete the certificate authority instead."
        )
    if record.revoked_at is not None:
        raise RequestAlreadyProcessedException(f"The certificate with serial {serial_text} has already been revoked.")
    if record.not_after < ctx.now:
        raise InvalidRequestException(f"The certificate with serial {serial_text} has expired and cannot be revoked.")
    # Counting is only needed once a CA could possibly have reached the quota.
    if len(ca.crl.revoked) >= REVOKED_QUOTA and (
        sum(1 for cert in ca.crl.revoked.values() if cert.not_after >= ctx.now) >= REVOKED_QUOTA
    ):
        raise LimitExceededException(
            f"The certificate authority already has the maximum of {REVOKED_QUOTA} unexpired revoked certificates."
        )
    record.revoked_at = ctx.now
    record.revocation_reason = reason
    crls.revoked(ca, record, ctx.now)
