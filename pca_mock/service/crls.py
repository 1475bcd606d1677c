"""Publishing CRLs to the object store, and the CDP URLs that point at them (reference §7.2, §7.3).

AWS writes a CA's CRL to its S3 bucket once a certificate has been issued
with CRLs enabled, refreshes it after revocations and around the midpoint of
its validity. The mock publishes at issuance; after revocations it publishes
when the CRLs are next read through the mock handle (``fetch``, ``objects``),
as of the last revocation, so revoking stays O(1) (at once while moto's
mock_aws is active, see :func:`revoked`). A read also re-publishes CRLs past
their midpoint, so time-travel libraries see CRLs age.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pca_mock.errors import ValidationException
from pca_mock.objects import STORE, StoredObject, moto_active
from pca_mock.service.models import CertificateAuthority, IssuedCertificate
from pca_mock.x509.crl import RevokedEntry, build_crl, encode_entry
from pca_mock.x509.keys import SIGNING_ALGORITHMS

PERMISSION_TEST_KEY = "acm-pca-permission-test-key"
# ExpirationInDays when the configuration leaves it out: the console's default.
DEFAULT_EXPIRATION_DAYS = 7
# Certificates per partition of a PARTITIONED CRL. AWS caps a partition at 1 MB;
# even with every certificate revoked, 25,000 entries stay well below that.
PARTITION_SIZE = 25_000
# thisUpdate is backdated like certificates' notBefore (AWS's samples show 1 h).
BACKDATE = timedelta(hours=1)
CONTENT_TYPE = "application/pkix-crl"


def _configuration(ca: CertificateAuthority) -> dict[str, Any]:
    crl: dict[str, Any] = ca.revocation_configuration["CrlConfiguration"]
    return crl


def _enabled(ca: CertificateAuthority) -> bool:
    return bool(_configuration(ca)["Enabled"])


def _partitioned(ca: CertificateAuthority) -> bool:
    return _configuration(ca).get("CrlType") == "PARTITIONED"


def object_key(ca: CertificateAuthority, partition: str | None = None) -> str:
    """Where a CRL is written: ``<CustomPath or crl>/<CA id or partition GUID>.crl``.

    The model admits a CustomPath of ``/`` alone: the bucket's (or CNAME's) root.
    """
    folder = (_configuration(ca).get("CustomPath") or "crl").strip("/")
    name = f"{partition or ca.id}.crl"
    return f"{folder}/{name}" if folder else name


def url(ca: CertificateAuthority, key: str) -> str:
    crl = _configuration(ca)
    host = crl.get("CustomCname") or f"{crl['S3BucketName']}.s3.{ca.region}.amazonaws.com"
    return f"http://{host}/{key}"


@dataclass(frozen=True, slots=True)
class DistributionPoint:
    """Where a certificate about to be issued will be listed if revoked."""

    # The CDP URI to write in the certificate; None when CRLs are off or omitted.
    uri: str | None
    # PARTITIONED CRLs: the partition the certificate is bound to.
    partition: str | None = None
    new_partition: bool = False


NO_POINT = DistributionPoint(None)


def plan(ca: CertificateAuthority) -> DistributionPoint:
    """The distribution point of the next certificate, without changing anything."""
    if not _enabled(ca):
        return NO_POINT
    partition, new = None, False
    if _partitioned(ca):
        state = ca.crl
        new = not state.partitions or state.last_partition_size >= PARTITION_SIZE
        partition = str(uuid.uuid4()) if new else state.partitions[-1]
    omitted = (_configuration(ca).get("CrlDistributionPointExtensionConfiguration") or {}).get("OmitExtension")
    uri = None if omitted else url(ca, object_key(ca, partition))
    return DistributionPoint(uri, partition, new)


def bind(ca: CertificateAuthority, point: DistributionPoint, record: IssuedCertificate, now: datetime) -> None:
    """Record a certificate just issued under ``point``; the first one makes the CA publish."""
    if not _enabled(ca):
        return
    if point.partition is not None:
        state = ca.crl
        if point.new_partition:
            state.partitions.append(point.partition)
            state.last_partition_size = 0
        state.last_partition_size += 1
        record.crl_partition = point.partition
    # The CRL a certificate points at must exist: the CA's first, or a new partition's.
    if ca.crl.generated_at is None or point.new_partition:
        publish(ca, now)


def configured(ca: CertificateAuthority, now: datetime) -> None:
    """A CA's CRL configuration was set: AWS tests the bucket by writing a marker object."""
    if not _enabled(ca):
        return
    crl = _configuration(ca)
    _put(ca, PERMISSION_TEST_KEY, b"", now, content_type="text/plain")
    if crl.get("CustomCname"):
        STORE.serve(crl["CustomCname"], crl["S3BucketName"])
    # Like a new CA's, the new location gets a CRL once a certificate points at it
    # (or a revocation happens); until then it holds only the probe object.
    ca.crl.generated_at = None


def check_bucket(revocation_configuration: dict[str, Any], region: str) -> None:
    """Refuse a CRL configuration whose bucket cannot be written, before anything changes.

    Without S3 to ask, every bucket is writable; when moto mocks S3 in the same
    test, a bucket missing there fails as AWS fails (Terraform-observed text).
    """
    crl = revocation_configuration["CrlConfiguration"]
    if crl["Enabled"] and not STORE.bucket_exists(crl["S3BucketName"], region):
        raise ValidationException(bucket_permission_error(crl["S3BucketName"]))


def bucket_permission_error(bucket: str) -> str:
    return (
        f"Permission error with your S3 bucket '{bucket}'. Check that your bucket policy, encryption settings, "
        "S3 Block Public Access settings, and global account permissions are configured correctly. For more "
        "information, check the service documentation."
    )


def _put(ca: CertificateAuthority, key: str, body: bytes, now: datetime, *, content_type: str) -> None:
    crl = _configuration(ca)
    STORE.put(
        StoredObject(
            bucket=crl["S3BucketName"],
            key=key,
            body=body,
            content_type=content_type,
            acl=crl.get("S3ObjectAcl", "PUBLIC_READ"),
            account=ca.account,
            last_modified=now,
        ),
        ca.region,
    )


def _listed(ca: CertificateAuthority, now: datetime) -> list[IssuedCertificate]:
    """Revoked certificates a CRL generated now lists.

    One expired after the previous CRL was generated stays for this one more
    CRL, then drops out (reference §7.3).
    """
    previous = ca.crl.generated_at
    revoked = ca.crl.revoked.values()
    if previous is None:
        return list(revoked)
    return [record for record in revoked if record.not_after >= previous]


def publish(ca: CertificateAuthority, now: datetime) -> None:
    """Generate and write every CRL of the CA (one, or one per partition)."""
    installed = ca.installed
    state = ca.crl
    # Whatever was pending is in this publication (or there is nothing to publish).
    state.pending = None
    if not _enabled(ca) or installed is None:
        return
    listed = _listed(ca, now)
    state.number = max(int(now.timestamp() * 1000), state.number + 1)
    expiration = timedelta(days=_configuration(ca).get("ExpirationInDays") or DEFAULT_EXPIRATION_DAYS)
    # Validated when the CA was created, so it is one pca_mock knows.
    signature = SIGNING_ALGORITHMS[ca.configuration["SigningAlgorithm"]]

    def write(key: str, records: Iterable[IssuedCertificate], partition_uri: str | None) -> None:
        entries = [record.crl_entry for record in records if record.crl_entry is not None]
        der = build_crl(
            issuer=installed.subject,
            issuer_key=ca.private_key,
            issuer_key_identifier=installed.key_identifier,
            signature=signature,
            number=state.number,
            this_update=now - BACKDATE,
            next_update=now + expiration,
            entries=entries,
            distribution_point=partition_uri,
        )
        _put(ca, key, der, now, content_type=CONTENT_TYPE)

    if _partitioned(ca):
        by_partition: dict[str | None, list[IssuedCertificate]] = {}
        for record in listed:
            by_partition.setdefault(record.crl_partition, []).append(record)
        for partition in state.partitions:
            key = object_key(ca, partition)
            write(key, by_partition.get(partition, ()), url(ca, key))
    else:
        write(object_key(ca), listed, None)
    state.generated_at = now


def revoked(ca: CertificateAuthority, record: IssuedCertificate, now: datetime) -> None:
    """Record a revocation just made: the CRLs must list it from now on.

    Publishing is deferred to the next read of the CA's CRLs (:func:`flush`),
    so revoking n certificates costs O(n) rather than n CRLs of up to n
    entries; what a read returns is the CRL that publishing at once would have
    written. While moto's mock_aws is active the CRL is published at once:
    reads of moto's S3 cannot be intercepted to publish first.
    """
    assert record.revoked_at is not None
    record.crl_entry = encode_entry(
        RevokedEntry(record.serial, record.revoked_at, record.revocation_reason or "UNSPECIFIED")
    )
    ca.crl.revoked[record.serial] = record
    if moto_active():
        publish(ca, now)
    else:
        ca.crl.pending = now


def flush(ca: CertificateAuthority) -> None:
    """Publish the revocations the CA's CRLs do not list yet, as of the last one.

    Called before anything reads the CRLs, and before anything changes what
    or where the CA publishes (its CRL configuration, its certificate, its
    deletion).
    """
    if ca.crl.pending is not None:
        publish(ca, ca.crl.pending)


def refresh(ca: CertificateAuthority, now: datetime) -> None:
    """Re-publish a CA's CRLs if AWS would have by ``now``: past the midpoint of their validity."""
    flush(ca)
    state = ca.crl
    if state.generated_at is None or not _enabled(ca):
        return
    expiration = timedelta(days=_configuration(ca).get("ExpirationInDays") or DEFAULT_EXPIRATION_DAYS)
    midpoint = state.generated_at + (expiration + BACKDATE) / 2 - BACKDATE
    if now >= midpoint:
        publish(ca, now)


def refresh_all(authorities: Iterable[CertificateAuthority], now: datetime) -> None:
    for ca in authorities:
        refresh(ca, now)
