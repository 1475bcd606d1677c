"""The CA status lifecycle (reference §1.1, §1.2 Update/Delete/Restore) and CA tags (§10).

Every test that compares timestamps runs under a stopped clock (``clock``) and
moves it explicitly between steps, so each state change gets a distinct time.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import pytest
import time_machine
from botocore.config import Config
from botocore.exceptions import ClientError, ParamValidationError

from tests.conftest import REGION
from tests.helpers import (
    EE_TEMPLATE,
    activate_root,
    assert_client_error,
    create_active_root,
    create_active_subordinate,
    create_ca,
    enum_set,
    issue,
    make_csr,
)

START = datetime(2030, 1, 1, 12, 0, 0, tzinfo=timezone.utc)
STEP = timedelta(minutes=7)

NOT_UPDATABLE = "The certificate authority must be in the ACTIVE or DISABLED state to be updated"
NOT_ISSUING = "The certificate authority is not in a valid state for issuing certificates"
DELETE_ACTIVE = "The certificate authority must be disabled before it can be deleted; it is in the ACTIVE state."
DELETE_DELETED = "The certificate authority is already in the DELETED state."
TAG_DELETED = "The certificate authority is in the DELETED state"
UNKNOWN_CA = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/00000000-0000-4000-8000-000000000000"

CRL_ON = {"Enabled": True, "S3BucketName": "crl-bucket", "ExpirationInDays": 7}
OCSP_ON = {"Enabled": True}
DISABLED_REVOCATION = {"CrlConfiguration": {"Enabled": False}, "OcspConfiguration": {"Enabled": False}}


def not_found(arn: str) -> str:
    return f"Could not find certificate authority with arn {arn}."


def not_restorable(status: str) -> str:
    return f"The certificate authority is in the {status} state; only a DELETED certificate authority can be restored."


def invalid_status(status: str) -> str:
    return f"The status {status} is not valid; a CA can only be set to ACTIVE or DISABLED."


def too_many_tags(count: int) -> str:
    return f"The certificate authority would have {count} tags; at most 50 are allowed."


def reserved_key(key: str) -> str:
    return f"Tag key {key} is not valid: the aws: prefix is reserved for AWS use."


# --- local helpers ------------------------------------------------------------------------


@pytest.fixture
def clock() -> Iterator[Any]:
    """A stopped clock at START; tests move it with ``clock.shift`` / ``clock.move_to``."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def describe(client: Any, arn: str) -> dict[str, Any]:
    ca: dict[str, Any] = client.describe_certificate_authority(CertificateAuthorityArn=arn)["CertificateAuthority"]
    return ca


def status_of(client: Any, arn: str) -> str:
    return str(describe(client, arn)["Status"])


def listed(client: Any) -> dict[str, dict[str, Any]]:
    """Every CA ListCertificateAuthorities returns, by ARN."""
    pages = client.get_paginator("list_certificate_authorities").paginate()
    return {ca["Arn"]: ca for page in pages for ca in page["CertificateAuthorities"]}


def tags_of(client: Any, arn: str) -> list[dict[str, str]]:
    pages = client.get_paginator("list_tags").paginate(CertificateAuthorityArn=arn)
    return [tag for page in pages for tag in page["Tags"]]


def set_status(client: Any, arn: str, status: str) -> None:
    client.update_certificate_authority(CertificateAuthorityArn=arn, Status=status)


def ca_in_state(client: Any, clock: Any, state: str) -> str:
    """A root CA that reads ``state`` (EXPIRED moves the clock past its 1-year certificate)."""
    if state == "PENDING_CERTIFICATE":
        return create_ca(client)
    if state == "DELETED":
        arn = create_ca(client)
        client.delete_certificate_authority(CertificateAuthorityArn=arn)
        return arn
    arn = create_active_root(client, years=1)
    if state == "DISABLED":
        set_status(client, arn, "DISABLED")
    elif state == "EXPIRED":
        clock.move_to(describe(client, arn)["NotAfter"] + timedelta(days=1))
    assert status_of(client, arn) == state
    return arn


def unvalidated_client() -> Any:
    """A client that skips botocore's own checks, so the server-side ones are reached."""
    return boto3.client("acm-pca", region_name=REGION, config=Config(parameter_validation=False))


# --- UpdateCertificateAuthority: status -------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "requested", "expected"),
    [
        pytest.param("ACTIVE", "DISABLED", "DISABLED", id="active-to-disabled"),
        pytest.param("DISABLED", "ACTIVE", "ACTIVE", id="disabled-to-active"),
        pytest.param("ACTIVE", "ACTIVE", "ACTIVE", id="active-to-active-is-noop"),
        pytest.param("DISABLED", "DISABLED", "DISABLED", id="disabled-to-disabled-is-noop"),
    ],
)
def test_update_status_moves_between_active_and_disabled(client, clock, start, requested, expected):
    arn = ca_in_state(client, clock, start)
    before = describe(client, arn)
    clock.shift(STEP)

    set_status(client, arn, requested)

    after = describe(client, arn)
    assert after["Status"] == expected
    assert listed(client)[arn]["Status"] == expected
    if start == expected:
        assert after["LastStateChangeAt"] == before["LastStateChangeAt"]
    else:
        assert after["LastStateChangeAt"] == START + STEP
    assert after["RevocationConfiguration"] == before["RevocationConfiguration"]


@pytest.mark.parametrize("start", ["ACTIVE", "DISABLED"])
@pytest.mark.parametrize(
    "requested",
    [
        pytest.param("DELETED", id="to-deleted"),
        pytest.param("PENDING_CERTIFICATE", id="to-pending"),
        pytest.param("EXPIRED", id="to-expired"),
        pytest.param("CREATING", id="to-creating"),
        pytest.param("FAILED", id="to-failed"),
    ],
)
def test_update_to_status_other_than_active_or_disabled_raises_invalid_args(client, clock, start, requested):
    arn = ca_in_state(client, clock, start)
    before = describe(client, arn)
    clock.shift(STEP)

    with pytest.raises(ClientError) as excinfo:
        set_status(client, arn, requested)

    assert_client_error(excinfo, "InvalidArgsException", invalid_status(requested))
    assert describe(client, arn) == before


def test_update_to_status_outside_the_model_enum_raises_validation_error(client):
    arn = create_active_root(client)

    with pytest.raises(ClientError) as excinfo:
        set_status(client, arn, "BOGUS")

    assert_client_error(
        excinfo,
        "ValidationException",
        "1 validation error detected: Value 'BOGUS' at 'status' failed to satisfy constraint: Member must satisfy "
        f"enum value set: {enum_set('CertificateAuthorityStatus')}",
    )
    assert status_of(client, arn) == "ACTIVE"


@pytest.mark.parametrize("state", ["PENDING_CERTIFICATE", "DELETED", "EXPIRED"])
@pytest.mark.parametrize(
    "update",
    [
        pytest.param({"Status": "ACTIVE"}, id="enable"),
        pytest.param({"Status": "DISABLED"}, id="disable"),
        pytest.param({"Status": "DELETED"}, id="bad-status"),
        pytest.param({"RevocationConfiguration": {"OcspConfiguration": OCSP_ON}}, id="revocation-only"),
    ],
)
def test_update_ca_not_active_or_disabled_raises_invalid_state(client, clock, state, update):
    arn = ca_in_state(client, clock, state)
    before = describe(client, arn)
    clock.shift(STEP)

    with pytest.raises(ClientError) as excinfo:
        client.update_certificate_authority(CertificateAuthorityArn=arn, **update)

    assert_client_error(excinfo, "InvalidStateException", NOT_UPDATABLE)
    assert describe(client, arn) == before


def test_update_unknown_ca_raises_resource_not_found(client):
    with pytest.raises(ClientError) as excinfo:
        set_status(client, UNKNOWN_CA, "DISABLED")

    assert_client_error(excinfo, "ResourceNotFoundException", not_found(UNKNOWN_CA))


def test_disabled_ca_cannot_issue_and_reenabled_ca_can(client):
    arn = create_active_root(client)
    set_status(client, arn, "DISABLED")

    with pytest.raises(ClientError) as excinfo:
        issue(client, arn, make_csr(), template=EE_TEMPLATE)
    assert_client_error(excinfo, "InvalidStateException", NOT_ISSUING)

    set_status(client, arn, "ACTIVE")
    assert issue(client, arn, make_csr(), template=EE_TEMPLATE)["Certificate"].startswith("-----BEGIN CERTIFICATE")


# --- UpdateCertificateAuthority: revocation configuration ------------------------------------


def test_update_replaces_revocation_configuration(client):
    arn = create_active_root(client, RevocationConfiguration={"CrlConfiguration": CRL_ON})

    client.update_certificate_authority(
        CertificateAuthorityArn=arn, RevocationConfiguration={"OcspConfiguration": OCSP_ON}
    )

    # The new configuration replaces the old one as a whole: the CRL omitted here is off.
    assert describe(client, arn)["RevocationConfiguration"] == {
        "CrlConfiguration": {"Enabled": False},
        "OcspConfiguration": {"Enabled": True},
    }
    assert status_of(client, arn) == "ACTIVE"


def test_update_with_revocation_configuration_and_status_applies_both(client, clock):
    arn = create_active_root(client)
    clock.shift(STEP)

    client.update_certificate_authority(
        CertificateAuthorityArn=arn, Status="DISABLED", RevocationConfiguration={"CrlConfiguration": CRL_ON}
    )

    ca = describe(client, arn)
    assert ca["Status"] == "DISABLED"
    assert ca["LastStateChangeAt"] == START + STEP
    assert ca["RevocationConfiguration"] == {
        "CrlConfiguration": {**CRL_ON, "S3ObjectAcl": "PUBLIC_READ"},
        "OcspConfiguration": {"Enabled": False},
    }


def test_update_of_revocation_configuration_on_disabled_ca_keeps_it_disabled(client, clock):
    arn = ca_in_state(client, clock, "DISABLED")
    before = describe(client, arn)
    clock.shift(STEP)

    client.update_certificate_authority(
        CertificateAuthorityArn=arn, RevocationConfiguration={"OcspConfiguration": OCSP_ON}
    )

    after = describe(client, arn)
    assert (after["Status"], after["LastStateChangeAt"]) == ("DISABLED", before["LastStateChangeAt"])
    assert after["RevocationConfiguration"]["OcspConfiguration"] == OCSP_ON


def test_update_without_revocation_configuration_keeps_the_existing_one(client):
    arn = create_active_root(client, RevocationConfiguration={"CrlConfiguration": CRL_ON})
    before = describe(client, arn)["RevocationConfiguration"]

    set_status(client, arn, "DISABLED")

    assert describe(client, arn)["RevocationConfiguration"] == before


INVALID_REVOCATION = [
    pytest.param(
        {"CrlConfiguration": {"Enabled": False, "ExpirationInDays": 7}},
        "CrlConfiguration must contain only Enabled when Enabled is false.",
        id="crl-disabled-with-fields",
    ),
    pytest.param(
        {"CrlConfiguration": {"Enabled": True}},
        "CrlConfiguration must specify S3BucketName when Enabled is true.",
        id="crl-enabled-without-bucket",
    ),
    pytest.param(
        {"CrlConfiguration": {**CRL_ON, "CustomCname": "http://crl.example.com"}},
        "CustomCname must not include a protocol prefix such as http:// or https://.",
        id="crl-cname-with-scheme",
    ),
    pytest.param(
        {
            "CrlConfiguration": {
                **CRL_ON,
                "CustomCname": "crl.example.com",
                "CrlDistributionPointExtensionConfiguration": {"OmitExtension": True},
            }
        },
        "CustomCname cannot be set when OmitExtension is true.",
        id="crl-cname-with-omitted-extension",
    ),
    pytest.param(
        {"OcspConfiguration": {"Enabled": False, "OcspCustomCname": "ocsp.example.com"}},
        "OcspConfiguration must contain only Enabled when Enabled is false.",
        id="ocsp-disabled-with-cname",
    ),
    pytest.param(
        {"OcspConfiguration": {"Enabled": True, "OcspCustomCname": "https://ocsp.example.com"}},
        "OcspCustomCname must not include a protocol prefix such as http:// or https://.",
        id="ocsp-cname-with-scheme",
    ),
]


@pytest.mark.parametrize(("revocation", "message"), INVALID_REVOCATION)
def test_invalid_revocation_configuration_is_rejected_at_create(client, revocation, message):
    with pytest.raises(ClientError) as excinfo:
        create_ca(client, RevocationConfiguration=revocation)

    assert_client_error(excinfo, "InvalidArgsException", message)
    assert listed(client) == {}


@pytest.mark.parametrize(("revocation", "message"), INVALID_REVOCATION)
@pytest.mark.parametrize(
    "status",
    [
        pytest.param(None, id="no-status"),
        pytest.param("DISABLED", id="with-status-change"),
        pytest.param("ACTIVE", id="with-same-status"),
    ],
)
def test_invalid_revocation_configuration_on_update_changes_nothing(client, clock, status, revocation, message):
    arn = create_active_root(client, RevocationConfiguration={"OcspConfiguration": OCSP_ON})
    before = describe(client, arn)
    clock.shift(STEP)
    update: dict[str, Any] = {"RevocationConfiguration": revocation}
    if status is not None:
        update["Status"] = status

    with pytest.raises(ClientError) as excinfo:
        client.update_certificate_authority(CertificateAuthorityArn=arn, **update)

    assert_client_error(excinfo, "InvalidArgsException", message)
    assert describe(client, arn) == before


def test_revocation_configuration_outside_the_model_on_update_raises_validation_error(client):
    arn = create_active_root(client)

    with pytest.raises(ClientError) as excinfo:
        client.update_certificate_authority(
            CertificateAuthorityArn=arn,
            Status="DISABLED",
            RevocationConfiguration={"CrlConfiguration": {**CRL_ON, "S3ObjectAcl": "BOGUS"}},
        )

    assert_client_error(
        excinfo,
        "ValidationException",
        "1 validation error detected: Value 'BOGUS' at 'revocationConfiguration.crlConfiguration.s3ObjectAcl' "
        f"failed to satisfy constraint: Member must satisfy enum value set: {enum_set('S3ObjectAcl')}",
    )
    ca = describe(client, arn)
    assert (ca["Status"], ca["RevocationConfiguration"]) == ("ACTIVE", DISABLED_REVOCATION)


# --- LastStateChangeAt ---------------------------------------------------------------------


def test_last_state_change_moves_on_every_status_change_and_not_on_a_noop(client, clock):
    arn = create_ca(client)
    assert describe(client, arn)["LastStateChangeAt"] == START

    steps: list[tuple[str, Any, str]] = [
        ("import", lambda: activate_root(client, arn, years=1), "ACTIVE"),
        ("disable", lambda: set_status(client, arn, "DISABLED"), "DISABLED"),
        ("enable", lambda: set_status(client, arn, "ACTIVE"), "ACTIVE"),
        ("disable again", lambda: set_status(client, arn, "DISABLED"), "DISABLED"),
        ("delete", lambda: client.delete_certificate_authority(CertificateAuthorityArn=arn), "DELETED"),
        ("restore", lambda: client.restore_certificate_authority(CertificateAuthorityArn=arn), "DISABLED"),
    ]
    for index, (name, action, expected_status) in enumerate(steps, start=1):
        clock.move_to(START + index * STEP)
        action()
        ca = describe(client, arn)
        assert (name, ca["Status"], ca["LastStateChangeAt"]) == (name, expected_status, START + index * STEP)
        assert listed(client)[arn]["LastStateChangeAt"] == START + index * STEP


@pytest.mark.parametrize(
    "noop",
    [
        pytest.param({"Status": "DISABLED"}, id="same-status"),
        pytest.param({"RevocationConfiguration": {"OcspConfiguration": OCSP_ON}}, id="revocation-only"),
        pytest.param(
            {"Status": "DISABLED", "RevocationConfiguration": {"CrlConfiguration": CRL_ON}},
            id="same-status-and-revocation",
        ),
    ],
)
def test_last_state_change_is_kept_by_updates_that_do_not_change_status(client, clock, noop):
    arn = ca_in_state(client, clock, "DISABLED")
    before = describe(client, arn)["LastStateChangeAt"]
    clock.shift(STEP)

    client.update_certificate_authority(CertificateAuthorityArn=arn, **noop)

    assert describe(client, arn)["LastStateChangeAt"] == before


def test_last_state_change_of_pending_ca_moves_on_delete_and_restore(client, clock):
    arn = create_ca(client)
    clock.shift(STEP)
    client.delete_certificate_authority(CertificateAuthorityArn=arn)
    assert describe(client, arn)["LastStateChangeAt"] == START + STEP

    clock.shift(STEP)
    client.restore_certificate_authority(CertificateAuthorityArn=arn)
    assert describe(client, arn)["LastStateChangeAt"] == START + 2 * STEP


# --- EXPIRED ---------------------------------------------------------------------------------


def test_active_root_reads_expired_after_its_certificate_ends(client, clock):
    arn = create_active_root(client, years=1)
    not_after = describe(client, arn)["NotAfter"]
    assert not_after.year == START.year + 1

    clock.move_to(not_after)
    assert status_of(client, arn) == "ACTIVE"

    clock.move_to(not_after + timedelta(seconds=1))
    ca = describe(client, arn)
    assert (ca["Status"], ca["LastStateChangeAt"], ca["NotAfter"]) == ("EXPIRED", not_after, not_after)
    from_list = listed(client)[arn]
    assert (from_list["Status"], from_list["LastStateChangeAt"]) == ("EXPIRED", not_after)


def test_disabled_ca_that_expires_reads_expired(client, clock):
    arn = ca_in_state(client, clock, "DISABLED")
    not_after = describe(client, arn)["NotAfter"]

    clock.move_to(not_after + timedelta(hours=1))

    ca = describe(client, arn)
    assert (ca["Status"], ca["LastStateChangeAt"]) == ("EXPIRED", not_after)
    assert listed(client)[arn]["Status"] == "EXPIRED"


def test_subordinate_expires_before_its_root(client, clock):
    root = create_active_root(client, years=10)
    sub = create_active_subordinate(client, root, years=1)

    clock.move_to(describe(client, sub)["NotAfter"] + timedelta(days=1))

    assert (status_of(client, root), status_of(client, sub)) == ("ACTIVE", "EXPIRED")


def test_expired_ca_cannot_issue(client, clock):
    arn = ca_in_state(client, clock, "EXPIRED")

    with pytest.raises(ClientError) as excinfo:
        client.issue_certificate(
            CertificateAuthorityArn=arn,
            Csr=make_csr(),
            SigningAlgorithm="SHA256WITHECDSA",
            Validity={"Type": "DAYS", "Value": 1},
        )

    assert_client_error(excinfo, "InvalidStateException", NOT_ISSUING)
    assert status_of(client, arn) == "EXPIRED"


# --- DeleteCertificateAuthority ----------------------------------------------------------------


def test_delete_active_ca_raises_invalid_state(client, clock):
    arn = ca_in_state(client, clock, "ACTIVE")
    before = describe(client, arn)
    clock.shift(STEP)

    with pytest.raises(ClientError) as excinfo:
        client.delete_certificate_authority(CertificateAuthorityArn=arn, PermanentDeletionTimeInDays=7)

    assert_client_error(excinfo, "InvalidStateException", DELETE_ACTIVE)
    after = describe(client, arn)
    assert after == before
    assert "RestorableUntil" not in after


@pytest.mark.parametrize("state", ["PENDING_CERTIFICATE", "DISABLED", "EXPIRED"])
@pytest.mark.parametrize(
    ("days", "window"),
    [
        pytest.param(None, 30, id="default-30-days"),
        pytest.param(7, 7, id="7-days"),
        pytest.param(30, 30, id="30-days"),
    ],
)
def test_delete_moves_ca_to_deleted_with_restoration_window(client, clock, state, days, window):
    arn = ca_in_state(client, clock, state)
    clock.shift(STEP)
    now = datetime.now(timezone.utc)
    kwargs = {} if days is None else {"PermanentDeletionTimeInDays": days}

    client.delete_certificate_authority(CertificateAuthorityArn=arn, **kwargs)

    ca = describe(client, arn)
    assert (ca["Status"], ca["LastStateChangeAt"], ca["RestorableUntil"]) == (
        "DELETED",
        now,
        now + timedelta(days=window),
    )
    from_list = listed(client)[arn]
    assert (from_list["Status"], from_list["RestorableUntil"]) == ("DELETED", now + timedelta(days=window))


@pytest.mark.parametrize(
    ("days", "constraint"),
    [
        pytest.param(31, "Member must have value less than or equal to 30", id="31-days"),
        pytest.param(1000, "Member must have value less than or equal to 30", id="1000-days"),
        pytest.param(6, "Member must have value greater than or equal to 7", id="6-days"),
        pytest.param(0, "Member must have value greater than or equal to 7", id="0-days"),
    ],
)
def test_delete_with_window_outside_7_to_30_days_raises_validation_error(client, clock, days, constraint):
    arn = ca_in_state(client, clock, "DISABLED")
    before = describe(client, arn)

    # botocore itself refuses values below the model minimum; skip its check to reach the service.
    with pytest.raises(ClientError) as excinfo:
        unvalidated_client().delete_certificate_authority(CertificateAuthorityArn=arn, PermanentDeletionTimeInDays=days)

    assert_client_error(
        excinfo,
        "ValidationException",
        f"1 validation error detected: Value '{days}' at 'permanentDeletionTimeInDays' failed to satisfy "
        f"constraint: {constraint}",
    )
    assert describe(client, arn) == before


def test_delete_with_window_below_7_days_is_refused_by_botocore_itself(client):
    arn = create_ca(client)

    with pytest.raises(ParamValidationError):
        client.delete_certificate_authority(CertificateAuthorityArn=arn, PermanentDeletionTimeInDays=6)

    assert status_of(client, arn) == "PENDING_CERTIFICATE"


def test_delete_deleted_ca_raises_invalid_state(client, clock):
    arn = create_ca(client)
    client.delete_certificate_authority(CertificateAuthorityArn=arn, PermanentDeletionTimeInDays=7)
    before = describe(client, arn)
    clock.shift(STEP)

    with pytest.raises(ClientError) as excinfo:
        client.delete_certificate_authority(CertificateAuthorityArn=arn, PermanentDeletionTimeInDays=30)

    assert_client_error(excinfo, "InvalidStateException", DELETE_DELETED)
    assert describe(client, arn) == before


def test_delete_unknown_ca_raises_resource_not_found(client):
    with pytest.raises(ClientError) as excinfo:
        client.delete_certificate_authority(CertificateAuthorityArn=UNKNOWN_CA)

    assert_client_error(excinfo, "ResourceNotFoundException", not_found(UNKNOWN_CA))


def test_deleted_ca_cannot_issue(client, clock):
    arn = ca_in_state(client, clock, "DISABLED")
    client.delete_certificate_authority(CertificateAuthorityArn=arn)

    with pytest.raises(ClientError) as excinfo:
        issue(client, arn, make_csr(), template=EE_TEMPLATE, signing_algorithm="SHA256WITHECDSA")

    assert_client_error(excinfo, "InvalidStateException", NOT_ISSUING)


def test_deleted_ca_is_listed_until_its_window_ends(client, clock):
    kept = create_ca(client)
    deleted = create_ca(client)
    client.delete_certificate_authority(CertificateAuthorityArn=deleted, PermanentDeletionTimeInDays=7)
    restorable_until = describe(client, deleted)["RestorableUntil"]
    assert restorable_until == START + timedelta(days=7)

    clock.move_to(restorable_until - timedelta(seconds=1))
    assert set(listed(client)) == {kept, deleted}
    assert status_of(client, deleted) == "DELETED"

    clock.move_to(restorable_until)
    assert set(listed(client)) == {kept}


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda c, arn: c.describe_certificate_authority(CertificateAuthorityArn=arn), id="describe"),
        pytest.param(lambda c, arn: c.restore_certificate_authority(CertificateAuthorityArn=arn), id="restore"),
        pytest.param(lambda c, arn: c.list_tags(CertificateAuthorityArn=arn), id="list-tags"),
        pytest.param(
            lambda c, arn: c.tag_certificate_authority(CertificateAuthorityArn=arn, Tags=[{"Key": "k"}]), id="tag"
        ),
        pytest.param(lambda c, arn: c.delete_certificate_authority(CertificateAuthorityArn=arn), id="delete"),
        pytest.param(
            lambda c, arn: c.update_certificate_authority(CertificateAuthorityArn=arn, Status="ACTIVE"), id="update"
        ),
        pytest.param(lambda c, arn: c.get_certificate_authority_csr(CertificateAuthorityArn=arn), id="get-csr"),
    ],
)
def test_ca_whose_deletion_window_ended_is_not_found(client, clock, call):
    arn = ca_in_state(client, clock, "DISABLED")
    client.delete_certificate_authority(CertificateAuthorityArn=arn, PermanentDeletionTimeInDays=7)
    clock.move_to(describe(client, arn)["RestorableUntil"] + timedelta(minutes=1))

    with pytest.raises(ClientError) as excinfo:
        call(client, arn)

    assert_client_error(excinfo, "ResourceNotFoundException", not_found(arn))
    assert arn not in listed(client)


# --- RestoreCertificateAuthority ---------------------------------------------------------------


@pytest.mark.parametrize("state", ["PENDING_CERTIFICATE", "DISABLED"])
def test_restore_returns_ca_to_its_status_before_deletion(client, clock, state):
    arn = ca_in_state(client, clock, state)
    client.delete_certificate_authority(CertificateAuthorityArn=arn, PermanentDeletionTimeInDays=7)
    clock.shift(timedelta(days=7) - timedelta(seconds=1))

    client.restore_certificate_authority(CertificateAuthorityArn=arn)

    ca = describe(client, arn)
    assert (ca["Status"], ca["LastStateChangeAt"]) == (state, datetime.now(timezone.utc))
    assert "RestorableUntil" not in ca
    assert "RestorableUntil" not in listed(client)[arn]


def test_restored_disabled_ca_can_be_enabled_and_issue(client, clock):
    arn = ca_in_state(client, clock, "DISABLED")
    client.delete_certificate_authority(CertificateAuthorityArn=arn)
    client.restore_certificate_authority(CertificateAuthorityArn=arn)

    set_status(client, arn, "ACTIVE")

    assert status_of(client, arn) == "ACTIVE"
    issue(client, arn, make_csr(), template=EE_TEMPLATE)


def test_restored_pending_ca_can_still_be_activated(client):
    arn = create_ca(client)
    client.delete_certificate_authority(CertificateAuthorityArn=arn)
    client.restore_certificate_authority(CertificateAuthorityArn=arn)

    activate_root(client, arn, years=1)

    assert status_of(client, arn) == "ACTIVE"


def test_restored_ca_survives_past_its_old_window_and_can_be_deleted_again(client, clock):
    arn = create_ca(client)
    client.delete_certificate_authority(CertificateAuthorityArn=arn, PermanentDeletionTimeInDays=7)
    client.restore_certificate_authority(CertificateAuthorityArn=arn)

    clock.shift(timedelta(days=8))
    assert status_of(client, arn) == "PENDING_CERTIFICATE"

    client.delete_certificate_authority(CertificateAuthorityArn=arn, PermanentDeletionTimeInDays=30)
    assert describe(client, arn)["RestorableUntil"] == START + timedelta(days=8 + 30)


def test_expired_ca_deleted_then_restored_reads_expired_again(client, clock):
    arn = ca_in_state(client, clock, "EXPIRED")
    not_after = describe(client, arn)["NotAfter"]
    clock.shift(STEP)
    client.delete_certificate_authority(CertificateAuthorityArn=arn)
    assert status_of(client, arn) == "DELETED"

    clock.shift(STEP)
    restored_at = datetime.now(timezone.utc)
    client.restore_certificate_authority(CertificateAuthorityArn=arn)

    ca = describe(client, arn)
    assert (ca["Status"], ca["NotAfter"]) == ("EXPIRED", not_after)
    # The restore is the latest status change, so LastStateChangeAt does not fall back to NotAfter.
    assert ca["LastStateChangeAt"] == restored_at
    assert "RestorableUntil" not in ca


def test_disabled_ca_that_expired_after_deletion_is_restored_as_expired(client, clock):
    arn = ca_in_state(client, clock, "DISABLED")
    not_after = describe(client, arn)["NotAfter"]
    clock.move_to(not_after - timedelta(days=10))
    client.delete_certificate_authority(CertificateAuthorityArn=arn, PermanentDeletionTimeInDays=30)
    clock.move_to(not_after + timedelta(days=1))
    assert status_of(client, arn) == "DELETED"  # DELETED wins over EXPIRED
    restored_at = datetime.now(timezone.utc)

    client.restore_certificate_authority(CertificateAuthorityArn=arn)

    ca = describe(client, arn)
    assert (ca["Status"], ca["LastStateChangeAt"]) == ("EXPIRED", restored_at)


@pytest.mark.parametrize("state", ["PENDING_CERTIFICATE", "ACTIVE", "DISABLED", "EXPIRED"])
def test_restore_ca_that_is_not_deleted_raises_invalid_state(client, clock, state):
    arn = ca_in_state(client, clock, state)
    before = describe(client, arn)
    clock.shift(STEP)

    with pytest.raises(ClientError) as excinfo:
        client.restore_certificate_authority(CertificateAuthorityArn=arn)

    assert_client_error(excinfo, "InvalidStateException", not_restorable(state))
    assert describe(client, arn) == before


def test_restore_unknown_ca_raises_resource_not_found(client):
    with pytest.raises(ClientError) as excinfo:
        client.restore_certificate_authority(CertificateAuthorityArn=UNKNOWN_CA)

    assert_client_error(excinfo, "ResourceNotFoundException", not_found(UNKNOWN_CA))


# --- Tags --------------------------------------------------------------------------------------


def test_tag_adds_tags_after_those_given_at_create_in_order(client):
    arn = create_ca(client, Tags=[{"Key": "team", "Value": "pki"}, {"Key": "env", "Value": "test"}])

    client.tag_certificate_authority(
        CertificateAuthorityArn=arn, Tags=[{"Key": "owner", "Value": "alice"}, {"Key": "cost", "Value": "42"}]
    )

    assert tags_of(client, arn) == [
        {"Key": "team", "Value": "pki"},
        {"Key": "env", "Value": "test"},
        {"Key": "owner", "Value": "alice"},
        {"Key": "cost", "Value": "42"},
    ]


def test_tag_overwrites_the_value_of_an_existing_key_in_place(client):
    arn = create_ca(client, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])

    client.tag_certificate_authority(CertificateAuthorityArn=arn, Tags=[{"Key": "a", "Value": "new"}])

    assert tags_of(client, arn) == [{"Key": "a", "Value": "new"}, {"Key": "b", "Value": "2"}]


def test_tag_keys_and_values_are_case_sensitive(client):
    arn = create_ca(client)

    client.tag_certificate_authority(
        CertificateAuthorityArn=arn, Tags=[{"Key": "Env", "Value": "Prod"}, {"Key": "env", "Value": "prod"}]
    )

    assert tags_of(client, arn) == [{"Key": "Env", "Value": "Prod"}, {"Key": "env", "Value": "prod"}]


def test_tag_without_value_is_listed_without_value(client):
    arn = create_ca(client)

    client.tag_certificate_authority(CertificateAuthorityArn=arn, Tags=[{"Key": "flag"}, {"Key": "empty", "Value": ""}])

    assert client.list_tags(CertificateAuthorityArn=arn)["Tags"] == [{"Key": "flag"}, {"Key": "empty", "Value": ""}]


def test_new_ca_has_no_tags(client):
    arn = create_ca(client)

    response = client.list_tags(CertificateAuthorityArn=arn)

    assert response["Tags"] == []
    assert "NextToken" not in response


def test_list_tags_pages_with_max_results_and_next_token(client):
    arn = create_ca(client)
    expected = [{"Key": f"key-{index:02d}", "Value": f"value-{index}"} for index in range(7)]
    client.tag_certificate_authority(CertificateAuthorityArn=arn, Tags=expected)

    first = client.list_tags(CertificateAuthorityArn=arn, MaxResults=3)
    second = client.list_tags(CertificateAuthorityArn=arn, MaxResults=3, NextToken=first["NextToken"])
    third = client.list_tags(CertificateAuthorityArn=arn, MaxResults=3, NextToken=second["NextToken"])

    assert [first["Tags"], second["Tags"], third["Tags"]] == [expected[:3], expected[3:6], expected[6:]]
    assert "NextToken" not in third


@pytest.mark.parametrize(
    ("page_size", "page_lengths"),
    [
        pytest.param(1, [1] * 7, id="one-per-page"),
        pytest.param(3, [3, 3, 1], id="three-per-page"),
        pytest.param(7, [7], id="exact-fit"),
        pytest.param(1000, [7], id="max-page"),
    ],
)
def test_list_tags_paginator_returns_every_tag_in_order(client, page_size, page_lengths):
    arn = create_ca(client)
    expected = [{"Key": f"key-{index}", "Value": str(index)} for index in range(7)]
    client.tag_certificate_authority(CertificateAuthorityArn=arn, Tags=expected)

    pages = list(
        client.get_paginator("list_tags").paginate(
            CertificateAuthorityArn=arn, PaginationConfig={"PageSize": page_size}
        )
    )

    assert [len(page["Tags"]) for page in pages] == page_lengths
    assert [tag for page in pages for tag in page["Tags"]] == expected


def test_tags_up_to_fifty_in_total_are_accepted(client):
    arn = create_ca(client, Tags=[{"Key": f"create-{index}", "Value": "v"} for index in range(20)])

    client.tag_certificate_authority(
        CertificateAuthorityArn=arn, Tags=[{"Key": f"tag-{index}", "Value": "v"} for index in range(30)]
    )
    # Overwriting an existing key does not add a tag.
    client.tag_certificate_authority(CertificateAuthorityArn=arn, Tags=[{"Key": "create-0", "Value": "changed"}])

    tags = tags_of(client, arn)
    assert len(tags) == 50
    assert tags[0] == {"Key": "create-0", "Value": "changed"}


@pytest.mark.parametrize(
    ("existing", "added", "total"),
    [
        pytest.param(50, 1, 51, id="one-over-a-full-ca"),
        pytest.param(30, 21, 51, id="batch-crossing-the-limit"),
        pytest.param(1, 50, 51, id="full-batch-on-tagged-ca"),
    ],
)
def test_tag_beyond_fifty_tags_raises_too_many_tags_and_adds_nothing(client, existing, added, total):
    arn = create_ca(client)
    client.tag_certificate_authority(
        CertificateAuthorityArn=arn, Tags=[{"Key": f"old-{index}", "Value": "v"} for index in range(existing)]
    )
    before = tags_of(client, arn)

    with pytest.raises(ClientError) as excinfo:
        client.tag_certificate_authority(
            CertificateAuthorityArn=arn, Tags=[{"Key": f"new-{index}", "Value": "v"} for index in range(added)]
        )

    assert_client_error(excinfo, "TooManyTagsException", too_many_tags(total))
    assert tags_of(client, arn) == before


@pytest.mark.parametrize("key", ["aws:createdBy", "AWS:Team", "aws:"])
def test_tag_with_reserved_aws_prefix_raises_invalid_tag_and_adds_nothing(client, key):
    arn = create_ca(client, Tags=[{"Key": "team", "Value": "pki"}])

    with pytest.raises(ClientError) as excinfo:
        client.tag_certificate_authority(
            CertificateAuthorityArn=arn, Tags=[{"Key": "fine", "Value": "v"}, {"Key": key, "Value": "v"}]
        )

    assert_client_error(excinfo, "InvalidTagException", reserved_key(key))
    assert tags_of(client, arn) == [{"Key": "team", "Value": "pki"}]


@pytest.mark.parametrize("key", ["aws:createdBy", "AWS:Team"])
def test_untag_with_reserved_aws_prefix_raises_invalid_tag_and_removes_nothing(client, key):
    arn = create_ca(client, Tags=[{"Key": "team", "Value": "pki"}])

    with pytest.raises(ClientError) as excinfo:
        client.untag_certificate_authority(CertificateAuthorityArn=arn, Tags=[{"Key": "team"}, {"Key": key}])

    assert_client_error(excinfo, "InvalidTagException", reserved_key(key))
    assert tags_of(client, arn) == [{"Key": "team", "Value": "pki"}]


def test_create_with_reserved_aws_prefix_raises_invalid_tag_and_creates_nothing(client):
    with pytest.raises(ClientError) as excinfo:
        create_ca(client, Tags=[{"Key": "aws:owner", "Value": "me"}])

    assert_client_error(excinfo, "InvalidTagException", reserved_key("aws:owner"))
    assert listed(client) == {}


def test_key_containing_aws_prefix_later_is_not_reserved(client):
    arn = create_ca(client)

    client.tag_certificate_authority(CertificateAuthorityArn=arn, Tags=[{"Key": "team:aws:x", "Value": "v"}])

    assert tags_of(client, arn) == [{"Key": "team:aws:x", "Value": "v"}]


@pytest.mark.parametrize(
    ("untag", "remaining"),
    [
        pytest.param([{"Key": "env"}], ["team", "flag"], id="without-value-removes-key"),
        pytest.param([{"Key": "env", "Value": "prod"}], ["team", "flag"], id="matching-value-removes-key"),
        pytest.param([{"Key": "env", "Value": "test"}], ["env", "team", "flag"], id="other-value-keeps-key"),
        pytest.param([{"Key": "env", "Value": "PROD"}], ["env", "team", "flag"], id="value-match-is-case-sensitive"),
        pytest.param([{"Key": "ENV"}], ["env", "team", "flag"], id="key-match-is-case-sensitive"),
        pytest.param([{"Key": "missing"}], ["env", "team", "flag"], id="unknown-key-is-ignored"),
        pytest.param([{"Key": "flag"}], ["env", "team"], id="valueless-tag-removed-without-value"),
        pytest.param([{"Key": "flag", "Value": ""}], ["env", "team", "flag"], id="valueless-tag-kept-with-value"),
        pytest.param(
            [{"Key": "env"}, {"Key": "team", "Value": "other"}, {"Key": "flag"}], ["team"], id="several-at-once"
        ),
    ],
)
def test_untag_removes_keys_whose_value_matches_or_is_not_given(client, untag, remaining):
    arn = create_ca(client, Tags=[{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "pki"}, {"Key": "flag"}])

    client.untag_certificate_authority(CertificateAuthorityArn=arn, Tags=untag)

    assert [tag["Key"] for tag in tags_of(client, arn)] == remaining


@pytest.mark.parametrize("state", ["PENDING_CERTIFICATE", "ACTIVE", "DISABLED", "EXPIRED"])
def test_tags_can_be_changed_in_every_state_but_deleted(client, clock, state):
    arn = ca_in_state(client, clock, state)

    client.tag_certificate_authority(CertificateAuthorityArn=arn, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b"}])
    client.untag_certificate_authority(CertificateAuthorityArn=arn, Tags=[{"Key": "a"}])

    assert tags_of(client, arn) == [{"Key": "b"}]


@pytest.mark.parametrize(
    "call",
    [
        pytest.param("tag_certificate_authority", id="tag"),
        pytest.param("untag_certificate_authority", id="untag"),
    ],
)
def test_tagging_deleted_ca_raises_invalid_state(client, call):
    arn = create_ca(client, Tags=[{"Key": "team", "Value": "pki"}])
    client.delete_certificate_authority(CertificateAuthorityArn=arn)

    with pytest.raises(ClientError) as excinfo:
        getattr(client, call)(CertificateAuthorityArn=arn, Tags=[{"Key": "team"}])

    assert_client_error(excinfo, "InvalidStateException", TAG_DELETED)
    assert tags_of(client, arn) == [{"Key": "team", "Value": "pki"}]


def test_tags_of_deleted_ca_are_listed_and_survive_restore(client):
    arn = create_ca(client, Tags=[{"Key": "team", "Value": "pki"}, {"Key": "flag"}])
    client.delete_certificate_authority(CertificateAuthorityArn=arn)
    assert tags_of(client, arn) == [{"Key": "team", "Value": "pki"}, {"Key": "flag"}]

    client.restore_certificate_authority(CertificateAuthorityArn=arn)

    assert tags_of(client, arn) == [{"Key": "team", "Value": "pki"}, {"Key": "flag"}]


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(
            lambda c: c.tag_certificate_authority(CertificateAuthorityArn=UNKNOWN_CA, Tags=[{"Key": "k"}]), id="tag"
        ),
        pytest.param(
            lambda c: c.untag_certificate_authority(CertificateAuthorityArn=UNKNOWN_CA, Tags=[{"Key": "k"}]),
            id="untag",
        ),
        pytest.param(lambda c: c.list_tags(CertificateAuthorityArn=UNKNOWN_CA), id="list-tags"),
    ],
)
def test_tag_operations_on_unknown_ca_raise_resource_not_found(client, call):
    create_ca(client)

    with pytest.raises(ClientError) as excinfo:
        call(client)

    assert_client_error(excinfo, "ResourceNotFoundException", not_found(UNKNOWN_CA))


@pytest.mark.parametrize(
    ("tags", "path", "value", "constraint"),
    [
        pytest.param(
            [{"Key": "k" * 129, "Value": "v"}],
            "tags.1.member.key",
            "k" * 129,
            "Member must have length less than or equal to 128",
            id="key-over-128",
        ),
        pytest.param(
            [{"Key": "ok", "Value": "v"}, {"Key": "x" * 200}],
            "tags.2.member.key",
            "x" * 200,
            "Member must have length less than or equal to 128",
            id="second-key-over-128",
        ),
        pytest.param(
            [{"Key": "k", "Value": "v" * 257}],
            "tags.1.member.value",
            "v" * 257,
            "Member must have length less than or equal to 256",
            id="value-over-256",
        ),
        pytest.param(
            [{"Key": "a#b", "Value": "v"}],
            "tags.1.member.key",
            "a#b",
            r"Member must satisfy regular expression pattern: ([\p{L}\p{Z}\p{N}_.:/=+\-@]*)",
            id="key-with-forbidden-character",
        ),
    ],
)
def test_tag_outside_model_limits_raises_validation_error_and_adds_nothing(client, tags, path, value, constraint):
    arn = create_ca(client, Tags=[{"Key": "team", "Value": "pki"}])

    with pytest.raises(ClientError) as excinfo:
        client.tag_certificate_authority(CertificateAuthorityArn=arn, Tags=tags)

    assert_client_error(
        excinfo,
        "ValidationException",
        f"1 validation error detected: Value '{value}' at '{path}' failed to satisfy constraint: {constraint}",
    )
    assert tags_of(client, arn) == [{"Key": "team", "Value": "pki"}]


def test_tag_key_and_value_at_the_model_limits_are_accepted(client):
    arn = create_ca(client)
    tag = {"Key": "k" * 128, "Value": "v" * 256}

    client.tag_certificate_authority(CertificateAuthorityArn=arn, Tags=[tag, {"Key": "Äé 1_.:/=+-@"}])

    assert tags_of(client, arn) == [tag, {"Key": "Äé 1_.:/=+-@"}]
