"""Which clients the mock reaches, and what it leaves alone."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from typing import Any

import boto3
import botocore.session
import pytest
from botocore import UNSIGNED
from botocore.config import Config

from pca_mock import _fastpath, mock_acmpca, patch_client
from pca_mock._interceptor import _CLASS_EVENT, _PROBE_EVENT, EVENT_NAME, _probe, handle_before_send, has_handler
from tests.helpers import ca_configuration, create_ca

REGION = "eu-west-1"


def _session_from_before_import() -> botocore.session.Session:
    """A session as if it had been created before pca_mock was imported (no handler)."""
    session = botocore.session.Session()
    handler: Any = handle_before_send
    probe: Any = _probe
    session.unregister(EVENT_NAME, handler)
    session.unregister(_PROBE_EVENT, probe)
    class_handler: Any = _fastpath.add_to_client_class
    session.unregister(_CLASS_EVENT, class_handler)
    return session


def test_client_created_before_the_mock_started_is_intercepted(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    client = boto3.client("acm-pca", region_name=REGION)
    with mock_acmpca():
        arn = create_ca(client)
        assert client.describe_certificate_authority(CertificateAuthorityArn=arn)["CertificateAuthority"]["Arn"] == arn


def test_requests_after_stop_are_not_answered_by_the_mock(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    client = boto3.client("acm-pca", region_name=REGION)
    with mock_acmpca():
        create_ca(client)
    # The autouse guard in conftest turns a real send into an AssertionError.
    with pytest.raises(AssertionError, match="reached the network layer"):
        client.list_certificate_authorities()


def test_client_of_an_older_session_is_not_intercepted_until_patched():
    client: Any = _session_from_before_import().create_client(
        "acm-pca", region_name=REGION, aws_access_key_id="AKIAEXAMPLE", aws_secret_access_key="secret"
    )
    with mock_acmpca():
        with pytest.raises(AssertionError, match="reached the network layer"):
            client.list_certificate_authorities()
        patch_client(client)
        create_ca(client)
        assert len(client.list_certificate_authorities()["CertificateAuthorities"]) == 1


def test_patch_client_twice_still_executes_each_call_once():
    client: Any = _session_from_before_import().create_client(
        "acm-pca", region_name=REGION, aws_access_key_id="AKIAEXAMPLE", aws_secret_access_key="secret"
    )
    patch_client(client)
    patch_client(client)
    with mock_acmpca():
        create_ca(client)
        assert len(client.list_certificate_authorities()["CertificateAuthorities"]) == 1


def test_patch_client_on_an_already_covered_client_adds_no_second_handler():
    client = boto3.client("acm-pca", region_name=REGION, aws_access_key_id="AKIAEXAMPLE", aws_secret_access_key="x")
    assert has_handler(client.meta.events)
    patch_client(client)
    with mock_acmpca():
        create_ca(client)
        assert len(client.list_certificate_authorities()["CertificateAuthorities"]) == 1


def test_patch_client_rejects_what_is_not_a_client():
    with pytest.raises(TypeError) as excinfo:
        patch_client(object())
    assert excinfo.value.args == ("patch_client() expects a botocore client, got object.",)


def test_boto3_default_session_from_before_import_is_grafted_on_start(monkeypatch):
    old = boto3.session.Session(botocore_session=_session_from_before_import())
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", old)
    with mock_acmpca():
        client = boto3.client("acm-pca", region_name=REGION)
        create_ca(client)
        assert len(client.list_certificate_authorities()["CertificateAuthorities"]) == 1


def test_other_services_are_never_answered_by_the_mock():
    with mock_acmpca():
        s3 = boto3.client("s3", region_name=REGION)
        with pytest.raises(AssertionError, match="reached the network layer"):
            s3.list_buckets()


def test_unsigned_client_takes_its_region_from_the_endpoint():
    with mock_acmpca():
        client = boto3.client("acm-pca", region_name="ap-southeast-2", config=Config(signature_version=UNSIGNED))
        arn = create_ca(client)
        assert arn.split(":")[3] == "ap-southeast-2"


def test_region_and_partition_come_from_the_signing_scope():
    with mock_acmpca():
        for region, partition in [("eu-central-1", "aws"), ("cn-north-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov")]:
            arn = create_ca(boto3.client("acm-pca", region_name=region))
            assert arn.split(":")[1:4] == [partition, "acm-pca", region]


@pytest.mark.parametrize(
    ("access_key", "expected_account"),
    [
        pytest.param("AKIAMAPPEDKEY0000001", "111122223333", id="mapped-key"),
        pytest.param("444455556666", "444455556666", id="twelve-digit-key-is-the-account"),
        pytest.param("AKIAUNMAPPEDKEY00001", "123456789012", id="other-key-is-the-default-account"),
    ],
)
def test_account_comes_from_the_access_key(access_key, expected_account):
    with mock_acmpca(accounts={"AKIAMAPPEDKEY0000001": "111122223333"}):
        client = boto3.client(
            "acm-pca", region_name=REGION, aws_access_key_id=access_key, aws_secret_access_key="secret"
        )
        arn = create_ca(client)
        ca = client.describe_certificate_authority(CertificateAuthorityArn=arn)["CertificateAuthority"]
        assert (arn.split(":")[4], ca["OwnerAccount"]) == (expected_account, expected_account)


def test_accounts_do_not_see_each_others_cas():
    with mock_acmpca():
        first = boto3.client("acm-pca", region_name=REGION, aws_access_key_id="111111111111", aws_secret_access_key="x")
        second = boto3.client(
            "acm-pca", region_name=REGION, aws_access_key_id="222222222222", aws_secret_access_key="x"
        )
        create_ca(first)
        assert second.list_certificate_authorities()["CertificateAuthorities"] == []


def _aws_cli(*args: str) -> tuple[int, str]:
    from awscli.clidriver import create_clidriver

    out = io.StringIO()
    with redirect_stdout(out):
        code = create_clidriver().main(["acm-pca", *args, "--region", REGION, "--output", "json"])
    return code, out.getvalue()


def test_aws_cli_driven_in_process_is_answered_by_the_mock():
    with mock_acmpca():
        code, out = _aws_cli(
            "create-certificate-authority",
            "--certificate-authority-type",
            "ROOT",
            "--certificate-authority-configuration",
            json.dumps(ca_configuration()),
        )
        assert code == 0
        arn = json.loads(out)["CertificateAuthorityArn"]
        code, out = _aws_cli("describe-certificate-authority", "--certificate-authority-arn", arn)
        assert code == 0
        assert json.loads(out)["CertificateAuthority"]["Status"] == "PENDING_CERTIFICATE"


def test_mock_errors_reach_the_caller_as_python_exceptions():
    from pca_mock.errors import UnsupportedByMockError

    with mock_acmpca():
        # SM2 is valid in China regions, but pyca/cryptography cannot sign with it.
        client: Any = boto3.client("acm-pca", region_name="cn-north-1")
        with pytest.raises(UnsupportedByMockError):
            create_ca(client, configuration=ca_configuration("SM2", "SM3WITHSM2"))
