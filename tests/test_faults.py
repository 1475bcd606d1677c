"""Fault injection (``mock.fail``) and AWS's request-rate quotas (``rate_limits=True``).

Injected errors travel over the wire exactly as AWS sends them, so botocore's
retry modes react as in production: throttling and 5xx answers are retried,
RequestFailedException and ConcurrentModificationException are not. Note that
``Config(retries={"max_attempts": N})`` counts retries (N + 1 attempts in all)
while ``total_max_attempts`` counts attempts. Backoff sleeps are recorded, not
slept, so nothing here waits.
"""

from __future__ import annotations

import itertools
import re
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import botocore.retries.bucket
import pytest
import time_machine
from botocore.config import Config
from botocore.exceptions import ClientError

import pca_mock.errors
from pca_mock import AcmPcaMock, mock_acmpca
from pca_mock.errors import ServiceError
from pca_mock.service.throttling import RATE_QUOTAS
from tests.helpers import assert_client_error, create_active_root, create_ca, issue, make_csr

REGION = "us-east-1"
NOW = datetime(2031, 2, 3, 4, 5, 6, tzinfo=timezone.utc)
NO_RETRIES = Config(retries={"mode": "standard", "total_max_attempts": 1})


@pytest.fixture(autouse=True)
def backoff(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """botocore's retry backoff, recorded instead of slept."""
    slept: list[float] = []
    monkeypatch.setattr("time.sleep", slept.append)
    # Adaptive mode also waits on a client-side token bucket; let its clock run
    # ten seconds per reading so the bucket is always refilled.
    readings = itertools.count(step=10.0)
    monkeypatch.setattr(botocore.retries.bucket.Clock, "current_time", lambda self: next(readings))
    return slept


def _client(**retries: Any) -> Any:
    config = Config(retries=retries) if retries else NO_RETRIES  # type: ignore[arg-type]
    return boto3.client("acm-pca", region_name=REGION, config=config)


def _ca_count(client: Any) -> int:
    return len(client.list_certificate_authorities()["CertificateAuthorities"])


def _error(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, str, int, int]:
    response = excinfo.value.response
    metadata = response["ResponseMetadata"]
    return (
        response["Error"]["Code"],
        response["Error"]["Message"],
        metadata["HTTPStatusCode"],
        metadata["RetryAttempts"],
    )


# --- botocore's retry modes -------------------------------------------------------------


@pytest.mark.parametrize("mode", ["standard", "legacy", "adaptive"])
@pytest.mark.parametrize(
    "attempts",
    [pytest.param({"max_attempts": 2}, id="max_attempts-2"), pytest.param({"total_max_attempts": 3}, id="total-3")],
)
def test_two_injected_throttles_are_retried_and_the_call_succeeds(
    pca: AcmPcaMock, backoff: list[float], mode: str, attempts: dict[str, int]
) -> None:
    client = _client(mode=mode, **attempts)
    pca.fail("CreateCertificateAuthority", "ThrottlingException", times=2)
    create_ca(client)
    assert _ca_count(client) == 1
    assert len(backoff) == 2


@pytest.mark.parametrize("mode", ["standard", "legacy", "adaptive"])
@pytest.mark.parametrize(
    "attempts",
    [pytest.param({"max_attempts": 1}, id="max_attempts-1"), pytest.param({"total_max_attempts": 2}, id="total-2")],
)
def test_throttling_beyond_the_attempts_reaches_the_caller_after_one_retry(
    pca: AcmPcaMock, mode: str, attempts: dict[str, int]
) -> None:
    client = _client(mode=mode, **attempts)
    pca.fail("CreateCertificateAuthority", "ThrottlingException", times=2)
    with pytest.raises(ClientError) as excinfo:
        create_ca(client)
    assert _error(excinfo) == ("ThrottlingException", "Rate exceeded", 400, 1)
    assert _ca_count(client) == 0


@pytest.mark.parametrize("mode", ["standard", "legacy"])
@pytest.mark.parametrize("code", ["RequestFailedException", "ConcurrentModificationException"])
def test_errors_botocore_does_not_consider_transient_are_not_retried(pca: AcmPcaMock, mode: str, code: str) -> None:
    client = _client(mode=mode, total_max_attempts=5)
    ca_arn = create_active_root(client)
    serial = issue(client, ca_arn, make_csr())["CertificateArn"].rsplit("/", 1)[1]
    revoke = {"CertificateAuthorityArn": ca_arn, "CertificateSerial": serial, "RevocationReason": "SUPERSEDED"}
    pca.fail("RevokeCertificate", code)
    with pytest.raises(ClientError) as excinfo:
        client.revoke_certificate(**revoke)
    assert _error(excinfo) == (code, f"{code} injected by pca_mock for RevokeCertificate.", 400, 0)
    # The failed call never ran (the certificate is not revoked yet); the next one does.
    client.revoke_certificate(**revoke)


@pytest.mark.parametrize(("code", "status"), [("InternalFailure", 500), ("ServiceUnavailable", 503)])
def test_injected_server_errors_carry_their_5xx_status_and_are_retried(pca: AcmPcaMock, code: str, status: int) -> None:
    pca.fail("ListCertificateAuthorities", code, times=3)
    client = _client(mode="standard", total_max_attempts=3)
    with pytest.raises(ClientError) as excinfo:
        client.list_certificate_authorities()
    assert _error(excinfo) == (code, f"{code} injected by pca_mock for ListCertificateAuthorities.", status, 2)
    assert client.list_certificate_authorities()["CertificateAuthorities"] == []


def test_standard_mode_retries_limit_exceeded_as_throttling_as_against_aws(pca: AcmPcaMock) -> None:
    # botocore's standard mode counts LimitExceededException among throttling codes.
    pca.fail("CreateCertificateAuthority", "LimitExceededException")
    client = _client(mode="standard", total_max_attempts=2)
    create_ca(client)
    assert _ca_count(client) == 1


# --- what fail() injects ---------------------------------------------------------------


def test_a_fault_reaches_the_code_as_the_modelled_exception_and_leaves_state_unchanged(pca: AcmPcaMock) -> None:
    client = _client()
    pca.fail("CreateCertificateAuthority", pca_mock.errors.LimitExceededException, message="Too many CAs.")
    with pytest.raises(client.exceptions.LimitExceededException) as excinfo:
        create_ca(client)
    assert_client_error(excinfo, "LimitExceededException", "Too many CAs.")
    assert _ca_count(client) == 0


def test_faults_of_an_operation_are_used_in_the_order_planned_and_only_by_it(pca: AcmPcaMock) -> None:
    client = _client()
    pca.fail("ListCertificateAuthorities", "ThrottlingException")
    pca.fail("ListCertificateAuthorities", "AccessDeniedException", times=2)
    create_ca(client)  # another operation: untouched
    codes = []
    for _ in range(4):
        try:
            client.list_certificate_authorities()
            codes.append("ok")
        except ClientError as error:
            codes.append(error.response["Error"]["Code"])
    assert codes == ["ThrottlingException", "AccessDeniedException", "AccessDeniedException", "ok"]


def test_reset_forgets_planned_faults(pca: AcmPcaMock) -> None:
    pca.fail("ListCertificateAuthorities", "ThrottlingException")
    pca.reset()
    assert _client().list_certificate_authorities()["CertificateAuthorities"] == []


def test_faults_do_not_outlive_the_mock() -> None:
    with mock_acmpca() as pca:
        pca.fail("ListCertificateAuthorities", "ThrottlingException")
    with mock_acmpca():
        assert _client().list_certificate_authorities()["CertificateAuthorities"] == []


class _NotAnAwsError(ServiceError):
    pass


@pytest.mark.parametrize(
    ("operation", "error", "times", "message"),
    [
        pytest.param(
            "IssueCertificates",
            "ThrottlingException",
            1,
            "'IssueCertificates' is not an acm-pca operation; use one of: CreateCertificateAuthority, ",
            id="unknown-operation",
        ),
        pytest.param(
            "ListTags",
            "MalformedCSRException",
            1,
            "AWS does not answer ListTags with 'MalformedCSRException'; it may answer with: AccessDeniedException, "
            "InternalFailure, InvalidArnException, InvalidStateException, RequestFailedException, "
            "ResourceNotFoundException, ServiceUnavailable, ThrottlingException, ValidationException.",
            id="error-not-of-the-operation",
        ),
        pytest.param("ListTags", "Boom", 1, "AWS does not answer ListTags with 'Boom'", id="unknown-code"),
        pytest.param(
            "ListTags", _NotAnAwsError, 1, "AWS does not answer ListTags with <class", id="class-not-from-pca-mock"
        ),
        pytest.param("ListTags", "ThrottlingException", 0, "times must be a positive integer, not 0.", id="zero"),
    ],
)
def test_fail_refuses_what_aws_would_never_answer(
    pca: AcmPcaMock, operation: str, error: Any, times: int, message: str
) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}"):
        pca.fail(operation, error, times=times)


def test_fail_names_every_operation_when_the_name_is_unknown(pca: AcmPcaMock) -> None:
    with pytest.raises(ValueError, match="is not an acm-pca operation") as excinfo:
        pca.fail("Issue", "ThrottlingException")
    assert all(operation in str(excinfo.value) for operation in RATE_QUOTAS)


# --- rate limits ---------------------------------------------------------------------------


def test_rate_limits_are_off_by_default(pca: AcmPcaMock) -> None:
    client = _client()
    with time_machine.travel(NOW, tick=False):
        for _ in range(RATE_QUOTAS["CreateCertificateAuthority"] + 2):
            create_ca(client)


def test_rate_limits_throttle_beyond_the_quota_within_one_second_per_account_and_region() -> None:
    with time_machine.travel(NOW, tick=False) as traveller, mock_acmpca(rate_limits=True):
        client = _client()
        quota = RATE_QUOTAS["ListCertificateAuthorities"]
        for _ in range(quota):
            client.list_certificate_authorities()
        with pytest.raises(ClientError) as excinfo:
            client.list_certificate_authorities()
        assert _error(excinfo) == ("ThrottlingException", "Rate exceeded", 400, 0)
        # Other operations, regions and accounts have their own quota.
        create_ca(client)
        boto3.client("acm-pca", region_name="eu-west-1", config=NO_RETRIES).list_certificate_authorities()
        boto3.client(
            "acm-pca",
            region_name=REGION,
            config=NO_RETRIES,
            aws_access_key_id="210987654321",
            aws_secret_access_key="secret",
        ).list_certificate_authorities()

        traveller.shift(timedelta(milliseconds=999))
        with pytest.raises(ClientError):
            client.list_certificate_authorities()
        traveller.shift(timedelta(milliseconds=1))
        client.list_certificate_authorities()


def test_throttled_requests_do_not_count_against_the_quota() -> None:
    with time_machine.travel(NOW, tick=False) as traveller, mock_acmpca(rate_limits=True):
        client = _client()
        create_ca(client)
        for _ in range(3):
            with pytest.raises(ClientError):
                create_ca(client)
        traveller.shift(timedelta(seconds=1))
        create_ca(client)
        assert _ca_count(client) == 2
