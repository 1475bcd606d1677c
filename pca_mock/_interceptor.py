"""How acm-pca requests reach the mock.

We hook botocore's ``before-send.acm-pca`` event. It fires after botocore has
validated, serialised and SigV4-signed the request and before anything goes on
the network, so a non-None return becomes the HTTP response that botocore then
parses exactly as it would parse AWS's. That is why we hook ``before-send``
rather than ``before-call`` (botocore's Stubber): retries, waiters, paginators,
``client.exceptions`` and modelled errors all behave as they do against AWS.

Three ways a client gets the handler:

* At import we append it to ``botocore.handlers.BUILTIN_HANDLERS``. Every
  botocore session created afterwards registers it, and every client copies its
  session's handlers when created, so those clients are covered whether they were
  made before or after the mock started. The handler is inert while no mock is
  active, so requests then go to AWS as usual.
* ``start()`` grafts it onto boto3's default session when that session predates
  our import (clients it creates later are then covered).
* ``patch_client(client)`` grafts it onto a client of an older session.

A private probe event registered alongside tells whether an emitter already has
the handler, so grafting never registers it twice (a duplicate would execute
each operation twice). See docs/behavior.md for what the mock models.

Requests of plain clients skip the SigV4 signature on their way here, when
nothing could observe the difference (``_fastpath``); they still arrive
through ``before-send`` and are answered by the same handler.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, Any

import botocore.handlers

from pca_mock import _fastpath, _faults, _protocol
from pca_mock.errors import MockStateError, ServiceError
from pca_mock.objects import moto_active

if TYPE_CHECKING:
    from botocore.awsrequest import AWSPreparedRequest, AWSResponse
    from botocore.hooks import HierarchicalEmitter

EVENT_NAME = "before-send.acm-pca"
_CLASS_EVENT = "creating-client-class.acm-pca"
_PROBE_EVENT = "pca-mock-probe"
_PROBE_TOKEN = object()
_UNIQUE_ID = "pca_mock.before_send"
_CREDENTIAL_SCOPE = re.compile(r"Credential=([^/,\s]+)/\d{8}/([^/]+)/[^/]+/aws4_request")
_HOST_REGION = re.compile(r"acm-pca(?:-fips)?\.([a-z0-9-]+)\.")


def _probe(**_: Any) -> object:
    return _PROBE_TOKEN


def handle_before_send(request: AWSPreparedRequest, event_name: str, **_: Any) -> AWSResponse | None:
    """Answer an acm-pca request from the in-memory backend while a mock is active."""
    from pca_mock import _mock

    active = _mock.active_mock()
    if active is None:
        return None
    _refuse_moto_answering_too()
    operation = event_name.rsplit(".", 1)[-1]
    region, access_key = _region_and_access_key(request)
    account = active._account_for(access_key)
    try:
        # Opt-in faults come first and stop the request before it runs; with
        # none configured they cost two attribute checks.
        if _faults.PLANNED:
            fault = _faults.take(operation)
            if fault is not None:
                raise fault
        if active._rate_limits:
            _admit(account, region, operation)
        body = request.body if isinstance(request.body, (bytes, str)) else None
        params = _protocol.decode_request(operation, body)
        from pca_mock.service.operations import dispatch

        result = dispatch(
            operation, params, account=account, region=region, delays=active._timing, key_pool=active._key_pool
        )
    except ServiceError as error:
        return _protocol.http_response(request.url, error.http_status, _protocol.encode_error(error), error.code)
    return _protocol.http_response(request.url, 200, _protocol.encode_result(result))


def _admit(account: str, region: str, operation: str) -> None:
    """Apply AWS's request-rate quotas (``mock_acmpca(rate_limits=True)``)."""
    from pca_mock.service.context import utcnow
    from pca_mock.service.throttling import RATE_LIMITER

    RATE_LIMITER.admit(account, region, operation, utcnow())


# How to tell moto's mock_aws to leave acm-pca to pca_mock.
MOTO_PASSTHROUGH = {"core": {"passthrough": {"services": ["acmpca"]}}}


def _refuse_moto_answering_too() -> None:
    """Fail loudly if moto's mock_aws is active and would answer acm-pca as well.

    botocore runs every before-send handler and uses the first answer, so moto's
    catch-all handler would still run after ours: it would create CAs of its own
    and raise NotImplementedError for operations it lacks.
    """
    if not moto_active():
        return
    config = sys.modules.get("moto.core.config")
    passthrough = getattr(config, "passthrough_service", None)
    if passthrough is not None and passthrough("acmpca"):
        return
    raise MockStateError(
        "moto's mock_aws is active without leaving acm-pca to pca_mock, so both would answer acm-pca requests. "
        f"Start moto with mock_aws(config={MOTO_PASSTHROUGH!r})."
    )


def _region_and_access_key(request: AWSPreparedRequest) -> tuple[str, str | None]:
    """Region and access key from the SigV4 credential scope (host as fallback).

    A request that took the shortcut of ``_fastpath`` is not signed: it
    carries the region and access key the signature would have named.
    """
    if isinstance(request, _fastpath.UnsignedRequest):
        region, access_key = request.identity
        # Read back exactly as from a signed request's Authorization header.
        match = _CREDENTIAL_SCOPE.search(f"Credential={access_key}/19700101/{region}/acm-pca/aws4_request")
        if match:
            return match.group(2), match.group(1)
    auth: Any = request.headers.get("Authorization")
    if isinstance(auth, bytes):
        auth = auth.decode("ascii", "replace")
    if auth:
        match = _CREDENTIAL_SCOPE.search(auth)
        if match:
            return match.group(2), match.group(1)
    # Unsigned clients (signature_version=UNSIGNED) carry no scope; the host names the region.
    host_match = _HOST_REGION.search(request.url)
    return (host_match.group(1) if host_match else "us-east-1"), None


def has_handler(events: HierarchicalEmitter) -> bool:
    """Whether an event emitter already carries our handler."""
    _, response = events.emit_until_response(_PROBE_EVENT)
    return response is _PROBE_TOKEN


def install(events: HierarchicalEmitter) -> None:
    """Register the handler (and its probe) on an emitter that lacks it."""
    if has_handler(events):
        return
    # botocore's stubs type handlers as returning None; ours answer with a response.
    probe: Any = _probe
    handler: Any = handle_before_send
    events.register(_PROBE_EVENT, probe, unique_id=_UNIQUE_ID + ".probe")
    events.register(EVENT_NAME, handler, unique_id=_UNIQUE_ID)
    events.register(_CLASS_EVENT, _fastpath.add_to_client_class, unique_id=_UNIQUE_ID + ".class")


def patch_client(client: Any) -> None:
    """Make a client from a botocore session created before pca_mock was imported use the mock.

    Clients of sessions created after ``import pca_mock`` need nothing. Calling
    this on such a client (or twice) is harmless.

    Args:
        client: a botocore or boto3 ``acm-pca`` client.

    Raises:
        TypeError: if ``client`` is not a botocore client.
    """
    events = getattr(getattr(client, "meta", None), "events", None)
    if events is None or not hasattr(events, "emit_until_response"):
        raise TypeError(f"patch_client() expects a botocore client, got {type(client).__name__}.")
    install(events)


def graft_default_session() -> None:
    """Cover boto3's default session if it was created before our import."""
    boto3 = sys.modules.get("boto3")
    session = getattr(boto3, "DEFAULT_SESSION", None)
    if session is not None:
        install(session.events)


def _register_builtin() -> None:
    # Idempotent so that importlib.reload() in a test never registers twice.
    if any(spec[0] == _PROBE_EVENT for spec in botocore.handlers.BUILTIN_HANDLERS):
        return
    botocore.handlers.BUILTIN_HANDLERS.append((_PROBE_EVENT, _probe))
    botocore.handlers.BUILTIN_HANDLERS.append((EVENT_NAME, handle_before_send))
    botocore.handlers.BUILTIN_HANDLERS.append((_CLASS_EVENT, _fastpath.add_to_client_class))


_register_builtin()
