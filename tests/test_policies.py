"""PutPolicy, GetPolicy, DeletePolicy: which policies AWS accepts (reference §1.2, §9).

What an accepted policy lets another account do is in test_cross_account.py.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from botocore.exceptions import ClientError

from pca_mock.errors import UnsupportedByMockError
from tests.helpers import assert_client_error, create_active_root, create_ca
from tests.sharing import (
    CROSS_ACCOUNT_TEMPLATES,
    GRANTEE,
    THIRD,
    issue_statement,
    policy_json,
    read_statement,
    sharing_policy,
    template,
)

ACCOUNT = "123456789012"
DELETED = "The certificate authority is in the DELETED state"
UNKNOWN_CA = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/00000000-0000-4000-8000-000000000000"


def policy_of(client: Any, arn: str) -> str | None:
    try:
        policy: str = client.get_policy(ResourceArn=arn)["Policy"]
    except client.exceptions.ResourceNotFoundException:
        return None
    return policy


def no_policy(arn: str) -> str:
    return f"The certificate authority {arn} has no resource-based policy."


def delete_ca(client: Any, arn: str) -> None:
    client.update_certificate_authority(CertificateAuthorityArn=arn, Status="DISABLED")
    client.delete_certificate_authority(CertificateAuthorityArn=arn)


# --- Put / Get / Delete --------------------------------------------------------------------


def test_put_policy_is_returned_by_get_policy_exactly_as_given(client):
    arn = create_active_root(client)
    # Indentation and key order are kept: GetPolicy returns the document as put.
    text = json.dumps(json.loads(sharing_policy(arn, GRANTEE)), indent=3)

    client.put_policy(ResourceArn=arn, Policy=text)

    assert client.get_policy(ResourceArn=arn)["Policy"] == text


def test_put_policy_replaces_the_previous_policy(client):
    arn = create_active_root(client)
    client.put_policy(ResourceArn=arn, Policy=sharing_policy(arn, GRANTEE))

    client.put_policy(ResourceArn=arn, Policy=sharing_policy(arn, THIRD))

    assert client.get_policy(ResourceArn=arn)["Policy"] == sharing_policy(arn, THIRD)


def test_get_policy_without_a_policy_raises_resource_not_found(client):
    arn = create_active_root(client)

    with pytest.raises(ClientError) as excinfo:
        client.get_policy(ResourceArn=arn)

    assert_client_error(excinfo, "ResourceNotFoundException", no_policy(arn))


def test_delete_policy_removes_it(client):
    arn = create_active_root(client)
    client.put_policy(ResourceArn=arn, Policy=sharing_policy(arn, GRANTEE))

    client.delete_policy(ResourceArn=arn)

    with pytest.raises(ClientError) as excinfo:
        client.get_policy(ResourceArn=arn)
    assert_client_error(excinfo, "ResourceNotFoundException", no_policy(arn))


def test_delete_policy_without_a_policy_succeeds(client):
    arn = create_active_root(client)

    client.delete_policy(ResourceArn=arn)

    assert policy_of(client, arn) is None


def test_policy_can_be_put_on_a_pending_ca(client):
    arn = create_ca(client)

    client.put_policy(ResourceArn=arn, Policy=sharing_policy(arn, GRANTEE))

    assert policy_of(client, arn) == sharing_policy(arn, GRANTEE)


@pytest.mark.parametrize("state", ["DISABLED", "EXPIRED"])
def test_policy_can_be_put_and_deleted_on_disabled_and_expired_cas(client, state):
    arn = create_active_root(client, years=1)
    not_after = client.describe_certificate_authority(CertificateAuthorityArn=arn)["CertificateAuthority"]["NotAfter"]
    if state == "DISABLED":
        client.update_certificate_authority(CertificateAuthorityArn=arn, Status="DISABLED")
    later = not_after + timedelta(days=1) if state == "EXPIRED" else not_after - timedelta(days=1)

    with time_machine.travel(later, tick=False):
        status = client.describe_certificate_authority(CertificateAuthorityArn=arn)["CertificateAuthority"]["Status"]
        assert status == state
        client.put_policy(ResourceArn=arn, Policy=sharing_policy(arn, GRANTEE))
        assert policy_of(client, arn) == sharing_policy(arn, GRANTEE)
        client.delete_policy(ResourceArn=arn)
        assert policy_of(client, arn) is None


@pytest.mark.parametrize("operation", ["put_policy", "delete_policy"])
def test_changing_the_policy_of_a_deleted_ca_raises_invalid_state(client, operation):
    arn = create_active_root(client)
    client.put_policy(ResourceArn=arn, Policy=sharing_policy(arn, GRANTEE))
    delete_ca(client, arn)
    params = {"Policy": sharing_policy(arn, THIRD)} if operation == "put_policy" else {}

    with pytest.raises(ClientError) as excinfo:
        getattr(client, operation)(ResourceArn=arn, **params)

    assert_client_error(excinfo, "InvalidStateException", DELETED)
    assert policy_of(client, arn) == sharing_policy(arn, GRANTEE)


def test_get_policy_works_on_a_deleted_ca_and_the_policy_survives_restore(client):
    arn = create_active_root(client)
    client.put_policy(ResourceArn=arn, Policy=sharing_policy(arn, GRANTEE))
    delete_ca(client, arn)

    assert client.get_policy(ResourceArn=arn)["Policy"] == sharing_policy(arn, GRANTEE)
    client.restore_certificate_authority(CertificateAuthorityArn=arn)
    assert client.get_policy(ResourceArn=arn)["Policy"] == sharing_policy(arn, GRANTEE)


def test_get_policy_of_a_deleted_ca_without_a_policy_raises_resource_not_found(client):
    # Terraform's destroy check reads the policy of a CA it has just deleted.
    arn = create_ca(client)
    client.delete_certificate_authority(CertificateAuthorityArn=arn)

    with pytest.raises(ClientError) as excinfo:
        client.get_policy(ResourceArn=arn)

    assert_client_error(excinfo, "ResourceNotFoundException", no_policy(arn))


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        pytest.param("put_policy", {"Policy": "{}"}, id="put"),
        pytest.param("get_policy", {}, id="get"),
        pytest.param("delete_policy", {}, id="delete"),
    ],
)
def test_policy_operations_on_unknown_ca_raise_resource_not_found(client, operation, params):
    with pytest.raises(ClientError) as excinfo:
        getattr(client, operation)(ResourceArn=UNKNOWN_CA, **params)

    assert_client_error(
        excinfo, "ResourceNotFoundException", f"Could not find certificate authority with arn {UNKNOWN_CA}."
    )


def test_policy_for_a_certificate_arn_raises_invalid_arn(client):
    arn = create_active_root(client)

    with pytest.raises(ClientError) as excinfo:
        client.put_policy(ResourceArn=f"{arn}/certificate/{'0' * 32}", Policy=sharing_policy(arn, GRANTEE))

    assert_client_error(excinfo, "InvalidArnException", "Not a valid arn.")


# --- accepted shapes -------------------------------------------------------------------------------


ROOT_ARN = f"arn:aws:iam::{GRANTEE}:root"

# (id, builder of the policy text from the CA ARN)
ACCEPTED: list[tuple[str, Any]] = [
    ("aws-example", lambda arn: sharing_policy(arn, GRANTEE)),
    # Terraform's example: the owner's own account, two statements with the same Sid.
    (
        "terraform-example",
        lambda arn: policy_json(
            {**read_statement(arn, ACCOUNT), "Sid": "1"}, {**issue_statement(arn, ACCOUNT), "Sid": "1"}
        ),
    ),
    ("several-accounts", lambda arn: sharing_policy(arn, GRANTEE, THIRD)),
    ("root-arn", lambda arn: policy_json({**read_statement(arn, GRANTEE), "Principal": {"AWS": ROOT_ARN}})),
    (
        "single-statement-object",
        lambda arn: json.dumps({"Version": "2012-10-17", "Id": "share", "Statement": read_statement(arn, GRANTEE)}),
    ),
    ("all-templates", lambda arn: policy_json(issue_statement(arn, GRANTEE, templates=CROSS_ACCOUNT_TEMPLATES))),
    ("revoke", lambda arn: policy_json({**read_statement(arn, GRANTEE), "Action": ["acm-pca:RevokeCertificate"]})),
    (
        "action-case-insensitive",
        lambda arn: policy_json({**read_statement(arn, GRANTEE), "Action": "ACM-PCA:describecertificateauthority"}),
    ),
    ("resource-list", lambda arn: policy_json({**read_statement(arn, GRANTEE), "Resource": [arn]})),
    (
        "deny-another-account",
        lambda arn: policy_json(read_statement(arn, GRANTEE), {**read_statement(arn, THIRD), "Effect": "Deny"}),
    ),
    (
        "deny-a-template",
        lambda arn: policy_json(
            issue_statement(arn, GRANTEE, templates=CROSS_ACCOUNT_TEMPLATES),
            {**issue_statement(arn, GRANTEE), "Effect": "Deny"},
        ),
    ),
]


@pytest.mark.parametrize("build", [pytest.param(build, id=name) for name, build in ACCEPTED])
def test_policies_of_the_prescribed_shapes_are_accepted(client, build):
    arn = create_active_root(client)
    policy = build(arn)

    client.put_policy(ResourceArn=arn, Policy=policy)

    assert client.get_policy(ResourceArn=arn)["Policy"] == policy


# --- refused policies --------------------------------------------------------------------------------


def _statement(arn: str, **changes: Any) -> dict[str, Any]:
    statement = read_statement(arn, GRANTEE)
    statement.update(changes)
    return {key: value for key, value in statement.items() if value is not None}


OTHER_CA = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-4333-8444-555555555555"

# (id, builder of the policy text from the CA ARN, message with {arn} for the CA ARN)
INVALID: list[tuple[str, Any, str]] = [
    ("not-json", lambda arn: "{not json", "The policy is not valid JSON."),
    ("json-array", lambda arn: "[]", "The policy must be a JSON object."),
    (
        "no-version",
        lambda arn: json.dumps({"Statement": [read_statement(arn, GRANTEE)]}),
        'The policy must have "Version": "2012-10-17".',
    ),
    (
        "old-version",
        lambda arn: json.dumps({"Version": "2008-10-17", "Statement": [read_statement(arn, GRANTEE)]}),
        'The policy must have "Version": "2012-10-17".',
    ),
    (
        "unknown-element",
        lambda arn: json.dumps({"Version": "2012-10-17", "Statement": [], "Extra": 1}),
        "The policy has the unsupported element Extra.",
    ),
    (
        "no-statement",
        lambda arn: json.dumps({"Version": "2012-10-17"}),
        "The policy must have at least one statement.",
    ),
    (
        "empty-statement-list",
        lambda arn: json.dumps({"Version": "2012-10-17", "Statement": []}),
        "The policy must have at least one statement.",
    ),
    (
        "statement-not-object",
        lambda arn: json.dumps({"Version": "2012-10-17", "Statement": ["Allow"]}),
        "Statement 1 must be a JSON object.",
    ),
    (
        "not-action",
        lambda arn: policy_json(_statement(arn, Action=None, NotAction="acm-pca:ListTags")),
        "Statement 1 has the unsupported element NotAction.",
    ),
    ("no-effect", lambda arn: policy_json(_statement(arn, Effect=None)), "Statement 1 is missing Effect."),
    ("no-principal", lambda arn: policy_json(_statement(arn, Principal=None)), "Statement 1 is missing Principal."),
    ("no-resource", lambda arn: policy_json(_statement(arn, Resource=None)), "Statement 1 is missing Resource."),
    ("sid-not-string", lambda arn: policy_json(_statement(arn, Sid=1)), "Statement 1: Sid must be a string."),
    (
        "bad-effect",
        lambda arn: policy_json(_statement(arn, Effect="allow")),
        "Statement 1: Effect must be Allow or Deny.",
    ),
    (
        "principal-star",
        lambda arn: policy_json(_statement(arn, Principal="*")),
        'Statement 1: Principal must be {"AWS": ...} naming AWS accounts.',
    ),
    (
        "service-principal",
        lambda arn: policy_json(_statement(arn, Principal={"Service": "acm.amazonaws.com"})),
        'Statement 1: Principal must be {"AWS": ...} naming AWS accounts.',
    ),
    (
        "role-principal",
        lambda arn: policy_json(_statement(arn, Principal={"AWS": f"arn:aws:iam::{GRANTEE}:role/issuer"})),
        f"Statement 1: the principal arn:aws:iam::{GRANTEE}:role/issuer is not valid; name an AWS account by its "
        "12-digit ID or as arn:aws:iam::<account>:root.",
    ),
    (
        "short-account",
        lambda arn: policy_json(_statement(arn, Principal={"AWS": "22222222222"})),
        "Statement 1: the principal 22222222222 is not valid; name an AWS account by its 12-digit ID or as "
        "arn:aws:iam::<account>:root.",
    ),
    (
        "empty-principal-list",
        lambda arn: policy_json(_statement(arn, Principal={"AWS": []})),
        "Statement 1: Principal AWS must be a string or a non-empty list of strings.",
    ),
    (
        "wildcard-action",
        lambda arn: policy_json(_statement(arn, Action="acm-pca:*")),
        "Statement 1: the action acm-pca:* cannot be granted by a certificate authority policy.",
    ),
    (
        "owner-only-action",
        lambda arn: policy_json(_statement(arn, Action="acm-pca:UpdateCertificateAuthority")),
        "Statement 1: the action acm-pca:UpdateCertificateAuthority cannot be granted by a certificate authority "
        "policy.",
    ),
    (
        "other-service-action",
        lambda arn: policy_json(_statement(arn, Action=["acm-pca:ListTags", "s3:GetObject"])),
        "Statement 1: the action s3:GetObject cannot be granted by a certificate authority policy.",
    ),
    (
        "empty-actions",
        lambda arn: policy_json(_statement(arn, Action=[])),
        "Statement 1: Action must be a string or a non-empty list of strings.",
    ),
    (
        "resource-star",
        lambda arn: policy_json(_statement(arn, Resource="*")),
        "Statement 1: Resource must be the certificate authority's ARN {arn}, not *.",
    ),
    (
        "other-ca-resource",
        lambda arn: policy_json(_statement(arn, Resource=[arn, OTHER_CA])),
        "Statement 1: Resource must be the certificate authority's ARN {arn}, not " + OTHER_CA + ".",
    ),
    (
        "issue-without-condition",
        lambda arn: policy_json(read_statement(arn, GRANTEE), _statement(arn, Action="acm-pca:IssueCertificate")),
        "Statement 2: acm-pca:IssueCertificate must be limited by a StringEquals condition on acm-pca:TemplateArn.",
    ),
    (
        "condition-on-read-actions",
        lambda arn: policy_json(
            {**issue_statement(arn, GRANTEE), "Action": ["acm-pca:IssueCertificate", "acm-pca:ListTags"]}
        ),
        "Statement 1: a condition on acm-pca:TemplateArn applies to acm-pca:IssueCertificate only; grant other "
        "actions in a statement without a Condition.",
    ),
    (
        "string-like-condition",
        lambda arn: policy_json(
            {
                **issue_statement(arn, GRANTEE),
                "Condition": {"StringLike": {"acm-pca:TemplateArn": template("EndEntity*")}},
            }
        ),
        "Statement 1: the only supported Condition is StringEquals on acm-pca:TemplateArn.",
    ),
    (
        "other-condition-key",
        lambda arn: policy_json(
            {**issue_statement(arn, GRANTEE), "Condition": {"StringEquals": {"aws:SourceAccount": GRANTEE}}}
        ),
        "Statement 1: the only supported Condition is StringEquals on acm-pca:TemplateArn.",
    ),
    (
        "template-not-for-other-accounts",
        lambda arn: policy_json(issue_statement(arn, GRANTEE, templates=("CodeSigningCertificate",))),
        "Statement 1: the template arn:aws:acm-pca:::template/CodeSigningCertificate/V1 cannot be used by other "
        "accounts.",
    ),
    (
        "template-of-another-partition",
        lambda arn: policy_json(issue_statement(arn, GRANTEE, partition="aws-cn")),
        "Statement 1: the template arn:aws-cn:acm-pca:::template/EndEntityCertificate/V1 cannot be used by other "
        "accounts.",
    ),
]


@pytest.mark.parametrize(("build", "message"), [pytest.param(b, m, id=i) for i, b, m in INVALID])
def test_policy_outside_the_prescribed_shapes_raises_invalid_policy_and_keeps_the_old_one(client, build, message):
    arn = create_active_root(client)
    client.put_policy(ResourceArn=arn, Policy=sharing_policy(arn, GRANTEE))

    with pytest.raises(ClientError) as excinfo:
        client.put_policy(ResourceArn=arn, Policy=build(arn))

    assert_client_error(excinfo, "InvalidPolicyException", message.replace("{arn}", arn))
    assert client.get_policy(ResourceArn=arn)["Policy"] == sharing_policy(arn, GRANTEE)


@pytest.mark.parametrize(
    "principal",
    [pytest.param(ACCOUNT, id="account-id"), pytest.param(f"arn:aws:iam::{ACCOUNT}:root", id="root-arn")],
)
def test_policy_denying_the_owner_raises_lockout_prevented(client, principal):
    arn = create_active_root(client)
    deny = {**read_statement(arn, GRANTEE), "Effect": "Deny", "Principal": {"AWS": [GRANTEE, principal]}}

    with pytest.raises(ClientError) as excinfo:
        client.put_policy(ResourceArn=arn, Policy=policy_json(read_statement(arn, GRANTEE), deny))

    assert_client_error(
        excinfo,
        "LockoutPreventedException",
        f"Statement 2 denies the certificate authority's owner account {ACCOUNT}; the policy would lock the owner "
        "out of its own certificate authority.",
    )
    assert policy_of(client, arn) is None


def test_invalid_statement_is_reported_before_a_lockout(client):
    arn = create_active_root(client)
    deny = {**read_statement(arn, ACCOUNT), "Effect": "Deny"}

    with pytest.raises(ClientError) as excinfo:
        client.put_policy(ResourceArn=arn, Policy=policy_json(deny, _statement(arn, Resource="*")))

    assert excinfo.value.response["Error"]["Code"] == "InvalidPolicyException"


@pytest.mark.parametrize("key", ["aws:PrincipalOrgID", "aws:PrincipalOrgPaths"])
def test_policy_sharing_with_an_organization_raises_unsupported_by_mock(client, key):
    arn = create_active_root(client)
    statement = {**read_statement(arn, GRANTEE), "Principal": "*", "Condition": {"StringEquals": {key: "o-a1b2c3d4z5"}}}

    with pytest.raises(UnsupportedByMockError) as excinfo:
        client.put_policy(ResourceArn=arn, Policy=policy_json(statement))

    assert excinfo.value.args == (
        "pca_mock does not model AWS Organizations, so it cannot evaluate a policy that shares a certificate "
        "authority through aws:PrincipalOrgID or aws:PrincipalOrgPaths. Name the accounts in "
        '"Principal": {"AWS": [...]} instead.',
    )
    assert policy_of(client, arn) is None
