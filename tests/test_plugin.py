"""The pytest plugin, exercised the way users meet it: in a pytest run of their own (pytester).

Runs are subprocesses: an in-process run drops the modules it imported when it
ends, and cryptography's compiled core cannot be imported twice in one process.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def strict_pytester(pytester: pytest.Pytester) -> pytest.Pytester:
    """A pytester whose runs are configured like this project's: warnings are errors, markers strict.

    Unrelated plugins that happen to be installed are kept out: loading
    hypothesis alone would double the time of every run. Sockets are
    disabled, as in this suite: the plugin's fixtures never need the network.
    """
    pytester.makeini(
        """
        [pytest]
        addopts = --strict-markers -p no:hypothesispytest -p no:benchmark --disable-socket --allow-unix-socket
        filterwarnings = error
        """
    )
    return pytester


def test_fixture_works_without_any_import_or_conftest(strict_pytester):
    strict_pytester.makepyfile(
        """
        import botocore.session

        def test_lists_no_cas(acmpca_mock):
            client = botocore.session.get_session().create_client("acm-pca", region_name="eu-west-1")
            assert client.list_certificate_authorities()["CertificateAuthorities"] == []
            assert type(acmpca_mock).__name__ == "AcmPcaMock"
        """
    )
    strict_pytester.runpytest_subprocess().assert_outcomes(passed=1)


def test_marker_is_registered_with_a_description(strict_pytester):
    result = strict_pytester.runpytest_subprocess("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.acmpca_mock(**options): run the test under the AWS Private CA mock*"])


def test_marker_options_reach_the_mock(strict_pytester):
    strict_pytester.makepyfile(
        """
        import botocore.session
        import pytest

        @pytest.mark.acmpca_mock(accounts={"AKIAOTHERACCOUNT0001": "111122223333"})
        def test_other_account(acmpca_mock):
            client = botocore.session.get_session().create_client(
                "acm-pca",
                region_name="us-east-1",
                aws_access_key_id="AKIAOTHERACCOUNT0001",
                aws_secret_access_key="x",
            )
            arn = client.create_certificate_authority(
                CertificateAuthorityType="ROOT",
                CertificateAuthorityConfiguration={
                    "KeyAlgorithm": "EC_prime256v1",
                    "SigningAlgorithm": "SHA256WITHECDSA",
                    "Subject": {"CommonName": "Other"},
                },
            )["CertificateAuthorityArn"]
            assert arn.split(":")[4] == "111122223333"
        """
    )
    strict_pytester.runpytest_subprocess().assert_outcomes(passed=1)


def test_marker_alone_turns_the_mock_on(strict_pytester):
    strict_pytester.makepyfile(
        """
        import os
        import pytest

        @pytest.mark.acmpca_mock
        def test_marked():
            assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAPCAMOCKTESTKEY00"
        """
    )
    strict_pytester.runpytest_subprocess().assert_outcomes(passed=1)


def test_closest_marker_wins_over_class_and_module_markers(strict_pytester, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALLOOKINGKEY01")
    strict_pytester.makepyfile(
        """
        import os
        import pytest

        pytestmark = pytest.mark.acmpca_mock(mock_credentials=False)

        class TestCredentials:
            pytestmark = pytest.mark.acmpca_mock(mock_credentials=True)

            def test_class_marker_beats_module_marker(self, acmpca_mock):
                assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAPCAMOCKTESTKEY00"

            @pytest.mark.acmpca_mock(mock_credentials=False)
            def test_function_marker_beats_class_marker(self, acmpca_mock):
                assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAREALLOOKINGKEY01"

        def test_module_marker_applies(acmpca_mock):
            assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAREALLOOKINGKEY01"
        """
    )
    strict_pytester.runpytest_subprocess().assert_outcomes(passed=3)


def test_unknown_marker_option_is_an_error_naming_the_marker(strict_pytester):
    strict_pytester.makepyfile(
        """
        import pytest

        @pytest.mark.acmpca_mock(acounts={})
        def test_typo(acmpca_mock):
            pass
        """
    )
    result = strict_pytester.runpytest_subprocess()
    result.assert_outcomes(errors=1)
    # Python 3.13 adds "Did you mean 'accounts'?" after the message.
    result.stdout.fnmatch_lines(
        ["E   TypeError: @pytest.mark.acmpca_mock(acounts): *unexpected keyword argument 'acounts'*"]
    )


def test_positional_marker_arguments_are_refused(strict_pytester):
    strict_pytester.makepyfile(
        """
        import pytest

        @pytest.mark.acmpca_mock({"AKIAEXAMPLE": "111122223333"})
        def test_positional(acmpca_mock):
            pass
        """
    )
    result = strict_pytester.runpytest_subprocess()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["E   TypeError: @pytest.mark.acmpca_mock takes keyword options only*"])


def test_invalid_marker_option_value_names_the_marker(strict_pytester):
    strict_pytester.makepyfile(
        """
        import pytest

        @pytest.mark.acmpca_mock(accounts={"AKIAEXAMPLE": "1234"})
        def test_short_account(acmpca_mock):
            pass
        """
    )
    result = strict_pytester.runpytest_subprocess()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["E   ValueError: @pytest.mark.acmpca_mock(accounts): accounts maps 'AKIAEXAMPLE' to '1234'*"]
    )


def test_fixtures_compose_into_a_ready_root_ca(strict_pytester):
    strict_pytester.makepyfile(
        """
        def test_root(acmpca_mock, acmpca_client, acmpca_root_ca):
            described = acmpca_client.describe_certificate_authority(
                CertificateAuthorityArn=acmpca_root_ca.arn
            )["CertificateAuthority"]
            assert described["Status"] == "ACTIVE"
            assert described["CertificateAuthorityConfiguration"]["KeyAlgorithm"] == "EC_prime256v1"
            assert acmpca_root_ca.certificate.subject == acmpca_root_ca.certificate.issuer
            assert acmpca_client.meta.region_name == "us-east-1"
            (view,) = acmpca_mock.state.certificate_authorities()
            assert (view.arn, view.status) == (acmpca_root_ca.arn, "ACTIVE")
        """
    )
    strict_pytester.runpytest_subprocess().assert_outcomes(passed=1)


def test_state_is_cleared_between_tests(strict_pytester):
    strict_pytester.makepyfile(
        """
        import pytest

        @pytest.mark.parametrize("attempt", [1, 2])
        def test_each_starts_empty(acmpca_client, acmpca_root_ca, attempt):
            listed = acmpca_client.list_certificate_authorities()["CertificateAuthorities"]
            assert [ca["Arn"] for ca in listed] == [acmpca_root_ca.arn]
        """
    )
    strict_pytester.runpytest_subprocess().assert_outcomes(passed=2)


def test_failing_test_reports_the_assertion_not_the_plugin(strict_pytester):
    strict_pytester.makepyfile(
        """
        def test_wrong_status(acmpca_client, acmpca_root_ca):
            described = acmpca_client.describe_certificate_authority(
                CertificateAuthorityArn=acmpca_root_ca.arn
            )["CertificateAuthority"]
            assert described["Status"] == "DISABLED"
        """
    )
    result = strict_pytester.runpytest_subprocess()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["E       AssertionError: assert 'ACTIVE' == 'DISABLED'*"])
    result.stdout.no_fnmatch_line("*PRIVATE KEY*")
    # The mock is off again once the failing test is torn down.
    result.stdout.no_fnmatch_line("*MockStateError*")


def test_mock_is_off_after_the_run(strict_pytester):
    strict_pytester.makepyfile(
        """
        def test_uses_mock(acmpca_root_ca):
            pass
        """
    )
    strict_pytester.runpytest_subprocess().assert_outcomes(passed=1)
    from pca_mock._mock import active_mock

    assert active_mock() is None


def _fixture_examples(path: Path) -> list[str]:
    """The ``py`` fences of a page: test modules that use the fixtures, run here rather than by test_docs."""
    return re.findall(r"```py\n(.*?)```", path.read_text(), re.DOTALL)


@pytest.mark.parametrize("page", ["docs/index.md", "README.md"])
def test_fixture_examples_in_the_docs_pass(strict_pytester, page):
    examples = _fixture_examples(ROOT / page)
    assert examples
    for number, example in enumerate(examples):
        strict_pytester.makepyfile(**{f"test_example_{number}": example})
    result = strict_pytester.runpytest_subprocess()
    result.assert_outcomes(
        passed=sum(example.count("\ndef test_") + example.startswith("def test_") for example in examples)
    )
