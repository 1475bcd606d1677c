"""The template pages' examples run, and their extension tables describe what they issue.

Every ```python block of docs/templates.md and docs/templates/*.md runs in a
fresh namespace (the blocks start the mock themselves). A block followed by a
``| Extension | Critical | Value |`` table must leave the PEM of the
certificate it issued in ``certificate_pem``; the table must list that
certificate's extensions, in order, as ``_render`` writes them:

* Extension: cryptography's name for the OID, or the dotted OID if it has none;
* Critical: ``yes`` or ``no``;
* Value: BasicConstraints ``CA:TRUE, pathlen:0``; KeyUsage the set bits' RFC 5280
  names; EKU and policies the OID names (dotted when unnamed); AKI and SKI
  ``key id`` (the bytes differ on every run); general names ``DNS:…``, ``IP:…``,
  ``email:…``, ``URI:…``, ``DirName:…``, ``RID:…``, ``otherName:<oid>=<text>``;
  CDP the URIs; AIA/SIA ``<method> <URI>``; unknown or unparseable extensions
  ``DER``. A CA id (UUID) inside a value reads ``{ca_id}``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID, ObjectIdentifier
from pyasn1.codec.der.decoder import decode
from pyasn1_alt_modules import rfc5280

DOCS = Path(__file__).resolve().parent.parent / "docs"
OVERVIEW = DOCS / "templates.md"
FAMILY_PAGES = {
    "end-entity-tls.md": ("EndEntityCertificate", "EndEntityClientAuthCertificate", "EndEntityServerAuthCertificate"),
    "code-signing.md": ("CodeSigningCertificate",),
    "ocsp-signing.md": ("OCSPSigningCertificate",),
    "root-ca.md": ("RootCACertificate",),
    "subordinate-ca.md": tuple(f"SubordinateCACertificate_PathLen{n}" for n in range(4)),
    "blank-end-entity.md": ("BlankEndEntityCertificate", "BlankEndEntityCertificate_CriticalBasicConstraints"),
    "blank-subordinate-ca.md": tuple(f"BlankSubordinateCACertificate_PathLen{n}" for n in range(4)),
    "blank-root-ca.md": ("BlankRootCACertificate", *(f"BlankRootCACertificate_PathLen{n}" for n in range(4))),
}
PAGES = (OVERVIEW, *(DOCS / "templates" / name for name in FAMILY_PAGES))

# AWS's catalogue (reference §3.3), written out here rather than read from pca_mock.
_ALL = ("", "_CSRPassthrough", "_APIPassthrough", "_APICSRPassthrough")
_PASSTHROUGH = ("_CSRPassthrough", "_APIPassthrough", "_APICSRPassthrough")
_VARIETIES: dict[str, tuple[str, ...]] = {
    "EndEntityCertificate": _ALL,
    "EndEntityClientAuthCertificate": _ALL,
    "EndEntityServerAuthCertificate": _ALL,
    "CodeSigningCertificate": _ALL,
    "OCSPSigningCertificate": _ALL,
    "RootCACertificate": ("", "_APIPassthrough"),
    **{f"SubordinateCACertificate_PathLen{n}": _ALL for n in range(4)},
    "BlankEndEntityCertificate": _PASSTHROUGH,
    "BlankEndEntityCertificate_CriticalBasicConstraints": _PASSTHROUGH,
    **{f"BlankSubordinateCACertificate_PathLen{n}": _PASSTHROUGH for n in range(4)},
    "BlankRootCACertificate": ("_APIPassthrough",),
    **{f"BlankRootCACertificate_PathLen{n}": ("_APIPassthrough",) for n in range(4)},
}
TEMPLATE_NAMES = frozenset(family + variety for family, varieties in _VARIETIES.items() for variety in varieties)

TABLE_HEADER = "| Extension | Critical | Value |"
_SEPARATOR = re.compile(r"^\|(\s*:?-+:?\s*\|){3}$")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_NAMED_TEMPLATE = re.compile(r"`(\w+)/V1`")

Row = tuple[str, str, str]


# --- reading the pages --------------------------------------------------------------------


@dataclass(frozen=True)
class _Example:
    page: Path
    line: int  # 1-based line of the block's first code line
    code: str
    table: tuple[Row, ...] | None

    @property
    def id(self) -> str:
        return f"{self.page.relative_to(DOCS)}:{self.line}"


def _cells(line: str) -> Row:
    cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
    assert len(cells) == 3, f"not a three-column row: {line!r}"
    return cells[0], cells[1], cells[2]


def _table_at(lines: list[str], start: int) -> tuple[Row, ...] | None:
    """The extension table starting at ``start`` (after blank lines), if there is one."""
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start >= len(lines) or lines[start].strip() != TABLE_HEADER:
        return None
    assert _SEPARATOR.match(lines[start + 1].strip()), f"line {start + 2}: expected a table separator"
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(_cells(line))
    return tuple(rows)


def _examples(page: Path) -> Iterator[_Example]:
    lines = page.read_text().splitlines()
    index = 0
    while index < len(lines):
        if lines[index].strip() != "```python":
            index += 1
            continue
        end = lines.index("```", index + 1)
        code = "\n".join(lines[index + 1 : end]) + "\n"
        yield _Example(page, index + 2, code, _table_at(lines, end + 1))
        index = end + 1


EXAMPLES = [example for page in PAGES if page.exists() for example in _examples(page)]


# --- rendering a certificate's extensions -------------------------------------------------

_KEY_USAGE_NAMES = (
    ("digital_signature", "digitalSignature"),
    ("content_commitment", "nonRepudiation"),
    ("key_encipherment", "keyEncipherment"),
    ("data_encipherment", "dataEncipherment"),
    ("key_agreement", "keyAgreement"),
    ("key_cert_sign", "keyCertSign"),
    ("crl_sign", "cRLSign"),
)


def _oid_name(oid: ObjectIdentifier) -> str:
    name = oid._name
    return oid.dotted_string if name.startswith("Unknown OID") else name


def _general_name(name: x509.GeneralName) -> str:
    if isinstance(name, x509.DNSName):
        return f"DNS:{name.value}"
    if isinstance(name, x509.IPAddress):
        return f"IP:{name.value}"
    if isinstance(name, x509.RFC822Name):
        return f"email:{name.value}"
    if isinstance(name, x509.UniformResourceIdentifier):
        return f"URI:{name.value}"
    if isinstance(name, x509.DirectoryName):
        return f"DirName:{name.value.rfc4514_string()}"
    if isinstance(name, x509.RegisteredID):
        return f"RID:{name.value.dotted_string}"
    assert isinstance(name, x509.OtherName)
    value = name.value
    # A short UTF8String (tag 12) is shown as text; anything else only by its type.
    if len(value) >= 2 and value[0] == 0x0C and value[1] == len(value) - 2:
        return f"otherName:{name.type_id.dotted_string}={value[2:].decode()}"
    return f"otherName:{name.type_id.dotted_string}"


def _names(names: Any) -> str:
    return ", ".join(_general_name(name) for name in names)


def _access(descriptions: Any) -> str:
    return ", ".join(
        f"{_oid_name(item.access_method)} {_general_name(item.access_location).removeprefix('URI:')}"
        for item in descriptions
    )


def _key_usage(value: x509.KeyUsage) -> str:
    bits = [name for attribute, name in _KEY_USAGE_NAMES if getattr(value, attribute)]
    if value.key_agreement:  # encipher_only/decipher_only are undefined (and unreadable) otherwise
        bits += [
            name for name, on in (("encipherOnly", value.encipher_only), ("decipherOnly", value.decipher_only)) if on
        ]
    return ", ".join(bits)


def _policies(value: x509.CertificatePolicies) -> str:
    rendered = []
    for policy in value:
        qualifiers = [f" CPS:{q}" if isinstance(q, str) else " UserNotice" for q in policy.policy_qualifiers or ()]
        rendered.append(_oid_name(policy.policy_identifier) + "".join(qualifiers))
    return ", ".join(rendered)


def _name_constraints(value: x509.NameConstraints) -> str:
    parts = []
    if value.permitted_subtrees:
        parts.append(f"permitted {_names(value.permitted_subtrees)}")
    if value.excluded_subtrees:
        parts.append(f"excluded {_names(value.excluded_subtrees)}")
    return "; ".join(parts)


def _value(value: x509.ExtensionType) -> str:
    if isinstance(value, x509.BasicConstraints):
        if not value.ca:
            return "CA:FALSE"
        return "CA:TRUE" if value.path_length is None else f"CA:TRUE, pathlen:{value.path_length}"
    if isinstance(value, x509.KeyUsage):
        return _key_usage(value)
    if isinstance(value, x509.ExtendedKeyUsage):
        return ", ".join(_oid_name(oid) for oid in value)
    if isinstance(value, x509.SubjectKeyIdentifier):
        return "key id"
    if isinstance(value, x509.AuthorityKeyIdentifier):
        parts = ["key id"] if value.key_identifier is not None else []
        if value.authority_cert_issuer is not None:
            parts.append(f"issuer {_names(value.authority_cert_issuer)}")
        if value.authority_cert_serial_number is not None:
            parts.append("serial")
        return ", ".join(parts)
    if isinstance(value, (x509.SubjectAlternativeName, x509.IssuerAlternativeName)):
        return _names(value)
    if isinstance(value, x509.CRLDistributionPoints):
        return ", ".join(_general_name(name).removeprefix("URI:") for point in value for name in point.full_name or ())
    if isinstance(value, (x509.AuthorityInformationAccess, x509.SubjectInformationAccess)):
        return _access(value)
    if isinstance(value, x509.CertificatePolicies):
        return _policies(value)
    if isinstance(value, x509.NameConstraints):
        return _name_constraints(value)
    if isinstance(value, x509.TLSFeature):
        return ", ".join(feature.name for feature in value)
    if isinstance(value, x509.OCSPNoCheck):
        return "NULL"
    if isinstance(value, x509.UnrecognizedExtension):
        return "DER"
    raise AssertionError(f"no rendering for {type(value).__name__}; add one to _value")


def _row(oid: ObjectIdentifier, critical: bool, value: x509.ExtensionType | None) -> Row:
    if value is None or isinstance(value, x509.UnrecognizedExtension):
        name, text = oid.dotted_string, "DER"
    else:
        name, text = _oid_name(oid), _UUID.sub("{ca_id}", _value(value))
    return name, "yes" if critical else "no", text


@cache
def _scratch_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _parse_alone(oid: ObjectIdentifier, der: bytes) -> x509.ExtensionType | None:
    """One extension's value as cryptography reads it, or None if it cannot.

    cryptography parses a certificate's extensions all at once, so an
    extension it cannot read is isolated in a scratch certificate of its own.
    """
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "scratch")])
    key = _scratch_key()
    scratch = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(datetime(2000, 1, 1, tzinfo=timezone.utc))
        .not_valid_after(datetime(2001, 1, 1, tzinfo=timezone.utc))
        .add_extension(x509.UnrecognizedExtension(oid, der), critical=False)
        .sign(key, hashes.SHA256())
    )
    try:
        value: x509.ExtensionType = scratch.extensions[0].value
    except ValueError:
        return None
    return value


def _render(certificate_pem: str) -> list[Row]:
    """The rows of a certificate's extension table, in certificate order."""
    certificate = x509.load_pem_x509_certificate(certificate_pem.encode())
    try:
        return [_row(extension.oid, extension.critical, extension.value) for extension in certificate.extensions]
    except ValueError:
        pass
    # Some extension cannot be parsed: walk the DER, and read each extension alone.
    raw, _ = decode(certificate.public_bytes(serialization.Encoding.DER), asn1Spec=rfc5280.Certificate())
    rows = []
    for extension in raw["tbsCertificate"]["extensions"]:
        oid = ObjectIdentifier(str(extension["extnID"]))
        rows.append(_row(oid, bool(extension["critical"]), _parse_alone(oid, bytes(extension["extnValue"]))))
    return rows


# --- tests --------------------------------------------------------------------------------


@pytest.mark.parametrize("example", [pytest.param(example, id=example.id) for example in EXAMPLES])
def test_example_runs_and_its_extension_table_matches_the_certificate_it_issued(example: _Example) -> None:
    namespace: dict[str, Any] = {"__name__": "docs_example"}
    # Padding keeps traceback line numbers equal to the page's.
    exec(compile("\n" * (example.line - 1) + example.code, str(example.page), "exec"), namespace)
    if example.table is None:
        assert "certificate_pem" not in namespace, "an example that issues a certificate needs an extension table"
        return
    assert isinstance(namespace.get("certificate_pem"), str), "the example must leave its PEM in certificate_pem"
    assert _render(namespace["certificate_pem"]) == list(example.table)


@pytest.mark.parametrize("page", [pytest.param(page, id=page.name) for page in PAGES])
def test_every_extension_table_follows_an_example(page: Path) -> None:
    tables = sum(line.strip() == TABLE_HEADER for line in page.read_text().splitlines())
    assert tables == sum(example.table is not None for example in _examples(page))


@pytest.mark.parametrize("name", list(FAMILY_PAGES))
def test_family_page_names_its_templates_and_shows_an_example_with_a_table(name: str) -> None:
    page = DOCS / "templates" / name
    named = set(_NAMED_TEMPLATE.findall(page.read_text()))
    own = {family + variety for family in FAMILY_PAGES[name] for variety in _VARIETIES[family]}
    assert own <= named
    assert any(example.table is not None for example in _examples(page))
    assert f"](templates/{name})" in OVERVIEW.read_text()


def test_every_template_is_named_in_the_template_docs() -> None:
    assert len(TEMPLATE_NAMES) == 61
    named = {match for page in PAGES for match in _NAMED_TEMPLATE.findall(page.read_text())}
    assert named >= TEMPLATE_NAMES
    assert named - TEMPLATE_NAMES == set(), "a `Name/V1` that is not one of AWS's templates"


def test_renderer_writes_each_extension_kind_as_the_pages_describe() -> None:
    key = _scratch_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "renderer")])
    ca_id = "0b5e4a1c-1d2e-4f30-8a9b-0c1d2e3f4a5b"
    extensions: list[tuple[x509.ExtensionType, bool]] = [
        (x509.BasicConstraints(ca=True, path_length=0), True),
        (x509.KeyUsage(True, False, False, False, True, True, True, False, True), True),
        (x509.ExtendedKeyUsage([x509.ObjectIdentifier("1.3.6.1.5.5.7.3.1"), ObjectIdentifier("1.2.3.4")]), False),
        (
            x509.SubjectAlternativeName(
                [x509.DNSName("a.example"), x509.OtherName(ObjectIdentifier("1.3.6.1.4.1.311.20.2.3"), b"\x0c\x01u")]
            ),
            False,
        ),
        (
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        [x509.UniformResourceIdentifier(f"http://c/crl/{ca_id}.crl")], None, None, None
                    )
                ]
            ),
            False,
        ),
        (x509.UnrecognizedExtension(ObjectIdentifier("1.2.3.5"), b"\x05\x00"), False),
    ]
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(7)
        .not_valid_before(datetime(2000, 1, 1, tzinfo=timezone.utc))
        .not_valid_after(datetime(2001, 1, 1, tzinfo=timezone.utc))
    )
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical)
    pem = builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM).decode()
    assert _render(pem) == [
        ("basicConstraints", "yes", "CA:TRUE, pathlen:0"),
        ("keyUsage", "yes", "digitalSignature, keyAgreement, keyCertSign, cRLSign, decipherOnly"),
        ("extendedKeyUsage", "no", "serverAuth, 1.2.3.4"),
        ("subjectAltName", "no", "DNS:a.example, otherName:1.3.6.1.4.1.311.20.2.3=u"),
        ("cRLDistributionPoints", "no", "http://c/crl/{ca_id}.crl"),
        ("1.2.3.5", "no", "DER"),
    ]


def test_renderer_shows_an_unparseable_extension_as_der_and_still_reads_the_others() -> None:
    key = _scratch_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "renderer")])
    pem = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(8)
        .not_valid_before(datetime(2000, 1, 1, tzinfo=timezone.utc))
        .not_valid_after(datetime(2001, 1, 1, tzinfo=timezone.utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        # A KeyUsage whose value is not a BIT STRING.
        .add_extension(x509.UnrecognizedExtension(x509.ObjectIdentifier("2.5.29.15"), b"\x05\x00"), critical=True)
        .sign(key, hashes.SHA256())
        .public_bytes(serialization.Encoding.PEM)
        .decode()
    )
    assert _render(pem) == [("basicConstraints", "yes", "CA:FALSE"), ("2.5.29.15", "yes", "DER")]
