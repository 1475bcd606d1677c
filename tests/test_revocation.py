"""RevokeCertificate (reference §7.1)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import time_machine
from botocore.exceptions import ClientError

from pca_mock.service.models import IssuedCertificate
from tests.helpers import (
    assert_client_error,
    backend_ca,
    create_active_root,
    create_ca,
    enum_set,
    issue,
    load_certificate,
    make_csr,
)

NOW = datetime(2030, 1, 15, 12, 0, 0, tzinfo=timezone.utc)
REASONS = [
    "UNSPECIFIED",
    "KEY_COMPROMISE",
    "CERTIFICATE_AUTHORITY_COMPROMISE",
    "AFFILIATION_CHANGED",
    "SUPERSEDED",
    "CESSATION_OF_OPERATION",
    "PRIVILEGE_WITHDRAWN",
    "A_A_COMPROMISE",
]


# --- local helpers ----------------------------------------------------------------------


def _issue_leaf(client: Any, ca_arn: str, days: int = 30) -> tuple[str, int]:
    """A leaf certificate's ARN and serial."""
    response = issue(client, ca_arn, make_csr(), validity={"Type": "DAYS", "Value": days})
    return response["CertificateArn"], load_certificate(response["Certificate"]).serial_number


def _record(ca_arn: str, serial: int) -> IssuedCertificate:
    """The backend's record of a certificate.

    Revocation has no read-back operation (CRLs and audit reports are not
    modelled yet), so whether a revocation happened is checked here.
    """
    record: IssuedCertificate = backend_ca(ca_arn).certificates[serial]
    return record


def _revoke(client: Any, ca_arn: str, serial: str, reason: str = "KEY_COMPROMISE") -> None:
    client.revoke_certificate(CertificateAuthorityArn=ca_arn, CertificateSerial=serial, RevocationReason=reason)


def _colon_hex(serial: int) -> str:
    return ":".join(f"{byte:02x}" for byte in serial.to_bytes(16, "big"))


def _status(client: Any, ca_arn: str) -> str:
    status: str = client.describe_certificate_authority(CertificateAuthorityArn=ca_arn)["CertificateAuthority"][
        "Status"
    ]
    return status


# --- serial formats, reasons, retrieval ------------------------------------------------------


@pytest.mark.parametrize(
    "render",
    [
        pytest.param(lambda s: f"{s:032x}", id="lowercase-as-in-the-arn"),
        pytest.param(lambda s: f"{s:032X}", id="uppercase"),
        pytest.param(lambda s: f"{s:x}", id="without-leading-zeros"),
        pytest.param(lambda s: f"00{s:032x}", id="with-extra-leading-zeros"),
        pytest.param(_colon_hex, id="colon-separated-lowercase"),
        pytest.param(lambda s: _colon_hex(s).upper(), id="colon-separated-uppercase"),
        pytest.param(lambda s: _colon_hex(s).title(), id="colon-separated-mixed-case"),
    ],
)
def test_serial_is_accepted_as_hex_with_or_without_colons_in_any_case(client: Any, render: Any) -> None:
    root_arn = create_active_root(client)
    _, serial = _issue_leaf(client, root_arn)

    _revoke(client, root_arn, render(serial))

    assert _record(root_arn, serial).revocation_reason == "KEY_COMPROMISE"


@pytest.mark.parametrize("reason", REASONS)
def test_every_revocation_reason_is_accepted_and_recorded(client: Any, reason: str) -> None:
    with time_machine.travel(NOW, tick=False):
        root_arn = create_active_root(client)
        _, serial = _issue_leaf(client, root_arn)

        _revoke(client, root_arn, f"{serial:032x}", reason)

    record = _record(root_arn, serial)
    assert (record.revocation_reason, record.revoked_at) == (reason, NOW)


def test_revoked_certificate_is_still_returned_by_get_certificate(client: Any) -> None:
    root_arn = create_active_root(client)
    response = issue(client, root_arn, make_csr())
    serial = load_certificate(response["Certificate"]).serial_number

    _revoke(client, root_arn, f"{serial:032x}")

    after = client.get_certificate(CertificateAuthorityArn=root_arn, CertificateArn=response["CertificateArn"])
    assert (after["Certificate"], after["CertificateChain"]) == (
        response["Certificate"],
        response["CertificateChain"],
    )


def test_revoking_one_certificate_leaves_the_others_alone(client: Any) -> None:
    root_arn = create_active_root(client)
    _, revoked = _issue_leaf(client, root_arn)
    _, kept = _issue_leaf(client, root_arn)

    _revoke(client, root_arn, f"{revoked:x}")

    assert _record(root_arn, kept).revoked_at is None


def test_disabled_ca_can_revoke(client: Any) -> None:
    root_arn = create_active_root(client)
    _, serial = _issue_leaf(client, root_arn)
    client.update_certificate_authority(CertificateAuthorityArn=root_arn, Status="DISABLED")

    _revoke(client, root_arn, f"{serial:x}", "SUPERSEDED")

    assert _record(root_arn, serial).revocation_reason == "SUPERSEDED"
    assert _status(client, root_arn) == "DISABLED"


def test_certificate_expiring_now_can_still_be_revoked(client: Any) -> None:
    with time_machine.travel(NOW, tick=False) as traveller:
        root_arn = create_active_root(client)
        _, serial = _issue_leaf(client, root_arn, days=1)
        traveller.shift(timedelta(days=1))

        _revoke(client, root_arn, f"{serial:x}")

    assert _record(root_arn, serial).revoked_at == NOW + timedelta(days=1)


# --- errors --------------------------------------------------------------------------------


def test_second_revoke_raises_request_already_processed_and_keeps_the_first_reason(client: Any) -> None:
    root_arn = create_active_root(client)
    _, serial = _issue_leaf(client, root_arn)
    _revoke(client, root_arn, f"{serial:x}", "KEY_COMPROMISE")
    first = _record(root_arn, serial).revoked_at
    again = _colon_hex(serial).upper()

    with pytest.raises(ClientError) as excinfo:
        _revoke(client, root_arn, again, "SUPERSEDED")

    assert_client_error(
        excinfo,
        "RequestAlreadyProcessedException",
        f"The certificate with serial {again} has already been revoked.",
    )
    record = _record(root_arn, serial)
    assert (record.revocation_reason, record.revoked_at) == ("KEY_COMPROMISE", first)


def test_unknown_serial_raises_resource_not_found(client: Any) -> None:
    root_arn = create_active_root(client)
    _, serial = _issue_leaf(client, root_arn)
    unknown = f"{serial + 1:x}"

    with pytest.raises(ClientError) as excinfo:
        _revoke(client, root_arn, unknown)

    assert_client_error(
        excinfo,
        "ResourceNotFoundException",
        f"Could not find a certificate with serial {unknown} issued by certificate authority {root_arn}.",
    )
    assert _record(root_arn, serial).revoked_at is None


def test_serial_issued_by_another_ca_raises_resource_not_found(client: Any) -> None:
    issuer = create_active_root(client)
    other = create_active_root(client)
    _, serial = _issue_leaf(client, issuer)

    with pytest.raises(ClientError) as excinfo:
        _revoke(client, other, f"{serial:x}")

    assert_client_error(
        excinfo,
        "ResourceNotFoundException",
        f"Could not find a certificate with serial {serial:x} issued by certificate authority {other}.",
    )
    assert _record(issuer, serial).revoked_at is None


@pytest.mark.parametrize(
    "serial",
    [
        pytest.param("not-a-serial", id="words"),
        pytest.param("0x1f", id="0x-prefix"),
        pytest.param("1f 2e", id="space"),
        pytest.param("1f-2e", id="dash"),
        pytest.param("", id="empty"),
        pytest.param(":", id="only-a-colon"),
    ],
)
def test_non_hex_serial_raises_invalid_request(client: Any, serial: str) -> None:
    root_arn = create_active_root(client)

    with pytest.raises(ClientError) as excinfo:
        _revoke(client, root_arn, serial)

    assert_client_error(
        excinfo, "InvalidRequestException", f"The certificate serial {serial} is not a hexadecimal serial number."
    )


def test_root_cas_own_certificate_cannot_be_revoked(client: Any) -> None:
    root_arn = create_active_root(client)
    pem = client.get_certificate_authority_certificate(CertificateAuthorityArn=root_arn)["Certificate"]
    serial = load_certificate(pem).serial_number

    with pytest.raises(ClientError) as excinfo:
        _revoke(client, root_arn, f"{serial:x}")

    assert_client_error(
        excinfo,
        "InvalidRequestException",
        "A root certificate authority's own certificate cannot be revoked; delete the certificate authority instead.",
    )
    assert _record(root_arn, serial).revoked_at is None
    assert _status(client, root_arn) == "ACTIVE"


def test_expired_certificate_cannot_be_revoked(client: Any) -> None:
    with time_machine.travel(NOW, tick=False) as traveller:
        root_arn = create_active_root(client)
        _, serial = _issue_leaf(client, root_arn, days=1)
        traveller.shift(timedelta(days=1, seconds=1))

        with pytest.raises(ClientError) as excinfo:
            _revoke(client, root_arn, f"{serial:x}")

    assert_client_error(
        excinfo, "InvalidRequestException", f"The certificate with serial {serial:x} has expired and cannot be revoked."
    )
    assert _record(root_arn, serial).revoked_at is None


def test_bad_revocation_reason_raises_validation_exception_with_the_enum_wording(client: Any) -> None:
    root_arn = create_active_root(client)
    _, serial = _issue_leaf(client, root_arn)

    with pytest.raises(ClientError) as excinfo:
        _revoke(client, root_arn, f"{serial:x}", "LOST_LAPTOP")

    assert_client_error(
        excinfo,
        "ValidationException",
        "1 validation error detected: Value 'LOST_LAPTOP' at 'revocationReason' failed to satisfy constraint: "
        f"Member must satisfy enum value set: {enum_set('RevocationReason')}",
    )
    assert _record(root_arn, serial).revoked_at is None


def test_pending_ca_cannot_revoke_even_its_self_issued_certificate(client: Any) -> None:
    root_arn = create_ca(client, "ROOT")
    csr = client.get_certificate_authority_csr(CertificateAuthorityArn=root_arn)["Csr"]
    signed = issue(client, root_arn, csr, template="arn:aws:acm-pca:::template/RootCACertificate/V1")
    serial = load_certificate(signed["Certificate"]).serial_number

    with pytest.raises(ClientError) as excinfo:
        _revoke(client, root_arn, f"{serial:x}")

    assert_client_error(
        excinfo,
        "InvalidStateException",
        "The certificate authority must be in the ACTIVE or DISABLED state to revoke certificates; "
        "it is in the PENDING_CERTIFICATE state.",
    )
    assert _record(root_arn, serial).revoked_at is None
    assert _status(client, root_arn) == "PENDING_CERTIFICATE"


def test_deleted_ca_cannot_revoke_and_its_certificates_stay_unrevoked(client: Any) -> None:
    root_arn = create_active_root(client)
    _, serial = _issue_leaf(client, root_arn)
    client.update_certificate_authority(CertificateAuthorityArn=root_arn, Status="DISABLED")
    client.delete_certificate_authority(CertificateAuthorityArn=root_arn, PermanentDeletionTimeInDays=7)

    with pytest.raises(ClientError) as excinfo:
        _revoke(client, root_arn, f"{serial:x}")

    assert_client_error(
        excinfo,
        "InvalidStateException",
        "The certificate authority must be in the ACTIVE or DISABLED state to revoke certificates; "
        "it is in the DELETED state.",
    )
    assert _status(client, root_arn) == "DELETED"
    # Restored, the CA can still revoke it: the failed call changed nothing.
    client.restore_certificate_authority(CertificateAuthorityArn=root_arn)
    _revoke(client, root_arn, f"{serial:x}")
    assert _record(root_arn, serial).revocation_reason == "KEY_COMPROMISE"


def test_expired_ca_cannot_revoke(client: Any) -> None:
    with time_machine.travel(NOW, tick=False) as traveller:
        root_arn = create_active_root(client, years=1)
        # The leaf expires with its CA (it cannot outlive it); the CA's state is checked first.
        _, serial = _issue_leaf(client, root_arn, days=300)
        traveller.shift(timedelta(days=366))

        with pytest.raises(ClientError) as excinfo:
            _revoke(client, root_arn, f"{serial:x}")

        status = _status(client, root_arn)

    assert_client_error(
        excinfo,
        "InvalidStateException",
        "The certificate authority must be in the ACTIVE or DISABLED state to revoke certificates; "
        "it is in the EXPIRED state.",
    )
    assert status == "EXPIRED"
    assert _record(root_arn, serial).revoked_at is None


def test_unknown_ca_raises_resource_not_found(client: Any) -> None:
    root_arn = create_active_root(client)
    unknown = root_arn[:-12] + "000000000000"

    with pytest.raises(ClientError) as excinfo:
        _revoke(client, unknown, "01")

    assert_client_error(
        excinfo, "ResourceNotFoundException", f"Could not find certificate authority with arn {unknown}."
    )
