"""No state leaks between tests (issue 6: isolation).

Every kind of state the mock keeps is dirtied the same way by one helper, and
one helper checks all of it is gone: CAs in several accounts and regions,
tags, policies, permissions, idempotency records, the object store (CRLs,
audit reports, CustomCname hosts), planned faults, rate-limit windows, the
clock offset waiters add, and the environment. Each way of ending a test's
mock (stop, reset, decorator, unittest class decorator, the pytest fixture,
nested activations) is checked against them. The clock is frozen throughout,
so rate-limit windows and the clock offset are compared exactly.

The basic forms (decorators, nesting, start/stop) are in test_mock.py; this
module adds what must not survive them.
"""

from __future__ import annotations

import os
import unittest
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import boto3
import pytest
import time_machine
from botocore.config import Config
from botocore.exceptions import ClientError

from pca_mock import AcmPcaMock, mock_acmpca
from pca_mock._mock import active_mock
from pca_mock.errors import ObjectNotFoundError
from tests.helpers import EE_TEMPLATE, ROOT_TEMPLATE, create_ca, make_csr
from tests.sharing import account_client, sharing_policy

REGION = "us-east-1"
OTHER_REGION = "eu-west-1"
OTHER_ACCOUNT = "111122223333"
NOW = datetime(2030, 1, 15, 12, 0, 0, tzinfo=timezone.utc)
CRL_BUCKET = "isolation-crl-bucket"
AUDIT_BUCKET = "isolation-audit-bucket"
CNAME = "crl.isolation.example.com"
TOKEN = "isolation-token"
ONE_ATTEMPT = Config(retries={"total_max_attempts": 1, "mode": "standard"})
ENVIRONMENT = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE")
REAL_LOOKING = {
    "AWS_ACCESS_KEY_ID": "AKIAREALLOOKINGKEY02",
    "AWS_SECRET_ACCESS_KEY": "real-looking-secret-2",
    "AWS_SESSION_TOKEN": "real-looking-token-2",
    "AWS_PROFILE": "staging",
}


@pytest.fixture(autouse=True)
def _frozen_clock_and_real_looking_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """A developer's shell: credentials and a profile that exists in their (here: a temporary) AWS config."""
    config = tmp_path / "config"
    config.write_text("[profile staging]\nregion = eu-central-1\n")
    credentials = tmp_path / "credentials"
    credentials.write_text(
        "[staging]\naws_access_key_id = AKIAREALLOOKINGKEY03\naws_secret_access_key = real-looking-3\n"
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    for name, value in REAL_LOOKING.items():
        monkeypatch.setenv(name, value)
    with time_machine.travel(NOW, tick=False):
        yield


def _client(region: str = REGION) -> Any:
    # One attempt per call: a retry would use up planned faults and sleep for real.
    return boto3.client("acm-pca", region_name=region, config=ONE_ATTEMPT)


def _code(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = excinfo.value.response["Error"]
    return error["Code"], error["Message"]


def _dirty_everything(mock: AcmPcaMock) -> dict[str, str]:
    """Leave every kind of state behind; returns what a later test could trip over.

    ``mock`` must be active with ``rate_limits=True`` and realistic timing.
    """
    client = _client()
    revocation = {
        "CrlConfiguration": {"Enabled": True, "S3BucketName": CRL_BUCKET, "CustomCname": CNAME},
    }
    # A CA made with an idempotency token; CREATING until the waiter skips the clock ahead.
    root = create_ca(client, RevocationConfiguration=revocation, IdempotencyToken=TOKEN)
    client.get_waiter("certificate_authority_csr_created").wait(
        CertificateAuthorityArn=root, WaiterConfig={"Delay": 3, "MaxAttempts": 5}
    )
    client.tag_certificate_authority(CertificateAuthorityArn=root, Tags=[{"Key": "team", "Value": "pki"}])
    client.put_policy(ResourceArn=root, Policy=sharing_policy(root, OTHER_ACCOUNT))
    client.create_permission(
        CertificateAuthorityArn=root, Principal="acm.amazonaws.com", Actions=["IssueCertificate", "GetCertificate"]
    )
    # Activating and issuing publishes a CRL (and serves it at the CNAME); an audit report is written too.
    mock.fail("ListTags", "ThrottlingException", times=3)
    with time_machine.travel(NOW + timedelta(seconds=10), tick=False):
        certificate = _activate_and_issue(client, root)
        client.create_certificate_authority_audit_report(
            CertificateAuthorityArn=root, S3BucketName=AUDIT_BUCKET, AuditReportResponseFormat="JSON"
        )
    # CAs in another region and another account; the rate-limit window of CreateCertificateAuthority (1/s) is full.
    create_ca(_client(OTHER_REGION))
    create_ca(account_client(OTHER_ACCOUNT))
    return {"root": root, "crl_url": f"http://{CNAME}/crl/{root.rsplit('/', 1)[1]}.crl", "certificate": certificate}


def _issue_and_wait(client: Any, ca_arn: str, csr: str | bytes, template: str, days: int) -> dict[str, Any]:
    """Issue, wait on the mock's clock (realistic timing), and fetch."""
    arn = client.issue_certificate(
        CertificateAuthorityArn=ca_arn,
        Csr=csr,
        SigningAlgorithm="SHA256WITHECDSA",
        TemplateArn=template,
        Validity={"Type": "DAYS", "Value": days},
    )["CertificateArn"]
    client.get_waiter("certificate_issued").wait(
        CertificateAuthorityArn=ca_arn, CertificateArn=arn, WaiterConfig={"Delay": 1, "MaxAttempts": 5}
    )
    fetched: dict[str, Any] = client.get_certificate(CertificateAuthorityArn=ca_arn, CertificateArn=arn)
    return {**fetched, "CertificateArn": arn}


def _activate_and_issue(client: Any, root: str) -> str:
    csr = client.get_certificate_authority_csr(CertificateAuthorityArn=root)["Csr"]
    own = _issue_and_wait(client, root, csr, ROOT_TEMPLATE, days=365)
    client.import_certificate_authority_certificate(CertificateAuthorityArn=root, Certificate=own["Certificate"])
    return str(_issue_and_wait(client, root, make_csr(), EE_TEMPLATE, days=30)["CertificateArn"])


def _assert_dirty(mock: AcmPcaMock, left: dict[str, str]) -> None:
    """The helper really left state behind (so that _assert_pristine can fail)."""
    assert len(mock.state.certificate_authorities()) == 3
    assert mock.objects.buckets() == [AUDIT_BUCKET, CRL_BUCKET]
    assert mock.fetch(left["crl_url"])
    with pytest.raises(ClientError) as excinfo:
        _client().list_tags(CertificateAuthorityArn=left["root"])
    assert _code(excinfo) == ("ThrottlingException", "Rate exceeded")


def _assert_pristine(mock: AcmPcaMock, left: dict[str, str]) -> None:
    """Nothing of what _dirty_everything left is visible to ``mock`` (active, rate_limits=True, frozen clock)."""
    client = _client()
    assert mock.state.certificate_authorities() == ()
    for other in (_client(OTHER_REGION), account_client(OTHER_ACCOUNT), client):
        assert other.list_certificate_authorities()["CertificateAuthorities"] == []
    assert mock.objects.buckets() == []
    with pytest.raises(ObjectNotFoundError):
        mock.fetch(left["crl_url"])
    with pytest.raises(ClientError) as excinfo:
        client.get_certificate(CertificateAuthorityArn=left["root"], CertificateArn=left["certificate"])
    assert _code(excinfo)[0] == "ResourceNotFoundException"
    # No offset left by the waiter: the service clock reads the (frozen) wall clock.
    # The rate window is empty, so this first CreateCertificateAuthority of the second is admitted;
    # the idempotency token is free again, so it makes a new CA.
    new = create_ca(client, IdempotencyToken=TOKEN)
    assert new != left["root"]
    described = client.describe_certificate_authority(CertificateAuthorityArn=new)["CertificateAuthority"]
    assert described["CreatedAt"] == NOW
    # Realistic timing of this mock: the new CA reads CREATING, as at creation.
    assert described["Status"] == "CREATING"
    # No tags, policy, permissions or planned faults carried over (ListTags would have been throttled).
    assert client.list_tags(CertificateAuthorityArn=new)["Tags"] == []
    assert client.list_permissions(CertificateAuthorityArn=new)["Permissions"] == []
    with pytest.raises(ClientError) as excinfo:
        client.get_policy(ResourceArn=new)
    assert _code(excinfo)[0] == "ResourceNotFoundException"


def _environment() -> dict[str, str | None]:
    return {name: os.environ.get(name) for name in ENVIRONMENT}


def _mock() -> AcmPcaMock:
    return mock_acmpca(rate_limits=True, realistic_timing=True)


# --- stop, reset, nesting --------------------------------------------------------------------------


def test_stopping_the_mock_leaves_nothing_for_the_next_activation_and_restores_the_environment():
    with _mock() as mock:
        left = _dirty_everything(mock)
        _assert_dirty(mock, left)
    assert _environment() == REAL_LOOKING
    with _mock() as mock:
        _assert_pristine(mock, left)


def test_reset_leaves_nothing_behind_and_keeps_the_mock_and_its_fake_credentials():
    with _mock() as mock:
        left = _dirty_everything(mock)
        _assert_dirty(mock, left)
        mock.reset()
        assert active_mock() is mock
        assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAPCAMOCKTESTKEY00"
        assert "AWS_PROFILE" not in os.environ
        _assert_pristine(mock, left)


def test_stopping_an_inner_activation_keeps_everything_the_outer_one_sees():
    with _mock() as outer:
        with _mock() as inner:
            left = _dirty_everything(inner)
        assert active_mock() is outer
        _assert_dirty(outer, left)
        assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAPCAMOCKTESTKEY00"
    assert _environment() == REAL_LOOKING
    with _mock() as mock:
        _assert_pristine(mock, left)


def test_stopping_the_outer_handle_first_keeps_the_state_until_the_inner_one_stops():
    outer = _mock().start()
    inner = _mock().start()
    left = _dirty_everything(inner)
    outer.stop()
    assert active_mock() is inner
    _assert_dirty(inner, left)
    assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAPCAMOCKTESTKEY00"
    inner.stop()
    assert active_mock() is None
    assert _environment() == REAL_LOOKING
    with _mock() as mock:
        _assert_pristine(mock, left)


def test_options_of_an_inner_activation_apply_only_while_it_is_innermost():
    with mock_acmpca() as outer:
        mapped = boto3.client(
            "acm-pca", region_name=REGION, aws_access_key_id="AKIAMAPPEDACCOUNT001", aws_secret_access_key="x"
        )
        with mock_acmpca(accounts={"AKIAMAPPEDACCOUNT001": OTHER_ACCOUNT}):
            inner_arn = create_ca(mapped)
        outer_arn = create_ca(mapped)
        assert (inner_arn.split(":")[4], outer_arn.split(":")[4]) == (OTHER_ACCOUNT, "123456789012")
        # What the inner activation created is still there.
        assert [view.arn for view in outer.state.certificate_authorities(account=OTHER_ACCOUNT)] == [inner_arn]


def test_inner_activation_does_not_touch_the_environment_the_outermost_one_set():
    with mock_acmpca(mock_credentials=False):
        with mock_acmpca(mock_credentials=True):
            assert _environment() == REAL_LOOKING
        assert _environment() == REAL_LOOKING
    with mock_acmpca():
        with mock_acmpca(mock_credentials=False):
            assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAPCAMOCKTESTKEY00"
        assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAPCAMOCKTESTKEY00"
    assert _environment() == REAL_LOOKING


def test_an_exception_inside_a_nested_activation_still_clears_everything():
    left: dict[str, str] = {}

    def fail_inside() -> None:
        with _mock() as outer, _mock():
            left.update(_dirty_everything(outer))
            raise RuntimeError("inside")

    with pytest.raises(RuntimeError, match="inside"):
        fail_inside()
    assert active_mock() is None
    assert _environment() == REAL_LOOKING
    with _mock() as mock:
        _assert_pristine(mock, left)


# --- decorators ----------------------------------------------------------------------------------


def test_decorated_function_leaves_nothing_for_the_next_call():
    seen: list[dict[str, str]] = []

    @mock_acmpca(rate_limits=True, realistic_timing=True)
    def body() -> None:
        mock = active_mock()
        assert mock is not None
        if seen:
            _assert_pristine(mock, seen[0])
        else:
            seen.append(_dirty_everything(mock))

    body()
    assert _environment() == REAL_LOOKING
    body()
    assert active_mock() is None


def test_decorated_test_case_methods_each_start_from_nothing():
    left: list[dict[str, str]] = []

    @mock_acmpca(rate_limits=True, realistic_timing=True)
    class Leaky(unittest.TestCase):
        # Two methods, each first checking the other's traces are gone, then leaving its own.
        def _check_then_dirty(self) -> None:
            mock = active_mock()
            assert mock is not None
            assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAPCAMOCKTESTKEY00"
            if left:
                _assert_pristine(mock, left[-1])
                mock.reset()
            left.append(_dirty_everything(mock))

        def test_a(self) -> None:
            self._check_then_dirty()

        def test_b(self) -> None:
            self._check_then_dirty()

    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(Leaky).run(result)
    assert (result.testsRun, result.failures, result.errors) == (2, [], [])
    assert len(left) == 2
    assert active_mock() is None
    assert _environment() == REAL_LOOKING


def test_decorated_test_case_cleanups_run_while_the_mock_is_still_active():
    seen: list[dict[str, Any]] = []

    @mock_acmpca
    class WithCleanup(unittest.TestCase):
        def test_cleanup(self) -> None:
            arn = create_ca(_client())
            self.addCleanup(lambda: seen.append(_client().describe_certificate_authority(CertificateAuthorityArn=arn)))

    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(WithCleanup).run(result)
    assert (result.testsRun, result.failures, result.errors) == (1, [], [])
    assert [response["CertificateAuthority"]["Status"] for response in seen] == ["PENDING_CERTIFICATE"]
    assert active_mock() is None


def test_class_decorator_leaves_the_class_usable_undecorated_by_other_classes():
    @mock_acmpca
    class Base(unittest.TestCase):
        def test_mocked(self) -> None:
            assert active_mock() is not None

    class Plain(unittest.TestCase):
        def test_not_mocked(self) -> None:
            assert active_mock() is None

    result = unittest.TestResult()
    suite = unittest.TestSuite()
    suite.addTests(unittest.defaultTestLoader.loadTestsFromTestCase(Base))
    suite.addTests(unittest.defaultTestLoader.loadTestsFromTestCase(Plain))
    suite.run(result)
    assert (result.testsRun, result.failures, result.errors) == (2, [], [])


# --- the pytest fixture -------------------------------------------------------------------------

_FIXTURE_RUNS: list[dict[str, str]] = []


@pytest.mark.acmpca_mock(rate_limits=True, realistic_timing=True)
@pytest.mark.parametrize("run", [1, 2, 3])
def test_each_test_using_the_fixture_starts_from_nothing(acmpca_mock, run):
    # Whatever order (or xdist worker) these run in, each finds no trace of any earlier one in its process.
    if _FIXTURE_RUNS:
        _assert_pristine(acmpca_mock, _FIXTURE_RUNS[-1])
        acmpca_mock.reset()
    left = _dirty_everything(acmpca_mock)
    _assert_dirty(acmpca_mock, left)
    _FIXTURE_RUNS.append(left)


def test_fixture_leaves_no_mock_active_and_restores_the_environment():
    # Runs after the fixture tests in a plain run; under xdist it may run first, which it tolerates.
    assert active_mock() is None
    assert _environment() == REAL_LOOKING
