"""Cross-account access to a CA through its resource-based policy (reference §3.1, §9).

Two accounts in one region: OWNER creates CAs, GRANTEE calls them. Without a
policy every call is denied; with AWS's prescribed sharing policy the grantee
may describe, list, read the CA certificate, issue with the cross-account
templates, read certificates, tags and permissions, and nothing else.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import boto3
import pytest
import time_machine
from botocore.exceptions import ClientError

from pca_mock import mock_acmpca
from tests.helpers import (
    assert_client_error,
    backend_ca,
    create_active_root,
    create_ca,
    issue,
    load_certificate,
    load_chain,
    make_csr,
)
from tests.sharing import (
    CROSS_ACCOUNT_TEMPLATES,
    GRANTEE,
    OWNER,
    THIRD,
    account_client,
    denied,
    issue_statement,
    policy_json,
    read_statement,
    sharing_policy,
    template,
)

EC = "SHA256WITHECDSA"
VALIDITY = {"Type": "DAYS", "Value": 30}


@pytest.fixture
def owner(pca: Any) -> Any:
    return account_client(OWNER)


@pytest.fixture
def grantee(pca: Any) -> Any:
    return account_client(GRANTEE)


@pytest.fixture
def shared(owner: Any) -> str:
    """An active root CA of OWNER, shared with GRANTEE by AWS's example policy."""
    arn = create_active_root(owner, Tags=[{"Key": "team", "Value": "pki"}])
    owner.put_policy(ResourceArn=arn, Policy=sharing_policy(arn, GRANTEE))
    return arn


def describe(client: Any, arn: str) -> dict[str, Any]:
    ca: dict[str, Any] = client.describe_certificate_authority(CertificateAuthorityArn=arn)["CertificateAuthority"]
    return ca


def listed(client: Any, owner: str = "SELF") -> list[dict[str, Any]]:
    pages = client.get_paginator("list_certificate_authorities").paginate(ResourceOwner=owner)
    return [ca for page in pages for ca in page["CertificateAuthorities"]]


def issue_certificate(client: Any, arn: str, **kwargs: Any) -> str:
    cert_arn: str = client.issue_certificate(
        CertificateAuthorityArn=arn, Csr=make_csr(), SigningAlgorithm=EC, Validity=VALIDITY, **kwargs
    )["CertificateArn"]
    return cert_arn


def owner_view(client: Any, arn: str) -> dict[str, Any]:
    """Everything the owner can read about a CA, to show a refused call changed nothing."""
    view = {
        "ca": describe(client, arn),
        "tags": client.list_tags(CertificateAuthorityArn=arn)["Tags"],
        "certificates": sorted(backend_ca(arn).certificates),
    }
    try:
        view["policy"] = client.get_policy(ResourceArn=arn)["Policy"]
    except client.exceptions.ResourceNotFoundException:
        view["policy"] = None
    if view["ca"]["Status"] != "DELETED":
        view["permissions"] = client.list_permissions(CertificateAuthorityArn=arn)["Permissions"]
    return view


# Every operation on an existing CA, with the parameters it needs besides the CA ARN.
def _requests(arn: str, cert_arn: str) -> dict[str, dict[str, Any]]:
    ca = {"CertificateAuthorityArn": arn}
    resource = {"ResourceArn": arn}
    return {
        "DescribeCertificateAuthority": ca,
        "GetCertificateAuthorityCertificate": ca,
        "GetCertificateAuthorityCsr": ca,
        "IssueCertificate": {**ca, "Csr": make_csr(), "SigningAlgorithm": EC, "Validity": VALIDITY},
        "GetCertificate": {**ca, "CertificateArn": cert_arn},
        "RevokeCertificate": {
            **ca,
            "CertificateSerial": cert_arn.rsplit("/", 1)[1],
            "RevocationReason": "KEY_COMPROMISE",
        },
        "ListTags": ca,
        "ListPermissions": ca,
        "UpdateCertificateAuthority": {**ca, "Status": "DISABLED"},
        "DeleteCertificateAuthority": ca,
        "RestoreCertificateAuthority": ca,
        "ImportCertificateAuthorityCertificate": {**ca, "Certificate": b"not a certificate"},
        "TagCertificateAuthority": {**ca, "Tags": [{"Key": "stolen", "Value": "yes"}]},
        "UntagCertificateAuthority": {**ca, "Tags": [{"Key": "team"}]},
        "CreatePermission": {**ca, "Principal": "acm.amazonaws.com", "Actions": ["IssueCertificate"]},
        "DeletePermission": {**ca, "Principal": "acm.amazonaws.com"},
        "PutPolicy": {**resource, "Policy": sharing_policy(arn, GRANTEE)},
        "GetPolicy": resource,
        "DeletePolicy": resource,
        "CreateCertificateAuthorityAuditReport": {
            **ca,
            "S3BucketName": "audit-bucket",
            "AuditReportResponseFormat": "JSON",
        },
        "DescribeCertificateAuthorityAuditReport": {**ca, "AuditReportId": "11111111-2222-4333-8444-555555555555"},
    }


def call(client: Any, operation: str, params: dict[str, Any]) -> Any:
    method = "".join(f"_{c.lower()}" if c.isupper() else c for c in operation).lstrip("_")
    return getattr(client, method)(**params)


ALL_OPERATIONS = sorted(_requests("arn", "arn/certificate/0"))
SHARED_OPERATIONS = [
    "DescribeCertificateAuthority",
    "GetCertificateAuthorityCertificate",
    "IssueCertificate",
    "GetCertificate",
    "ListTags",
    "ListPermissions",
]
OWNER_ONLY_OPERATIONS = [op for op in ALL_OPERATIONS if op not in SHARED_OPERATIONS]


# --- without a grant -------------------------------------------------------------------------


@pytest.mark.parametrize("operation", ALL_OPERATIONS)
def test_without_a_policy_every_operation_of_another_account_is_denied(owner, grantee, operation):
    arn = create_active_root(owner, Tags=[{"Key": "team", "Value": "pki"}])
    cert_arn = issue_certificate(owner, arn)
    before = owner_view(owner, arn)

    with pytest.raises(ClientError) as excinfo:
        call(grantee, operation, _requests(arn, cert_arn)[operation])

    assert_client_error(excinfo, "AccessDeniedException", denied(GRANTEE, operation, arn))
    assert owner_view(owner, arn) == before


@pytest.mark.parametrize("operation", OWNER_ONLY_OPERATIONS)
def test_with_the_sharing_policy_owner_only_operations_are_still_denied(owner, grantee, shared, operation):
    cert_arn = issue_certificate(owner, shared)
    before = owner_view(owner, shared)

    with pytest.raises(ClientError) as excinfo:
        call(grantee, operation, _requests(shared, cert_arn)[operation])

    assert_client_error(excinfo, "AccessDeniedException", denied(GRANTEE, operation, shared))
    assert owner_view(owner, shared) == before


def test_owner_only_operations_are_denied_on_a_deleted_shared_ca_too(owner, grantee, shared):
    owner.update_certificate_authority(CertificateAuthorityArn=shared, Status="DISABLED")
    owner.delete_certificate_authority(CertificateAuthorityArn=shared)

    with pytest.raises(ClientError) as excinfo:
        grantee.restore_certificate_authority(CertificateAuthorityArn=shared)

    assert_client_error(excinfo, "AccessDeniedException", denied(GRANTEE, "RestoreCertificateAuthority", shared))
    assert describe(owner, shared)["Status"] == "DELETED"


def test_policy_for_a_third_account_grants_the_grantee_nothing(owner, grantee):
    arn = create_active_root(owner)
    owner.put_policy(ResourceArn=arn, Policy=sharing_policy(arn, THIRD))

    with pytest.raises(ClientError) as excinfo:
        describe(grantee, arn)

    assert_client_error(excinfo, "AccessDeniedException", denied(GRANTEE, "DescribeCertificateAuthority", arn))
    assert describe(account_client(THIRD), arn) == describe(owner, arn)


def test_unknown_ca_of_another_account_is_denied_not_reported_missing(grantee):
    arn = f"arn:aws:acm-pca:us-east-1:{OWNER}:certificate-authority/00000000-0000-4000-8000-000000000000"

    with pytest.raises(ClientError) as excinfo:
        describe(grantee, arn)

    assert_client_error(excinfo, "AccessDeniedException", denied(GRANTEE, "DescribeCertificateAuthority", arn))


def test_shared_ca_in_another_region_is_not_found(pca):
    owner = account_client(OWNER, "eu-west-1")
    arn = create_active_root(owner)
    owner.put_policy(ResourceArn=arn, Policy=sharing_policy(arn, GRANTEE))

    with pytest.raises(ClientError) as excinfo:
        describe(account_client(GRANTEE, "us-east-1"), arn)

    assert_client_error(excinfo, "ResourceNotFoundException", f"Could not find certificate authority with arn {arn}.")
    assert listed(account_client(GRANTEE, "us-east-1"), "OTHER_ACCOUNTS") == []
    assert [ca["Arn"] for ca in listed(account_client(GRANTEE, "eu-west-1"), "OTHER_ACCOUNTS")] == [arn]


# --- with the sharing policy -------------------------------------------------------------------


def test_grantee_sees_the_same_description_as_the_owner(owner, grantee, shared):
    assert describe(grantee, shared) == describe(owner, shared)


def test_grantee_lists_shared_cas_under_other_accounts_as_the_owner_lists_them(owner, grantee, shared):
    own = create_ca(grantee)

    assert listed(grantee, "OTHER_ACCOUNTS") == listed(owner, "SELF")
    assert [ca["Arn"] for ca in listed(grantee, "SELF")] == [own]
    assert listed(owner, "OTHER_ACCOUNTS") == []


def test_other_accounts_lists_only_cas_whose_policy_grants_the_caller(owner, grantee, shared):
    create_active_root(owner)  # not shared
    read_only = create_ca(owner)
    owner.put_policy(ResourceArn=read_only, Policy=policy_json(read_statement(read_only, GRANTEE)))
    for_third = create_ca(owner)
    owner.put_policy(ResourceArn=for_third, Policy=sharing_policy(for_third, THIRD))
    third_party = create_ca(account_client(THIRD))
    account_client(THIRD).put_policy(ResourceArn=third_party, Policy=sharing_policy(third_party, GRANTEE))

    assert [ca["Arn"] for ca in listed(grantee, "OTHER_ACCOUNTS")] == [shared, read_only, third_party]


def test_other_accounts_listing_pages(owner, grantee):
    arns = [create_ca(owner) for _ in range(3)]
    for arn in arns:
        owner.put_policy(ResourceArn=arn, Policy=sharing_policy(arn, GRANTEE))

    first = grantee.list_certificate_authorities(ResourceOwner="OTHER_ACCOUNTS", MaxResults=2)
    second = grantee.list_certificate_authorities(
        ResourceOwner="OTHER_ACCOUNTS", MaxResults=2, NextToken=first["NextToken"]
    )

    assert [ca["Arn"] for ca in first["CertificateAuthorities"] + second["CertificateAuthorities"]] == arns
    assert "NextToken" not in second


def test_grantee_reads_the_ca_certificate_tags_and_permissions_as_the_owner_does(owner, grantee, shared):
    owner.create_permission(
        CertificateAuthorityArn=shared, Principal="acm.amazonaws.com", Actions=["IssueCertificate", "GetCertificate"]
    )

    for operation in ("GetCertificateAuthorityCertificate", "ListTags", "ListPermissions"):
        mine, theirs = (call(client, operation, {"CertificateAuthorityArn": shared}) for client in (owner, grantee))
        mine.pop("ResponseMetadata")
        theirs.pop("ResponseMetadata")
        assert theirs == mine, operation


def test_list_permissions_paginator_works_for_the_grantee(owner, grantee, shared):
    for account in ("444400000001", "444400000002", "444400000003"):
        owner.create_permission(
            CertificateAuthorityArn=shared,
            Principal="acm.amazonaws.com",
            Actions=["GetCertificate"],
            SourceAccount=account,
        )

    pages = grantee.get_paginator("list_permissions").paginate(
        CertificateAuthorityArn=shared, PaginationConfig={"PageSize": 2}
    )

    assert [p["SourceAccount"] for page in pages for p in page["Permissions"]] == [
        "444400000001",
        "444400000002",
        "444400000003",
    ]


def test_grantee_issues_with_the_default_template_and_both_read_the_certificate(owner, grantee, shared):
    issued = issue(grantee, shared, make_csr("grantee.example.com"))

    certificate = load_certificate(issued["Certificate"])
    assert (
        certificate.issuer
        == load_certificate(
            owner.get_certificate_authority_certificate(CertificateAuthorityArn=shared)["Certificate"]
        ).subject
    )
    mine = owner.get_certificate(CertificateAuthorityArn=shared, CertificateArn=issued["CertificateArn"])
    assert mine["Certificate"] == issued["Certificate"]
    assert backend_ca(shared).certificates[certificate.serial_number].template_arn == template("EndEntityCertificate")


def test_owner_audit_report_names_the_account_that_requested_each_certificate(pca, owner, grantee, shared):
    own = issue(owner, shared, make_csr("owner.example.com"))
    theirs = issue(grantee, shared, make_csr("grantee.example.com"))

    report = owner.create_certificate_authority_audit_report(
        CertificateAuthorityArn=shared, S3BucketName="audit-bucket", AuditReportResponseFormat="JSON"
    )

    rows = json.loads(pca.objects.get("audit-bucket", report["S3Key"]))
    requested = {row["certificateArn"]: row["awsAccountId"] for row in rows}
    assert (requested[own["CertificateArn"]], requested[theirs["CertificateArn"]]) == (OWNER, GRANTEE)


@pytest.mark.parametrize("name", [n for n in CROSS_ACCOUNT_TEMPLATES if n != "SubordinateCACertificate_PathLen0"])
def test_grantee_issues_with_each_end_entity_template_the_policy_admits(owner, grantee, name):
    arn = create_active_root(owner)
    owner.put_policy(ResourceArn=arn, Policy=sharing_policy(arn, GRANTEE, templates=CROSS_ACCOUNT_TEMPLATES))

    issued = issue(grantee, arn, make_csr(), template=template(name))

    ca_certificate = owner.get_certificate_authority_certificate(CertificateAuthorityArn=arn)["Certificate"]
    assert load_certificate(issued["Certificate"]).issuer == load_certificate(ca_certificate).subject
    serial = int(issued["CertificateArn"].rsplit("/", 1)[1], 16)
    assert backend_ca(arn).certificates[serial].template_arn == template(name)


def test_grantee_builds_its_own_subordinate_ca_under_a_shared_root(owner, grantee):
    root = create_active_root(owner)
    owner.put_policy(
        ResourceArn=root, Policy=sharing_policy(root, GRANTEE, templates=("SubordinateCACertificate_PathLen0",))
    )
    subordinate = create_ca(grantee, "SUBORDINATE")
    csr = grantee.get_certificate_authority_csr(CertificateAuthorityArn=subordinate)["Csr"]

    signed = issue(
        grantee,
        root,
        csr,
        template=template("SubordinateCACertificate_PathLen0"),
        validity={"Type": "YEARS", "Value": 2},
    )
    grantee.import_certificate_authority_certificate(
        CertificateAuthorityArn=subordinate,
        Certificate=signed["Certificate"],
        CertificateChain=signed["CertificateChain"],
    )

    assert describe(grantee, subordinate)["Status"] == "ACTIVE"
    leaf = issue(grantee, subordinate, make_csr())
    assert load_chain(leaf["CertificateChain"])[-1] == load_certificate(
        owner.get_certificate_authority_certificate(CertificateAuthorityArn=root)["Certificate"]
    )


@pytest.mark.parametrize(
    ("requested", "admitted"),
    [
        pytest.param(template("EndEntityServerAuthCertificate"), ("EndEntityCertificate",), id="not-in-condition"),
        pytest.param(template("CodeSigningCertificate"), CROSS_ACCOUNT_TEMPLATES, id="not-a-cross-account-template"),
        pytest.param(template("RootCACertificate"), CROSS_ACCOUNT_TEMPLATES, id="root-template"),
        pytest.param(None, ("EndEntityServerAuthCertificate",), id="default-template-not-admitted"),
        pytest.param("arn:aws:acm-pca:::template/NoSuchTemplate/V1", CROSS_ACCOUNT_TEMPLATES, id="unknown-template"),
    ],
)
def test_issue_with_a_template_the_policy_does_not_admit_is_denied(owner, grantee, requested, admitted):
    arn = create_active_root(owner)
    owner.put_policy(ResourceArn=arn, Policy=sharing_policy(arn, GRANTEE, templates=admitted))
    before = owner_view(owner, arn)
    kwargs = {} if requested is None else {"TemplateArn": requested}

    with pytest.raises(ClientError) as excinfo:
        issue_certificate(grantee, arn, **kwargs)

    # The check is IAM's, before the service looks at the request: even an
    # unknown template is an access problem, not InvalidArgs.
    assert_client_error(excinfo, "AccessDeniedException", denied(GRANTEE, "IssueCertificate", arn))
    assert owner_view(owner, arn) == before


def test_issue_on_a_disabled_shared_ca_fails_as_it_does_for_the_owner(owner, grantee, shared):
    owner.update_certificate_authority(CertificateAuthorityArn=shared, Status="DISABLED")

    with pytest.raises(ClientError) as excinfo:
        issue_certificate(grantee, shared)

    assert_client_error(
        excinfo, "InvalidStateException", "The certificate authority is not in a valid state for issuing certificates"
    )


def test_a_policy_granting_some_actions_allows_only_those(owner, grantee):
    arn = create_active_root(owner)
    statement = read_statement(arn, GRANTEE, actions=("acm-pca:DescribeCertificateAuthority",))
    owner.put_policy(ResourceArn=arn, Policy=policy_json(statement))

    assert describe(grantee, arn)["Arn"] == arn
    for operation in ("ListTags", "IssueCertificate", "GetCertificateAuthorityCertificate"):
        with pytest.raises(ClientError) as excinfo:
            call(grantee, operation, _requests(arn, f"{arn}/certificate/{'0' * 32}")[operation])
        assert_client_error(excinfo, "AccessDeniedException", denied(GRANTEE, operation, arn))


def test_a_policy_granting_revocation_lets_the_grantee_revoke(owner, grantee):
    arn = create_active_root(owner)
    owner.put_policy(
        ResourceArn=arn,
        Policy=policy_json(read_statement(arn, GRANTEE, actions=("acm-pca:RevokeCertificate",))),
    )
    cert_arn = issue_certificate(owner, arn)

    grantee.revoke_certificate(
        CertificateAuthorityArn=arn, CertificateSerial=cert_arn.rsplit("/", 1)[1], RevocationReason="SUPERSEDED"
    )

    serial = int(cert_arn.rsplit("/", 1)[1], 16)
    assert backend_ca(arn).certificates[serial].revocation_reason == "SUPERSEDED"


def test_explicit_deny_overrides_an_allow(owner, grantee):
    arn = create_active_root(owner)
    deny = {**read_statement(arn, GRANTEE, actions=("acm-pca:ListTags",)), "Effect": "Deny"}
    owner.put_policy(ResourceArn=arn, Policy=policy_json(read_statement(arn, GRANTEE), deny))

    with pytest.raises(ClientError) as excinfo:
        grantee.list_tags(CertificateAuthorityArn=arn)

    assert_client_error(excinfo, "AccessDeniedException", denied(GRANTEE, "ListTags", arn, explicit=True))
    assert describe(grantee, arn)["Arn"] == arn


def test_deny_of_one_template_leaves_the_others(owner, grantee):
    arn = create_active_root(owner)
    deny = {**issue_statement(arn, GRANTEE, templates=("EndEntityServerAuthCertificate",)), "Effect": "Deny"}
    owner.put_policy(
        ResourceArn=arn,
        Policy=policy_json(issue_statement(arn, GRANTEE, templates=CROSS_ACCOUNT_TEMPLATES), deny),
    )

    assert issue_certificate(grantee, arn, TemplateArn=template("EndEntityClientAuthCertificate"))
    with pytest.raises(ClientError) as excinfo:
        issue_certificate(grantee, arn, TemplateArn=template("EndEntityServerAuthCertificate"))
    assert_client_error(excinfo, "AccessDeniedException", denied(GRANTEE, "IssueCertificate", arn, explicit=True))


def test_deleting_the_policy_ends_the_access(owner, grantee, shared):
    owner.delete_policy(ResourceArn=shared)

    with pytest.raises(ClientError) as excinfo:
        describe(grantee, shared)

    assert_client_error(excinfo, "AccessDeniedException", denied(GRANTEE, "DescribeCertificateAuthority", shared))
    assert listed(grantee, "OTHER_ACCOUNTS") == []


def test_access_follows_the_ca_through_deletion_until_its_window_ends(owner, grantee, shared):
    owner.update_certificate_authority(CertificateAuthorityArn=shared, Status="DISABLED")
    owner.delete_certificate_authority(CertificateAuthorityArn=shared, PermanentDeletionTimeInDays=7)

    assert describe(grantee, shared) == describe(owner, shared)
    assert describe(grantee, shared)["Status"] == "DELETED"
    with time_machine.travel(describe(owner, shared)["RestorableUntil"] + timedelta(seconds=1), tick=False):
        with pytest.raises(ClientError) as excinfo:
            describe(grantee, shared)
        assert_client_error(excinfo, "AccessDeniedException", denied(GRANTEE, "DescribeCertificateAuthority", shared))
        assert listed(grantee, "OTHER_ACCOUNTS") == []


def test_accounts_from_the_access_key_map_and_partition_of_the_region():
    region = "cn-north-1"
    with mock_acmpca(accounts={"AKIAOWNERKEY00000001": OWNER, "AKIAGRANTEEKEY000001": GRANTEE}):
        owner, grantee = (
            boto3.client("acm-pca", region_name=region, aws_access_key_id=key, aws_secret_access_key="x")
            for key in ("AKIAOWNERKEY00000001", "AKIAGRANTEEKEY000001")
        )
        arn = create_ca(owner)
        csr = owner.get_certificate_authority_csr(CertificateAuthorityArn=arn)["Csr"]
        root = issue(
            owner, arn, csr, template=template("RootCACertificate", "aws-cn"), validity={"Type": "YEARS", "Value": 5}
        )
        owner.import_certificate_authority_certificate(CertificateAuthorityArn=arn, Certificate=root["Certificate"])
        with pytest.raises(ClientError) as excinfo:
            describe(grantee, arn)
        assert_client_error(
            excinfo,
            "AccessDeniedException",
            denied(GRANTEE, "DescribeCertificateAuthority", arn, partition="aws-cn"),
        )

        owner.put_policy(ResourceArn=arn, Policy=sharing_policy(arn, GRANTEE, partition="aws-cn"))

        assert describe(grantee, arn) == describe(owner, arn)
        cert_arn = issue_certificate(grantee, arn, TemplateArn=template("EndEntityCertificate", "aws-cn"))
        assert cert_arn.startswith(f"{arn}/certificate/")
        with pytest.raises(ClientError) as excinfo:
            issue_certificate(grantee, arn, TemplateArn=template("EndEntityCertificate"))
        assert_client_error(
            excinfo, "AccessDeniedException", denied(GRANTEE, "IssueCertificate", arn, partition="aws-cn")
        )


def test_get_policy_is_not_shared_even_with_every_shareable_action(owner, grantee):
    arn = create_active_root(owner)
    every = read_statement(
        arn,
        GRANTEE,
        actions=(
            "acm-pca:DescribeCertificateAuthority",
            "acm-pca:GetCertificate",
            "acm-pca:GetCertificateAuthorityCertificate",
            "acm-pca:ListPermissions",
            "acm-pca:ListTags",
            "acm-pca:RevokeCertificate",
        ),
    )
    owner.put_policy(ResourceArn=arn, Policy=policy_json(every, issue_statement(arn, GRANTEE)))

    with pytest.raises(ClientError) as excinfo:
        grantee.get_policy(ResourceArn=arn)

    assert_client_error(excinfo, "AccessDeniedException", denied(GRANTEE, "GetPolicy", arn))
    assert json.loads(owner.get_policy(ResourceArn=arn)["Policy"])["Statement"][0] == every


def test_unconditioned_deny_of_issuance_denies_every_template(owner, grantee):
    arn = create_active_root(owner)
    deny = {**read_statement(arn, GRANTEE, actions=("acm-pca:IssueCertificate",)), "Effect": "Deny"}
    policy = policy_json(read_statement(arn, GRANTEE), issue_statement(arn, GRANTEE), deny)
    owner.put_policy(ResourceArn=arn, Policy=policy)

    with pytest.raises(ClientError) as excinfo:
        issue_certificate(grantee, arn)

    assert_client_error(excinfo, "AccessDeniedException", denied(GRANTEE, "IssueCertificate", arn, explicit=True))
    assert describe(grantee, arn)["Arn"] == arn


def test_ca_whose_policy_denies_all_it_allows_is_not_listed_as_shared(owner, grantee):
    arn = create_active_root(owner)
    statement = read_statement(arn, GRANTEE, actions=("acm-pca:ListTags",))
    owner.put_policy(ResourceArn=arn, Policy=policy_json(statement, {**statement, "Effect": "Deny"}))

    assert listed(grantee, "OTHER_ACCOUNTS") == []


def test_grantee_idempotency_token_returns_its_first_certificate(owner, grantee, shared):
    first = issue_certificate(grantee, shared, IdempotencyToken="grantee-token")

    assert issue_certificate(grantee, shared, IdempotencyToken="grantee-token") == first
    assert issue_certificate(owner, shared, IdempotencyToken="grantee-token") != first
