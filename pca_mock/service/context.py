"""What every operation handler gets: who is calling, where, and when."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Protocol, TypeVar

from pca_mock.errors import InvalidNextTokenException, ResourceNotFoundException
from pca_mock.service.arns import CaRef, parse_ca_arn
from pca_mock.service.models import CertificateAuthority, RegionState

_T = TypeVar("_T")


def utcnow() -> datetime:
    # datetime.now() rather than time.time(): time-machine and freezegun both move it.
    return datetime.now(timezone.utc)


class StateDirectory(Protocol):
    """Where other accounts' state is found (the registry), for cross-account access."""

    def regions(self) -> list[RegionState]: ...


@dataclass(frozen=True, slots=True)
class RequestContext:
    account: str
    region: str
    state: RegionState
    now: datetime
    # The AWS operation being served: what a resource-based policy must allow
    # when the caller reaches a CA of another account.
    operation: str = ""
    directory: StateDirectory | None = None

    @property
    def partition(self) -> str:
        return self.state.partition

    def find_ca(self, arn: str) -> CertificateAuthority:
        """The CA named by ``arn``: the caller's own, or another account's that shares it.

        Raises:
            InvalidArnException: the ARN cannot name a CA.
            ResourceNotFoundException: no such CA in the caller's region
                (including one whose deletion window has ended).
            AccessDeniedException: a CA of another account whose resource-based
                policy does not let the caller perform this operation.
        """
        ref = parse_ca_arn(arn)
        ca = None
        if ref.region == self.region:
            if ref.account != self.account:
                return self._find_shared_ca(ref, arn)
            ca = self.state.authorities.get(ref.ca_id)
        if ca is None or ca.is_gone(self.now):
            if ca is not None:
                del self.state.authorities[ca.id]
            raise ResourceNotFoundException(f"Could not find certificate authority with arn {arn}.")
        return ca

    def _find_shared_ca(self, ref: CaRef, arn: str) -> CertificateAuthority:
        # Imported here: access uses this module, and the same-account path never needs it.
        from pca_mock.service import access

        return access.find_shared_ca(self, ref, arn)

    def authorize_template(self, ca: CertificateAuthority, arn: str, template_arn: str | None) -> None:
        """For IssueCertificate on another account's CA: the policy must admit this template."""
        from pca_mock.service import access

        access.authorize_template(self, ca, arn, template_arn)


_TOKEN_PREFIX = "pca-mock:"


def paginate(
    items: Sequence[_T], max_results: int | None, next_token: str | None, page_cap: int
) -> tuple[list[_T], str | None]:
    """One page of ``items`` and the token of the next, if any.

    Tokens are opaque to callers; any token we did not hand out (or one past
    the end of the list) is rejected with InvalidNextTokenException.
    """
    start = 0
    if next_token is not None:
        try:
            decoded = base64.urlsafe_b64decode(next_token.encode()).decode()
        except (binascii.Error, UnicodeDecodeError, ValueError):
            decoded = ""
        if not decoded.startswith(_TOKEN_PREFIX) or not decoded[len(_TOKEN_PREFIX) :].isdigit():
            raise InvalidNextTokenException("The token is not valid.")
        start = int(decoded[len(_TOKEN_PREFIX) :])
        if start > len(items):
            raise InvalidNextTokenException("The token is not valid.")
    size = min(max_results or page_cap, page_cap)
    page = list(items[start : start + size])
    end = start + size
    token = None
    if end < len(items):
        token = base64.urlsafe_b64encode(f"{_TOKEN_PREFIX}{end}".encode()).decode()
    return page, token
