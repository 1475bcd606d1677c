"""Turning the mock on and off: decorator forms, context managers, nesting, environment."""

from __future__ import annotations

import asyncio
import inspect
import os
import unittest
from typing import Any

import boto3
import pytest

import pca_mock
from pca_mock import AcmPcaMock, mock_acmpca
from pca_mock._mock import FAKE_CREDENTIALS, active_mock
from pca_mock.errors import MockStateError
from tests.helpers import create_ca

REGION = "us-east-1"


def _client() -> Any:
    return boto3.client("acm-pca", region_name=REGION)


def _ca_count() -> int:
    return len(_client().list_certificate_authorities()["CertificateAuthorities"])


@pytest.fixture
def real_looking_env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Credentials and a profile as a developer's shell might have them."""
    env = {
        "AWS_ACCESS_KEY_ID": "AKIAREALLOOKINGKEY01",
        "AWS_SECRET_ACCESS_KEY": "real-looking-secret",
        "AWS_SESSION_TOKEN": "real-looking-token",
        "AWS_PROFILE": "production",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


# --- the public surface ---------------------------------------------------------------


def test_public_names_are_exactly_the_documented_ones():
    assert set(pca_mock.__all__) == {
        "DEFAULT_ACCOUNT_ID",
        "AcmPcaMock",
        "RealisticTiming",
        "mock_acmpca",
        "patch_client",
    }
    assert pca_mock.DEFAULT_ACCOUNT_ID == "123456789012"


def test_mock_handle_exposes_lifecycle_and_published_data_only():
    public = {name for name in dir(AcmPcaMock) if not name.startswith("_")}
    assert public == {"reset", "start", "stop", "objects", "fetch", "ocsp", "state", "fail"}


def test_testing_module_public_names_are_exactly_the_documented_ones():
    import pca_mock.testing

    assert set(pca_mock.testing.__all__) == {
        "CertificateAuthority",
        "Hierarchy",
        "IssuedCertificate",
        "PrivateKey",
        "create_hierarchy",
        "create_root_ca",
        "create_subordinate_ca",
        "issue_certificate",
        "make_csr",
    }
    assert all(hasattr(pca_mock.testing, name) for name in pca_mock.testing.__all__)


def test_mock_acmpca_without_target_returns_a_handle():
    assert isinstance(mock_acmpca(), AcmPcaMock)
    assert isinstance(mock_acmpca(accounts={"AKIAEXAMPLE": "111122223333"}), AcmPcaMock)


def test_accounts_option_rejects_an_account_that_is_not_12_digits():
    with pytest.raises(ValueError, match="12-digit") as excinfo:
        mock_acmpca(accounts={"AKIAEXAMPLE": "1234"})
    assert excinfo.value.args == ("accounts maps 'AKIAEXAMPLE' to '1234', which is not a 12-digit AWS account ID.",)


# --- decorator forms ------------------------------------------------------------------


def test_bare_decorator_mocks_the_body_and_clears_state_after():
    @mock_acmpca
    def body() -> int:
        create_ca(_client())
        return _ca_count()

    assert body() == 1
    assert active_mock() is None
    with mock_acmpca():
        assert _ca_count() == 0


def test_decorator_with_options_applies_them():
    @mock_acmpca(accounts={"AKIAOTHERACCOUNT0001": "111122223333"})
    def body() -> str:
        client = boto3.client(
            "acm-pca", region_name=REGION, aws_access_key_id="AKIAOTHERACCOUNT0001", aws_secret_access_key="x"
        )
        return create_ca(client)

    assert body().split(":")[4] == "111122223333"


def test_decorated_function_keeps_its_name_and_signature():
    @mock_acmpca
    def named(a: int, b: str = "x") -> None:
        """Docstring."""

    assert named.__name__ == "named"
    assert named.__doc__ == "Docstring."
    assert list(inspect.signature(named).parameters) == ["a", "b"]


def test_async_function_runs_mocked_across_awaits():
    seen: list[str] = []

    @mock_acmpca
    async def body() -> None:
        await asyncio.sleep(0)
        assert active_mock() is not None
        create_ca(_client())
        await asyncio.sleep(0)
        seen.append(_client().list_certificate_authorities()["CertificateAuthorities"][0]["Status"])

    assert inspect.iscoroutinefunction(body)
    asyncio.run(body())
    assert seen == ["PENDING_CERTIFICATE"]
    assert active_mock() is None


def test_async_context_manager_mocks_its_block():
    async def body() -> int:
        async with mock_acmpca():
            await asyncio.sleep(0)
            create_ca(_client())
            return _ca_count()

    assert asyncio.run(body()) == 1
    assert active_mock() is None


def test_generator_function_stays_mocked_while_it_yields():
    @mock_acmpca
    def generate() -> Any:
        yield active_mock() is not None
        yield active_mock() is not None

    assert list(generate()) == [True, True]
    assert active_mock() is None


def test_method_decorator_receives_self():
    class Holder:
        @mock_acmpca
        def create(self) -> str:
            return create_ca(_client())

    assert ":certificate-authority/" in Holder().create()


def test_test_case_class_gets_fresh_state_for_each_test_method():
    @mock_acmpca
    class CaTests(unittest.TestCase):
        def setUp(self) -> None:
            create_ca(_client())

        def test_one(self) -> None:
            assert _ca_count() == 1

        def test_two(self) -> None:
            create_ca(_client())
            assert _ca_count() == 2

    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(CaTests).run(result)
    assert (result.testsRun, result.failures, result.errors) == (2, [], [])
    assert active_mock() is None


def test_async_test_case_class_is_mocked():
    @mock_acmpca
    class AsyncCaTests(unittest.IsolatedAsyncioTestCase):
        async def test_create(self) -> None:
            await asyncio.sleep(0)
            create_ca(_client())
            assert _ca_count() == 1

    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(AsyncCaTests).run(result)
    assert (result.testsRun, result.failures, result.errors) == (1, [], [])


def test_decorating_a_class_that_is_not_a_test_case_raises_type_error():
    with pytest.raises(TypeError) as excinfo:

        @mock_acmpca
        class NotATestCase:
            pass

    assert excinfo.value.args == (
        "mock_acmpca can decorate unittest.TestCase subclasses only, not NotATestCase; "
        "decorate the test functions, or use the acmpca_mock pytest fixture.",
    )


def test_decorating_something_not_callable_raises_type_error():
    with pytest.raises(TypeError) as excinfo:
        mock_acmpca()(42)  # type: ignore[call-overload]
    assert excinfo.value.args == ("mock_acmpca cannot decorate 42: it is not callable.",)


# --- start / stop / reset and nesting ---------------------------------------------------


def test_start_returns_the_handle_and_stop_clears_state():
    mock = mock_acmpca()
    assert mock.start() is mock
    create_ca(_client())
    mock.stop()
    with mock_acmpca():
        assert _ca_count() == 0


def test_stop_without_start_raises_mock_state_error():
    with pytest.raises(MockStateError) as excinfo:
        mock_acmpca().stop()
    assert excinfo.value.args == ("stop() was called on a mock that is not started; call start() first.",)


def test_stopping_twice_raises_mock_state_error():
    mock = mock_acmpca().start()
    mock.stop()
    with pytest.raises(MockStateError):
        mock.stop()


def test_reset_forgets_every_ca_while_staying_active():
    with mock_acmpca() as mock:
        create_ca(_client())
        mock.reset()
        assert _ca_count() == 0
        assert active_mock() is mock


def test_nested_exit_keeps_state_until_the_outermost_exit():
    with mock_acmpca():
        create_ca(_client())
        with mock_acmpca():
            create_ca(_client())
        assert active_mock() is not None
        assert _ca_count() == 2
    assert active_mock() is None
    with mock_acmpca():
        assert _ca_count() == 0


def test_nested_decorated_calls_share_state():
    @mock_acmpca
    def inner() -> int:
        create_ca(_client())
        return _ca_count()

    @mock_acmpca
    def outer() -> tuple[int, int]:
        create_ca(_client())
        return inner(), _ca_count()

    assert outer() == (2, 2)


def test_exception_in_block_still_stops_the_mock():
    with pytest.raises(RuntimeError, match="boom"), mock_acmpca():
        raise RuntimeError("boom")
    assert active_mock() is None


# --- environment -------------------------------------------------------------------------


def test_credentials_are_faked_and_profile_hidden_while_active(real_looking_env):
    with mock_acmpca():
        for name, value in FAKE_CREDENTIALS.items():
            assert os.environ[name] == value
        assert "AWS_PROFILE" not in os.environ
    for name, value in real_looking_env.items():
        assert os.environ[name] == value


def test_absent_credentials_are_absent_again_after_the_mock(monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    with mock_acmpca():
        assert os.environ["AWS_ACCESS_KEY_ID"] == FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"]
    assert "AWS_ACCESS_KEY_ID" not in os.environ
    assert "AWS_SESSION_TOKEN" not in os.environ


def test_mock_credentials_false_leaves_the_environment_alone(real_looking_env):
    with mock_acmpca(mock_credentials=False):
        assert os.environ["AWS_ACCESS_KEY_ID"] == real_looking_env["AWS_ACCESS_KEY_ID"]
        assert os.environ["AWS_PROFILE"] == "production"


def test_client_with_real_looking_credentials_is_still_answered_by_the_mock(real_looking_env):
    with mock_acmpca():
        client = boto3.client(
            "acm-pca", region_name=REGION, aws_access_key_id="AKIAREALLOOKINGKEY01", aws_secret_access_key="s"
        )
        arn = create_ca(client)
        assert arn.split(":")[4] == "123456789012"
