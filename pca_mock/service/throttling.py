"""AWS's per-operation request-rate quotas (reference §11), enforced only when a test asks.

``mock_acmpca(rate_limits=True)`` turns this on. Each (account, region,
operation) gets a sliding one-second window on the service clock: a request
beyond the operation's requests-per-second quota is answered with
ThrottlingException and is not counted, as AWS does not charge a rejected
request against the rate. Off by default, so no test is throttled unless it
wants to see how its code copes.
"""

from __future__ import annotations

import threading
from collections import deque
from datetime import datetime, timedelta

from pca_mock.errors import ThrottlingException

# Requests per second, per account and region (AWS General Reference, default values).
RATE_QUOTAS: dict[str, int] = {
    "CreateCertificateAuthority": 1,
    "CreateCertificateAuthorityAuditReport": 1,
    "CreatePermission": 1,
    "DeletePermission": 1,
    "DeletePolicy": 5,
    "GetPolicy": 5,
    "PutPolicy": 5,
    "ListPermissions": 5,
    "DeleteCertificateAuthority": 10,
    "GetCertificateAuthorityCsr": 10,
    "ImportCertificateAuthorityCertificate": 10,
    "TagCertificateAuthority": 10,
    "UntagCertificateAuthority": 10,
    "UpdateCertificateAuthority": 10,
    "DescribeCertificateAuthority": 20,
    "DescribeCertificateAuthorityAuditReport": 20,
    "GetCertificateAuthorityCertificate": 20,
    "ListCertificateAuthorities": 20,
    "ListTags": 20,
    "RestoreCertificateAuthority": 20,
    "RevokeCertificate": 20,
    "IssueCertificate": 25,
    "GetCertificate": 75,
}

WINDOW = timedelta(seconds=1)
# The usual wording of AWS's throttling answers (own choice: AWS does not document acm-pca's).
MESSAGE = "Rate exceeded"


class RateLimiter:
    """Sliding one-second windows of admitted requests, per (account, region, operation)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._windows: dict[tuple[str, str, str], deque[datetime]] = {}

    def admit(self, account: str, region: str, operation: str, now: datetime) -> None:
        """Count a request, or refuse it when the operation's quota is used up.

        Raises:
            ThrottlingException: this second's quota is already used.
        """
        quota = RATE_QUOTAS.get(operation)
        if quota is None:
            return
        with self._lock:
            window = self._windows.setdefault((account, region, operation), deque())
            if window and window[-1] > now:
                # The clock was moved back (time travel): what was counted is not in this second.
                window.clear()
            while window and window[0] <= now - WINDOW:
                window.popleft()
            if len(window) >= quota:
                raise ThrottlingException(MESSAGE)
            window.append(now)

    def reset(self) -> None:
        with self._lock:
            self._windows = {}


RATE_LIMITER = RateLimiter()
