"""Who may use a CA: ACM service permissions, resource-based policies, cross-account access (reference §9).

A CA's owner account can always use it. Another account in the same region
reaches it only through the CA's resource-based policy (PutPolicy, or what a
RAM share attaches), and only for the operations such a policy can grant.
Policies are parsed once, when put, into the few facts evaluation needs, so
checking a cross-account request is a short loop over statements.
"""

from __future__ import annotations

import json
import re
from enum import Enum
from typing import TYPE_CHECKING, Any

from pca_mock.errors import (
    AccessDeniedException,
    InvalidPolicyException,
    InvalidStateException,
    LockoutPreventedException,
    PermissionAlreadyExistsException,
    ResourceNotFoundException,
    UnsupportedByMockError,
    ValidationException,
)
from pca_mock.service.context import paginate
from pca_mock.service.models import (
    CaStatus,
    CertificateAuthority,
    Permission,
    PolicyStatement,
    ResourcePolicy,
)

if TYPE_CHECKING:
    from pca_mock.service.arns import CaRef
    from pca_mock.service.context import RequestContext

# The only principal CreatePermission accepts (AWS: "the only valid principal").
ACM_PRINCIPAL = "acm.amazonaws.com"
POLICY_VERSION = "2012-10-17"
PERMISSIONS_PAGE_CAP = 1000

# What a resource-based policy can grant another account: the actions AWS
# lists for customer managed RAM permissions on a CA. Everything else
# (Update, Delete, Tag, PutPolicy, GetCertificateAuthorityCsr, ...) stays with the owner.
SHAREABLE_ACTIONS = frozenset(
    {
        "DescribeCertificateAuthority",
        "GetCertificate",
        "GetCertificateAuthorityCertificate",
        "ListPermissions",
        "ListTags",
        "IssueCertificate",
        "RevokeCertificate",
    }
)
_ACTIONS_BY_LOWER_NAME = {f"acm-pca:{action}".lower(): action for action in SHAREABLE_ACTIONS}

# The only templates a cross-account issuer may use (reference §3.1).
CROSS_ACCOUNT_TEMPLATES = (
    "EndEntityCertificate",
    "EndEntityClientAuthCertificate",
    "EndEntityServerAuthCertificate",
    "BlankEndEntityCertificate_APIPassthrough",
    "BlankEndEntityCertificate_APICSRPassthrough",
    "SubordinateCACertificate_PathLen0",
)
DEFAULT_TEMPLATE = "EndEntityCertificate"

_STATEMENT_KEYS = frozenset({"Sid", "Effect", "Principal", "Action", "Resource", "Condition"})
_DOCUMENT_KEYS = frozenset({"Version", "Id", "Statement"})
_TEMPLATE_KEY = "acm-pca:templatearn"
# Condition keys that scope a statement to AWS Organizations, which the mock does not model.
_ORGANIZATION_KEYS = frozenset({"aws:principalorgid", "aws:principalorgpaths"})
_ACCOUNT_ID = re.compile(r"\d{12}")


def template_arn(partition: str, name: str) -> str:
    return f"arn:{partition}:acm-pca:::template/{name}/V1"


# --- evaluation -----------------------------------------------------------------------------


class Decision(Enum):
    ALLOWED = "allowed"
    # No statement allows the request (IAM's implicit deny).
    NOT_ALLOWED = "not allowed"
    EXPLICITLY_DENIED = "denied"


def evaluate(policy: ResourcePolicy | None, account: str, action: str, template: str | None) -> Decision:
    """What ``policy`` says about ``account`` performing ``action``.

    ``template`` is the TemplateArn of an IssueCertificate request; None asks
    whether the account may issue with some template (the precise template is
    checked once the request's is known). As in IAM, an explicit Deny wins
    over any Allow.
    """
    if policy is None:
        return Decision.NOT_ALLOWED
    allowed = False
    for statement in policy.statements:
        if account not in statement.accounts or action not in statement.actions:
            continue
        if statement.templates is not None and template is not None and template not in statement.templates:
            continue
        if not statement.allow:
            if statement.templates is None or template is not None:
                return Decision.EXPLICITLY_DENIED
            # A Deny limited to some templates is decided once the template is known.
            continue
        allowed = True
    return Decision.ALLOWED if allowed else Decision.NOT_ALLOWED


def _denied(ctx: RequestContext, action: str, arn: str, decision: Decision) -> AccessDeniedException:
    # The shape of IAM's message as seen from AWS for cross-account PCA calls;
    # the mock knows callers only by account, so the user is the account root.
    user = f"arn:{ctx.partition}:iam::{ctx.account}:root"
    reason = (
        "with an explicit deny in a resource-based policy"
        if decision is Decision.EXPLICITLY_DENIED
        else f"because no resource-based policy allows the acm-pca:{action} action"
    )
    return AccessDeniedException(
        f"User: {user} is not authorized to perform: acm-pca:{action} on resource: {arn} {reason}"
    )


def _owned_ca(ctx: RequestContext, ref: CaRef) -> CertificateAuthority | None:
    """Another account's CA in the caller's region, if it exists."""
    if ctx.directory is None:
        return None
    for state in ctx.directory.regions():
        if state.account == ref.account and state.region == ref.region:
            ca = state.authorities.get(ref.ca_id)
            return None if ca is None or ca.is_gone(ctx.now) else ca
    return None


def find_shared_ca(ctx: RequestContext, ref: CaRef, arn: str) -> CertificateAuthority:
    """Another account's CA, if its policy lets the caller perform ``ctx.operation`` on it.

    A CA that does not exist has no policy to allow anything, so the caller
    learns nothing about other accounts' CAs: it is denied either way.
    """
    ca = _owned_ca(ctx, ref)
    decision = Decision.NOT_ALLOWED if ca is None else evaluate(ca.policy, ctx.account, ctx.operation, None)
    if ca is None or decision is not Decision.ALLOWED:
        raise _denied(ctx, ctx.operation, arn, decision)
    return ca


def authorize_template(ctx: RequestContext, ca: CertificateAuthority, arn: str, requested: str | None) -> None:
    """IssueCertificate on another account's CA: the policy's TemplateArn condition must admit the template.

    An omitted TemplateArn is the template the service will use,
    EndEntityCertificate/V1.
    """
    template = requested if requested is not None else template_arn(ctx.partition, DEFAULT_TEMPLATE)
    decision = evaluate(ca.policy, ctx.account, "IssueCertificate", template)
    if decision is not Decision.ALLOWED:
        raise _denied(ctx, "IssueCertificate", arn, decision)


def _grants_anything(policy: ResourcePolicy | None, account: str) -> bool:
    return any(evaluate(policy, account, action, None) is Decision.ALLOWED for action in SHAREABLE_ACTIONS)


def shared_with_caller(ctx: RequestContext) -> list[CertificateAuthority]:
    """CAs of other accounts in the caller's region whose policy grants the caller anything."""
    if ctx.directory is None:
        return []
    shared = [
        ca
        for state in ctx.directory.regions()
        if state.region == ctx.region and state.account != ctx.account
        for ca in state.live_authorities(ctx.now)
        if ca.policy is not None and _grants_anything(ca.policy, ctx.account)
    ]
    # Creation order across accounts; the sort is stable for CAs made at the same instant.
    return sorted(shared, key=lambda ca: ca.created_at)


# --- policy documents -------------------------------------------------------------------------


def _invalid(message: str) -> InvalidPolicyException:
    return InvalidPolicyException(message)


def _strings(value: Any, what: str) -> list[str]:
    """A policy element that may be one string or a non-empty list of strings."""
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values or not all(isinstance(item, str) for item in values):
        raise _invalid(f"{what} must be a string or a non-empty list of strings.")
    return values


def _principal_accounts(principal: Any, where: str, partition: str) -> frozenset[str]:
    if not isinstance(principal, dict) or set(principal) != {"AWS"}:
        raise _invalid(f'{where}: Principal must be {{"AWS": ...}} naming AWS accounts.')
    accounts = set()
    root = re.compile(rf"arn:{re.escape(partition)}:iam::(\d{{12}}):root")
    for value in _strings(principal["AWS"], f"{where}: Principal AWS"):
        match = root.fullmatch(value)
        if _ACCOUNT_ID.fullmatch(value):
            accounts.add(value)
        elif match is not None:
            accounts.add(match.group(1))
        else:
            raise _invalid(
                f"{where}: the principal {value} is not valid; name an AWS account by its 12-digit ID "
                f"or as arn:{partition}:iam::<account>:root."
            )
    return frozenset(accounts)


def _actions(action: Any, where: str) -> frozenset[str]:
    actions = set()
    for value in _strings(action, f"{where}: Action"):
        # IAM action names are case-insensitive.
        name = _ACTIONS_BY_LOWER_NAME.get(value.lower())
        if name is None:
            raise _invalid(f"{where}: the action {value} cannot be granted by a certificate authority policy.")
        actions.add(name)
    return frozenset(actions)


def _condition_templates(condition: Any, where: str, partition: str) -> frozenset[str]:
    if not isinstance(condition, dict) or set(condition) != {"StringEquals"}:
        raise _invalid(f"{where}: the only supported Condition is StringEquals on acm-pca:TemplateArn.")
    keys = condition["StringEquals"]
    if not isinstance(keys, dict) or [key.lower() for key in keys] != [_TEMPLATE_KEY]:
        raise _invalid(f"{where}: the only supported Condition is StringEquals on acm-pca:TemplateArn.")
    allowed = {template_arn(partition, name) for name in CROSS_ACCOUNT_TEMPLATES}
    templates = _strings(next(iter(keys.values())), f"{where}: acm-pca:TemplateArn")
    for template in templates:
        if template not in allowed:
            raise _invalid(f"{where}: the template {template} cannot be used by other accounts.")
    return frozenset(templates)


def _refuse_organizations(condition: Any) -> None:
    if not isinstance(condition, dict):
        return
    for keys in condition.values():
        if isinstance(keys, dict) and any(str(key).lower() in _ORGANIZATION_KEYS for key in keys):
            raise UnsupportedByMockError(
                "pca_mock does not model AWS Organizations, so it cannot evaluate a policy that shares a "
                "certificate authority through aws:PrincipalOrgID or aws:PrincipalOrgPaths. Name the accounts "
                'in "Principal": {"AWS": [...]} instead.'
            )


def _statement(raw: Any, index: int, ca: CertificateAuthority, partition: str) -> PolicyStatement:
    where = f"Statement {index}"
    if not isinstance(raw, dict):
        raise _invalid(f"{where} must be a JSON object.")
    _refuse_organizations(raw.get("Condition"))
    unknown = sorted(set(raw) - _STATEMENT_KEYS)
    if unknown:
        raise _invalid(f"{where} has the unsupported element {unknown[0]}.")
    missing = [key for key in ("Effect", "Principal", "Action", "Resource") if key not in raw]
    if missing:
        raise _invalid(f"{where} is missing {missing[0]}.")
    if "Sid" in raw and not isinstance(raw["Sid"], str):
        raise _invalid(f"{where}: Sid must be a string.")
    if raw["Effect"] not in ("Allow", "Deny"):
        raise _invalid(f"{where}: Effect must be Allow or Deny.")
    allow = raw["Effect"] == "Allow"
    accounts = _principal_accounts(raw["Principal"], where, partition)
    actions = _actions(raw["Action"], where)
    for resource in _strings(raw["Resource"], f"{where}: Resource"):
        if resource != ca.arn:
            raise _invalid(f"{where}: Resource must be the certificate authority's ARN {ca.arn}, not {resource}.")
    templates = None
    if "Condition" in raw:
        if actions != {"IssueCertificate"}:
            raise _invalid(
                f"{where}: a condition on acm-pca:TemplateArn applies to acm-pca:IssueCertificate only; "
                "grant other actions in a statement without a Condition."
            )
        templates = _condition_templates(raw["Condition"], where, partition)
    elif allow and "IssueCertificate" in actions:
        raise _invalid(
            f"{where}: acm-pca:IssueCertificate must be limited by a StringEquals condition on acm-pca:TemplateArn."
        )
    return PolicyStatement(allow=allow, accounts=accounts, actions=actions, templates=templates)


def parse_policy(text: str, ca: CertificateAuthority, partition: str) -> ResourcePolicy:
    """A policy AWS would accept for ``ca``, or InvalidPolicyException / LockoutPreventedException."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        # RecursionError: nested deeper than Python's JSON parser goes.
        raise _invalid("The policy is not valid JSON.") from None
    if not isinstance(document, dict):
        raise _invalid("The policy must be a JSON object.")
    unknown = sorted(set(document) - _DOCUMENT_KEYS)
    if unknown:
        raise _invalid(f"The policy has the unsupported element {unknown[0]}.")
    if document.get("Version") != POLICY_VERSION:
        raise _invalid(f'The policy must have "Version": "{POLICY_VERSION}".')
    raw_statements = document.get("Statement")
    if isinstance(raw_statements, dict):
        raw_statements = [raw_statements]
    if not isinstance(raw_statements, list) or not raw_statements:
        raise _invalid("The policy must have at least one statement.")
    statements = tuple(_statement(raw, index, ca, partition) for index, raw in enumerate(raw_statements, start=1))
    for index, statement in enumerate(statements, start=1):
        if not statement.allow and ca.account in statement.accounts:
            raise LockoutPreventedException(
                f"Statement {index} denies the certificate authority's owner account {ca.account}; "
                "the policy would lock the owner out of its own certificate authority."
            )
    return ResourcePolicy(text=text, statements=statements)


# --- operations ---------------------------------------------------------------------------------


def _refuse_deleted(ctx: RequestContext, ca: CertificateAuthority) -> None:
    if ca.status_at(ctx.now) is CaStatus.DELETED:
        # The text Terraform observed from ListPermissions on a deleted CA.
        raise InvalidStateException("The certificate authority is in the DELETED state")


def put_policy(ctx: RequestContext, arn: str, text: str) -> None:
    ca = ctx.find_ca(arn)
    _refuse_deleted(ctx, ca)
    ca.policy = parse_policy(text, ca, ctx.partition)


def get_policy(ctx: RequestContext, arn: str) -> str:
    ca = ctx.find_ca(arn)
    if ca.policy is None:
        raise ResourceNotFoundException(f"The certificate authority {arn} has no resource-based policy.")
    return ca.policy.text


def delete_policy(ctx: RequestContext, arn: str) -> None:
    ca = ctx.find_ca(arn)
    _refuse_deleted(ctx, ca)
    ca.policy = None


def _check_principal(principal: str) -> None:
    if principal != ACM_PRINCIPAL:
        raise ValidationException(
            f"The principal {principal} is not valid; the only valid principal is {ACM_PRINCIPAL}."
        )


def create_permission(
    ctx: RequestContext, arn: str, *, principal: str, source_account: str | None, actions: list[str]
) -> None:
    _check_principal(principal)
    ca = ctx.find_ca(arn)
    _refuse_deleted(ctx, ca)
    # Without a SourceAccount the grant is recorded for the CA's own account,
    # which ListPermissions then reports (AWS reports one in every permission).
    account = source_account or ca.account
    key = (principal, account)
    if key in ca.permissions:
        raise PermissionAlreadyExistsException(
            f"The certificate authority {arn} already grants a permission to {principal} for source account {account}."
        )
    ca.permissions[key] = Permission(
        principal=principal, source_account=account, actions=tuple(dict.fromkeys(actions)), created_at=ctx.now
    )


def delete_permission(ctx: RequestContext, arn: str, *, principal: str, source_account: str | None) -> None:
    ca = ctx.find_ca(arn)
    _refuse_deleted(ctx, ca)
    account = source_account or ca.account
    if ca.permissions.pop((principal, account), None) is None:
        raise ResourceNotFoundException(
            f"Could not find a permission for principal {principal} and source account {account} on certificate "
            f"authority {arn}."
        )


def _permission_policy(ca: CertificateAuthority, permission: Permission) -> str:
    """The policy document a permission amounts to (ListPermissions' Policy member)."""
    document = {
        "Version": POLICY_VERSION,
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": permission.principal},
                "Action": [f"acm-pca:{action}" for action in permission.actions],
                "Resource": ca.arn,
                "Condition": {"StringEquals": {"aws:SourceAccount": permission.source_account}},
            }
        ],
    }
    return json.dumps(document, separators=(",", ":"))


def list_permissions(
    ctx: RequestContext, arn: str, *, max_results: int | None, next_token: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    ca = ctx.find_ca(arn)
    _refuse_deleted(ctx, ca)
    page, token = paginate(list(ca.permissions.values()), max_results, next_token, PERMISSIONS_PAGE_CAP)
    items = [
        {
            "CertificateAuthorityArn": ca.arn,
            "CreatedAt": permission.created_at,
            "Principal": permission.principal,
            "SourceAccount": permission.source_account,
            "Actions": list(permission.actions),
            "Policy": _permission_policy(ca, permission),
        }
        for permission in page
    ]
    return items, token
