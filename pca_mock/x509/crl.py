"""Certificate revocation lists as AWS Private CA writes them (reference §7.3)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from pca_mock.x509.keys import PrivateKey, Signature

# RevocationReason → RFC 5280 CRLReason (codes 0-5, 9, 10).
REASONS: dict[str, x509.ReasonFlags] = {
    "UNSPECIFIED": x509.ReasonFlags.unspecified,
    "KEY_COMPROMISE": x509.ReasonFlags.key_compromise,
    "CERTIFICATE_AUTHORITY_COMPROMISE": x509.ReasonFlags.ca_compromise,
    "AFFILIATION_CHANGED": x509.ReasonFlags.affiliation_changed,
    "SUPERSEDED": x509.ReasonFlags.superseded,
    "CESSATION_OF_OPERATION": x509.ReasonFlags.cessation_of_operation,
    "PRIVILEGE_WITHDRAWN": x509.ReasonFlags.privilege_withdrawn,
    "A_A_COMPROMISE": x509.ReasonFlags.aa_compromise,
}


# RevocationReason → the CRLReason code written in an entry's reasonCode extension.
_REASON_CODES: dict[str, int] = {
    "UNSPECIFIED": 0,
    "KEY_COMPROMISE": 1,
    "CERTIFICATE_AUTHORITY_COMPROMISE": 2,
    "AFFILIATION_CHANGED": 3,
    "SUPERSEDED": 4,
    "CESSATION_OF_OPERATION": 5,
    "PRIVILEGE_WITHDRAWN": 9,
    "A_A_COMPROMISE": 10,
}
# Extension ::= SEQUENCE { extnID id-ce-cRLReasons (2.5.29.21), extnValue OCTET STRING { ENUMERATED } }
# without the last byte (the code); the Extensions SEQUENCE around it has one member.
_REASON_EXTENSIONS = b"\x30\x0c\x30\x0a\x06\x03\x55\x1d\x15\x04\x03\x0a\x01"
_SEQUENCE, _INTEGER, _UTC_TIME, _GENERALIZED_TIME, _BIT_STRING = 0x30, 0x02, 0x17, 0x18, 0x03


@dataclass(frozen=True, slots=True)
class RevokedEntry:
    serial: int
    revoked_at: datetime
    # A RevocationReason name (see REASONS).
    reason: str


def _tlv(tag: int, content: bytes) -> bytes:
    size = len(content)
    if size < 0x80:
        return bytes((tag, size)) + content
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes((tag, 0x80 | len(length))) + length + content


def _time(moment: datetime) -> bytes:
    """RFC 5280 Time: UTCTime through 2049, GeneralizedTime from 2050, to the second, in UTC."""
    utc = moment if moment.tzinfo is timezone.utc else moment.astimezone(timezone.utc)
    rest = f"{utc.month:02d}{utc.day:02d}{utc.hour:02d}{utc.minute:02d}{utc.second:02d}Z".encode("ascii")
    if 1950 <= utc.year < 2050:
        return _tlv(_UTC_TIME, f"{utc.year % 100:02d}".encode("ascii") + rest)
    return _tlv(_GENERALIZED_TIME, f"{utc.year:04d}".encode("ascii") + rest)


def encode_entry(entry: RevokedEntry) -> bytes:
    """The DER of one revokedCertificates element: serial, revocation date and a reasonCode extension.

    Encoded once, when the certificate is revoked, so a CRL of any size is
    assembled by joining bytes (see :func:`build_crl`).
    """
    serial = entry.serial.to_bytes(entry.serial.bit_length() // 8 + 1, "big")
    body = _tlv(_INTEGER, serial) + _time(entry.revoked_at) + _REASON_EXTENSIONS + bytes((_REASON_CODES[entry.reason],))
    return _tlv(_SEQUENCE, body)


def _children(der: bytes) -> list[bytes]:
    """The TLVs inside the outermost TLV of ``der`` (DER, definite lengths)."""
    at = 2 if der[1] < 0x80 else 2 + (der[1] & 0x7F)
    children = []
    while at < len(der):
        first = der[at + 1]
        if first < 0x80:
            start, size = at + 2, first
        else:
            start = at + 2 + (first & 0x7F)
            size = int.from_bytes(der[at + 2 : start], "big")
        children.append(der[at : start + size])
        at = start + size
    return children


def _sign(key: PrivateKey, data: bytes, signature: Signature) -> bytes:
    """Sign as cryptography's CRL builder does for the same key and ``signature``."""
    if isinstance(key, rsa.RSAPrivateKey):
        digest = signature.hash()
        assert digest is not None
        return key.sign(data, signature.rsa_padding() or padding.PKCS1v15(), digest)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        digest = signature.hash()
        assert digest is not None
        return key.sign(data, ec.ECDSA(digest))
    return key.sign(data)


def build_crl(
    *,
    issuer: x509.Name,
    issuer_key: PrivateKey,
    issuer_key_identifier: bytes,
    signature: Signature,
    number: int,
    this_update: datetime,
    next_update: datetime,
    entries: Sequence[bytes],
    distribution_point: str | None = None,
) -> bytes:
    """A signed v2 CRL (DER): AKI and CRL Number, and one entry per revoked certificate.

    ``entries`` are DER entries from :func:`encode_entry`; each carries its
    reason code. ``distribution_point`` makes it a partition CRL, with a
    critical IssuingDistributionPoint naming it.

    cryptography's builder takes about 30 us per entry (seconds for 100,000),
    so it makes the CRL without entries - issuer, times, extensions, the
    signature AlgorithmIdentifier - and the entries are spliced into its
    TBSCertList, which is then signed again with the same key and algorithm.
    """
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer)
        .last_update(this_update)
        .next_update(next_update)
        .add_extension(x509.AuthorityKeyIdentifier(issuer_key_identifier, None, None), critical=False)
        .add_extension(x509.CRLNumber(number), critical=False)
    )
    if distribution_point is not None:
        point = x509.IssuingDistributionPoint(
            full_name=[x509.UniformResourceIdentifier(distribution_point)],
            relative_name=None,
            only_contains_user_certs=False,
            only_contains_ca_certs=False,
            only_some_reasons=None,
            indirect_crl=False,
            only_contains_attribute_certs=False,
        )
        builder = builder.add_extension(point, critical=True)
    empty = builder.sign(issuer_key, signature.hash(), rsa_padding=signature.rsa_padding()).public_bytes(
        serialization.Encoding.DER
    )
    if not entries:
        return empty
    tbs, algorithm, _ = _children(empty)
    # TBSCertList: version, signature, issuer, thisUpdate, nextUpdate,
    # [revokedCertificates] (left out when empty), [0] crlExtensions.
    fields = _children(tbs)
    if fields[5][0] == _SEQUENCE:
        del fields[5]
    fields.insert(5, _tlv(_SEQUENCE, b"".join(entries)))
    tbs = _tlv(_SEQUENCE, b"".join(fields))
    signed = _sign(issuer_key, tbs, signature)
    return _tlv(_SEQUENCE, tbs + algorithm + _tlv(_BIT_STRING, b"\x00" + signed))
