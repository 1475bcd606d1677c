"""CreateCertificateAuthority, DescribeCertificateAuthority, ListCertificateAuthorities.

Also ARN handling (reference §2) and the model-driven ValidationException
wording for these operations. Section numbers refer to
shared/reference/acm-pca-behavior.md.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import pytest
import time_machine
from botocore.exceptions import ClientError
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtensionOID, NameOID, ObjectIdentifier, SignatureAlgorithmOID

from pca_mock.errors import UnsupportedByMockError
from tests.helpers import activate_root, assert_client_error, ca_configuration, create_ca, enum_set, load_certificate

NOW = datetime(2030, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
OTHER_ACCOUNT = "111122223333"
DEFAULT_ACCOUNT = "123456789012"
UNKNOWN_ID = "0b9c8d7e-1a2b-4c3d-8e9f-0a1b2c3d4e5f"
UNKNOWN_ARN = f"arn:aws:acm-pca:us-east-1:{DEFAULT_ACCOUNT}:certificate-authority/{UNKNOWN_ID}"
SECURITY_STANDARD_MESSAGE = (
    "A certificate authority cannot be created in this region with the specified security standard."
)
ARN_PATTERN = r"arn:[\w+=/,.@-]+:acm-pca:[\w+=/,.@-]*:[0-9]*:[\w+=,.@-]+(/[\w+=,.@-]+)*"
KEY_ALGORITHMS = enum_set("KeyAlgorithm")


# --- local helpers ---------------------------------------------------------------------


@pytest.fixture
def clock(pca: Any) -> Iterator[time_machine.Traveller]:
    """A stopped clock at NOW, so timestamps can be compared exactly."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def client_for(region: str = "us-east-1", account: str | None = None) -> Any:
    """A client in ``region``; a 12-digit access key id makes the caller that account."""
    if account is None:
        return boto3.client("acm-pca", region_name=region)
    return boto3.client("acm-pca", region_name=region, aws_access_key_id=account, aws_secret_access_key="x")


def csr_of(client: Any, arn: str) -> x509.CertificateSigningRequest:
    pem = client.get_certificate_authority_csr(CertificateAuthorityArn=arn)["Csr"]
    return x509.load_pem_x509_csr(pem.encode())


def describe(client: Any, arn: str) -> dict[str, Any]:
    ca: dict[str, Any] = client.describe_certificate_authority(CertificateAuthorityArn=arn)["CertificateAuthority"]
    return ca


def listed_arns(client: Any, **kwargs: Any) -> list[str]:
    pages = client.get_paginator("list_certificate_authorities").paginate(**kwargs)
    return [ca["Arn"] for page in pages for ca in page["CertificateAuthorities"]]


def rdn_oids(name: x509.Name) -> list[ObjectIdentifier]:
    assert all(len(rdn) == 1 for rdn in name.rdns), "every attribute is its own RDN"
    return [attribute.oid for rdn in name.rdns for attribute in rdn]


def extension_oids(csr: x509.CertificateSigningRequest) -> list[ObjectIdentifier]:
    return [extension.oid for extension in csr.extensions]


def colon_hex(serial: int) -> str:
    digits = f"{serial:x}"
    digits = digits.zfill(len(digits) + len(digits) % 2)
    return ":".join(digits[i : i + 2] for i in range(0, len(digits), 2))


def create_with(client: Any, **kwargs: Any) -> dict[str, Any]:
    """Create a ROOT CA with a default EC configuration plus ``kwargs``; returns the raw response."""
    kwargs.setdefault("CertificateAuthorityConfiguration", ca_configuration())
    kwargs.setdefault("CertificateAuthorityType", "ROOT")
    response: dict[str, Any] = client.create_certificate_authority(**kwargs)
    return response


def assert_no_cas(client: Any) -> None:
    assert client.list_certificate_authorities()["CertificateAuthorities"] == []


# --- CreateCertificateAuthority: key and signing algorithms (§13) -----------------------

# SigningAlgorithm → (hash, signature OID): PKCS#1 v1.5 for RSA, never PSS.
SIGNATURES: dict[str, tuple[type[hashes.HashAlgorithm], ObjectIdentifier]] = {
    "SHA256WITHRSA": (hashes.SHA256, SignatureAlgorithmOID.RSA_WITH_SHA256),
    "SHA384WITHRSA": (hashes.SHA384, SignatureAlgorithmOID.RSA_WITH_SHA384),
    "SHA512WITHRSA": (hashes.SHA512, SignatureAlgorithmOID.RSA_WITH_SHA512),
    "SHA256WITHECDSA": (hashes.SHA256, SignatureAlgorithmOID.ECDSA_WITH_SHA256),
    "SHA384WITHECDSA": (hashes.SHA384, SignatureAlgorithmOID.ECDSA_WITH_SHA384),
    "SHA512WITHECDSA": (hashes.SHA512, SignatureAlgorithmOID.ECDSA_WITH_SHA512),
}
RSA_SIZES = {"RSA_2048": 2048, "RSA_3072": 3072, "RSA_4096": 4096}
EC_CURVES = {"EC_prime256v1": "secp256r1", "EC_secp384r1": "secp384r1", "EC_secp521r1": "secp521r1"}


@pytest.mark.parametrize(
    ("key_algorithm", "signing_algorithm"),
    [
        pytest.param("RSA_2048", "SHA256WITHRSA", id="rsa2048-sha256"),
        pytest.param("RSA_2048", "SHA384WITHRSA", id="rsa2048-sha384"),
        pytest.param("RSA_2048", "SHA512WITHRSA", id="rsa2048-sha512"),
        pytest.param("RSA_3072", "SHA384WITHRSA", id="rsa3072-sha384"),
        pytest.param("RSA_4096", "SHA512WITHRSA", id="rsa4096-sha512"),
        pytest.param("EC_prime256v1", "SHA256WITHECDSA", id="p256-sha256"),
        pytest.param("EC_prime256v1", "SHA384WITHECDSA", id="p256-sha384"),
        pytest.param("EC_prime256v1", "SHA512WITHECDSA", id="p256-sha512"),
        pytest.param("EC_secp384r1", "SHA256WITHECDSA", id="p384-sha256"),
        pytest.param("EC_secp384r1", "SHA384WITHECDSA", id="p384-sha384"),
        pytest.param("EC_secp384r1", "SHA512WITHECDSA", id="p384-sha512"),
        pytest.param("EC_secp521r1", "SHA256WITHECDSA", id="p521-sha256"),
        pytest.param("EC_secp521r1", "SHA384WITHECDSA", id="p521-sha384"),
        pytest.param("EC_secp521r1", "SHA512WITHECDSA", id="p521-sha512"),
    ],
)
def test_create_with_valid_algorithm_pair_yields_csr_with_that_key_and_signature(
    client, key_algorithm, signing_algorithm
):
    arn = create_ca(client, configuration=ca_configuration(key_algorithm, signing_algorithm))

    csr = csr_of(client, arn)
    assert csr.is_signature_valid
    hash_type, signature_oid = SIGNATURES[signing_algorithm]
    assert isinstance(csr.signature_hash_algorithm, hash_type)
    assert csr.signature_algorithm_oid == signature_oid
    public_key = csr.public_key()
    if key_algorithm in RSA_SIZES:
        assert isinstance(public_key, rsa.RSAPublicKey)
        assert public_key.key_size == RSA_SIZES[key_algorithm]
    else:
        assert isinstance(public_key, ec.EllipticCurvePublicKey)
        assert public_key.curve.name == EC_CURVES[key_algorithm]
    configuration = describe(client, arn)["CertificateAuthorityConfiguration"]
    assert (configuration["KeyAlgorithm"], configuration["SigningAlgorithm"]) == (key_algorithm, signing_algorithm)


@pytest.mark.parametrize(
    ("key_algorithm", "signing_algorithm"),
    [
        pytest.param("RSA_2048", "SHA256WITHECDSA", id="rsa-key-ecdsa-signature"),
        pytest.param("EC_prime256v1", "SHA256WITHRSA", id="ec-key-rsa-signature"),
        pytest.param("EC_secp384r1", "SM3WITHSM2", id="ec-key-sm2-signature"),
        pytest.param("RSA_4096", "ML_DSA_65", id="rsa-key-mldsa-signature"),
        pytest.param("ML_DSA_44", "SHA256WITHRSA", id="mldsa-key-rsa-signature"),
        pytest.param("ML_DSA_44", "ML_DSA_65", id="mldsa44-key-mldsa65-signature"),
    ],
)
def test_create_with_mismatched_signing_algorithm_raises_invalid_args(client, key_algorithm, signing_algorithm):
    with pytest.raises(ClientError) as excinfo:
        create_ca(client, configuration=ca_configuration(key_algorithm, signing_algorithm))

    assert_client_error(
        excinfo,
        "InvalidArgsException",
        f"The signing algorithm {signing_algorithm} is not compatible with the key algorithm {key_algorithm}.",
    )
    assert_no_cas(client)


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1", "us-gov-west-1"])
def test_create_with_sm2_outside_china_raises_invalid_args(pca, region):
    client = client_for(region)

    with pytest.raises(ClientError) as excinfo:
        create_ca(client, configuration=ca_configuration("SM2", "SM3WITHSM2"))

    assert_client_error(
        excinfo, "InvalidArgsException", f"The key algorithm SM2 is not supported in the {region} region."
    )
    assert_no_cas(client)


@pytest.mark.parametrize("region", ["cn-north-1", "cn-northwest-1"])
def test_create_with_sm2_in_china_raises_unsupported_by_mock(pca, region):
    client = client_for(region)

    with pytest.raises(UnsupportedByMockError) as excinfo:
        create_ca(client, configuration=ca_configuration("SM2", "SM3WITHSM2"))

    assert str(excinfo.value) == (
        "pca_mock does not model SM2 CA keys yet: pyca/cryptography cannot sign with SM2/SM3. "
        "Use an RSA_* or EC_* key algorithm."
    )
    assert_no_cas(client)


# --- CreateCertificateAuthority: subject (§5) --------------------------------------------

# Given deliberately out of model order: the CSR must follow the model, not the request.
ALL_SUBJECT_FIELDS = {
    "GenerationQualifier": "Jr",
    "CommonName": "Example Root CA",
    "Pseudonym": "rootie",
    "Country": "US",
    "Initials": "JQP",
    "Organization": "Example Corp",
    "GivenName": "John",
    "OrganizationalUnit": "PKI",
    "Surname": "Public",
    "DistinguishedNameQualifier": "dnq-1",
    "Title": "Certificate Authority",
    "State": "Washington",
    "Locality": "Seattle",
    "SerialNumber": "SN-0001",
}
MODEL_ORDER = [
    ("Country", NameOID.COUNTRY_NAME),
    ("Organization", NameOID.ORGANIZATION_NAME),
    ("OrganizationalUnit", NameOID.ORGANIZATIONAL_UNIT_NAME),
    ("DistinguishedNameQualifier", NameOID.DN_QUALIFIER),
    ("State", NameOID.STATE_OR_PROVINCE_NAME),
    ("CommonName", NameOID.COMMON_NAME),
    ("SerialNumber", NameOID.SERIAL_NUMBER),
    ("Locality", NameOID.LOCALITY_NAME),
    ("Title", NameOID.TITLE),
    ("Surname", NameOID.SURNAME),
    ("GivenName", NameOID.GIVEN_NAME),
    ("Initials", NameOID.INITIALS),
    ("Pseudonym", NameOID.PSEUDONYM),
    ("GenerationQualifier", NameOID.GENERATION_QUALIFIER),
]


def test_create_puts_all_fourteen_subject_fields_in_csr_in_model_order(client):
    arn = create_ca(client, configuration=ca_configuration(subject=ALL_SUBJECT_FIELDS))

    subject = csr_of(client, arn).subject
    assert rdn_oids(subject) == [oid for _, oid in MODEL_ORDER]
    assert [attribute.value for attribute in subject] == [ALL_SUBJECT_FIELDS[field] for field, _ in MODEL_ORDER]


def test_create_with_a_subset_of_subject_fields_keeps_model_order(client):
    subject = {"Locality": "Seattle", "CommonName": "Example CA", "Country": "US", "State": "WA"}

    arn = create_ca(client, configuration=ca_configuration(subject=subject))

    assert rdn_oids(csr_of(client, arn).subject) == [
        NameOID.COUNTRY_NAME,
        NameOID.STATE_OR_PROVINCE_NAME,
        NameOID.COMMON_NAME,
        NameOID.LOCALITY_NAME,
    ]


def test_create_with_custom_attributes_puts_them_in_csr_in_list_order(client):
    custom = [
        {"ObjectIdentifier": "0.9.2342.19200300.100.1.25", "Value": "com"},
        {"ObjectIdentifier": "0.9.2342.19200300.100.1.25", "Value": "example"},
        {"ObjectIdentifier": "1.3.6.1.4.1.37244.2.1", "Value": "FFF1"},
        # A standard attribute's OID may itself be passed as a custom attribute.
        {"ObjectIdentifier": "2.5.4.3", "Value": "Matter Test PAA"},
    ]

    arn = create_ca(client, configuration=ca_configuration(subject={"CustomAttributes": custom}))

    subject = csr_of(client, arn).subject
    assert rdn_oids(subject) == [ObjectIdentifier(item["ObjectIdentifier"]) for item in custom]
    assert [attribute.value for attribute in subject] == [item["Value"] for item in custom]


def test_create_mixing_custom_attributes_with_standard_fields_raises_invalid_args(client):
    subject = {"CommonName": "Example CA", "CustomAttributes": [{"ObjectIdentifier": "2.5.4.10", "Value": "Org"}]}

    with pytest.raises(ClientError) as excinfo:
        create_ca(client, configuration=ca_configuration(subject=subject))

    assert_client_error(
        excinfo, "InvalidArgsException", "The subject cannot have both custom attributes and standard attributes."
    )
    assert_no_cas(client)


def test_create_with_empty_subject_raises_invalid_args(client):
    configuration = ca_configuration()
    configuration["Subject"] = {}

    with pytest.raises(ClientError) as excinfo:
        create_ca(client, configuration=configuration)

    assert_client_error(excinfo, "InvalidArgsException", "The subject must have at least one attribute.")
    assert_no_cas(client)


# --- CreateCertificateAuthority: CsrExtensions (§5) --------------------------------------


def test_create_without_csr_extensions_requests_only_critical_ca_basic_constraints(client):
    arn = create_ca(client)

    csr = csr_of(client, arn)
    assert extension_oids(csr) == [ExtensionOID.BASIC_CONSTRAINTS]
    basic = csr.extensions.get_extension_for_class(x509.BasicConstraints)
    assert basic.critical
    assert basic.value == x509.BasicConstraints(ca=True, path_length=None)


def test_create_with_csr_extensions_puts_key_usage_and_subject_information_access_in_csr(client):
    configuration = ca_configuration()
    configuration["CsrExtensions"] = {
        "KeyUsage": {"DigitalSignature": True, "KeyCertSign": True, "CRLSign": True, "KeyEncipherment": False},
        "SubjectInformationAccess": [
            {
                "AccessMethod": {"AccessMethodType": "CA_REPOSITORY"},
                "AccessLocation": {"UniformResourceIdentifier": "http://pki.example.com/repository"},
            },
            {
                "AccessMethod": {"CustomObjectIdentifier": "1.3.6.1.4.1.99999.1"},
                "AccessLocation": {"DnsName": "repo.example.com"},
            },
        ],
    }

    arn = create_ca(client, configuration=configuration)

    csr = csr_of(client, arn)
    assert set(extension_oids(csr)) == {
        ExtensionOID.BASIC_CONSTRAINTS,
        ExtensionOID.KEY_USAGE,
        ExtensionOID.SUBJECT_INFORMATION_ACCESS,
    }
    basic = csr.extensions.get_extension_for_class(x509.BasicConstraints)
    assert basic.critical
    assert basic.value.ca
    key_usage = csr.extensions.get_extension_for_class(x509.KeyUsage)
    assert key_usage.critical
    assert key_usage.value == x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )
    sia = csr.extensions.get_extension_for_class(x509.SubjectInformationAccess)
    assert not sia.critical
    assert list(sia.value) == [
        x509.AccessDescription(
            ObjectIdentifier("1.3.6.1.5.5.7.48.5"), x509.UniformResourceIdentifier("http://pki.example.com/repository")
        ),
        x509.AccessDescription(ObjectIdentifier("1.3.6.1.4.1.99999.1"), x509.DNSName("repo.example.com")),
    ]


@pytest.mark.parametrize(
    ("access_method_type", "oid"),
    [
        pytest.param("CA_REPOSITORY", "1.3.6.1.5.5.7.48.5", id="ca-repository"),
        pytest.param("RESOURCE_PKI_MANIFEST", "1.3.6.1.5.5.7.48.10", id="rpki-manifest"),
        pytest.param("RESOURCE_PKI_NOTIFY", "1.3.6.1.5.5.7.48.13", id="rpki-notify"),
    ],
)
def test_create_maps_access_method_type_to_its_standard_oid(client, access_method_type, oid):
    configuration = ca_configuration()
    configuration["CsrExtensions"] = {
        "SubjectInformationAccess": [
            {
                "AccessMethod": {"AccessMethodType": access_method_type},
                "AccessLocation": {"UniformResourceIdentifier": "rsync://rpki.example.com/repo/"},
            }
        ]
    }

    arn = create_ca(client, configuration=configuration)

    sia = csr_of(client, arn).extensions.get_extension_for_class(x509.SubjectInformationAccess).value
    assert [description.access_method for description in sia] == [ObjectIdentifier(oid)]


@pytest.mark.parametrize(
    "access_method",
    [
        pytest.param({"AccessMethodType": "CA_REPOSITORY", "CustomObjectIdentifier": "1.3.6.1.4.1.1"}, id="both"),
        pytest.param({}, id="neither"),
    ],
)
def test_create_with_access_method_not_having_exactly_one_field_raises_invalid_args(client, access_method):
    configuration = ca_configuration()
    configuration["CsrExtensions"] = {
        "SubjectInformationAccess": [
            {"AccessMethod": access_method, "AccessLocation": {"UniformResourceIdentifier": "http://x.example"}}
        ]
    }

    with pytest.raises(ClientError) as excinfo:
        create_ca(client, configuration=configuration)

    assert_client_error(
        excinfo,
        "InvalidArgsException",
        "An AccessMethod must have exactly one of CustomObjectIdentifier and AccessMethodType.",
    )
    assert_no_cas(client)


# --- CreateCertificateAuthority: RevocationConfiguration (§7.2) -------------------------


def test_create_without_revocation_configuration_shows_both_methods_disabled(client):
    arn = create_ca(client)

    assert describe(client, arn)["RevocationConfiguration"] == {
        "CrlConfiguration": {"Enabled": False},
        "OcspConfiguration": {"Enabled": False},
    }


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        pytest.param(
            {"CrlConfiguration": {"Enabled": True, "S3BucketName": "crl-bucket"}},
            {
                "CrlConfiguration": {"Enabled": True, "S3BucketName": "crl-bucket", "S3ObjectAcl": "PUBLIC_READ"},
                "OcspConfiguration": {"Enabled": False},
            },
            id="crl-acl-defaults-to-public-read",
        ),
        pytest.param(
            {
                "CrlConfiguration": {
                    "Enabled": True,
                    "S3BucketName": "crl-bucket",
                    "S3ObjectAcl": "BUCKET_OWNER_FULL_CONTROL",
                    "ExpirationInDays": 7,
                    "CustomCname": "crl.example.com",
                    "CrlType": "PARTITIONED",
                    "CustomPath": "pki/crls",
                }
            },
            {
                "CrlConfiguration": {
                    "Enabled": True,
                    "S3BucketName": "crl-bucket",
                    "S3ObjectAcl": "BUCKET_OWNER_FULL_CONTROL",
                    "ExpirationInDays": 7,
                    "CustomCname": "crl.example.com",
                    "CrlType": "PARTITIONED",
                    "CustomPath": "pki/crls",
                },
                "OcspConfiguration": {"Enabled": False},
            },
            id="crl-every-field-echoed",
        ),
        pytest.param(
            {
                "CrlConfiguration": {
                    "Enabled": True,
                    "S3BucketName": "crl-bucket",
                    "CrlDistributionPointExtensionConfiguration": {"OmitExtension": True},
                }
            },
            {
                "CrlConfiguration": {
                    "Enabled": True,
                    "S3BucketName": "crl-bucket",
                    "CrlDistributionPointExtensionConfiguration": {"OmitExtension": True},
                    "S3ObjectAcl": "PUBLIC_READ",
                },
                "OcspConfiguration": {"Enabled": False},
            },
            id="crl-omit-extension-without-cname",
        ),
        pytest.param(
            {"OcspConfiguration": {"Enabled": True, "OcspCustomCname": "ocsp.example.com"}},
            {
                "CrlConfiguration": {"Enabled": False},
                "OcspConfiguration": {"Enabled": True, "OcspCustomCname": "ocsp.example.com"},
            },
            id="ocsp-with-cname",
        ),
        pytest.param(
            {"CrlConfiguration": {"Enabled": False}, "OcspConfiguration": {"Enabled": False}},
            {"CrlConfiguration": {"Enabled": False}, "OcspConfiguration": {"Enabled": False}},
            id="both-explicitly-disabled",
        ),
    ],
)
def test_create_with_valid_revocation_configuration_shows_it_in_describe(client, given, shown):
    arn = create_with(client, RevocationConfiguration=given)["CertificateAuthorityArn"]

    assert describe(client, arn)["RevocationConfiguration"] == shown


@pytest.mark.parametrize(
    ("revocation", "message"),
    [
        pytest.param(
            {"CrlConfiguration": {"Enabled": False, "S3BucketName": "crl-bucket"}},
            "CrlConfiguration must contain only Enabled when Enabled is false.",
            id="crl-disabled-with-bucket",
        ),
        pytest.param(
            {"CrlConfiguration": {"Enabled": False, "ExpirationInDays": 7}},
            "CrlConfiguration must contain only Enabled when Enabled is false.",
            id="crl-disabled-with-expiration",
        ),
        pytest.param(
            {"CrlConfiguration": {"Enabled": True}},
            "CrlConfiguration must specify S3BucketName when Enabled is true.",
            id="crl-enabled-without-bucket",
        ),
        pytest.param(
            {"CrlConfiguration": {"Enabled": True, "S3BucketName": "crl-bucket", "CustomCname": "http://crl.example"}},
            "CustomCname must not include a protocol prefix such as http:// or https://.",
            id="crl-cname-with-http",
        ),
        pytest.param(
            {"CrlConfiguration": {"Enabled": True, "S3BucketName": "crl-bucket", "CustomCname": "HTTPS://crl.example"}},
            "CustomCname must not include a protocol prefix such as http:// or https://.",
            id="crl-cname-with-uppercase-https",
        ),
        pytest.param(
            {
                "CrlConfiguration": {
                    "Enabled": True,
                    "S3BucketName": "crl-bucket",
                    "CustomCname": "crl.example.com",
                    "CrlDistributionPointExtensionConfiguration": {"OmitExtension": True},
                }
            },
            "CustomCname cannot be set when OmitExtension is true.",
            id="crl-cname-with-omit-extension",
        ),
        pytest.param(
            {"OcspConfiguration": {"Enabled": False, "OcspCustomCname": "ocsp.example.com"}},
            "OcspConfiguration must contain only Enabled when Enabled is false.",
            id="ocsp-disabled-with-cname",
        ),
        pytest.param(
            {"OcspConfiguration": {"Enabled": True, "OcspCustomCname": "http://ocsp.example.com"}},
            "OcspCustomCname must not include a protocol prefix such as http:// or https://.",
            id="ocsp-cname-with-http",
        ),
    ],
)
def test_create_with_invalid_revocation_configuration_raises_invalid_args(client, revocation, message):
    with pytest.raises(ClientError) as excinfo:
        create_with(client, RevocationConfiguration=revocation)

    assert_client_error(excinfo, "InvalidArgsException", message)
    assert_no_cas(client)


@pytest.mark.parametrize("region", ["cn-north-1", "cn-northwest-1"])
def test_create_with_ocsp_in_china_raises_invalid_args(pca, region):
    client = client_for(region)

    with pytest.raises(ClientError) as excinfo:
        create_with(client, RevocationConfiguration={"OcspConfiguration": {"Enabled": True}})

    assert_client_error(excinfo, "InvalidArgsException", f"OCSP is not supported in the {region} region.")
    assert_no_cas(client)


def test_create_with_crl_in_china_is_accepted(pca):
    client = client_for("cn-north-1")

    arn = create_with(client, RevocationConfiguration={"CrlConfiguration": {"Enabled": True, "S3BucketName": "b-cn"}})[
        "CertificateAuthorityArn"
    ]

    assert describe(client, arn)["RevocationConfiguration"]["CrlConfiguration"]["Enabled"] is True


# --- CreateCertificateAuthority: key storage, usage mode, type (§1.2, §13) --------------


@pytest.mark.parametrize(
    ("region", "requested", "stored"),
    [
        pytest.param("us-east-1", None, "FIPS_140_2_LEVEL_3_OR_HIGHER", id="default-outside-china"),
        pytest.param("us-gov-west-1", None, "FIPS_140_2_LEVEL_3_OR_HIGHER", id="default-in-govcloud"),
        pytest.param(
            "us-east-1", "FIPS_140_2_LEVEL_3_OR_HIGHER", "FIPS_140_2_LEVEL_3_OR_HIGHER", id="level3-outside-china"
        ),
        pytest.param(
            "eu-west-1", "FIPS_140_2_LEVEL_2_OR_HIGHER", "FIPS_140_2_LEVEL_2_OR_HIGHER", id="level2-outside-china"
        ),
        pytest.param("cn-north-1", None, "CCPC_LEVEL_1_OR_HIGHER", id="default-in-china"),
        pytest.param("cn-northwest-1", "CCPC_LEVEL_1_OR_HIGHER", "CCPC_LEVEL_1_OR_HIGHER", id="ccpc-in-china"),
    ],
)
def test_create_stores_key_storage_security_standard_for_the_region(pca, region, requested, stored):
    client = client_for(region)
    kwargs = {} if requested is None else {"KeyStorageSecurityStandard": requested}

    arn = create_with(client, **kwargs)["CertificateAuthorityArn"]

    assert describe(client, arn)["KeyStorageSecurityStandard"] == stored


@pytest.mark.parametrize(
    ("region", "standard"),
    [
        pytest.param("us-east-1", "CCPC_LEVEL_1_OR_HIGHER", id="ccpc-in-us-east-1"),
        pytest.param("eu-west-1", "CCPC_LEVEL_1_OR_HIGHER", id="ccpc-in-eu-west-1"),
        pytest.param("cn-north-1", "FIPS_140_2_LEVEL_3_OR_HIGHER", id="fips-level3-in-china"),
        pytest.param("cn-northwest-1", "FIPS_140_2_LEVEL_2_OR_HIGHER", id="fips-level2-in-china"),
    ],
)
def test_create_with_security_standard_unsupported_in_region_raises_invalid_args(pca, region, standard):
    client = client_for(region)

    with pytest.raises(ClientError) as excinfo:
        create_with(client, KeyStorageSecurityStandard=standard)

    assert_client_error(excinfo, "InvalidArgsException", SECURITY_STANDARD_MESSAGE)
    assert_no_cas(client)


@pytest.mark.parametrize(
    ("requested", "shown"),
    [
        pytest.param(None, "GENERAL_PURPOSE", id="default"),
        pytest.param("GENERAL_PURPOSE", "GENERAL_PURPOSE", id="general-purpose"),
        pytest.param("SHORT_LIVED_CERTIFICATE", "SHORT_LIVED_CERTIFICATE", id="short-lived"),
    ],
)
def test_create_stores_usage_mode(client, requested, shown):
    kwargs = {} if requested is None else {"UsageMode": requested}

    arn = create_with(client, **kwargs)["CertificateAuthorityArn"]

    assert describe(client, arn)["UsageMode"] == shown


@pytest.mark.parametrize("ca_type", ["ROOT", "SUBORDINATE"])
def test_create_of_either_type_starts_pending_certificate(client, ca_type):
    arn = create_ca(client, ca_type)

    ca = describe(client, arn)
    assert (ca["Type"], ca["Status"]) == (ca_type, "PENDING_CERTIFICATE")


# --- CreateCertificateAuthority: tags (§10) ---------------------------------------------


def test_create_with_tags_stores_them_for_list_tags(client):
    tags = [{"Key": "team", "Value": "pki"}, {"Key": "env", "Value": "test"}, {"Key": "flag"}]

    arn = create_with(client, Tags=tags)["CertificateAuthorityArn"]

    assert client.list_tags(CertificateAuthorityArn=arn)["Tags"] == tags


def test_create_without_tags_has_no_tags(client):
    arn = create_ca(client)

    assert client.list_tags(CertificateAuthorityArn=arn)["Tags"] == []


@pytest.mark.parametrize("key", ["aws:createdBy", "AWS:Team"])
def test_create_with_reserved_aws_tag_key_raises_invalid_tag(client, key):
    with pytest.raises(ClientError) as excinfo:
        create_with(client, Tags=[{"Key": "team", "Value": "pki"}, {"Key": key, "Value": "x"}])

    assert_client_error(
        excinfo, "InvalidTagException", f"Tag key {key} is not valid: the aws: prefix is reserved for AWS use."
    )
    assert_no_cas(client)


# --- CreateCertificateAuthority: idempotency (§1.2) -------------------------------------


def test_create_with_same_token_within_five_minutes_returns_same_ca(client, clock):
    first = create_with(client, IdempotencyToken="token-1")["CertificateAuthorityArn"]
    clock.shift(timedelta(minutes=4, seconds=59))

    second = create_with(client, IdempotencyToken="token-1")["CertificateAuthorityArn"]

    assert second == first
    assert listed_arns(client) == [first]


def test_create_with_same_token_after_five_minutes_creates_another_ca(client, clock):
    first = create_with(client, IdempotencyToken="token-1")["CertificateAuthorityArn"]
    clock.shift(timedelta(minutes=5, seconds=1))

    second = create_with(client, IdempotencyToken="token-1")["CertificateAuthorityArn"]

    assert second != first
    assert listed_arns(client) == [first, second]


def test_create_with_different_tokens_creates_distinct_cas(client):
    first = create_with(client, IdempotencyToken="token-1")["CertificateAuthorityArn"]
    second = create_with(client, IdempotencyToken="token-2")["CertificateAuthorityArn"]
    third = create_with(client)["CertificateAuthorityArn"]

    assert listed_arns(client) == [first, second, third]
    assert len({first, second, third}) == 3


def test_create_that_failed_does_not_consume_its_idempotency_token(client):
    with pytest.raises(ClientError):
        create_with(client, IdempotencyToken="token-1", KeyStorageSecurityStandard="CCPC_LEVEL_1_OR_HIGHER")

    arn = create_with(client, IdempotencyToken="token-1")["CertificateAuthorityArn"]

    assert listed_arns(client) == [arn]


# --- CreateCertificateAuthority: quota (§11) --------------------------------------------


def test_create_beyond_two_hundred_cas_raises_limit_exceeded_counting_deleted_cas(client, clock):
    arns = [create_ca(client) for _ in range(200)]
    client.delete_certificate_authority(CertificateAuthorityArn=arns[0], PermanentDeletionTimeInDays=7)

    with pytest.raises(ClientError) as excinfo:
        create_ca(client)

    assert_client_error(
        excinfo,
        "LimitExceededException",
        "You have reached the limit of 200 certificate authorities in this account and region.",
    )
    assert listed_arns(client) == arns
    # The quota is per account and region.
    assert create_ca(client_for("eu-west-1"))
    assert create_ca(client_for("us-east-1", OTHER_ACCOUNT))
    # Once the deleted CA's restoration window ends it no longer counts.
    clock.shift(timedelta(days=7))
    assert create_ca(client)


# --- DescribeCertificateAuthority (§1.2) -------------------------------------------------


def test_describe_after_create_reports_every_field(client, clock):
    configuration = ca_configuration(subject=ALL_SUBJECT_FIELDS)
    configuration["CsrExtensions"] = {
        "KeyUsage": {"KeyCertSign": True, "CRLSign": True},
        "SubjectInformationAccess": [
            {
                "AccessMethod": {"AccessMethodType": "CA_REPOSITORY"},
                "AccessLocation": {"UniformResourceIdentifier": "http://pki.example.com/repo"},
            }
        ],
    }

    arn = create_ca(client, "SUBORDINATE", configuration=configuration, UsageMode="SHORT_LIVED_CERTIFICATE")

    ca_id = arn.rsplit("/", 1)[1]
    assert arn == f"arn:aws:acm-pca:us-east-1:{DEFAULT_ACCOUNT}:certificate-authority/{ca_id}"
    assert str(uuid.UUID(ca_id)) == ca_id
    assert describe(client, arn) == {
        "Arn": arn,
        "OwnerAccount": DEFAULT_ACCOUNT,
        "CreatedAt": NOW,
        "LastStateChangeAt": NOW,
        "Type": "SUBORDINATE",
        "Status": "PENDING_CERTIFICATE",
        "CertificateAuthorityConfiguration": configuration,
        "RevocationConfiguration": {"CrlConfiguration": {"Enabled": False}, "OcspConfiguration": {"Enabled": False}},
        "KeyStorageSecurityStandard": "FIPS_140_2_LEVEL_3_OR_HIGHER",
        "UsageMode": "SHORT_LIVED_CERTIFICATE",
    }


def test_describe_echoes_custom_attribute_configuration_exactly(client):
    configuration = ca_configuration(
        "RSA_2048",
        "SHA384WITHRSA",
        subject={"CustomAttributes": [{"ObjectIdentifier": "0.9.2342.19200300.100.1.1", "Value": "admin"}]},
    )

    arn = create_ca(client, configuration=configuration)

    assert describe(client, arn)["CertificateAuthorityConfiguration"] == configuration


def test_describe_before_import_has_no_serial_or_validity(client):
    arn = create_ca(client)

    ca = describe(client, arn)
    assert {"Serial", "NotBefore", "NotAfter", "RestorableUntil", "FailureReason"}.isdisjoint(ca)


def test_describe_after_import_reports_serial_and_validity_of_ca_certificate(client, clock):
    arn = create_ca(client)
    clock.shift(timedelta(hours=2))

    certificate = load_certificate(activate_root(client, arn))

    ca = describe(client, arn)
    assert ca["Status"] == "ACTIVE"
    assert ca["Serial"] == colon_hex(certificate.serial_number)
    assert re.fullmatch(r"[0-9a-f]{2}(:[0-9a-f]{2})*", ca["Serial"])
    assert ca["NotBefore"] == certificate.not_valid_before_utc
    assert ca["NotAfter"] == certificate.not_valid_after_utc
    assert ca["CreatedAt"] == NOW
    assert ca["LastStateChangeAt"] == NOW + timedelta(hours=2)
    assert "RestorableUntil" not in ca


def test_describe_deleted_ca_reports_restorable_until_and_restore_removes_it(client, clock):
    arn = create_ca(client)
    clock.shift(timedelta(minutes=10))

    client.delete_certificate_authority(CertificateAuthorityArn=arn, PermanentDeletionTimeInDays=7)

    deleted = describe(client, arn)
    assert deleted["Status"] == "DELETED"
    assert deleted["RestorableUntil"] == NOW + timedelta(minutes=10, days=7)
    assert deleted["LastStateChangeAt"] == NOW + timedelta(minutes=10)
    client.restore_certificate_authority(CertificateAuthorityArn=arn)
    restored = describe(client, arn)
    assert restored["Status"] == "PENDING_CERTIFICATE"
    assert "RestorableUntil" not in restored


def test_describe_deleted_ca_defaults_to_thirty_day_window(client, clock):
    arn = create_ca(client)

    client.delete_certificate_authority(CertificateAuthorityArn=arn)

    assert describe(client, arn)["RestorableUntil"] == NOW + timedelta(days=30)


def test_describe_after_deletion_window_raises_resource_not_found(client, clock):
    arn = create_ca(client)
    client.delete_certificate_authority(CertificateAuthorityArn=arn, PermanentDeletionTimeInDays=7)
    clock.shift(timedelta(days=7))

    with pytest.raises(ClientError) as excinfo:
        describe(client, arn)

    assert_client_error(excinfo, "ResourceNotFoundException", f"Could not find certificate authority with arn {arn}.")
    assert_no_cas(client)


# --- ListCertificateAuthorities (§1.2, §12) ----------------------------------------------


def test_list_with_no_cas_returns_empty_list_without_token(client):
    response = client.list_certificate_authorities()

    assert response["CertificateAuthorities"] == []
    assert "NextToken" not in response


def test_list_returns_cas_in_creation_order_even_with_identical_timestamps(client, clock):
    arns = [create_ca(client) for _ in range(12)]

    assert [ca["Arn"] for ca in client.list_certificate_authorities()["CertificateAuthorities"]] == arns


def test_list_returns_cas_in_creation_order_as_time_passes(client, clock):
    arns = []
    for _ in range(5):
        arns.append(create_ca(client))
        clock.shift(timedelta(seconds=1))

    assert listed_arns(client) == arns


def test_list_items_have_the_same_shape_as_describe(client):
    arn = create_with(
        client, RevocationConfiguration={"CrlConfiguration": {"Enabled": True, "S3BucketName": "crl-bucket"}}
    )["CertificateAuthorityArn"]

    assert client.list_certificate_authorities()["CertificateAuthorities"] == [describe(client, arn)]


def test_list_through_paginator_pages_by_max_results_in_creation_order(client):
    arns = [create_ca(client) for _ in range(7)]

    pages = list(client.get_paginator("list_certificate_authorities").paginate(PaginationConfig={"PageSize": 3}))

    assert [len(page["CertificateAuthorities"]) for page in pages] == [3, 3, 1]
    assert ["NextToken" in page for page in pages] == [True, True, False]
    assert [ca["Arn"] for page in pages for ca in page["CertificateAuthorities"]] == arns


def test_list_returns_at_most_one_hundred_per_page(client):
    arns = [create_ca(client) for _ in range(101)]

    first = client.list_certificate_authorities(MaxResults=1000)
    second = client.list_certificate_authorities(MaxResults=1000, NextToken=first["NextToken"])

    assert len(first["CertificateAuthorities"]) == 100
    assert [ca["Arn"] for ca in second["CertificateAuthorities"]] == arns[100:]
    assert "NextToken" not in second
    assert len(client.list_certificate_authorities()["CertificateAuthorities"]) == 100
    assert listed_arns(client, PaginationConfig={"PageSize": 1000}) == arns


@pytest.mark.parametrize(
    "token",
    [
        pytest.param("bogus", id="garbage"),
        pytest.param("cGNhLW1vY2s6OTk5", id="offset-past-the-end"),
        pytest.param("cGNhLW1vY2s6LTE=", id="negative-offset"),
    ],
)
def test_list_with_bogus_next_token_raises_invalid_next_token(client, token):
    create_ca(client)

    with pytest.raises(ClientError) as excinfo:
        client.list_certificate_authorities(NextToken=token)

    assert_client_error(excinfo, "InvalidNextTokenException", "The token is not valid.")


def test_list_other_accounts_returns_empty_list(client):
    create_ca(client)

    response = client.list_certificate_authorities(ResourceOwner="OTHER_ACCOUNTS")

    assert response["CertificateAuthorities"] == []
    assert "NextToken" not in response


def test_list_self_is_the_default(client):
    arn = create_ca(client)

    assert listed_arns(client, ResourceOwner="SELF") == listed_arns(client) == [arn]


def test_list_includes_deleted_cas_with_restorable_until(client, clock):
    kept, deleted = create_ca(client), create_ca(client)
    client.delete_certificate_authority(CertificateAuthorityArn=deleted, PermanentDeletionTimeInDays=10)

    listed = {ca["Arn"]: ca for ca in client.list_certificate_authorities()["CertificateAuthorities"]}

    assert list(listed) == [kept, deleted]
    assert listed[deleted]["Status"] == "DELETED"
    assert listed[deleted]["RestorableUntil"] == NOW + timedelta(days=10)
    assert "RestorableUntil" not in listed[kept]


def test_list_shows_only_the_callers_account_and_region(pca):
    home = client_for("us-east-1")
    mine = create_ca(home)
    create_ca(client_for("eu-west-1"))
    create_ca(client_for("us-east-1", OTHER_ACCOUNT))

    assert listed_arns(home) == [mine]


# --- ARNs, accounts and regions (§2) -----------------------------------------------------


@pytest.mark.parametrize(
    ("region", "partition"),
    [
        pytest.param("us-east-1", "aws", id="aws"),
        pytest.param("eu-west-1", "aws", id="aws-eu"),
        pytest.param("cn-north-1", "aws-cn", id="aws-cn"),
        pytest.param("cn-northwest-1", "aws-cn", id="aws-cn-northwest"),
        pytest.param("us-gov-west-1", "aws-us-gov", id="aws-us-gov"),
    ],
)
def test_create_returns_arn_in_the_partition_of_the_region(pca, region, partition):
    client = client_for(region)

    arn = create_ca(client)

    match = re.fullmatch(
        rf"arn:{partition}:acm-pca:{region}:{DEFAULT_ACCOUNT}:certificate-authority/"
        r"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})",
        arn,
    )
    assert match is not None
    assert describe(client, arn)["Arn"] == arn


def test_create_with_twelve_digit_access_key_acts_as_that_account(pca):
    client = client_for("us-east-1", OTHER_ACCOUNT)

    arn = create_ca(client)

    assert arn.startswith(f"arn:aws:acm-pca:us-east-1:{OTHER_ACCOUNT}:certificate-authority/")
    assert describe(client, arn)["OwnerAccount"] == OTHER_ACCOUNT


def test_describe_from_another_region_raises_resource_not_found(pca):
    arn = create_ca(client_for("eu-west-1"))

    with pytest.raises(ClientError) as excinfo:
        describe(client_for("us-east-1"), arn)

    assert_client_error(excinfo, "ResourceNotFoundException", f"Could not find certificate authority with arn {arn}.")


def test_describe_from_another_account_without_a_policy_raises_access_denied(client):
    arn = create_ca(client)

    with pytest.raises(ClientError) as excinfo:
        describe(client_for("us-east-1", OTHER_ACCOUNT), arn)

    # Sharing through resource-based policies is covered in test_cross_account.py.
    assert_client_error(
        excinfo,
        "AccessDeniedException",
        f"User: arn:aws:iam::{OTHER_ACCOUNT}:root is not authorized to perform: "
        f"acm-pca:DescribeCertificateAuthority on resource: {arn} because no resource-based policy allows the "
        "acm-pca:DescribeCertificateAuthority action",
    )


def test_describe_unknown_well_formed_arn_raises_resource_not_found(client):
    create_ca(client)

    with pytest.raises(ClientError) as excinfo:
        describe(client, UNKNOWN_ARN)

    assert_client_error(
        excinfo, "ResourceNotFoundException", f"Could not find certificate authority with arn {UNKNOWN_ARN}."
    )


@pytest.mark.parametrize(
    "arn",
    [
        pytest.param(f"arn:aws:acm-pca:us-east-1:{DEFAULT_ACCOUNT}:template/{UNKNOWN_ID}", id="wrong-resource-type"),
        pytest.param(f"{UNKNOWN_ARN}/certificate/e8cbd2bedb122329f97706bcfec990f8", id="certificate-arn-for-ca-arn"),
        pytest.param(f"arn:aws:acm-pca:us-east-1:{DEFAULT_ACCOUNT}:certificate-authority/not-a-uuid", id="non-uuid-id"),
        pytest.param(
            f"arn:aws:acm-pca:us-east-1:{DEFAULT_ACCOUNT}:certificate-authority/{UNKNOWN_ID.upper()}",
            id="uppercase-uuid",
        ),
        pytest.param(f"arn:aws:acm-pca:us-east-1:12345:certificate-authority/{UNKNOWN_ID}", id="short-account"),
        pytest.param(f"arn:aws:acm-pca:us-east-1::certificate-authority/{UNKNOWN_ID}", id="empty-account"),
        pytest.param(f"arn:aws:acm-pca::{DEFAULT_ACCOUNT}:certificate-authority/{UNKNOWN_ID}", id="empty-region"),
        pytest.param("arn:aws:acm-pca:::template/EndEntityCertificate/V1", id="template-arn"),
        pytest.param(
            f"arn:aws-cn:acm-pca:us-east-1:{DEFAULT_ACCOUNT}:certificate-authority/{UNKNOWN_ID}",
            id="partition-not-of-region",
        ),
    ],
)
def test_describe_with_malformed_arn_raises_invalid_arn(client, arn):
    assert re.fullmatch(ARN_PATTERN, arn), "the ARN must pass the model pattern to reach the handler"

    with pytest.raises(ClientError) as excinfo:
        describe(client, arn)

    assert_client_error(excinfo, "InvalidArnException", "Not a valid arn.")


def test_describe_with_arn_failing_model_pattern_raises_validation_error(client):
    with pytest.raises(ClientError) as excinfo:
        describe(client, "not-an-arn")

    assert_client_error(
        excinfo,
        "ValidationException",
        "1 validation error detected: Value 'not-an-arn' at 'certificateAuthorityArn' failed to satisfy "
        f"constraint: Member must satisfy regular expression pattern: {ARN_PATTERN}",
    )


# --- model-driven ValidationException wording (§0) --------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        pytest.param(
            {"KeyAlgorithm": "BOGUS"},
            "1 validation error detected: Value 'BOGUS' at 'certificateAuthorityConfiguration.keyAlgorithm' failed "
            f"to satisfy constraint: Member must satisfy enum value set: {KEY_ALGORITHMS}",
            id="key-algorithm-enum",
        ),
        pytest.param(
            {"SigningAlgorithm": "SHA1WITHRSA"},
            "1 validation error detected: Value 'SHA1WITHRSA' at 'certificateAuthorityConfiguration.signingAlgorithm' "
            f"failed to satisfy constraint: Member must satisfy enum value set: {enum_set('SigningAlgorithm')}",
            id="signing-algorithm-enum",
        ),
        pytest.param(
            {"Subject": {"Country": "USA"}},
            "2 validation errors detected: "
            "Value 'USA' at 'certificateAuthorityConfiguration.subject.country' failed to satisfy constraint: "
            "Member must have length less than or equal to 2; "
            "Value 'USA' at 'certificateAuthorityConfiguration.subject.country' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: [A-Za-z]{2}",
            id="three-letter-country",
        ),
        pytest.param(
            {"Subject": {"Country": "U1"}},
            "1 validation error detected: "
            "Value 'U1' at 'certificateAuthorityConfiguration.subject.country' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: [A-Za-z]{2}",
            id="country-with-digit",
        ),
        pytest.param(
            {"Subject": {"GivenName": "Maximilianoooooo1", "Initials": "ABCDEF"}},
            "2 validation errors detected: "
            "Value 'Maximilianoooooo1' at 'certificateAuthorityConfiguration.subject.givenName' failed to satisfy "
            "constraint: Member must have length less than or equal to 16; "
            "Value 'ABCDEF' at 'certificateAuthorityConfiguration.subject.initials' failed to satisfy constraint: "
            "Member must have length less than or equal to 5",
            id="two-fields-too-long",
        ),
        pytest.param(
            {"Subject": {"SerialNumber": "SN_1"}},
            "1 validation error detected: "
            "Value 'SN_1' at 'certificateAuthorityConfiguration.subject.serialNumber' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: [a-zA-Z0-9'()+-.?:/= ]*",
            id="serial-number-not-printable-string",
        ),
        pytest.param(
            {"Subject": {"CustomAttributes": [{"ObjectIdentifier": "9.1", "Value": "x"}]}},
            "1 validation error detected: "
            "Value '9.1' at 'certificateAuthorityConfiguration.subject.customAttributes.1.member.objectIdentifier' "
            "failed to satisfy constraint: Member must satisfy regular expression pattern: "
            r"([0-2])\.([0-9]|([0-3][0-9]))((\.([0-9]+)){0,126})",
            id="custom-attribute-bad-oid",
        ),
    ],
)
def test_create_with_configuration_violating_model_raises_validation_error(client, overrides, message):
    configuration = {**ca_configuration(), **overrides}

    with pytest.raises(ClientError) as excinfo:
        create_ca(client, configuration=configuration)

    assert_client_error(excinfo, "ValidationException", message)
    assert_no_cas(client)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param(
            {"CertificateAuthorityType": "INTERMEDIATE"},
            "1 validation error detected: Value 'INTERMEDIATE' at 'certificateAuthorityType' failed to satisfy "
            f"constraint: Member must satisfy enum value set: {enum_set('CertificateAuthorityType')}",
            id="ca-type-enum",
        ),
        pytest.param(
            {"Tags": [{"Key": "team", "Value": "pki"}, {"Key": "a!b", "Value": "x"}]},
            "1 validation error detected: Value 'a!b' at 'tags.2.member.key' failed to satisfy constraint: "
            r"Member must satisfy regular expression pattern: ([\p{L}\p{Z}\p{N}_.:/=+\-@]*)",
            id="tag-key-pattern",
        ),
        pytest.param(
            {"Tags": [{"Key": "team", "Value": "p#ki"}]},
            "1 validation error detected: Value 'p#ki' at 'tags.1.member.value' failed to satisfy constraint: "
            r"Member must satisfy regular expression pattern: ([\p{L}\p{Z}\p{N}_.:/=+\-@]*)",
            id="tag-value-pattern",
        ),
        pytest.param(
            {"Tags": [{"Key": "k" * 129}]},
            f"1 validation error detected: Value '{'k' * 129}' at 'tags.1.member.key' failed to satisfy constraint: "
            "Member must have length less than or equal to 128",
            id="tag-key-too-long",
        ),
        pytest.param(
            {"IdempotencyToken": "t" * 37},
            f"1 validation error detected: Value '{'t' * 37}' at 'idempotencyToken' failed to satisfy constraint: "
            "Member must have length less than or equal to 36",
            id="idempotency-token-too-long",
        ),
        pytest.param(
            {"KeyStorageSecurityStandard": "FIPS_140_3"},
            "1 validation error detected: Value 'FIPS_140_3' at 'keyStorageSecurityStandard' failed to satisfy "
            f"constraint: Member must satisfy enum value set: {enum_set('KeyStorageSecurityStandard')}",
            id="security-standard-enum",
        ),
        pytest.param(
            {"UsageMode": "LONG_LIVED"},
            "1 validation error detected: Value 'LONG_LIVED' at 'usageMode' failed to satisfy constraint: "
            f"Member must satisfy enum value set: {enum_set('CertificateAuthorityUsageMode')}",
            id="usage-mode-enum",
        ),
        pytest.param(
            {
                "RevocationConfiguration": {
                    "CrlConfiguration": {
                        "Enabled": True,
                        "S3BucketName": "crl-bucket",
                        "S3ObjectAcl": "PRIVATE",
                        "ExpirationInDays": 5001,
                    }
                }
            },
            "2 validation errors detected: "
            "Value '5001' at 'revocationConfiguration.crlConfiguration.expirationInDays' failed to satisfy "
            "constraint: Member must have value less than or equal to 5000; "
            "Value 'PRIVATE' at 'revocationConfiguration.crlConfiguration.s3ObjectAcl' failed to satisfy "
            f"constraint: Member must satisfy enum value set: {enum_set('S3ObjectAcl')}",
            id="crl-expiration-and-acl",
        ),
    ],
)
def test_create_with_request_violating_model_raises_validation_error(client, kwargs, message):
    with pytest.raises(ClientError) as excinfo:
        create_with(client, **kwargs)

    assert_client_error(excinfo, "ValidationException", message)
    assert_no_cas(client)


def test_validation_errors_across_the_request_are_reported_together_in_document_order(client):
    configuration = ca_configuration(subject={"Country": "USA"})

    with pytest.raises(ClientError) as excinfo:
        create_with(
            client,
            CertificateAuthorityConfiguration=configuration,
            CertificateAuthorityType="CA",
            Tags=[{"Key": "bad key!"}],
        )

    country = "Value 'USA' at 'certificateAuthorityConfiguration.subject.country' failed to satisfy constraint: "
    assert_client_error(
        excinfo,
        "ValidationException",
        "4 validation errors detected: "
        f"{country}Member must have length less than or equal to 2; "
        f"{country}Member must satisfy regular expression pattern: [A-Za-z]{{2}}; "
        "Value 'CA' at 'certificateAuthorityType' failed to satisfy constraint: Member must satisfy enum value set: "
        f"{enum_set('CertificateAuthorityType')}; "
        "Value 'bad key!' at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular "
        r"expression pattern: ([\p{L}\p{Z}\p{N}_.:/=+\-@]*)",
    )
    assert_no_cas(client)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param(
            {"MaxResults": 1001},
            "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: "
            "Member must have value less than or equal to 1000",
            id="max-results-over-1000",
        ),
        pytest.param(
            {"ResourceOwner": "EVERYONE"},
            "1 validation error detected: Value 'EVERYONE' at 'resourceOwner' failed to satisfy constraint: "
            f"Member must satisfy enum value set: {enum_set('ResourceOwner')}",
            id="resource-owner-enum",
        ),
    ],
)
def test_list_with_request_violating_model_raises_validation_error(client, kwargs, message):
    arn = create_ca(client)

    with pytest.raises(ClientError) as excinfo:
        client.list_certificate_authorities(**kwargs)

    assert_client_error(excinfo, "ValidationException", message)
    assert listed_arns(client) == [arn]
