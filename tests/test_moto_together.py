"""pca_mock and moto's mock_aws in one test: pca_mock answers acm-pca, moto answers S3.

CRLs (and the bucket probe object) are written into moto's S3 as well as the
mock's own store, and a CRL bucket that does not exist in moto fails the way
AWS fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from cryptography import x509
from moto import mock_aws

from pca_mock import AcmPcaMock, mock_acmpca
from pca_mock.errors import MockStateError
from tests.helpers import assert_client_error, backend_ca, create_active_root, create_ca, issue, load_chain, make_csr

REGION = "us-east-1"
BUCKET = "moto-crl-bucket"
_CRL = {"CrlConfiguration": {"Enabled": True, "S3BucketName": BUCKET}}
# moto must leave acm-pca to pca_mock: botocore runs moto's catch-all hook too.
_PASSTHROUGH: Any = {"core": {"passthrough": {"services": ["acmpca"]}}}
_PERMISSION_ERROR = (
    "Permission error with your S3 bucket '{}'. Check that your bucket policy, encryption settings, S3 Block "
    "Public Access settings, and global account permissions are configured correctly. For more information, "
    "check the service documentation."
)


@pytest.fixture(params=["pca-mock-outside", "moto-outside"])
def both(request: pytest.FixtureRequest) -> Iterator[AcmPcaMock]:
    """Both mocks active, nested either way round."""
    with ExitStack() as stack:
        if request.param == "moto-outside":
            stack.enter_context(mock_aws(config=_PASSTHROUGH))
            mock = stack.enter_context(mock_acmpca())
        else:
            mock = stack.enter_context(mock_acmpca())
            stack.enter_context(mock_aws(config=_PASSTHROUGH))
        yield mock


@pytest.fixture
def pca_client(both: AcmPcaMock) -> Any:
    return boto3.client("acm-pca", region_name=REGION)


@pytest.fixture
def s3(both: AcmPcaMock) -> Any:
    return boto3.client("s3", region_name=REGION)


def _keys(s3: Any, bucket: str) -> list[str]:
    return sorted(entry["Key"] for entry in s3.list_objects_v2(Bucket=bucket).get("Contents", []))


def test_pca_mock_answers_acm_pca_while_moto_answers_s3(pca_client: Any, s3: Any) -> None:
    s3.create_bucket(Bucket="plain-bucket")

    arn = create_ca(pca_client)

    # The CA lives in pca_mock's registry (moto keeps its own, which stays empty).
    assert backend_ca(arn).arn == arn
    assert [bucket["Name"] for bucket in s3.list_buckets()["Buckets"]] == ["plain-bucket"]


def test_crl_bucket_missing_in_moto_fails_like_aws_and_creates_nothing(pca_client: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        create_ca(pca_client, RevocationConfiguration=_CRL)

    assert_client_error(excinfo, "ValidationException", _PERMISSION_ERROR.format(BUCKET))
    assert pca_client.list_certificate_authorities()["CertificateAuthorities"] == []


def test_update_to_a_bucket_missing_in_moto_fails_and_keeps_the_old_configuration(pca_client: Any, s3: Any) -> None:
    s3.create_bucket(Bucket=BUCKET)
    arn = create_active_root(pca_client, RevocationConfiguration=_CRL)
    missing = {"CrlConfiguration": {"Enabled": True, "S3BucketName": "not-created-in-moto"}}

    with pytest.raises(ClientError) as excinfo:
        pca_client.update_certificate_authority(CertificateAuthorityArn=arn, RevocationConfiguration=missing)

    assert_client_error(excinfo, "ValidationException", _PERMISSION_ERROR.format("not-created-in-moto"))
    described = pca_client.describe_certificate_authority(CertificateAuthorityArn=arn)["CertificateAuthority"]
    assert described["RevocationConfiguration"]["CrlConfiguration"]["S3BucketName"] == BUCKET


def test_crl_objects_are_written_into_moto_s3_with_the_same_bytes(both: AcmPcaMock, pca_client: Any, s3: Any) -> None:
    s3.create_bucket(Bucket=BUCKET)
    root = create_active_root(pca_client, RevocationConfiguration=_CRL)
    assert _keys(s3, BUCKET) == ["acm-pca-permission-test-key"]

    leaf = issue(pca_client, root, make_csr())
    serial = x509.load_pem_x509_certificate(leaf["Certificate"].encode()).serial_number
    pca_client.revoke_certificate(
        CertificateAuthorityArn=root, CertificateSerial=f"{serial:x}", RevocationReason="SUPERSEDED"
    )

    crl_key = f"crl/{root.rsplit('/', 1)[1]}.crl"
    assert _keys(s3, BUCKET) == ["acm-pca-permission-test-key", crl_key]
    body = s3.get_object(Bucket=BUCKET, Key=crl_key)["Body"].read()
    assert body == both.objects.get(BUCKET, crl_key)
    crl = x509.load_der_x509_crl(body)
    issuer_key: Any = load_chain(leaf["CertificateChain"])[0].public_key()
    assert crl.is_signature_valid(issuer_key)
    revoked = crl.get_revoked_certificate_by_serial_number(serial)
    assert revoked is not None
    assert revoked.extensions.get_extension_for_class(x509.CRLReason).value.reason is x509.ReasonFlags.superseded


def test_crl_object_acl_in_moto_follows_s3_object_acl(pca_client: Any, s3: Any) -> None:
    s3.create_bucket(Bucket=BUCKET)
    configuration = {"CrlConfiguration": {**_CRL["CrlConfiguration"], "S3ObjectAcl": "BUCKET_OWNER_FULL_CONTROL"}}
    public = create_active_root(pca_client, RevocationConfiguration=_CRL)
    private = create_active_root(pca_client, RevocationConfiguration=configuration)
    issue(pca_client, public, make_csr())
    issue(pca_client, private, make_csr())

    def all_users_can_read(ca_arn: str) -> bool:
        grants = s3.get_object_acl(Bucket=BUCKET, Key=f"crl/{ca_arn.rsplit('/', 1)[1]}.crl")["Grants"]
        return any(grant["Grantee"].get("URI", "").endswith("/global/AllUsers") for grant in grants)

    assert (all_users_can_read(public), all_users_can_read(private)) == (True, False)


def test_without_mock_aws_nothing_is_sent_to_s3(pca: AcmPcaMock, client: Any) -> None:
    # moto is imported by this module but not active: no S3 request may be made
    # (the autouse _no_http fixture fails any request that reaches the network).
    root = create_active_root(client, RevocationConfiguration=_CRL)
    issue(client, root, make_csr())

    assert pca.objects.keys(BUCKET) == ["acm-pca-permission-test-key", f"crl/{root.rsplit('/', 1)[1]}.crl"]


def test_moto_without_the_acm_pca_passthrough_is_refused_with_the_setting_to_use() -> None:
    with mock_aws(), mock_acmpca():
        client = boto3.client("acm-pca", region_name=REGION)

        with pytest.raises(MockStateError) as excinfo:
            client.list_certificate_authorities()

    assert str(excinfo.value) == (
        "moto's mock_aws is active without leaving acm-pca to pca_mock, so both would answer acm-pca requests. "
        "Start moto with mock_aws(config={'core': {'passthrough': {'services': ['acmpca']}}})."
    )


def test_audit_report_is_written_into_moto_s3(both: AcmPcaMock, pca_client: Any, s3: Any) -> None:
    s3.create_bucket(Bucket="moto-audit-bucket")
    root = create_active_root(pca_client)
    issue(pca_client, root, make_csr())

    report = pca_client.create_certificate_authority_audit_report(
        CertificateAuthorityArn=root, S3BucketName="moto-audit-bucket", AuditReportResponseFormat="JSON"
    )

    assert _keys(s3, "moto-audit-bucket") == [report["S3Key"]]
    body = s3.get_object(Bucket="moto-audit-bucket", Key=report["S3Key"])["Body"].read()
    assert body == both.objects.get("moto-audit-bucket", report["S3Key"])


def test_audit_report_to_a_bucket_missing_in_moto_fails_like_aws_and_writes_nothing(
    both: AcmPcaMock, pca_client: Any, s3: Any
) -> None:
    root = create_active_root(pca_client)

    with pytest.raises(ClientError) as excinfo:
        pca_client.create_certificate_authority_audit_report(
            CertificateAuthorityArn=root, S3BucketName="no-such-audit-bucket", AuditReportResponseFormat="CSV"
        )

    assert_client_error(excinfo, "ValidationException", _PERMISSION_ERROR.format("no-such-audit-bucket"))
    assert both.objects.buckets() == []
    # The failed request did not start the 30-minute window: a report can be made at once.
    s3.create_bucket(Bucket="no-such-audit-bucket")
    pca_client.create_certificate_authority_audit_report(
        CertificateAuthorityArn=root, S3BucketName="no-such-audit-bucket", AuditReportResponseFormat="CSV"
    )
