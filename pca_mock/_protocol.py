"""The wire: AWS JSON 1.1 in and out, checked against botocore's service model.

botocore validates only required members, types and minimums on the client.
The real service also enforces enums, maximum lengths and values and regex
patterns, and answers ``ValidationException`` in its standard wording. Those
checks are driven here from the same service model, generically, so no
operation handler repeats what the model already states.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import unicodedata
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from functools import cache
from io import BytesIO
from typing import Any

from botocore.awsrequest import AWSResponse
from botocore.loaders import Loader
from botocore.model import OperationModel, ServiceModel, Shape

from pca_mock.errors import PcaMockError, SerializationException, ServiceError, ValidationException

SERVICE_NAME = "acm-pca"
API_VERSION = "2017-08-22"
_CONTENT_TYPE = "application/x-amz-json-1.1"


@cache
def service_model() -> ServiceModel:
    """botocore's model of the service, loaded once per process."""
    loader = Loader()
    raw = loader.load_service_model(SERVICE_NAME, "service-2", API_VERSION)
    return ServiceModel(raw, service_name=SERVICE_NAME)


@cache
def operation_model(name: str) -> OperationModel:
    return service_model().operation_model(name)


# --- decoding and constraint checks ------------------------------------------------


class _Violations:
    """Collects constraint failures in AWS's reporting order (document order)."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, value: Any, path: str, constraint: str) -> None:
        self.items.append(
            f"Value {_render(value)} at '{path}' failed to satisfy constraint: {constraint}"
            if value is not None
            else f"Value null at '{path}' failed to satisfy constraint: {constraint}"
        )

    def raise_if_any(self) -> None:
        if not self.items:
            return
        count = len(self.items)
        noun = "error" if count == 1 else "errors"
        raise ValidationException(f"{count} validation {noun} detected: " + "; ".join(self.items))


def _render(value: Any) -> str:
    """Render a value the way AWS's (Java) validation messages do."""
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, bool):
        return "'true'" if value else "'false'"
    if isinstance(value, (int, float)):
        return f"'{value}'"
    if isinstance(value, bytes):
        return "'java.nio.HeapByteBuffer[pos=0 lim={0} cap={0}]'".format(len(value))
    if isinstance(value, list):
        return "'[" + ", ".join(_render_plain(v) for v in value) + "]'"
    return f"'{_render_plain(value)}'"


def _render_plain(value: Any) -> str:
    if isinstance(value, Mapping):
        inner = ", ".join(f"{k[:1].lower()}{k[1:]}={_render_plain(v)}" for k, v in value.items())
        return f"{{{inner}}}"
    if isinstance(value, list):
        return "[" + ", ".join(_render_plain(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@cache
def _pattern_matcher(pattern: str) -> Callable[[str], bool]:
    """Compile one of the model's (Java) patterns into a full-match predicate."""
    if "\\p{" not in pattern:
        compiled = re.compile(pattern, re.DOTALL)
        return lambda s: compiled.fullmatch(s) is not None
    # Python's re has no Unicode property classes. The only such patterns in the
    # model are a single repeated character class (the tag key/value pattern);
    # evaluate it character by character against Unicode general categories.
    shape = re.fullmatch(r"\(?\[(?P<body>.*)\]\*\)?", pattern)
    if shape is None:  # pragma: no cover - guards a future model change
        raise PcaMockError(f"pca_mock cannot translate the model pattern {pattern!r}.")
    body = shape.group("body")
    categories = tuple(re.findall(r"\\p\{(\w)\}", body))
    rest = re.compile("[" + re.sub(r"\\p\{\w\}", "", body) + "]")

    def match(s: str) -> bool:
        return all(rest.fullmatch(ch) is not None or unicodedata.category(ch)[0] in categories for ch in s)

    return match


Decoder = Callable[[Any, str, _Violations], Any]

_JSON_TYPES: dict[str, type | tuple[type, ...]] = {
    "structure": dict,
    "list": list,
    "map": dict,
    "string": str,
    "blob": str,
    "boolean": bool,
    "integer": int,
    "long": int,
    "float": (int, float),
    "double": (int, float),
    "timestamp": (int, float),
}


def _type_checker(type_name: str) -> Callable[[Any, str], None]:
    expected = _JSON_TYPES.get(type_name, object)
    reject_bool = type_name in ("integer", "long", "float", "double", "timestamp")

    def check(value: Any, path: str) -> None:
        if not isinstance(value, expected) or (reject_bool and isinstance(value, bool)):
            raise SerializationException(
                f"Unexpected {type(value).__name__} value at '{path}': expected a {type_name}."
            )

    return check


def _constraint_checker(shape: Shape) -> Callable[[Any, str, _Violations], None] | None:
    """The model's constraints on one shape as a single check, or None if it has none."""
    meta = shape.metadata
    type_name = shape.type_name
    enum = getattr(shape, "enum", None) if type_name == "string" else None
    if enum:
        allowed = frozenset(enum)
        message = "Member must satisfy enum value set: [" + ", ".join(enum) + "]"

        def check_enum(value: Any, path: str, out: _Violations) -> None:
            if value not in allowed:
                out.add(value, path, message)

        # An enum violation says all there is to say about the value.
        return check_enum
    sized = type_name in ("string", "blob", "list", "map")
    noun = "length" if sized else "value"
    high, low = meta.get("max"), meta.get("min")
    pattern = meta.get("pattern") if type_name == "string" else None
    matches = _pattern_matcher(pattern) if pattern is not None else None
    if high is None and low is None and matches is None:
        return None

    def check(value: Any, path: str, out: _Violations) -> None:
        size = len(value) if sized else value
        if high is not None and size > high:
            out.add(value, path, f"Member must have {noun} less than or equal to {high}")
        if low is not None and size < low:
            out.add(value, path, f"Member must have {noun} greater than or equal to {low}")
        if matches is not None and not matches(value):
            out.add(value, path, f"Member must satisfy regular expression pattern: {pattern}")

    return check


_DECODERS: dict[str, Decoder] = {}


def _decoder(shape: Shape) -> Decoder:
    """A function that decodes and checks a JSON value of ``shape``, built once per shape."""
    decoder = _DECODERS.get(shape.name)
    if decoder is None:
        decoder = _DECODERS[shape.name] = _build_decoder(shape)
    return decoder


def _build_decoder(shape: Shape) -> Decoder:
    type_name = shape.type_name
    check_type = _type_checker(type_name)
    constraints = _constraint_checker(shape)
    if type_name == "structure":
        members = [
            (name, name[:1].lower() + name[1:], _decoder(member))
            for name, member in shape.members.items()  # type: ignore[attr-defined]
        ]
        required = [(name, name[:1].lower() + name[1:]) for name in shape.required_members]

        def decode_structure(value: Any, path: str, out: _Violations) -> Any:
            check_type(value, path)
            for name, camel in required:
                if value.get(name) is None:
                    out.add(None, f"{path}.{camel}" if path else camel, "Member must not be null")
            result: dict[str, Any] = {}
            for name, camel, decode in members:
                item = value.get(name)
                if item is not None:
                    result[name] = decode(item, f"{path}.{camel}" if path else camel, out)
            return result

        return decode_structure
    if type_name == "list":
        decode_item = _decoder(shape.member)  # type: ignore[attr-defined]

        def decode_list(value: Any, path: str, out: _Violations) -> Any:
            check_type(value, path)
            items = [decode_item(item, f"{path}.{index}.member", out) for index, item in enumerate(value, start=1)]
            if constraints is not None:
                constraints(items, path, out)
            return items

        return decode_list
    if type_name == "map":
        decode_key = _decoder(shape.key)  # type: ignore[attr-defined]
        decode_value = _decoder(shape.value)  # type: ignore[attr-defined]

        def decode_map(value: Any, path: str, out: _Violations) -> Any:
            check_type(value, path)
            mapped = {decode_key(k, path, out): decode_value(v, f"{path}.{k}", out) for k, v in value.items()}
            if constraints is not None:
                constraints(mapped, path, out)
            return mapped

        return decode_map
    if type_name == "blob":

        def decode_blob(value: Any, path: str, out: _Violations) -> Any:
            check_type(value, path)
            try:
                decoded = base64.b64decode(value, validate=True)
            except (binascii.Error, ValueError):
                raise ValidationException(f"Invalid base64 value at '{path}'.") from None
            if constraints is not None:
                constraints(decoded, path, out)
            return decoded

        return decode_blob
    if type_name == "timestamp":

        def decode_timestamp(value: Any, path: str, out: _Violations) -> Any:
            check_type(value, path)
            return datetime.fromtimestamp(float(value), tz=timezone.utc)

        return decode_timestamp

    def decode_scalar(value: Any, path: str, out: _Violations) -> Any:
        check_type(value, path)
        if constraints is not None:
            constraints(value, path, out)
        return value

    return decode_scalar


def decode_request(operation: str, body: bytes | str | None) -> dict[str, Any]:
    """Parse a JSON 1.1 request body into parameters, enforcing the model's constraints.

    Blobs come back as bytes (botocore base64-encodes them on the wire).

    Raises:
        ValidationException: if any constraint of the input shape is violated.
    """
    input_shape = operation_model(operation).input_shape
    if not body:
        raw: Any = {}
    else:
        try:
            raw = json.loads(body)
        except (ValueError, RecursionError):
            # RecursionError: nesting deeper than Python's parser goes (botocore never sends that).
            raise ValidationException("The request body is not valid JSON.") from None
    if input_shape is None:
        return {}
    violations = _Violations()
    params = _decoder(input_shape)(raw, "", violations)
    violations.raise_if_any()
    assert isinstance(params, dict)
    return params


# --- encoding -------------------------------------------------------------------------


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def encode_result(result: Mapping[str, Any]) -> bytes:
    """Serialise an operation's result; datetimes become epoch seconds."""
    return json.dumps(result, default=_json_default, separators=(",", ":")).encode()


def encode_error(error: ServiceError) -> bytes:
    return json.dumps({"__type": error.code, "message": error.message}).encode()


class _RawBody(BytesIO):
    """What botocore reads a response body from (``AWSResponse.content`` streams it)."""

    def stream(self, **_: Any) -> Any:
        yield self.getvalue()


def http_response(url: str, status: int, body: bytes, error_code: str | None = None) -> AWSResponse:
    """Wrap a body as the HTTP response botocore parses, as if AWS had sent it."""
    headers = {
        "x-amzn-RequestId": str(uuid.uuid4()),
        "Content-Type": _CONTENT_TYPE,
        "Content-Length": str(len(body)),
    }
    if error_code is not None:
        headers["x-amzn-ErrorType"] = error_code
    return AWSResponse(url, status, headers, _RawBody(body))  # type: ignore[arg-type]
