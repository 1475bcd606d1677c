"""Checks on CA certificates and chains before they are installed in a CA."""

from __future__ import annotations

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.x509.oid import ExtensionOID

from pca_mock.x509.keys import public_key_der


class CertificateRejected(ValueError):
    """Base of the reasons a CA certificate cannot be installed; str() is for the caller."""


class MalformedCertificate(CertificateRejected):
    """The certificate (or chain) does not parse, or one of its fields is not acceptable."""


class ChainMismatch(CertificateRejected):
    """The certificate does not fit the chain or key it must fit."""


class ProhibitedImport(CertificateRejected):
    """The request's shape is wrong for the CA type (chain for a root, none for a subordinate)."""


# Extensions AWS lets a CA certificate mark critical; any other critical extension is refused.
ALLOWED_CRITICAL = frozenset(
    {
        ExtensionOID.AUTHORITY_KEY_IDENTIFIER,
        ExtensionOID.BASIC_CONSTRAINTS,
        ExtensionOID.CERTIFICATE_POLICIES,
        ExtensionOID.EXTENDED_KEY_USAGE,
        ExtensionOID.INHIBIT_ANY_POLICY,
        ExtensionOID.ISSUER_ALTERNATIVE_NAME,
        ExtensionOID.KEY_USAGE,
        ExtensionOID.NAME_CONSTRAINTS,
        ExtensionOID.POLICY_MAPPINGS,
        ExtensionOID.SUBJECT_ALTERNATIVE_NAME,
        ExtensionOID.SUBJECT_DIRECTORY_ATTRIBUTES,
        ExtensionOID.SUBJECT_KEY_IDENTIFIER,
        ExtensionOID.SUBJECT_INFORMATION_ACCESS,
    }
)


# What reading a certificate's extensions can raise: a malformed value, the
# same extension twice, or a GeneralName type pyca/cryptography does not support.
_UNPARSEABLE_EXTENSIONS = (ValueError, x509.DuplicateExtension, x509.UnsupportedGeneralNameType)


def parse_certificate(data: bytes) -> x509.Certificate:
    """Exactly one PEM certificate, or MalformedCertificate."""
    try:
        certificates = x509.load_pem_x509_certificates(data)
    except ValueError:
        raise MalformedCertificate("The certificate is not a valid PEM-encoded X.509 certificate.") from None
    if len(certificates) != 1:
        raise MalformedCertificate("The certificate must contain exactly one PEM-encoded X.509 certificate.")
    return certificates[0]


def parse_chain(data: bytes) -> list[x509.Certificate]:
    try:
        certificates = x509.load_pem_x509_certificates(data)
    except ValueError:
        raise MalformedCertificate(
            "The certificate chain is not a sequence of PEM-encoded X.509 certificates."
        ) from None
    for certificate in certificates:
        try:
            _ = certificate.extensions  # parsed lazily: fail here, not in the middle of the checks
        except _UNPARSEABLE_EXTENSIONS:
            raise MalformedCertificate(
                "A certificate in the certificate chain has an extension that cannot be parsed."
            ) from None
    return certificates


def is_self_signed(certificate: x509.Certificate) -> bool:
    if certificate.issuer != certificate.subject:
        return False
    return signed_by(certificate, certificate)


def signed_by(certificate: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        certificate.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def can_sign_certificates(certificate: x509.Certificate) -> bool:
    """Whether RFC 5280 lets ``certificate`` issue certificates: CA:TRUE, and keyCertSign if it has a KeyUsage."""
    extensions = certificate.extensions
    try:
        if not extensions.get_extension_for_class(x509.BasicConstraints).value.ca:
            return False
    except x509.ExtensionNotFound:
        return False
    try:
        return extensions.get_extension_for_class(x509.KeyUsage).value.key_cert_sign
    except x509.ExtensionNotFound:
        return True


def path_length(certificate: x509.Certificate) -> int | None:
    try:
        return certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.path_length
    except x509.ExtensionNotFound:
        return None


def check_ca_certificate(certificate: x509.Certificate) -> None:
    """BasicConstraints critical with CA:TRUE, and no critical extension AWS refuses."""
    try:
        extensions = certificate.extensions
    except _UNPARSEABLE_EXTENSIONS:
        raise MalformedCertificate("The certificate has an extension that cannot be parsed.") from None
    try:
        basic = extensions.get_extension_for_class(x509.BasicConstraints)
    except x509.ExtensionNotFound:
        raise MalformedCertificate("The certificate must have a BasicConstraints extension.") from None
    if not basic.critical or not basic.value.ca:
        raise MalformedCertificate("The certificate's BasicConstraints extension must be critical and set CA:TRUE.")
    for extension in extensions:
        if extension.critical and extension.oid not in ALLOWED_CRITICAL:
            raise MalformedCertificate(
                f"The certificate has a critical extension that is not allowed: {extension.oid.dotted_string}."
            )


def check_import(
    certificate: x509.Certificate,
    chain: list[x509.Certificate],
    *,
    is_root: bool,
    ca_public_key: object,
) -> None:
    """Every rule a CA certificate (and chain) must meet to be installed.

    Raises:
        CertificateRejected: the first rule broken, as one of its subclasses.
    """
    check_ca_certificate(certificate)
    if public_key_der(certificate.public_key()) != public_key_der(ca_public_key):
        raise ChainMismatch("The certificate's public key does not match the certificate authority's key pair.")
    if is_root:
        if chain:
            raise ProhibitedImport("A root CA certificate must be imported without a certificate chain.")
        if not is_self_signed(certificate):
            raise ProhibitedImport("A root CA certificate must be self-signed.")
        return
    if is_self_signed(certificate):
        raise ProhibitedImport("A subordinate CA certificate must not be self-signed.")
    if not chain:
        raise ProhibitedImport("A subordinate CA certificate must be imported with its certificate chain.")
    if any(link == certificate for link in chain):
        raise ChainMismatch("The certificate chain must not contain the certificate being imported.")
    child = certificate
    for depth, parent in enumerate(chain):
        if not can_sign_certificates(parent):
            raise ChainMismatch("The certificate chain contains a certificate that is not a CA certificate.")
        if not signed_by(child, parent):
            raise ChainMismatch(
                "The certificate chain is not in order: each certificate must be signed by the one after it."
            )
        limit = path_length(parent)
        # The imported CA and the `depth` chain CAs below `parent` are all
        # intermediates beneath it: its pathLenConstraint must allow depth + 1.
        if limit is not None and limit < depth + 1:
            raise ChainMismatch("The certificate violates the path length constraint of a certificate in its chain.")
        child = parent
    if not is_self_signed(chain[-1]):
        raise ChainMismatch("The certificate chain must end with a self-signed root CA certificate.")
