"""pytest plugin (loaded through the ``pytest11`` entry point; no conftest needed).

Fixtures: ``acmpca_mock`` (the active mock), ``acmpca_client`` (an ``acm-pca``
client for us-east-1) and ``acmpca_root_ca`` (an ACTIVE EC P-256 root CA).
Marker: ``@pytest.mark.acmpca_mock(**options)`` passes its options to
:func:`pca_mock.mock_acmpca` and turns the mock on for a test that does not
ask for the fixture.

Loading it at pytest start-up also imports pca_mock early, so its botocore
hook is registered before any test module creates a boto3 session. It uses
only pca_mock's public API, and loads cryptography only when a fixture that
needs it runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from pca_mock import AcmPcaMock, mock_acmpca

if TYPE_CHECKING:
    from pca_mock.testing import CertificateAuthority

MARKER = "acmpca_mock"
REGION = "us-east-1"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**options): run the test under the AWS Private CA mock, "
        "with options for pca_mock.mock_acmpca (accounts=..., mock_credentials=...).",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A marked test is mocked even when it never names the fixture, as
    # time-machine does for its marker: the marker alone reads as "mocked".
    for item in items:
        fixturenames = getattr(item, "fixturenames", None)
        if fixturenames is not None and MARKER not in fixturenames and item.get_closest_marker(MARKER) is not None:
            fixturenames.insert(0, MARKER)


def _marker_options(node: pytest.Item) -> dict[str, Any]:
    """The options of every acmpca_mock marker on the test, the closest winning (function over class over module)."""
    __tracebackhide__ = True
    options: dict[str, Any] = {}
    for marker in reversed(list(node.iter_markers(MARKER))):
        if marker.args:
            raise TypeError(
                f"@pytest.mark.{MARKER} takes keyword options only (as mock_acmpca does), got {marker.args!r}."
            )
        options.update(marker.kwargs)
    return options


@pytest.fixture
def acmpca_mock(request: pytest.FixtureRequest) -> Iterator[AcmPcaMock]:
    """The AWS Private CA mock, active for the test and cleared after it.

    Configure it with ``@pytest.mark.acmpca_mock(accounts={...})`` on the
    test, its class or its module.
    """
    __tracebackhide__ = True
    options = _marker_options(request.node)
    try:
        mock = mock_acmpca(**options)
    except (TypeError, ValueError) as error:
        # Name the marker: the traceback otherwise points into the plugin, far from the typo.
        raise type(error)(f"@pytest.mark.{MARKER}({', '.join(options)}): {error}") from None
    with mock:
        yield mock


@pytest.fixture
def acmpca_client(acmpca_mock: AcmPcaMock) -> Any:
    """A botocore ``acm-pca`` client for us-east-1, answered by the mock.

    Typed as ``Any``: boto3 and its stubs are not dependencies of pca_mock.
    Annotate it with ``mypy_boto3_acm_pca.ACMPCAClient`` in your tests if you
    have those stubs.
    """
    import botocore.session

    return botocore.session.get_session().create_client("acm-pca", region_name=REGION)


@pytest.fixture
def acmpca_root_ca(acmpca_client: Any) -> CertificateAuthority:
    """An ACTIVE root CA (EC P-256, SHA256WITHECDSA) in the mock, made by :func:`pca_mock.testing.create_root_ca`."""
    from pca_mock.testing import create_root_ca

    return create_root_ca(acmpca_client)
