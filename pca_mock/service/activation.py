"""A CA's CSR, installing its certificate, and reading the certificate back (reference §6)."""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives import serialization

from pca_mock.errors import (
    CertificateMismatchException,
    InvalidRequestException,
    InvalidStateException,
    MalformedCertificateException,
    RequestInProgressException,
)
from pca_mock.service import crls
from pca_mock.service.context import RequestContext
from pca_mock.service.models import CaStatus, CaType, InstalledCertificate
from pca_mock.x509 import chain as chain_checks
from pca_mock.x509.builder import subject_key_identifier_of


def _not_ready(arn: str) -> InvalidStateException:
    return InvalidStateException(
        f"The certificate authority {arn} is not in the correct state to have a certificate signing request."
    )


def get_csr(ctx: RequestContext, arn: str) -> str:
    ca = ctx.find_ca(arn)
    status = ca.status_at(ctx.now)
    if status is CaStatus.CREATING:
        raise RequestInProgressException(f"The certificate signing request for {arn} is still being created.")
    if status in (CaStatus.DELETED, CaStatus.FAILED):
        raise _not_ready(arn)
    return ca.csr_pem


_IMPORTABLE = frozenset({CaStatus.PENDING_CERTIFICATE, CaStatus.ACTIVE, CaStatus.DISABLED, CaStatus.EXPIRED})


def import_certificate(ctx: RequestContext, arn: str, certificate: bytes, chain: bytes | None) -> None:
    """Install (or renew) a CA's certificate after every check of reference §6."""
    ca = ctx.find_ca(arn)
    status = ca.status_at(ctx.now)
    if status is CaStatus.CREATING:
        raise RequestInProgressException(f"The certificate authority {arn} is still being created.")
    if status not in _IMPORTABLE:
        raise InvalidStateException(
            f"The certificate authority {arn} is in the {status.value} state and cannot import a certificate."
        )
    try:
        parsed = chain_checks.parse_certificate(certificate)
        links = chain_checks.parse_chain(chain) if chain else []
        chain_checks.check_import(
            parsed, links, is_root=ca.ca_type is CaType.ROOT, ca_public_key=ca.private_key.public_key()
        )
    except chain_checks.MalformedCertificate as error:
        raise MalformedCertificateException(str(error)) from None
    except chain_checks.ChainMismatch as error:
        raise CertificateMismatchException(str(error)) from None
    except chain_checks.ProhibitedImport as error:
        raise InvalidRequestException(str(error)) from None

    encoding = serialization.Encoding.PEM
    certificate_pem = parsed.public_bytes(encoding).decode("ascii")
    chain_pem = "".join(link.public_bytes(encoding).decode("ascii") for link in links) or None
    # Revocations not yet published are signed under the certificate they were made under.
    crls.flush(ca)
    if ca.stored_status is CaStatus.PENDING_CERTIFICATE:
        ca.transition(CaStatus.ACTIVE, ctx.now)
    elif status is CaStatus.EXPIRED:
        # Renewal of an expired CA: back to ACTIVE, or still DISABLED if it was
        # disabled before it expired (the stored status remembers which).
        ca.last_state_change_at = ctx.now
    ca.installed = InstalledCertificate(
        certificate=parsed,
        pem=certificate_pem,
        chain_pem=chain_pem,
        issued_chain_pem=certificate_pem + (chain_pem or ""),
        subject=parsed.subject,
        key_identifier=subject_key_identifier_of(parsed),
        path_length=chain_checks.path_length(parsed),
        not_before=parsed.not_valid_before_utc,
        not_after=parsed.not_valid_after_utc,
        depth=1 + len(links),
    )


def get_ca_certificate(ctx: RequestContext, arn: str) -> dict[str, Any]:
    ca = ctx.find_ca(arn)
    status = ca.status_at(ctx.now)
    if ca.installed is None or status not in (CaStatus.ACTIVE, CaStatus.DISABLED, CaStatus.EXPIRED):
        raise _not_ready(arn)
    result: dict[str, Any] = {"Certificate": ca.installed.pem}
    if ca.installed.chain_pem is not None:
        result["CertificateChain"] = ca.installed.chain_pem
    return result
