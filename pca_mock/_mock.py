"""Turning the mock on and off: decorator, context managers, start()/stop().

The mock is process-global, like the AWS account it stands in for: every thread
and every event loop in the process sees the same CAs while it is active.
Activations nest with a reference count; only the outermost start() enables
interception and only the outermost stop() clears the state.
"""

from __future__ import annotations

import inspect
import os
import re
import threading
from collections.abc import Callable, Generator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, overload

import wrapt

from pca_mock import _clock, _interceptor
from pca_mock._clock import RealisticTiming
from pca_mock.errors import MockStateError

if TYPE_CHECKING:
    import unittest

    from pca_mock._inspect import StateView
    from pca_mock.errors import ServiceError
    from pca_mock.objects import ObjectsView

DEFAULT_ACCOUNT_ID = "123456789012"

# Fake credentials for the duration of the mock: a client that escaped
# interception would fail authentication at AWS instead of creating real, billed CAs.
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "AKIAPCAMOCKTESTKEY00",
    "AWS_SECRET_ACCESS_KEY": "pca-mock-fake-secret-access-key",
    "AWS_SESSION_TOKEN": "pca-mock-fake-session-token",
}
_HIDDEN_ENV = ("AWS_PROFILE",)
_ACCOUNT_ID = re.compile(r"\d{12}")

_F = TypeVar("_F", bound=Callable[..., Any])
_T = TypeVar("_T", bound=type)

_lock = threading.RLock()
_active: list[AcmPcaMock] = []
_saved_env: dict[str, str | None] = {}


def active_mock() -> AcmPcaMock | None:
    """The innermost active mock, or None when interception is off."""
    # The hot path takes no lock: indexing is atomic under the GIL, and a stop
    # on another thread may empty the stack between a test and a read.
    try:
        return _active[-1]
    except IndexError:
        return None


class AcmPcaMock:
    """An activation of the AWS Private CA mock.

    Use it through :func:`mock_acmpca`. It works as a decorator (functions,
    ``async def`` functions, ``unittest.TestCase`` classes), as a context
    manager (``with`` and ``async with``) and through :meth:`start` /
    :meth:`stop` for notebooks. The constructor is private and may change.
    """

    def __init__(
        self,
        *,
        accounts: Mapping[str, str] | None = None,
        mock_credentials: bool = True,
        realistic_timing: bool | RealisticTiming = False,
        rate_limits: bool = False,
        key_pool: bool = True,
    ) -> None:
        for key, account in (accounts or {}).items():
            if not _ACCOUNT_ID.fullmatch(account):
                raise ValueError(f"accounts maps {key!r} to {account!r}, which is not a 12-digit AWS account ID.")
        self._accounts = dict(accounts or {})
        self._mock_credentials = mock_credentials
        # Read by the interceptor on every request: plain attributes, no logic.
        self._timing = _clock.timing_option(realistic_timing)
        self._rate_limits = bool(rate_limits)
        self._key_pool = bool(key_pool)

    def _clone(self) -> AcmPcaMock:
        # One activation per decorated call, so recursion and threads never
        # share a half-finished handle.
        return AcmPcaMock(
            accounts=self._accounts,
            mock_credentials=self._mock_credentials,
            realistic_timing=self._timing,
            rate_limits=self._rate_limits,
            key_pool=self._key_pool,
        )

    # --- routing ----------------------------------------------------------------

    def _account_for(self, access_key_id: str | None) -> str:
        """The account a request signed with this access key acts as."""
        if access_key_id is None:
            return DEFAULT_ACCOUNT_ID
        mapped = self._accounts.get(access_key_id)
        if mapped is not None:
            return mapped
        if _ACCOUNT_ID.fullmatch(access_key_id):
            return access_key_id
        return DEFAULT_ACCOUNT_ID

    # --- lifecycle --------------------------------------------------------------

    def start(self) -> AcmPcaMock:
        """Activate the mock (nestable). Returns this handle."""
        with _lock:
            if not _active:
                _interceptor.graft_default_session()
                _clock.install()
                if self._mock_credentials:
                    _fake_environment()
            _active.append(self)
        return self

    def stop(self) -> None:
        """Deactivate; the outermost stop clears all mocked state.

        Raises:
            MockStateError: if this handle is not active.
        """
        with _lock:
            for index in range(len(_active) - 1, -1, -1):
                if _active[index] is self:
                    del _active[index]
                    break
            else:
                raise MockStateError("stop() was called on a mock that is not started; call start() first.")
            if not _active:
                _restore_environment()
                _clock.uninstall()
                _reset_state()

    def reset(self) -> None:
        """Forget every CA and certificate, in every account and region.

        Also forgets planned faults, rate-limit counts and the time waiters skipped.
        """
        _reset_state()

    def fail(
        self,
        operation: str,
        error: str | type[ServiceError],
        *,
        times: int = 1,
        message: str | None = None,
    ) -> None:
        """Answer the next ``times`` calls of ``operation`` with an AWS error, then behave normally.

        The failing calls do not run, so the mocked state is unchanged by them.
        botocore sees the error exactly as AWS sends it, so its retry modes
        react as they would in production (``ThrottlingException`` and 5xx are
        retried, most other errors are not). Faults planned for the same
        operation are used up in the order they were planned.

        Args:
            operation: the AWS operation name, e.g. ``"IssueCertificate"``.
            error: the error code, or its class from :mod:`pca_mock.errors`;
                it must be one AWS answers this operation with (its modelled
                errors, or a common one such as ``ThrottlingException``).
            times: how many calls in a row fail.
            message: the error message (``"Rate exceeded"`` for throttling,
                otherwise one naming the injected fault, by default).

        Raises:
            ValueError: an unknown operation, an error AWS does not answer it
                with, or ``times`` below 1.
        """
        from pca_mock import _faults

        _faults.plan(operation, error, times, message)

    # --- what the mocked service published ----------------------------------------

    @property
    def objects(self) -> ObjectsView:
        """The stand-in for S3: CRLs and audit reports, under the keys AWS writes.

        ``mock.objects.keys("my-crl-bucket")`` lists what was written;
        ``mock.objects.get(bucket, key)`` returns the bytes (DER for CRLs).
        """
        from pca_mock.objects import STORE, ObjectsView

        return ObjectsView(STORE, _refresh_published)

    @property
    def state(self) -> StateView:
        """Read-only snapshots of the mocked CAs and their certificates, for assertions.

        ``mock.state.certificate_authorities(account=None, region=None)`` and
        ``mock.state.certificates(ca_arn)`` return frozen copies taken now, so
        a test can check what no API reads back (issued and revoked counts)
        without a call per account and region. Private keys are never included.
        """
        from pca_mock._inspect import StateView

        return StateView()

    def fetch(self, url: str, data: bytes | None = None) -> bytes:
        """What an http URL from a certificate serves, as if fetched from AWS.

        A CRL Distribution Point URL (S3 or a CustomCname) returns the DER CRL.
        An OCSP URL from the Authority Information Access returns the DER OCSP
        response: to the request in ``data`` (HTTP POST), or to the one encoded
        in the URL's path (HTTP GET, RFC 6960 appendix A).

        Raises:
            ObjectNotFoundError: nothing is published at that URL.
        """
        from pca_mock.service import published

        return published.fetch(url, data)

    def ocsp(self, request: bytes) -> bytes:
        """The DER OCSP response to a DER OCSP request, from whichever CA issued the certificate.

        CAs without OCSP enabled do not answer (the response is ``unauthorized``).
        """
        from pca_mock.service import published

        return published.ocsp(request)

    def __enter__(self) -> AcmPcaMock:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    async def __aenter__(self) -> AcmPcaMock:
        return self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # --- decorating -------------------------------------------------------------

    @overload
    def __call__(self, target: _T) -> _T: ...

    @overload
    def __call__(self, target: _F) -> _F: ...

    def __call__(self, target: Any) -> Any:
        if isinstance(target, type):
            return self._decorate_test_case(target)
        if not callable(target):
            raise TypeError(f"mock_acmpca cannot decorate {target!r}: it is not callable.")
        if inspect.iscoroutinefunction(target):
            return wrapt.FunctionWrapper(target, self._async_wrapper)
        if inspect.isgeneratorfunction(target):
            return wrapt.FunctionWrapper(target, self._generator_wrapper)
        return wrapt.FunctionWrapper(target, self._sync_wrapper)

    def _sync_wrapper(self, wrapped: Callable[..., Any], instance: Any, args: Any, kwargs: Any) -> Any:
        with self._clone():
            return wrapped(*args, **kwargs)

    async def _async_wrapper(self, wrapped: Callable[..., Any], instance: Any, args: Any, kwargs: Any) -> Any:
        # Start inside the coroutine, so the mock is on while the body runs
        # (a plain wrapper would stop it before the first await).
        async with self._clone():
            return await wrapped(*args, **kwargs)

    def _generator_wrapper(
        self, wrapped: Callable[..., Any], instance: Any, args: Any, kwargs: Any
    ) -> Generator[Any, Any, Any]:
        with self._clone():
            return (yield from wrapped(*args, **kwargs))

    def _decorate_test_case(self, cls: _T) -> _T:
        # Imported here: unittest (with argparse) would add a third to `import pca_mock`.
        import unittest

        if not issubclass(cls, unittest.TestCase):
            raise TypeError(
                f"mock_acmpca can decorate unittest.TestCase subclasses only, not {cls.__name__}; "
                "decorate the test functions, or use the acmpca_mock pytest fixture."
            )
        original_run = cls.run
        template = self

        # Wrapping run() puts setUp, the test, tearDown and cleanups under one
        # fresh activation per test method, whatever setUp the subclass defines.
        def run(test: unittest.TestCase, result: Any = None) -> Any:
            with template._clone():
                return original_run(test, result)

        run.__wrapped__ = original_run  # type: ignore[attr-defined]
        cls.run = run  # type: ignore[assignment,method-assign]
        return cls


def _fake_environment() -> None:
    _saved_env.clear()
    for name in (*FAKE_CREDENTIALS, *_HIDDEN_ENV):
        _saved_env[name] = os.environ.get(name)
    os.environ.update(FAKE_CREDENTIALS)
    for name in _HIDDEN_ENV:
        os.environ.pop(name, None)


def _restore_environment() -> None:
    for name, value in _saved_env.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    _saved_env.clear()


def _refresh_published() -> None:
    from pca_mock.service import published

    published.refresh()


def _reset_state() -> None:
    from pca_mock import _faults, registry
    from pca_mock.service import context, throttling

    registry.REGISTRY.reset()
    _faults.reset()
    throttling.RATE_LIMITER.reset()
    context.reset_clock()


@overload
def mock_acmpca(target: _T, /) -> _T: ...


@overload
def mock_acmpca(target: _F, /) -> _F: ...


@overload
def mock_acmpca(
    *,
    accounts: Mapping[str, str] | None = None,
    mock_credentials: bool = True,
    realistic_timing: bool | RealisticTiming = False,
    rate_limits: bool = False,
    key_pool: bool = True,
) -> AcmPcaMock: ...


def mock_acmpca(
    target: Any = None,
    /,
    *,
    accounts: Mapping[str, str] | None = None,
    mock_credentials: bool = True,
    realistic_timing: bool | RealisticTiming = False,
    rate_limits: bool = False,
    key_pool: bool = True,
) -> Any:
    """Mock AWS Private CA (``acm-pca``) for botocore and boto3 clients.

    Use bare or with options, on a function, an ``async def`` function or a
    ``unittest.TestCase`` subclass, or as a (sync or async) context manager::

        @mock_acmpca
        def test_create_ca():
            client = boto3.client("acm-pca", region_name="eu-west-1")
            ...

        with mock_acmpca(accounts={"AKIAOTHER": "210987654321"}) as pca:
            ...

    Args:
        target: the function or class to decorate (bare use only).
        accounts: maps access key IDs to account IDs, for multi-account tests.
            Otherwise a 12-digit access key ID is taken as the account and any
            other key acts as ``123456789012``.
        mock_credentials: put fake AWS credentials in the environment (and
            hide ``AWS_PROFILE``) while the mock is active, restoring them after.
        realistic_timing: make AWS's asynchronous work take time on the
            service clock: a new CA reads CREATING, a new certificate and an
            audit report are not ready at once. ``True`` uses the default
            :class:`RealisticTiming`; pass one to choose the delays. botocore
            waiters skip the delays without sleeping.
        rate_limits: answer requests beyond AWS's per-operation
            requests-per-second quotas with ``ThrottlingException``.
        key_pool: take RSA CA keys from a pool that pre-generates them in a
            background thread, so creating an RSA_4096 CA does not wait
            seconds for its key. A pooled key is still fresh: it is handed to
            one CA only. ``False`` generates each key when its CA is created.

    Returns:
        The decorated target, or an :class:`AcmPcaMock` when called without one.
    """
    mock = AcmPcaMock(
        accounts=accounts,
        mock_credentials=mock_credentials,
        realistic_timing=realistic_timing,
        rate_limits=rate_limits,
        key_pool=key_pool,
    )
    if target is None:
        return mock
    decorated: Any = mock(target)
    return decorated
