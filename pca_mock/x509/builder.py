"""Building certificates and CSRs: the signing half of the x509 layer."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import AuthorityInformationAccessOID

from pca_mock.x509.keys import PrivateKey, Signature
from pca_mock.x509.templates import TemplateKind, TemplateProfile

# AWS KeyUsage member → cryptography KeyUsage argument.
KEY_USAGE_BITS: dict[str, str] = {
    "DigitalSignature": "digital_signature",
    "NonRepudiation": "content_commitment",
    "KeyEncipherment": "key_encipherment",
    "DataEncipherment": "data_encipherment",
    "KeyAgreement": "key_agreement",
    "KeyCertSign": "key_cert_sign",
    "CRLSign": "crl_sign",
    "EncipherOnly": "encipher_only",
    "DecipherOnly": "decipher_only",
}


def key_usage(bits: frozenset[str] | set[str]) -> x509.KeyUsage:
    """A KeyUsage with exactly the named bits (cryptography argument names) set."""
    return x509.KeyUsage(**{name: name in bits for name in KEY_USAGE_BITS.values()})


def key_usage_from_aws(aws: Mapping[str, Any]) -> x509.KeyUsage:
    return key_usage({KEY_USAGE_BITS[k] for k, v in aws.items() if v})


def key_identifier(public_key: Any) -> bytes:
    """RFC 5280 method 1 key identifier (SHA-1 of the subjectPublicKey)."""
    return x509.SubjectKeyIdentifier.from_public_key(public_key).digest


def subject_key_identifier_of(certificate: x509.Certificate) -> bytes:
    """A CA certificate's SKI, or the one RFC 5280 method 1 gives when it has none."""
    try:
        return certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    except x509.ExtensionNotFound:
        return key_identifier(certificate.public_key())


@functools.cache
def _profile_extensions(
    profile: TemplateProfile,
) -> tuple[x509.BasicConstraints, x509.KeyUsage | None, x509.ExtendedKeyUsage | None]:
    """The extensions a template fixes, built once per template (they are immutable)."""
    basic = x509.BasicConstraints(ca=profile.kind is not TemplateKind.END_ENTITY, path_length=profile.path_len)
    usage = key_usage(profile.key_usage) if profile.key_usage else None
    extended = x509.ExtendedKeyUsage(list(profile.extended_key_usage)) if profile.extended_key_usage else None
    return basic, usage, extended


@dataclass(frozen=True, slots=True)
class CertificateRequest:
    """Everything a certificate needs, decided by the service layer."""

    profile: TemplateProfile
    subject: x509.Name
    public_key: Any
    # RFC 5280 method 1 identifier of public_key (see key_identifier).
    subject_key_identifier: bytes
    subject_alternative_names: x509.Extension[x509.SubjectAlternativeName] | None
    issuer: x509.Name
    issuer_key: PrivateKey
    # SKI of the issuing CA's certificate; None for a self-signed root (no AKI).
    issuer_key_identifier: bytes | None
    serial: int
    not_before: datetime
    not_after: datetime
    signature: Signature
    crl_url: str | None = None
    ocsp_url: str | None = None


def build_certificate(request: CertificateRequest) -> x509.Certificate:
    """Sign a certificate whose extensions follow the template profile, in AWS's order.

    End-entity certificates carry BasicConstraints, AKI, SKI, KeyUsage, EKU;
    CA certificates SKI, AKI, BasicConstraints, KeyUsage (roots have no AKI).
    """
    profile = request.profile
    builder = (
        x509.CertificateBuilder()
        .subject_name(request.subject)
        .issuer_name(request.issuer)
        .public_key(request.public_key)
        .serial_number(request.serial)
        .not_valid_before(request.not_before)
        .not_valid_after(request.not_after)
    )
    ski = x509.SubjectKeyIdentifier(request.subject_key_identifier)
    aki = (
        None
        if request.issuer_key_identifier is None
        else x509.AuthorityKeyIdentifier(request.issuer_key_identifier, None, None)
    )
    basic, usage, extended_usage = _profile_extensions(profile)
    extensions: list[tuple[x509.ExtensionType, bool]] = []
    if profile.kind is TemplateKind.END_ENTITY:
        extensions.append((basic, profile.basic_constraints_critical))
        if aki is not None:
            extensions.append((aki, False))
        extensions.append((ski, False))
    else:
        extensions.append((ski, False))
        if aki is not None:
            extensions.append((aki, False))
        extensions.append((basic, profile.basic_constraints_critical))
    if usage is not None:
        extensions.append((usage, True))
    if extended_usage is not None:
        extensions.append((extended_usage, profile.extended_key_usage_critical))
    san = request.subject_alternative_names
    if san is not None:
        extensions.append((san.value, san.critical))
    if request.crl_url is not None:
        point = x509.DistributionPoint([x509.UniformResourceIdentifier(request.crl_url)], None, None, None)
        extensions.append((x509.CRLDistributionPoints([point]), False))
    if request.ocsp_url is not None:
        ocsp = x509.AccessDescription(
            AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(request.ocsp_url)
        )
        extensions.append((x509.AuthorityInformationAccess([ocsp]), False))
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical)
    signature = request.signature
    return builder.sign(request.issuer_key, signature.hash(), rsa_padding=signature.rsa_padding())


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
