"""The operation table: AWS operation name → handler.

This is the service layer's edge: handlers take the decoded request
parameters (AWS member names) and return the response members. Everything
below works in snake_case Python.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pca_mock.errors import UnsupportedByMockError
from pca_mock.service import access, activation, audit, authorities, issuance, revocation, tags
from pca_mock.service.context import NO_DELAYS, Delays, RequestContext, utcnow

Params = Mapping[str, Any]
Handler = Callable[[RequestContext, Params], dict[str, Any]]


def _create_ca(ctx: RequestContext, p: Params) -> dict[str, Any]:
    arn = authorities.create(
        ctx,
        configuration=p["CertificateAuthorityConfiguration"],
        ca_type=p["CertificateAuthorityType"],
        revocation_configuration=p.get("RevocationConfiguration"),
        idempotency_token=p.get("IdempotencyToken"),
        key_storage_security_standard=p.get("KeyStorageSecurityStandard"),
        tags=p.get("Tags"),
        usage_mode=p.get("UsageMode"),
    )
    return {"CertificateAuthorityArn": arn}


def _describe_ca(ctx: RequestContext, p: Params) -> dict[str, Any]:
    return {"CertificateAuthority": authorities.describe(ctx, p["CertificateAuthorityArn"])}


def _list_cas(ctx: RequestContext, p: Params) -> dict[str, Any]:
    items, token = authorities.list_authorities(
        ctx, max_results=p.get("MaxResults"), next_token=p.get("NextToken"), resource_owner=p.get("ResourceOwner")
    )
    return _page("CertificateAuthorities", items, token)


def _update_ca(ctx: RequestContext, p: Params) -> dict[str, Any]:
    authorities.update(
        ctx,
        p["CertificateAuthorityArn"],
        status=p.get("Status"),
        revocation_configuration=p.get("RevocationConfiguration"),
    )
    return {}


def _delete_ca(ctx: RequestContext, p: Params) -> dict[str, Any]:
    authorities.delete(ctx, p["CertificateAuthorityArn"], permanent_deletion_days=p.get("PermanentDeletionTimeInDays"))
    return {}


def _restore_ca(ctx: RequestContext, p: Params) -> dict[str, Any]:
    authorities.restore(ctx, p["CertificateAuthorityArn"])
    return {}


def _get_csr(ctx: RequestContext, p: Params) -> dict[str, Any]:
    return {"Csr": activation.get_csr(ctx, p["CertificateAuthorityArn"])}


def _import_ca_certificate(ctx: RequestContext, p: Params) -> dict[str, Any]:
    activation.import_certificate(ctx, p["CertificateAuthorityArn"], p["Certificate"], p.get("CertificateChain"))
    return {}


def _get_ca_certificate(ctx: RequestContext, p: Params) -> dict[str, Any]:
    return activation.get_ca_certificate(ctx, p["CertificateAuthorityArn"])


def _issue(ctx: RequestContext, p: Params) -> dict[str, Any]:
    arn = issuance.issue(
        ctx,
        p["CertificateAuthorityArn"],
        csr=p["Csr"],
        signing_algorithm=p["SigningAlgorithm"],
        validity=p["Validity"],
        validity_not_before=p.get("ValidityNotBefore"),
        template_arn=p.get("TemplateArn"),
        api_passthrough=p.get("ApiPassthrough"),
        idempotency_token=p.get("IdempotencyToken"),
    )
    return {"CertificateArn": arn}


def _get_certificate(ctx: RequestContext, p: Params) -> dict[str, Any]:
    return issuance.get(ctx, p["CertificateAuthorityArn"], p["CertificateArn"])


def _revoke(ctx: RequestContext, p: Params) -> dict[str, Any]:
    revocation.revoke(
        ctx, p["CertificateAuthorityArn"], serial_text=p["CertificateSerial"], reason=p["RevocationReason"]
    )
    return {}


def _tag(ctx: RequestContext, p: Params) -> dict[str, Any]:
    tags.tag(ctx, p["CertificateAuthorityArn"], p["Tags"])
    return {}


def _untag(ctx: RequestContext, p: Params) -> dict[str, Any]:
    tags.untag(ctx, p["CertificateAuthorityArn"], p["Tags"])
    return {}


def _list_tags(ctx: RequestContext, p: Params) -> dict[str, Any]:
    items, token = tags.list_tags(
        ctx, p["CertificateAuthorityArn"], max_results=p.get("MaxResults"), next_token=p.get("NextToken")
    )
    return _page("Tags", items, token)


def _create_permission(ctx: RequestContext, p: Params) -> dict[str, Any]:
    access.create_permission(
        ctx,
        p["CertificateAuthorityArn"],
        principal=p["Principal"],
        source_account=p.get("SourceAccount"),
        actions=p["Actions"],
    )
    return {}


def _delete_permission(ctx: RequestContext, p: Params) -> dict[str, Any]:
    access.delete_permission(
        ctx, p["CertificateAuthorityArn"], principal=p["Principal"], source_account=p.get("SourceAccount")
    )
    return {}


def _list_permissions(ctx: RequestContext, p: Params) -> dict[str, Any]:
    items, token = access.list_permissions(
        ctx, p["CertificateAuthorityArn"], max_results=p.get("MaxResults"), next_token=p.get("NextToken")
    )
    return _page("Permissions", items, token)


def _put_policy(ctx: RequestContext, p: Params) -> dict[str, Any]:
    access.put_policy(ctx, p["ResourceArn"], p["Policy"])
    return {}


def _get_policy(ctx: RequestContext, p: Params) -> dict[str, Any]:
    return {"Policy": access.get_policy(ctx, p["ResourceArn"])}


def _delete_policy(ctx: RequestContext, p: Params) -> dict[str, Any]:
    access.delete_policy(ctx, p["ResourceArn"])
    return {}


def _create_audit_report(ctx: RequestContext, p: Params) -> dict[str, Any]:
    report_id, key = audit.create(
        ctx, p["CertificateAuthorityArn"], bucket=p["S3BucketName"], response_format=p["AuditReportResponseFormat"]
    )
    return {"AuditReportId": report_id, "S3Key": key}


def _describe_audit_report(ctx: RequestContext, p: Params) -> dict[str, Any]:
    return audit.describe(ctx, p["CertificateAuthorityArn"], p["AuditReportId"])


def _page(key: str, items: list[Any], token: str | None) -> dict[str, Any]:
    result: dict[str, Any] = {key: items}
    if token is not None:
        result["NextToken"] = token
    return result


OPERATIONS: dict[str, Handler] = {
    "CreateCertificateAuthority": _create_ca,
    "DescribeCertificateAuthority": _describe_ca,
    "ListCertificateAuthorities": _list_cas,
    "UpdateCertificateAuthority": _update_ca,
    "DeleteCertificateAuthority": _delete_ca,
    "RestoreCertificateAuthority": _restore_ca,
    "GetCertificateAuthorityCsr": _get_csr,
    "ImportCertificateAuthorityCertificate": _import_ca_certificate,
    "GetCertificateAuthorityCertificate": _get_ca_certificate,
    "IssueCertificate": _issue,
    "GetCertificate": _get_certificate,
    "RevokeCertificate": _revoke,
    "TagCertificateAuthority": _tag,
    "UntagCertificateAuthority": _untag,
    "ListTags": _list_tags,
    "CreateCertificateAuthorityAuditReport": _create_audit_report,
    "DescribeCertificateAuthorityAuditReport": _describe_audit_report,
    "CreatePermission": _create_permission,
    "DeletePermission": _delete_permission,
    "ListPermissions": _list_permissions,
    "PutPolicy": _put_policy,
    "GetPolicy": _get_policy,
    "DeletePolicy": _delete_policy,
}


def dispatch(
    operation: str,
    params: Params,
    *,
    account: str,
    region: str,
    delays: Delays = NO_DELAYS,
    key_pool: bool = True,
) -> dict[str, Any]:
    """Run one operation for a caller, under the registry lock.

    ``delays`` are the realistic-timing durations of the active mock (none by
    default); ``key_pool`` whether new RSA CA keys may come from the pool.
    """
    from pca_mock.registry import REGISTRY

    handler = OPERATIONS.get(operation)
    if handler is None:
        # Only an operation newer than pca_mock (a newer botocore model) gets here.
        raise UnsupportedByMockError(
            f"pca_mock does not model the {operation} operation yet. See docs/coverage.md for what is supported."
        )
    with REGISTRY.lock:
        ctx = RequestContext(
            account=account,
            region=region,
            state=REGISTRY.region(account, region),
            now=utcnow(),
            operation=operation,
            directory=REGISTRY,
            delays=delays,
            key_pool=key_pool,
            lock=REGISTRY.lock,
        )
        return handler(ctx, params)
