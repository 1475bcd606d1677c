"""Audit reports: CreateCertificateAuthorityAuditReport and DescribeCertificateAuthorityAuditReport (reference §8)."""

from __future__ import annotations

import csv
import io
import json
import re
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import time_machine
from botocore.exceptions import ClientError
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID

from pca_mock import AcmPcaMock
from pca_mock.objects import STORE
from tests.helpers import (
    EE_TEMPLATE,
    ROOT_TEMPLATE,
    assert_client_error,
    create_active_root,
    create_active_subordinate,
    create_ca,
    ec_key,
    enum_set,
    issue,
    load_certificate,
    make_csr,
    subordinate_template,
)

NOW = datetime(2030, 1, 15, 12, 0, 0, tzinfo=timezone.utc)
ACCOUNT = "123456789012"
BUCKET = "audit-bucket"
HEADER = [
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
]
ROOT_SUBJECT = "CN=Example CA,O=Example Corp,C=US"
LEAF_SUBJECT = "CN=leaf.example.com"
_UUID = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"


# --- local helpers ----------------------------------------------------------------------


def _report(client: Any, ca_arn: str, response_format: str = "JSON", bucket: str = BUCKET) -> dict[str, Any]:
    response: dict[str, Any] = client.create_certificate_authority_audit_report(
        CertificateAuthorityArn=ca_arn, S3BucketName=bucket, AuditReportResponseFormat=response_format
    )
    return response


def _json_report(pca: AcmPcaMock, key: str) -> list[dict[str, str]]:
    items: list[dict[str, str]] = json.loads(pca.objects.get(BUCKET, key))
    return items


def _csv_report(pca: AcmPcaMock, key: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(pca.objects.get(BUCKET, key).decode("utf-8"), newline="")))


def _when(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+0000")


def _colon_hex(serial: int) -> str:
    return ":".join(f"{byte:02x}" for byte in serial.to_bytes(16, "big"))


def _ca_id(ca_arn: str) -> str:
    return ca_arn.rsplit("/", 1)[1]


def _expected(
    certificate: dict[str, Any],
    *,
    subject: str,
    template: str,
    issued_at: datetime,
    revoked_at: datetime | None = None,
    reason: str | None = None,
) -> dict[str, str]:
    """A JSON report entry worked out from the certificate itself, keys in AWS's order."""
    parsed = load_certificate(certificate["Certificate"])
    entry = {
        "awsAccountId": ACCOUNT,
        "certificateArn": certificate["CertificateArn"],
        "serial": _colon_hex(parsed.serial_number),
        "subject": subject,
        "notBefore": _when(parsed.not_valid_before_utc),
        "notAfter": _when(parsed.not_valid_after_utc),
        "issuedAt": _when(issued_at),
    }
    if revoked_at is not None:
        entry["revokedAt"] = _when(revoked_at)
        assert reason is not None
        entry["revocationReason"] = reason
    entry["templateArn"] = template
    return entry


def _as_csv_row(entry: dict[str, str]) -> list[str]:
    return [entry.get(column, "") for column in HEADER]


def _root_certificate(client: Any, ca_arn: str) -> dict[str, Any]:
    """The root's own certificate as GetCertificate returns it (the CA lists it like any other)."""
    certificate = client.get_certificate_authority_certificate(CertificateAuthorityArn=ca_arn)["Certificate"]
    serial = load_certificate(certificate).serial_number
    arn = f"{ca_arn}/certificate/{serial:032x}"
    response: dict[str, Any] = client.get_certificate(CertificateAuthorityArn=ca_arn, CertificateArn=arn)
    response["CertificateArn"] = arn
    return response


def _history(client: Any, traveller: Any) -> tuple[str, list[dict[str, str]]]:
    """A root that issued two leaves and revoked one, one minute apart; the entries its report must hold."""
    root_arn = create_active_root(client)
    root = _root_certificate(client, root_arn)
    traveller.shift(timedelta(minutes=1))
    kept = issue(client, root_arn, make_csr())
    traveller.shift(timedelta(minutes=1))
    revoked = issue(client, root_arn, make_csr("revoked.example.com"), template=EE_TEMPLATE)
    traveller.shift(timedelta(minutes=1))
    client.revoke_certificate(
        CertificateAuthorityArn=root_arn,
        CertificateSerial=f"{load_certificate(revoked['Certificate']).serial_number:x}",
        RevocationReason="SUPERSEDED",
    )
    traveller.shift(timedelta(minutes=1))
    return root_arn, [
        _expected(root, subject=ROOT_SUBJECT, template=ROOT_TEMPLATE, issued_at=NOW),
        _expected(kept, subject=LEAF_SUBJECT, template=EE_TEMPLATE, issued_at=NOW + timedelta(minutes=1)),
        _expected(
            revoked,
            subject="CN=revoked.example.com",
            template=EE_TEMPLATE,
            issued_at=NOW + timedelta(minutes=2),
            revoked_at=NOW + timedelta(minutes=3),
            reason="SUPERSEDED",
        ),
    ]


# --- report contents ------------------------------------------------------------------------


def test_json_report_lists_every_certificate_issued_with_aws_fields_in_order(pca: AcmPcaMock, client: Any) -> None:
    with time_machine.travel(NOW, tick=False) as traveller:
        root_arn, expected = _history(client, traveller)

        key = _report(client, root_arn, "JSON")["S3Key"]

    report = _json_report(pca, key)
    # Key order too: AWS writes awsAccountId ... templateArn, without the
    # columns that have no value (requestedByServicePrincipal, revokedAt, revocationReason).
    assert [list(entry.items()) for entry in report] == [list(entry.items()) for entry in expected]


def test_json_report_is_compact_utf8(pca: AcmPcaMock, client: Any) -> None:
    root_arn = create_active_root(client)
    issue(client, root_arn, make_csr("zoë.example.com"))

    body = pca.objects.get(BUCKET, _report(client, root_arn, "JSON")["S3Key"])

    assert body.startswith(b'[{"awsAccountId":"123456789012","certificateArn":')
    assert '"subject":"CN=zoë.example.com"'.encode() in body


def test_csv_report_has_the_header_and_empty_cells_for_missing_values(pca: AcmPcaMock, client: Any) -> None:
    with time_machine.travel(NOW, tick=False) as traveller:
        root_arn, expected = _history(client, traveller)

        key = _report(client, root_arn, "CSV")["S3Key"]

    assert _csv_report(pca, key) == [HEADER, *(_as_csv_row(entry) for entry in expected)]


def test_csv_report_quotes_subjects_with_commas_and_ends_lines_with_crlf(pca: AcmPcaMock, client: Any) -> None:
    root_arn = create_active_root(client)

    body = pca.objects.get(BUCKET, _report(client, root_arn, "CSV")["S3Key"]).decode()

    lines = body.split("\r\n")
    assert lines[0] == ",".join(HEADER)
    assert f',"{ROOT_SUBJECT}",' in lines[1]
    assert lines[2:] == [""]


def test_report_subject_is_written_like_java_x500_principal(pca: AcmPcaMock, client: Any) -> None:
    root_arn = create_active_root(client)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.DOMAIN_COMPONENT, "com"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
            x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Washington"),
            x509.NameAttribute(NameOID.LOCALITY_NAME, "Seattle"),
            x509.NameAttribute(NameOID.STREET_ADDRESS, "1 Main St"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example, Inc."),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Sales"),
            x509.NameAttribute(NameOID.COMMON_NAME, "www.example.com"),
            x509.NameAttribute(NameOID.USER_ID, "u1"),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, "1234"),
            x509.NameAttribute(NameOID.TITLE, "Dr"),
            x509.NameAttribute(NameOID.EMAIL_ADDRESS, "a@b.c"),
        ]
    )
    csr = x509.CertificateSigningRequestBuilder().subject_name(subject).sign(ec_key(), hashes.SHA256())
    issue(client, root_arn, csr.public_bytes(serialization.Encoding.PEM))

    report = _json_report(pca, _report(client, root_arn)["S3Key"])

    # Last RDN first; only CN C L ST O OU STREET DC UID are named, the rest are
    # the attribute's OID and the DER of its value (PrintableString 13, UTF8String 0c, IA5String 16).
    assert report[1]["subject"] == (
        "1.2.840.113549.1.9.1=#16056140622e63,2.5.4.12=#0c024472,2.5.4.5=#130431323334,"
        "UID=u1,CN=www.example.com,OU=Sales,O=Example\\, Inc.,STREET=1 Main St,L=Seattle,ST=Washington,C=US,DC=com"
    )


def test_certificate_without_subject_has_an_empty_subject(pca: AcmPcaMock, client: Any) -> None:
    root_arn = create_active_root(client)
    issue(client, root_arn, make_csr(None, sans=[x509.DNSName("nameless.example.com")]))

    key = _report(client, root_arn, "CSV")["S3Key"]

    assert _csv_report(pca, key)[2][HEADER.index("subject")] == ""


def test_subordinate_certificate_is_in_its_parents_report_and_the_new_ca_reports_nothing(
    pca: AcmPcaMock, client: Any
) -> None:
    root_arn = create_active_root(client)
    sub_arn = create_active_subordinate(client, root_arn)

    parent = _json_report(pca, _report(client, root_arn)["S3Key"])
    child_json = pca.objects.get(BUCKET, _report(client, sub_arn, "JSON")["S3Key"])
    # One report per CA per 30 minutes: the CSV report of the same CA waits.
    with time_machine.travel(datetime.now(timezone.utc) + timedelta(minutes=30)):
        child_csv = _csv_report(pca, _report(client, sub_arn, "CSV")["S3Key"])

    sub_certificate = client.get_certificate_authority_certificate(CertificateAuthorityArn=sub_arn)["Certificate"]
    sub_serial = load_certificate(sub_certificate).serial_number
    assert [(entry["certificateArn"], entry["templateArn"]) for entry in parent] == [
        (_root_certificate(client, root_arn)["CertificateArn"], ROOT_TEMPLATE),
        (f"{root_arn}/certificate/{sub_serial:032x}", subordinate_template(0)),
    ]
    assert (child_json, child_csv) == (b"[]", [HEADER])


def test_report_is_a_snapshot_of_its_creation_time(pca: AcmPcaMock, client: Any) -> None:
    with time_machine.travel(NOW, tick=False) as traveller:
        root_arn = create_active_root(client)
        first = _report(client, root_arn)["S3Key"]
        traveller.shift(timedelta(minutes=30))
        issue(client, root_arn, make_csr())
        second = _report(client, root_arn)["S3Key"]

    assert (len(_json_report(pca, first)), len(_json_report(pca, second))) == (1, 2)


# --- where it goes, what Describe says ---------------------------------------------------------


@pytest.mark.parametrize("response_format", ["JSON", "CSV"])
def test_report_is_written_under_the_documented_key(pca: AcmPcaMock, client: Any, response_format: str) -> None:
    root_arn = create_active_root(client)

    with time_machine.travel(NOW, tick=False):
        response = _report(client, root_arn, response_format)

    report_id, key = response["AuditReportId"], response["S3Key"]
    assert re.fullmatch(_UUID, report_id)
    assert key == f"audit-report/{_ca_id(root_arn)}/{report_id}.{response_format.lower()}"
    assert pca.objects.keys(BUCKET) == [key]
    stored = pca.objects.object(BUCKET, key)
    content_type = {"JSON": "application/json", "CSV": "text/csv"}[response_format]
    assert (stored.content_type, stored.account, stored.last_modified) == (content_type, ACCOUNT, NOW)


def test_describe_returns_success_with_bucket_key_and_creation_time(client: Any) -> None:
    root_arn = create_active_root(client)
    with time_machine.travel(NOW, tick=False):
        created = _report(client, root_arn, bucket="another-bucket")

    described = client.describe_certificate_authority_audit_report(
        CertificateAuthorityArn=root_arn, AuditReportId=created["AuditReportId"]
    )

    assert {key: described[key] for key in ("AuditReportStatus", "S3BucketName", "S3Key", "CreatedAt")} == {
        "AuditReportStatus": "SUCCESS",
        "S3BucketName": "another-bucket",
        "S3Key": created["S3Key"],
        "CreatedAt": NOW,
    }


def test_audit_report_created_waiter_succeeds_without_sleeping(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    root_arn = create_active_root(client)
    report_id = _report(client, root_arn)["AuditReportId"]

    def no_sleep(seconds: float) -> None:
        raise AssertionError(f"the waiter slept {seconds} s: the report was not SUCCESS on the first poll")

    monkeypatch.setattr(time, "sleep", no_sleep)
    client.get_waiter("audit_report_created").wait(CertificateAuthorityArn=root_arn, AuditReportId=report_id)


def test_describe_works_on_a_deleted_ca(client: Any) -> None:
    root_arn = create_active_root(client)
    report_id = _report(client, root_arn)["AuditReportId"]
    client.update_certificate_authority(CertificateAuthorityArn=root_arn, Status="DISABLED")
    client.delete_certificate_authority(CertificateAuthorityArn=root_arn, PermanentDeletionTimeInDays=7)

    described = client.describe_certificate_authority_audit_report(
        CertificateAuthorityArn=root_arn, AuditReportId=report_id
    )

    assert described["AuditReportStatus"] == "SUCCESS"


# --- one report per 30 minutes ------------------------------------------------------------------


@pytest.mark.parametrize(
    "later",
    [
        pytest.param(timedelta(seconds=0), id="at-once"),
        pytest.param(timedelta(minutes=29, seconds=59), id="one-second-early"),
    ],
)
def test_second_report_within_30_minutes_raises_request_in_progress(
    pca: AcmPcaMock, client: Any, later: timedelta
) -> None:
    with time_machine.travel(NOW, tick=False) as traveller:
        root_arn = create_active_root(client)
        first = _report(client, root_arn)["S3Key"]
        traveller.shift(later)

        with pytest.raises(ClientError) as excinfo:
            _report(client, root_arn, "CSV")

    assert_client_error(
        excinfo,
        "RequestInProgressException",
        f"The certificate authority {root_arn} created an audit report at 2030-01-15T12:00:00+0000; "
        "it can create another from 2030-01-15T12:30:00+0000.",
    )
    assert pca.objects.keys(BUCKET) == [first]


@pytest.mark.parametrize(
    "later",
    [pytest.param(timedelta(minutes=30), id="exactly-30-minutes"), pytest.param(timedelta(days=1), id="a-day")],
)
def test_new_report_is_allowed_30_minutes_after_the_last(pca: AcmPcaMock, client: Any, later: timedelta) -> None:
    with time_machine.travel(NOW, tick=False) as traveller:
        root_arn = create_active_root(client)
        first = _report(client, root_arn)
        traveller.shift(later)

        second = _report(client, root_arn, "CSV")

    assert second["AuditReportId"] != first["AuditReportId"]
    assert pca.objects.keys(BUCKET) == sorted([first["S3Key"], second["S3Key"]])


def test_refused_report_does_not_restart_the_window(client: Any) -> None:
    with time_machine.travel(NOW, tick=False) as traveller:
        root_arn = create_active_root(client)
        _report(client, root_arn)
        traveller.shift(timedelta(minutes=20))
        with pytest.raises(ClientError):
            _report(client, root_arn)
        traveller.shift(timedelta(minutes=10))

        assert _report(client, root_arn)["S3Key"]


def test_the_window_is_per_ca(client: Any) -> None:
    first_arn = create_active_root(client)
    second_arn = create_active_root(client)

    _report(client, first_arn)

    assert _report(client, second_arn)["S3Key"].startswith(f"audit-report/{_ca_id(second_arn)}/")


# --- states ----------------------------------------------------------------------------------------


def _pending(client: Any, traveller: Any) -> str:
    return create_ca(client)


def _deleted(client: Any, traveller: Any) -> str:
    arn = create_active_root(client)
    client.update_certificate_authority(CertificateAuthorityArn=arn, Status="DISABLED")
    client.delete_certificate_authority(CertificateAuthorityArn=arn, PermanentDeletionTimeInDays=7)
    return arn


def _expired(client: Any, traveller: Any) -> str:
    arn = create_active_root(client, years=1)
    traveller.shift(timedelta(days=400))
    return arn


@pytest.mark.parametrize(
    ("make", "state"),
    [
        pytest.param(_pending, "PENDING_CERTIFICATE", id="pending-certificate"),
        pytest.param(_deleted, "DELETED", id="deleted"),
        pytest.param(_expired, "EXPIRED", id="expired"),
    ],
)
def test_ca_not_active_or_disabled_raises_invalid_state_and_writes_nothing(
    pca: AcmPcaMock, client: Any, make: Callable[[Any, Any], str], state: str
) -> None:
    with time_machine.travel(NOW, tick=False) as traveller:
        arn = make(client, traveller)

        with pytest.raises(ClientError) as excinfo:
            _report(client, arn)

    assert_client_error(
        excinfo,
        "InvalidStateException",
        f"The certificate authority must be in the ACTIVE or DISABLED state to create an audit report; "
        f"it is in the {state} state.",
    )
    assert pca.objects.buckets() == []


def test_disabled_ca_can_create_a_report(pca: AcmPcaMock, client: Any) -> None:
    root_arn = create_active_root(client)
    client.update_certificate_authority(CertificateAuthorityArn=root_arn, Status="DISABLED")

    key = _report(client, root_arn)["S3Key"]

    assert len(_json_report(pca, key)) == 1


# --- unknown resources, validation -------------------------------------------------------------------


def test_unknown_report_id_raises_resource_not_found(client: Any) -> None:
    root_arn = create_active_root(client)
    _report(client, root_arn)
    unknown = str(uuid.uuid4())

    with pytest.raises(ClientError) as excinfo:
        client.describe_certificate_authority_audit_report(CertificateAuthorityArn=root_arn, AuditReportId=unknown)

    assert_client_error(
        excinfo,
        "ResourceNotFoundException",
        f"Could not find audit report {unknown} for certificate authority {root_arn}.",
    )


def test_report_id_of_another_ca_raises_resource_not_found(client: Any) -> None:
    first_arn = create_active_root(client)
    second_arn = create_active_root(client)
    report_id = _report(client, first_arn)["AuditReportId"]

    with pytest.raises(ClientError) as excinfo:
        client.describe_certificate_authority_audit_report(CertificateAuthorityArn=second_arn, AuditReportId=report_id)

    assert_client_error(
        excinfo,
        "ResourceNotFoundException",
        f"Could not find audit report {report_id} for certificate authority {second_arn}.",
    )


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda client, arn: _report(client, arn), id="create"),
        pytest.param(
            lambda client, arn: client.describe_certificate_authority_audit_report(
                CertificateAuthorityArn=arn, AuditReportId=str(uuid.uuid4())
            ),
            id="describe",
        ),
    ],
)
def test_unknown_ca_raises_resource_not_found(pca: AcmPcaMock, client: Any, call: Callable[[Any, str], Any]) -> None:
    arn = f"arn:aws:acm-pca:us-east-1:{ACCOUNT}:certificate-authority/{uuid.uuid4()}"

    with pytest.raises(ClientError) as excinfo:
        call(client, arn)

    assert_client_error(excinfo, "ResourceNotFoundException", f"Could not find certificate authority with arn {arn}.")
    assert pca.objects.buckets() == []


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        pytest.param(
            {"AuditReportResponseFormat": "XML"},
            "1 validation error detected: Value 'XML' at 'auditReportResponseFormat' failed to satisfy constraint: "
            f"Member must satisfy enum value set: {enum_set('AuditReportResponseFormat')}",
            id="format-not-in-enum",
        ),
        pytest.param(
            {"S3BucketName": "b" * 64},
            f"1 validation error detected: Value '{'b' * 64}' at 's3BucketName' failed to satisfy constraint: "
            "Member must have length less than or equal to 63",
            id="bucket-name-too-long",
        ),
    ],
)
def test_create_arguments_outside_the_model_raise_validation_exception(
    pca: AcmPcaMock, client: Any, arguments: dict[str, str], message: str
) -> None:
    root_arn = create_active_root(client)
    request = {"CertificateAuthorityArn": root_arn, "S3BucketName": BUCKET, "AuditReportResponseFormat": "JSON"}

    with pytest.raises(ClientError) as excinfo:
        client.create_certificate_authority_audit_report(**{**request, **arguments})

    assert_client_error(excinfo, "ValidationException", message)
    assert pca.objects.buckets() == []
    # A refused request does not count toward the 30-minute limit.
    assert _report(client, root_arn)["S3Key"]


def test_malformed_report_id_raises_validation_exception(client: Any) -> None:
    root_arn = create_active_root(client)

    with pytest.raises(ClientError) as excinfo:
        client.describe_certificate_authority_audit_report(CertificateAuthorityArn=root_arn, AuditReportId="X" * 36)

    assert_client_error(
        excinfo,
        "ValidationException",
        f"1 validation error detected: Value '{'X' * 36}' at 'auditReportId' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: "
        "[a-z0-9]{8}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{12}",
    )


# --- buckets that cannot be written -------------------------------------------------------------------


def test_bucket_that_cannot_be_written_fails_like_a_crl_bucket_and_writes_nothing(
    pca: AcmPcaMock, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only moto's S3 can lack a bucket (see test_moto_together.py); stand in for it here.
    root_arn = create_active_root(client)
    monkeypatch.setattr(STORE, "bucket_exists", lambda bucket, region: bucket != BUCKET)

    with pytest.raises(ClientError) as excinfo:
        _report(client, root_arn)

    assert_client_error(
        excinfo,
        "ValidationException",
        f"Permission error with your S3 bucket '{BUCKET}'. Check that your bucket policy, encryption settings, "
        "S3 Block Public Access settings, and global account permissions are configured correctly. For more "
        "information, check the service documentation.",
    )
    assert pca.objects.buckets() == []
    # The refused request did not start the 30-minute window.
    assert _report(client, root_arn, bucket="writable-bucket")["S3Key"]
