"""Time-dependent state follows the clock of time-machine and freezegun alike.

pca_mock schedules nothing: EXPIRED, the end of a deletion window, the age of
a CRL, idempotency and audit-report windows and (with realistic timing) the
CREATING delay are all worked out from ``datetime.now()`` when read. So moving
the clock with either library moves the mocked service with it. Every test
here runs once per library.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol

import boto3
import freezegun
import pytest
import time_machine
from botocore.exceptions import ClientError
from cryptography import x509

from pca_mock import mock_acmpca
from tests.helpers import create_active_root, create_ca, issue, load_certificate, make_csr, signing_algorithm_of

NOW = datetime(2031, 3, 10, 9, 30, 0, tzinfo=timezone.utc)
REGION = "us-east-1"
BUCKET = "pca-mock-time-travel-bucket"


class Clock(Protocol):
    def shift(self, delta: timedelta) -> None: ...


class _TimeMachineClock:
    def __init__(self, traveller: Any) -> None:
        self._traveller = traveller

    def shift(self, delta: timedelta) -> None:
        self._traveller.shift(delta)


class _FreezegunClock:
    def __init__(self, factory: Any) -> None:
        self._factory = factory

    def shift(self, delta: timedelta) -> None:
        self._factory.tick(delta)


@pytest.fixture(params=["time-machine", "freezegun"])
def clock(request: pytest.FixtureRequest) -> Iterator[Clock]:
    """A clock stopped at NOW that only moves when a test shifts it."""
    if request.param == "time-machine":
        with time_machine.travel(NOW, tick=False) as traveller:
            yield _TimeMachineClock(traveller)
    else:
        with freezegun.freeze_time(NOW) as factory:
            yield _FreezegunClock(factory)


def _error(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = excinfo.value.response["Error"]
    return error["Code"], error["Message"]


def _status(client: Any, ca_arn: str) -> str:
    status: str = client.describe_certificate_authority(CertificateAuthorityArn=ca_arn)["CertificateAuthority"][
        "Status"
    ]
    return status


def _issue_arn(client: Any, ca_arn: str, **kwargs: Any) -> str:
    arn: str = client.issue_certificate(
        CertificateAuthorityArn=ca_arn,
        Csr=make_csr(),
        SigningAlgorithm=signing_algorithm_of(client, ca_arn),
        Validity={"Type": "DAYS", "Value": 30},
        **kwargs,
    )["CertificateArn"]
    return arn


# --- CA lifetime ------------------------------------------------------------------------


def test_a_ca_whose_certificate_ends_reads_expired_and_stops_issuing(clock: Clock, client: Any) -> None:
    ca_arn = create_active_root(client, years=1)
    not_after = client.describe_certificate_authority(CertificateAuthorityArn=ca_arn)["CertificateAuthority"][
        "NotAfter"
    ]
    clock.shift(not_after - NOW - timedelta(seconds=1))
    assert _status(client, ca_arn) == "ACTIVE"

    clock.shift(timedelta(seconds=2))
    assert _status(client, ca_arn) == "EXPIRED"
    with pytest.raises(ClientError) as excinfo:
        _issue_arn(client, ca_arn)
    assert _error(excinfo) == (
        "InvalidStateException",
        "The certificate authority is not in a valid state for issuing certificates",
    )


def test_a_deleted_ca_is_restorable_until_its_window_ends_then_gone(clock: Clock, client: Any) -> None:
    ca_arn = create_ca(client)  # PENDING_CERTIFICATE: deletable, with a restoration window
    client.delete_certificate_authority(CertificateAuthorityArn=ca_arn, PermanentDeletionTimeInDays=7)

    clock.shift(timedelta(days=7) - timedelta(seconds=1))
    assert _status(client, ca_arn) == "DELETED"

    clock.shift(timedelta(seconds=1))
    with pytest.raises(ClientError) as excinfo:
        client.restore_certificate_authority(CertificateAuthorityArn=ca_arn)
    assert _error(excinfo) == (
        "ResourceNotFoundException",
        f"Could not find certificate authority with arn {ca_arn}.",
    )


# --- certificates and CRLs --------------------------------------------------------------


def test_revoking_a_certificate_is_refused_once_it_has_expired(clock: Clock, client: Any) -> None:
    ca_arn = create_active_root(client)
    leaf = load_certificate(issue(client, ca_arn, make_csr(), validity={"Type": "DAYS", "Value": 1})["Certificate"])
    serial = f"{leaf.serial_number:x}"

    clock.shift(timedelta(days=2))
    with pytest.raises(ClientError) as excinfo:
        client.revoke_certificate(
            CertificateAuthorityArn=ca_arn, CertificateSerial=serial, RevocationReason="SUPERSEDED"
        )
    assert _error(excinfo) == (
        "InvalidRequestException",
        f"The certificate with serial {serial} has expired and cannot be revoked.",
    )


def test_a_crl_fetched_after_the_clock_moved_past_its_midpoint_is_a_fresh_one(clock: Clock, pca: Any) -> None:
    client = boto3.client("acm-pca", region_name=REGION)
    revocation = {
        "CrlConfiguration": {"Enabled": True, "S3BucketName": BUCKET, "ExpirationInDays": 7},
        "OcspConfiguration": {"Enabled": False},
    }
    ca_arn = create_active_root(client, RevocationConfiguration=revocation)
    leaf = load_certificate(issue(client, ca_arn, make_csr())["Certificate"])
    distribution_points = leaf.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    (uri,) = distribution_points[0].full_name or []
    url = uri.value

    first = x509.load_der_x509_crl(pca.fetch(url))
    assert first.next_update_utc == NOW + timedelta(days=7)

    # Before the midpoint of its validity the CRL stands; after it, AWS has published a new one.
    clock.shift(timedelta(days=3))
    assert x509.load_der_x509_crl(pca.fetch(url)).next_update_utc == first.next_update_utc
    clock.shift(timedelta(days=1))
    refreshed = x509.load_der_x509_crl(pca.fetch(url))
    assert refreshed.next_update_utc == NOW + timedelta(days=4 + 7)
    assert refreshed.last_update_utc == NOW + timedelta(days=4) - timedelta(hours=1)


# --- windows counted on the clock -------------------------------------------------------


def test_an_idempotency_token_binds_its_certificate_for_five_minutes(clock: Clock, client: Any) -> None:
    ca_arn = create_active_root(client)
    first = _issue_arn(client, ca_arn, IdempotencyToken="rotation-1")

    clock.shift(timedelta(minutes=5) - timedelta(seconds=1))
    assert _issue_arn(client, ca_arn, IdempotencyToken="rotation-1") == first

    clock.shift(timedelta(seconds=1))
    assert _issue_arn(client, ca_arn, IdempotencyToken="rotation-1") != first


def test_a_ca_may_start_another_audit_report_thirty_minutes_after_the_last(clock: Clock, client: Any) -> None:
    ca_arn = create_active_root(client)

    def report() -> str:
        report_id: str = client.create_certificate_authority_audit_report(
            CertificateAuthorityArn=ca_arn, S3BucketName=BUCKET, AuditReportResponseFormat="JSON"
        )["AuditReportId"]
        return report_id

    report()
    clock.shift(timedelta(minutes=30) - timedelta(seconds=1))
    with pytest.raises(ClientError) as excinfo:
        report()
    assert excinfo.value.response["Error"]["Code"] == "RequestInProgressException"

    clock.shift(timedelta(seconds=1))
    assert report()


# --- realistic timing -------------------------------------------------------------------


def test_with_realistic_timing_moving_the_clock_ends_creating_and_issuing(clock: Clock) -> None:
    with mock_acmpca(realistic_timing=True):
        client = boto3.client("acm-pca", region_name=REGION)
        ca_arn = create_ca(client)
        assert _status(client, ca_arn) == "CREATING"
        clock.shift(timedelta(seconds=5))
        assert _status(client, ca_arn) == "PENDING_CERTIFICATE"

        csr = client.get_certificate_authority_csr(CertificateAuthorityArn=ca_arn)["Csr"]
        root_arn = client.issue_certificate(
            CertificateAuthorityArn=ca_arn,
            Csr=csr,
            SigningAlgorithm="SHA256WITHECDSA",
            Validity={"Type": "YEARS", "Value": 10},
            TemplateArn="arn:aws:acm-pca:::template/RootCACertificate/V1",
        )["CertificateArn"]
        with pytest.raises(ClientError) as excinfo:
            client.get_certificate(CertificateAuthorityArn=ca_arn, CertificateArn=root_arn)
        assert _error(excinfo) == (
            "RequestInProgressException",
            f"The certificate {root_arn} is still being issued.",
        )
        clock.shift(timedelta(seconds=1))
        assert client.get_certificate(CertificateAuthorityArn=ca_arn, CertificateArn=root_arn)["Certificate"]
