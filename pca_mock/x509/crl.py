"""Certificate revocation lists as AWS Private CA writes them (reference §7.3)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from pca_mock.x509.keys import PrivateKey, Signature

# RevocationReason → RFC 5280 CRLReason (codes 0-5, 9, 10).
REASONS: dict[str, x509.ReasonFlags] = {
    "UNSPECIFIED": x509.ReasonFlags.unspecified,
    "KEY_COMPROMISE": x509.ReasonFlags.key_compromise,
    "CERTIFICATE_AUTHORITY_COMPROMISE": x509.ReasonFlags.ca_compromise,
    "AFFILIATION_CHANGED": x509.ReasonFlags.affiliation_changed,
    "SUPERSEDED": x509.ReasonFlags.superseded,
    "CESSATION_OF_OPERATION": x509.ReasonFlags.cessation_of_operation,
    "PRIVILEGE_WITHDRAWN": x509.ReasonFlags.privilege_withdrawn,
    "A_A_COMPROMISE": x509.ReasonFlags.aa_compromise,
}


@dataclass(frozen=True, slots=True)
class RevokedEntry:
    serial: int
    revoked_at: datetime
    # A RevocationReason name (see REASONS).
    reason: str


def build_crl(
    *,
    issuer: x509.Name,
    issuer_key: PrivateKey,
    issuer_key_identifier: bytes,
    signature: Signature,
    number: int,
    this_update: datetime,
    next_update: datetime,
    entries: Iterable[RevokedEntry],
    distribution_point: str | None = None,
) -> bytes:
    """A signed v2 CRL (DER): AKI and CRL Number, and one entry per revoked certificate.

    Every entry carries its reason code. ``distribution_point`` makes it a
    partition CRL, with a critical IssuingDistributionPoint naming it.
    """
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer)
        .last_update(this_update)
        .next_update(next_update)
        .add_extension(x509.AuthorityKeyIdentifier(issuer_key_identifier, None, None), critical=False)
        .add_extension(x509.CRLNumber(number), critical=False)
    )
    if distribution_point is not None:
        point = x509.IssuingDistributionPoint(
            full_name=[x509.UniformResourceIdentifier(distribution_point)],
            relative_name=None,
            only_contains_user_certs=False,
            only_contains_ca_certs=False,
            only_some_reasons=None,
            indirect_crl=False,
            only_contains_attribute_certs=False,
        )
        builder = builder.add_extension(point, critical=True)
    for entry in entries:
        revoked = (
            x509.RevokedCertificateBuilder()
            .serial_number(entry.serial)
            .revocation_date(entry.revoked_at)
            .add_extension(x509.CRLReason(REASONS[entry.reason]), critical=False)
            .build()
        )
        builder = builder.add_revoked_certificate(revoked)
    crl = builder.sign(issuer_key, signature.hash(), rsa_padding=signature.rsa_padding())
    return crl.public_bytes(serialization.Encoding.DER)
