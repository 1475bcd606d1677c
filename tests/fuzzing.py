"""Hypothesis strategies for every acm-pca operation, generated from botocore's service model.

The model says what each operation takes (structures, lists, strings with
their lengths, patterns and enums, integers with their bounds, blobs); this
module walks it and builds, per operation, a strategy of requests that mixes

* valid-looking values: enum members, values within bounds, and references to
  the live state the fuzz test sets up (:class:`Live`: the ARN of a CA in some
  status, one of its issued certificates, a real CSR or certificate, ...),
  resolved only when the call is made, so the strategies are built once and
  the examples stay reproducible whatever ARNs a run creates;
* hostile values: huge strings, wrong enum values, garbage, truncated or
  bit-flipped PEM and DER, odd unicode (lone surrogates, NUL, RTL marks, emoji),
  boundary and out-of-range numbers, missing required members, values of the
  wrong JSON type;
* edits of the JSON body after botocore serialised it (:class:`WireEdit`):
  unknown members, members of the wrong type and bodies that are not a JSON
  object at all, which botocore's serialiser would never produce.

Requests are meant for a client built with ``Config(parameter_validation=False)``
so that values botocore would refuse reach the mock; :class:`FuzzCall` says
when one should go through a validating client instead.
"""

from __future__ import annotations

import base64
import json
import re
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

import botocore.session
from botocore.model import ServiceModel, Shape
from hypothesis import strategies as st

from pca_mock.x509.templates import PROFILES

SERVICE_NAME = "acm-pca"
# Cheap to generate; RSA_3072 and RSA_4096 keys are slow (the long profile may use them).
_EXPENSIVE_KEYS = frozenset({"RSA_3072", "RSA_4096"})
_PEM_BODY = re.compile(rb"-----BEGIN [A-Z ]+-----(.*?)-----END [A-Z ]+-----", re.DOTALL)

# Characters that tend to break things: NUL and control characters, lone
# surrogates, bidi overrides, zero-width and BOM, combining marks, emoji, quotes.
ODD_CHARACTERS = (
    "\x00",
    "\x01",
    "\x7f",
    "\ud800",
    "\udfff",
    "\u202e",
    "\u200b",
    "\ufeff",
    "\u0301",
    "\U0001f600",
    "\U0001f1fa\U0001f1f8",
    "\u4e2d",
    "\u00e9",
    "\u00ff",
    "\u0100",
    "\n",
    "\r",
    "\t",
    "\\",
    '"',
    "'",
    "%",
    "*",
    "/",
    ":",
    ",",
    "=",
    "+",
    "#",
    "<",
    ">",
    ";",
)
_PRINTABLE = string.ascii_letters + string.digits + " .-_"


@cache
def service_model() -> ServiceModel:
    return botocore.session.get_session().get_service_model(SERVICE_NAME)


def operation_names() -> tuple[str, ...]:
    return tuple(sorted(service_model().operation_names))


def modelled_errors(operation: str) -> frozenset[str]:
    """The error codes the model lists for ``operation``."""
    return frozenset(shape.name for shape in service_model().operation_model(operation).error_shapes)


# --- references to the live state ------------------------------------------------------------


@dataclass(frozen=True)
class Live:
    """A value taken from the live state when the call is made.

    ``kind`` names a list the test keeps (``ca_arn``, ``cert_arn``, ``serial``,
    ``csr``, ``certificate``, ``chain``, ``report_id``, ``account``,
    ``next_token``, ``policy``); ``index`` picks from it (modulo its length);
    ``transform`` and ``arg`` then change the value (truncate, flip a bit, PEM to DER, ...).
    """

    kind: str
    index: int = 0
    transform: str = "none"
    arg: int = 0


class LiveValues:
    """The values :class:`Live` references resolve to, kept up to date by the fuzz test."""

    def __init__(self) -> None:
        self.lists: dict[str, list[Any]] = {}
        # A policy document is made for whichever CA it is put on.
        self.policy_for: Callable[[str], str] = lambda arn: "{}"
        # The signing algorithm a CA is configured with (so IssueCertificate can match it).
        self.signing_of: Callable[[str], str] = lambda arn: "SHA256WITHECDSA"

    def add(self, kind: str, value: Any) -> None:
        values = self.lists.setdefault(kind, [])
        if value not in values:
            values.append(value)
        if kind == "cert_arn":
            # A certificate ARN ends in the serial (hex): RevokeCertificate takes that.
            self.add("serial", int(str(value).rsplit("/", 1)[1], 16))

    def pick(self, kind: str, index: int) -> Any:
        if kind == "policy":
            return self.policy_for(str(self.pick("ca_arn", index)))
        if kind == "signing_of_ca":
            return self.signing_of(str(self.pick("ca_arn", index)))
        values = self.lists.get(kind)
        if not values:
            return {"ca_arn": "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/none"}.get(kind, "none")
        return values[index % len(values)]


def _pem_to_der(value: bytes) -> bytes:
    match = _PEM_BODY.search(value)
    if match is None:
        return value
    return base64.b64decode(b"".join(match.group(1).split()))


def _transform(value: Any, transform: str, arg: int) -> Any:
    """Apply a :class:`Live` transform; text transforms work on str and bytes alike."""
    if isinstance(value, int) and not isinstance(value, bool):
        return _format_serial(value, transform, arg)
    if transform == "none":
        return value
    data = value.encode("utf-8", "surrogatepass") if isinstance(value, str) else bytes(value)
    if transform == "truncate":
        data = data[: arg % max(len(data), 1)]
    elif transform == "flip":
        if data:
            position = arg % len(data)
            data = data[:position] + bytes([data[position] ^ (1 << (arg % 8))]) + data[position + 1 :]
    elif transform == "der":
        data = _pem_to_der(data)
    elif transform == "base64_der":
        data = base64.b64encode(_pem_to_der(data))
    elif transform == "no_armor":
        data = b"".join(line for line in data.splitlines() if not line.startswith(b"-----"))
    elif transform == "double":
        data = data + data
    elif transform == "crlf":
        data = data.replace(b"\n", b"\r\n")
    elif transform == "wrong_label":
        data = data.replace(b"CERTIFICATE REQUEST", b"X509 CRL").replace(b"BEGIN CERTIFICATE", b"BEGIN PRIVATE KEY")
    elif transform == "upper":
        data = data.upper()
    elif transform == "padded":
        data = b" \n" + data + b"\n\x00"
    elif transform == "other_partition":
        data = data.replace(b"arn:aws:", b"arn:aws-cn:", 1)
    elif transform == "other_region":
        data = re.sub(rb"acm-pca:[a-z0-9-]+:", b"acm-pca:ap-southeast-2:", data, count=1)
    elif transform == "other_account":
        data = re.sub(rb":\d{12}:", b":999999999999:", data, count=1)
    elif transform == "short_account":
        data = re.sub(rb":\d{12}:", b":12345:", data, count=1)
    elif transform == "suffix":
        data = data + b"/certificate/" + b"f" * (arg % 45)
    elif transform == "parent":
        data = data.rsplit(b"/certificate/", 1)[0]
    if isinstance(value, str):
        return data.decode("utf-8", "surrogatepass")
    return data


def _format_serial(serial: int, transform: str, arg: int) -> str:
    digits = f"{serial:x}"
    if transform == "colons":
        digits = digits.zfill(len(digits) + len(digits) % 2)
        return ":".join(digits[i : i + 2] for i in range(0, len(digits), 2))
    if transform == "upper":
        return digits.upper()
    if transform == "zeros":
        return "0" * (arg % 40) + digits
    if transform == "decimal":
        return str(serial)
    if transform == "plus_one":
        return f"{serial + 1:x}"
    return digits


def resolve(value: Any, live: LiveValues) -> Any:
    """``value`` with every :class:`Live` reference replaced by what it names now."""
    if isinstance(value, Live):
        return _transform(live.pick(value.kind, value.index), value.transform, value.arg)
    if isinstance(value, dict):
        return {key: resolve(item, live) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve(item, live) for item in value]
    return value


# --- edits of the serialised body ----------------------------------------------------------------


@dataclass(frozen=True)
class WireEdit:
    """A change to the JSON request body after botocore serialised (and before the mock reads) it.

    ``add``: put ``value`` under the unknown member ``name`` of the ``index``-th
    object in the body. ``retype``: replace the ``index``-th member value in the
    body with ``value``. ``body``: send ``value`` (bytes) as the whole body.
    """

    kind: str
    index: int = 0
    name: str = ""
    value: Any = None


def _objects(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        found.append(node)
        for item in node.values():
            found.extend(_objects(item))
    elif isinstance(node, list):
        for item in node:
            found.extend(_objects(item))
    return found


def apply_wire_edit(body: bytes, edit: WireEdit) -> bytes:
    """The request body with ``edit`` applied."""
    if edit.kind == "body":
        assert isinstance(edit.value, bytes)
        return edit.value
    document = json.loads(body or b"{}")
    objects = _objects(document)
    if edit.kind == "add":
        objects[edit.index % len(objects)][edit.name] = edit.value
    elif edit.kind == "retype":
        slots = [(obj, key) for obj in objects for key in obj]
        if slots:
            obj, key = slots[edit.index % len(slots)]
            obj[key] = edit.value
    return json.dumps(document).encode()


_JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=10),
)
_JSON_VALUES = st.recursive(
    _JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
_RAW_BODIES = st.sampled_from(
    [
        b"",
        b"{",
        b"[]",
        b"null",
        b'"text"',
        b"42",
        b"\xff\xfe{}",
        b'{"CertificateAuthorityArn": "\xc3\x28"}',
        b'{"a": NaN}',
        b'{"CertificateAuthorityArn": 1e999}',
        b"[" * 2000 + b"]" * 2000,
        b'{"x":' * 2000 + b"1" + b"}" * 2000,
        # Deeper than any Python's JSON parser goes (3.13 reads 2000 levels).
        b"[" * 100_000 + b"]" * 100_000,
    ]
)

WIRE_EDITS: st.SearchStrategy[WireEdit] = st.one_of(
    st.builds(
        WireEdit,
        kind=st.just("add"),
        index=st.integers(0, 20),
        name=st.sampled_from(["Unknown", "certificateAuthorityArn", "", "__type", "Extra\u202e"]),
        value=_JSON_VALUES,
    ),
    st.builds(WireEdit, kind=st.just("retype"), index=st.integers(0, 40), value=_JSON_VALUES),
    st.builds(WireEdit, kind=st.just("body"), value=_RAW_BODIES),
)


def weighted(*options: tuple[int, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """Pick among strategies with integer weights.

    Unlike repeating a strategy inside ``one_of``, this keeps the strategy's
    repr small (hypothesis renders reprs, and repeats would grow them exponentially).
    """
    slots = [index for index, (weight, _) in enumerate(options) for _ in range(weight)]
    strategies = [strategy for _, strategy in options]
    return st.sampled_from(slots).flatmap(lambda index: strategies[index])


# --- leaf values ------------------------------------------------------------------------------


def _odd_text(max_size: int = 40) -> st.SearchStrategy[str]:
    pieces = st.sampled_from(ODD_CHARACTERS) | st.characters()
    return st.lists(pieces, max_size=max_size).map("".join)


def _repeated(low: int, high: int, char: str = "a") -> st.SearchStrategy[str]:
    return st.integers(low, high).map(lambda n: char * n)


_WRONG_TYPES = st.sampled_from([0, -1, 1.5, True, False, ["x"], [], {"A": "b"}, {}])
_HUGE_TEXT = st.sampled_from([3_000, 90_000]).map(lambda n: "\u00e9x" * (n // 2))
_BOUNDARY_INTEGERS = st.sampled_from(
    [0, -1, 2**31 - 1, 2**31, 2**32, 2**53 + 1, 2**63 - 1, 2**63, 2**64, -(2**63) - 1, 10**30]
)


def _valid_string(shape: Shape) -> st.SearchStrategy[Any]:
    enum = getattr(shape, "enum", None)
    if enum:
        return st.sampled_from(list(enum))
    meta = shape.metadata
    low, high = meta.get("min", 0), meta.get("max", 64)
    cap = min(high, max(low, 40))
    pattern = meta.get("pattern")
    if pattern is not None and "\\p{" not in pattern:
        try:
            re.compile(pattern)
        except re.error:  # pragma: no cover - the model's patterns all compile today
            pattern = None
    if pattern is not None and "\\p{" not in pattern:
        return st.from_regex(pattern, fullmatch=True).map(lambda s: s[:high])
    alphabet = _PRINTABLE if pattern is None else string.ascii_letters + string.digits + " _.:/=+-@"
    return st.text(alphabet=alphabet, min_size=low, max_size=cap)


def _hostile_string(shape: Shape) -> st.SearchStrategy[Any]:
    meta = shape.metadata
    options: list[st.SearchStrategy[Any]] = [_odd_text(), st.just(""), _WRONG_TYPES, _HUGE_TEXT]
    if meta.get("max") is not None:
        options.append(_repeated(meta["max"] + 1, meta["max"] + 3))
    if meta.get("min", 0) > 1:
        options.append(_repeated(1, meta["min"] - 1, "0"))
    enum = getattr(shape, "enum", None)
    if enum:
        members = st.sampled_from(list(enum))
        options.append(members.map(str.lower))
        options.append(members.map(lambda v: f" {v}"))
        options.append(members.map(lambda v: v + "\x00"))
        options.append(st.sampled_from(["UNKNOWN_VALUE", "SM3", "RSA_1024", "EC_secp256k1", "FAILED", "EXPIRED"]))
    return st.one_of(options)


def _valid_integer(shape: Shape) -> st.SearchStrategy[int]:
    meta = shape.metadata
    low = meta.get("min", 0)
    high = meta.get("max", low + 3650)
    return st.integers(low, high)


def _hostile_integer(shape: Shape) -> st.SearchStrategy[Any]:
    meta = shape.metadata
    options: list[st.SearchStrategy[Any]] = [
        _BOUNDARY_INTEGERS,
        st.integers(-(2**70), 2**70),
        st.sampled_from(["5", 5.0, 1e300, True, None, [1]]),
    ]
    if "min" in meta:
        options.append(st.just(meta["min"] - 1))
    if "max" in meta:
        options.append(st.just(meta["max"] + 1))
    return st.one_of(options)


def _valid_blob(shape: Shape) -> st.SearchStrategy[bytes]:
    meta = shape.metadata
    return st.binary(min_size=meta.get("min", 0), max_size=min(meta.get("max", 64), 64))


def _hostile_blob(shape: Shape) -> st.SearchStrategy[Any]:
    meta = shape.metadata
    options: list[st.SearchStrategy[Any]] = [
        st.just(b""),
        st.binary(max_size=200),
        _odd_text(),
        st.sampled_from([0, True, ["x"]]),
        st.just(b"-----BEGIN CERTIFICATE-----\n" + b"A" * 64 + b"\n-----END CERTIFICATE-----\n"),
        st.just(b"-----BEGIN CERTIFICATE REQUEST-----\n!!!!\n-----END CERTIFICATE REQUEST-----\n"),
        st.just(b"-----BEGIN CERTIFICATE-----\n"),
        st.just(b"0\x82\xff\xff" + b"\x00" * 16),
    ]
    if meta.get("max") is not None:
        options.append(st.integers(meta["max"] + 1, meta["max"] + 4).map(lambda n: b"A" * n))
    return st.one_of(options)


# --- contextual values: what a member means, not just its shape -----------------------------------------

_ARN_TRANSFORMS = (
    "upper",
    "other_partition",
    "other_region",
    "other_account",
    "short_account",
    "suffix",
    "truncate",
    "padded",
)
_BLOB_TRANSFORMS = (
    "truncate",
    "flip",
    "der",
    "base64_der",
    "no_armor",
    "double",
    "crlf",
    "wrong_label",
    "padded",
    "upper",
)
_SERIAL_FORMATS = ("none", "colons", "upper", "zeros", "decimal", "plus_one")


# The test lists the most useful values first (active CAs, good CSRs), so low indexes are favoured.
_INDEXES = weighted((3, st.integers(0, 3)), (2, st.integers(0, 40)))


def live(kind: str, transforms: Sequence[str] = ()) -> st.SearchStrategy[Live]:
    """A reference to a live value, as it is or through one of ``transforms``."""
    plain = st.builds(Live, st.just(kind), _INDEXES)
    if not transforms:
        return plain
    changed = st.builds(Live, st.just(kind), _INDEXES, st.sampled_from(list(transforms)), st.integers(0, 5000))
    return weighted((2, plain), (1, changed))


_UUIDS = st.uuids().map(str)
_CA_ARN_LOOKALIKES = st.one_of(
    _UUIDS.map(lambda u: f"arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/{u}"),
    _UUIDS.map(lambda u: f"arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/{u.upper()}"),
    _UUIDS.map(lambda u: f"arn:aws:acm:us-east-1:123456789012:certificate/{u}"),
    _UUIDS.map(lambda u: f"arn:aws:acm-pca::123456789012:certificate-authority/{u}"),
    _UUIDS.map(lambda u: f"arn:aws-us-gov:acm-pca:us-gov-west-1:123456789012:certificate-authority/{u}"),
    st.just("arn:aws:acm-pca:::template/EndEntityCertificate/V1"),
    st.from_regex(service_model().shape_for("Arn").metadata["pattern"], fullmatch=True).map(lambda s: s[:200]),
)


def _ca_arns() -> st.SearchStrategy[Any]:
    return weighted(
        (4, live("ca_arn")), (1, live("ca_arn", _ARN_TRANSFORMS)), (1, live("cert_arn")), (1, _CA_ARN_LOOKALIKES)
    )


def _certificate_arns() -> st.SearchStrategy[Any]:
    return st.one_of(
        live("cert_arn"),
        live("cert_arn", ("upper", "other_region", "other_account", "parent", "truncate", "padded")),
        live("ca_arn", ("suffix",)),
        _CA_ARN_LOOKALIKES,
    )


_TEMPLATE_NAMES = sorted(PROFILES)


def _template_arns() -> st.SearchStrategy[str]:
    names = st.sampled_from(_TEMPLATE_NAMES)
    return st.one_of(
        names.map(lambda n: f"arn:aws:acm-pca:::template/{n}/V1"),
        names.map(lambda n: f"arn:aws:acm-pca:::template/{n}/V1"),
        names.map(lambda n: f"arn:aws-cn:acm-pca:::template/{n}/V1"),
        names.map(lambda n: f"arn:aws:acm-pca:::template/{n}/V2"),
        names.map(lambda n: f"arn:aws:acm-pca:us-east-1:123456789012:template/{n}/V1"),
        st.just("arn:aws:acm-pca:::template/NoSuchTemplate/V1"),
        st.just("arn:aws:acm-pca:::template/EndEntityCertificate/V01"),
    )


def _serials() -> st.SearchStrategy[Any]:
    return st.one_of(
        live("serial", _SERIAL_FORMATS),
        st.integers(0, 2**160).map(lambda n: f"{n:x}"),
        st.sampled_from(["", ":", "::", "0", "00:", "g1", "-1", "0x1f", "\u0661\u0662"]),
    )


def _oids() -> st.SearchStrategy[str]:
    arc = st.integers(0, 2**20) | st.sampled_from([2**63, 2**64, 2**127, 2**128, 10**40])
    return st.one_of(
        st.builds(
            lambda a, b, rest: ".".join(map(str, (a, b, *rest))),
            st.integers(0, 2),
            st.integers(0, 39),
            st.lists(arc, max_size=8),
        ),
        st.sampled_from(["1.3.6.1.4.1.99999.1", "2.5.29.17", "2.5.29.19", "1.2.840.113549.1.9.14", "0.0", "2.999.1"]),
    )


def _ip_addresses() -> st.SearchStrategy[str]:
    return st.one_of(
        st.ip_addresses().map(str),
        st.sampled_from(["256.1.1.1", "1.2.3", "::ffff:1.2.3.4", "fe80::1%eth0", "1.2.3.4/24", "", "localhost"]),
    )


def _base64_values() -> st.SearchStrategy[str]:
    return st.one_of(
        st.binary(min_size=1, max_size=64).map(lambda b: base64.b64encode(b).decode()),
        st.sampled_from(["MAA=", "BQA=", "AQH/", "MAMCAQE="]),
    )


def _validity(type_enum: Sequence[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        st.fixed_dictionaries({"Type": st.just("DAYS"), "Value": st.integers(1, 400)}),
        st.fixed_dictionaries({"Type": st.sampled_from(["MONTHS", "YEARS"]), "Value": st.integers(1, 30)}),
        st.fixed_dictionaries(
            {
                "Type": st.just("END_DATE"),
                "Value": st.integers(10**11, 10**14).filter(lambda v: v < 10**12 or v >= 10**13),
            }
        ),
        st.fixed_dictionaries({"Type": st.just("ABSOLUTE"), "Value": st.integers(0, 2**33)}),
        st.fixed_dictionaries({"Type": st.sampled_from(list(type_enum)), "Value": st.integers(1, 2**63 - 1)}),
    )


def _policies() -> st.SearchStrategy[Any]:
    actions = st.sampled_from(
        [
            "acm-pca:IssueCertificate",
            "acm-pca:GetCertificate",
            "acm-pca:DescribeCertificateAuthority",
            "acm-pca:ListTags",
            "acm-pca:RevokeCertificate",
            "acm-pca:DeleteCertificateAuthority",
            "acm-pca:*",
            "ACM-PCA:getcertificate",
        ]
    )
    principal = st.one_of(
        st.sampled_from(["210987654321", "123456789012", "arn:aws:iam::210987654321:root", "*", ""]).map(
            lambda p: {"AWS": p}
        ),
        st.just({"Service": "acm.amazonaws.com"}),
        _JSON_VALUES,
    )
    condition = st.one_of(
        st.sampled_from(_TEMPLATE_NAMES).map(
            lambda n: {"StringEquals": {"acm-pca:TemplateArn": f"arn:aws:acm-pca:::template/{n}/V1"}}
        ),
        st.just({"StringEquals": {"aws:PrincipalOrgID": "o-123"}}),
        _JSON_VALUES,
    )
    statement = st.fixed_dictionaries(
        {},
        optional={
            "Sid": st.text(max_size=5) | _WRONG_TYPES,
            "Effect": st.sampled_from(["Allow", "Deny", "allow"]),
            "Principal": principal,
            "Action": actions | st.lists(actions, max_size=3),
            "Resource": live("ca_arn") | st.just("*"),
            "Condition": condition,
            "NotAction": st.just("acm-pca:GetCertificate"),
        },
    )
    document = st.fixed_dictionaries(
        {},
        optional={
            "Version": st.sampled_from(["2012-10-17", "2008-10-17"]),
            "Id": st.text(max_size=5),
            "Statement": statement | st.lists(statement, max_size=3) | _JSON_VALUES,
        },
    )
    nested = st.integers(100, 40_000).map(lambda n: "[" * n + "]" * n)
    return weighted(
        (2, live("policy")), (1, document.map(_PolicyDocument)), (1, _odd_text()), (1, _WRONG_TYPES), (1, nested)
    )


@dataclass(frozen=True)
class _PolicyDocument:
    """A policy document whose ``Resource`` may reference live ARNs; dumped to JSON when resolved."""

    document: dict[str, Any]


def resolve_call_params(params: Any, live_values: LiveValues) -> Any:
    """Resolve :class:`Live` references and serialise generated policy documents."""
    if isinstance(params, _PolicyDocument):
        return json.dumps(resolve(params.document, live_values), ensure_ascii=False)
    if isinstance(params, dict):
        return {key: resolve_call_params(item, live_values) for key, item in params.items()}
    if isinstance(params, list):
        return [resolve_call_params(item, live_values) for item in params]
    return resolve(params, live_values)


_CA_PAIRS = (
    ("EC_prime256v1", "SHA256WITHECDSA"),
    ("EC_secp384r1", "SHA384WITHECDSA"),
    ("EC_secp521r1", "SHA512WITHECDSA"),
    ("EC_prime256v1", "SHA512WITHECDSA"),
    ("RSA_2048", "SHA256WITHRSA"),
    ("RSA_2048", "SHA384WITHRSA_PSS"),
    ("ML_DSA_44", "ML_DSA_44"),
    ("ML_DSA_65", "ML_DSA_65"),
    ("SM2", "SM3WITHSM2"),
)


# Members whose values are object identifiers (dotted decimal strings).
_OID_MEMBERS = frozenset(
    {
        "ObjectIdentifier",
        "CustomObjectIdentifier",
        "CertPolicyId",
        "TypeId",
        "RegisteredId",
        "ExtendedKeyUsageObjectIdentifier",
    }
)
_VALID_OIDS = (
    "1.3.6.1.4.1.99999.1",
    "2.5.4.3",
    "1.3.6.1.5.5.7.3.1",
    "2.25.1",
    "1.2.3.4.5",
    "2.5.4.5",
    "2.5.4.6",
    "2.5.4.46",
    "1.2.840.113549.1.9.1",
    "0.9.2342.19200300.100.1.25",
    "1.3.6.1.4.1.311.60.2.1.3",
)


def _subjects() -> st.SearchStrategy[dict[str, Any]]:
    """Subjects a CA or an ApiPassthrough can have (the generic shape strategy adds the odd ones)."""
    text = st.text(alphabet=_PRINTABLE, min_size=1, max_size=20)
    standard = st.fixed_dictionaries(
        {"CommonName": text},
        optional={"Country": st.sampled_from(["US", "DE", "jp"]), "Organization": text, "Locality": text},
    )
    attribute = st.fixed_dictionaries({"ObjectIdentifier": st.sampled_from(_VALID_OIDS), "Value": text})
    custom = st.fixed_dictionaries({"CustomAttributes": st.lists(attribute, min_size=1, max_size=3)})
    return weighted((2, standard), (1, custom))


# END_DATE values: YYYYMMDDHHMMSS, or the YYMMDDHHMMSS form, in the next few years.
_END_DATES = st.builds(
    lambda moment, short: int(moment.strftime("%y%m%d%H%M%S" if short else "%Y%m%d%H%M%S")),
    st.datetimes(datetime(2027, 6, 1), datetime(2030, 12, 31)),
    st.booleans(),
)


def _valid_validity() -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        st.fixed_dictionaries({"Type": st.just("DAYS"), "Value": st.integers(1, 400)}),
        st.fixed_dictionaries({"Type": st.sampled_from(["MONTHS", "YEARS"]), "Value": st.integers(1, 4)}),
        st.fixed_dictionaries({"Type": st.just("END_DATE"), "Value": _END_DATES}),
        st.fixed_dictionaries({"Type": st.just("ABSOLUTE"), "Value": st.integers(1_820_000_000, 1_900_000_000)}),
    )


def _contextual(name: str, shape: Shape, *, hostile: bool, expensive_keys: bool) -> st.SearchStrategy[Any] | None:
    """A meaning-aware strategy for a member, or None to use its shape's generic one.

    Valid-looking requests reference live values as they are; hostile ones also
    get them transformed, lookalikes and garbage.
    """
    valid = _contextual_valid(name, shape, expensive_keys)
    if not hostile:
        return valid
    mixed = _contextual_hostile(name, shape)
    if valid is None or mixed is None:
        return valid if mixed is None else mixed
    return weighted((2, valid), (1, mixed))


def _contextual_valid(name: str, shape: Shape, expensive_keys: bool) -> st.SearchStrategy[Any] | None:
    if name in ("CertificateAuthorityArn", "ResourceArn"):
        return live("ca_arn")
    if name == "CertificateArn":
        return live("cert_arn")
    if name == "Csr":
        return live("csr")
    if name == "Certificate":
        return live("certificate")
    if name == "CertificateChain":
        return live("chain")
    if name == "TemplateArn":
        # End-entity and passthrough templates work on any CSR; the rest need a fitting CA or CSR.
        common = [n for n in _TEMPLATE_NAMES if n.startswith(("EndEntity", "BlankEndEntity")) or "Passthrough" in n]
        names = weighted((2, st.sampled_from(common)), (1, st.sampled_from(_TEMPLATE_NAMES)))
        return names.map(lambda n: f"arn:aws:acm-pca:::template/{n}/V1")
    if name == "CertificateSerial":
        return live("serial", ("none", "colons", "upper"))
    if name == "AuditReportId":
        return live("report_id")
    if name == "SourceAccount":
        return live("account")
    if name == "Principal":
        return st.just("acm.amazonaws.com")
    if name == "Policy":
        return live("policy")
    if name == "NextToken":
        return live("next_token")
    if name == "IdempotencyToken":
        return st.sampled_from(["token-1", "token-2", "t\u00e9"])
    if name == "S3BucketName":
        return st.sampled_from(["fuzz-bucket", "fuzz.bucket.example", "fuzz-other"])
    if name in ("Validity", "ValidityNotBefore"):
        return _valid_validity()
    if name in _OID_MEMBERS:
        # Some name attributes have fixed string types (PrintableString, IA5String) and lengths.
        return st.sampled_from(_VALID_OIDS)
    if name == "IpAddress":
        return st.ip_addresses().map(str)
    if shape.name == "Base64String1To4096":
        return st.sampled_from(["MAA=", "BQA=", "AQH/", "MAMCAQE=", "DAJoaQ=="])
    if name == "CertificateAuthorityConfiguration":
        pairs = [pair for pair in _CA_PAIRS if expensive_keys or pair[0] not in _EXPENSIVE_KEYS]
        return st.builds(
            lambda pair, subject: {"KeyAlgorithm": pair[0], "SigningAlgorithm": pair[1], "Subject": subject},
            st.sampled_from(pairs),
            _subjects(),
        )
    if name in ("Subject", "DirectoryName"):
        return _subjects()
    if name == "SigningAlgorithm":
        # Most live CAs have EC P-256 keys; any algorithm still comes up.
        return weighted((3, st.just("SHA256WITHECDSA")), (1, st.sampled_from(list(shape.enum))))  # type: ignore[attr-defined]
    if name == "KeyAlgorithm" and not expensive_keys:
        return st.sampled_from([v for v in shape.enum if v not in _EXPENSIVE_KEYS])  # type: ignore[attr-defined]
    if name in ("DnsName", "Rfc822Name", "UniformResourceIdentifier", "CustomCname", "OcspCustomCname"):
        return st.sampled_from(
            ["example.com", "a.example.com", "user@example.com", "https://example.com/x", "*.example.com"]
        )
    return None


def _contextual_hostile(name: str, shape: Shape) -> st.SearchStrategy[Any] | None:
    if name in ("CertificateAuthorityArn", "ResourceArn"):
        return _ca_arns()
    if name == "CertificateArn":
        return _certificate_arns()
    if name == "Csr":
        return weighted((1, live("csr", _BLOB_TRANSFORMS)), (1, live("certificate")))
    if name == "Certificate":
        return weighted((3, live("certificate", _BLOB_TRANSFORMS)), (1, live("csr")), (1, live("chain")))
    if name == "CertificateChain":
        return st.one_of(live("chain", _BLOB_TRANSFORMS), live("certificate"), live("certificate", ("double",)))
    if name == "TemplateArn":
        return _template_arns()
    if name == "CertificateSerial":
        return _serials()
    if name == "AuditReportId":
        return _UUIDS
    if name == "SourceAccount":
        return st.from_regex(r"[0-9]{12}", fullmatch=True)
    if name == "Principal":
        return st.sampled_from(["ACM.AMAZONAWS.COM", "s3.amazonaws.com", "acm.amazonaws.com.", "*"])
    if name == "Policy":
        return _policies()
    if name == "NextToken":
        positions = st.one_of(
            st.integers(-5, 10**6).map(str),
            st.sampled_from(["\u00b2", "\u0661", "", " 1", "1_000", "9" * 5000]),
        )
        return positions.map(lambda n: base64.urlsafe_b64encode(f"pca-mock:{n}".encode()).decode())
    if name == "S3BucketName":
        return st.sampled_from(["Fuzz_Bucket", "fuzz..bucket", "fuzz/../bucket", "-fuzz", "xn--fuzz"])
    if name in ("Validity", "ValidityNotBefore"):
        return _validity(service_model().shape_for("ValidityPeriodType").enum)  # type: ignore[attr-defined]
    if name in _OID_MEMBERS:
        return _oids()
    if name == "IpAddress":
        return _ip_addresses()
    if shape.name == "Base64String1To4096":
        return _base64_values()
    if name in ("DnsName", "Rfc822Name", "UniformResourceIdentifier", "CustomCname", "OcspCustomCname"):
        return st.from_regex(r"[a-z0-9.*@:/%-]{1,30}", fullmatch=True)
    return None


# --- walking the model ---------------------------------------------------------------------------


class _Builder:
    def __init__(self, *, hostile: bool, expensive_keys: bool) -> None:
        self.hostile = hostile
        self.expensive_keys = expensive_keys
        self._members: dict[tuple[str, str], st.SearchStrategy[Any]] = {}
        self._shapes: dict[str, st.SearchStrategy[Any]] = {}

    def member(self, name: str, shape: Shape) -> st.SearchStrategy[Any]:
        key = (name, shape.name)
        if key not in self._members:
            self._members[key] = self._member(name, shape)
        return self._members[key]

    def shape(self, shape: Shape) -> st.SearchStrategy[Any]:
        if shape.name not in self._shapes:
            self._shapes[shape.name] = self._shape(shape)
        return self._shapes[shape.name]

    def _member(self, name: str, shape: Shape) -> st.SearchStrategy[Any]:
        valid = _contextual(name, shape, hostile=self.hostile, expensive_keys=self.expensive_keys)
        if valid is None:
            valid = self.shape(shape)
        elif shape.type_name in ("structure", "list"):
            # A contextual structure (Validity, a subject) is also drawn through its shape now and then.
            valid = weighted((3, valid), (1, self.shape(shape)))
        if not self.hostile:
            return valid
        # Mostly valid leaves, so a hostile request usually gets past the model checks
        # with one or two bad values and reaches the operation's own logic.
        return weighted((10, valid), (1, self.leaf_hostile(shape)))

    def leaf_hostile(self, shape: Shape) -> st.SearchStrategy[Any]:
        type_name = shape.type_name
        if type_name == "string":
            return _hostile_string(shape)
        if type_name in ("integer", "long"):
            return _hostile_integer(shape)
        if type_name == "blob":
            return _hostile_blob(shape)
        if type_name == "boolean":
            return st.sampled_from(["true", 1, 0, "false", None])
        if type_name == "list":
            return self.hostile_list(shape)
        if type_name == "structure":
            return st.one_of(self.shape(shape), _WRONG_TYPES)
        return _WRONG_TYPES  # pragma: no cover - acm-pca's inputs have no other types

    def hostile_list(self, shape: Shape) -> st.SearchStrategy[Any]:
        meta = shape.metadata
        member = self.member("member", shape.member)  # type: ignore[attr-defined]
        options: list[st.SearchStrategy[Any]] = [st.just([]), _WRONG_TYPES]
        high = meta.get("max")
        if high is not None and high <= 200:
            options.append(st.lists(member, min_size=high + 1, max_size=high + 1))
        return st.one_of(options)

    def _shape(self, shape: Shape) -> st.SearchStrategy[Any]:
        type_name = shape.type_name
        if type_name == "structure":
            members: Mapping[str, Shape] = shape.members  # type: ignore[attr-defined]
            required = set(shape.required_members)
            drawn = {name: self.member(name, member) for name, member in members.items()}
            complete = st.fixed_dictionaries(
                {name: drawn[name] for name in members if name in required},
                optional={name: drawn[name] for name in members if name not in required},
            )
            if not self.hostile or not required:
                return complete
            # Hostile requests sometimes leave out required members too.
            return weighted((6, complete), (1, st.fixed_dictionaries({}, optional=drawn)))
        if type_name == "list":
            meta = shape.metadata
            low = meta.get("min", 0)
            high = min(meta.get("max", 4), max(low, 4))
            return st.lists(self.member("member", shape.member), min_size=low, max_size=high)  # type: ignore[attr-defined]
        if type_name == "string":
            return _valid_string(shape)
        if type_name in ("integer", "long"):
            return _valid_integer(shape)
        if type_name == "boolean":
            return st.booleans()
        if type_name == "blob":
            return _valid_blob(shape)
        raise NotImplementedError(f"No strategy for {type_name} shapes ({shape.name}).")  # pragma: no cover


@dataclass(frozen=True)
class FuzzCall:
    """One request to make: the operation, its parameters (with :class:`Live` references) and how to send it."""

    operation: str
    params: dict[str, Any]
    # Send through a client that validates parameters (botocore refuses some of them client-side).
    validate: bool = False
    wire_edit: WireEdit | None = None
    # Which of the test's clients (account and region) sends it.
    client: int = 0


@cache
def params_for(operation: str, *, hostile: bool, expensive_keys: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    """The request parameters of ``operation``, valid-looking or hostile."""
    input_shape = service_model().operation_model(operation).input_shape
    if input_shape is None:  # pragma: no cover - every acm-pca operation takes input
        return st.just({})
    return _Builder(hostile=hostile, expensive_keys=expensive_keys).shape(input_shape)


def _sign_as_the_ca(params: dict[str, Any]) -> dict[str, Any]:
    ca = params.get("CertificateAuthorityArn")
    if isinstance(ca, Live) and ca.kind == "ca_arn":
        return {**params, "SigningAlgorithm": Live("signing_of_ca", ca.index)}
    return params


@cache
def calls_for(operation: str, *, clients: int = 1, expensive_keys: bool = False) -> st.SearchStrategy[FuzzCall]:
    """Requests for one operation: mostly valid-looking, the rest hostile, some edited on the wire."""
    valid = params_for(operation, hostile=False, expensive_keys=expensive_keys)
    hostile = params_for(operation, hostile=True, expensive_keys=expensive_keys)
    if operation == "IssueCertificate":
        # Half the valid-looking requests sign with the CA's own algorithm, so more get through.
        valid = weighted((1, valid), (1, valid.map(_sign_as_the_ca)))
    params = weighted((3, valid), (2, hostile))
    edit = weighted((12, st.none()), (1, WIRE_EDITS))
    return st.builds(
        FuzzCall,
        operation=st.just(operation),
        params=params,
        validate=st.sampled_from([False, False, False, False, False, False, False, True]),
        wire_edit=edit,
        client=weighted((2, st.just(0)), (1, st.integers(0, clients - 1))),
    )


def calls(*, clients: int = 1, expensive_keys: bool = False) -> st.SearchStrategy[FuzzCall]:
    """Requests for any of the service's operations."""
    return st.sampled_from(operation_names()).flatmap(
        lambda operation: calls_for(operation, clients=clients, expensive_keys=expensive_keys)
    )
