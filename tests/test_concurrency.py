"""Many threads at once against shared CAs (issue 6: concurrency).

Each worker thread has its own boto3 session and client, made inside the
active mock as boto3 advises, and retries are off so every call is exactly one
request. The workers run a fixed plan (no randomness, no sleeps) from a
common barrier; afterwards the mock's state, its CRLs and its audit reports
must agree with what the workers were told, call by call.
"""

from __future__ import annotations

import json
import threading
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import boto3
import time_machine
from botocore.config import Config
from botocore.exceptions import ClientError
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from pca_mock import AcmPcaMock, mock_acmpca
from pca_mock._mock import active_mock
from tests.helpers import EE_TEMPLATE, ca_configuration, create_active_root, create_ca, issue, make_csr

REGION = "us-east-1"
NOW = datetime(2030, 1, 15, 12, 0, 0, tzinfo=timezone.utc)
CRL_BUCKET = "concurrency-crl-bucket"
AUDIT_BUCKET = "concurrency-audit-bucket"
WORKERS = 8
ROUNDS = 6
# Certificates every worker tries to revoke: exactly one revocation of each may succeed.
CONTESTED = 4
REVOCATION = {"CrlConfiguration": {"Enabled": True, "S3BucketName": CRL_BUCKET}}
# Exactly one request per call: no retry may hide or double an outcome.
ONE_ATTEMPT = Config(retries={"total_max_attempts": 1, "mode": "standard"})
JOIN_TIMEOUT = 120
# The RevocationReasons the workers use → the reason their CRL entries carry.
CRL_REASONS = {
    "KEY_COMPROMISE": x509.ReasonFlags.key_compromise,
    "SUPERSEDED": x509.ReasonFlags.superseded,
    "CESSATION_OF_OPERATION": x509.ReasonFlags.cessation_of_operation,
    "AFFILIATION_CHANGED": x509.ReasonFlags.affiliation_changed,
}


def _clients(count: int) -> list[Any]:
    """One client per thread, made here from one session (a session is not thread-safe; its clients are)."""
    session = boto3.session.Session()
    return [session.client("acm-pca", region_name=REGION, config=ONE_ATTEMPT) for _ in range(count)]


def _serial(cert_arn: str) -> int:
    return int(cert_arn.rsplit("/", 1)[1], 16)


def _error_code(error: ClientError) -> str:
    return str(error.response["Error"]["Code"])


@dataclass
class WorkerLog:
    """What one worker was told by the service."""

    issued: list[tuple[str, str]] = field(default_factory=list)  # (CA ARN, certificate ARN)
    revoked: list[tuple[str, str, str]] = field(default_factory=list)  # (CA ARN, certificate ARN, reason)
    contested_wins: list[str] = field(default_factory=list)
    contested_losses: list[tuple[str, str, str]] = field(default_factory=list)  # (certificate ARN, code, message)
    created: list[str] = field(default_factory=list)
    idempotent_arn: str | None = None
    kept_tags: dict[str, dict[str, str]] = field(default_factory=dict)  # CA ARN → tags this worker left
    shared_tag_values: list[str] = field(default_factory=list)


def _run_threads(
    workers: list[Callable[[], None]], reader: Callable[[threading.Event], None] | None = None
) -> list[str]:
    """Run the workers together from one barrier, and the reader until they are done.

    Returns the traceback of every exception any of them raised.
    """
    barrier = threading.Barrier(len(workers) + (reader is not None))
    done = threading.Event()
    failures: list[str] = []
    lock = threading.Lock()

    def run(target: Callable[[], None]) -> None:
        try:
            barrier.wait(timeout=JOIN_TIMEOUT)
            target()
        except BaseException:
            with lock:
                failures.append(traceback.format_exc())

    threads = [threading.Thread(target=run, args=(work,), name=f"worker-{n}") for n, work in enumerate(workers)]
    if reader is not None:
        threads.append(threading.Thread(target=run, args=(lambda: reader(done),), name="reader"))
    for thread in threads:
        thread.start()
    for thread in threads[: len(workers)]:
        thread.join(JOIN_TIMEOUT)
    done.set()
    for thread in threads[len(workers) :]:
        thread.join(JOIN_TIMEOUT)
    assert [thread.name for thread in threads if thread.is_alive()] == []
    return failures


def _revoke(client: Any, ca_arn: str, cert_arn: str, reason: str) -> None:
    client.revoke_certificate(
        CertificateAuthorityArn=ca_arn, CertificateSerial=f"{_serial(cert_arn):x}", RevocationReason=reason
    )


def _worker(
    client: Any, index: int, shared: list[str], contested: list[tuple[str, str]], log: WorkerLog, csr: bytes
) -> Callable[[], None]:
    def work() -> None:
        # Every worker asks for the same CA with one token: AWS creates it once.
        log.idempotent_arn = create_ca(client, IdempotencyToken="shared-token")
        for ca_arn in shared:
            log.kept_tags[ca_arn] = {}
        for round_ in range(ROUNDS):
            ca_arn = shared[(index + round_) % len(shared)]
            cert_arn = client.issue_certificate(
                CertificateAuthorityArn=ca_arn,
                Csr=csr,
                SigningAlgorithm="SHA256WITHECDSA",
                Validity={"Type": "DAYS", "Value": 30},
            )["CertificateArn"]
            log.issued.append((ca_arn, cert_arn))
            fetched = client.get_certificate(CertificateAuthorityArn=ca_arn, CertificateArn=cert_arn)
            assert x509.load_pem_x509_certificate(fetched["Certificate"].encode()).serial_number == _serial(cert_arn)
            if round_ % 2 == 0:
                reason = ("KEY_COMPROMISE", "SUPERSEDED", "CESSATION_OF_OPERATION")[(index + round_) % 3]
                _revoke(client, ca_arn, cert_arn, reason)
                log.revoked.append((ca_arn, cert_arn, reason))
            # Own tag keys, one of which is removed again; plus one key every worker writes.
            key = f"w{index}-r{round_}"
            client.tag_certificate_authority(
                CertificateAuthorityArn=ca_arn,
                Tags=[{"Key": key, "Value": str(round_)}, {"Key": "shared", "Value": f"w{index}"}],
            )
            log.shared_tag_values.append(f"w{index}")
            if round_ % 3 == 1:
                client.untag_certificate_authority(CertificateAuthorityArn=ca_arn, Tags=[{"Key": key}])
            else:
                log.kept_tags[ca_arn][key] = str(round_)
            if round_ == 2:
                configuration = ca_configuration(subject={"CommonName": f"Worker {index} CA"})
                log.created.append(create_ca(client, configuration=configuration))
            # Readers of what everybody else is changing.
            listed = {ca["Arn"]: ca["Status"] for ca in client.list_certificate_authorities()["CertificateAuthorities"]}
            assert all(listed[arn] == "ACTIVE" for arn in shared)
            described = client.describe_certificate_authority(CertificateAuthorityArn=ca_arn)["CertificateAuthority"]
            assert described["Status"] == "ACTIVE"
            client.list_tags(CertificateAuthorityArn=ca_arn)
        # The contested certificates, in a different order per worker.
        for offset in range(len(contested)):
            ca_arn, cert_arn = contested[(index + offset) % len(contested)]
            try:
                _revoke(client, ca_arn, cert_arn, "AFFILIATION_CHANGED")
            except ClientError as error:
                log.contested_losses.append((cert_arn, _error_code(error), error.response["Error"]["Message"]))
            else:
                log.contested_wins.append(cert_arn)

    return work


def _reader(pca: AcmPcaMock, shared: list[str], crl_urls: list[str]) -> Callable[[threading.Event], None]:
    """Reads the mock's views (state, object store, CRL URLs) while the workers write."""

    def read(done: threading.Event) -> None:
        # A bounded number of rounds, enough to overlap the workers without starving them.
        for _ in range(40):
            if done.is_set():
                return
            assert len(pca.state.certificate_authorities()) >= len(shared)
            for ca_arn in shared:
                pca.state.certificates(ca_arn)
            pca.objects.keys(CRL_BUCKET)
            for url in crl_urls:
                x509.load_der_x509_crl(pca.fetch(url))

    return read


def _crl_url(certificate_pem: str) -> str:
    points = x509.load_pem_x509_certificate(certificate_pem.encode()).extensions.get_extension_for_class(
        x509.CRLDistributionPoints
    )
    full_name = points.value[0].full_name
    assert full_name is not None
    return str(full_name[0].value)


def test_threads_creating_issuing_revoking_tagging_and_listing_on_shared_cas_agree_with_the_final_state(
    pca: AcmPcaMock, client: Any
) -> None:
    shared = [create_active_root(client, RevocationConfiguration=REVOCATION) for _ in range(2)]
    csr = make_csr("concurrent.example.com")
    contested = [(ca_arn, issue(client, ca_arn, csr)["CertificateArn"]) for ca_arn in shared for _ in range(2)]
    assert len(contested) == CONTESTED
    crl_urls = [_crl_url(issue(client, ca_arn, csr, template=EE_TEMPLATE)["Certificate"]) for ca_arn in shared]
    before = {ca_arn: [view.arn for view in pca.state.certificates(ca_arn)] for ca_arn in shared}

    logs = [WorkerLog() for _ in range(WORKERS)]
    clients = _clients(WORKERS)
    workers = [_worker(clients[index], index, shared, contested, logs[index], csr) for index in range(WORKERS)]

    assert _run_threads(workers, _reader(pca, shared, crl_urls)) == []

    # --- every issued certificate exists once, with a serial of its own ---------------------------
    issued = [entry for log in logs for entry in log.issued]
    assert len(issued) == WORKERS * ROUNDS
    for ca_arn in shared:
        views = pca.state.certificates(ca_arn)
        serials = [view.serial for view in views]
        assert len(serials) == len(set(serials))
        mine = [cert_arn for owner, cert_arn in issued if owner == ca_arn]
        # Issue order is kept: what existed before the threads started comes first.
        assert [view.arn for view in views[: len(before[ca_arn])]] == before[ca_arn]
        assert sorted(view.arn for view in views) == sorted(before[ca_arn] + mine)
        assert {_serial(view.arn) for view in views} == set(serials)
    for ca_arn, cert_arn in issued:
        pem = client.get_certificate(CertificateAuthorityArn=ca_arn, CertificateArn=cert_arn)["Certificate"]
        assert x509.load_pem_x509_certificate(pem.encode()).serial_number == _serial(cert_arn)

    # --- each contested certificate was revoked exactly once; the others were told so ---------------
    wins = Counter(cert_arn for log in logs for cert_arn in log.contested_wins)
    assert wins == Counter(cert_arn for _, cert_arn in contested)
    losses = [loss for log in logs for loss in log.contested_losses]
    already = "RequestAlreadyProcessedException"
    assert sorted(losses) == sorted(
        (cert_arn, already, f"The certificate with serial {_serial(cert_arn):x} has already been revoked.")
        for _, cert_arn in contested
        for _ in range(WORKERS - 1)
    )

    # --- revocations: state, CRL and audit report all say the same ------------------------------
    expected_reasons = {cert_arn: reason for log in logs for _, cert_arn, reason in log.revoked}
    expected_reasons |= {cert_arn: "AFFILIATION_CHANGED" for _, cert_arn in contested}
    for ca_arn, url in zip(shared, crl_urls, strict=True):
        revoked_here = {
            _serial(cert_arn): reason
            for cert_arn, reason in expected_reasons.items()
            if cert_arn.startswith(ca_arn + "/")
        }
        state_revoked = {view.serial: view.revocation_reason for view in pca.state.certificates(ca_arn) if view.revoked}
        assert state_revoked == revoked_here

        crl = x509.load_der_x509_crl(pca.fetch(url))
        ca_certificate = client.get_certificate_authority_certificate(CertificateAuthorityArn=ca_arn)["Certificate"]
        public_key: Any = x509.load_pem_x509_certificate(ca_certificate.encode()).public_key()
        assert crl.is_signature_valid(public_key)
        crl_entries = {
            entry.serial_number: entry.extensions.get_extension_for_class(x509.CRLReason).value.reason for entry in crl
        }
        assert crl_entries == {serial: CRL_REASONS[reason] for serial, reason in revoked_here.items()}

        report = client.create_certificate_authority_audit_report(
            CertificateAuthorityArn=ca_arn, S3BucketName=AUDIT_BUCKET, AuditReportResponseFormat="JSON"
        )
        rows = json.loads(pca.objects.get(AUDIT_BUCKET, report["S3Key"]))
        by_arn = {row["certificateArn"]: row for row in rows}
        assert set(by_arn) >= {cert_arn for owner, cert_arn in issued if owner == ca_arn}
        assert {
            int(row["serial"].replace(":", ""), 16): row["revocationReason"] for row in rows if "revokedAt" in row
        } == revoked_here

    # --- tags: what each worker left, plus the key they all wrote, holding one worker's value ----------
    for ca_arn in shared:
        tags = {tag["Key"]: tag.get("Value") for tag in client.list_tags(CertificateAuthorityArn=ca_arn)["Tags"]}
        shared_value = tags.pop("shared")
        assert shared_value in {value for log in logs for value in log.shared_tag_values}
        expected_tags = {key: value for log in logs for key, value in log.kept_tags[ca_arn].items()}
        assert tags == expected_tags

    # --- CAs: one for the shared idempotency token, one per worker, none lost -----------------------
    assert len({log.idempotent_arn for log in logs}) == 1
    created = [arn for log in logs for arn in log.created]
    assert len(set(created)) == WORKERS
    listed = {ca["Arn"] for ca in client.list_certificate_authorities()["CertificateAuthorities"]}
    assert listed == {*shared, *created, logs[0].idempotent_arn}


# --- faults, rate limits and nesting under contention ---------------------------------------------


def _outcomes(calls: int, call: Callable[[Any], Any]) -> tuple[list[str], list[str]]:
    """Run ``call`` ``calls`` times in each of WORKERS threads; the codes of the failures, and the failure tracebacks."""
    codes: list[str] = []
    lock = threading.Lock()

    def worker(client: Any) -> Callable[[], None]:
        def work() -> None:
            for _ in range(calls):
                try:
                    call(client)
                except ClientError as error:
                    with lock:
                        codes.append(f"{_error_code(error)}: {error.response['Error']['Message']}")

        return work

    failures = _run_threads([worker(client) for client in _clients(WORKERS)])
    return codes, failures


def test_planned_faults_are_used_up_exactly_once_across_threads(pca: AcmPcaMock, client: Any) -> None:
    ca_arn = create_active_root(client)
    csr = make_csr()
    pca.fail("IssueCertificate", "ThrottlingException", times=5)

    def issue_one(thread_client: Any) -> None:
        thread_client.issue_certificate(
            CertificateAuthorityArn=ca_arn,
            Csr=csr,
            SigningAlgorithm="SHA256WITHECDSA",
            Validity={"Type": "DAYS", "Value": 30},
        )

    codes, failures = _outcomes(3, issue_one)

    assert failures == []
    assert codes == ["ThrottlingException: Rate exceeded"] * 5
    views = pca.state.certificates(ca_arn)
    assert len(views) == WORKERS * 3 - 5
    assert len({view.serial for view in views}) == len(views)


def test_rate_limit_admits_exactly_the_quota_from_many_threads_on_a_frozen_clock() -> None:
    # ListTags allows 20 requests per second; the clock does not move, so no second ends.
    with mock_acmpca(rate_limits=True), time_machine.travel(NOW, tick=False):
        ca_arn = create_ca(boto3.client("acm-pca", region_name=REGION))
        codes, failures = _outcomes(4, lambda thread_client: thread_client.list_tags(CertificateAuthorityArn=ca_arn))

    assert failures == []
    assert codes == ["ThrottlingException: Rate exceeded"] * (WORKERS * 4 - 20)


def test_nested_activations_started_and_stopped_by_many_threads_keep_the_outer_state() -> None:
    with mock_acmpca() as outer:
        client = boto3.client("acm-pca", region_name=REGION)
        first = create_ca(client)
        clients = _clients(WORKERS)

        def nest(thread_client: Any) -> Callable[[], None]:
            def work() -> None:
                for _ in range(3):
                    with mock_acmpca():
                        create_ca(thread_client)

            return work

        assert _run_threads([nest(thread_client) for thread_client in clients]) == []

        assert active_mock() is outer
        listed = [ca["Arn"] for ca in client.list_certificate_authorities()["CertificateAuthorities"]]
        assert len(listed) == len(set(listed)) == 1 + WORKERS * 3
        assert first in listed
    assert active_mock() is None
    with mock_acmpca():
        assert client.list_certificate_authorities()["CertificateAuthorities"] == []


# --- RSA keys (and whatever generates them in the background) ------------------------------------


def _ca_public_key(client: Any, ca_arn: str) -> bytes:
    csr = client.get_certificate_authority_csr(CertificateAuthorityArn=ca_arn)["Csr"]
    return (
        x509.load_pem_x509_csr(csr.encode())
        .public_key()
        .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    )


def _rsa_cas_from_threads(per_thread: int) -> list[tuple[Any, str]]:
    created: list[tuple[Any, str]] = []
    lock = threading.Lock()
    rsa = ca_configuration("RSA_2048", "SHA256WITHRSA")

    def worker(thread_client: Any) -> Callable[[], None]:
        def work() -> None:
            for _ in range(per_thread):
                arn = create_ca(thread_client, configuration=rsa)
                with lock:
                    created.append((thread_client, arn))

        return work

    assert _run_threads([worker(thread_client) for thread_client in _clients(4)]) == []
    return created


def test_rsa_cas_created_from_many_threads_each_get_a_key_no_other_ca_ever_had() -> None:
    threads_before = set(threading.enumerate())
    seen: list[bytes] = []
    for _ in range(2):
        with mock_acmpca():
            created = _rsa_cas_from_threads(per_thread=1)
            assert len(created) == 4
            seen += [_ca_public_key(thread_client, arn) for thread_client, arn in created]
            # Each CA signs with its own key: its CSR verifies under the key it names.
            for thread_client, arn in created:
                csr = thread_client.get_certificate_authority_csr(CertificateAuthorityArn=arn)["Csr"]
                assert x509.load_pem_x509_csr(csr.encode()).is_signature_valid
    assert len(seen) == len(set(seen)) == 8
    # Whatever the mock runs in the background never keeps the interpreter from exiting.
    assert [thread.name for thread in set(threading.enumerate()) - threads_before if not thread.daemon] == []
