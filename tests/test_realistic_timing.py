"""mock_acmpca(realistic_timing=...): AWS's asynchronous work takes time, and waiters skip it.

By default a new CA is PENDING_CERTIFICATE and a certificate retrievable as
soon as the request returns. With realistic timing they are not (reference
§1.1, §1.2), so code that forgets the waiters (§12) fails with
RequestInProgressException as in production, and code that uses them passes
without sleeping: under the mock an acm-pca waiter's sleep moves the service
clock instead of the wall clock.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import botocore.waiter
import pytest
import time_machine
from botocore.exceptions import ClientError, WaiterError
from botocore.stub import Stubber

from pca_mock import RealisticTiming, mock_acmpca
from pca_mock.service.context import utcnow
from tests.helpers import ROOT_TEMPLATE, assert_client_error, ca_configuration, create_ca, make_csr

NOW = datetime(2031, 6, 1, 8, 0, 0, tzinfo=timezone.utc)
REGION = "us-east-1"
BUCKET = "pca-mock-audit-bucket"


@pytest.fixture
def no_real_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Fails any test whose acm-pca waiter would sleep in real time; records other sleeps."""
    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)
    return slept


@pytest.fixture
def realistic() -> Iterator[Any]:
    """A mock with the default realistic timing, on a clock frozen at NOW."""
    with time_machine.travel(NOW, tick=False), mock_acmpca(realistic_timing=True):
        yield boto3.client("acm-pca", region_name=REGION)


def _describe(client: Any, ca_arn: str) -> dict[str, Any]:
    ca: dict[str, Any] = client.describe_certificate_authority(CertificateAuthorityArn=ca_arn)["CertificateAuthority"]
    return ca


def _self_sign(client: Any, ca_arn: str) -> str:
    """Issue a pending root's own certificate; returns its ARN (not yet retrievable)."""
    csr = client.get_certificate_authority_csr(CertificateAuthorityArn=ca_arn)["Csr"]
    arn: str = client.issue_certificate(
        CertificateAuthorityArn=ca_arn,
        Csr=csr,
        SigningAlgorithm="SHA256WITHECDSA",
        Validity={"Type": "YEARS", "Value": 10},
        TemplateArn=ROOT_TEMPLATE,
    )["CertificateArn"]
    return arn


def _activate_with_waiters(client: Any, ca_arn: str) -> None:
    """The documented activation flow, waiting where AWS needs it."""
    client.get_waiter("certificate_authority_csr_created").wait(CertificateAuthorityArn=ca_arn)
    cert_arn = _self_sign(client, ca_arn)
    client.get_waiter("certificate_issued").wait(CertificateAuthorityArn=ca_arn, CertificateArn=cert_arn)
    certificate = client.get_certificate(CertificateAuthorityArn=ca_arn, CertificateArn=cert_arn)["Certificate"]
    client.import_certificate_authority_certificate(CertificateAuthorityArn=ca_arn, Certificate=certificate)


# --- off by default ---------------------------------------------------------------------


def test_without_realistic_timing_a_new_ca_is_pending_at_once(client: Any) -> None:
    ca_arn = create_ca(client)
    assert _describe(client, ca_arn)["Status"] == "PENDING_CERTIFICATE"
    cert_arn = _self_sign(client, ca_arn)
    assert client.get_certificate(CertificateAuthorityArn=ca_arn, CertificateArn=cert_arn)["Certificate"]


def test_realistic_timing_defaults_are_five_one_and_three_seconds() -> None:
    assert RealisticTiming() == RealisticTiming(
        ca_creation=timedelta(seconds=5),
        certificate_issuance=timedelta(seconds=1),
        audit_report=timedelta(seconds=3),
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param(
            {"ca_creation": timedelta(seconds=-1)},
            "RealisticTiming.ca_creation must be a timedelta of zero or more, not datetime.timedelta(days=-1, seconds=86399).",
            id="negative",
        ),
        pytest.param(
            {"certificate_issuance": 1},
            "RealisticTiming.certificate_issuance must be a timedelta of zero or more, not 1.",
            id="not-a-timedelta",
        ),
    ],
)
def test_realistic_timing_refuses_delays_that_are_not_durations(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match="RealisticTiming") as excinfo:
        RealisticTiming(**kwargs)
    assert excinfo.value.args == (message,)


def test_realistic_timing_option_must_be_a_bool_or_a_realistic_timing() -> None:
    with pytest.raises(TypeError) as excinfo:
        mock_acmpca(realistic_timing="yes")  # type: ignore[call-overload]
    assert excinfo.value.args == ("realistic_timing must be a bool or a RealisticTiming, not str.",)


# --- CREATING ---------------------------------------------------------------------------


def test_a_new_ca_reads_creating_until_its_key_and_csr_are_ready(realistic: Any) -> None:
    ca_arn = create_ca(realistic)
    creating = _describe(realistic, ca_arn)
    assert (creating["Status"], creating["CreatedAt"], creating["LastStateChangeAt"]) == ("CREATING", NOW, NOW)
    with pytest.raises(ClientError) as excinfo:
        realistic.get_certificate_authority_csr(CertificateAuthorityArn=ca_arn)
    assert_client_error(
        excinfo, "RequestInProgressException", f"The certificate signing request for {ca_arn} is still being created."
    )

    with time_machine.travel(NOW + timedelta(seconds=5), tick=False):
        pending = _describe(realistic, ca_arn)
        assert (pending["Status"], pending["LastStateChangeAt"]) == ("PENDING_CERTIFICATE", NOW + timedelta(seconds=5))
        assert realistic.get_certificate_authority_csr(CertificateAuthorityArn=ca_arn)["Csr"]


@pytest.mark.parametrize(
    ("call", "code", "message"),
    [
        pytest.param(
            lambda client, arn: client.import_certificate_authority_certificate(
                CertificateAuthorityArn=arn, Certificate=b"-----BEGIN CERTIFICATE-----"
            ),
            "RequestInProgressException",
            "The certificate authority {arn} is still being created.",
            id="import",
        ),
        pytest.param(
            lambda client, arn: client.issue_certificate(
                CertificateAuthorityArn=arn,
                Csr=make_csr(),
                SigningAlgorithm="SHA256WITHECDSA",
                Validity={"Type": "DAYS", "Value": 1},
            ),
            "InvalidStateException",
            "The certificate authority is not in a valid state for issuing certificates",
            id="issue",
        ),
        pytest.param(
            lambda client, arn: client.update_certificate_authority(CertificateAuthorityArn=arn, Status="DISABLED"),
            "InvalidStateException",
            "The certificate authority must be in the ACTIVE or DISABLED state to be updated",
            id="update",
        ),
        pytest.param(
            lambda client, arn: client.get_certificate_authority_certificate(CertificateAuthorityArn=arn),
            "InvalidStateException",
            "The certificate authority {arn} is not in the correct state to have a certificate signing request.",
            id="get-ca-certificate",
        ),
    ],
)
def test_a_creating_ca_follows_the_creating_row_of_the_capability_table(
    realistic: Any, call: Any, code: str, message: str
) -> None:
    ca_arn = create_ca(realistic)
    with pytest.raises(ClientError) as excinfo:
        call(realistic, ca_arn)
    assert_client_error(excinfo, code, message.format(arn=ca_arn))


def test_a_ca_deleted_while_creating_is_gone_at_once(realistic: Any) -> None:
    ca_arn = create_ca(realistic)
    realistic.delete_certificate_authority(CertificateAuthorityArn=ca_arn)
    with pytest.raises(ClientError) as excinfo:
        _describe(realistic, ca_arn)
    assert_client_error(
        excinfo, "ResourceNotFoundException", f"Could not find certificate authority with arn {ca_arn}."
    )


# --- certificates and audit reports ------------------------------------------------------


def test_a_certificate_is_not_retrievable_or_revocable_until_issued(realistic: Any) -> None:
    ca_arn = create_ca(realistic)
    with time_machine.travel(NOW + timedelta(seconds=5), tick=False) as traveller:
        cert_arn = _self_sign(realistic, ca_arn)
        with pytest.raises(ClientError) as excinfo:
            realistic.get_certificate(CertificateAuthorityArn=ca_arn, CertificateArn=cert_arn)
        assert_client_error(excinfo, "RequestInProgressException", f"The certificate {cert_arn} is still being issued.")
        traveller.shift(timedelta(seconds=1))
        certificate = realistic.get_certificate(CertificateAuthorityArn=ca_arn, CertificateArn=cert_arn)["Certificate"]
        realistic.import_certificate_authority_certificate(CertificateAuthorityArn=ca_arn, Certificate=certificate)

        leaf_arn = realistic.issue_certificate(
            CertificateAuthorityArn=ca_arn,
            Csr=make_csr(),
            SigningAlgorithm="SHA256WITHECDSA",
            Validity={"Type": "DAYS", "Value": 1},
        )["CertificateArn"]
        serial = leaf_arn.rsplit("/", 1)[1]
        with pytest.raises(ClientError) as excinfo:
            realistic.revoke_certificate(
                CertificateAuthorityArn=ca_arn, CertificateSerial=serial, RevocationReason="SUPERSEDED"
            )
        assert_client_error(
            excinfo, "RequestInProgressException", f"The certificate with serial {serial} is still being issued."
        )


def test_waiters_carry_a_ca_through_activation_without_sleeping(realistic: Any, no_real_sleep: list[float]) -> None:
    ca_arn = create_ca(realistic)
    _activate_with_waiters(realistic, ca_arn)
    assert _describe(realistic, ca_arn)["Status"] == "ACTIVE"
    assert no_real_sleep == []
    # CSRCreated polled at 0 s and 3 s (not ready), 6 s; CertificateIssued at 6 s, then 7 s.
    assert utcnow() == NOW + timedelta(seconds=7)


def test_an_audit_report_reads_creating_until_the_waiter_sees_it_succeed(
    realistic: Any, no_real_sleep: list[float]
) -> None:
    ca_arn = create_ca(realistic)
    _activate_with_waiters(realistic, ca_arn)
    report_id = realistic.create_certificate_authority_audit_report(
        CertificateAuthorityArn=ca_arn, S3BucketName=BUCKET, AuditReportResponseFormat="JSON"
    )["AuditReportId"]
    describe = {"CertificateAuthorityArn": ca_arn, "AuditReportId": report_id}
    assert realistic.describe_certificate_authority_audit_report(**describe)["AuditReportStatus"] == "CREATING"
    realistic.get_waiter("audit_report_created").wait(**describe)
    assert realistic.describe_certificate_authority_audit_report(**describe)["AuditReportStatus"] == "SUCCESS"
    assert no_real_sleep == []


def test_a_waiter_gives_up_after_its_attempts_as_against_aws(no_real_sleep: list[float]) -> None:
    # CertificateAuthorityCSRCreated polls 60 times, 3 s apart: 177 s of CREATING is the most it outlasts.
    slow = RealisticTiming(ca_creation=timedelta(seconds=178))
    with time_machine.travel(NOW, tick=False), mock_acmpca(realistic_timing=slow):
        client = boto3.client("acm-pca", region_name=REGION)
        ca_arn = create_ca(client)
        with pytest.raises(WaiterError, match="Max attempts exceeded"):
            client.get_waiter("certificate_authority_csr_created").wait(CertificateAuthorityArn=ca_arn)
        assert utcnow() == NOW + timedelta(seconds=177)
    assert no_real_sleep == []


def test_code_that_forgets_the_waiter_fails_as_in_production(realistic: Any) -> None:
    ca_arn = realistic.create_certificate_authority(
        CertificateAuthorityConfiguration=ca_configuration(), CertificateAuthorityType="ROOT"
    )["CertificateAuthorityArn"]
    with pytest.raises(realistic.exceptions.RequestInProgressException):
        realistic.get_certificate_authority_csr(CertificateAuthorityArn=ca_arn)


# --- the waiter patch's reach ------------------------------------------------------------


def test_another_services_waiter_still_sleeps_for_real(realistic: Any, no_real_sleep: list[float]) -> None:
    acm = boto3.client("acm", region_name=REGION)
    arn = f"arn:aws:acm:{REGION}:123456789012:certificate/12345678-1234-1234-1234-123456789012"
    with Stubber(acm) as stubber:
        for status in ("PENDING_VALIDATION", "SUCCESS"):
            stubber.add_response(
                "describe_certificate",
                {
                    "Certificate": {
                        "CertificateArn": arn,
                        "DomainValidationOptions": [{"DomainName": "example.com", "ValidationStatus": status}],
                    }
                },
            )
        acm.get_waiter("certificate_validated").wait(CertificateArn=arn)
    assert no_real_sleep == [60]
    assert utcnow() == NOW


def test_waiters_get_their_time_module_back_and_the_clock_is_reset_when_the_mock_stops(
    no_real_sleep: list[float],
) -> None:
    with time_machine.travel(NOW, tick=False):
        with mock_acmpca(realistic_timing=True):
            assert botocore.waiter.time is not time  # type: ignore[attr-defined]
            client = boto3.client("acm-pca", region_name=REGION)
            client.get_waiter("certificate_authority_csr_created").wait(CertificateAuthorityArn=create_ca(client))
            assert utcnow() == NOW + timedelta(seconds=6)
        assert botocore.waiter.time is time  # type: ignore[attr-defined]
        assert utcnow() == NOW


def test_nested_mocks_use_the_innermost_timing(no_real_sleep: list[float]) -> None:
    with time_machine.travel(NOW, tick=False), mock_acmpca():
        client = boto3.client("acm-pca", region_name=REGION)
        with mock_acmpca(realistic_timing=True):
            assert _describe(client, create_ca(client))["Status"] == "CREATING"
        assert _describe(client, create_ca(client))["Status"] == "PENDING_CERTIFICATE"
