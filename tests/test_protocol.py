"""The wire: responses match botocore's output shapes, errors have AWS's form."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.validate import validate_parameters

from pca_mock import _protocol, mock_acmpca
from pca_mock.errors import UnsupportedByMockError
from pca_mock.service.operations import OPERATIONS, dispatch
from tests.helpers import (
    EE_TEMPLATE,
    assert_client_error,
    create_active_root,
    create_active_subordinate,
    create_ca,
    make_csr,
)

REGION = "us-west-2"


class RecordingClient:
    """Calls a client and keeps each operation's parsed response."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.responses: dict[str, dict[str, Any]] = {}
        client.meta.events.register("after-call.acm-pca.*", self._record)

    def _record(self, http_response: Any, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        if http_response.status_code == 200:
            self.responses[model.name] = parsed


def _every_modelled_operation(client: Any) -> None:
    root = create_active_root(client, Tags=[{"Key": "team", "Value": "pki"}])
    sub = create_active_subordinate(client, root, path_len=0)
    cert_arn = client.issue_certificate(
        CertificateAuthorityArn=sub,
        Csr=make_csr(),
        SigningAlgorithm="SHA256WITHECDSA",
        TemplateArn=EE_TEMPLATE,
        Validity={"Type": "DAYS", "Value": 7},
    )["CertificateArn"]
    client.get_certificate(CertificateAuthorityArn=sub, CertificateArn=cert_arn)
    serial = cert_arn.rsplit("/", 1)[1]
    client.revoke_certificate(CertificateAuthorityArn=sub, CertificateSerial=serial, RevocationReason="SUPERSEDED")
    client.get_certificate_authority_certificate(CertificateAuthorityArn=sub)
    client.describe_certificate_authority(CertificateAuthorityArn=sub)
    client.list_certificate_authorities(MaxResults=1)
    client.tag_certificate_authority(CertificateAuthorityArn=sub, Tags=[{"Key": "env", "Value": "test"}])
    client.untag_certificate_authority(CertificateAuthorityArn=sub, Tags=[{"Key": "env"}])
    client.list_tags(CertificateAuthorityArn=root)
    client.create_permission(CertificateAuthorityArn=root, Principal="acm.amazonaws.com", Actions=["GetCertificate"])
    client.list_permissions(CertificateAuthorityArn=root)
    client.delete_permission(CertificateAuthorityArn=root, Principal="acm.amazonaws.com")
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "acm-pca:ListTags", "Resource": root}
        ],
    }
    client.put_policy(ResourceArn=root, Policy=json.dumps(policy))
    client.get_policy(ResourceArn=root)
    client.delete_policy(ResourceArn=root)
    report = client.create_certificate_authority_audit_report(
        CertificateAuthorityArn=root, S3BucketName="audit-bucket", AuditReportResponseFormat="CSV"
    )
    client.describe_certificate_authority_audit_report(
        CertificateAuthorityArn=root, AuditReportId=report["AuditReportId"]
    )
    client.update_certificate_authority(CertificateAuthorityArn=sub, Status="DISABLED")
    client.delete_certificate_authority(CertificateAuthorityArn=sub, PermanentDeletionTimeInDays=7)
    client.restore_certificate_authority(CertificateAuthorityArn=sub)


def test_every_modelled_operation_answers_within_its_output_shape():
    with mock_acmpca():
        recording = RecordingClient(boto3.client("acm-pca", region_name=REGION))
        _every_modelled_operation(recording.client)
    assert set(recording.responses) == set(OPERATIONS)
    model = _protocol.service_model()
    for name, parsed in recording.responses.items():
        body = {key: value for key, value in parsed.items() if key != "ResponseMetadata"}
        output_shape = model.operation_model(name).output_shape
        if output_shape is None:
            assert body == {}, name
        else:
            validate_parameters(body, output_shape)


def test_every_operation_of_the_service_is_modelled():
    operations = set(_protocol.service_model().operation_names)
    assert len(operations) == 23
    assert set(OPERATIONS) == operations


def test_an_operation_newer_than_pca_mock_raises_a_mock_error():
    with pytest.raises(UnsupportedByMockError) as excinfo:
        dispatch("CreateCertificateAuthorityFromTheFuture", {}, account="123456789012", region=REGION)
    assert excinfo.value.args == (
        "pca_mock does not model the CreateCertificateAuthorityFromTheFuture operation yet. "
        "See docs/coverage.md for what is supported.",
    )


def test_errors_are_http_400_with_the_aws_code_and_message(client):
    with pytest.raises(ClientError) as excinfo:
        client.describe_certificate_authority(
            CertificateAuthorityArn="arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/"
            "11111111-2222-3333-4444-555555555555"
        )
    assert_client_error(
        excinfo,
        "ResourceNotFoundException",
        "Could not find certificate authority with arn arn:aws:acm-pca:us-east-1:123456789012:"
        "certificate-authority/11111111-2222-3333-4444-555555555555.",
    )
    headers = excinfo.value.response["ResponseMetadata"]["HTTPHeaders"]
    assert headers["content-type"] == "application/x-amz-json-1.1"
    assert headers["x-amzn-errortype"] == "ResourceNotFoundException"
    assert isinstance(excinfo.value, client.exceptions.ResourceNotFoundException)


def test_several_violations_are_reported_together_in_document_order(client):
    configuration = {
        "KeyAlgorithm": "RSA_1024",
        "SigningAlgorithm": "SHA256WITHRSA",
        "Subject": {"Country": "USA", "CommonName": "x" * 65},
    }
    with pytest.raises(ClientError) as excinfo:
        client.create_certificate_authority(
            CertificateAuthorityConfiguration=configuration, CertificateAuthorityType="ROOT"
        )
    enum_values = ", ".join(_protocol.service_model().shape_for("KeyAlgorithm").enum)  # type: ignore[attr-defined]
    assert_client_error(
        excinfo,
        "ValidationException",
        "4 validation errors detected: "
        "Value 'RSA_1024' at 'certificateAuthorityConfiguration.keyAlgorithm' failed to satisfy constraint: "
        f"Member must satisfy enum value set: [{enum_values}]; "
        "Value 'USA' at 'certificateAuthorityConfiguration.subject.country' failed to satisfy constraint: "
        "Member must have length less than or equal to 2; "
        "Value 'USA' at 'certificateAuthorityConfiguration.subject.country' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [A-Za-z]{2}; "
        f"Value '{'x' * 65}' at 'certificateAuthorityConfiguration.subject.commonName' failed to satisfy "
        "constraint: Member must have length less than or equal to 64",
    )
    assert client.list_certificate_authorities()["CertificateAuthorities"] == []


def test_missing_required_member_is_reported_when_client_validation_is_off():
    with mock_acmpca():
        client = boto3.client("acm-pca", region_name=REGION, config=Config(parameter_validation=False))
        with pytest.raises(ClientError) as excinfo:
            client.describe_certificate_authority()
    assert_client_error(
        excinfo,
        "ValidationException",
        "1 validation error detected: Value null at 'certificateAuthorityArn' failed to satisfy constraint: "
        "Member must not be null",
    )


def test_member_of_the_wrong_json_type_is_a_serialization_error():
    with mock_acmpca():
        client = boto3.client("acm-pca", region_name=REGION, config=Config(parameter_validation=False))
        with pytest.raises(ClientError) as excinfo:
            client.list_certificate_authorities(MaxResults="ten")
    assert_client_error(excinfo, "SerializationException", "Unexpected str value at 'maxResults': expected a integer.")


def test_blobs_arrive_decoded_and_strings_leave_as_plain_pem(client):
    arn = create_ca(client)
    csr = client.get_certificate_authority_csr(CertificateAuthorityArn=arn)["Csr"]
    assert csr.startswith("-----BEGIN CERTIFICATE REQUEST-----")


def test_decode_request_turns_blobs_into_bytes_and_checks_the_model():
    body = json.dumps(
        {
            "CertificateAuthorityArn": "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/x",
            "Certificate": "aGVsbG8=",
        }
    )
    params = _protocol.decode_request("ImportCertificateAuthorityCertificate", body.encode())
    assert params["Certificate"] == b"hello"


def test_timestamps_leave_as_epoch_seconds(client):
    arn = create_ca(client)
    bodies: list[bytes] = []
    client.meta.events.register(
        "after-call.acm-pca.DescribeCertificateAuthority",
        lambda http_response, **_: bodies.append(http_response.content),
    )
    parsed = client.describe_certificate_authority(CertificateAuthorityArn=arn)["CertificateAuthority"]
    raw = json.loads(bodies[0])["CertificateAuthority"]
    assert isinstance(raw["CreatedAt"], float)
    assert raw["CreatedAt"] == parsed["CreatedAt"].timestamp()
