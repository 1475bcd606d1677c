"""Shared helpers for the test suite: CSRs, CAs in every state, error assertions."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from botocore.exceptions import ClientError
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, mldsa, rsa
from cryptography.x509.oid import NameOID

ML_DSA_KEYS = (mldsa.MLDSA44PrivateKey, mldsa.MLDSA65PrivateKey, mldsa.MLDSA87PrivateKey)
TEMPLATES = "arn:aws:acm-pca:::template"
ROOT_TEMPLATE = f"{TEMPLATES}/RootCACertificate/V1"
EE_TEMPLATE = f"{TEMPLATES}/EndEntityCertificate/V1"


def subordinate_template(path_len: int) -> str:
    return f"{TEMPLATES}/SubordinateCACertificate_PathLen{path_len}/V1"


@cache
def ec_key(index: int = 0) -> ec.EllipticCurvePrivateKey:
    """Deterministic per index within a run, so tests can reuse keys cheaply."""
    return ec.generate_private_key(ec.SECP256R1())


@cache
def rsa_key(index: int = 0) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def make_csr(
    common_name: str | None = "leaf.example.com",
    *,
    key: Any = None,
    sans: list[x509.GeneralName] | None = None,
    extensions: list[tuple[x509.ExtensionType, bool]] | None = None,
) -> bytes:
    """A PEM CSR signed with ``key`` (an EC P-256 key by default; SHA-256 unless ML-DSA)."""
    key = key or ec_key()
    attributes = [] if common_name is None else [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    builder = x509.CertificateSigningRequestBuilder().subject_name(x509.Name(attributes))
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    for extension, critical in extensions or []:
        builder = builder.add_extension(extension, critical)
    digest = None if isinstance(key, ML_DSA_KEYS) else hashes.SHA256()
    return builder.sign(key, digest).public_bytes(serialization.Encoding.PEM)


def ca_configuration(
    key_algorithm: str = "EC_prime256v1",
    signing_algorithm: str = "SHA256WITHECDSA",
    subject: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "KeyAlgorithm": key_algorithm,
        "SigningAlgorithm": signing_algorithm,
        "Subject": subject or {"Country": "US", "Organization": "Example Corp", "CommonName": "Example CA"},
    }


def create_ca(client: Any, ca_type: str = "ROOT", **kwargs: Any) -> str:
    configuration = kwargs.pop("configuration", None) or ca_configuration()
    arn: str = client.create_certificate_authority(
        CertificateAuthorityConfiguration=configuration, CertificateAuthorityType=ca_type, **kwargs
    )["CertificateAuthorityArn"]
    return arn


def signing_algorithm_of(client: Any, ca_arn: str) -> str:
    ca = client.describe_certificate_authority(CertificateAuthorityArn=ca_arn)["CertificateAuthority"]
    algorithm: str = ca["CertificateAuthorityConfiguration"]["SigningAlgorithm"]
    return algorithm


def issue(
    client: Any,
    ca_arn: str,
    csr: bytes | str,
    *,
    template: str | None = None,
    validity: dict[str, Any] | None = None,
    signing_algorithm: str | None = None,
    **kwargs: Any,
) -> dict[str, Any]:
    """Issue and fetch a certificate; returns GetCertificate's response plus CertificateArn."""
    if template is not None:
        kwargs["TemplateArn"] = template
    cert_arn = client.issue_certificate(
        CertificateAuthorityArn=ca_arn,
        Csr=csr,
        SigningAlgorithm=signing_algorithm or signing_algorithm_of(client, ca_arn),
        Validity=validity or {"Type": "DAYS", "Value": 30},
        **kwargs,
    )["CertificateArn"]
    response: dict[str, Any] = client.get_certificate(CertificateAuthorityArn=ca_arn, CertificateArn=cert_arn)
    response["CertificateArn"] = cert_arn
    return response


def activate_root(client: Any, ca_arn: str, years: int = 10) -> str:
    """Self-sign and import a pending root CA's certificate; returns the certificate PEM."""
    csr = client.get_certificate_authority_csr(CertificateAuthorityArn=ca_arn)["Csr"]
    root = issue(client, ca_arn, csr, template=ROOT_TEMPLATE, validity={"Type": "YEARS", "Value": years})
    client.import_certificate_authority_certificate(CertificateAuthorityArn=ca_arn, Certificate=root["Certificate"])
    certificate: str = root["Certificate"]
    return certificate


def create_active_root(client: Any, **kwargs: Any) -> str:
    years = kwargs.pop("years", 10)
    arn = create_ca(client, "ROOT", **kwargs)
    activate_root(client, arn, years=years)
    return arn


def create_active_subordinate(client: Any, parent_arn: str, path_len: int = 0, years: int = 5, **kwargs: Any) -> str:
    """A subordinate CA signed by ``parent_arn`` and activated with the chain GetCertificate returned."""
    arn = create_ca(client, "SUBORDINATE", **kwargs)
    csr = client.get_certificate_authority_csr(CertificateAuthorityArn=arn)["Csr"]
    signed = issue(
        client, parent_arn, csr, template=subordinate_template(path_len), validity={"Type": "YEARS", "Value": years}
    )
    client.import_certificate_authority_certificate(
        CertificateAuthorityArn=arn, Certificate=signed["Certificate"], CertificateChain=signed["CertificateChain"]
    )
    return arn


# cryptography's KeyUsage arguments, in bit order (digitalSignature = bit 0).
KEY_USAGE_BITS = (
    "digital_signature",
    "content_commitment",
    "key_encipherment",
    "data_encipherment",
    "key_agreement",
    "key_cert_sign",
    "crl_sign",
    "encipher_only",
    "decipher_only",
)


def key_usage(*bits: str) -> x509.KeyUsage:
    """A KeyUsage with exactly ``bits`` set (cryptography argument names)."""
    unknown = set(bits) - set(KEY_USAGE_BITS)
    assert not unknown, unknown
    return x509.KeyUsage(**{name: name in bits for name in KEY_USAGE_BITS})


def as_extension(value: x509.ExtensionType, critical: bool) -> x509.Extension[x509.ExtensionType]:
    """The Extension a certificate lists for ``value``, to compare with ``list(cert.extensions)``."""
    return x509.Extension(value.oid, critical, value)


def assert_client_error(excinfo: pytest.ExceptionInfo[ClientError], code: str, message: str) -> None:
    """The exact AWS error code and message a call failed with."""
    error = excinfo.value.response["Error"]
    assert (error["Code"], error["Message"]) == (code, message)
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def load_certificate(pem: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem.encode())


def load_chain(pem: str) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(pem.encode())


def enum_set(shape_name: str) -> str:
    """An enum shape's values as AWS lists them in a validation message, from botocore's model.

    Taken from the installed model rather than written out, because AWS adds
    values over time (SigningAlgorithm gained RSA-PSS, for instance).
    """
    from pca_mock._protocol import service_model

    values: list[str] = service_model().shape_for(shape_name).enum  # type: ignore[attr-defined]
    return "[" + ", ".join(values) + "]"


def backend_ca(ca_arn: str) -> Any:
    """The mock's internal record of a CA, for what no operation reads back yet.

    Used sparingly: to check that a failed call stored nothing (no operation
    lists issued or revoked certificates until audit reports are modelled),
    and for the one rule that needs a CA's private key.
    """
    from pca_mock.registry import REGISTRY
    from pca_mock.service.arns import parse_ca_arn

    ref = parse_ca_arn(ca_arn)
    return REGISTRY.region(ref.account, ref.region).authorities[ref.ca_id]
