"""Certificate extensions: AWS's encodings, ApiPassthrough, and template precedence.

A certificate's extensions come from three sources, and for each extension the
first that has it wins (reference §3.1): the template, then ApiPassthrough
(API templates only), then the CSR (CSR templates only; the CSR's subject
alternative names are copied by every template).
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from cryptography import x509
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtensionOID, ObjectIdentifier

from pca_mock.errors import UnsupportedByMockError
from pca_mock.x509 import names
from pca_mock.x509.templates import TemplateKind, TemplateProfile

# AWS KeyUsage member → cryptography KeyUsage argument, in KeyUsage bit order (0..8).
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
_BIT_ORDER = tuple(KEY_USAGE_BITS.values())

# ExtendedKeyUsageType → OID. AWS does not publish the mapping; these are the
# standard OIDs of the usages the names describe (reference §4.5).
EXTENDED_KEY_USAGE_TYPES: dict[str, ObjectIdentifier] = {
    "SERVER_AUTH": ObjectIdentifier("1.3.6.1.5.5.7.3.1"),
    "CLIENT_AUTH": ObjectIdentifier("1.3.6.1.5.5.7.3.2"),
    "CODE_SIGNING": ObjectIdentifier("1.3.6.1.5.5.7.3.3"),
    "EMAIL_PROTECTION": ObjectIdentifier("1.3.6.1.5.5.7.3.4"),
    "TIME_STAMPING": ObjectIdentifier("1.3.6.1.5.5.7.3.8"),
    "OCSP_SIGNING": ObjectIdentifier("1.3.6.1.5.5.7.3.9"),
    "SMART_CARD_LOGIN": ObjectIdentifier("1.3.6.1.4.1.311.20.2.2"),
    "DOCUMENT_SIGNING": ObjectIdentifier("1.3.6.1.4.1.311.10.3.12"),
    "CERTIFICATE_TRANSPARENCY": ObjectIdentifier("1.3.6.1.4.1.11129.2.4.4"),
}

# The order AWS writes extensions in: the row order of its template definitions,
# which is the order seen in certificates the service issued (BC, AKI, SKI, KU,
# EKU, CDP for end entities and CAs alike; roots have no AKI). Where the rows
# give no position (AIA) or the extension is a passthrough extra, it follows.
_ORDER = (
    ExtensionOID.SUBJECT_ALTERNATIVE_NAME,
    ExtensionOID.BASIC_CONSTRAINTS,
    ExtensionOID.AUTHORITY_KEY_IDENTIFIER,
    ExtensionOID.SUBJECT_KEY_IDENTIFIER,
    ExtensionOID.KEY_USAGE,
    ExtensionOID.EXTENDED_KEY_USAGE,
    ExtensionOID.CRL_DISTRIBUTION_POINTS,
    ExtensionOID.AUTHORITY_INFORMATION_ACCESS,
)


class InvalidExtensionError(ValueError):
    """Extension input that cannot be honoured; the message is fit to show the caller."""


# --- DER ---------------------------------------------------------------------------------


def _tlv(tag: int, content: bytes) -> bytes:
    length = len(content)
    if length < 0x80:
        return bytes([tag, length]) + content
    size = (length.bit_length() + 7) // 8
    return bytes([tag, 0x80 | size]) + length.to_bytes(size, "big") + content


def _sequence_content(der: bytes) -> bytes:
    """The content octets of a DER SEQUENCE (drop its tag and length)."""
    if der[1] < 0x80:
        return der[2:]
    return der[2 + (der[1] & 0x7F) :]


# --- KeyUsage ---------------------------------------------------------------------------


def key_usage(bits: Iterable[str]) -> x509.KeyUsage:
    """KeyUsage with exactly the named bits (cryptography argument names), DER-minimal.

    Templates' KeyUsage is encoded this way in certificates from the service.
    """
    chosen = set(bits)
    return x509.KeyUsage(**{name: name in chosen for name in _BIT_ORDER})


def nine_bit_key_usage(bits: Iterable[str]) -> x509.UnrecognizedExtension:
    """KeyUsage as AWS encodes one passed through the API: always all nine named bits.

    DER would drop trailing zero bits; AWS writes a 9-bit BIT STRING (two
    content octets, 7 unused bits) whatever is set, which is why Matter users
    pass KeyUsage as a CustomExtension instead (reference §3.1). Verifiers read
    it as the same KeyUsage; pkilint reports the non-minimal encoding.
    """
    chosen = set(bits)
    value = 0
    for position, name in enumerate(_BIT_ORDER):
        if name in chosen:
            value |= 1 << (15 - position)
    return x509.UnrecognizedExtension(ExtensionOID.KEY_USAGE, _tlv(0x03, b"\x07" + value.to_bytes(2, "big")))


def key_usage_bits(aws: Mapping[str, Any]) -> frozenset[str]:
    """The cryptography names of the bits an AWS KeyUsage structure sets.

    Raises:
        InvalidExtensionError: no bit set, or EncipherOnly or DecipherOnly without
            KeyAgreement, which RFC 5280 §4.2.1.3 leaves undefined and verifiers
            refuse to parse.
    """
    bits = frozenset(KEY_USAGE_BITS[member] for member, on in aws.items() if on)
    if not bits:
        # RFC 5280 §4.2.1.3: a KeyUsage extension has at least one bit set.
        raise InvalidExtensionError("KeyUsage must set at least one usage to true.")
    if bits & {"encipher_only", "decipher_only"} and "key_agreement" not in bits:
        raise InvalidExtensionError("KeyUsage EncipherOnly and DecipherOnly require KeyAgreement.")
    return bits


# --- names ------------------------------------------------------------------------------


def _edi_party_name(value: Mapping[str, Any]) -> bytes:
    """EDIPartyName as a GeneralName ([5]); both parts UTF8String DirectoryStrings.

    pyca/cryptography has no EDIPartyName, so it is encoded here. The [0]/[1]
    tags are explicit because DirectoryString is a CHOICE (X.680 §31.2.7).
    """
    parts = b""
    if value.get("NameAssigner") is not None:
        parts += _tlv(0xA0, _tlv(0x0C, _utf8(value["NameAssigner"], "EdiPartyName NameAssigner")))
    parts += _tlv(0xA1, _tlv(0x0C, _utf8(value["PartyName"], "EdiPartyName PartyName")))
    return _tlv(0xA5, parts)


def _utf8(value: str, what: str) -> bytes:
    try:
        return value.encode()
    except UnicodeEncodeError:
        # A lone surrogate: JSON can carry one, UTF-8 cannot.
        raise InvalidExtensionError(f"The {what} {value!r} is not valid Unicode text.") from None


def subject_alternative_names(aws_names: Sequence[Mapping[str, Any]], *, critical: bool) -> x509.Extension[Any]:
    """SubjectAlternativeName from AWS GeneralNames, in request order.

    Raises:
        InvalidExtensionError: a name without exactly one choice, or one that cannot be encoded.
    """
    general = [_general_name(name) for name in aws_names]
    if not any(name is None for name in general):
        san = x509.SubjectAlternativeName([name for name in general if name is not None])
        return x509.Extension(ExtensionOID.SUBJECT_ALTERNATIVE_NAME, critical, san)
    encoded = b"".join(
        _edi_party_name(aws["EdiPartyName"])
        if name is None
        else _sequence_content(x509.SubjectAlternativeName([name]).public_bytes())
        for aws, name in zip(aws_names, general, strict=True)
    )
    raw = x509.UnrecognizedExtension(ExtensionOID.SUBJECT_ALTERNATIVE_NAME, _tlv(0x30, encoded))
    return x509.Extension(ExtensionOID.SUBJECT_ALTERNATIVE_NAME, critical, raw)


def _general_name(aws: Mapping[str, Any]) -> x509.GeneralName | None:
    """A GeneralName, or None for an EdiPartyName (encoded by hand)."""
    try:
        return names.build_general_name(aws)
    except NotImplementedError:
        return None
    except ValueError as error:
        raise InvalidExtensionError(str(error)) from None


# --- ApiPassthrough ---------------------------------------------------------------------


def _oid(value: str, what: str) -> ObjectIdentifier:
    try:
        return names.parse_oid(value, what)
    except names.InvalidNameError as error:
        raise InvalidExtensionError(str(error)) from None


def _certificate_policies(policies: Sequence[Mapping[str, Any]]) -> x509.CertificatePolicies:
    information = []
    for policy in policies:
        qualifiers: list[str | x509.UserNotice] | None = None
        if policy.get("PolicyQualifiers"):
            # PolicyQualifierId has one value, CPS, so every qualifier is a CPS URI.
            uris: list[str] = [qualifier["Qualifier"]["CpsUri"] for qualifier in policy["PolicyQualifiers"]]
            for uri in uris:
                # The CPS URI is an IA5String; pyca/cryptography refuses anything else only when signing.
                if not uri.isascii():
                    raise InvalidExtensionError(f"The CpsUri {uri!r} is not ASCII.")
            qualifiers = list(uris)
        information.append(x509.PolicyInformation(_oid(policy["CertPolicyId"], "CertPolicyId"), qualifiers))
    return x509.CertificatePolicies(information)


def _extended_key_usage(usages: Sequence[Mapping[str, Any]]) -> x509.ExtendedKeyUsage:
    oids = []
    for usage in usages:
        named, custom = usage.get("ExtendedKeyUsageType"), usage.get("ExtendedKeyUsageObjectIdentifier")
        if (named is None) == (custom is None):
            raise InvalidExtensionError(
                "An ExtendedKeyUsage must have exactly one of ExtendedKeyUsageType and "
                "ExtendedKeyUsageObjectIdentifier."
            )
        if custom is not None:
            oids.append(_oid(custom, "ExtendedKeyUsageObjectIdentifier"))
        elif named in EXTENDED_KEY_USAGE_TYPES:
            oids.append(EXTENDED_KEY_USAGE_TYPES[named])
        else:
            raise UnsupportedByMockError(
                f"pca_mock does not know the ExtendedKeyUsageType {named!r} yet (botocore's model is newer)."
            )
    return x509.ExtendedKeyUsage(oids)


def _custom_extension(custom: Mapping[str, Any]) -> x509.Extension[Any]:
    oid = _oid(custom["ObjectIdentifier"], "CustomExtension ObjectIdentifier")
    # The model's pattern admits only well-formed base64 (checked on the wire).
    value = base64.b64decode(custom["Value"])
    critical = bool(custom.get("Critical", False))
    return x509.Extension(oid, critical, x509.UnrecognizedExtension(oid, value))


def api_extensions(aws: Mapping[str, Any], *, subject_is_empty: bool) -> list[x509.Extension[Any]]:
    """The extensions an ApiPassthrough ``Extensions`` structure asks for, in a fixed order.

    Raises:
        InvalidExtensionError: an input AWS rejects with InvalidArgsException.
    """
    result: list[x509.Extension[Any]] = []
    if aws.get("KeyUsage") is not None:
        bits = key_usage_bits(aws["KeyUsage"])
        result.append(x509.Extension(ExtensionOID.KEY_USAGE, True, nine_bit_key_usage(bits)))
    if aws.get("ExtendedKeyUsage"):
        eku = _extended_key_usage(aws["ExtendedKeyUsage"])
        result.append(x509.Extension(ExtensionOID.EXTENDED_KEY_USAGE, False, eku))
    if aws.get("SubjectAlternativeNames"):
        # RFC 5280 §4.2.1.6: the SAN must be critical when the subject is empty.
        result.append(subject_alternative_names(aws["SubjectAlternativeNames"], critical=subject_is_empty))
    if aws.get("CertificatePolicies"):
        policies = _certificate_policies(aws["CertificatePolicies"])
        result.append(x509.Extension(ExtensionOID.CERTIFICATE_POLICIES, False, policies))
    structured = {extension.oid for extension in result}
    seen: set[ObjectIdentifier] = set()
    for custom in aws.get("CustomExtensions") or ():
        extension = _custom_extension(custom)
        if extension.oid in seen or extension.oid in structured:
            raise InvalidExtensionError(
                f"The extension {extension.oid.dotted_string} is specified more than once in the API passthrough."
            )
        seen.add(extension.oid)
        result.append(extension)
    return result


# --- precedence ---------------------------------------------------------------------------


def compose(
    profile: TemplateProfile,
    *,
    subject_key_identifier: bytes,
    authority_key_identifier: bytes | None,
    crl_url: str | None,
    ocsp_url: str | None,
    api: Sequence[x509.Extension[Any]],
    csr: Sequence[x509.Extension[Any]],
) -> list[x509.Extension[Any]]:
    """A certificate's extensions, in AWS's order, after template > API > CSR precedence.

    ``api`` is honoured only by API templates; of ``csr`` only the subject
    alternative names are taken unless the template passes CSR extensions.
    ``crl_url`` and ``ocsp_url`` come from the CA's revocation configuration;
    when set they fix the CDP and AIA extensions, otherwise a passthrough may
    supply them.
    """
    fixed = _template_extensions(profile, subject_key_identifier, authority_key_identifier, crl_url, ocsp_url)
    passed: dict[ObjectIdentifier, x509.Extension[Any]] = {}
    for extension in api if profile.takes_api else ():
        passed.setdefault(extension.oid, extension)
    for extension in csr:
        if profile.takes_csr or extension.oid == ExtensionOID.SUBJECT_ALTERNATIVE_NAME:
            passed.setdefault(extension.oid, extension)
    result = []
    for oid in _ORDER:
        chosen = fixed[oid] if oid in fixed else passed.get(oid)
        if chosen is not None:
            result.append(chosen)
    result.extend(extension for oid, extension in passed.items() if oid not in fixed and oid not in _ORDER)
    return result


@functools.cache
def _profile_extensions(profile: TemplateProfile) -> dict[ObjectIdentifier, x509.Extension[Any] | None]:
    """The request-independent part of what a template fixes, built once per template."""
    is_ca = profile.kind is not TemplateKind.END_ENTITY
    basic = x509.BasicConstraints(ca=is_ca, path_length=profile.path_len)
    fixed: dict[ObjectIdentifier, x509.Extension[Any] | None] = {
        ExtensionOID.BASIC_CONSTRAINTS: x509.Extension(
            ExtensionOID.BASIC_CONSTRAINTS, profile.basic_constraints_critical, basic
        ),
    }
    if profile.key_usage is not None:
        fixed[ExtensionOID.KEY_USAGE] = (
            x509.Extension(ExtensionOID.KEY_USAGE, True, key_usage(profile.key_usage)) if profile.key_usage else None
        )
    if profile.extended_key_usage is not None:
        fixed[ExtensionOID.EXTENDED_KEY_USAGE] = (
            x509.Extension(
                ExtensionOID.EXTENDED_KEY_USAGE,
                profile.extended_key_usage_critical,
                x509.ExtendedKeyUsage(profile.extended_key_usage),
            )
            if profile.extended_key_usage
            else None
        )
    return fixed


@functools.lru_cache(maxsize=64)
def _crl_distribution_points(url: str) -> x509.Extension[Any]:
    point = x509.DistributionPoint([x509.UniformResourceIdentifier(url)], None, None, None)
    return x509.Extension(ExtensionOID.CRL_DISTRIBUTION_POINTS, False, x509.CRLDistributionPoints([point]))


@functools.lru_cache(maxsize=64)
def _ocsp_access(url: str) -> x509.Extension[Any]:
    ocsp = x509.AccessDescription(AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(url))
    return x509.Extension(ExtensionOID.AUTHORITY_INFORMATION_ACCESS, False, x509.AuthorityInformationAccess([ocsp]))


def _template_extensions(
    profile: TemplateProfile,
    subject_key_identifier: bytes,
    authority_key_identifier: bytes | None,
    crl_url: str | None,
    ocsp_url: str | None,
) -> dict[ObjectIdentifier, x509.Extension[Any] | None]:
    """What the template fixes; None marks an extension it fixes as absent."""
    fixed = dict(_profile_extensions(profile))
    fixed[ExtensionOID.SUBJECT_KEY_IDENTIFIER] = x509.Extension(
        ExtensionOID.SUBJECT_KEY_IDENTIFIER, False, x509.SubjectKeyIdentifier(subject_key_identifier)
    )
    if authority_key_identifier is not None:
        aki = x509.AuthorityKeyIdentifier(authority_key_identifier, None, None)
        fixed[ExtensionOID.AUTHORITY_KEY_IDENTIFIER] = x509.Extension(ExtensionOID.AUTHORITY_KEY_IDENTIFIER, False, aki)
    if crl_url is not None:
        fixed[ExtensionOID.CRL_DISTRIBUTION_POINTS] = _crl_distribution_points(crl_url)
    if ocsp_url is not None:
        fixed[ExtensionOID.AUTHORITY_INFORMATION_ACCESS] = _ocsp_access(ocsp_url)
    return fixed
