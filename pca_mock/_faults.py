"""Injected AWS errors: ``mock.fail(operation, error, times=...)``.

A test that wants to see how its code copes with throttling, a transient
failure or a conflicting update plans the error here; the next ``times`` calls
of the operation are answered with it over the wire, before the operation runs,
so the mocked state is left exactly as it was. Only errors AWS can answer that
operation with are accepted, so a test cannot rehearse a failure production
will never show.

The request path checks one module-level dict's truthiness; with nothing
planned that is all injection costs.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from functools import cache

from pca_mock import errors
from pca_mock.errors import ServiceError

# Errors any AWS JSON API may answer, beyond each operation's modelled ones
# (AWS "Common Errors"; only those pca_mock has classes for).
COMMON_ERRORS = (
    "AccessDeniedException",
    "InternalFailure",
    "ServiceUnavailable",
    "ThrottlingException",
    "ValidationException",
)


@dataclass(slots=True)
class PlannedFault:
    error: type[ServiceError]
    message: str
    remaining: int


_lock = threading.Lock()
# Operation → faults to answer with, first planned first. Mutated in place
# (never rebound), so the interceptor's emptiness check sees every change.
PLANNED: dict[str, deque[PlannedFault]] = {}


@cache
def operation_names() -> tuple[str, ...]:
    from pca_mock import _protocol

    return tuple(sorted(_protocol.service_model().operation_names))


@cache
def allowed_errors(operation: str) -> tuple[str, ...]:
    """The error codes AWS may answer ``operation`` with, that pca_mock can raise."""
    from pca_mock import _protocol

    modelled = {shape.name for shape in _protocol.operation_model(operation).error_shapes}
    return tuple(sorted(code for code in modelled | set(COMMON_ERRORS) if _error_class(code) is not None))


def _error_class(code: str) -> type[ServiceError] | None:
    candidate = getattr(errors, code, None)
    if isinstance(candidate, type) and issubclass(candidate, ServiceError) and candidate is not ServiceError:
        return candidate
    return None


def default_message(error: type[ServiceError], operation: str) -> str:
    if error.code == "ThrottlingException":
        return "Rate exceeded"
    return f"{error.code} injected by pca_mock for {operation}."


def plan(operation: str, error: str | type[ServiceError], times: int, message: str | None) -> None:
    """Answer the next ``times`` calls of ``operation`` with ``error``.

    Raises:
        ValueError: unknown operation, an error AWS does not answer this
            operation with, or ``times`` below 1.
    """
    names = operation_names()
    if operation not in names:
        raise ValueError(f"{operation!r} is not an acm-pca operation; use one of: {', '.join(names)}.")
    allowed = allowed_errors(operation)
    # A class must be pca_mock's own (its code names it); a string must name one.
    error_class = _error_class(error if isinstance(error, str) else getattr(error, "code", ""))
    if error_class is None or error_class.code not in allowed or not (isinstance(error, str) or error is error_class):
        raise ValueError(f"AWS does not answer {operation} with {error!r}; it may answer with: {', '.join(allowed)}.")
    if type(times) is not int or times < 1:
        raise ValueError(f"times must be a positive integer, not {times!r}.")
    fault = PlannedFault(error_class, default_message(error_class, operation) if message is None else message, times)
    with _lock:
        PLANNED.setdefault(operation, deque()).append(fault)


def take(operation: str) -> ServiceError | None:
    """The error to answer this call of ``operation`` with, if one is planned (counting it)."""
    with _lock:
        queue = PLANNED.get(operation)
        if not queue:
            return None
        fault = queue[0]
        fault.remaining -= 1
        if fault.remaining == 0:
            queue.popleft()
            if not queue:
                del PLANNED[operation]
        return fault.error(fault.message)


def reset() -> None:
    with _lock:
        PLANNED.clear()
