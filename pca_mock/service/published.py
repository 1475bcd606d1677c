"""What the mocked service publishes outside its API: CRL objects and OCSP answers.

The mock handle reads these for tests (``fetch``, ``ocsp``, ``objects``); each
call takes the registry lock like an operation does, and first brings the
CRLs up to date with the current clock.
"""

from __future__ import annotations

import base64
import binascii
from urllib.parse import unquote, urlsplit

from pca_mock.errors import ObjectNotFoundError
from pca_mock.objects import STORE
from pca_mock.registry import REGISTRY
from pca_mock.service import crls
from pca_mock.service import ocsp as responder
from pca_mock.service.context import utcnow
from pca_mock.service.models import CertificateAuthority


def _authorities() -> list[CertificateAuthority]:
    return [ca for state in REGISTRY.regions() for ca in state.authorities.values()]


def refresh() -> None:
    with REGISTRY.lock:
        crls.refresh_all(_authorities(), utcnow())


def ocsp(request: bytes) -> bytes:
    with REGISTRY.lock:
        return responder.respond(_authorities(), request, utcnow())


def fetch(url: str, data: bytes | None) -> bytes:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    with REGISTRY.lock:
        now = utcnow()
        authorities = _authorities()
        answering = [ca for ca in authorities if host in responder.hosts(ca)]
        # The regional responder answers even when none of its CAs matches (unauthorized).
        if answering or responder.is_regional_host(host):
            if data is None:
                data = _request_in_path(url, parts.path)
            return responder.respond(answering, data, now)
        crls.refresh_all(authorities, now)
        return STORE.resolve(url)


def _request_in_path(url: str, path: str) -> bytes:
    """The DER request of an OCSP GET: the URL-encoded base64 after the last slash."""
    encoded = unquote(path.rsplit("/", 1)[-1])
    try:
        return base64.b64decode(encoded, validate=True) if encoded else b""
    except (binascii.Error, ValueError):
        raise ObjectNotFoundError(f"The OCSP URL {url} has no base64 request in its path.") from None
