"""mock.state: read-only snapshots of CAs and certificates for assertions."""

from __future__ import annotations

import dataclasses

import boto3
import pytest

from pca_mock.testing import create_hierarchy, create_root_ca, issue_certificate
from tests.helpers import create_ca

OTHER_KEY = "AKIAOTHERACCOUNT0001"
OTHER_ACCOUNT = "111122223333"


def _revoke(client, ca_arn: str, serial: int, reason: str = "KEY_COMPROMISE") -> None:
    client.revoke_certificate(CertificateAuthorityArn=ca_arn, CertificateSerial=f"{serial:x}", RevocationReason=reason)


def test_certificate_authorities_lists_every_ca_with_its_counts(pca, client):
    hierarchy = create_hierarchy(client, depth=2)
    pending = create_ca(client)
    for _ in range(3):
        issue_certificate(client, hierarchy.issuing)

    views = pca.state.certificate_authorities()

    assert [(view.arn, view.type, view.status, view.issued, view.revoked) for view in views] == [
        (hierarchy.root.arn, "ROOT", "ACTIVE", 1, 0),
        (hierarchy.issuing.arn, "SUBORDINATE", "ACTIVE", 3, 0),
        (pending, "ROOT", "PENDING_CERTIFICATE", 0, 0),
    ]
    assert {(view.account, view.region, view.key_algorithm) for view in views} == {
        ("123456789012", "us-east-1", "EC_prime256v1")
    }


def test_status_is_what_describe_reports_now(pca, client):
    root = create_root_ca(client)
    client.update_certificate_authority(CertificateAuthorityArn=root.arn, Status="DISABLED")
    (view,) = pca.state.certificate_authorities()
    described = client.describe_certificate_authority(CertificateAuthorityArn=root.arn)["CertificateAuthority"]
    assert view.status == described["Status"] == "DISABLED"


def test_certificate_authorities_filters_by_account_and_region(pca, client):
    create_ca(client)
    other_client = boto3.client(
        "acm-pca", region_name="eu-west-1", aws_access_key_id=OTHER_ACCOUNT, aws_secret_access_key="x"
    )
    other = create_ca(other_client)

    assert [view.arn for view in pca.state.certificate_authorities(account=OTHER_ACCOUNT)] == [other]
    assert [view.arn for view in pca.state.certificate_authorities(region="eu-west-1")] == [other]
    assert pca.state.certificate_authorities(account=OTHER_ACCOUNT, region="us-east-1") == ()
    assert len(pca.state.certificate_authorities()) == 2


def test_certificates_shows_revocation_and_template(pca, client):
    root = create_root_ca(client)
    kept = issue_certificate(client, root)
    revoked = issue_certificate(client, root, template="EndEntityServerAuthCertificate/V1")
    _revoke(client, root.arn, revoked.certificate.serial_number, "SUPERSEDED")

    first, second = pca.state.certificates(root.arn)

    assert (first.arn, first.revoked, first.revocation_reason) == (kept.arn, False, None)
    assert (second.arn, second.revoked, second.revocation_reason) == (revoked.arn, True, "SUPERSEDED")
    assert second.serial == revoked.certificate.serial_number
    assert second.template_arn == "arn:aws:acm-pca:::template/EndEntityServerAuthCertificate/V1"
    assert second.not_after == revoked.certificate.not_valid_after_utc
    assert second.certificate_pem == revoked.certificate_pem
    assert pca.state.certificate_authorities()[0].revoked == 1


def test_views_are_snapshots_that_later_changes_do_not_touch(pca, client):
    root = create_root_ca(client)
    leaf = issue_certificate(client, root)
    (before,) = pca.state.certificates(root.arn)
    (ca_before,) = pca.state.certificate_authorities()

    _revoke(client, root.arn, leaf.certificate.serial_number)

    assert before.revoked_at is None
    assert ca_before.revoked == 0
    assert pca.state.certificates(root.arn)[0].revoked_at is not None


def test_views_cannot_change_the_mock(pca, client):
    root = create_root_ca(client)
    issue_certificate(client, root)
    (view,) = pca.state.certificates(root.arn)
    (ca_view,) = pca.state.certificate_authorities()
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.revocation_reason = "KEY_COMPROMISE"
    with pytest.raises(dataclasses.FrozenInstanceError):
        ca_view.status = "DISABLED"
    assert (
        client.describe_certificate_authority(CertificateAuthorityArn=root.arn)["CertificateAuthority"]["Status"]
        == "ACTIVE"
    )


def test_views_never_show_a_private_key(pca, client):
    root = create_root_ca(client)
    issue_certificate(client, root)
    views = (*pca.state.certificate_authorities(), *pca.state.certificates(root.arn), pca.state)
    for view in views:
        assert "PRIVATE KEY" not in repr(view)
        assert "PRIVATE KEY" not in str(view)
    ca_fields = {field.name for field in dataclasses.fields(pca.state.certificate_authorities()[0])}
    assert not {name for name in ca_fields if "key" in name} - {"key_algorithm"}


def test_certificates_of_an_unknown_ca_raises_value_error(pca):
    arn = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/00000000-0000-0000-0000-000000000000"
    with pytest.raises(ValueError, match="No certificate authority") as excinfo:
        pca.state.certificates(arn)
    assert excinfo.value.args == (f"No certificate authority {arn} exists under the mock.",)


def test_state_is_empty_after_reset(pca, client):
    create_root_ca(client)
    pca.reset()
    assert pca.state.certificate_authorities() == ()
