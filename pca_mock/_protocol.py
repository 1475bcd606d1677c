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


def _member_path(parent: str, member: str) -> str:
    name = member[:1].lower() + member[1:]
    return f"{parent}.{name}" if parent else name


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


def _check_scalar(shape: Shape, value: Any, path: str, out: _Violations) -> None:
    meta = shape.metadata
    type_name = shape.type_name
    enum = getattr(shape, "enum", None)
    if type_name == "string" and enum and value not in enum:
        out.add(value, path, "Member must satisfy enum value set: [" + ", ".join(enum) + "]")
        return
    if type_name in ("string", "blob", "list", "map"):
        length = len(value)
        if "max" in meta and length > meta["max"]:
            out.add(value, path, f"Member must have length less than or equal to {meta['max']}")
        if "min" in meta and length < meta["min"]:
            out.add(value, path, f"Member must have length greater than or equal to {meta['min']}")
    elif type_name in ("integer", "long"):
        if "max" in meta and value > meta["max"]:
            out.add(value, path, f"Member must have value less than or equal to {meta['max']}")
        if "min" in meta and value < meta["min"]:
            out.add(value, path, f"Member must have value greater than or equal to {meta['min']}")
    if type_name == "string" and "pattern" in meta and not _pattern_matcher(meta["pattern"])(value):
        out.add(value, path, f"Member must satisfy regular expression pattern: {meta['pattern']}")


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


def _has_json_type(value: Any, type_name: str) -> bool:
    if type_name in ("integer", "long") and isinstance(value, bool):
        return False
    return isinstance(value, _JSON_TYPES.get(type_name, object))


def _decode_value(shape: Shape, value: Any, path: str, out: _Violations) -> Any:
    type_name = shape.type_name
    if not _has_json_type(value, type_name):
        raise SerializationException(f"Unexpected {type(value).__name__} value at '{path}': expected a {type_name}.")
    if type_name == "structure":
        result: dict[str, Any] = {}
        members = shape.members  # type: ignore[attr-defined]
        for name in shape.required_members:
            if value.get(name) is None:
                out.add(None, _member_path(path, name), "Member must not be null")
        for name, member_shape in members.items():
            if name in value and value[name] is not None:
                result[name] = _decode_value(member_shape, value[name], _member_path(path, name), out)
        return result
    if type_name == "list":
        member_shape = shape.member  # type: ignore[attr-defined]
        items = [
            _decode_value(member_shape, item, f"{path}.{index}.member", out)
            for index, item in enumerate(value, start=1)
        ]
        _check_scalar(shape, items, path, out)
        return items
    if type_name == "map":
        key_shape, value_shape = shape.key, shape.value  # type: ignore[attr-defined]
        mapped = {
            _decode_value(key_shape, k, path, out): _decode_value(value_shape, v, f"{path}.{k}", out)
            for k, v in value.items()
        }
        _check_scalar(shape, mapped, path, out)
        return mapped
    if type_name == "blob":
        try:
            value = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError, TypeError):
            raise ValidationException(f"Invalid base64 value at '{path}'.") from None
    elif type_name == "timestamp":
        value = datetime.fromtimestamp(float(value), tz=timezone.utc)
        return value
    _check_scalar(shape, value, path, out)
    return value


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
        except ValueError:
            raise ValidationException("The request body is not valid JSON.") from None
    if input_shape is None:
        return {}
    violations = _Violations()
    params = _decode_value(input_shape, raw, "", violations)
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
