"""Helpers for the permission, policy and cross-account tests: clients per account, policies."""

from __future__ import annotations

import json
from typing import Any

import boto3

from tests.conftest import REGION

OWNER = "111111111111"
GRANTEE = "222222222222"
THIRD = "333333333333"

# What AWS's example cross-account policy grants besides IssueCertificate.
READ_ACTIONS = (
    "acm-pca:DescribeCertificateAuthority",
    "acm-pca:GetCertificate",
    "acm-pca:GetCertificateAuthorityCertificate",
    "acm-pca:ListPermissions",
    "acm-pca:ListTags",
)
# The templates another account may issue with (reference §3.1).
CROSS_ACCOUNT_TEMPLATES = (
    "EndEntityCertificate",
    "EndEntityClientAuthCertificate",
    "EndEntityServerAuthCertificate",
    "BlankEndEntityCertificate_APIPassthrough",
    "BlankEndEntityCertificate_APICSRPassthrough",
    "SubordinateCACertificate_PathLen0",
)


def account_client(account: str, region: str = REGION) -> Any:
    """A client acting as ``account`` (the mock takes a 12-digit access key id as the account)."""
    return boto3.client("acm-pca", region_name=region, aws_access_key_id=account, aws_secret_access_key="x")


def template(name: str, partition: str = "aws") -> str:
    return f"arn:{partition}:acm-pca:::template/{name}/V1"


def read_statement(ca_arn: str, *accounts: str, actions: tuple[str, ...] = READ_ACTIONS) -> dict[str, Any]:
    return {
        "Sid": "read",
        "Effect": "Allow",
        "Principal": {"AWS": list(accounts) if len(accounts) > 1 else accounts[0]},
        "Action": list(actions),
        "Resource": ca_arn,
    }


def issue_statement(
    ca_arn: str, *accounts: str, templates: tuple[str, ...] = ("EndEntityCertificate",), partition: str = "aws"
) -> dict[str, Any]:
    arns = [template(name, partition) for name in templates]
    return {
        "Sid": "issue",
        "Effect": "Allow",
        "Principal": {"AWS": list(accounts) if len(accounts) > 1 else accounts[0]},
        "Action": "acm-pca:IssueCertificate",
        "Resource": ca_arn,
        "Condition": {"StringEquals": {"acm-pca:TemplateArn": arns if len(arns) > 1 else arns[0]}},
    }


def policy_json(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def sharing_policy(
    ca_arn: str, *accounts: str, templates: tuple[str, ...] = ("EndEntityCertificate",), partition: str = "aws"
) -> str:
    """The two-statement policy AWS's documentation prescribes for sharing a CA with ``accounts``."""
    return policy_json(
        read_statement(ca_arn, *accounts),
        issue_statement(ca_arn, *accounts, templates=templates, partition=partition),
    )


def denied(account: str, operation: str, ca_arn: str, *, explicit: bool = False, partition: str = "aws") -> str:
    """AWS's AccessDeniedException message for a cross-account call."""
    reason = (
        "with an explicit deny in a resource-based policy"
        if explicit
        else f"because no resource-based policy allows the acm-pca:{operation} action"
    )
    return (
        f"User: arn:{partition}:iam::{account}:root is not authorized to perform: acm-pca:{operation} "
        f"on resource: {ca_arn} {reason}"
    )
