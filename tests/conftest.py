from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import botocore.httpsession
import pytest

from pca_mock import AcmPcaMock, mock_acmpca

REGION = "us-east-1"


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
