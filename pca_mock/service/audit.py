"""Audit reports: CreateCertificateAuthorityAuditReport and DescribeCertificateAuthorityAuditReport (reference §8).

AWS takes a while to produce a report (status CREATING, polled by the
AuditReportCreated waiter). The mock writes the report into the object store
during the Create call and reports SUCCESS from then on, so a waiter succeeds
on its first poll and no test sleeps. The one-report-per-30-minutes rule is
kept, on the request clock, so time-travel libraries can step past it.
"""

from __future__ import annotations

import binascii
import csv
import io
import json
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from typing import Any

from pca_mock.errors import (
    InvalidStateException,
    RequestInProgressException,
    ResourceNotFoundException,
    ValidationException,
)
from pca_mock.objects import STORE, StoredObject
from pca_mock.service import crls
from pca_mock.service.context import RequestContext
from pca_mock.service.models import AuditReport, CaStatus, CertificateAuthority, IssuedCertificate
from pca_mock.x509 import rfc2253

# A CA may start at most one report in this period (reference §8, §11).
REPORT_INTERVAL = timedelta(minutes=30)

# Report columns in AWS's order: the CSV header, and the key order of each JSON object.
COLUMNS = (
    "awsAccountId",
    "requestedByServicePrincipal",
    "certificateArn",
    "serial",
    "subject",
    "notBefore",
    "notAfter",
    "issuedAt",
    "revokedAt",
    "revocationReason",
    "templateArn",
)

_CONTENT_TYPES = {"JSON": "application/json", "CSV": "text/csv"}
# States in which a CA produces reports (reference §1.1 capability table).
_REPORTING = (CaStatus.ACTIVE, CaStatus.DISABLED)
# Serials are printed at least as wide as the 128-bit serials AWS issues, like
# the hex in certificate ARNs (AWS's sample row starts with 00:).
_SERIAL_BYTES = 16

Row = dict[str, str | None]


def format_time(moment: datetime) -> str:
    """A report timestamp: ``yyyy-MM-ddTHH:mm:ss+0000`` in UTC (Java's pattern, seconds truncated)."""
    utc = moment.astimezone(timezone.utc)
    return f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}+0000"


def format_serial(serial: int) -> str:
    """A serial as lowercase colon-separated hex bytes, zero-padded to 16 bytes."""
    raw = serial.to_bytes(max(_SERIAL_BYTES, (serial.bit_length() + 7) // 8), "big")
    return raw.hex(":")


class _Rows:
    """Report lines for one report, remembering what many certificates share.

    Subjects are read straight from the DER (a report of 100,000 rows cannot
    afford to load every certificate) and rendered once per distinct name;
    timestamps are formatted once per second (bulk issuance puts hundreds of
    certificates in each).
    """

    def __init__(self, ca: CertificateAuthority) -> None:
        self._ca = ca
        self._subjects: dict[bytes, str] = {}
        self._times: dict[datetime, str] = {}

    def _subject(self, pem: str) -> str:
        body = pem[pem.index("\n") + 1 : pem.index("-----END")]
        subject = rfc2253.certificate_subject_der(binascii.a2b_base64(body))
        text = self._subjects.get(subject)
        if text is None:
            text = self._subjects[subject] = rfc2253.render(subject)
        return text

    def _time(self, moment: datetime) -> str:
        second = moment.replace(microsecond=0)
        text = self._times.get(second)
        if text is None:
            text = self._times[second] = format_time(moment)
        return text

    def row(self, record: IssuedCertificate) -> Row:
        """One certificate's report line; None marks a value AWS leaves out."""
        return {
            # The account that requested the certificate: another one for a CA shared with it.
            "awsAccountId": record.requested_by or self._ca.account,
            # Set by AWS only for certificates ACM requested; nothing in the mock is.
            "requestedByServicePrincipal": None,
            "certificateArn": record.arn,
            "serial": format_serial(record.serial),
            "subject": self._subject(record.pem),
            "notBefore": self._time(record.not_before),
            "notAfter": self._time(record.not_after),
            "issuedAt": self._time(record.issued_at),
            "revokedAt": None if record.revoked_at is None else self._time(record.revoked_at),
            "revocationReason": record.revocation_reason,
            "templateArn": record.template_arn,
        }


def render_json(rows: Iterable[Row]) -> bytes:
    """A JSON array of objects, compact and UTF-8 as a Java service writes it; missing values omitted."""
    items = [{column: row[column] for column in COLUMNS if row[column] is not None} for row in rows]
    return json.dumps(items, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def render_csv(rows: Iterable[Row]) -> bytes:
    """A header line and one line per certificate; missing values are empty cells.

    Quoting is minimal (a subject with commas is quoted) and lines end in CRLF,
    as RFC 4180 has it.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(["" if row[column] is None else row[column] for column in COLUMNS])
    return buffer.getvalue().encode("utf-8")


def create(ctx: RequestContext, arn: str, *, bucket: str, response_format: str) -> tuple[str, str]:
    """Write a report of every certificate the CA issued; returns its id and S3 key.

    Raises:
        InvalidStateException: the CA is not ACTIVE or DISABLED.
        RequestInProgressException: the CA started a report less than 30 minutes ago.
        ValidationException: moto mocks S3 in the same test and has no such bucket.
    """
    ca = ctx.find_ca(arn)
    status = ca.status_at(ctx.now)
    if status not in _REPORTING:
        raise InvalidStateException(
            f"The certificate authority must be in the ACTIVE or DISABLED state to create an audit report; "
            f"it is in the {status.value} state."
        )
    latest = max((report.created_at for report in ca.audit_reports.values()), default=None)
    if latest is not None and ctx.now < latest + REPORT_INTERVAL:
        raise RequestInProgressException(
            f"The certificate authority {arn} created an audit report at {format_time(latest)}; "
            f"it can create another from {format_time(latest + REPORT_INTERVAL)}."
        )
    # Without moto every bucket is writable; with it, a missing bucket fails as
    # a CRL bucket does, and the failed call does not use up the 30 minutes.
    if not STORE.bucket_exists(bucket, ca.region):
        raise ValidationException(crls.bucket_permission_error(bucket))
    report_id = str(uuid.uuid4())
    key = f"audit-report/{ca.id}/{report_id}.{response_format.lower()}"
    # Issuance order: the certificate table keeps insertion order.
    lines = _Rows(ca)
    rows = [lines.row(record) for record in ca.certificates.values()]
    body = render_json(rows) if response_format == "JSON" else render_csv(rows)
    STORE.put(
        StoredObject(
            bucket=bucket,
            key=key,
            body=body,
            content_type=_CONTENT_TYPES[response_format],
            # AWS does not document the ACL it writes reports with.
            acl=None,
            account=ca.account,
            last_modified=ctx.now,
        ),
        ca.region,
    )
    ready_at = (ctx.now + ctx.delays.audit_report) if ctx.delays.audit_report else None
    ca.audit_reports[report_id] = AuditReport(
        report_id=report_id, bucket=bucket, key=key, created_at=ctx.now, ready_at=ready_at
    )
    return report_id, key


def describe(ctx: RequestContext, arn: str, report_id: str) -> dict[str, Any]:
    """Where a report is and when it was made: SUCCESS, or CREATING while realistic timing delays it.

    Raises:
        ResourceNotFoundException: the CA has no report with this id (one of
            another CA included).
    """
    ca = ctx.find_ca(arn)
    report = ca.audit_reports.get(report_id)
    if report is None:
        raise ResourceNotFoundException(f"Could not find audit report {report_id} for certificate authority {arn}.")
    creating = report.ready_at is not None and ctx.now < report.ready_at
    return {
        "AuditReportStatus": "CREATING" if creating else "SUCCESS",
        "S3BucketName": report.bucket,
        "S3Key": report.key,
        "CreatedAt": report.created_at,
    }
