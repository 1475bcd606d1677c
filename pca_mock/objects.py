"""An in-memory object store standing in for Amazon S3.

AWS Private CA writes CRLs and audit reports to S3 buckets; under the mock
they land here, under the keys AWS uses. A test reads them back through the
mock handle (``mock.objects``), or follows the http URL a certificate carries
(``mock.fetch(url)``): virtual-hosted and path-style S3 URLs and the custom
CNAMEs a CA's CRL configuration names all resolve to the stored bytes.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import unquote, urlsplit

from pca_mock.errors import ObjectNotFoundError

# The S3 endpoints a URL may name a bucket through (reference §7.3).
_S3_SUFFIX = ".amazonaws.com"


@dataclass(frozen=True, slots=True)
class StoredObject:
    """One object: its bytes and what S3 would say about them."""

    bucket: str
    key: str
    body: bytes
    content_type: str
    # The canned ACL it was written with (CRLs: the CA's S3ObjectAcl).
    acl: str | None
    # The account of the CA that wrote it.
    account: str
    last_modified: datetime


class ObjectStore:
    """Buckets of objects, and which host names serve which bucket."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._buckets: dict[str, dict[str, StoredObject]] = {}
        self._cnames: dict[str, str] = {}

    # --- writing (service layer) ------------------------------------------------------

    def put(self, stored: StoredObject, region: str) -> None:
        """Store an object (and write it to moto's S3 too when moto is mocking AWS)."""
        with self._lock:
            self._buckets.setdefault(stored.bucket, {})[stored.key] = stored
        if moto_active():
            _moto_s3(region).put_object(
                Bucket=stored.bucket,
                Key=stored.key,
                Body=stored.body,
                ContentType=stored.content_type,
                ACL=_S3_CANNED_ACL.get(stored.acl or "", "private"),
            )

    def bucket_exists(self, bucket: str, region: str) -> bool:
        """Whether the bucket can be written to: always, unless moto mocks S3 and has no such bucket."""
        if not moto_active():
            return True
        from botocore.exceptions import ClientError

        try:
            _moto_s3(region).head_bucket(Bucket=bucket)
        except ClientError:
            return False
        return True

    def serve(self, host: str, bucket: str) -> None:
        """Make ``http://<host>/<key>`` resolve to ``bucket`` (a CRL CustomCname)."""
        with self._lock:
            self._cnames[host.lower()] = bucket

    def reset(self) -> None:
        with self._lock:
            self._buckets = {}
            self._cnames = {}

    # --- reading (tests) ----------------------------------------------------------------

    def buckets(self) -> list[str]:
        """Every bucket written to, sorted."""
        with self._lock:
            return sorted(self._buckets)

    def keys(self, bucket: str, prefix: str = "") -> list[str]:
        """The keys in ``bucket`` that start with ``prefix``, sorted (empty for an unknown bucket)."""
        with self._lock:
            return sorted(key for key in self._buckets.get(bucket, {}) if key.startswith(prefix))

    def object(self, bucket: str, key: str) -> StoredObject:
        """The object at ``bucket``/``key``.

        Raises:
            ObjectNotFoundError: nothing was written there.
        """
        with self._lock:
            stored = self._buckets.get(bucket, {}).get(key)
        if stored is None:
            raise ObjectNotFoundError(f"No object s3://{bucket}/{key} was written under the mock.")
        return stored

    def get(self, bucket: str, key: str) -> bytes:
        """The bytes at ``bucket``/``key`` (see :meth:`object`)."""
        return self.object(bucket, key).body

    def locate(self, url: str) -> tuple[str, str]:
        """The bucket and key an http(s) URL names, or ObjectNotFoundError.

        Understands ``http://<bucket>.s3[.<region>].amazonaws.com/<key>``,
        ``http://s3[.<region>].amazonaws.com/<bucket>/<key>`` and the hosts
        registered with :meth:`serve`.
        """
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        path = unquote(parts.path).lstrip("/")
        with self._lock:
            bucket = self._cnames.get(host)
        if bucket is not None:
            return bucket, path
        if host.endswith(_S3_SUFFIX):
            labels = host[: -len(_S3_SUFFIX)].split(".")
            if "s3" in labels:
                at = labels.index("s3")
                if at > 0:
                    return ".".join(labels[:at]), path
                bucket, _, key = path.partition("/")
                return bucket, key
        raise ObjectNotFoundError(f"The URL {url} does not name an S3 bucket or a CNAME known to the mock.")

    def resolve(self, url: str) -> bytes:
        """The bytes an http URL (a certificate's CDP, for instance) points to."""
        return self.get(*self.locate(url))


# S3ObjectAcl → the canned ACL S3's PutObject takes.
_S3_CANNED_ACL = {"PUBLIC_READ": "public-read", "BUCKET_OWNER_FULL_CONTROL": "bucket-owner-full-control"}
_moto_clients: dict[str, Any] = {}


def moto_active() -> bool:
    """Whether moto's mock_aws is active in this process (without importing moto)."""
    models = sys.modules.get("moto.core.models")
    stubber = getattr(models, "botocore_stubber", None)
    return bool(getattr(stubber, "enabled", False))


def _moto_s3(region: str) -> Any:
    """A botocore S3 client; moto answers it while mock_aws is active."""
    client = _moto_clients.get(region)
    if client is None:
        import botocore.session

        client = _moto_clients[region] = botocore.session.get_session().create_client("s3", region_name=region)
    return client


class ObjectsView:
    """Read-only access to the store for tests, through the mock handle.

    ``before_read`` brings the store up to date first (CRLs that AWS would
    have re-published by now, on the current clock).
    """

    def __init__(self, store: ObjectStore, before_read: Callable[[], None]) -> None:
        self._store = store
        self._before_read = before_read

    def buckets(self) -> list[str]:
        """Every bucket written to, sorted."""
        self._before_read()
        return self._store.buckets()

    def keys(self, bucket: str, prefix: str = "") -> list[str]:
        """The keys in ``bucket`` that start with ``prefix``, sorted."""
        self._before_read()
        return self._store.keys(bucket, prefix)

    def get(self, bucket: str, key: str) -> bytes:
        """The bytes of an object; ObjectNotFoundError if nothing is there."""
        self._before_read()
        return self._store.get(bucket, key)

    def object(self, bucket: str, key: str) -> StoredObject:
        """An object with its metadata (content type, ACL, writer, time)."""
        self._before_read()
        return self._store.object(bucket, key)


# The store every mock activation shares; reset with the rest of the state.
STORE = ObjectStore()
