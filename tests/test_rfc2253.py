"""Distinguished names rendered as Java's X500Principal.getName(RFC2253) does (pca_mock.x509.rfc2253)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.name import _ASN1Type
from cryptography.x509.oid import NameOID, ObjectIdentifier

from pca_mock.x509 import rfc2253
from tests.helpers import ec_key


def _cn(value: str, asn1_type: _ASN1Type | None = None) -> x509.Name:
    if asn1_type is None:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, value)])
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, value, _type=asn1_type)])


def test_rdns_are_written_last_first_with_rfc2253_keywords() -> None:
    # The subject of AWS's sample audit report row, in the order a CA encodes it.
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
            x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Washington"),
            x509.NameAttribute(NameOID.LOCALITY_NAME, "Seattle"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Company"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Sales"),
            x509.NameAttribute(NameOID.COMMON_NAME, "www.example1.com"),
        ]
    )

    assert rfc2253.render(name) == "CN=www.example1.com,OU=Sales,O=Example Company,L=Seattle,ST=Washington,C=US"


@pytest.mark.parametrize(
    ("oid", "value", "expected"),
    [
        pytest.param(NameOID.STREET_ADDRESS, "1 Main St", "STREET=1 Main St", id="street"),
        pytest.param(NameOID.DOMAIN_COMPONENT, "example", "DC=example", id="domain-component"),
        pytest.param(NameOID.USER_ID, "jdoe", "UID=jdoe", id="user-id"),
        pytest.param(NameOID.SERIAL_NUMBER, "1234", "2.5.4.5=#130431323334", id="serial-number-printable"),
        pytest.param(NameOID.EMAIL_ADDRESS, "a@b.c", "1.2.840.113549.1.9.1=#16056140622e63", id="email-ia5"),
        pytest.param(NameOID.TITLE, "Dr", "2.5.4.12=#0c024472", id="title-utf8"),
        pytest.param(NameOID.GIVEN_NAME, "Jo", "2.5.4.42=#0c024a6f", id="given-name"),
        pytest.param(NameOID.DN_QUALIFIER, "q", "2.5.4.46=#130171", id="dn-qualifier"),
        pytest.param(ObjectIdentifier("1.3.6.1.4.1.99999.1"), "x", "1.3.6.1.4.1.99999.1=#0c0178", id="private-oid"),
    ],
)
def test_only_nine_types_are_named_and_the_rest_are_oid_and_der_hex(
    oid: ObjectIdentifier, value: str, expected: str
) -> None:
    assert rfc2253.render(x509.Name([x509.NameAttribute(oid, value)])) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("a,b", "CN=a\\,b", id="comma"),
        pytest.param("a+b", "CN=a\\+b", id="plus"),
        pytest.param('a"b', 'CN=a\\"b', id="quote"),
        pytest.param("a\\b", "CN=a\\\\b", id="backslash"),
        pytest.param("a<b>c;d", "CN=a\\<b\\>c\\;d", id="angle-brackets-semicolon"),
        pytest.param("a=b", "CN=a\\=b", id="equals-anywhere"),
        pytest.param("#a#b", "CN=\\#a\\#b", id="hash-anywhere"),
        pytest.param(" a b ", "CN=\\ a b\\ ", id="leading-and-trailing-space"),
        pytest.param("  ", "CN=\\ \\ ", id="only-spaces"),
        pytest.param("a\0b", "CN=a\\00b", id="nul"),
        pytest.param("zoë 日本", "CN=zoë 日本", id="non-ascii-as-is"),
    ],
)
def test_values_are_escaped_as_java_escapes_them(value: str, expected: str) -> None:
    assert rfc2253.render(_cn(value)) == expected


@pytest.mark.parametrize(
    ("asn1_type", "value", "expected"),
    [
        pytest.param(_ASN1Type.PrintableString, "abc", "CN=abc", id="printable"),
        pytest.param(_ASN1Type.IA5String, "abc", "CN=abc", id="ia5"),
        pytest.param(_ASN1Type.NumericString, "123", "CN=#1203313233", id="numeric-as-hex"),
        pytest.param(_ASN1Type.VisibleString, "abc", "CN=#1a03616263", id="visible-as-hex"),
        pytest.param(_ASN1Type.UniversalString, "a", "CN=#1c0400000061", id="universal-as-hex"),
        # Java reads every string type's bytes as UTF-8, so a BMPString shows its zero bytes.
        pytest.param(_ASN1Type.BMPString, "AB", "CN=\\00A\\00B", id="bmp-read-as-utf8"),
    ],
)
def test_string_types_java_cannot_print_are_written_as_der_hex(asn1_type: _ASN1Type, value: str, expected: str) -> None:
    assert rfc2253.render(_cn(value, asn1_type)) == expected


def test_multi_valued_rdn_joins_its_attributes_with_plus() -> None:
    rdn = x509.RelativeDistinguishedName(
        [x509.NameAttribute(NameOID.COMMON_NAME, "b"), x509.NameAttribute(NameOID.USER_ID, "u")]
    )
    name = x509.Name([x509.RelativeDistinguishedName([x509.NameAttribute(NameOID.COUNTRY_NAME, "US")]), rdn])

    assert rfc2253.render(name) == "CN=b+UID=u,C=US"


def test_empty_name_renders_as_empty_string() -> None:
    assert rfc2253.render(x509.Name([])) == ""


def test_der_bytes_render_like_the_name() -> None:
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "O"), x509.NameAttribute(NameOID.COMMON_NAME, "c")])

    assert rfc2253.render(name.public_bytes()) == rfc2253.render(name) == "CN=c,O=O"


@pytest.mark.parametrize(
    "der",
    [
        pytest.param(b"\x31\x00", id="not-a-sequence"),
        pytest.param(b"\x30\x05\x31\x03", id="truncated"),
        pytest.param(b"\x30\x80\x00\x00", id="indefinite-length"),
        pytest.param(b"\x30\x02\x30\x00", id="rdn-not-a-set"),
    ],
)
def test_bytes_that_are_not_a_der_name_raise_value_error(der: bytes) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the message is for debugging only
        rfc2253.render(der)


def test_subject_der_is_the_subject_not_the_issuer() -> None:
    key = ec_key()
    subject, issuer = _cn("subject.example.com"), _cn("issuer.example.com")
    now = datetime.now(timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )

    assert rfc2253.subject_der(certificate) == subject.public_bytes()
    assert rfc2253.render(rfc2253.subject_der(certificate)) == "CN=subject.example.com"
