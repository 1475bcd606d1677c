"""Tags on CAs (reference §10)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pca_mock.errors import InvalidStateException, InvalidTagException, TooManyTagsException
from pca_mock.service.context import RequestContext, paginate
from pca_mock.service.models import CaStatus

MAX_TAGS = 50
LIST_PAGE_CAP = 1000
_RESERVED_PREFIX = "aws:"


def validate_tags(tags: list[Mapping[str, Any]]) -> dict[str, str | None]:
    """Tags as an ordered map, refusing reserved keys (a later duplicate key wins)."""
    result: dict[str, str | None] = {}
    for tag in tags:
        key = tag["Key"]
        if key.lower().startswith(_RESERVED_PREFIX):
            raise InvalidTagException(f"Tag key {key} is not valid: the aws: prefix is reserved for AWS use.")
        result[key] = tag.get("Value")
    return result


def _taggable(ctx: RequestContext, arn: str) -> Any:
    ca = ctx.find_ca(arn)
    if ca.status_at(ctx.now) is CaStatus.DELETED:
        raise InvalidStateException("The certificate authority is in the DELETED state")
    return ca


def tag(ctx: RequestContext, arn: str, tags: list[Mapping[str, Any]]) -> None:
    ca = _taggable(ctx, arn)
    new = validate_tags(tags)
    merged = {**ca.tags, **new}
    if len(merged) > MAX_TAGS:
        raise TooManyTagsException(
            f"The certificate authority would have {len(merged)} tags; at most {MAX_TAGS} are allowed."
        )
    ca.tags = merged


def untag(ctx: RequestContext, arn: str, tags: list[Mapping[str, Any]]) -> None:
    ca = _taggable(ctx, arn)
    validate_tags(tags)
    remaining = dict(ca.tags)
    for entry in tags:
        key, value = entry["Key"], entry.get("Value")
        # Without a Value the key goes whatever its value; with one, only on a match.
        if key in remaining and (value is None or remaining[key] == value):
            del remaining[key]
    ca.tags = remaining


def list_tags(
    ctx: RequestContext, arn: str, *, max_results: int | None, next_token: str | None
) -> tuple[list[dict[str, str]], str | None]:
    ca = ctx.find_ca(arn)
    # Response entries are built for the page only.
    page, token = paginate(list(ca.tags.items()), max_results, next_token, LIST_PAGE_CAP)
    return [{"Key": key} if value is None else {"Key": key, "Value": value} for key, value in page], token
