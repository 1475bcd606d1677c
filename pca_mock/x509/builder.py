"""Building certificates and CSRs: the signing half of the x509 layer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from pca_mock.x509.keys import PrivateKey, Signature


def key_identifier(public_key: Any) -> bytes:
    """RFC 5280 method 1 key identifier (SHA-1 of the subjectPublicKey)."""
    return x509.SubjectKeyIdentifier.from_public_key(public_key).digest


def subject_key_identifier_of(certificate: x509.Certificate) -> bytes:
    """A CA certificate's SKI, or the one RFC 5280 method 1 gives when it has none."""
    try:
        return certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    except x509.ExtensionNotFound:
        return key_identifier(certificate.public_key())


@dataclass(frozen=True, slots=True)
class CertificateRequest:
    """Everything a certificate needs, decided by the service layer."""

    subject: x509.Name
    public_key: Any
    issuer: x509.Name
    issuer_key: PrivateKey
    serial: int
    not_before: datetime
    not_after: datetime
    signature: Signature
    # In the order they are written (see extensions.compose).
    extensions: Sequence[x509.Extension[Any]]


@dataclass(frozen=True, slots=True)
class BuiltCertificate:
    """A certificate as issued: its validity as encoded, and its PEM."""

    not_before: datetime
    not_after: datetime
    pem: str


def issue_certificate(request: CertificateRequest) -> BuiltCertificate:
    """Sign a certificate.

    cryptography releases the GIL while it signs, so other threads run
    meanwhile (the service layer calls this without holding its lock).
    """
    signature = request.signature
    certificate = _certificate_builder(request).sign(
        request.issuer_key, signature.hash(), rsa_padding=signature.rsa_padding()
    )
    return BuiltCertificate(
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        pem=certificate.public_bytes(serialization.Encoding.PEM).decode("ascii"),
    )


def _certificate_builder(request: CertificateRequest) -> x509.CertificateBuilder:
    builder = (
        x509.CertificateBuilder()
        .subject_name(request.subject)
        .issuer_name(request.issuer)
        .public_key(request.public_key)
        .serial_number(request.serial)
        .not_valid_before(request.not_before)
        .not_valid_after(request.not_after)
    )
    for extension in request.extensions:
        builder = builder.add_extension(extension.value, extension.critical)
    return builder


def build_ca_csr(
    private_key: PrivateKey,
    subject: x509.Name,
    signature: Signature,
    *,
    key_usage_extension: x509.KeyUsage | None = None,
    subject_information_access: Sequence[x509.AccessDescription] | None = None,
) -> x509.CertificateSigningRequest:
    """The CSR of a new CA: its subject and key, requesting a critical CA:TRUE."""
    builder = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(subject)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
    )
    if key_usage_extension is not None:
        builder = builder.add_extension(key_usage_extension, critical=True)
    if subject_information_access:
        builder = builder.add_extension(x509.SubjectInformationAccess(list(subject_information_access)), critical=False)
    return builder.sign(private_key, signature.hash(), rsa_padding=signature.rsa_padding())


def pem(obj: x509.Certificate | x509.CertificateSigningRequest) -> str:
    return obj.public_bytes(serialization.Encoding.PEM).decode("ascii")
