"""State of the mocked service: CAs, issued certificates, and the status machine.

Time-dependent status (EXPIRED, the end of a deletion window, CREATING) is
derived from the clock when read, never scheduled, so time-travel libraries
work without any cooperation from the mock.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum
from typing import TYPE_CHECKING, Any

from pca_mock.errors import InvalidStateException

if TYPE_CHECKING:
    from cryptography import x509

    from pca_mock.x509.keys import PrivateKey


class CaStatus(str, Enum):
    CREATING = "CREATING"
    PENDING_CERTIFICATE = "PENDING_CERTIFICATE"
    ACTIVE = "ACTIVE"
    DISABLED = "DISABLED"
    EXPIRED = "EXPIRED"
    FAILED = "FAILED"
    DELETED = "DELETED"


class CaType(str, Enum):
    ROOT = "ROOT"
    SUBORDINATE = "SUBORDINATE"


# The stored status moves only along these edges. EXPIRED and CREATING are
# never stored: they are read off the clock (see CertificateAuthority.status_at).
# ACTIVE → DELETED is reachable only once the CA certificate has expired (the
# delete operation refuses a CA that reads as ACTIVE), and a restore returns a
# CA to whatever it was before deletion.
TRANSITIONS: dict[CaStatus, frozenset[CaStatus]] = {
    CaStatus.PENDING_CERTIFICATE: frozenset({CaStatus.ACTIVE, CaStatus.DELETED}),
    CaStatus.ACTIVE: frozenset({CaStatus.DISABLED, CaStatus.DELETED}),
    CaStatus.DISABLED: frozenset({CaStatus.ACTIVE, CaStatus.DELETED}),
    CaStatus.DELETED: frozenset({CaStatus.PENDING_CERTIFICATE, CaStatus.ACTIVE, CaStatus.DISABLED}),
}

# How long an IdempotencyToken binds its first request's result.
IDEMPOTENCY_WINDOW = timedelta(minutes=5)
_IDEMPOTENCY_PURGE_MIN = 1024


@dataclass(slots=True)
class IssuedCertificate:
    """A certificate a CA issued. The PEM is kept; everything else is for lookups."""

    serial: int
    arn: str
    pem: str
    chain_pem: str | None
    not_before: datetime
    not_after: datetime
    issued_at: datetime
    template_arn: str
    # A root CA's own certificate (issued with a root template): never revocable.
    self_issued: bool = False
    revoked_at: datetime | None = None
    revocation_reason: str | None = None
    # The partition of a PARTITIONED CRL this certificate is bound to (its GUID).
    crl_partition: str | None = None
    # Once revoked: its entry in a CRL, DER-encoded once (pca_mock.x509.crl.encode_entry).
    crl_entry: bytes | None = None
    # The account that asked for it: the CA's own, or one the CA is shared with.
    requested_by: str | None = None
    # With realistic timing: GetCertificate answers RequestInProgressException
    # until then. None means it was ready when IssueCertificate returned.
    ready_at: datetime | None = None

    def in_progress(self, now: datetime) -> bool:
        return self.ready_at is not None and now < self.ready_at


@dataclass(slots=True)
class CrlState:
    """What a CA has published as CRLs (reference §7.3)."""

    # When the current CRLs were generated; None until a certificate first
    # references a CRL (AWS writes none before that).
    generated_at: datetime | None = None
    # CRL Number of the current CRLs: generation time in epoch milliseconds,
    # kept increasing when the clock stands still (a frozen test clock).
    number: int = 0
    # PARTITIONED CRLs: partition GUIDs in creation order (the last one takes
    # new certificates) and how many certificates the last one holds.
    partitions: list[str] = field(default_factory=list)
    last_partition_size: int = 0
    # Revoked certificates by serial, in revocation order: what a CRL lists,
    # without looking at the certificates that were never revoked.
    revoked: dict[int, IssuedCertificate] = field(default_factory=dict)
    # When the CA last revoked a certificate that the CRLs in the object store
    # do not list yet: they are published as of then when next read (crls.flush).
    pending: datetime | None = None


@dataclass(frozen=True, slots=True)
class InstalledCertificate:
    """A CA's imported certificate, with what issuance reads from it worked out once."""

    certificate: x509.Certificate
    pem: str
    chain_pem: str | None
    # The CA's certificate followed by its chain: what a certificate it issues is chained to.
    issued_chain_pem: str
    subject: x509.Name
    key_identifier: bytes
    path_length: int | None
    not_before: datetime
    not_after: datetime
    # 1 for a root; one more for each certificate in the chain above the CA.
    depth: int


@dataclass(slots=True)
class CertificateAuthority:
    arn: str
    id: str
    account: str
    region: str
    ca_type: CaType
    # Echoed back by Describe exactly as given (AWS returns the request's configuration).
    configuration: dict[str, Any]
    revocation_configuration: dict[str, Any]
    key_storage_security_standard: str
    usage_mode: str
    created_at: datetime
    ready_at: datetime
    private_key: PrivateKey
    csr_pem: str
    stored_status: CaStatus = CaStatus.PENDING_CERTIFICATE
    last_state_change_at: datetime | None = None
    status_before_deletion: CaStatus | None = None
    restorable_until: datetime | None = None
    installed: InstalledCertificate | None = None
    certificates: dict[int, IssuedCertificate] = field(default_factory=dict)
    tags: dict[str, str | None] = field(default_factory=dict)
    # Resource-based policy (PutPolicy) and ACM service permissions (CreatePermission).
    policy: ResourcePolicy | None = None
    permissions: dict[tuple[str, str], Permission] = field(default_factory=dict)
    crl: CrlState = field(default_factory=CrlState)
    # Audit reports by AuditReportId, in creation order.
    audit_reports: dict[str, AuditReport] = field(default_factory=dict)

    @property
    def key_algorithm(self) -> str:
        return str(self.configuration["KeyAlgorithm"])

    def status_at(self, now: datetime) -> CaStatus:
        """The status AWS would report at ``now``."""
        if self.stored_status is CaStatus.PENDING_CERTIFICATE and now < self.ready_at:
            return CaStatus.CREATING
        if (
            self.stored_status in (CaStatus.ACTIVE, CaStatus.DISABLED)
            and self.installed is not None
            and now > self.installed.not_after
        ):
            return CaStatus.EXPIRED
        return self.stored_status

    def last_state_change(self, now: datetime) -> datetime:
        if self.last_state_change_at is None and now < self.ready_at:
            # Still CREATING (realistic timing): the last change was the creation itself.
            return self.created_at
        stored_change = self.ready_at if self.last_state_change_at is None else self.last_state_change_at
        if self.status_at(now) is CaStatus.EXPIRED:
            assert self.installed is not None
            # EXPIRED began when the certificate ended, unless the CA reached it
            # later through a stored change (restoring an already expired CA).
            return max(self.installed.not_after, stored_change)
        return stored_change

    def transition(self, to: CaStatus, now: datetime) -> None:
        """Move the stored status along an allowed edge, or raise InvalidStateException."""
        if to not in TRANSITIONS.get(self.stored_status, frozenset()):
            raise InvalidStateException(
                f"The certificate authority {self.arn} cannot move from {self.stored_status.value} to {to.value}."
            )
        self.stored_status = to
        self.last_state_change_at = now

    def is_gone(self, now: datetime) -> bool:
        """Whether the deletion window has ended, after which the CA no longer exists."""
        return (
            self.stored_status is CaStatus.DELETED
            and self.restorable_until is not None
            and now >= self.restorable_until
        )


@dataclass(frozen=True, slots=True)
class PolicyStatement:
    """One statement of a resource-based policy, reduced to what evaluation needs."""

    allow: bool
    accounts: frozenset[str]
    # Operation names (IssueCertificate, ...), without the acm-pca: prefix.
    actions: frozenset[str]
    # Template ARNs an acm-pca:TemplateArn condition admits; None when unconditioned.
    templates: frozenset[str] | None


@dataclass(frozen=True, slots=True)
class ResourcePolicy:
    """A CA's resource-based policy: the text as given (GetPolicy) and its parsed statements."""

    text: str
    statements: tuple[PolicyStatement, ...]


@dataclass(frozen=True, slots=True)
class Permission:
    """A CreatePermission grant to an AWS service principal."""

    principal: str
    source_account: str
    actions: tuple[str, ...]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AuditReport:
    """An audit report a CA wrote (reference §8); the report itself is in the object store."""

    report_id: str
    bucket: str
    key: str
    created_at: datetime
    # With realistic timing the report reads CREATING until then.
    ready_at: datetime | None = None


@dataclass(slots=True)
class IdempotencyRecord:
    expires_at: datetime
    result: str


def _created_at(ca: CertificateAuthority) -> datetime:
    return ca.created_at


@dataclass(slots=True)
class RegionState:
    """Everything one account owns in one region."""

    account: str
    region: str
    partition: str
    authorities: dict[str, CertificateAuthority] = field(default_factory=dict)
    idempotency: dict[tuple[str, str], IdempotencyRecord] = field(default_factory=dict)
    # Every CA added (see add), in creation order: by CreatedAt, then in the
    # order made. A list page starts at a position in it, so it is never
    # reordered by removals: a CA removed from ``authorities`` stays here,
    # skipped when a page reaches it.
    creation_order: list[CertificateAuthority] = field(default_factory=list)
    # Table size at which remember() next drops expired idempotency records.
    idempotency_purge_at: int = _IDEMPOTENCY_PURGE_MIN

    def add(self, ca: CertificateAuthority) -> None:
        """Store a new CA."""
        self.authorities[ca.id] = ca
        order = self.creation_order
        if not order or order[-1].created_at <= ca.created_at:
            order.append(ca)
        else:
            # Made earlier than the last one (a clock moved back): a sort would put it here.
            order.insert(bisect.bisect_right(order, ca.created_at, key=_created_at), ca)

    def _exists(self, ca: CertificateAuthority, now: datetime) -> bool:
        if self.authorities.get(ca.id) is not ca:
            return False
        if ca.is_gone(now):
            del self.authorities[ca.id]
            return False
        return True

    def authorities_page(self, start: int, size: int, now: datetime) -> tuple[list[CertificateAuthority], int | None]:
        """Up to ``size`` CAs existing at ``now`` from ``start`` in creation order, and where the next page starts.

        The next position is None when no CA follows. Costs O(size), plus the
        removed CAs passed over.
        """
        order = self.creation_order
        page: list[CertificateAuthority] = []
        at = start
        while at < len(order) and len(page) < size:
            if self._exists(order[at], now):
                page.append(order[at])
            at += 1
        while at < len(order) and not self._exists(order[at], now):
            at += 1
        return page, (at if at < len(order) else None)

    def live_authorities(self, now: datetime) -> list[CertificateAuthority]:
        """CAs that still exist at ``now`` (purging those whose deletion window ended)."""
        gone = [ca_id for ca_id, ca in self.authorities.items() if ca.is_gone(now)]
        for ca_id in gone:
            del self.authorities[ca_id]
        return list(self.authorities.values())

    def remembered(self, operation: str, token: str | None, now: datetime) -> str | None:
        if token is None:
            return None
        record = self.idempotency.get((operation, token))
        if record is None or now >= record.expires_at:
            return None
        return record.result

    def remember(self, operation: str, token: str | None, now: datetime, result: str) -> None:
        if token is None:
            return
        records = self.idempotency
        records[(operation, token)] = IdempotencyRecord(now + IDEMPOTENCY_WINDOW, result)
        # Expired records are dropped whenever the table has doubled since the
        # last time: O(1) per request, amortized, and memory bounded by the live ones.
        if len(records) >= self.idempotency_purge_at:
            for key in [key for key, record in records.items() if now >= record.expires_at]:
                del records[key]
            self.idempotency_purge_at = max(_IDEMPOTENCY_PURGE_MIN, 2 * len(records))
