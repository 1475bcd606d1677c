from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import boto3
import botocore.httpsession
import pytest

from pca_mock import AcmPcaMock, _fastpath, mock_acmpca

REGION = "us-east-1"

# `nox -s tests_signed` runs the whole suite on botocore's ordinary, signed
# path, so both ways a request reaches the mock stay covered (see pca_mock._fastpath).
if os.environ.get("PCA_MOCK_TEST_SIGNED") == "1":
    _fastpath.ENABLED = False


@pytest.fixture(autouse=True)
def _no_http(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any request that reaches botocore's HTTP layer fails the test loudly."""

    def refuse(self: Any, request: Any) -> Any:
        raise AssertionError(f"A request reached the network layer: {request.method} {request.url}")

    monkeypatch.setattr(botocore.httpsession.URLLib3Session, "send", refuse)


@pytest.fixture
def pca() -> Iterator[AcmPcaMock]:
    with mock_acmpca() as mock:
        yield mock


@pytest.fixture
def client(pca: AcmPcaMock) -> Any:
    return boto3.client("acm-pca", region_name=REGION)
