"""Skipping SigV4 for requests the mock answers, when nothing could tell.

On the ordinary path (``_interceptor``) botocore builds each request, signs it
with SigV4 and emits ``before-send``, where the mock answers. The signature is
computed only to be thrown away: the mock needs just the region and access key
it would carry, and those come from the same places the signer reads. Building
and signing the request is about half of what botocore spends on a call.

So acm-pca client classes get a ``_make_request`` of ours (through botocore's
``creating-client-class`` event, the hook boto3 uses to add client methods).
While a mock is active, and only when skipping cannot be observed, it hands
the endpoint an unsigned request (:class:`UnsignedRequest`) that carries the
region and access key the signer would have used. Everything after that is
botocore's own code: ``before-send`` (where the mock answers as usual),
parsing, ``response-received``, retries and ``after-call``. Skipping cannot be
observed when:

* every handler on the events that see the request or its context
  (``request-created``, ``choose-signer``, ``before-sign``, ``before-send``,
  ``before-parse``, ``response-received``, ``needs-retry``, ``after-call``,
  ``after-call-error``) is botocore's own or pca_mock's (or moto's, while moto
  is not mocking);
* no botocore logger is at DEBUG and botocore's history recorder is off (both
  would show the request's headers);
* the signer would use SigV4 with credentials and a region (otherwise
  botocore's own path raises NoCredentialsError or NoRegionError, or signs in
  a way the mock should see as it is).

Anything else takes the ordinary path, so a user's event handler, a Stubber or
a debug log sees exactly the requests AWS would get.
"""

from __future__ import annotations

import logging
import weakref
from typing import Any

from botocore.awsrequest import AWSPreparedRequest
from botocore.client import BaseClient
from botocore.endpoint import Endpoint
from botocore.history import get_global_history_recorder

from pca_mock.objects import moto_active

# Tests switch the shortcut off to compare both paths.
ENABLED = True

_CHECKED_EVENTS = (
    "request-created",
    "choose-signer",
    "before-sign",
    "before-send",
    "before-parse",
    "response-received",
    "needs-retry",
    "after-call",
    "after-call-error",
)
# Loggers whose DEBUG output differs when the request is not signed.
_LOGGERS = tuple(
    logging.getLogger(name)
    for name in ("botocore.hooks", "botocore.endpoint", "botocore.auth", "botocore.awsrequest", "botocore.useragent")
)
# botocore's private parts this module relies on are reached through these
# untyped names; if one is missing, the ordinary path is taken (see _applies).
_HISTORY: Any = get_global_history_recorder()
_ENDPOINT: Any = Endpoint
_BASE_CLIENT: Any = BaseClient

# Handlers a client may carry on the events above and still take the shortcut.
_PLAIN, _PLAIN_UNLESS_MOTO, _NOT_PLAIN = 0, 1, 2


def _kind(handler: Any) -> int:
    module = getattr(handler, "__module__", None) or type(handler).__module__
    if module == "botocore" or module.startswith(("botocore.", "pca_mock.")):
        return _PLAIN
    if module.startswith("moto."):
        # moto's catch-all before-send handler answers nothing while moto is not mocking.
        return _PLAIN_UNLESS_MOTO
    return _NOT_PLAIN


# Per event emitter: its handler lookup cache when last checked (botocore swaps
# in a new one whenever a handler is registered or unregistered), and the verdict per operation.
_verdicts: weakref.WeakKeyDictionary[Any, tuple[object, dict[str, int]]] = weakref.WeakKeyDictionary()


def _verdict(events: Any, operation: str) -> int:
    emitter = events._emitter
    cache = emitter._lookup_cache
    known = _verdicts.get(emitter)
    if known is None or known[0] is not cache:
        known = (cache, {})
        _verdicts[emitter] = known
    verdict = known[1].get(operation)
    if verdict is None:
        verdict = known[1][operation] = _check(events, emitter, operation)
    return verdict


def _check(events: Any, emitter: Any, operation: str) -> int:
    from pca_mock._interceptor import handle_before_send

    verdict = _PLAIN
    for event in _CHECKED_EVENTS:
        handlers = emitter._handlers.prefix_search(events._alias_event_name(f"{event}.acm-pca.{operation}"))
        if event == "before-send" and handle_before_send not in handlers:
            # The mock would not answer this client: its requests must go out signed.
            return _NOT_PLAIN
        for handler in handlers:
            verdict = max(verdict, _kind(handler))
    return verdict


def _applies(client: Any, operation: str) -> bool:
    from pca_mock import _mock

    if not ENABLED or _mock.active_mock() is None:
        return False
    if _HISTORY._enabled and _HISTORY._handlers:
        return False
    for logger in _LOGGERS:
        if logger.isEnabledFor(logging.DEBUG):
            return False
    if type(client._endpoint) is not Endpoint:
        return False
    try:
        verdict = _verdict(client.meta.events, operation)
    except AttributeError:
        # A botocore whose event emitter is built differently: take the ordinary path.
        return False
    return verdict == _PLAIN or (verdict == _PLAIN_UNLESS_MOTO and not moto_active())


def _identity(signer: Any, operation: str, context: dict[str, Any]) -> tuple[str, str] | None:
    """The SigV4 region and access key the signer would use, or None if it would not sign with SigV4.

    The same sources, in the same order, as botocore's RequestSigner.sign:
    choose-signer picks the signature version; the endpoint's signing context
    may override the region and credentials.
    """
    choose_signer = getattr(signer, "_choose_signer", None)
    if choose_signer is None or signer.region_name is None:
        return None
    if choose_signer(operation, "standard", context) != "v4":
        return None
    signing = context.get("signing") or {}
    if signing.get("identity_cache") is not None:
        return None
    credentials = signing.get("request_credentials") or getattr(signer, "_credentials", None)
    if credentials is None:
        return None
    access_key = credentials.get_frozen_credentials().access_key
    if not isinstance(access_key, str):
        return None
    return signing.get("region") or signer.region_name, access_key


class UnsignedRequest(AWSPreparedRequest):
    """A request built without a signature; it names the region and access key the signature would have."""

    identity: tuple[str, str]
    context: dict[str, Any]


class _UnsignedEndpoint:
    """A client's endpoint that builds requests without emitting request-created (so without signing).

    Sending, parsing and retrying are the endpoint's own methods: only
    create_request is ours.
    """

    def __init__(self, endpoint: Endpoint, identity: tuple[str, str]) -> None:
        self._endpoint = endpoint
        self._identity = identity

    def __getattr__(self, name: str) -> Any:
        return getattr(self._endpoint, name)

    # Looked up on each call, so that a wrapper someone put on them (a tracer) still runs.
    def make_request(self, operation_model: Any, request_dict: dict[str, Any]) -> Any:
        return _ENDPOINT.make_request(self, operation_model, request_dict)

    def _send_request(self, request_dict: dict[str, Any], operation_model: Any) -> Any:
        return _ENDPOINT._send_request(self, request_dict, operation_model)

    def create_request(self, params: dict[str, Any], operation_model: Any = None) -> AWSPreparedRequest:
        headers: Any = dict(params["headers"])
        request = UnsignedRequest(params["method"], params["url"], headers, params["body"], False)
        # What AWSRequest.prepare() carries over in botocore versions that have it.
        request.context = params["context"]
        request.identity = self._identity
        return request


def _make_request(
    client: Any, operation_model: Any, request_dict: dict[str, Any], request_context: dict[str, Any]
) -> Any:
    operation = operation_model.name
    if _applies(client, operation):
        try:
            identity = _identity(client._request_signer, operation, request_context)
            if identity is not None:
                return _UnsignedEndpoint(client._endpoint, identity).make_request(operation_model, request_dict)
        except Exception as error:
            # What BaseClient._make_request does when the endpoint raises.
            client.meta.events.emit(f"after-call-error.acm-pca.{operation}", exception=error, context=request_context)
            raise
    return _BASE_CLIENT._make_request(client, operation_model, request_dict, request_context)


def add_to_client_class(class_attributes: dict[str, Any], base_classes: list[type], **_: Any) -> None:
    """``creating-client-class.acm-pca`` handler: give botocore's own client classes our _make_request.

    Left alone: classes whose bases replace _make_request (aiobotocore's
    coroutine, or anyone's), and attributes another handler already set.
    """
    if "_make_request" in class_attributes:
        return
    for base in base_classes:
        if not issubclass(base, BaseClient):
            return
        if any("_make_request" in klass.__dict__ for klass in base.__mro__ if klass is not BaseClient):
            return
    class_attributes["_make_request"] = _make_request
