"""All 61 certificate templates and the precedence rules (reference §3, docs/behavior.md "Templates and precedence").

Expected profiles are written out here from the reference's §3.2/§3.3 tables and
behavior.md, not read from pca_mock's template table. Raw DER is read with a
small local walker where the exact encoding matters (KeyUsage bit strings, key
identifiers).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import Any, NamedTuple, cast

import boto3
import pytest
from botocore.exceptions import ClientError
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID, ObjectIdentifier
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from tests.helpers import (
    TEMPLATES,
    as_extension,
    assert_client_error,
    backend_ca,
    create_active_root,
    create_active_subordinate,
    create_ca,
    issue,
    key_usage,
    load_certificate,
    load_chain,
    make_csr,
)

# --- OIDs, written from RFC 5280 and the reference (§3.2, §4.5) -------------------------------

_SAN_OID = ObjectIdentifier("2.5.29.17")
_BC_OID = ObjectIdentifier("2.5.29.19")
_AKI_OID = ObjectIdentifier("2.5.29.35")
_SKI_OID = ObjectIdentifier("2.5.29.14")
_KU_OID = ObjectIdentifier("2.5.29.15")
_EKU_OID = ObjectIdentifier("2.5.29.37")
_CDP_OID = ObjectIdentifier("2.5.29.31")
_AIA_OID = ObjectIdentifier("1.3.6.1.5.5.7.1.1")
_POLICIES_OID = ObjectIdentifier("2.5.29.32")

_SERVER_AUTH = ObjectIdentifier("1.3.6.1.5.5.7.3.1")
_CLIENT_AUTH = ObjectIdentifier("1.3.6.1.5.5.7.3.2")
_CODE_SIGNING = ObjectIdentifier("1.3.6.1.5.5.7.3.3")
_EMAIL_PROTECTION = ObjectIdentifier("1.3.6.1.5.5.7.3.4")
_TIME_STAMPING = ObjectIdentifier("1.3.6.1.5.5.7.3.8")
_OCSP_SIGNING = ObjectIdentifier("1.3.6.1.5.5.7.3.9")
_OCSP_ACCESS = ObjectIdentifier("1.3.6.1.5.5.7.48.1")
_CA_ISSUERS_ACCESS = ObjectIdentifier("1.3.6.1.5.5.7.48.2")

# The order AWS writes extensions in (behavior.md): these slots, then any other extension.
_SLOT_ORDER = (_SAN_OID, _BC_OID, _AKI_OID, _SKI_OID, _KU_OID, _EKU_OID, _CDP_OID, _AIA_OID)


# --- expected template profiles (reference §3.2) -------------------------------------------


@dataclass(frozen=True)
class _Profile:
    kind: str  # "end-entity", "subordinate" or "root"
    ca: bool
    path_length: int | None
    basic_constraints_critical: bool
    # Blank templates leave KeyUsage and ExtendedKeyUsage to the request.
    blank: bool
    # Non-blank: the fixed KeyUsage bits (cryptography argument names), always critical,
    # and their DER-minimal BIT STRING; the fixed EKU (None: fixed absent) and its criticality.
    key_usage: tuple[str, ...] = ()
    key_usage_der: bytes = b""
    extended_key_usage: tuple[ObjectIdentifier, ...] | None = None
    extended_key_usage_critical: bool = False


# digitalSignature (bit 0) + keyEncipherment (bit 2): 1010 0000, 5 unused bits.
_TLS_KU, _TLS_KU_DER = ("digital_signature", "key_encipherment"), bytes.fromhex("030205a0")
# digitalSignature alone: 1000 0000, 7 unused bits.
_SIGNING_KU, _SIGNING_KU_DER = ("digital_signature",), bytes.fromhex("03020780")
# digitalSignature, keyCertSign (5), cRLSign (6): 1000 0110, 1 unused bit (AWS's sample root).
_CA_KU, _CA_KU_DER = ("digital_signature", "key_cert_sign", "crl_sign"), bytes.fromhex("03020186")

_END_ENTITY = _Profile("end-entity", False, None, False, False, _TLS_KU, _TLS_KU_DER, (_SERVER_AUTH, _CLIENT_AUTH))
_CLIENT_ONLY = _Profile("end-entity", False, None, False, False, _TLS_KU, _TLS_KU_DER, (_CLIENT_AUTH,))
_SERVER_ONLY = _Profile("end-entity", False, None, False, False, _TLS_KU, _TLS_KU_DER, (_SERVER_AUTH,))
_CODE = _Profile("end-entity", False, None, False, False, _SIGNING_KU, _SIGNING_KU_DER, (_CODE_SIGNING,), True)
_OCSP = _Profile("end-entity", False, None, False, False, _SIGNING_KU, _SIGNING_KU_DER, (_OCSP_SIGNING,), True)
_ROOT = _Profile("root", True, None, True, False, _CA_KU, _CA_KU_DER)
_SUB0 = _Profile("subordinate", True, 0, True, False, _CA_KU, _CA_KU_DER)
_SUB1 = _Profile("subordinate", True, 1, True, False, _CA_KU, _CA_KU_DER)
_SUB2 = _Profile("subordinate", True, 2, True, False, _CA_KU, _CA_KU_DER)
_SUB3 = _Profile("subordinate", True, 3, True, False, _CA_KU, _CA_KU_DER)
_BLANK_EE = _Profile("end-entity", False, None, False, True)
_BLANK_EE_CRITICAL_BC = _Profile("end-entity", False, None, True, True)
_BLANK_SUB0 = _Profile("subordinate", True, 0, True, True)
_BLANK_SUB1 = _Profile("subordinate", True, 1, True, True)
_BLANK_SUB2 = _Profile("subordinate", True, 2, True, True)
_BLANK_SUB3 = _Profile("subordinate", True, 3, True, True)
_BLANK_ROOT = _Profile("root", True, None, True, True)
_BLANK_ROOT0 = _Profile("root", True, 0, True, True)
_BLANK_ROOT1 = _Profile("root", True, 1, True, True)
_BLANK_ROOT2 = _Profile("root", True, 2, True, True)
_BLANK_ROOT3 = _Profile("root", True, 3, True, True)

# Reference §3.3, all at V1.
CATALOG: dict[str, _Profile] = {
    # Base (10)
    "CodeSigningCertificate": _CODE,
    "EndEntityCertificate": _END_ENTITY,
    "EndEntityClientAuthCertificate": _CLIENT_ONLY,
    "EndEntityServerAuthCertificate": _SERVER_ONLY,
    "OCSPSigningCertificate": _OCSP,
    "RootCACertificate": _ROOT,
    "SubordinateCACertificate_PathLen0": _SUB0,
    "SubordinateCACertificate_PathLen1": _SUB1,
    "SubordinateCACertificate_PathLen2": _SUB2,
    "SubordinateCACertificate_PathLen3": _SUB3,
    # CSRPassthrough (15)
    "BlankEndEntityCertificate_CSRPassthrough": _BLANK_EE,
    "BlankEndEntityCertificate_CriticalBasicConstraints_CSRPassthrough": _BLANK_EE_CRITICAL_BC,
    "BlankSubordinateCACertificate_PathLen0_CSRPassthrough": _BLANK_SUB0,
    "BlankSubordinateCACertificate_PathLen1_CSRPassthrough": _BLANK_SUB1,
    "BlankSubordinateCACertificate_PathLen2_CSRPassthrough": _BLANK_SUB2,
    "BlankSubordinateCACertificate_PathLen3_CSRPassthrough": _BLANK_SUB3,
    "CodeSigningCertificate_CSRPassthrough": _CODE,
    "EndEntityCertificate_CSRPassthrough": _END_ENTITY,
    "EndEntityClientAuthCertificate_CSRPassthrough": _CLIENT_ONLY,
    "EndEntityServerAuthCertificate_CSRPassthrough": _SERVER_ONLY,
    "OCSPSigningCertificate_CSRPassthrough": _OCSP,
    "SubordinateCACertificate_PathLen0_CSRPassthrough": _SUB0,
    "SubordinateCACertificate_PathLen1_CSRPassthrough": _SUB1,
    "SubordinateCACertificate_PathLen2_CSRPassthrough": _SUB2,
    "SubordinateCACertificate_PathLen3_CSRPassthrough": _SUB3,
    # APIPassthrough (21)
    "BlankEndEntityCertificate_APIPassthrough": _BLANK_EE,
    "BlankEndEntityCertificate_CriticalBasicConstraints_APIPassthrough": _BLANK_EE_CRITICAL_BC,
    "CodeSigningCertificate_APIPassthrough": _CODE,
    "EndEntityCertificate_APIPassthrough": _END_ENTITY,
    "EndEntityClientAuthCertificate_APIPassthrough": _CLIENT_ONLY,
    "EndEntityServerAuthCertificate_APIPassthrough": _SERVER_ONLY,
    "OCSPSigningCertificate_APIPassthrough": _OCSP,
    "RootCACertificate_APIPassthrough": _ROOT,
    "SubordinateCACertificate_PathLen0_APIPassthrough": _SUB0,
    "SubordinateCACertificate_PathLen1_APIPassthrough": _SUB1,
    "SubordinateCACertificate_PathLen2_APIPassthrough": _SUB2,
    "SubordinateCACertificate_PathLen3_APIPassthrough": _SUB3,
    "BlankSubordinateCACertificate_PathLen0_APIPassthrough": _BLANK_SUB0,
    "BlankSubordinateCACertificate_PathLen1_APIPassthrough": _BLANK_SUB1,
    "BlankSubordinateCACertificate_PathLen2_APIPassthrough": _BLANK_SUB2,
    "BlankSubordinateCACertificate_PathLen3_APIPassthrough": _BLANK_SUB3,
    "BlankRootCACertificate_APIPassthrough": _BLANK_ROOT,
    "BlankRootCACertificate_PathLen0_APIPassthrough": _BLANK_ROOT0,
    "BlankRootCACertificate_PathLen1_APIPassthrough": _BLANK_ROOT1,
    "BlankRootCACertificate_PathLen2_APIPassthrough": _BLANK_ROOT2,
    "BlankRootCACertificate_PathLen3_APIPassthrough": _BLANK_ROOT3,
    # APICSRPassthrough (15)
    "BlankEndEntityCertificate_APICSRPassthrough": _BLANK_EE,
    "BlankEndEntityCertificate_CriticalBasicConstraints_APICSRPassthrough": _BLANK_EE_CRITICAL_BC,
    "CodeSigningCertificate_APICSRPassthrough": _CODE,
    "EndEntityCertificate_APICSRPassthrough": _END_ENTITY,
    "EndEntityClientAuthCertificate_APICSRPassthrough": _CLIENT_ONLY,
    "EndEntityServerAuthCertificate_APICSRPassthrough": _SERVER_ONLY,
    "OCSPSigningCertificate_APICSRPassthrough": _OCSP,
    "SubordinateCACertificate_PathLen0_APICSRPassthrough": _SUB0,
    "SubordinateCACertificate_PathLen1_APICSRPassthrough": _SUB1,
    "SubordinateCACertificate_PathLen2_APICSRPassthrough": _SUB2,
    "SubordinateCACertificate_PathLen3_APICSRPassthrough": _SUB3,
    "BlankSubordinateCACertificate_PathLen0_APICSRPassthrough": _BLANK_SUB0,
    "BlankSubordinateCACertificate_PathLen1_APICSRPassthrough": _BLANK_SUB1,
    "BlankSubordinateCACertificate_PathLen2_APICSRPassthrough": _BLANK_SUB2,
    "BlankSubordinateCACertificate_PathLen3_APICSRPassthrough": _BLANK_SUB3,
}

TEMPLATE_PARAMS = [pytest.param(name, profile, id=name) for name, profile in CATALOG.items()]
ROOT_TEMPLATE_NAMES = [name for name, profile in CATALOG.items() if profile.kind == "root"]

_CSR_SANS: list[x509.GeneralName] = [x509.DNSName("leaf.example.com"), x509.DNSName("www.leaf.example.com")]
_CSR_SAN = x509.Extension(_SAN_OID, False, x509.SubjectAlternativeName(_CSR_SANS))
_CSR_SUBJECT = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "leaf.example.com")])
_DAYS_30 = {"Type": "DAYS", "Value": 30}


# --- DER reading ---------------------------------------------------------------------------


def _der_elements(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(tag, content) of each DER element in ``data`` (single-byte tags, as X.509 uses)."""
    offset = 0
    while offset < len(data):
        tag, length, start = data[offset], data[offset + 1], offset + 2
        if length & 0x80:
            size = length & 0x7F
            length = int.from_bytes(data[start : start + size], "big")
            start += size
        yield tag, data[start : start + length]
        offset = start + length


def _dotted(content: bytes) -> str:
    arcs, value = [], 0
    for byte in content:
        value = value << 7 | byte & 0x7F
        if not byte & 0x80:
            arcs.append(value)
            value = 0
    first = min(arcs[0] // 40, 2)
    return ".".join(str(arc) for arc in (first, arcs[0] - 40 * first, *arcs[1:]))


def _raw_extensions(certificate: x509.Certificate) -> list[tuple[str, bool, bytes]]:
    """(OID, critical, extnValue octets) of each extension, exactly as encoded in the certificate."""
    ((_, tbs),) = _der_elements(certificate.tbs_certificate_bytes)
    for tag, content in _der_elements(tbs):
        if tag == 0xA3:  # [3] EXPLICIT Extensions
            ((_, extensions),) = _der_elements(content)
            result = []
            for _, extension in _der_elements(extensions):
                parts = list(_der_elements(extension))
                critical = len(parts) == 3 and parts[1] == (0x01, b"\xff")
                result.append((_dotted(parts[0][1]), critical, parts[-1][1]))
            return result
    return []


def _raw_extension(certificate: x509.Certificate, oid: ObjectIdentifier) -> tuple[bool, bytes] | None:
    found = [
        (critical, value) for dotted, critical, value in _raw_extensions(certificate) if dotted == oid.dotted_string
    ]
    assert len(found) <= 1
    return found[0] if found else None


def _spki(public_key: Any) -> bytes:
    der: bytes = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return der


def _key_id(public_key: Any) -> bytes:
    """RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING (without its unused-bits octet)."""
    ((_, spki),) = _der_elements(_spki(public_key))
    _, (tag, bit_string) = _der_elements(spki)
    assert tag == 0x03
    return hashlib.sha1(bit_string[1:]).digest()


# --- expected extensions ---------------------------------------------------------------------


def _cdp(url: str) -> x509.Extension[x509.ExtensionType]:
    point = x509.DistributionPoint([x509.UniformResourceIdentifier(url)], None, None, None)
    return as_extension(x509.CRLDistributionPoints([point]), False)


def _ocsp_aia(url: str) -> x509.Extension[x509.ExtensionType]:
    return as_extension(
        x509.AuthorityInformationAccess([x509.AccessDescription(_OCSP_ACCESS, x509.UniformResourceIdentifier(url))]),
        False,
    )


def _expected_extensions(
    profile: _Profile,
    *,
    subject_key: Any,
    issuer_ski: bytes | None,
    san: x509.Extension[Any] | None,
    passed: Sequence[x509.Extension[Any]] = (),
    crl_url: str | None = None,
    ocsp_url: str | None = None,
) -> list[x509.Extension[Any]]:
    """The extensions a certificate must carry, in AWS's order.

    ``passed``: extensions from ApiPassthrough/CSR that the test expects to reach
    the certificate where the template leaves the slot open (highest priority
    first). What the template fixes always wins (reference §3.1).
    """
    fixed: dict[ObjectIdentifier, x509.Extension[Any] | None] = {
        _BC_OID: as_extension(
            x509.BasicConstraints(ca=profile.ca, path_length=profile.path_length), profile.basic_constraints_critical
        ),
        _SKI_OID: as_extension(x509.SubjectKeyIdentifier(_key_id(subject_key)), False),
    }
    if profile.kind != "root":
        assert issuer_ski is not None
        fixed[_AKI_OID] = as_extension(x509.AuthorityKeyIdentifier(issuer_ski, None, None), False)
    if not profile.blank:
        fixed[_KU_OID] = as_extension(key_usage(*profile.key_usage), True)
        fixed[_EKU_OID] = (
            None
            if profile.extended_key_usage is None
            else as_extension(
                x509.ExtendedKeyUsage(list(profile.extended_key_usage)), profile.extended_key_usage_critical
            )
        )
    if crl_url is not None:
        fixed[_CDP_OID] = _cdp(crl_url)
    if ocsp_url is not None:
        fixed[_AIA_OID] = _ocsp_aia(ocsp_url)
    open_slots: dict[ObjectIdentifier, x509.Extension[Any]] = {}
    if san is not None:
        open_slots[_SAN_OID] = san
    for extension in passed:
        if extension.oid not in fixed:
            open_slots.setdefault(extension.oid, extension)
    result = []
    for oid in _SLOT_ORDER:
        chosen = fixed[oid] if oid in fixed else open_slots.get(oid)
        if chosen is not None:
            result.append(chosen)
    result.extend(extension for oid, extension in open_slots.items() if oid not in _SLOT_ORDER)
    return result


# --- issuing ----------------------------------------------------------------------------------


class _Issued(NamedTuple):
    certificate: x509.Certificate
    issuer: x509.Certificate
    csr: x509.CertificateSigningRequest
    ca_arn: str


def _template_arn(name: str) -> str:
    return f"{TEMPLATES}/{name}/V1"


def _ca_id(ca_arn: str) -> str:
    return ca_arn.rsplit("/", 1)[1]


def _ca_certificate(client: Any, ca_arn: str) -> x509.Certificate:
    return load_certificate(client.get_certificate_authority_certificate(CertificateAuthorityArn=ca_arn)["Certificate"])


def _ski(certificate: x509.Certificate) -> bytes:
    return certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest


def _issue_cert(
    client: Any, ca_arn: str, csr: bytes | str, name: str, api: Mapping[str, Any] | None = None
) -> x509.Certificate:
    """IssueCertificate then GetCertificate; every CA here is EC P-256, so ECDSA with SHA-256."""
    extra: dict[str, Any] = {} if api is None else {"ApiPassthrough": api}
    cert_arn = client.issue_certificate(
        CertificateAuthorityArn=ca_arn,
        Csr=csr,
        SigningAlgorithm="SHA256WITHECDSA",
        Validity=_DAYS_30,
        TemplateArn=_template_arn(name),
        **extra,
    )["CertificateArn"]
    return load_certificate(
        client.get_certificate(CertificateAuthorityArn=ca_arn, CertificateArn=cert_arn)["Certificate"]
    )


def _issue_by_template(
    client: Any,
    name: str,
    *,
    csr_extensions: Sequence[tuple[x509.ExtensionType, bool]] = (),
    common_name: str | None = "leaf.example.com",
    api: Mapping[str, Any] | None = None,
    revocation: Mapping[str, Any] | None = None,
    csr_key_usage: Mapping[str, bool] | None = None,
) -> _Issued:
    """Issue with ``name`` from a fresh CA that may use it.

    Root templates: a PENDING root signing its own CSR (``csr_key_usage`` goes into
    that CSR through CsrExtensions). Others: an ACTIVE root signing a CSR with
    ``common_name``, the SANs in ``_CSR_SANS`` and ``csr_extensions``.
    """
    ca_kwargs: dict[str, Any] = {} if revocation is None else {"RevocationConfiguration": revocation}
    if CATALOG[name].kind == "root":
        assert not csr_extensions
        ca_arn = _pending_root(client, csr_key_usage=csr_key_usage, **ca_kwargs)
        csr_pem = client.get_certificate_authority_csr(CertificateAuthorityArn=ca_arn)["Csr"]
        certificate = _issue_cert(client, ca_arn, csr_pem, name, api)
        return _Issued(certificate, certificate, x509.load_pem_x509_csr(csr_pem.encode()), ca_arn)
    assert csr_key_usage is None
    ca_arn = create_active_root(client, **ca_kwargs)
    csr = make_csr(common_name, sans=_CSR_SANS, extensions=list(csr_extensions))
    certificate = _issue_cert(client, ca_arn, csr, name, api)
    return _Issued(certificate, _ca_certificate(client, ca_arn), x509.load_pem_x509_csr(csr), ca_arn)


def _pending_root(client: Any, *, csr_key_usage: Mapping[str, bool] | None = None, **kwargs: Any) -> str:
    if csr_key_usage is not None:
        configuration = {
            "KeyAlgorithm": "EC_prime256v1",
            "SigningAlgorithm": "SHA256WITHECDSA",
            "Subject": {"Country": "US", "Organization": "Example Corp", "CommonName": "Example Root"},
            "CsrExtensions": {"KeyUsage": dict(csr_key_usage)},
        }
        return create_ca(client, "ROOT", configuration=configuration, **kwargs)
    return create_ca(client, "ROOT", **kwargs)


def _expected_for(
    issued: _Issued,
    name: str,
    *,
    san: x509.Extension[Any] | None,
    passed: Sequence[x509.Extension[Any]] = (),
    crl_url: str | None = None,
    ocsp_url: str | None = None,
) -> list[x509.Extension[Any]]:
    profile = CATALOG[name]
    return _expected_extensions(
        profile,
        subject_key=issued.csr.public_key(),
        issuer_ski=None if profile.kind == "root" else _ski(issued.issuer),
        san=san,
        passed=passed,
        crl_url=crl_url,
        ocsp_url=ocsp_url,
    )


def _issued_serials(ca_arn: str) -> set[int]:
    return set(backend_ca(ca_arn).certificates)


def _b64(der: bytes) -> str:
    return base64.b64encode(der).decode()


def _custom(oid: ObjectIdentifier, der: bytes, critical: bool = False) -> dict[str, Any]:
    return {"ObjectIdentifier": oid.dotted_string, "Value": _b64(der), "Critical": critical}


# --- the catalogue ------------------------------------------------------------------------


def test_the_61_template_names_written_here_split_into_the_four_varieties() -> None:
    names = list(CATALOG)
    varieties = {
        "API": [n for n in names if n.endswith("_APIPassthrough")],
        "APICSR": [n for n in names if n.endswith("_APICSRPassthrough")],
        "CSR": [n for n in names if n.endswith("_CSRPassthrough") and not n.endswith("_APICSRPassthrough")],
    }
    base = [n for n in names if not n.endswith("Passthrough")]

    assert len(names) == len(set(names)) == 61
    assert (len(base), len(varieties["CSR"]), len(varieties["API"]), len(varieties["APICSR"])) == (10, 15, 21, 15)


@pytest.mark.parametrize(("name", "profile"), TEMPLATE_PARAMS)
def test_template_without_passthrough_input_issues_exactly_its_documented_profile(
    client: Any, name: str, profile: _Profile
) -> None:
    cases: list[tuple[_Issued, x509.Extension[Any] | None]] = []
    if profile.kind == "root":
        # A pending root signing its own CSR (its activation certificate).
        cases.append((_issue_by_template(client, name), None))
    elif profile.kind == "subordinate":
        # The CSR of a fresh subordinate CA, signed by an active root (30 days < the root's 10 years).
        root_arn = create_active_root(client)
        sub_arn = create_ca(client, "SUBORDINATE")
        csr_pem = client.get_certificate_authority_csr(CertificateAuthorityArn=sub_arn)["Csr"]
        certificate = _issue_cert(client, root_arn, csr_pem, name)
        csr = x509.load_pem_x509_csr(csr_pem.encode())
        cases.append((_Issued(certificate, _ca_certificate(client, root_arn), csr, root_arn), None))
    else:
        root_arn = create_active_root(client)
        sub_arn = create_active_subordinate(client, root_arn, path_len=0)
        csr_pem = make_csr(sans=_CSR_SANS)
        csr = x509.load_pem_x509_csr(csr_pem)
        for ca_arn in (root_arn, sub_arn):
            certificate = _issue_cert(client, ca_arn, csr_pem, name)
            cases.append((_Issued(certificate, _ca_certificate(client, ca_arn), csr, ca_arn), _CSR_SAN))

    for issued, san in cases:
        cert, issuer, csr = issued.certificate, issued.issuer, issued.csr
        assert list(cert.extensions) == _expected_for(issued, name, san=san)
        # The template's KeyUsage is DER-minimal and critical; Blank templates without input have none.
        expected_ku = None if profile.blank else (True, profile.key_usage_der)
        assert _raw_extension(cert, _KU_OID) == expected_ku
        if profile.kind == "root":
            assert _raw_extension(cert, _AKI_OID) is None
        else:
            # AKI keyIdentifier = the issuer certificate's SKI, itself the SHA-1 of the issuer's key.
            aki = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
            assert aki.key_identifier == _ski(issuer) == _key_id(issuer.public_key())
        assert cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest == _key_id(
            csr.public_key()
        )
        assert cert.subject.public_bytes() == csr.subject.public_bytes()
        assert cert.issuer == issuer.subject
        assert _spki(cert.public_key()) == _spki(csr.public_key())
        cert.verify_directly_issued_by(issuer)


# --- TLS path validation ---------------------------------------------------------------------


def _tls_params() -> list[Any]:
    families = [
        ("EndEntityCertificate", True, True),
        ("EndEntityServerAuthCertificate", True, False),
        ("EndEntityClientAuthCertificate", False, True),
    ]
    return [
        pytest.param(family + variety, server, client_auth, id=family + variety)
        for family, server, client_auth in families
        for variety in ("", "_CSRPassthrough", "_APIPassthrough", "_APICSRPassthrough")
    ]


@pytest.mark.parametrize(("name", "server_auth", "client_auth"), _tls_params())
def test_tls_template_leaf_passes_path_validation_exactly_for_its_usages(
    client: Any, name: str, server_auth: bool, client_auth: bool
) -> None:
    root_arn = create_active_root(client)
    sub_arn = create_active_subordinate(client, root_arn, path_len=0)
    root = _ca_certificate(client, root_arn)
    server_verifier = PolicyBuilder().store(Store([root])).build_server_verifier(x509.DNSName("leaf.example.com"))
    client_verifier = PolicyBuilder().store(Store([root])).build_client_verifier()

    for ca_arn in (root_arn, sub_arn):
        response = issue(client, ca_arn, make_csr(sans=_CSR_SANS), template=_template_arn(name), validity=_DAYS_30)
        leaf = load_certificate(response["Certificate"])
        intermediates = load_chain(response["CertificateChain"])[:-1]

        if server_auth:
            assert server_verifier.verify(leaf, intermediates)[-1] == root
        else:
            with pytest.raises(VerificationError):
                server_verifier.verify(leaf, intermediates)
        if client_auth:
            verified = client_verifier.verify(leaf, intermediates)
            assert verified.chain[-1] == root
            assert verified.subjects == _CSR_SANS
        else:
            with pytest.raises(VerificationError):
                client_verifier.verify(leaf, intermediates)


# --- precedence: ApiPassthrough only for API templates ------------------------------------------

_TWO_CHOICE_NAME = {
    "Extensions": {"SubjectAlternativeNames": [{"DnsName": "a.example.com", "Rfc822Name": "a@example.com"}]}
}
# ApiPassthrough values an API template rejects (InvalidArgsException), with the message it gives.
_UNUSABLE_PASSTHROUGHS = [
    pytest.param(_TWO_CHOICE_NAME, "A GeneralName must have exactly one of its fields set.", id="two-choice-name"),
    pytest.param(
        {"Subject": {"CommonName": "api", "CustomAttributes": [{"ObjectIdentifier": "2.5.4.3", "Value": "x"}]}},
        "The ApiPassthrough subject cannot have both custom attributes and standard attributes.",
        id="mixed-subject",
    ),
    pytest.param(
        {"Extensions": {"KeyUsage": {"EncipherOnly": True}}},
        "KeyUsage EncipherOnly and DecipherOnly require KeyAgreement.",
        id="encipher-only-without-key-agreement",
    ),
    pytest.param(
        {
            "Extensions": {
                "ExtendedKeyUsage": [
                    {"ExtendedKeyUsageType": "SERVER_AUTH", "ExtendedKeyUsageObjectIdentifier": "1.2.3.4"}
                ]
            }
        },
        "An ExtendedKeyUsage must have exactly one of ExtendedKeyUsageType and ExtendedKeyUsageObjectIdentifier.",
        id="eku-with-both-fields",
    ),
    pytest.param(
        {
            "Extensions": {
                "CustomExtensions": [
                    {"ObjectIdentifier": "1.2.3.4", "Value": "BQA="},
                    {"ObjectIdentifier": "1.2.3.4", "Value": "BQA="},
                ]
            }
        },
        "The extension 1.2.3.4 is specified more than once in the API passthrough.",
        id="same-custom-extension-twice",
    ),
]
_USABLE_PASSTHROUGH: dict[str, Any] = {
    "Subject": {"Country": "DE", "CommonName": "api.example.com"},
    "Extensions": {
        "KeyUsage": {"KeyAgreement": True},
        "ExtendedKeyUsage": [{"ExtendedKeyUsageType": "EMAIL_PROTECTION"}],
        "SubjectAlternativeNames": [{"DnsName": "api.example.com"}],
        "CertificatePolicies": [{"CertPolicyId": "1.3.6.1.4.1.55555.1"}],
        "CustomExtensions": [{"ObjectIdentifier": "1.3.6.1.4.1.55555.2", "Value": "BQA="}],
    },
}


@pytest.mark.parametrize(
    "name",
    [
        "EndEntityCertificate",
        "CodeSigningCertificate",
        "SubordinateCACertificate_PathLen1",
        "RootCACertificate",
        "EndEntityCertificate_CSRPassthrough",
        "OCSPSigningCertificate_CSRPassthrough",
        "BlankEndEntityCertificate_CSRPassthrough",
        "BlankSubordinateCACertificate_PathLen0_CSRPassthrough",
    ],
)
def test_api_passthrough_is_ignored_unvalidated_by_base_and_csr_templates(client: Any, name: str) -> None:
    profile = CATALOG[name]
    if profile.kind == "root":
        ca_arn = create_ca(client, "ROOT")
        csr_pem: bytes | str = client.get_certificate_authority_csr(CertificateAuthorityArn=ca_arn)["Csr"]
        san = None
    else:
        ca_arn = create_active_root(client)
        csr_pem = make_csr(sans=_CSR_SANS)
        san = _CSR_SAN
    csr = x509.load_pem_x509_csr(csr_pem.encode() if isinstance(csr_pem, str) else csr_pem)

    unusable = [cast("dict[str, Any]", param.values[0]) for param in _UNUSABLE_PASSTHROUGHS]
    for passthrough in [*unusable, _USABLE_PASSTHROUGH]:
        cert = _issue_cert(client, ca_arn, csr_pem, name, passthrough)
        issuer = cert if profile.kind == "root" else _ca_certificate(client, ca_arn)
        issued = _Issued(cert, issuer, csr, ca_arn)

        assert list(cert.extensions) == _expected_for(issued, name, san=san), passthrough
        assert cert.subject == csr.subject


@pytest.mark.parametrize("name", ["EndEntityCertificate_APIPassthrough", "BlankEndEntityCertificate_APICSRPassthrough"])
@pytest.mark.parametrize(("passthrough", "message"), _UNUSABLE_PASSTHROUGHS)
def test_the_same_passthroughs_are_rejected_by_api_templates(
    client: Any, name: str, passthrough: dict[str, Any], message: str
) -> None:
    root_arn = create_active_root(client)
    before = _issued_serials(root_arn)

    with pytest.raises(ClientError) as excinfo:
        _issue_cert(client, root_arn, make_csr(sans=_CSR_SANS), name, passthrough)

    assert_client_error(excinfo, "InvalidArgsException", message)
    assert _issued_serials(root_arn) == before


# --- precedence: CSR extensions only for CSR templates --------------------------------------------

_CSR_KU = as_extension(key_usage("content_commitment", "data_encipherment"), True)
_CSR_EKU = as_extension(x509.ExtendedKeyUsage([_TIME_STAMPING]), True)
_CSR_CUSTOM = as_extension(x509.UnrecognizedExtension(ObjectIdentifier("1.3.6.1.4.1.55555.9"), b"\x0c\x03csr"), False)
_CSR_POLICIES = as_extension(
    x509.CertificatePolicies(
        [x509.PolicyInformation(ObjectIdentifier("1.3.6.1.4.1.55555.7"), ["https://example.com/cps"])]
    ),
    False,
)


def _as_csr_extensions(*extensions: x509.Extension[Any]) -> list[tuple[x509.ExtensionType, bool]]:
    return [(extension.value, extension.critical) for extension in extensions]


@pytest.mark.parametrize(
    ("name", "copies"),
    [
        pytest.param("EndEntityCertificate", False, id="base"),
        pytest.param("SubordinateCACertificate_PathLen0", False, id="base-subordinate"),
        pytest.param("EndEntityCertificate_APIPassthrough", False, id="api"),
        pytest.param("BlankEndEntityCertificate_APIPassthrough", False, id="blank-api"),
        pytest.param("BlankSubordinateCACertificate_PathLen2_APIPassthrough", False, id="blank-subordinate-api"),
        pytest.param("EndEntityCertificate_CSRPassthrough", True, id="csr"),
        pytest.param("EndEntityCertificate_APICSRPassthrough", True, id="apicsr"),
        pytest.param("BlankEndEntityCertificate_CSRPassthrough", True, id="blank-csr"),
        pytest.param("BlankSubordinateCACertificate_PathLen1_APICSRPassthrough", True, id="blank-subordinate-apicsr"),
        pytest.param("SubordinateCACertificate_PathLen2_CSRPassthrough", True, id="subordinate-csr"),
    ],
)
def test_csr_extensions_are_copied_only_by_csr_and_apicsr_templates(client: Any, name: str, copies: bool) -> None:
    # Custom extension before the policies, to see that CSR order is kept.
    issued = _issue_by_template(
        client, name, csr_extensions=_as_csr_extensions(_CSR_KU, _CSR_EKU, _CSR_CUSTOM, _CSR_POLICIES)
    )
    cert = issued.certificate

    passed = [_CSR_KU, _CSR_EKU, _CSR_CUSTOM, _CSR_POLICIES] if copies else []
    assert list(cert.extensions) == _expected_for(issued, name, san=_CSR_SAN, passed=passed)
    extras = [extension for extension in cert.extensions if extension.oid not in _SLOT_ORDER]
    assert extras == ([_CSR_CUSTOM, _CSR_POLICIES] if copies else [])
    if copies and CATALOG[name].blank:
        # Copied as given: the CSR's DER-minimal KeyUsage, its criticality.
        assert _raw_extension(cert, _KU_OID) == (True, _CSR_KU.value.public_bytes())
        assert cert.extensions.get_extension_for_oid(_EKU_OID) == _CSR_EKU


# --- precedence: subject and SAN -------------------------------------------------------------------

_API_SAN_NAMES: list[dict[str, Any]] = [
    {"DnsName": "api.example.com"},
    {"IpAddress": "192.0.2.10"},
    {"UniformResourceIdentifier": "spiffe://example.org/api"},
]
_API_SAN = x509.SubjectAlternativeName(
    [
        x509.DNSName("api.example.com"),
        x509.IPAddress(IPv4Address("192.0.2.10")),
        x509.UniformResourceIdentifier("spiffe://example.org/api"),
    ]
)


@pytest.mark.parametrize(
    ("name", "api_san", "csr_common_name", "expected"),
    [
        pytest.param("EndEntityCertificate", True, "leaf.example.com", "csr", id="base-copies-csr-san"),
        pytest.param("SubordinateCACertificate_PathLen0", True, "leaf.example.com", "csr", id="base-ca-copies-csr-san"),
        pytest.param("CodeSigningCertificate", False, None, "csr", id="base-copies-csr-san-of-empty-subject"),
        pytest.param("EndEntityCertificate_CSRPassthrough", True, "leaf.example.com", "csr", id="csr-template"),
        pytest.param("BlankEndEntityCertificate_CSRPassthrough", True, "leaf.example.com", "csr", id="blank-csr"),
        pytest.param("EndEntityCertificate_APIPassthrough", False, "leaf.example.com", "csr", id="api-without-san"),
        pytest.param("EndEntityCertificate_APIPassthrough", True, "leaf.example.com", "api", id="api-template"),
        pytest.param("EndEntityCertificate_APICSRPassthrough", True, "leaf.example.com", "api", id="apicsr"),
        pytest.param(
            "BlankSubordinateCACertificate_PathLen0_APICSRPassthrough", True, "leaf.example.com", "api", id="blank-sub"
        ),
        pytest.param(
            "EndEntityServerAuthCertificate_APIPassthrough", True, None, "api-critical", id="api-san-of-empty-subject"
        ),
    ],
)
def test_csr_san_is_copied_by_every_template_and_replaced_by_an_api_san_in_api_templates(
    client: Any, name: str, api_san: bool, csr_common_name: str | None, expected: str
) -> None:
    api = {"Extensions": {"SubjectAlternativeNames": _API_SAN_NAMES}} if api_san else None

    issued = _issue_by_template(client, name, common_name=csr_common_name, api=api)

    san = {
        "csr": _CSR_SAN,
        "api": as_extension(_API_SAN, False),
        # RFC 5280 §4.2.1.6: critical when the subject is empty.
        "api-critical": as_extension(_API_SAN, True),
    }[expected]
    assert issued.certificate.extensions[0] == san
    assert list(issued.certificate.extensions) == _expected_for(issued, name, san=san)


_API_SUBJECT = {"Country": "DE", "Organization": "Api Org", "CommonName": "api.example.com"}
_API_NAME = x509.Name(
    [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "DE"),  # PrintableString
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Api Org"),  # UTF8String
        x509.NameAttribute(NameOID.COMMON_NAME, "api.example.com"),
    ]
)


@pytest.mark.parametrize(
    ("name", "replaced"),
    [
        pytest.param("EndEntityCertificate", False, id="base"),
        pytest.param("RootCACertificate", False, id="base-root"),
        pytest.param("EndEntityCertificate_CSRPassthrough", False, id="csr"),
        pytest.param("SubordinateCACertificate_PathLen0_CSRPassthrough", False, id="subordinate-csr"),
        pytest.param("EndEntityCertificate_APIPassthrough", True, id="api"),
        pytest.param("EndEntityCertificate_APICSRPassthrough", True, id="apicsr"),
        pytest.param("BlankSubordinateCACertificate_PathLen3_APIPassthrough", True, id="blank-subordinate-api"),
        pytest.param("RootCACertificate_APIPassthrough", True, id="root-api"),
        pytest.param("BlankRootCACertificate_PathLen1_APIPassthrough", True, id="blank-root-api"),
    ],
)
def test_api_subject_replaces_the_csr_subject_only_in_api_templates(client: Any, name: str, replaced: bool) -> None:
    issued = _issue_by_template(client, name, api={"Subject": _API_SUBJECT})
    cert = issued.certificate

    expected = _API_NAME if replaced else issued.csr.subject
    assert cert.subject.public_bytes() == expected.public_bytes()
    if CATALOG[name].kind == "root":
        assert cert.issuer == cert.subject
    cert.verify_directly_issued_by(issued.issuer)


# --- precedence: KeyUsage and ExtendedKeyUsage -------------------------------------------------------

_API_KU_EKU: dict[str, Any] = {
    "Extensions": {
        "KeyUsage": {"KeyAgreement": True, "DataEncipherment": True},
        "ExtendedKeyUsage": [{"ExtendedKeyUsageType": "EMAIL_PROTECTION"}],
    }
}


@pytest.mark.parametrize(
    ("name", "from_api", "from_csr"),
    [
        pytest.param("EndEntityClientAuthCertificate_APIPassthrough", True, False, id="client-auth-api"),
        pytest.param("EndEntityCertificate_CSRPassthrough", False, True, id="end-entity-csr"),
        pytest.param("EndEntityServerAuthCertificate_APICSRPassthrough", True, True, id="server-auth-apicsr"),
        pytest.param("CodeSigningCertificate_APICSRPassthrough", True, True, id="code-signing-apicsr"),
        pytest.param("OCSPSigningCertificate_CSRPassthrough", False, True, id="ocsp-signing-csr"),
        pytest.param("SubordinateCACertificate_PathLen1_APICSRPassthrough", True, True, id="subordinate-apicsr"),
        pytest.param("RootCACertificate_APIPassthrough", True, False, id="root-api"),
    ],
)
def test_template_key_usage_and_eku_win_over_api_and_csr_ones(
    client: Any, name: str, from_api: bool, from_csr: bool
) -> None:
    issued = _issue_by_template(
        client,
        name,
        api=_API_KU_EKU if from_api else None,
        csr_extensions=_as_csr_extensions(_CSR_KU, _CSR_EKU) if from_csr else (),
    )
    profile = CATALOG[name]
    cert = issued.certificate

    assert cert.extensions.get_extension_for_oid(_KU_OID) == as_extension(key_usage(*profile.key_usage), True)
    assert _raw_extension(cert, _KU_OID) == (True, profile.key_usage_der)
    eku = profile.extended_key_usage
    assert (
        _raw_extension(cert, _EKU_OID) is None
        if eku is None
        else cert.extensions.get_extension_for_oid(_EKU_OID)
        == as_extension(x509.ExtendedKeyUsage(list(eku)), profile.extended_key_usage_critical)
    )
    san = None if profile.kind == "root" else _CSR_SAN
    assert list(cert.extensions) == _expected_for(issued, name, san=san)


@pytest.mark.parametrize(
    "name",
    [
        "EndEntityCertificate_APIPassthrough",
        "CodeSigningCertificate_APICSRPassthrough",
        "SubordinateCACertificate_PathLen0_APIPassthrough",
        "RootCACertificate_APIPassthrough",
    ],
)
def test_template_key_usage_wins_over_a_custom_extension_with_the_key_usage_oid(client: Any, name: str) -> None:
    # keyAgreement (bit 4) only: 0000 1000, 3 unused bits.
    custom_ku = {"Extensions": {"CustomExtensions": [_custom(_KU_OID, bytes.fromhex("03020308"), critical=True)]}}

    issued = _issue_by_template(client, name, api=custom_ku)

    assert _raw_extension(issued.certificate, _KU_OID) == (True, CATALOG[name].key_usage_der)
    san = None if CATALOG[name].kind == "root" else _CSR_SAN
    assert list(issued.certificate.extensions) == _expected_for(issued, name, san=san)


@pytest.mark.parametrize(
    ("name", "api", "csr_eku"),
    [
        pytest.param("SubordinateCACertificate_PathLen0_APIPassthrough", _API_KU_EKU, False, id="api-eku"),
        pytest.param("SubordinateCACertificate_PathLen3_APICSRPassthrough", _API_KU_EKU, True, id="api-and-csr-eku"),
        pytest.param("SubordinateCACertificate_PathLen1_CSRPassthrough", None, True, id="csr-eku"),
        pytest.param(
            "SubordinateCACertificate_PathLen2_APIPassthrough",
            {
                "Extensions": {
                    "CustomExtensions": [_custom(_EKU_OID, x509.ExtendedKeyUsage([_SERVER_AUTH]).public_bytes())]
                }
            },
            False,
            id="custom-extension-eku",
        ),
        pytest.param("RootCACertificate_APIPassthrough", _API_KU_EKU, False, id="root-api-eku"),
        pytest.param(
            "RootCACertificate_APIPassthrough",
            {
                "Extensions": {
                    "CustomExtensions": [_custom(_EKU_OID, x509.ExtendedKeyUsage([_SERVER_AUTH]).public_bytes())]
                }
            },
            False,
            id="root-custom-extension-eku",
        ),
    ],
)
def test_non_blank_ca_templates_fix_eku_as_absent(
    client: Any, name: str, api: dict[str, Any] | None, csr_eku: bool
) -> None:
    issued = _issue_by_template(client, name, api=api, csr_extensions=_as_csr_extensions(_CSR_EKU) if csr_eku else ())

    assert _raw_extension(issued.certificate, _EKU_OID) is None
    san = None if CATALOG[name].kind == "root" else _CSR_SAN
    assert list(issued.certificate.extensions) == _expected_for(issued, name, san=san)


# API KeyUsage is written as a 9-bit BIT STRING: keyAgreement (4) + dataEncipherment (3) = 0001 1000, then 00.
_API_KU = (True, bytes.fromhex("0303071800"))
_API_KU_PARSED = as_extension(key_usage("key_agreement", "data_encipherment"), True)
_API_EKU = as_extension(x509.ExtendedKeyUsage([_EMAIL_PROTECTION]), False)


@pytest.mark.parametrize(
    ("name", "from_api", "from_csr", "source"),
    [
        pytest.param("BlankEndEntityCertificate_APIPassthrough", True, False, "api", id="api-template-api"),
        pytest.param("BlankEndEntityCertificate_APIPassthrough", True, True, "api", id="api-template-both"),
        pytest.param("BlankEndEntityCertificate_APIPassthrough", False, True, None, id="api-template-ignores-csr"),
        pytest.param("BlankEndEntityCertificate_CSRPassthrough", True, True, "csr", id="csr-template-ignores-api"),
        pytest.param("BlankEndEntityCertificate_CSRPassthrough", False, True, "csr", id="csr-template-csr"),
        pytest.param("BlankEndEntityCertificate_APICSRPassthrough", True, True, "api", id="apicsr-api-wins"),
        pytest.param("BlankEndEntityCertificate_APICSRPassthrough", False, True, "csr", id="apicsr-csr-only"),
        pytest.param("BlankEndEntityCertificate_APICSRPassthrough", False, False, None, id="apicsr-neither"),
        pytest.param(
            "BlankEndEntityCertificate_CriticalBasicConstraints_APICSRPassthrough", True, True, "api", id="critical-bc"
        ),
        pytest.param(
            "BlankEndEntityCertificate_CriticalBasicConstraints_CSRPassthrough",
            False,
            True,
            "csr",
            id="critical-bc-csr",
        ),
        pytest.param("BlankSubordinateCACertificate_PathLen1_APIPassthrough", True, True, "api", id="subordinate-api"),
        pytest.param("BlankSubordinateCACertificate_PathLen0_CSRPassthrough", True, True, "csr", id="subordinate-csr"),
        pytest.param(
            "BlankSubordinateCACertificate_PathLen2_APICSRPassthrough", True, True, "api", id="subordinate-apicsr"
        ),
    ],
)
def test_blank_templates_take_key_usage_and_eku_from_the_api_else_from_the_csr(
    client: Any, name: str, from_api: bool, from_csr: bool, source: str | None
) -> None:
    issued = _issue_by_template(
        client,
        name,
        api=_API_KU_EKU if from_api else None,
        csr_extensions=_as_csr_extensions(_CSR_KU, _CSR_EKU) if from_csr else (),
    )
    cert = issued.certificate

    if source == "api":
        passed = [_API_KU_PARSED, _API_EKU]
        assert _raw_extension(cert, _KU_OID) == _API_KU
    elif source == "csr":
        passed = [_CSR_KU, _CSR_EKU]
        assert _raw_extension(cert, _KU_OID) == (True, _CSR_KU.value.public_bytes())
    else:
        passed = []
        assert _raw_extension(cert, _KU_OID) is None
    assert list(cert.extensions) == _expected_for(issued, name, san=_CSR_SAN, passed=passed)


def test_blank_root_templates_take_key_usage_and_eku_from_the_api_never_from_the_cas_csr(client: Any) -> None:
    csr_key_usage = {"KeyCertSign": True, "CRLSign": True}
    root_arn = _pending_root(client, csr_key_usage=csr_key_usage)
    csr_pem = client.get_certificate_authority_csr(CertificateAuthorityArn=root_arn)["Csr"]
    csr = x509.load_pem_x509_csr(csr_pem.encode())
    assert csr.extensions.get_extension_for_oid(_KU_OID).value == key_usage("key_cert_sign", "crl_sign")
    api = {
        "Extensions": {
            "KeyUsage": {"DigitalSignature": True, "KeyCertSign": True, "CRLSign": True},
            "ExtendedKeyUsage": [{"ExtendedKeyUsageObjectIdentifier": "1.0.18013.5.1.7"}],
        }
    }

    for name in ("BlankRootCACertificate_APIPassthrough", "BlankRootCACertificate_PathLen2_APIPassthrough"):
        without = _issue_cert(client, root_arn, csr_pem, name)
        with_api = _issue_cert(client, root_arn, csr_pem, name, api)

        assert list(without.extensions) == _expected_for(_Issued(without, without, csr, root_arn), name, san=None)
        api_ku = as_extension(key_usage("digital_signature", "key_cert_sign", "crl_sign"), True)
        api_eku = as_extension(x509.ExtendedKeyUsage([ObjectIdentifier("1.0.18013.5.1.7")]), False)
        assert list(with_api.extensions) == _expected_for(
            _Issued(with_api, with_api, csr, root_arn), name, san=None, passed=[api_ku, api_eku]
        )
        # 1000 0110 0 as nine bits: 86 00.
        assert _raw_extension(with_api, _KU_OID) == (True, bytes.fromhex("0303078600"))


# --- precedence: BasicConstraints, SKI, AKI -------------------------------------------------------------

_BOGUS_BC = x509.BasicConstraints(ca=True, path_length=7)
_BOGUS_SKI = x509.SubjectKeyIdentifier(b"\x11" * 20)
_BOGUS_AKI = x509.AuthorityKeyIdentifier(b"\x22" * 20, None, None)
_CUSTOM_BC_SKI = [_custom(_BC_OID, _BOGUS_BC.public_bytes(), True), _custom(_SKI_OID, _BOGUS_SKI.public_bytes())]
_CUSTOM_BC_SKI_AKI = [*_CUSTOM_BC_SKI, _custom(_AKI_OID, _BOGUS_AKI.public_bytes())]


@pytest.mark.parametrize(
    ("name", "from_csr", "custom"),
    [
        pytest.param("EndEntityCertificate_CSRPassthrough", True, None, id="end-entity-csr"),
        pytest.param("BlankEndEntityCertificate_APICSRPassthrough", True, _CUSTOM_BC_SKI_AKI, id="blank-apicsr"),
        pytest.param(
            "BlankEndEntityCertificate_CriticalBasicConstraints_APIPassthrough", False, _CUSTOM_BC_SKI_AKI, id="api"
        ),
        pytest.param("SubordinateCACertificate_PathLen1_CSRPassthrough", True, None, id="subordinate-csr"),
        pytest.param(
            "BlankSubordinateCACertificate_PathLen0_APICSRPassthrough", True, _CUSTOM_BC_SKI_AKI, id="blank-sub-apicsr"
        ),
        pytest.param("RootCACertificate_APIPassthrough", False, _CUSTOM_BC_SKI, id="root-api"),
        pytest.param("BlankRootCACertificate_PathLen1_APIPassthrough", False, _CUSTOM_BC_SKI, id="blank-root-api"),
    ],
)
def test_template_basic_constraints_and_key_identifiers_win_over_csr_and_api_ones(
    client: Any, name: str, from_csr: bool, custom: list[dict[str, Any]] | None
) -> None:
    csr_extensions = [(_BOGUS_BC, True), (_BOGUS_SKI, False), (_BOGUS_AKI, False)] if from_csr else []

    issued = _issue_by_template(
        client,
        name,
        csr_extensions=csr_extensions,
        api=None if custom is None else {"Extensions": {"CustomExtensions": custom}},
    )

    san = None if CATALOG[name].kind == "root" else _CSR_SAN
    assert list(issued.certificate.extensions) == _expected_for(issued, name, san=san)


# --- encodings of KeyUsage ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "api", "csr_ku", "expected_bits", "expected_der"),
    [
        pytest.param(
            "BlankEndEntityCertificate_APIPassthrough",
            {"Extensions": {"KeyUsage": {"DigitalSignature": True}}},
            None,
            ("digital_signature",),
            "0303078000",
            id="api-digital-signature-nine-bits",
        ),
        pytest.param(
            "BlankEndEntityCertificate_APICSRPassthrough",
            {"Extensions": {"KeyUsage": {"KeyAgreement": True, "DecipherOnly": True}}},
            None,
            ("key_agreement", "decipher_only"),
            "0303070880",
            id="api-decipher-only-nine-bits",
        ),
        pytest.param(
            "BlankSubordinateCACertificate_PathLen0_APIPassthrough",
            {"Extensions": {"KeyUsage": {"KeyCertSign": True, "CRLSign": True}}},
            None,
            ("key_cert_sign", "crl_sign"),
            "0303070600",
            id="api-ca-bits-nine-bits",
        ),
        pytest.param(
            "BlankEndEntityCertificate_CriticalBasicConstraints_APIPassthrough",
            {
                "Extensions": {
                    "KeyUsage": {
                        "DigitalSignature": True,
                        "NonRepudiation": True,
                        "KeyEncipherment": True,
                        "DataEncipherment": True,
                        "KeyAgreement": True,
                        "KeyCertSign": True,
                        "CRLSign": True,
                        "EncipherOnly": True,
                        "DecipherOnly": True,
                    }
                }
            },
            None,
            (
                "digital_signature",
                "content_commitment",
                "key_encipherment",
                "data_encipherment",
                "key_agreement",
                "key_cert_sign",
                "crl_sign",
                "encipher_only",
                "decipher_only",
            ),
            "030307ff80",
            id="api-all-nine-bits",
        ),
        pytest.param(
            "BlankEndEntityCertificate_APIPassthrough",
            {"Extensions": {"CustomExtensions": [_custom(_KU_OID, bytes.fromhex("03020780"), critical=True)]}},
            None,
            ("digital_signature",),
            "03020780",
            id="custom-extension-copied-exactly-matter",
        ),
        pytest.param(
            "BlankEndEntityCertificate_CSRPassthrough",
            None,
            key_usage("digital_signature"),
            ("digital_signature",),
            "03020780",
            id="csr-copied-as-given",
        ),
        pytest.param(
            "EndEntityCertificate_APIPassthrough",
            {"Extensions": {"KeyUsage": {"DigitalSignature": True}}},
            None,
            ("digital_signature", "key_encipherment"),
            "030205a0",
            id="template-der-minimal",
        ),
        pytest.param("SubordinateCACertificate_PathLen0", None, None, _CA_KU, "03020186", id="ca-template-der-minimal"),
    ],
)
def test_key_usage_encoding_depends_on_where_it_comes_from(
    client: Any,
    name: str,
    api: dict[str, Any] | None,
    csr_ku: x509.KeyUsage | None,
    expected_bits: tuple[str, ...],
    expected_der: str,
) -> None:
    issued = _issue_by_template(client, name, api=api, csr_extensions=[] if csr_ku is None else [(csr_ku, True)])
    cert = issued.certificate

    assert _raw_extension(cert, _KU_OID) == (True, bytes.fromhex(expected_der))
    # Whatever the encoding, verifiers read the same bits.
    assert cert.extensions.get_extension_for_oid(_KU_OID) == as_extension(key_usage(*expected_bits), True)
    # The whole extension as it sits in the certificate: OID 2.5.29.15, critical TRUE, OCTET STRING.
    value = bytes.fromhex(expected_der)
    encoded = bytes.fromhex("0603551d0f0101ff04") + bytes([len(value)]) + value
    assert encoded in cert.public_bytes(serialization.Encoding.DER)


# --- root certificates and AKI (Matter) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "accepted"),
    [
        pytest.param("RootCACertificate_APIPassthrough", True, id="root-api"),
        pytest.param("BlankRootCACertificate_APIPassthrough", True, id="blank-root"),
        pytest.param("BlankRootCACertificate_PathLen2_APIPassthrough", True, id="blank-root-pathlen2"),
        pytest.param("RootCACertificate", False, id="base-root"),
    ],
)
def test_root_api_templates_accept_an_aki_through_custom_extensions_and_the_base_root_has_none(
    client: Any, name: str, accepted: bool
) -> None:
    root_arn = create_ca(client, "ROOT")
    csr_pem = client.get_certificate_authority_csr(CertificateAuthorityArn=root_arn)["Csr"]
    csr = x509.load_pem_x509_csr(csr_pem.encode())
    # Matter: AKI keyIdentifier computed from the CSR's key, passed as a CustomExtension.
    aki = x509.AuthorityKeyIdentifier(_key_id(csr.public_key()), None, None)
    api = {"Extensions": {"CustomExtensions": [_custom(_AKI_OID, aki.public_bytes())]}}

    cert = _issue_cert(client, root_arn, csr_pem, name, api)

    passed = [as_extension(aki, False)] if accepted else []
    assert list(cert.extensions) == _expected_for(_Issued(cert, cert, csr, root_arn), name, san=None, passed=passed)
    cert.verify_directly_issued_by(cert)


# --- CRL distribution points and OCSP (AIA) -----------------------------------------------------------

_CRL_ON = {"Enabled": True, "S3BucketName": "crl-bucket"}


# One template of each kind and variety, for the configurations not tried with all 54.
_NON_ROOT_SAMPLE = (
    "EndEntityCertificate",
    "OCSPSigningCertificate_CSRPassthrough",
    "BlankEndEntityCertificate_CriticalBasicConstraints_APIPassthrough",
    "SubordinateCACertificate_PathLen3_APICSRPassthrough",
    "BlankSubordinateCACertificate_PathLen0_CSRPassthrough",
    "SubordinateCACertificate_PathLen1",
)


@pytest.mark.parametrize(
    ("region", "configuration", "cdp_url", "ocsp_url", "how"),
    [
        pytest.param(
            "us-east-1",
            {"CrlConfiguration": _CRL_ON, "OcspConfiguration": {"Enabled": True}},
            "http://crl-bucket.s3.us-east-1.amazonaws.com/crl/{id}.crl",
            "http://ocsp.acm-pca.us-east-1.amazonaws.com",
            "created-all",
            id="bucket-and-default-ocsp",
        ),
        pytest.param(
            "eu-west-2",
            {"CrlConfiguration": _CRL_ON, "OcspConfiguration": {"Enabled": True}},
            "http://crl-bucket.s3.eu-west-2.amazonaws.com/crl/{id}.crl",
            "http://ocsp.acm-pca.eu-west-2.amazonaws.com",
            "created-sample",
            id="urls-name-the-cas-region",
        ),
        pytest.param(
            "us-east-1",
            {
                "CrlConfiguration": {**_CRL_ON, "CustomCname": "crl.example.com"},
                "OcspConfiguration": {"Enabled": True, "OcspCustomCname": "ocsp.example.com"},
            },
            "http://crl.example.com/crl/{id}.crl",
            "http://ocsp.example.com",
            "updated-all",
            id="custom-cnames",
        ),
        pytest.param(
            "us-east-1",
            {"CrlConfiguration": {**_CRL_ON, "CustomPath": "pki/crls"}},
            "http://crl-bucket.s3.us-east-1.amazonaws.com/pki/crls/{id}.crl",
            None,
            "updated-sample",
            id="custom-path-without-ocsp",
        ),
        pytest.param(
            "us-east-1",
            {"CrlConfiguration": {**_CRL_ON, "CustomCname": "crl.example.com", "CustomPath": "revocation"}},
            "http://crl.example.com/revocation/{id}.crl",
            None,
            "created-sample",
            id="custom-cname-and-path",
        ),
        pytest.param(
            "us-east-1",
            {
                "CrlConfiguration": {**_CRL_ON, "CrlDistributionPointExtensionConfiguration": {"OmitExtension": True}},
                "OcspConfiguration": {"Enabled": True},
            },
            None,
            "http://ocsp.acm-pca.us-east-1.amazonaws.com",
            "created-all",
            id="omit-extension-with-ocsp",
        ),
    ],
)
@pytest.mark.usefixtures("pca")
def test_every_non_root_template_carries_the_cas_cdp_and_ocsp_extensions(
    region: str, configuration: dict[str, Any], cdp_url: str | None, ocsp_url: str | None, how: str
) -> None:
    """``how``: the configuration given at creation or by UpdateCertificateAuthority; all 54 templates or a sample."""
    client = boto3.client("acm-pca", region_name=region)
    if how.startswith("created"):
        root_arn = create_active_root(client, RevocationConfiguration=configuration)
    else:
        root_arn = create_active_root(client)
        client.update_certificate_authority(CertificateAuthorityArn=root_arn, RevocationConfiguration=configuration)
    root = _ca_certificate(client, root_arn)
    crl_url = None if cdp_url is None else cdp_url.format(id=_ca_id(root_arn))
    csr_pem = make_csr(sans=_CSR_SANS)
    csr = x509.load_pem_x509_csr(csr_pem)

    non_root = [name for name, profile in CATALOG.items() if profile.kind != "root"]
    assert len(non_root) == 54
    for name in non_root if how.endswith("all") else _NON_ROOT_SAMPLE:
        cert = _issue_cert(client, root_arn, csr_pem, name)
        expected = _expected_for(
            _Issued(cert, root, csr, root_arn), name, san=_CSR_SAN, crl_url=crl_url, ocsp_url=ocsp_url
        )
        assert list(cert.extensions) == expected, name


def test_root_templates_never_carry_cdp_or_ocsp_extensions(client: Any) -> None:
    configuration = {"CrlConfiguration": _CRL_ON, "OcspConfiguration": {"Enabled": True}}
    root_arn = create_ca(client, "ROOT", RevocationConfiguration=configuration)
    csr_pem = client.get_certificate_authority_csr(CertificateAuthorityArn=root_arn)["Csr"]
    csr = x509.load_pem_x509_csr(csr_pem.encode())

    pending = {name: _issue_cert(client, root_arn, csr_pem, name) for name in ROOT_TEMPLATE_NAMES}
    client.import_certificate_authority_certificate(
        CertificateAuthorityArn=root_arn,
        Certificate=pending["RootCACertificate"].public_bytes(serialization.Encoding.PEM),
    )
    renewed = {name: _issue_cert(client, root_arn, csr_pem, name) for name in ROOT_TEMPLATE_NAMES}

    assert len(ROOT_TEMPLATE_NAMES) == 7
    for name in ROOT_TEMPLATE_NAMES:
        for cert in (pending[name], renewed[name]):
            assert list(cert.extensions) == _expected_for(_Issued(cert, cert, csr, root_arn), name, san=None), name


_CSR_CDP = _cdp("http://csr.example.com/from-csr.crl")
_API_CDP = _cdp("http://api.example.com/from-api.crl")
_CRL_DISABLED = {"CrlConfiguration": {"Enabled": False}}
_CRL_OMITTED = {"CrlConfiguration": {**_CRL_ON, "CrlDistributionPointExtensionConfiguration": {"OmitExtension": True}}}
_CRL_ENABLED = {"CrlConfiguration": _CRL_ON}


@pytest.mark.parametrize(
    ("revocation", "name", "from_csr", "from_api", "expected"),
    [
        pytest.param(None, "EndEntityCertificate_CSRPassthrough", True, False, "csr", id="no-crl-csr-template"),
        pytest.param(
            _CRL_DISABLED, "BlankSubordinateCACertificate_PathLen0_CSRPassthrough", True, False, "csr", id="disabled"
        ),
        pytest.param(_CRL_OMITTED, "BlankEndEntityCertificate_APICSRPassthrough", True, False, "csr", id="omitted"),
        pytest.param(_CRL_OMITTED, "EndEntityCertificate_APICSRPassthrough", True, True, "api", id="api-over-csr"),
        pytest.param(None, "EndEntityCertificate_APIPassthrough", False, True, "api", id="no-crl-api-template"),
        pytest.param(
            _CRL_OMITTED,
            "BlankEndEntityCertificate_CriticalBasicConstraints_APIPassthrough",
            False,
            True,
            "api",
            id="omitted-api-template",
        ),
        pytest.param(
            _CRL_OMITTED, "BlankRootCACertificate_PathLen0_APIPassthrough", False, True, "api", id="blank-root-mdl"
        ),
        pytest.param(_CRL_ENABLED, "BlankRootCACertificate_APIPassthrough", False, True, "api", id="root-crl-on"),
        pytest.param(None, "EndEntityCertificate", True, True, None, id="base-takes-neither"),
        pytest.param(_CRL_ENABLED, "RootCACertificate", False, True, None, id="base-root-takes-no-api"),
        pytest.param(None, "EndEntityCertificate_APIPassthrough", True, False, None, id="api-template-ignores-csr"),
        pytest.param(None, "EndEntityCertificate_CSRPassthrough", False, True, None, id="csr-template-ignores-api"),
        pytest.param(_CRL_ENABLED, "EndEntityCertificate_CSRPassthrough", True, False, "config", id="config-over-csr"),
        pytest.param(_CRL_ENABLED, "EndEntityCertificate_APIPassthrough", False, True, "config", id="config-over-api"),
        pytest.param(
            _CRL_ENABLED,
            "BlankSubordinateCACertificate_PathLen1_APICSRPassthrough",
            True,
            True,
            "config",
            id="config-over-both",
        ),
    ],
)
def test_passthrough_cdp_is_used_only_when_the_ca_configuration_gives_none(
    client: Any, revocation: dict[str, Any] | None, name: str, from_csr: bool, from_api: bool, expected: str | None
) -> None:
    issued = _issue_by_template(
        client,
        name,
        revocation=revocation,
        csr_extensions=_as_csr_extensions(_CSR_CDP) if from_csr else (),
        api={"Extensions": {"CustomExtensions": [_custom(_CDP_OID, _API_CDP.value.public_bytes())]}}
        if from_api
        else None,
    )

    crl_url = f"http://crl-bucket.s3.us-east-1.amazonaws.com/crl/{_ca_id(issued.ca_arn)}.crl"
    expected_cdp = {"csr": _CSR_CDP, "api": _API_CDP, "config": _cdp(crl_url), None: None}[expected]
    cdps = [extension for extension in issued.certificate.extensions if extension.oid == _CDP_OID]
    assert cdps == ([] if expected_cdp is None else [expected_cdp])
    san = None if CATALOG[name].kind == "root" else _CSR_SAN
    assert list(issued.certificate.extensions) == _expected_for(
        issued,
        name,
        san=san,
        passed=[expected_cdp] if expected_cdp is not None and expected != "config" else [],
        crl_url=crl_url if expected == "config" else None,
    )


_CSR_AIA = as_extension(
    x509.AuthorityInformationAccess(
        [
            x509.AccessDescription(_OCSP_ACCESS, x509.UniformResourceIdentifier("http://ocsp.csr.example.com")),
            x509.AccessDescription(_CA_ISSUERS_ACCESS, x509.UniformResourceIdentifier("http://csr.example.com/ca.crt")),
        ]
    ),
    False,
)
_API_AIA = _ocsp_aia("http://ocsp.api.example.com")


@pytest.mark.parametrize(
    ("ocsp_enabled", "name", "from_csr", "from_api", "expected"),
    [
        pytest.param(True, "EndEntityCertificate_CSRPassthrough", True, False, "config", id="config-over-csr"),
        pytest.param(True, "EndEntityCertificate_APIPassthrough", False, True, "config", id="config-over-api"),
        pytest.param(False, "EndEntityCertificate_CSRPassthrough", True, False, "csr", id="ocsp-off-csr"),
        pytest.param(False, "BlankEndEntityCertificate_APIPassthrough", False, True, "api", id="ocsp-off-api"),
        pytest.param(
            False, "SubordinateCACertificate_PathLen0_APICSRPassthrough", True, True, "api", id="api-over-csr"
        ),
        pytest.param(False, "EndEntityCertificate", True, True, None, id="base-takes-neither"),
    ],
)
def test_passthrough_aia_is_used_only_when_ocsp_is_disabled(
    client: Any, ocsp_enabled: bool, name: str, from_csr: bool, from_api: bool, expected: str | None
) -> None:
    issued = _issue_by_template(
        client,
        name,
        revocation={"OcspConfiguration": {"Enabled": ocsp_enabled}},
        csr_extensions=_as_csr_extensions(_CSR_AIA) if from_csr else (),
        api={"Extensions": {"CustomExtensions": [_custom(_AIA_OID, _API_AIA.value.public_bytes())]}}
        if from_api
        else None,
    )

    ocsp_url = "http://ocsp.acm-pca.us-east-1.amazonaws.com"
    expected_aia = {"csr": _CSR_AIA, "api": _API_AIA, "config": _ocsp_aia(ocsp_url), None: None}[expected]
    aias = [extension for extension in issued.certificate.extensions if extension.oid == _AIA_OID]
    assert aias == ([] if expected_aia is None else [expected_aia])
    assert list(issued.certificate.extensions) == _expected_for(
        issued,
        name,
        san=_CSR_SAN,
        passed=[expected_aia] if expected_aia is not None and expected != "config" else [],
        ocsp_url=ocsp_url if expected == "config" else None,
    )


# --- template ARNs outside the catalogue ---------------------------------------------------------------


@pytest.mark.parametrize(
    "template",
    [
        pytest.param(f"{TEMPLATES}/NoSuchTemplate/V1", id="unknown-name"),
        pytest.param(f"{TEMPLATES}/endentitycertificate/V1", id="wrong-case"),
        pytest.param(f"{TEMPLATES}/EndEntityCertificate_APIPassThrough/V1", id="wrong-case-variety"),
        pytest.param(f"{TEMPLATES}/BlankEndEntityCertificate/V1", id="blank-end-entity-has-no-base-variety"),
        pytest.param(f"{TEMPLATES}/BlankRootCACertificate/V1", id="blank-root-has-no-base-variety"),
        pytest.param(f"{TEMPLATES}/BlankRootCACertificate_PathLen0_CSRPassthrough/V1", id="blank-root-has-no-csr"),
        pytest.param(f"{TEMPLATES}/RootCACertificate_CSRPassthrough/V1", id="root-has-no-csr-variety"),
        pytest.param(f"{TEMPLATES}/RootCACertificate_APICSRPassthrough/V1", id="root-has-no-apicsr-variety"),
        pytest.param(f"{TEMPLATES}/SubordinateCACertificate_PathLen4/V1", id="path-length-4"),
        pytest.param(f"{TEMPLATES}/SubordinateCACertificate/V1", id="subordinate-without-path-length"),
        pytest.param(f"{TEMPLATES}/EndEntityCertificate/V2", id="version-2"),
        pytest.param(f"{TEMPLATES}/EndEntityCertificate/V01", id="version-01"),
        pytest.param("arn:aws-cn:acm-pca:::template/EndEntityCertificate/V1", id="china-partition-in-us-east-1"),
        pytest.param("arn:aws-us-gov:acm-pca:::template/EndEntityCertificate/V1", id="govcloud-partition"),
        pytest.param(f"{TEMPLATES}/EndEntityCertificate", id="no-version"),
        pytest.param(f"{TEMPLATES}/EndEntityCertificate/V1/extra", id="extra-segment"),
        pytest.param("arn:aws:acm-pca:::certificate-authority/EndEntityCertificate/V1", id="not-a-template-resource"),
        pytest.param("arn:aws:acm-pca::123456789012:template/EndEntityCertificate/V1", id="with-account"),
    ],
)
def test_template_arn_outside_the_catalogue_is_rejected_and_nothing_is_issued(client: Any, template: str) -> None:
    root_arn = create_active_root(client)
    before = _issued_serials(root_arn)

    with pytest.raises(ClientError) as excinfo:
        client.issue_certificate(
            CertificateAuthorityArn=root_arn,
            Csr=make_csr(sans=_CSR_SANS),
            SigningAlgorithm="SHA256WITHECDSA",
            Validity=_DAYS_30,
            TemplateArn=template,
        )

    assert_client_error(excinfo, "InvalidArgsException", f"The template ARN {template} is not valid.")
    assert _issued_serials(root_arn) == before


@pytest.mark.usefixtures("pca")
def test_template_arn_partition_follows_the_callers_region() -> None:
    client = boto3.client("acm-pca", region_name="cn-north-1")
    root_arn = create_ca(client, "ROOT")
    assert root_arn.startswith("arn:aws-cn:")
    own_csr = client.get_certificate_authority_csr(CertificateAuthorityArn=root_arn)["Csr"]
    root = issue(
        client,
        root_arn,
        own_csr,
        template="arn:aws-cn:acm-pca:::template/RootCACertificate/V1",
        validity={"Type": "YEARS", "Value": 10},
    )
    client.import_certificate_authority_certificate(CertificateAuthorityArn=root_arn, Certificate=root["Certificate"])
    csr = make_csr(sans=_CSR_SANS)

    cert = load_certificate(
        issue(client, root_arn, csr, template="arn:aws-cn:acm-pca:::template/EndEntityServerAuthCertificate/V1")[
            "Certificate"
        ]
    )
    before = _issued_serials(root_arn)
    aws_arn = f"{TEMPLATES}/EndEntityServerAuthCertificate/V1"
    with pytest.raises(ClientError) as excinfo:
        issue(client, root_arn, csr, template=aws_arn)

    assert cert.extensions.get_extension_for_oid(_EKU_OID).value == x509.ExtendedKeyUsage([_SERVER_AUTH])
    assert_client_error(excinfo, "InvalidArgsException", f"The template ARN {aws_arn} is not valid.")
    assert _issued_serials(root_arn) == before
