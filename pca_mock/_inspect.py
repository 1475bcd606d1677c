"""Read-only snapshots of the mocked state, for assertions (``mock.state``).

Some facts a test wants to assert have no API that reads them back (how many
certificates a CA issued, which were revoked and why) or need one call per
account and region. These views answer them directly. Each is a frozen copy
made under the registry lock: changing the mock afterwards does not change a
view, and a view cannot change the mock. Private keys are never copied in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pca_mock.registry import REGISTRY
from pca_mock.service.context import utcnow
from pca_mock.service.models import CertificateAuthority, IssuedCertificate


@dataclass(frozen=True, slots=True)
class CertificateAuthorityView:
    """A CA as it stands now; ``status`` is what DescribeCertificateAuthority would report."""

    arn: str
    account: str
    region: str
    type: str
    status: str
    key_algorithm: str
    signing_algorithm: str
    #: Certificates the CA signed, not counting a root's own self-signed certificate.
    issued: int
    #: How many of those are revoked.
    revoked: int


@dataclass(frozen=True, slots=True)
class CertificateView:
    """A certificate a CA issued, with its revocation state."""

    arn: str
    serial: int
    not_before: datetime
    not_after: datetime
    issued_at: datetime
    template_arn: str
    revoked_at: datetime | None
    revocation_reason: str | None
    #: The account that requested it (the CA's own, or one the CA is shared with).
    requested_by: str | None
    certificate_pem: str = field(repr=False)

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


def _issued(ca: CertificateAuthority) -> list[IssuedCertificate]:
    # A root's self-signed certificate is the CA's own, not something it issued to anyone.
    return [certificate for certificate in ca.certificates.values() if not certificate.self_issued]


def _ca_view(ca: CertificateAuthority, now: datetime) -> CertificateAuthorityView:
    issued = _issued(ca)
    return CertificateAuthorityView(
        arn=ca.arn,
        account=ca.account,
        region=ca.region,
        type=ca.ca_type.value,
        status=ca.status_at(now).value,
        key_algorithm=ca.key_algorithm,
        signing_algorithm=str(ca.configuration["SigningAlgorithm"]),
        issued=len(issued),
        revoked=sum(1 for certificate in issued if certificate.revoked_at is not None),
    )


def _certificate_view(certificate: IssuedCertificate) -> CertificateView:
    return CertificateView(
        arn=certificate.arn,
        serial=certificate.serial,
        not_before=certificate.not_before,
        not_after=certificate.not_after,
        issued_at=certificate.issued_at,
        template_arn=certificate.template_arn,
        revoked_at=certificate.revoked_at,
        revocation_reason=certificate.revocation_reason,
        requested_by=certificate.requested_by,
        certificate_pem=certificate.pem,
    )


class StateView:
    """What the mock holds, across every account and region. Obtain it as ``mock.state``."""

    __slots__ = ()

    def certificate_authorities(
        self, account: str | None = None, region: str | None = None
    ) -> tuple[CertificateAuthorityView, ...]:
        """Every CA that still exists (deleted ones inside their restore window included), oldest first.

        Args:
            account: only this account's CAs.
            region: only CAs in this region.
        """
        with REGISTRY.lock:
            now = utcnow()
            authorities = [
                ca
                for state in REGISTRY.regions()
                if (account is None or state.account == account) and (region is None or state.region == region)
                for ca in state.live_authorities(now)
            ]
            # Stable, so CAs created at the same instant (a frozen clock) keep their creation order.
            authorities.sort(key=lambda ca: ca.created_at)
            return tuple(_ca_view(ca, now) for ca in authorities)

    def certificates(self, ca_arn: str) -> tuple[CertificateView, ...]:
        """The certificates ``ca_arn`` issued, in issue order (a root's own certificate left out).

        Raises:
            ValueError: no such CA exists under the mock.
        """
        with REGISTRY.lock:
            now = utcnow()
            for state in REGISTRY.regions():
                for ca in state.live_authorities(now):
                    if ca.arn == ca_arn:
                        return tuple(_certificate_view(certificate) for certificate in _issued(ca))
        raise ValueError(f"No certificate authority {ca_arn} exists under the mock.")

    def __repr__(self) -> str:
        return "<pca_mock state: use certificate_authorities() and certificates(ca_arn)>"
