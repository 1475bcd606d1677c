"""Distinguished names as text, the way Java's ``X500Principal.getName(RFC2253)`` writes them.

AWS Private CA runs on the JVM and its audit reports print subjects with that
method (reference §8: ``2.5.4.5=#1303...,CN=www.example.com,...,C=US``). It
differs from cryptography's ``Name.rfc4514_string()`` in ways a test comparing
report text would notice: only nine attribute types get a keyword (``CN C L ST
O OU STREET DC UID``; serialNumber, title, emailAddress and the rest are written
as ``<dotted OID>=#<hex of the value's DER>``), ``=`` and ``#`` are escaped
anywhere in a value, and string values are taken as the UTF-8 reading of their
content bytes whatever the ASN.1 string type.

The rendering works on the DER of the name, not on cryptography's decoded
attributes, because Java prints the value bytes exactly as encoded (tag
included); :func:`subject_der` takes those bytes straight from a certificate.
"""

from __future__ import annotations

from collections.abc import Iterator

from cryptography import x509

# Attribute types Java names in RFC 2253 output (sun.security.x509.AVAKeyword).
KEYWORDS: dict[str, str] = {
    "2.5.4.3": "CN",
    "2.5.4.6": "C",
    "2.5.4.7": "L",
    "2.5.4.8": "ST",
    "2.5.4.10": "O",
    "2.5.4.11": "OU",
    "2.5.4.9": "STREET",
    "0.9.2342.19200300.100.1.25": "DC",
    "0.9.2342.19200300.100.1.1": "UID",
}

# ASN.1 string types Java prints as text; any other value type (NumericString,
# VisibleString, UniversalString, a BIT STRING ...) is printed as #hex even
# under a keyword.
_TEXT_TAGS = frozenset(
    {
        0x0C,  # UTF8String
        0x13,  # PrintableString
        0x14,  # T61String
        0x16,  # IA5String
        0x1B,  # GeneralString
        0x1E,  # BMPString
    }
)
_ESCAPED = ',=+<>#;"\\'
_EDGE_WHITESPACE = " \r"

_SEQUENCE, _SET, _OID, _EXPLICIT_0 = 0x30, 0x31, 0x06, 0xA0


def _tlv(data: bytes, at: int) -> tuple[int, int, int]:
    """The TLV starting at ``at``: its first tag byte, where its content starts, where it ends.

    Raises:
        ValueError: not DER (truncated, or an indefinite length).
    """
    tag = data[at]
    at += 1
    if tag & 0x1F == 0x1F:  # high tag number: skip the continuation bytes
        while data[at] & 0x80:
            at += 1
        at += 1
    length = data[at]
    at += 1
    if length & 0x80:
        size = length & 0x7F
        if size == 0:
            raise ValueError("indefinite length is not DER")
        length = int.from_bytes(data[at : at + size], "big")
        at += size
    end = at + length
    if end > len(data):
        raise ValueError("truncated DER")
    return tag, at, end


def _children(data: bytes, start: int, end: int) -> Iterator[tuple[int, int, int, int]]:
    """Each TLV inside ``data[start:end]``: (tag, start, content start, end)."""
    at = start
    while at < end:
        tag, content, after = _tlv(data, at)
        yield tag, at, content, after
        at = after


def _dotted(content: bytes) -> str:
    arcs: list[int] = []
    value = 0
    for byte in content:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(value)
            value = 0
    if not arcs:
        raise ValueError("empty object identifier")
    first = min(arcs[0] // 40, 2)
    return ".".join(str(arc) for arc in [first, arcs[0] - 40 * first, *arcs[1:]])


def _text(value: str) -> str:
    """A string value escaped as Java does it."""
    escaped: list[str] = []
    for char in value:
        if char in _ESCAPED:
            escaped.append("\\" + char)
        elif char == "\0":
            escaped.append("\\00")
        else:
            escaped.append(char)
    # Java decides leading and trailing whitespace on the escaped text, one
    # character at a time, and escapes each such space or CR with a backslash.
    chars = "".join(escaped)
    lead = len(chars) - len(chars.lstrip(_EDGE_WHITESPACE))
    trail = len(chars.rstrip(_EDGE_WHITESPACE))
    return "".join("\\" + char if i < lead or i >= trail else char for i, char in enumerate(chars))


def _attribute(data: bytes, start: int, end: int) -> str:
    """One AttributeTypeAndValue (the content of its SEQUENCE) as ``type=value``."""
    (oid_tag, _, oid_content, oid_end), (value_tag, value_start, value_content, value_end) = list(
        _children(data, start, end)
    )
    if oid_tag != _OID:
        raise ValueError("an attribute must start with its type")
    dotted = _dotted(data[oid_content:oid_end])
    keyword = KEYWORDS.get(dotted)
    if keyword is None or value_tag not in _TEXT_TAGS:
        return f"{keyword or dotted}=#{data[value_start:value_end].hex()}"
    # Java reads the content bytes as UTF-8 whatever the string type (so a
    # BMPString shows its zero bytes as \00); invalid bytes become U+FFFD.
    return f"{keyword}={_text(data[value_content:value_end].decode('utf-8', errors='replace'))}"


def render(name: x509.Name | bytes) -> str:
    """A distinguished name in Java's RFC 2253 form: last RDN first, ``,`` between RDNs, ``+`` within one.

    ``name`` is a cryptography Name or the DER of one (exact as encoded; see
    :func:`subject_der`). An empty name renders as the empty string.

    Raises:
        ValueError: the bytes are not a DER Name.
    """
    der = name.public_bytes() if isinstance(name, x509.Name) else name
    tag, start, end = _tlv(der, 0)
    if tag != _SEQUENCE:
        raise ValueError("a Name is a SEQUENCE")
    rdns: list[str] = []
    for rdn_tag, _, rdn_start, rdn_end in _children(der, start, end):
        if rdn_tag != _SET:
            raise ValueError("a RelativeDistinguishedName is a SET")
        rdns.append(
            "+".join(_attribute(der, content, after) for _, _, content, after in _children(der, rdn_start, rdn_end))
        )
    return ",".join(reversed(rdns))


def certificate_subject_der(certificate: bytes) -> bytes:
    """The subject Name of a DER certificate, as encoded (like :func:`subject_der`), reading nothing else.

    Raises:
        ValueError: not a DER certificate.
    """
    _, content, _ = _tlv(certificate, 0)
    _, at, _ = _tlv(certificate, content)
    tag, _, _ = _tlv(certificate, at)
    # version [0] (absent for v1), serialNumber, signature, issuer, validity, subject
    for _ in range(5 if tag == _EXPLICIT_0 else 4):
        _, _, at = _tlv(certificate, at)
    _, _, end = _tlv(certificate, at)
    return certificate[at:end]


def subject_der(certificate: x509.Certificate) -> bytes:
    """The subject Name of a certificate, as the bytes it was signed with.

    cryptography's ``certificate.subject.public_bytes()`` re-encodes the name,
    which can reorder a multi-valued RDN; the audit report prints what is there.
    """
    tbs = certificate.tbs_certificate_bytes
    _, start, end = _tlv(tbs, 0)
    fields = list(_children(tbs, start, end))
    # version [0] (absent for v1), serialNumber, signature, issuer, validity, subject
    index = 5 if fields[0][0] == _EXPLICIT_0 else 4
    _, field_start, _, field_end = fields[index]
    return tbs[field_start:field_end]
