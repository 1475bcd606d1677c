"""Helpers for tests that need a working private PKI: CSRs, CAs, certificates.

Every test of PKI automation starts with the same ten calls (create a CA,
fetch its CSR, self-sign it, import it, make a key and a CSR, issue, wait,
fetch...). These helpers make them once, correctly. They speak only the public
``acm-pca`` API through the client you pass, plus pyca/cryptography for keys,
so they work the same against pca_mock and against a real AWS account.

Example::

    from pca_mock import mock_acmpca
    from pca_mock.testing import create_hierarchy, issue_certificate

    with mock_acmpca():
        client = botocore.session.get_session().create_client("acm-pca", region_name="us-east-1")
        hierarchy = create_hierarchy(client, depth=2)
        leaf = issue_certificate(client, hierarchy.issuing, common_name="api.example.com")
"""

from __future__ import annotations

import ipaddress
import os
import ssl
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, mldsa, rsa
from cryptography.x509.oid import NameOID

__all__ = [
    "CertificateAuthority",
    "Hierarchy",
    "IssuedCertificate",
    "PrivateKey",
    "create_hierarchy",
    "create_root_ca",
    "create_subordinate_ca",
    "issue_certificate",
    "make_csr",
]

PrivateKey = (
    rsa.RSAPrivateKey
    | ec.EllipticCurvePrivateKey
    | mldsa.MLDSA44PrivateKey
    | mldsa.MLDSA65PrivateKey
    | mldsa.MLDSA87PrivateKey
)
"""The private keys these helpers make and accept (every KeyAlgorithm but SM2)."""

_TEMPLATES = "arn:aws:acm-pca:::template"
_ROOT_TEMPLATE = f"{_TEMPLATES}/RootCACertificate/V1"
_END_ENTITY_TEMPLATE = f"{_TEMPLATES}/EndEntityCertificate/V1"
# SubordinateCACertificate_PathLen0..3 are the deepest AWS offers, so a
# hierarchy holds a root and at most four subordinates.
_MAX_DEPTH = 5

_EC_CURVES: dict[str, ec.EllipticCurve] = {
    "EC_prime256v1": ec.SECP256R1(),
    "EC_secp384r1": ec.SECP384R1(),
    "EC_secp521r1": ec.SECP521R1(),
}
_RSA_SIZES = {"RSA_2048": 2048, "RSA_3072": 3072, "RSA_4096": 4096}
_ML_DSA: dict[str, Callable[[], PrivateKey]] = {
    "ML_DSA_44": mldsa.MLDSA44PrivateKey.generate,
    "ML_DSA_65": mldsa.MLDSA65PrivateKey.generate,
    "ML_DSA_87": mldsa.MLDSA87PrivateKey.generate,
}
_ML_DSA_KEYS = (mldsa.MLDSA44PrivateKey, mldsa.MLDSA65PrivateKey, mldsa.MLDSA87PrivateKey)

# The signing algorithm a CA gets when the caller names none: SHA-2 sized to
# the key's strength, as AWS's console suggests; ML-DSA has exactly one.
_DEFAULT_SIGNING = {
    "RSA_2048": "SHA256WITHRSA",
    "RSA_3072": "SHA384WITHRSA",
    "RSA_4096": "SHA512WITHRSA",
    "EC_prime256v1": "SHA256WITHECDSA",
    "EC_secp384r1": "SHA384WITHECDSA",
    "EC_secp521r1": "SHA512WITHECDSA",
    "ML_DSA_44": "ML_DSA_44",
    "ML_DSA_65": "ML_DSA_65",
    "ML_DSA_87": "ML_DSA_87",
}


# --- keys and CSRs ------------------------------------------------------------------------


def _generate_key(key_algorithm: str) -> PrivateKey:
    if key_algorithm in _RSA_SIZES:
        return rsa.generate_private_key(public_exponent=65537, key_size=_RSA_SIZES[key_algorithm])
    if key_algorithm in _EC_CURVES:
        return ec.generate_private_key(_EC_CURVES[key_algorithm])
    if key_algorithm in _ML_DSA:
        return _ML_DSA[key_algorithm]()
    raise ValueError(
        f"make_csr cannot make a {key_algorithm!r} key; use one of {', '.join(_DEFAULT_SIGNING)} "
        "(pyca/cryptography has no SM2), or pass your own key=."
    )


def _general_name(name: str | x509.GeneralName) -> x509.GeneralName:
    """A SAN from a plain string: an IP address, an e-mail address, a URI or else a DNS name."""
    if isinstance(name, x509.GeneralName):
        return name
    try:
        return x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        pass
    if "://" in name:
        return x509.UniformResourceIdentifier(name)
    if "@" in name:
        return x509.RFC822Name(name)
    return x509.DNSName(name)


def make_csr(
    common_name: str | None = "test.example.com",
    *,
    key: PrivateKey | None = None,
    key_algorithm: str = "EC_prime256v1",
    subject: x509.Name | None = None,
    sans: Iterable[str | x509.GeneralName] = (),
    extensions: Iterable[x509.ExtensionType | tuple[x509.ExtensionType, bool]] = (),
) -> tuple[str, PrivateKey]:
    """A PEM certificate signing request and the private key that signed it.

    Args:
        common_name: the subject's CN; ignored when ``subject`` is given, and
            ``None`` for an empty subject (a SAN-only request).
        key: sign with this key instead of generating one.
        key_algorithm: the AWS KeyAlgorithm of the generated key.
        subject: the whole subject name, when a CN alone is not enough.
        sans: subject alternative names; strings are read as an IP address,
            a URI (``scheme://...``), an e-mail address (``@``) or a DNS name.
        extensions: extra requested extensions, non-critical unless given as
            ``(extension, critical)`` (the CA honours them only with a
            template that passes CSR extensions through).

    Returns:
        ``(csr_pem, private_key)``.
    """
    private_key = key if key is not None else _generate_key(key_algorithm)
    if subject is None:
        attributes = [] if common_name is None else [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
        subject = x509.Name(attributes)
    builder = x509.CertificateSigningRequestBuilder().subject_name(subject)
    general_names = [_general_name(name) for name in sans]
    if general_names:
        builder = builder.add_extension(x509.SubjectAlternativeName(general_names), critical=False)
    for extension in extensions:
        value, critical = extension if isinstance(extension, tuple) else (extension, False)
        builder = builder.add_extension(value, critical)
    # ML-DSA signs the message itself; every other family signs a SHA-256 digest.
    digest = None if isinstance(private_key, _ML_DSA_KEYS) else hashes.SHA256()
    csr = builder.sign(private_key, digest)
    return csr.public_bytes(serialization.Encoding.PEM).decode(), private_key


# --- CAs ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CertificateAuthority:
    """An ACTIVE CA these helpers made: what a test needs to issue from it and trust it."""

    arn: str
    ca_type: str
    key_algorithm: str
    signing_algorithm: str
    #: The CA's own certificate.
    certificate_pem: str = field(repr=False)
    #: The certificates above it, nearest first (empty for a root).
    chain_pem: str = field(default="", repr=False)

    @property
    def certificate(self) -> x509.Certificate:
        """The CA certificate, parsed."""
        return x509.load_pem_x509_certificate(self.certificate_pem.encode())

    @property
    def bundle_pem(self) -> str:
        """The CA certificate followed by its chain."""
        return _concatenate(self.certificate_pem, self.chain_pem)


@dataclass(frozen=True, slots=True)
class Hierarchy:
    """A root and the subordinates below it, top down; the last one issues end-entity certificates."""

    authorities: tuple[CertificateAuthority, ...]

    @property
    def root(self) -> CertificateAuthority:
        """The root CA: what relying parties trust."""
        return self.authorities[0]

    @property
    def issuing(self) -> CertificateAuthority:
        """The CA at the bottom, which issues end-entity certificates."""
        return self.authorities[-1]


def _concatenate(*pems: str) -> str:
    """PEM blocks one after another, each on its own lines whether or not it ended with a newline."""
    return "".join(pem if pem.endswith("\n") else pem + "\n" for pem in pems if pem)


def _pem_text(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _issue_and_fetch(
    client: Any,
    ca_arn: str,
    csr: str,
    *,
    signing_algorithm: str,
    template: str,
    validity: Mapping[str, Any],
) -> tuple[str, str, str]:
    """Issue, wait for the certificate (the waiter returns at once when it is ready) and fetch it."""
    certificate_arn: str = client.issue_certificate(
        CertificateAuthorityArn=ca_arn,
        Csr=csr.encode(),
        SigningAlgorithm=signing_algorithm,
        TemplateArn=template,
        Validity=dict(validity),
    )["CertificateArn"]
    client.get_waiter("certificate_issued").wait(CertificateAuthorityArn=ca_arn, CertificateArn=certificate_arn)
    response = client.get_certificate(CertificateAuthorityArn=ca_arn, CertificateArn=certificate_arn)
    return certificate_arn, response["Certificate"], response.get("CertificateChain", "")


def _create_pending_ca(
    client: Any,
    ca_type: str,
    *,
    key_algorithm: str,
    signing_algorithm: str,
    subject: Mapping[str, Any],
    revocation_configuration: Mapping[str, Any] | None,
) -> tuple[str, str]:
    """Create a CA and return its ARN and CSR once the CSR exists."""
    request: dict[str, Any] = {
        "CertificateAuthorityType": ca_type,
        "CertificateAuthorityConfiguration": {
            "KeyAlgorithm": key_algorithm,
            "SigningAlgorithm": signing_algorithm,
            "Subject": dict(subject),
        },
    }
    if revocation_configuration is not None:
        request["RevocationConfiguration"] = dict(revocation_configuration)
    arn: str = client.create_certificate_authority(**request)["CertificateAuthorityArn"]
    client.get_waiter("certificate_authority_csr_created").wait(CertificateAuthorityArn=arn)
    csr = _pem_text(client.get_certificate_authority_csr(CertificateAuthorityArn=arn)["Csr"])
    return arn, csr


def _signing_for(key_algorithm: str, signing_algorithm: str | None) -> str:
    if signing_algorithm is not None:
        return signing_algorithm
    try:
        return _DEFAULT_SIGNING[key_algorithm]
    except KeyError:
        raise ValueError(
            f"There is no default signing algorithm for {key_algorithm!r}; pass signing_algorithm=."
        ) from None


def create_root_ca(
    client: Any,
    *,
    key_algorithm: str = "EC_prime256v1",
    signing_algorithm: str | None = None,
    subject: Mapping[str, Any] | None = None,
    years: int = 10,
    revocation_configuration: Mapping[str, Any] | None = None,
) -> CertificateAuthority:
    """Create a root CA, self-sign its certificate and install it, leaving it ACTIVE.

    Args:
        client: an ``acm-pca`` client (boto3 or botocore).
        key_algorithm: the CA's KeyAlgorithm.
        signing_algorithm: its SigningAlgorithm; by default the one that
            matches the key (``SHA256WITHECDSA`` for P-256, ``ML_DSA_65`` for
            ML-DSA-65, ...).
        subject: the ASN1Subject as the API takes it; by default
            ``{"CommonName": "Test Root CA"}``.
        years: validity of the root certificate.
        revocation_configuration: passed to CreateCertificateAuthority as is.
    """
    signing = _signing_for(key_algorithm, signing_algorithm)
    arn, csr = _create_pending_ca(
        client,
        "ROOT",
        key_algorithm=key_algorithm,
        signing_algorithm=signing,
        subject=subject or {"CommonName": "Test Root CA"},
        revocation_configuration=revocation_configuration,
    )
    _, certificate, _ = _issue_and_fetch(
        client,
        arn,
        csr,
        signing_algorithm=signing,
        template=_ROOT_TEMPLATE,
        validity={"Type": "YEARS", "Value": years},
    )
    client.import_certificate_authority_certificate(CertificateAuthorityArn=arn, Certificate=certificate.encode())
    return CertificateAuthority(arn, "ROOT", key_algorithm, signing, certificate)


def create_subordinate_ca(
    client: Any,
    parent: CertificateAuthority,
    *,
    path_length: int = 0,
    key_algorithm: str = "EC_prime256v1",
    signing_algorithm: str | None = None,
    subject: Mapping[str, Any] | None = None,
    years: int = 5,
    revocation_configuration: Mapping[str, Any] | None = None,
) -> CertificateAuthority:
    """Create a subordinate CA signed by ``parent`` and install its certificate and chain.

    ``path_length`` (0 to 3) is how many CAs may still sit below this one;
    ``years`` must end before the parent's certificate does.
    """
    signing = _signing_for(key_algorithm, signing_algorithm)
    arn, csr = _create_pending_ca(
        client,
        "SUBORDINATE",
        key_algorithm=key_algorithm,
        signing_algorithm=signing,
        subject=subject or {"CommonName": f"Test Subordinate CA (path length {path_length})"},
        revocation_configuration=revocation_configuration,
    )
    _, certificate, chain = _issue_and_fetch(
        client,
        parent.arn,
        csr,
        signing_algorithm=parent.signing_algorithm,
        template=f"{_TEMPLATES}/SubordinateCACertificate_PathLen{path_length}/V1",
        validity={"Type": "YEARS", "Value": years},
    )
    client.import_certificate_authority_certificate(
        CertificateAuthorityArn=arn, Certificate=certificate.encode(), CertificateChain=chain.encode()
    )
    return CertificateAuthority(arn, "SUBORDINATE", key_algorithm, signing, certificate, chain)


def create_hierarchy(
    client: Any,
    depth: int = 2,
    *,
    key_algorithm: str = "EC_prime256v1",
    signing_algorithm: str | None = None,
    years: int = 10,
) -> Hierarchy:
    """A root CA and ``depth - 1`` subordinates below it, each ACTIVE.

    Each subordinate's path length leaves exactly enough room for the CAs
    below it, and each is valid one year less than its parent (so ``years``
    must be at least ``depth``), as AWS refuses a certificate that outlives
    its issuer.

    Raises:
        ValueError: ``depth`` is not 1 to 5, or ``years`` is less than ``depth``.
    """
    if not 1 <= depth <= _MAX_DEPTH:
        raise ValueError(f"depth must be 1 to {_MAX_DEPTH} (a root and up to four subordinates), not {depth}.")
    if years < depth:
        raise ValueError(f"years must be at least depth ({depth}): each CA is valid a year less than its parent.")
    options: dict[str, Any] = {"key_algorithm": key_algorithm, "signing_algorithm": signing_algorithm}
    authorities = [create_root_ca(client, years=years, **options)]
    for level in range(1, depth):
        authorities.append(
            create_subordinate_ca(
                client,
                authorities[-1],
                path_length=depth - 1 - level,
                years=years - level,
                subject={"CommonName": f"Test Subordinate CA {level}"},
                **options,
            )
        )
    return Hierarchy(tuple(authorities))


# --- end-entity certificates ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IssuedCertificate:
    """An issued certificate with its chain and private key, ready to load into a TLS stack.

    Only the ARN shows in ``repr``: PEM text would flood a failure report, and
    the private key must never land in one.
    """

    arn: str
    certificate_pem: str = field(repr=False)
    #: The issuing CA's certificate and those above it, nearest first.
    chain_pem: str = field(repr=False)
    private_key: PrivateKey = field(repr=False)

    @property
    def certificate(self) -> x509.Certificate:
        """The certificate, parsed."""
        return x509.load_pem_x509_certificate(self.certificate_pem.encode())

    @property
    def full_chain_pem(self) -> str:
        """The certificate followed by its chain: what a TLS peer presents."""
        return _concatenate(self.certificate_pem, self.chain_pem)

    def private_key_pem(self) -> str:
        """The private key as unencrypted PKCS#8 PEM (a method, so it is never printed by accident)."""
        return self.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()

    def write_files(self, directory: str | os.PathLike[str], name: str = "certificate") -> tuple[Path, Path]:
        """Write ``<name>.pem`` (certificate and chain) and ``<name>.key`` (owner-only) into ``directory``.

        Returns:
            ``(certificate_path, key_path)``, as servers and ``ssl.SSLContext.load_cert_chain`` take them.
        """
        folder = Path(directory)
        certificate_path = folder / f"{name}.pem"
        key_path = folder / f"{name}.key"
        certificate_path.write_text(self.full_chain_pem)
        descriptor = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as key_file:
            key_file.write(self.private_key_pem())
        return certificate_path, key_path

    def ssl_context(self, *, server_side: bool, trust_pem: str | None = None) -> ssl.SSLContext:
        """An ``ssl.SSLContext`` that presents this certificate, for mutual TLS.

        Args:
            server_side: build a server context (else a client context, which
                checks the server's host name as usual).
            trust_pem: CA certificates to verify the peer against, usually the
                root's ``certificate_pem``. A server given one requires a
                client certificate; without one, a client trusts the system store
                and a server asks for no client certificate.
        """
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER if server_side else ssl.PROTOCOL_TLS_CLIENT)
        if trust_pem is not None:
            context.load_verify_locations(cadata=trust_pem)
            context.verify_mode = ssl.CERT_REQUIRED
        elif not server_side:
            context.load_default_certs(ssl.Purpose.SERVER_AUTH)
        # load_cert_chain reads files only, so the key touches disk for as long as it takes to load.
        with tempfile.TemporaryDirectory(prefix="pca-mock-") as directory:
            context.load_cert_chain(*self.write_files(directory))
        return context


def issue_certificate(
    client: Any,
    ca: CertificateAuthority,
    *,
    common_name: str | None = "test.example.com",
    sans: Sequence[str | x509.GeneralName] = (),
    template: str = _END_ENTITY_TEMPLATE,
    key_algorithm: str = "EC_prime256v1",
    key: PrivateKey | None = None,
    days: int = 30,
    signing_algorithm: str | None = None,
) -> IssuedCertificate:
    """Make a key and CSR, issue a certificate from ``ca`` and fetch it with its chain.

    Args:
        client: an ``acm-pca`` client (boto3 or botocore).
        ca: the issuing CA (from :func:`create_root_ca`, :func:`create_hierarchy`, ...).
        common_name: the subject CN (``None`` for a SAN-only certificate).
        sans: subject alternative names, read as in :func:`make_csr`.
        template: a template ARN, e.g.
            ``arn:aws:acm-pca:::template/EndEntityServerAuthCertificate/V1``;
            a bare template name (``EndEntityServerAuthCertificate/V1``) is accepted too.
        key_algorithm: the KeyAlgorithm of the generated key.
        key: use this key instead of generating one.
        days: validity in days.
        signing_algorithm: defaults to the CA's own.
    """
    if not template.startswith("arn:"):
        template = f"{_TEMPLATES}/{template}"
    csr, private_key = make_csr(common_name, key=key, key_algorithm=key_algorithm, sans=sans)
    arn, certificate, chain = _issue_and_fetch(
        client,
        ca.arn,
        csr,
        signing_algorithm=signing_algorithm or ca.signing_algorithm,
        template=template,
        validity={"Type": "DAYS", "Value": days},
    )
    return IssuedCertificate(arn, certificate, chain, private_key)
