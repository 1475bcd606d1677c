"""ARNs of CAs, certificates and templates, and the partition of a region."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from pca_mock.errors import InvalidArnException

_CA_RESOURCE = re.compile(r"certificate-authority/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")
_CERT_RESOURCE = re.compile(_CA_RESOURCE.pattern + r"/certificate/([0-9a-f]{1,40})")
_INVALID_ARN_MESSAGE = "Not a valid arn."


@functools.cache
def _partitions() -> list[tuple[str, frozenset[str], re.Pattern[str]]]:
    from botocore.loaders import Loader

    data = Loader().load_data("partitions")
    return [(p["id"], frozenset(p.get("regions", {})), re.compile(p["regionRegex"])) for p in data["partitions"]]


@functools.cache
def partition_of(region: str) -> str:
    """The ARN partition of a region (aws, aws-cn, aws-us-gov, ...), from botocore's data."""
    for partition, regions, _ in _partitions():
        if region in regions:
            return partition
    for partition, _, regex in _partitions():
        if regex.match(region):
            return partition
    return "aws"


def ca_arn(partition: str, region: str, account: str, ca_id: str) -> str:
    return f"arn:{partition}:acm-pca:{region}:{account}:certificate-authority/{ca_id}"


def certificate_arn(ca: str, serial: int) -> str:
    """A certificate's ARN: its CA's ARN plus the serial as 32 lowercase hex digits."""
    return f"{ca}/certificate/{serial:032x}"


@dataclass(frozen=True, slots=True)
class CaRef:
    partition: str
    region: str
    account: str
    ca_id: str

    @property
    def arn(self) -> str:
        return ca_arn(self.partition, self.region, self.account, self.ca_id)


def _split(arn: str) -> tuple[str, str, str, str]:
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or parts[2] != "acm-pca":
        raise InvalidArnException(_INVALID_ARN_MESSAGE)
    _, partition, _, region, account, resource = parts
    if not region or not re.fullmatch(r"\d{12}", account) or partition_of(region) != partition:
        raise InvalidArnException(_INVALID_ARN_MESSAGE)
    return partition, region, account, resource


# ARNs repeat on nearly every request; parsing is pure, so results are kept
# (an invalid ARN raises and is not cached).
@functools.lru_cache(maxsize=1024)
def parse_ca_arn(arn: str) -> CaRef:
    """Split a CA ARN, or raise InvalidArnException if it cannot name a CA."""
    partition, region, account, resource = _split(arn)
    match = _CA_RESOURCE.fullmatch(resource)
    if match is None:
        raise InvalidArnException(_INVALID_ARN_MESSAGE)
    return CaRef(partition, region, account, match.group(1))


@functools.lru_cache(maxsize=1024)
def parse_certificate_arn(arn: str) -> tuple[CaRef, int]:
    """Split a certificate ARN into its CA and serial, or raise InvalidArnException."""
    partition, region, account, resource = _split(arn)
    match = _CERT_RESOURCE.fullmatch(resource)
    if match is None:
        raise InvalidArnException(_INVALID_ARN_MESSAGE)
    return CaRef(partition, region, account, match.group(1)), int(match.group(2), 16)
