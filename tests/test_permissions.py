"""CreatePermission, DeletePermission, ListPermissions (reference §1.2, §9, §12).

Permissions grant the ACM service principal actions on a CA of the same
account; cross-account use of ListPermissions is in test_cross_account.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import time_machine
from botocore.exceptions import ClientError

from tests.helpers import assert_client_error, create_active_root, create_ca, enum_set

NOW = datetime(2030, 3, 4, 5, 6, 7, tzinfo=timezone.utc)
ACCOUNT = "123456789012"
ACM = "acm.amazonaws.com"
ALL_ACTIONS = ["IssueCertificate", "GetCertificate", "ListPermissions"]
DELETED = "The certificate authority is in the DELETED state"
UNKNOWN_CA = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/00000000-0000-4000-8000-000000000000"


@pytest.fixture
def clock(pca: Any) -> Iterator[Any]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def permissions_of(client: Any, arn: str, **kwargs: Any) -> list[dict[str, Any]]:
    pages = client.get_paginator("list_permissions").paginate(CertificateAuthorityArn=arn, **kwargs)
    return [permission for page in pages for permission in page["Permissions"]]


def grant(client: Any, arn: str, actions: list[str] | None = None, **kwargs: Any) -> None:
    client.create_permission(CertificateAuthorityArn=arn, Principal=ACM, Actions=actions or ALL_ACTIONS, **kwargs)


def ca_in_state(client: Any, clock: Any, state: str) -> str:
    if state == "PENDING_CERTIFICATE":
        return create_ca(client)
    arn = create_active_root(client, years=1)
    if state == "DISABLED":
        client.update_certificate_authority(CertificateAuthorityArn=arn, Status="DISABLED")
    elif state == "EXPIRED":
        clock.shift(timedelta(days=400))
    elif state == "DELETED":
        client.update_certificate_authority(CertificateAuthorityArn=arn, Status="DISABLED")
        client.delete_certificate_authority(CertificateAuthorityArn=arn)
    status = client.describe_certificate_authority(CertificateAuthorityArn=arn)["CertificateAuthority"]["Status"]
    assert status == state
    return arn


def not_found_message(arn: str, principal: str, source_account: str | None) -> str:
    return (
        f"Could not find a permission for principal {principal} and source account {source_account or ACCOUNT} "
        f"on certificate authority {arn}."
    )


# --- CreatePermission / ListPermissions ------------------------------------------------------------


def test_created_permission_is_listed_with_the_owner_as_source_account(client, clock):
    arn = create_active_root(client)

    grant(client, arn)

    (permission,) = client.list_permissions(CertificateAuthorityArn=arn)["Permissions"]
    policy = json.loads(permission.pop("Policy"))
    assert permission == {
        "CertificateAuthorityArn": arn,
        "CreatedAt": NOW,
        "Principal": ACM,
        "SourceAccount": ACCOUNT,
        "Actions": ALL_ACTIONS,
    }
    assert policy == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": ACM},
                "Action": [f"acm-pca:{action}" for action in ALL_ACTIONS],
                "Resource": arn,
                "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
            }
        ],
    }


def test_created_permission_keeps_the_given_source_account_and_actions(client, clock):
    arn = create_active_root(client)

    grant(client, arn, ["GetCertificate", "IssueCertificate"], SourceAccount="444455556666")

    (permission,) = permissions_of(client, arn)
    assert (permission["SourceAccount"], permission["Actions"]) == (
        "444455556666",
        ["GetCertificate", "IssueCertificate"],
    )


def test_repeated_actions_are_recorded_once(client):
    arn = create_active_root(client)

    grant(client, arn, ["GetCertificate", "GetCertificate", "ListPermissions"])

    assert permissions_of(client, arn)[0]["Actions"] == ["GetCertificate", "ListPermissions"]


def test_new_ca_has_no_permissions(client):
    arn = create_ca(client)

    response = client.list_permissions(CertificateAuthorityArn=arn)

    assert response["Permissions"] == []
    assert "NextToken" not in response


@pytest.mark.parametrize("state", ["PENDING_CERTIFICATE", "ACTIVE", "DISABLED", "EXPIRED"])
def test_permissions_can_be_granted_listed_and_revoked_in_every_state_but_deleted(client, clock, state):
    arn = ca_in_state(client, clock, state)

    grant(client, arn)
    assert [p["Principal"] for p in permissions_of(client, arn)] == [ACM]
    client.delete_permission(CertificateAuthorityArn=arn, Principal=ACM)
    assert permissions_of(client, arn) == []


def test_permission_for_the_same_principal_and_account_twice_raises_already_exists(client, clock):
    arn = create_active_root(client)
    grant(client, arn, ["GetCertificate"])
    before = permissions_of(client, arn)

    # An omitted SourceAccount is the CA's own account, so this names the same grant.
    with pytest.raises(ClientError) as excinfo:
        grant(client, arn, ["IssueCertificate"], SourceAccount=ACCOUNT)

    assert_client_error(
        excinfo,
        "PermissionAlreadyExistsException",
        f"The certificate authority {arn} already grants a permission to {ACM} for source account {ACCOUNT}.",
    )
    assert permissions_of(client, arn) == before


def test_permissions_for_different_source_accounts_are_separate(client, clock):
    arn = create_active_root(client)

    grant(client, arn, ["GetCertificate"])
    grant(client, arn, ["IssueCertificate"], SourceAccount="444455556666")

    assert [(p["SourceAccount"], p["Actions"]) for p in permissions_of(client, arn)] == [
        (ACCOUNT, ["GetCertificate"]),
        ("444455556666", ["IssueCertificate"]),
    ]


@pytest.mark.parametrize("principal", ["acm.amazonaws.com.cn", "s3.amazonaws.com", "arn:aws:iam::123456789012:root"])
def test_principal_other_than_acm_raises_validation_error(client, principal):
    arn = create_active_root(client)

    with pytest.raises(ClientError) as excinfo:
        client.create_permission(CertificateAuthorityArn=arn, Principal=principal, Actions=ALL_ACTIONS)

    assert_client_error(
        excinfo,
        "ValidationException",
        f"The principal {principal} is not valid; the only valid principal is acm.amazonaws.com.",
    )
    assert permissions_of(client, arn) == []


def test_action_outside_the_model_raises_validation_error(client):
    arn = create_active_root(client)

    with pytest.raises(ClientError) as excinfo:
        grant(client, arn, ["IssueCertificate", "RevokeCertificate"])

    assert_client_error(
        excinfo,
        "ValidationException",
        "1 validation error detected: Value 'RevokeCertificate' at 'actions.2.member' failed to satisfy "
        f"constraint: Member must satisfy enum value set: {enum_set('ActionType')}",
    )
    assert permissions_of(client, arn) == []


def test_create_permission_on_deleted_ca_raises_invalid_state(client, clock):
    arn = ca_in_state(client, clock, "DELETED")

    with pytest.raises(ClientError) as excinfo:
        grant(client, arn)

    assert_client_error(excinfo, "InvalidStateException", DELETED)
    client.restore_certificate_authority(CertificateAuthorityArn=arn)
    assert permissions_of(client, arn) == []


def test_list_permissions_on_deleted_ca_raises_invalid_state_and_restore_brings_them_back(client, clock):
    arn = create_active_root(client)
    grant(client, arn)
    before = permissions_of(client, arn)
    client.update_certificate_authority(CertificateAuthorityArn=arn, Status="DISABLED")
    client.delete_certificate_authority(CertificateAuthorityArn=arn)

    with pytest.raises(ClientError) as excinfo:
        client.list_permissions(CertificateAuthorityArn=arn)

    # The message Terraform matches to treat a deleted CA's permissions as gone.
    assert_client_error(excinfo, "InvalidStateException", DELETED)
    client.restore_certificate_authority(CertificateAuthorityArn=arn)
    assert permissions_of(client, arn) == before


# --- DeletePermission ---------------------------------------------------------------------------


def test_delete_permission_with_source_account_removes_only_that_grant(client, clock):
    arn = create_active_root(client)
    grant(client, arn, ["GetCertificate"])
    grant(client, arn, ["IssueCertificate"], SourceAccount="444455556666")

    client.delete_permission(CertificateAuthorityArn=arn, Principal=ACM, SourceAccount="444455556666")

    assert [p["SourceAccount"] for p in permissions_of(client, arn)] == [ACCOUNT]


@pytest.mark.parametrize(
    ("granted", "principal", "source_account"),
    [
        pytest.param(False, ACM, None, id="nothing-granted"),
        pytest.param(True, ACM, "444455556666", id="other-source-account"),
        pytest.param(True, "s3.amazonaws.com", None, id="other-principal"),
    ],
)
def test_delete_missing_permission_raises_resource_not_found(client, granted, principal, source_account):
    arn = create_active_root(client)
    if granted:
        grant(client, arn, ["GetCertificate"])
    before = permissions_of(client, arn)
    kwargs = {} if source_account is None else {"SourceAccount": source_account}

    with pytest.raises(ClientError) as excinfo:
        client.delete_permission(CertificateAuthorityArn=arn, Principal=principal, **kwargs)

    assert_client_error(excinfo, "ResourceNotFoundException", not_found_message(arn, principal, source_account))
    assert permissions_of(client, arn) == before


def test_delete_permission_on_deleted_ca_raises_invalid_state(client, clock):
    arn = create_active_root(client)
    grant(client, arn)
    client.update_certificate_authority(CertificateAuthorityArn=arn, Status="DISABLED")
    client.delete_certificate_authority(CertificateAuthorityArn=arn)

    with pytest.raises(ClientError) as excinfo:
        client.delete_permission(CertificateAuthorityArn=arn, Principal=ACM)

    assert_client_error(excinfo, "InvalidStateException", DELETED)
    client.restore_certificate_authority(CertificateAuthorityArn=arn)
    assert len(permissions_of(client, arn)) == 1


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        pytest.param("create_permission", {"Principal": ACM, "Actions": ALL_ACTIONS}, id="create"),
        pytest.param("delete_permission", {"Principal": ACM}, id="delete"),
        pytest.param("list_permissions", {}, id="list"),
    ],
)
def test_permission_operations_on_unknown_ca_raise_resource_not_found(client, operation, params):
    with pytest.raises(ClientError) as excinfo:
        getattr(client, operation)(CertificateAuthorityArn=UNKNOWN_CA, **params)

    assert_client_error(
        excinfo, "ResourceNotFoundException", f"Could not find certificate authority with arn {UNKNOWN_CA}."
    )


# --- pagination ------------------------------------------------------------------------------------


SOURCE_ACCOUNTS = [f"{n:012d}" for n in range(100000000001, 100000000006)]


def test_list_permissions_pages_in_creation_order(client, clock):
    arn = create_active_root(client)
    for index, account in enumerate(SOURCE_ACCOUNTS):
        clock.move_to(NOW + timedelta(seconds=index))
        grant(client, arn, ["GetCertificate"], SourceAccount=account)

    first = client.list_permissions(CertificateAuthorityArn=arn, MaxResults=2)
    second = client.list_permissions(CertificateAuthorityArn=arn, MaxResults=2, NextToken=first["NextToken"])
    third = client.list_permissions(CertificateAuthorityArn=arn, MaxResults=2, NextToken=second["NextToken"])

    pages = [first, second, third]
    assert [[p["SourceAccount"] for p in page["Permissions"]] for page in pages] == [
        SOURCE_ACCOUNTS[0:2],
        SOURCE_ACCOUNTS[2:4],
        SOURCE_ACCOUNTS[4:5],
    ]
    assert "NextToken" not in third
    assert [p["CreatedAt"] for page in pages for p in page["Permissions"]] == [
        NOW + timedelta(seconds=index) for index in range(5)
    ]


def test_list_permissions_paginator_returns_every_permission(client):
    arn = create_active_root(client)
    for account in SOURCE_ACCOUNTS:
        grant(client, arn, ["GetCertificate"], SourceAccount=account)

    pages = list(
        client.get_paginator("list_permissions").paginate(CertificateAuthorityArn=arn, PaginationConfig={"PageSize": 2})
    )

    assert [len(page["Permissions"]) for page in pages] == [2, 2, 1]
    assert [p["SourceAccount"] for page in pages for p in page["Permissions"]] == SOURCE_ACCOUNTS


def test_list_permissions_with_a_token_it_did_not_issue_raises_invalid_next_token(client):
    arn = create_active_root(client)
    grant(client, arn)

    with pytest.raises(ClientError) as excinfo:
        client.list_permissions(CertificateAuthorityArn=arn, NextToken="not-a-token")

    assert_client_error(excinfo, "InvalidNextTokenException", "The token is not valid.")


def test_invalid_principal_is_reported_before_an_unknown_ca(client):
    with pytest.raises(ClientError) as excinfo:
        client.create_permission(CertificateAuthorityArn=UNKNOWN_CA, Principal="s3.amazonaws.com", Actions=ALL_ACTIONS)

    assert_client_error(
        excinfo,
        "ValidationException",
        "The principal s3.amazonaws.com is not valid; the only valid principal is acm.amazonaws.com.",
    )
