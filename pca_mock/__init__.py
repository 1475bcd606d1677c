"""pca_mock: an in-process AWS Private CA (acm-pca) for tests.

Importing this package registers the botocore hook (inert until a mock is
active) and nothing heavier: cryptography loads on the first mocked request.
"""

from __future__ import annotations

from pca_mock._clock import RealisticTiming
from pca_mock._interceptor import patch_client
from pca_mock._mock import DEFAULT_ACCOUNT_ID, AcmPcaMock, mock_acmpca

__all__ = ["DEFAULT_ACCOUNT_ID", "AcmPcaMock", "RealisticTiming", "mock_acmpca", "patch_client"]
__version__ = "0.1.0"
