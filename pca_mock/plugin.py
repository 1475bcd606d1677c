"""pytest plugin (loaded through the ``pytest11`` entry point; no conftest needed).

Loading it at pytest start-up also imports pca_mock early, so its botocore
hook is registered before any test module creates a boto3 session.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pca_mock._mock import AcmPcaMock, mock_acmpca


@pytest.fixture
def acmpca_mock() -> Iterator[AcmPcaMock]:
    """The AWS Private CA mock, active for the test and cleared after it."""
    with mock_acmpca() as mock:
        yield mock
