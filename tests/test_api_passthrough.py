"""IssueCertificate's ApiPassthrough, field by field and error by error.

Reference §4.5 (structure, EKU OIDs, errors) and §5 (subject mapping);
docs/behavior.md "Templates and precedence" (criticality, encodings, order).
"""

from __future__ import annotations

import base64
from ipaddress import IPv4Address, IPv6Address
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.name import _ASN1Type
from cryptography.x509.oid import ObjectIdentifier
from pyasn1.codec.der import decoder
from pyasn1_alt_modules import rfc5280

from tests.conftest import REGION
from tests.helpers import (
    EE_TEMPLATE,
    KEY_USAGE_BITS,
    TEMPLATES,
    assert_client_error,
    backend_ca,
    create_active_root,
    ec_key,
    issue,
    key_usage,
    load_certificate,
    make_csr,
)

BLANK_API = f"{TEMPLATES}/BlankEndEntityCertificate_APIPassthrough/V1"
BLANK_API_CSR = f"{TEMPLATES}/BlankEndEntityCertificate_APICSRPassthrough/V1"
EE_API = f"{TEMPLATES}/EndEntityCertificate_APIPassthrough/V1"
INVALID_ARGS = "InvalidArgsException"
VALIDATION = "ValidationException"

# Extension OIDs (RFC 5280 §4.2), written out rather than taken from the mock.
SAN_OID = "2.5.29.17"
BC_OID = "2.5.29.19"
AKI_OID = "2.5.29.35"
SKI_OID = "2.5.29.14"
KU_OID = "2.5.29.15"
EKU_OID = "2.5.29.37"
POLICIES_OID = "2.5.29.32"
NAME_CONSTRAINTS_OID = "2.5.29.30"
OCSP_NO_CHECK_OID = "1.3.6.1.5.5.7.48.1.5"
PRIVATE_OID = "1.3.6.1.4.1.99999.7"
PRIVATE_OID_2 = "1.3.6.1.4.1.99999.8"

# A UTF8String "hello", used as the DER value of private extensions.
UTF8_HELLO = bytes.fromhex("0c0568656c6c6f")


# --- local helpers ----------------------------------------------------------------------


def _issue_pem(
    client: Any,
    ca_arn: str,
    passthrough: dict[str, Any] | None,
    *,
    template: str | None = BLANK_API,
    csr: bytes | None = None,
) -> str:
    kwargs: dict[str, Any] = {} if passthrough is None else {"ApiPassthrough": passthrough}
    response = issue(
        client, ca_arn, csr or make_csr(), template=template, signing_algorithm="SHA256WITHECDSA", **kwargs
    )
    pem: str = response["Certificate"]
    return pem


def _issue(
    client: Any,
    ca_arn: str,
    passthrough: dict[str, Any] | None,
    *,
    template: str | None = BLANK_API,
    csr: bytes | None = None,
) -> x509.Certificate:
    """Issue with an ApiPassthrough and return the parsed certificate, checked to be signed by the CA."""
    certificate = load_certificate(_issue_pem(client, ca_arn, passthrough, template=template, csr=csr))
    certificate.verify_directly_issued_by(_ca_certificate(client, ca_arn))
    return certificate


def _ca_certificate(client: Any, ca_arn: str) -> x509.Certificate:
    return load_certificate(client.get_certificate_authority_certificate(CertificateAuthorityArn=ca_arn)["Certificate"])


def _sans(*names: dict[str, Any]) -> dict[str, Any]:
    return {"Extensions": {"SubjectAlternativeNames": list(names)}}


def _extension(certificate: x509.Certificate, oid: str) -> x509.Extension[Any]:
    return certificate.extensions.get_extension_for_oid(ObjectIdentifier(oid))


def _oids(certificate: x509.Certificate) -> list[str]:
    return [extension.oid.dotted_string for extension in certificate.extensions]


def _der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)


def _raw_extension(oid_der: bytes, critical: bool, value: bytes) -> bytes:
    """An Extension SEQUENCE's content as DER writes it (short lengths only)."""
    content = oid_der + (bytes.fromhex("0101ff") if critical else b"") + bytes([0x04, len(value)]) + value
    return bytes([0x30, len(content)]) + content


def _unvalidated_client() -> Any:
    """A client that sends what it is given, so the service's own model checks answer."""
    return boto3.client("acm-pca", region_name=REGION, config=Config(parameter_validation=False))


def _assert_refused(
    client: Any,
    ca_arn: str,
    passthrough: dict[str, Any],
    code: str,
    message: str,
    *,
    template: str = BLANK_API,
    csr: bytes | None = None,
) -> None:
    """IssueCertificate fails with exactly ``code``/``message`` and the CA records no new certificate."""
    before = set(backend_ca(ca_arn).certificates)
    with pytest.raises(ClientError) as excinfo:
        client.issue_certificate(
            CertificateAuthorityArn=ca_arn,
            Csr=csr or make_csr(),
            SigningAlgorithm="SHA256WITHECDSA",
            Validity={"Type": "DAYS", "Value": 30},
            TemplateArn=template,
            ApiPassthrough=passthrough,
        )
    assert_client_error(excinfo, code, message)
    assert set(backend_ca(ca_arn).certificates) == before


def _decoded_san(certificate_der: bytes) -> Any:
    """The SubjectAltName GeneralNames of a certificate, decoded with pyasn1 (for what cryptography cannot read)."""
    decoded, rest = decoder.decode(certificate_der, asn1Spec=rfc5280.Certificate())
    assert rest == b""
    for extension in decoded["tbsCertificate"]["extensions"]:
        if extension["extnID"] == rfc5280.id_ce_subjectAltName:
            names, rest = decoder.decode(bytes(extension["extnValue"]), asn1Spec=rfc5280.SubjectAltName())
            assert rest == b""
            return extension, names
    raise AssertionError("no SubjectAltName extension")


# --- Subject (§5) -------------------------------------------------------------------------

ALL_STANDARD_FIELDS = {
    "Country": "DE",
    "Organization": "Example Org",
    "OrganizationalUnit": "Platform",
    "DistinguishedNameQualifier": "dnq-1",
    "State": "Berlin",
    "CommonName": "api.example.com",
    "SerialNumber": "SN-0042",
    "Locality": "Berlin-Mitte",
    "Title": "Engineer",
    "Surname": "Müller",
    "GivenName": "Jürgen",
    "Initials": "JM",
    "Pseudonym": "jm",
    "GenerationQualifier": "Jr",
}


def test_api_subject_with_every_standard_field_becomes_one_rdn_each_in_model_order(client):
    root = create_active_root(client)
    # Given in reverse model order, to show the order is the model's, not the request's.
    subject = dict(reversed(list(ALL_STANDARD_FIELDS.items())))

    certificate = _issue(client, root, {"Subject": subject})

    printable, utf8 = _ASN1Type.PrintableString, _ASN1Type.UTF8String
    expected = [
        ("2.5.4.6", "DE", printable),
        ("2.5.4.10", "Example Org", utf8),
        ("2.5.4.11", "Platform", utf8),
        ("2.5.4.46", "dnq-1", printable),
        ("2.5.4.8", "Berlin", utf8),
        ("2.5.4.3", "api.example.com", utf8),
        ("2.5.4.5", "SN-0042", printable),
        ("2.5.4.7", "Berlin-Mitte", utf8),
        ("2.5.4.12", "Engineer", utf8),
        ("2.5.4.4", "Müller", utf8),
        ("2.5.4.42", "Jürgen", utf8),
        ("2.5.4.43", "JM", utf8),
        ("2.5.4.65", "jm", utf8),
        ("2.5.4.44", "Jr", utf8),
    ]
    rdns = certificate.subject.rdns
    assert all(len(rdn) == 1 for rdn in rdns)
    assert [
        (attribute.oid.dotted_string, attribute.value, attribute._type) for rdn in rdns for attribute in rdn
    ] == expected


def test_api_subject_with_custom_attributes_only_becomes_one_rdn_each_in_list_order(client):
    root = create_active_root(client)
    custom = [
        {"ObjectIdentifier": "0.9.2342.19200300.100.1.25", "Value": "example"},
        {"ObjectIdentifier": "1.3.6.1.4.1.37244.2.1", "Value": "FFF1"},
        {"ObjectIdentifier": "0.9.2342.19200300.100.1.25", "Value": "com"},
        # A standard OID may itself be passed as a custom attribute (reference §4.5).
        {"ObjectIdentifier": "2.5.4.3", "Value": "Matter Device"},
    ]

    certificate = _issue(client, root, {"Subject": {"CustomAttributes": custom}})

    rdns = certificate.subject.rdns
    assert all(len(rdn) == 1 for rdn in rdns)
    assert [(attribute.oid.dotted_string, attribute.value) for rdn in rdns for attribute in rdn] == [
        ("0.9.2342.19200300.100.1.25", "example"),
        ("1.3.6.1.4.1.37244.2.1", "FFF1"),
        ("0.9.2342.19200300.100.1.25", "com"),
        ("2.5.4.3", "Matter Device"),
    ]


def test_api_subject_replaces_the_csr_subject_and_its_absence_keeps_it(client):
    root = create_active_root(client)
    csr = make_csr("csr.example.com")

    replaced = _issue(client, root, {"Subject": {"CommonName": "api.example.com"}}, csr=csr)
    kept = _issue(client, root, {"Extensions": {"KeyUsage": {"DigitalSignature": True}}}, csr=csr)

    assert [(a.oid.dotted_string, a.value) for a in replaced.subject] == [("2.5.4.3", "api.example.com")]
    assert [(a.oid.dotted_string, a.value) for a in kept.subject] == [("2.5.4.3", "csr.example.com")]


# --- CertificatePolicies --------------------------------------------------------------------


def test_certificate_policies_with_cps_qualifiers_are_a_non_critical_extension(client):
    root = create_active_root(client)
    policies = [
        {
            "CertPolicyId": "2.23.140.1.2.1",
            "PolicyQualifiers": [
                {"PolicyQualifierId": "CPS", "Qualifier": {"CpsUri": "https://pki.example.com/cps"}},
                {"PolicyQualifierId": "CPS", "Qualifier": {"CpsUri": "https://pki.example.com/cps2"}},
            ],
        },
        {"CertPolicyId": "1.3.6.1.4.1.99999.1.1"},
    ]

    certificate = _issue(client, root, {"Extensions": {"CertificatePolicies": policies}})

    extension = _extension(certificate, POLICIES_OID)
    assert extension.critical is False
    assert extension.value == x509.CertificatePolicies(
        [
            x509.PolicyInformation(
                ObjectIdentifier("2.23.140.1.2.1"),
                ["https://pki.example.com/cps", "https://pki.example.com/cps2"],
            ),
            x509.PolicyInformation(ObjectIdentifier("1.3.6.1.4.1.99999.1.1"), None),
        ]
    )


def test_certificate_policy_cps_qualifiers_are_ia5_strings_under_the_cps_qualifier_id(client):
    root = create_active_root(client)
    policy = {
        "CertPolicyId": "2.23.140.1.2.1",
        "PolicyQualifiers": [{"PolicyQualifierId": "CPS", "Qualifier": {"CpsUri": "https://pki.example.com/cps"}}],
    }

    certificate = _issue(client, root, {"Extensions": {"CertificatePolicies": [policy]}})

    policies, rest = decoder.decode(
        _extension(certificate, POLICIES_OID).value.public_bytes(), asn1Spec=rfc5280.CertificatePolicies()
    )
    assert rest == b""
    qualifier = policies[0]["policyQualifiers"][0]
    assert str(qualifier["policyQualifierId"]) == "1.3.6.1.5.5.7.2.1"
    uri = "https://pki.example.com/cps"
    assert bytes(qualifier["qualifier"]) == bytes([0x16, len(uri)]) + uri.encode()


# --- ExtendedKeyUsage ------------------------------------------------------------------------

EKU_TYPES = [
    pytest.param("SERVER_AUTH", "1.3.6.1.5.5.7.3.1", id="SERVER_AUTH"),
    pytest.param("CLIENT_AUTH", "1.3.6.1.5.5.7.3.2", id="CLIENT_AUTH"),
    pytest.param("CODE_SIGNING", "1.3.6.1.5.5.7.3.3", id="CODE_SIGNING"),
    pytest.param("EMAIL_PROTECTION", "1.3.6.1.5.5.7.3.4", id="EMAIL_PROTECTION"),
    pytest.param("TIME_STAMPING", "1.3.6.1.5.5.7.3.8", id="TIME_STAMPING"),
    pytest.param("OCSP_SIGNING", "1.3.6.1.5.5.7.3.9", id="OCSP_SIGNING"),
    pytest.param("SMART_CARD_LOGIN", "1.3.6.1.4.1.311.20.2.2", id="SMART_CARD_LOGIN"),
    pytest.param("DOCUMENT_SIGNING", "1.3.6.1.4.1.311.10.3.12", id="DOCUMENT_SIGNING"),
    pytest.param("CERTIFICATE_TRANSPARENCY", "1.3.6.1.4.1.11129.2.4.4", id="CERTIFICATE_TRANSPARENCY"),
]


@pytest.mark.parametrize(("usage_type", "oid"), EKU_TYPES)
def test_each_extended_key_usage_type_maps_to_its_standard_oid(client, usage_type, oid):
    root = create_active_root(client)

    certificate = _issue(client, root, {"Extensions": {"ExtendedKeyUsage": [{"ExtendedKeyUsageType": usage_type}]}})

    extension = _extension(certificate, EKU_OID)
    assert extension.critical is False
    assert list(extension.value) == [ObjectIdentifier(oid)]


def test_extended_key_usages_keep_request_order_with_custom_object_identifiers(client):
    root = create_active_root(client)
    usages = [
        {"ExtendedKeyUsageType": "CLIENT_AUTH"},
        {"ExtendedKeyUsageObjectIdentifier": "1.3.6.1.4.1.99999.3.1"},
        {"ExtendedKeyUsageType": "SERVER_AUTH"},
        {"ExtendedKeyUsageObjectIdentifier": "2.23.133.8.1"},
        {"ExtendedKeyUsageType": "CODE_SIGNING"},
    ]

    certificate = _issue(client, root, {"Extensions": {"ExtendedKeyUsage": usages}})

    extension = _extension(certificate, EKU_OID)
    assert extension.critical is False
    assert [oid.dotted_string for oid in extension.value] == [
        "1.3.6.1.5.5.7.3.2",
        "1.3.6.1.4.1.99999.3.1",
        "1.3.6.1.5.5.7.3.1",
        "2.23.133.8.1",
        "1.3.6.1.5.5.7.3.3",
    ]


# --- KeyUsage ------------------------------------------------------------------------------

# AWS member(s) set, cryptography bits expected, the two content octets of the
# 9-bit BIT STRING (bit 0 is the most significant bit of the first octet).
KEY_USAGE_CASES = [
    pytest.param(["DigitalSignature"], ["digital_signature"], "8000", id="DigitalSignature"),
    pytest.param(["NonRepudiation"], ["content_commitment"], "4000", id="NonRepudiation"),
    pytest.param(["KeyEncipherment"], ["key_encipherment"], "2000", id="KeyEncipherment"),
    pytest.param(["DataEncipherment"], ["data_encipherment"], "1000", id="DataEncipherment"),
    pytest.param(["KeyAgreement"], ["key_agreement"], "0800", id="KeyAgreement"),
    pytest.param(["KeyCertSign"], ["key_cert_sign"], "0400", id="KeyCertSign"),
    pytest.param(["CRLSign"], ["crl_sign"], "0200", id="CRLSign"),
    pytest.param(
        ["KeyAgreement", "EncipherOnly"], ["key_agreement", "encipher_only"], "0900", id="EncipherOnly+KeyAgreement"
    ),
    pytest.param(
        ["KeyAgreement", "DecipherOnly"], ["key_agreement", "decipher_only"], "0880", id="DecipherOnly+KeyAgreement"
    ),
    pytest.param(
        ["DigitalSignature", "KeyEncipherment"],
        ["digital_signature", "key_encipherment"],
        "a000",
        id="DigitalSignature+KeyEncipherment",
    ),
    pytest.param(
        [
            "DigitalSignature",
            "NonRepudiation",
            "KeyEncipherment",
            "DataEncipherment",
            "KeyAgreement",
            "KeyCertSign",
            "CRLSign",
            "EncipherOnly",
            "DecipherOnly",
        ],
        list(KEY_USAGE_BITS),
        "ff80",
        id="all-nine",
    ),
]


@pytest.mark.parametrize(("members", "bits", "octets"), KEY_USAGE_CASES)
def test_api_key_usage_sets_exactly_its_bits_critical_as_a_nine_bit_bit_string(client, members, bits, octets):
    root = create_active_root(client)

    certificate = _issue(client, root, {"Extensions": {"KeyUsage": dict.fromkeys(members, True)}})

    extension = _extension(certificate, KU_OID)
    assert extension.critical is True
    assert extension.value == key_usage(*bits)
    # BIT STRING, 3 content octets: 7 unused bits, then the 9 bits (AWS's quirk).
    nine_bit = bytes.fromhex("030307" + octets)
    assert _raw_extension(bytes.fromhex("0603551d0f"), True, nine_bit) in _der(certificate)


def test_api_key_usage_members_set_to_false_are_not_set(client):
    root = create_active_root(client)
    usage = {"DigitalSignature": True, "NonRepudiation": False, "KeyCertSign": False, "CRLSign": True}

    certificate = _issue(client, root, {"Extensions": {"KeyUsage": usage}})

    assert _extension(certificate, KU_OID).value == key_usage("digital_signature", "crl_sign")


def test_key_usage_passed_as_a_custom_extension_is_copied_as_given(client):
    root = create_active_root(client)
    minimal = bytes.fromhex("030205a0")  # digitalSignature + keyEncipherment, DER-minimal
    custom = {"ObjectIdentifier": KU_OID, "Value": base64.b64encode(minimal).decode(), "Critical": True}

    certificate = _issue(client, root, {"Extensions": {"CustomExtensions": [custom]}})

    extension = _extension(certificate, KU_OID)
    assert (extension.critical, extension.value) == (True, key_usage("digital_signature", "key_encipherment"))
    assert _raw_extension(bytes.fromhex("0603551d0f"), True, minimal) in _der(certificate)


# --- template precedence (EndEntityCertificate_APIPassthrough) -------------------------------


def test_template_key_usage_and_eku_win_over_the_api_while_subject_and_sans_come_from_the_api(client):
    root = create_active_root(client)
    passthrough = {
        "Subject": {"CommonName": "api.example.com"},
        "Extensions": {
            "KeyUsage": {"KeyCertSign": True, "CRLSign": True},
            "ExtendedKeyUsage": [{"ExtendedKeyUsageType": "CODE_SIGNING"}],
            "SubjectAlternativeNames": [{"DnsName": "api.example.com"}],
        },
    }

    certificate = _issue(client, root, passthrough, template=EE_API, csr=make_csr("csr.example.com"))

    usage = _extension(certificate, KU_OID)
    assert (usage.critical, usage.value) == (True, key_usage("digital_signature", "key_encipherment"))
    # The template's own KeyUsage is DER-minimal, not the API's 9-bit form.
    assert _raw_extension(bytes.fromhex("0603551d0f"), True, bytes.fromhex("030205a0")) in _der(certificate)
    eku = _extension(certificate, EKU_OID)
    assert (eku.critical, [oid.dotted_string for oid in eku.value]) == (
        False,
        ["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"],
    )
    assert [(a.oid.dotted_string, a.value) for a in certificate.subject] == [("2.5.4.3", "api.example.com")]
    assert list(_extension(certificate, SAN_OID).value) == [x509.DNSName("api.example.com")]


def test_custom_extension_for_a_template_fixed_extension_loses_to_the_template(client):
    root = create_active_root(client)
    ca_true = x509.BasicConstraints(ca=True, path_length=None).public_bytes()
    minimal_ku = bytes.fromhex("03020204")  # keyCertSign
    custom = [
        {"ObjectIdentifier": BC_OID, "Value": base64.b64encode(ca_true).decode(), "Critical": True},
        {"ObjectIdentifier": KU_OID, "Value": base64.b64encode(minimal_ku).decode(), "Critical": True},
    ]

    blank = _issue(client, root, {"Extensions": {"CustomExtensions": custom}})
    end_entity = _issue(client, root, {"Extensions": {"CustomExtensions": custom}}, template=EE_API)

    for certificate in (blank, end_entity):
        basic = _extension(certificate, BC_OID)
        assert (basic.critical, basic.value) == (False, x509.BasicConstraints(ca=False, path_length=None))
    # The Blank template leaves KeyUsage to the request; the EndEntity one fixes it.
    assert _extension(blank, KU_OID).value == key_usage("key_cert_sign")
    assert _extension(end_entity, KU_OID).value == key_usage("digital_signature", "key_encipherment")


# --- SubjectAlternativeNames -----------------------------------------------------------------


def test_subject_alternative_names_in_every_form_keep_request_order_and_replace_the_csr_ones(client):
    root = create_active_root(client)
    csr = make_csr("leaf.example.com", sans=[x509.DNSName("csr.example.com")])
    names: list[dict[str, Any]] = [
        {"DnsName": "api.example.com"},
        {"OtherName": {"TypeId": "1.3.6.1.4.1.311.20.2.3", "Value": "user@example.com"}},
        {"Rfc822Name": "ops@example.com"},
        {"DirectoryName": {"Country": "US", "Organization": "Example Corp", "CommonName": "Directory"}},
        {"UniformResourceIdentifier": "spiffe://example.com/workload"},
        {"IpAddress": "192.0.2.10"},
        {"IpAddress": "2001:db8::1"},
        {"RegisteredId": "1.3.6.1.4.1.99999.5"},
        {"DnsName": "second.example.com"},
    ]

    certificate = _issue(client, root, _sans(*names), csr=csr)

    extension = _extension(certificate, SAN_OID)
    assert extension.critical is False
    directory = x509.Name(
        [
            x509.NameAttribute(ObjectIdentifier("2.5.4.6"), "US"),
            x509.NameAttribute(ObjectIdentifier("2.5.4.10"), "Example Corp"),
            x509.NameAttribute(ObjectIdentifier("2.5.4.3"), "Directory"),
        ]
    )
    assert list(extension.value) == [
        x509.DNSName("api.example.com"),
        x509.OtherName(ObjectIdentifier("1.3.6.1.4.1.311.20.2.3"), b"\x0c\x10user@example.com"),
        x509.RFC822Name("ops@example.com"),
        x509.DirectoryName(directory),
        x509.UniformResourceIdentifier("spiffe://example.com/workload"),
        x509.IPAddress(IPv4Address("192.0.2.10")),
        x509.IPAddress(IPv6Address("2001:db8::1")),
        x509.RegisteredID(ObjectIdentifier("1.3.6.1.4.1.99999.5")),
        x509.DNSName("second.example.com"),
    ]


OTHER_NAME_VALUES = [
    pytest.param("a", b"\x0c\x01a", id="short"),
    pytest.param("José", b"\x0c\x05Jos\xc3\xa9", id="non-ascii-utf8"),
    pytest.param("x" * 200, b"\x0c\x81\xc8" + b"x" * 200, id="long-form-length"),
    pytest.param("", b"\x0c\x00", id="empty"),
]


@pytest.mark.parametrize(("value", "encoded"), OTHER_NAME_VALUES)
def test_other_name_values_are_encoded_as_utf8_strings(client, value, encoded):
    root = create_active_root(client)

    certificate = _issue(client, root, _sans({"OtherName": {"TypeId": "1.3.6.1.4.1.311.20.2.3", "Value": value}}))

    assert list(_extension(certificate, SAN_OID).value) == [
        x509.OtherName(ObjectIdentifier("1.3.6.1.4.1.311.20.2.3"), encoded)
    ]


def test_directory_name_with_custom_attributes_becomes_one_rdn_each(client):
    root = create_active_root(client)
    custom = [
        {"ObjectIdentifier": "0.9.2342.19200300.100.1.25", "Value": "example"},
        {"ObjectIdentifier": "0.9.2342.19200300.100.1.1", "Value": "jdoe"},
    ]

    certificate = _issue(client, root, _sans({"DirectoryName": {"CustomAttributes": custom}}))

    (name,) = _extension(certificate, SAN_OID).value
    assert isinstance(name, x509.DirectoryName)
    assert [[(a.oid.dotted_string, a.value) for a in rdn] for rdn in name.value.rdns] == [
        [("0.9.2342.19200300.100.1.25", "example")],
        [("0.9.2342.19200300.100.1.1", "jdoe")],
    ]


def test_san_is_critical_when_the_certificate_subject_is_empty(client):
    root = create_active_root(client)
    csr = make_csr(None, sans=[x509.DNSName("csr.example.com")])

    certificate = _issue(client, root, _sans({"DnsName": "api.example.com"}, {"IpAddress": "192.0.2.1"}), csr=csr)

    assert len(certificate.subject) == 0
    extension = _extension(certificate, SAN_OID)
    assert extension.critical is True
    assert list(extension.value) == [x509.DNSName("api.example.com"), x509.IPAddress(IPv4Address("192.0.2.1"))]


def test_san_is_not_critical_when_the_api_subject_fills_an_empty_csr_subject(client):
    root = create_active_root(client)
    csr = make_csr(None, sans=[x509.DNSName("csr.example.com")])
    passthrough = {"Subject": {"CommonName": "api.example.com"}, **_sans({"DnsName": "api.example.com"})}

    certificate = _issue(client, root, passthrough, csr=csr)

    assert [(a.oid.dotted_string, a.value) for a in certificate.subject] == [("2.5.4.3", "api.example.com")]
    extension = _extension(certificate, SAN_OID)
    assert (extension.critical, list(extension.value)) == (False, [x509.DNSName("api.example.com")])


def test_edi_party_names_are_encoded_with_utf8_directory_strings_among_the_other_names(client):
    root = create_active_root(client)
    names: list[dict[str, Any]] = [
        {"DnsName": "api.example.com"},
        {"EdiPartyName": {"NameAssigner": "Assigner Ltd", "PartyName": "Party Ü"}},
        {"EdiPartyName": {"PartyName": "Lone Party"}},
        {"IpAddress": "192.0.2.1"},
    ]

    pem = _issue_pem(client, root, _sans(*names))

    certificate = load_certificate(pem)
    certificate.verify_directly_issued_by(_ca_certificate(client, root))
    with pytest.raises(x509.UnsupportedGeneralNameType):
        _ = certificate.extensions
    extension, general_names = _decoded_san(_der(certificate))
    assert not extension["critical"]
    assert [name.getName() for name in general_names] == ["dNSName", "ediPartyName", "ediPartyName", "iPAddress"]
    assert str(general_names[0]["dNSName"]) == "api.example.com"
    assigned, lone = general_names[1]["ediPartyName"], general_names[2]["ediPartyName"]
    assert assigned["nameAssigner"].getName() == "utf8String"
    assert str(assigned["nameAssigner"]["utf8String"]) == "Assigner Ltd"
    assert assigned["partyName"].getName() == "utf8String"
    assert str(assigned["partyName"]["utf8String"]) == "Party Ü"
    assert not lone["nameAssigner"].isValue
    assert str(lone["partyName"]["utf8String"]) == "Lone Party"
    assert bytes(general_names[3]["iPAddress"]) == bytes([192, 0, 2, 1])


def test_edi_party_name_encoding_is_explicitly_tagged_inside_the_implicit_choice(client):
    """[5] IMPLICIT EDIPartyName with [0]/[1] EXPLICIT DirectoryStrings (tagging a CHOICE is explicit)."""
    root = create_active_root(client)

    certificate = load_certificate(
        _issue_pem(client, root, _sans({"EdiPartyName": {"NameAssigner": "A", "PartyName": "B"}}))
    )

    # SEQUENCE { [5] { [0] { UTF8String "A" } [1] { UTF8String "B" } } }
    expected_value = bytes.fromhex("300c" + "a50a" + "a003" + "0c0141" + "a103" + "0c0142")
    assert _raw_extension(bytes.fromhex("0603551d11"), False, expected_value) in _der(certificate)


# --- CustomExtensions ------------------------------------------------------------------------


def test_custom_extensions_carry_their_der_value_and_criticality(client):
    root = create_active_root(client)
    name_constraints = x509.NameConstraints(
        permitted_subtrees=[x509.DNSName("example.com")], excluded_subtrees=[x509.DNSName("bad.example.com")]
    )
    nc_der = name_constraints.public_bytes()
    custom = [
        {"ObjectIdentifier": NAME_CONSTRAINTS_OID, "Value": base64.b64encode(nc_der).decode(), "Critical": True},
        {"ObjectIdentifier": PRIVATE_OID, "Value": base64.b64encode(UTF8_HELLO).decode(), "Critical": False},
        {"ObjectIdentifier": PRIVATE_OID_2, "Value": base64.b64encode(UTF8_HELLO).decode(), "Critical": True},
        {"ObjectIdentifier": OCSP_NO_CHECK_OID, "Value": base64.b64encode(b"\x05\x00").decode()},
    ]

    certificate = _issue(client, root, {"Extensions": {"CustomExtensions": custom}})

    constraints = _extension(certificate, NAME_CONSTRAINTS_OID)
    assert (constraints.critical, constraints.value) == (True, name_constraints)
    private = _extension(certificate, PRIVATE_OID)
    assert private.critical is False
    assert private.value == x509.UnrecognizedExtension(ObjectIdentifier(PRIVATE_OID), UTF8_HELLO)
    private_critical = _extension(certificate, PRIVATE_OID_2)
    assert private_critical.critical is True
    assert private_critical.value == x509.UnrecognizedExtension(ObjectIdentifier(PRIVATE_OID_2), UTF8_HELLO)
    no_check = _extension(certificate, OCSP_NO_CHECK_OID)
    assert (no_check.critical, no_check.value) == (False, x509.OCSPNoCheck())  # Critical defaults to false
    der = _der(certificate)
    assert _raw_extension(bytes.fromhex("0603551d1e"), True, nc_der) in der
    assert _raw_extension(bytes.fromhex("06092b0601050507300105"), False, b"\x05\x00") in der


def test_custom_extension_value_is_copied_unchecked_even_when_not_der(client):
    root = create_active_root(client)
    garbage = b"\xff\x00not der"
    custom = {"ObjectIdentifier": PRIVATE_OID, "Value": base64.b64encode(garbage).decode()}

    certificate = _issue(client, root, {"Extensions": {"CustomExtensions": [custom]}})

    assert _extension(certificate, PRIVATE_OID).value == x509.UnrecognizedExtension(
        ObjectIdentifier(PRIVATE_OID), garbage
    )


def test_api_extensions_follow_the_template_slots_policies_first_then_custom_ones_in_request_order(client):
    root = create_active_root(client)
    passthrough = {
        "Extensions": {
            "CustomExtensions": [
                {"ObjectIdentifier": PRIVATE_OID_2, "Value": base64.b64encode(UTF8_HELLO).decode()},
                {"ObjectIdentifier": PRIVATE_OID, "Value": base64.b64encode(UTF8_HELLO).decode()},
            ],
            "CertificatePolicies": [{"CertPolicyId": "2.23.140.1.2.1"}],
            "SubjectAlternativeNames": [{"DnsName": "api.example.com"}],
            "ExtendedKeyUsage": [{"ExtendedKeyUsageType": "SERVER_AUTH"}],
            "KeyUsage": {"DigitalSignature": True},
        }
    }

    certificate = _issue(client, root, passthrough)

    assert _oids(certificate) == [
        SAN_OID,
        BC_OID,
        AKI_OID,
        SKI_OID,
        KU_OID,
        EKU_OID,
        POLICIES_OID,
        PRIVATE_OID_2,
        PRIVATE_OID,
    ]


def test_csr_extensions_follow_the_api_ones_on_an_api_csr_template(client):
    root = create_active_root(client)
    csr = make_csr(
        extensions=[(x509.UnrecognizedExtension(ObjectIdentifier("1.3.6.1.4.1.99999.9"), UTF8_HELLO), False)]
    )
    passthrough = {
        "Extensions": {
            "CustomExtensions": [{"ObjectIdentifier": PRIVATE_OID, "Value": base64.b64encode(UTF8_HELLO).decode()}]
        },
    }

    certificate = _issue(client, root, passthrough, template=BLANK_API_CSR, csr=csr)

    assert _oids(certificate) == [BC_OID, AKI_OID, SKI_OID, PRIVATE_OID, "1.3.6.1.4.1.99999.9"]


# --- InvalidArgsException (behavior.md, own wording) ------------------------------------------

NOT_ONE_CHOICE = "A GeneralName must have exactly one of its fields set."
NOT_ASCII = "is not ASCII; write internationalized names as IDNA A-labels (xn--)."
EKU_CHOICE = "An ExtendedKeyUsage must have exactly one of ExtendedKeyUsageType and ExtendedKeyUsageObjectIdentifier."


def _duplicate(oid: str) -> str:
    return f"The extension {oid} is specified more than once in the API passthrough."


def _custom(oid: str) -> dict[str, Any]:
    return {"ObjectIdentifier": oid, "Value": base64.b64encode(b"\x05\x00").decode()}


INVALID_PASSTHROUGHS = [
    pytest.param(
        _sans({"DnsName": "a.example.com", "IpAddress": "192.0.2.1"}), NOT_ONE_CHOICE, id="general-name-two-choices"
    ),
    pytest.param(_sans({}), NOT_ONE_CHOICE, id="general-name-no-choice"),
    pytest.param(
        _sans({"DnsName": "ok.example.com"}, {"Rfc822Name": "a@example.com", "UniformResourceIdentifier": "urn:x"}),
        NOT_ONE_CHOICE,
        id="second-general-name-two-choices",
    ),
    pytest.param(
        _sans({"IpAddress": "300.1.1.1"}),
        "The IpAddress '300.1.1.1' is not a valid IPv4 or IPv6 address.",
        id="ip-out-of-range",
    ),
    pytest.param(
        _sans({"IpAddress": "not-an-ip"}),
        "The IpAddress 'not-an-ip' is not a valid IPv4 or IPv6 address.",
        id="ip-not-an-address",
    ),
    pytest.param(_sans({"DnsName": "bücher.example"}), f"The DnsName 'bücher.example' {NOT_ASCII}", id="dns-non-ascii"),
    pytest.param(
        _sans({"Rfc822Name": "jürgen@example.com"}),
        f"The Rfc822Name 'jürgen@example.com' {NOT_ASCII}",
        id="rfc822-non-ascii",
    ),
    pytest.param(
        _sans({"UniformResourceIdentifier": "https://bücher.example/"}),
        f"The UniformResourceIdentifier 'https://bücher.example/' {NOT_ASCII}",
        id="uri-non-ascii",
    ),
    pytest.param(
        {
            "Subject": {
                "CommonName": "api.example.com",
                "CustomAttributes": [{"ObjectIdentifier": "1.3.6.1.4.1.37244.2.1", "Value": "FFF1"}],
            }
        },
        "The ApiPassthrough subject cannot have both custom attributes and standard attributes.",
        id="subject-custom-and-standard",
    ),
    pytest.param(
        {"Subject": {}}, "The ApiPassthrough subject must have at least one attribute.", id="subject-without-fields"
    ),
    pytest.param(
        _sans(
            {
                "DirectoryName": {
                    "Country": "US",
                    "CustomAttributes": [{"ObjectIdentifier": "2.5.4.3", "Value": "Directory"}],
                }
            }
        ),
        "The DirectoryName cannot have both custom attributes and standard attributes.",
        id="directory-name-custom-and-standard",
    ),
    pytest.param(
        _sans({"DirectoryName": {}}),
        "The DirectoryName must have at least one attribute.",
        id="directory-name-without-fields",
    ),
    pytest.param(
        {
            "Extensions": {
                "ExtendedKeyUsage": [
                    {"ExtendedKeyUsageType": "SERVER_AUTH", "ExtendedKeyUsageObjectIdentifier": "1.3.6.1.4.1.99999.1"}
                ]
            }
        },
        EKU_CHOICE,
        id="eku-both-fields",
    ),
    pytest.param(
        {"Extensions": {"ExtendedKeyUsage": [{"ExtendedKeyUsageType": "SERVER_AUTH"}, {}]}},
        EKU_CHOICE,
        id="eku-neither-field",
    ),
    pytest.param(
        {"Extensions": {"KeyUsage": {"DigitalSignature": True, "EncipherOnly": True}}},
        "KeyUsage EncipherOnly and DecipherOnly require KeyAgreement.",
        id="encipher-only-without-key-agreement",
    ),
    pytest.param(
        {"Extensions": {"KeyUsage": {"DecipherOnly": True}}},
        "KeyUsage EncipherOnly and DecipherOnly require KeyAgreement.",
        id="decipher-only-without-key-agreement",
    ),
    pytest.param(
        {"Extensions": {"CustomExtensions": [_custom(PRIVATE_OID), _custom(PRIVATE_OID_2), _custom(PRIVATE_OID)]}},
        _duplicate(PRIVATE_OID),
        id="two-custom-extensions-one-oid",
    ),
    pytest.param(
        {"Extensions": {"KeyUsage": {"DigitalSignature": True}, "CustomExtensions": [_custom(KU_OID)]}},
        _duplicate(KU_OID),
        id="custom-key-usage-and-key-usage",
    ),
    pytest.param(
        {
            "Extensions": {
                "ExtendedKeyUsage": [{"ExtendedKeyUsageType": "SERVER_AUTH"}],
                "CustomExtensions": [_custom(EKU_OID)],
            }
        },
        _duplicate(EKU_OID),
        id="custom-eku-and-eku",
    ),
    pytest.param(
        {"Extensions": {"SubjectAlternativeNames": [{"DnsName": "a.example"}], "CustomExtensions": [_custom(SAN_OID)]}},
        _duplicate(SAN_OID),
        id="custom-san-and-sans",
    ),
    pytest.param(
        {
            "Extensions": {
                "CertificatePolicies": [{"CertPolicyId": "2.23.140.1.2.1"}],
                "CustomExtensions": [_custom(POLICIES_OID)],
            }
        },
        _duplicate(POLICIES_OID),
        id="custom-policies-and-policies",
    ),
]


@pytest.mark.parametrize(("passthrough", "message"), INVALID_PASSTHROUGHS)
def test_invalid_api_passthrough_is_refused_and_nothing_is_issued(client, passthrough, message):
    root = create_active_root(client)

    _assert_refused(client, root, passthrough, INVALID_ARGS, message)


@pytest.mark.parametrize(
    ("passthrough", "message"),
    [
        pytest.param(
            _sans({"IpAddress": "300.1.1.1"}), "The IpAddress '300.1.1.1' is not a valid IPv4 or IPv6 address."
        ),
        pytest.param(
            {"Extensions": {"KeyUsage": {"EncipherOnly": True}}},
            "KeyUsage EncipherOnly and DecipherOnly require KeyAgreement.",
        ),
    ],
    ids=["bad-ip", "encipher-only"],
)
def test_invalid_api_passthrough_is_refused_by_a_non_blank_api_template_too(client, passthrough, message):
    root = create_active_root(client)

    _assert_refused(client, root, passthrough, INVALID_ARGS, message, template=EE_API)


@pytest.mark.parametrize(("passthrough", "message"), INVALID_PASSTHROUGHS)
def test_invalid_api_passthrough_is_ignored_by_the_base_end_entity_template(client, passthrough, message):
    root = create_active_root(client)
    csr = make_csr("csr.example.com", sans=[x509.DNSName("csr.example.com")])

    certificate = _issue(client, root, passthrough, template=EE_TEMPLATE, csr=csr)

    assert [(a.oid.dotted_string, a.value) for a in certificate.subject] == [("2.5.4.3", "csr.example.com")]
    assert _oids(certificate) == [SAN_OID, BC_OID, AKI_OID, SKI_OID, KU_OID, EKU_OID]
    assert list(_extension(certificate, SAN_OID).value) == [x509.DNSName("csr.example.com")]
    assert _extension(certificate, KU_OID).value == key_usage("digital_signature", "key_encipherment")
    assert [oid.dotted_string for oid in _extension(certificate, EKU_OID).value] == [
        "1.3.6.1.5.5.7.3.1",
        "1.3.6.1.5.5.7.3.2",
    ]


def test_invalid_api_passthrough_is_ignored_when_no_template_is_given(client):
    root = create_active_root(client)
    passthrough = {"Subject": {}, **_sans({"IpAddress": "300.1.1.1"})}

    certificate = _issue(client, root, passthrough, template=None, csr=make_csr("csr.example.com"))

    assert [(a.oid.dotted_string, a.value) for a in certificate.subject] == [("2.5.4.3", "csr.example.com")]
    assert _oids(certificate) == [BC_OID, AKI_OID, SKI_OID, KU_OID, EKU_OID]


# --- ValidationException (service model; AWS's wording) ---------------------------------------


def _violation(value: str, path: str, constraint: str) -> str:
    return f"Value '{value}' at 'apiPassthrough.{path}' failed to satisfy constraint: Member must {constraint}"


def _one_error(value: str, path: str, constraint: str) -> str:
    return "1 validation error detected: " + _violation(value, path, constraint)


OID_PATTERN = r"([0-2])\.([0-9]|([0-3][0-9]))((\.([0-9]+)){0,126})"
BASE64_PATTERN = "(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?"
LONG_DNS = "a" * 254
LONG_CN = "c" * 65
LONG_CPS = "https://pki.example.com/" + "p" * 233  # 257 characters

MODEL_VIOLATIONS = [
    pytest.param(
        _sans({"DnsName": LONG_DNS}),
        _one_error(
            LONG_DNS,
            "extensions.subjectAlternativeNames.1.member.dnsName",
            "have length less than or equal to 253",
        ),
        id="dns-name-254-chars",
    ),
    pytest.param(
        {"Subject": {"CommonName": LONG_CN}},
        _one_error(LONG_CN, "subject.commonName", "have length less than or equal to 64"),
        id="common-name-65-chars",
    ),
    pytest.param(
        {"Subject": {"Country": "USA"}},
        "2 validation errors detected: "
        + _violation("USA", "subject.country", "have length less than or equal to 2")
        + "; "
        + _violation("USA", "subject.country", "satisfy regular expression pattern: [A-Za-z]{2}"),
        id="country-three-letters",
    ),
    pytest.param(
        {"Extensions": {"CustomExtensions": [{"ObjectIdentifier": "3.1", "Value": "BQA="}]}},
        _one_error(
            "3.1",
            "extensions.customExtensions.1.member.objectIdentifier",
            f"satisfy regular expression pattern: {OID_PATTERN}",
        ),
        id="oid-3.1",
    ),
    pytest.param(
        {"Extensions": {"CustomExtensions": [{"ObjectIdentifier": PRIVATE_OID, "Value": "abc"}]}},
        _one_error(
            "abc", "extensions.customExtensions.1.member.value", f"satisfy regular expression pattern: {BASE64_PATTERN}"
        ),
        id="base64-abc",
    ),
    pytest.param(
        {"Extensions": {"CustomExtensions": [{"ObjectIdentifier": PRIVATE_OID, "Value": ""}]}},
        _one_error("", "extensions.customExtensions.1.member.value", "have length greater than or equal to 1"),
        id="custom-extension-empty-value",
    ),
    pytest.param(
        {
            "Extensions": {
                "CertificatePolicies": [
                    {
                        "CertPolicyId": "2.23.140.1.2.1",
                        "PolicyQualifiers": [{"PolicyQualifierId": "CPS", "Qualifier": {"CpsUri": LONG_CPS}}],
                    }
                ]
            }
        },
        _one_error(
            LONG_CPS,
            "extensions.certificatePolicies.1.member.policyQualifiers.1.member.qualifier.cpsUri",
            "have length less than or equal to 256",
        ),
        id="cps-uri-257-chars",
    ),
    pytest.param(
        _sans(*[{"DnsName": "a.example"}] * 151),
        _one_error(
            "[" + ", ".join(["{dnsName=a.example}"] * 151) + "]",
            "extensions.subjectAlternativeNames",
            "have length less than or equal to 150",
        ),
        id="151-sans",
    ),
]


@pytest.mark.parametrize(("passthrough", "message"), MODEL_VIOLATIONS)
def test_model_violations_in_api_passthrough_are_validation_errors_and_nothing_is_issued(pca, passthrough, message):
    # botocore checks minimum lengths itself; switching its validation off lets the service answer.
    client = _unvalidated_client()
    root = create_active_root(client)

    _assert_refused(client, root, passthrough, VALIDATION, message)


def test_limits_are_inclusive_at_their_maximum(client):
    root = create_active_root(client)
    dns = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 61])  # 253 characters
    passthrough = {
        "Subject": {"CommonName": "c" * 64},
        **_sans({"DnsName": dns}, *[{"DnsName": f"n{index}.example"} for index in range(149)]),
    }

    certificate = _issue(client, root, passthrough)

    assert certificate.subject.rdns[0].get_attributes_for_oid(ObjectIdentifier("2.5.4.3"))[0].value == "c" * 64
    names = list(_extension(certificate, SAN_OID).value)
    assert len(names) == 150
    assert names[0] == x509.DNSName(dns)


def test_issued_certificate_key_is_the_csr_key_whatever_the_passthrough(client):
    root = create_active_root(client)
    key = ec_key(7)

    certificate = _issue(client, root, {"Subject": {"CommonName": "api.example.com"}}, csr=make_csr(key=key))

    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    assert certificate.public_key().public_bytes(serialization.Encoding.DER, spki) == key.public_key().public_bytes(
        serialization.Encoding.DER, spki
    )
