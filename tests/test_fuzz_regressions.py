"""Regression tests for what the fuzzer (tests/test_fuzz.py) found, each written as an ordinary test."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta, timezone
from typing import Any

import botocore
import pytest
from botocore.exceptions import ClientError
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID

from tests.helpers import (
    TEMPLATES,
    assert_client_error,
    backend_ca,
    ca_configuration,
    create_active_root,
    create_ca,
    ec_key,
    issue,
    load_certificate,
    make_csr,
    subordinate_template,
)


def _cps(uri: str) -> dict[str, Any]:
    return {
        "CertPolicyId": "1.3.6.1.4.1.99999.1",
        "PolicyQualifiers": [{"PolicyQualifierId": "CPS", "Qualifier": {"CpsUri": uri}}],
    }


def _send_body(client: Any, body: bytes) -> None:
    """Make the client's next requests carry ``body`` instead of what botocore serialised."""

    def replace(request: Any, **_: Any) -> None:
        request.body = body

    client.meta.events.register_first("before-send.acm-pca", replace)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"[" * 100_000 + b"]" * 100_000, id="nested-arrays"),
        pytest.param(b'{"a":' * 100_000 + b"1" + b"}" * 100_000, id="nested-objects"),
    ],
)
def test_a_body_nested_deeper_than_the_json_parser_goes_is_a_validation_error(client: Any, body: bytes) -> None:
    _send_body(client, body)
    with pytest.raises(ClientError) as excinfo:
        client.list_certificate_authorities()
    assert_client_error(excinfo, "ValidationException", "The request body is not valid JSON.")


API_TEMPLATE = f"{TEMPLATES}/EndEntityCertificate_APIPassthrough/V1"


@pytest.mark.parametrize(
    ("extensions", "message"),
    [
        pytest.param(
            {"SubjectAlternativeNames": [{"EdiPartyName": {"PartyName": "\ud800"}}]},
            "The EdiPartyName PartyName '\\ud800' is not valid Unicode text.",
            id="edi-party-name-lone-surrogate",
        ),
        pytest.param(
            {"SubjectAlternativeNames": [{"EdiPartyName": {"PartyName": "p", "NameAssigner": "\udfff"}}]},
            "The EdiPartyName NameAssigner '\\udfff' is not valid Unicode text.",
            id="edi-name-assigner-lone-surrogate",
        ),
        pytest.param(
            {"CertificatePolicies": [_cps("https://example.com/\u00e9")]},
            "The CpsUri 'https://example.com/\u00e9' is not ASCII.",
            id="cps-uri-not-ascii",
        ),
        pytest.param(
            {"CertificatePolicies": [_cps("\ud800")]},
            "The CpsUri '\\ud800' is not ASCII.",
            id="cps-uri-lone-surrogate",
        ),
    ],
)
def test_passthrough_text_that_cannot_be_encoded_is_invalid_args_and_issues_nothing(
    client: Any, extensions: dict[str, Any], message: str
) -> None:
    ca = create_active_root(client)
    before = len(backend_ca(ca).certificates)
    with pytest.raises(ClientError) as excinfo:
        client.issue_certificate(
            CertificateAuthorityArn=ca,
            Csr=make_csr(),
            SigningAlgorithm="SHA256WITHECDSA",
            Validity={"Type": "DAYS", "Value": 30},
            TemplateArn=API_TEMPLATE,
            ApiPassthrough={"Extensions": extensions},
        )
    assert_client_error(excinfo, "InvalidArgsException", message)
    assert len(backend_ca(ca).certificates) == before


def _duplicate_extension(der: bytes, unused_oid: bytes, repeated_oid: bytes) -> bytes:
    """``der`` with the extension ``unused_oid`` renamed to ``repeated_oid``, so that one appears twice."""
    changed = der.replace(b"\x06\x03" + unused_oid, b"\x06\x03" + repeated_oid)
    assert changed != der
    return changed


def _pem(label: str, der: bytes) -> bytes:
    return f"-----BEGIN {label}-----\n".encode() + base64.encodebytes(der) + f"-----END {label}-----\n".encode()


# An extension nobody uses (2.5.29.99) that becomes a second SubjectKeyIdentifier (2.5.29.14).
UNUSED, SKI = b"\x55\x1d\x63", b"\x55\x1d\x0e"
PLACEHOLDER = x509.UnrecognizedExtension(x509.ObjectIdentifier("2.5.29.99"), b"\x04\x02\x01\x02")


def test_a_csr_with_a_repeated_extension_is_malformed(client: Any) -> None:
    ca = create_active_root(client)
    csr = make_csr(extensions=[(x509.SubjectKeyIdentifier(b"\x01\x02"), False), (PLACEHOLDER, False)])
    der = x509.load_pem_x509_csr(csr).public_bytes(serialization.Encoding.DER)
    repeated = _pem("CERTIFICATE REQUEST", _duplicate_extension(der, UNUSED, SKI))
    with pytest.raises(ClientError) as excinfo:
        client.issue_certificate(
            CertificateAuthorityArn=ca,
            Csr=repeated,
            SigningAlgorithm="SHA256WITHECDSA",
            Validity={"Type": "DAYS", "Value": 3},
        )
    assert_client_error(
        excinfo, "MalformedCSRException", "The certificate signing request cannot be verified or validated."
    )


@pytest.mark.parametrize("where", ["certificate", "chain"])
def test_a_ca_certificate_with_a_repeated_extension_is_malformed(client: Any, where: str) -> None:
    key = ec_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Repeated")])
    now = datetime.now(timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier(b"\x01\x02"), critical=False)
        .add_extension(PLACEHOLDER, critical=False)
        .sign(key, hashes.SHA256())
    )
    repeated = _pem(
        "CERTIFICATE", _duplicate_extension(certificate.public_bytes(serialization.Encoding.DER), UNUSED, SKI)
    )
    ca = create_ca(client, "SUBORDINATE")
    if where == "certificate":
        arguments, message = {"Certificate": repeated}, "The certificate has an extension that cannot be parsed."
    else:
        parent = create_active_root(client)
        csr = client.get_certificate_authority_csr(CertificateAuthorityArn=ca)["Csr"]
        signed = issue(client, parent, csr, template=subordinate_template(0), validity={"Type": "YEARS", "Value": 1})
        arguments = {"Certificate": signed["Certificate"], "CertificateChain": repeated}
        message = "A certificate in the certificate chain has an extension that cannot be parsed."
    with pytest.raises(ClientError) as excinfo:
        client.import_certificate_authority_certificate(CertificateAuthorityArn=ca, **arguments)
    assert_client_error(excinfo, "MalformedCertificateException", message)
    assert backend_ca(ca).installed is None


def test_a_policy_nested_deeper_than_the_json_parser_goes_is_an_invalid_policy(client: Any) -> None:
    ca = create_active_root(client)
    with pytest.raises(ClientError) as excinfo:
        client.put_policy(ResourceArn=ca, Policy="[" * 30000 + "]" * 30000)
    assert_client_error(excinfo, "InvalidPolicyException", "The policy is not valid JSON.")
    assert backend_ca(ca).policy is None


@pytest.mark.parametrize(
    "position",
    [
        pytest.param("9" * 5000, id="more-digits-than-int-reads"),
        pytest.param("\u00b2", id="superscript-two"),
        pytest.param("\u0661", id="arabic-indic-one"),
        pytest.param("", id="no-digits"),
    ],
)
@pytest.mark.parametrize("operation", ["ListCertificateAuthorities", "ListTags", "ListPermissions"])
def test_a_next_token_that_is_not_a_position_the_mock_handed_out_is_invalid(
    client: Any, operation: str, position: str
) -> None:
    ca = create_active_root(client)
    token = base64.urlsafe_b64encode(f"pca-mock:{position}".encode()).decode()
    arguments = {} if operation == "ListCertificateAuthorities" else {"CertificateAuthorityArn": ca}
    with pytest.raises(ClientError) as excinfo:
        getattr(client, botocore.xform_name(operation))(NextToken=token, **arguments)
    assert_client_error(excinfo, "InvalidNextTokenException", "The token is not valid.")


@pytest.mark.parametrize(
    ("attribute", "detail"),
    [
        pytest.param(
            {"ObjectIdentifier": "2.5.4.5", "Value": "caf\u00e9"},
            "the value 'caf\u00e9' of 2.5.4.5 is not a PrintableString.",
            id="serial-number-not-printable",
        ),
        pytest.param(
            {"ObjectIdentifier": "2.5.4.46", "Value": "a_b"},
            "the value 'a_b' of 2.5.4.46 is not a PrintableString.",
            id="dn-qualifier-not-printable",
        ),
        pytest.param(
            {"ObjectIdentifier": "1.2.840.113549.1.9.1", "Value": "\ud800@example.com"},
            "'utf-8' codec can't encode character '\\ud800' in position 0: surrogates not allowed",
            id="email-lone-surrogate",
        ),
    ],
)
def test_a_custom_subject_attribute_that_cannot_be_encoded_is_invalid_args(
    client: Any, attribute: dict[str, str], detail: str
) -> None:
    subject = {"CustomAttributes": [attribute]}
    with pytest.raises(ClientError) as excinfo:
        create_ca(client, configuration=ca_configuration(subject=subject))
    assert_client_error(excinfo, "InvalidArgsException", f"The subject is not valid: {detail}")
    assert client.list_certificate_authorities()["CertificateAuthorities"] == []

    ca = create_active_root(client)
    with pytest.raises(ClientError) as excinfo:
        client.issue_certificate(
            CertificateAuthorityArn=ca,
            Csr=make_csr(),
            SigningAlgorithm="SHA256WITHECDSA",
            Validity={"Type": "DAYS", "Value": 30},
            TemplateArn=API_TEMPLATE,
            ApiPassthrough={"Subject": subject},
        )
    assert_client_error(excinfo, "InvalidArgsException", f"The ApiPassthrough subject is not valid: {detail}")


@pytest.mark.parametrize("cname", [None, "crl.example.com"])
def test_a_crl_custom_path_of_a_slash_puts_the_crl_at_the_root(pca: Any, client: Any, cname: str | None) -> None:
    crl = {"Enabled": True, "S3BucketName": "crl-bucket", "CustomPath": "/"}
    if cname is not None:
        crl["CustomCname"] = cname
    ca = create_active_root(client, RevocationConfiguration={"CrlConfiguration": crl})
    leaf = load_certificate(issue(client, ca, make_csr())["Certificate"])
    points = leaf.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    ca_id = ca.rsplit("/", 1)[1]
    host = cname or "crl-bucket.s3.us-east-1.amazonaws.com"
    assert [name.value for point in points for name in point.full_name or ()] == [f"http://{host}/{ca_id}.crl"]
    assert f"{ca_id}.crl" in pca.objects.keys("crl-bucket")
    published = x509.load_der_x509_crl(pca.fetch(f"http://{host}/{ca_id}.crl"))
    assert published.issuer == leaf.issuer
