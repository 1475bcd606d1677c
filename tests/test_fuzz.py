"""Fuzzing every operation against live state, from botocore's service model.

A hypothesis state machine sets up CAs in every status (CREATING, pending root
and subordinate, ACTIVE root and subordinate, DISABLED, EXPIRED, DELETED, one
of another account that shares it through a policy, one in another region and
one in a China region), then sends requests drawn by ``tests/fuzzing.py``:
valid-looking and hostile values, some edited on the wire after botocore
serialised them. Every call must end in success or an AWS error the operation
can answer with, over the wire with a status below 500; an
``UnsupportedByMockError`` is accepted only for what docs/behavior.md says is
not modelled. After every step the mock's state must be consistent, and a call
that failed must have changed nothing.

The ``ci`` profile (the default) is bounded and derandomised so the suite stays
fast and reproducible; ``PCA_MOCK_FUZZ_PROFILE=fuzz`` (``nox -s fuzz``) runs
far more examples.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import os
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cache
from typing import Any

import botocore.session
import time_machine
from botocore.config import Config
from botocore.exceptions import ClientError
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, mldsa
from cryptography.x509.oid import NameOID
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from pca_mock import RealisticTiming, mock_acmpca
from pca_mock.errors import UnsupportedByMockError
from pca_mock.objects import STORE
from pca_mock.registry import REGISTRY
from pca_mock.service import crls
from pca_mock.service.arns import ca_arn, certificate_arn
from pca_mock.service.models import CaStatus, CaType
from tests import fuzzing
from tests.helpers import EE_TEMPLATE, ROOT_TEMPLATE, ec_key, make_csr, subordinate_template

MAIN_ACCOUNT = "123456789012"
OTHER_ACCOUNT = "210987654321"
# (access key, region): the access key names the account (a 12-digit key is the account itself).
CLIENTS = (
    ("AKIAFUZZMAINACCOUNT0", "us-east-1"),
    (OTHER_ACCOUNT, "us-east-1"),
    ("AKIAFUZZMAINACCOUNT0", "eu-west-2"),
    ("AKIAFUZZMAINACCOUNT0", "cn-north-1"),
)
CLIENT_ACCOUNTS = (MAIN_ACCOUNT, OTHER_ACCOUNT, MAIN_ACCOUNT, MAIN_ACCOUNT)
# Errors the mock answers besides an operation's modelled ones (docs/behavior.md):
# ValidationException for constraints, SerializationException for wrong JSON
# types, AccessDeniedException for other accounts' CAs; InvalidNextTokenException
# for ListTags. Not ThrottlingException: the fuzz run neither injects faults nor
# turns rate limits on, so throttling would be a bug.
COMMON_ERRORS = frozenset({"ValidationException", "SerializationException", "AccessDeniedException"})
EXTRA_ERRORS = {"ListTags": frozenset({"InvalidNextTokenException"})}
# What docs/behavior.md says the mock deliberately does not model.
DOCUMENTED_UNSUPPORTED = (
    re.compile(r"pca_mock does not model SM2 CA keys yet"),
    re.compile(r"uses EdiPartyName, which pca_mock cannot encode yet"),
    re.compile(r"pca_mock does not model AWS Organizations"),
)

_S3_CRL_URL = re.compile(r"http://[a-z0-9][a-z0-9.-]*\.s3\.[a-z0-9-]+\.amazonaws\.com/[^?#]+\.crl")
PROFILE_ENV = "PCA_MOCK_FUZZ_PROFILE"
# Hunting mode: failures are appended to this file instead of stopping the run.
HUNT_LOG = os.environ.get("PCA_MOCK_FUZZ_LOG", "")
HUNT_FAILURES: list[str] = []
settings.register_profile(
    "ci",
    max_examples=20,
    stateful_step_count=30,
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
settings.register_profile(
    "fuzz",
    max_examples=5000,
    stateful_step_count=60,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

# Tallies over a run, printed by the fuzz session (pytest -s) and read by tests of this module.
OUTCOMES: Counter[tuple[str, str]] = Counter()
UNSUPPORTED_SEEN: Counter[str] = Counter()


def profile() -> settings:
    return settings.get_profile(os.environ.get(PROFILE_ENV, "ci"))


# --- clients ---------------------------------------------------------------------------------


@cache
def client(index: int, validate: bool = False, editing: bool = False) -> Any:
    """The fuzz client ``index``; ``editing`` ones can have their request body edited on the wire.

    Only those carry a before-send handler: the others are plain clients, so
    their requests take the mock's shortcut past SigV4 (pca_mock._fastpath)
    and the fuzzing covers both paths.
    """
    access_key, region = CLIENTS[index]
    session = botocore.session.get_session()
    made = session.create_client(
        "acm-pca",
        region_name=region,
        aws_access_key_id=access_key,
        aws_secret_access_key="fuzz-secret",
        config=Config(parameter_validation=validate, retries={"total_max_attempts": 1, "mode": "standard"}),
    )
    made.meta.events.register("before-call.acm-pca", _before_call)
    if editing:
        made.meta.events.register_first("before-send.acm-pca", _edit_body)
    return made


class _Wire:
    """What happened to the current request on its way to the mock."""

    reached = False
    edit: fuzzing.WireEdit | None = None


def _before_call(**_: Any) -> None:
    """botocore validated and serialised the request and is about to send it."""
    _Wire.reached = True


def _edit_body(request: Any, **_: Any) -> None:
    """Registered first on editing clients: edits the body on its way to the mock."""
    if _Wire.edit is not None:
        body = request.body if isinstance(request.body, bytes) else (request.body or "").encode()
        request.body = fuzzing.apply_wire_edit(body, _Wire.edit)
    return None


# --- static material: CSRs and certificates that do not depend on the live state ---------------------------


def _self_signed(key: Any, *, ca: bool | None, critical: bool = True, days: int = 30, past: bool = False) -> bytes:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Unrelated")])
    start = datetime.now(timezone.utc) - timedelta(days=days * 2 if past else 1)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=days))
    )
    if ca is not None:
        builder = builder.add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=critical)
    return builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)


@cache
def static_csrs() -> tuple[bytes, ...]:
    ml_dsa = mldsa.MLDSA44PrivateKey.generate()
    good = make_csr()
    tampered = bytearray(x509.load_pem_x509_csr(good).public_bytes(serialization.Encoding.DER))
    tampered[-3] ^= 0x01
    tampered_pem = b"-----BEGIN CERTIFICATE REQUEST-----\n" + base64.encodebytes(bytes(tampered))
    tampered_pem += b"-----END CERTIFICATE REQUEST-----\n"
    return (
        good,
        make_csr(
            "leaf.example.com",
            sans=[x509.DNSName("leaf.example.com"), x509.IPAddress(ipaddress.ip_address("10.0.0.1"))],
        ),
        make_csr(None),
        make_csr(None, sans=[x509.DNSName("only-san.example.com")]),
        make_csr("ml-dsa.example.com", key=ml_dsa),
        make_csr("\u202eevil\u00e9\U0001f600 \x7f"),
        make_csr(
            "ca-ish.example.com",
            key=ec_key(1),
            extensions=[
                (x509.BasicConstraints(ca=True, path_length=3), True),
                (x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.4.1.99999.7"), b"\x05\x00"), True),
            ],
        ),
        bytes(tampered_pem),
    )


@cache
def static_certificates() -> tuple[bytes, ...]:
    key = ec.generate_private_key(ec.SECP256R1())
    return (
        _self_signed(key, ca=True),
        _self_signed(key, ca=None),
        _self_signed(key, ca=True, critical=False),
        _self_signed(key, ca=False),
        _self_signed(key, ca=True, past=True),
    )


# --- live state --------------------------------------------------------------------------------------


def _configuration(key_algorithm: str = "EC_prime256v1", signing: str = "SHA256WITHECDSA") -> dict[str, Any]:
    return {
        "KeyAlgorithm": key_algorithm,
        "SigningAlgorithm": signing,
        "Subject": {"Country": "US", "Organization": "Fuzz Corp", "CommonName": "Fuzz CA"},
    }


def _create(api: Any, ca_type: str = "ROOT", **kwargs: Any) -> str:
    configuration = kwargs.pop("configuration", None) or _configuration()
    arn: str = api.create_certificate_authority(
        CertificateAuthorityConfiguration=configuration, CertificateAuthorityType=ca_type, **kwargs
    )["CertificateAuthorityArn"]
    return arn


def _issue(api: Any, ca: str, csr: bytes | str, template: str, validity: dict[str, Any], signing: str) -> str:
    arn: str = api.issue_certificate(
        CertificateAuthorityArn=ca, Csr=csr, SigningAlgorithm=signing, TemplateArn=template, Validity=validity
    )["CertificateArn"]
    return arn


def _activate_root(api: Any, ca: str, validity: dict[str, Any], signing: str = "SHA256WITHECDSA") -> None:
    csr = api.get_certificate_authority_csr(CertificateAuthorityArn=ca)["Csr"]
    cert_arn = _issue(api, ca, csr, ROOT_TEMPLATE, validity, signing)
    certificate = api.get_certificate(CertificateAuthorityArn=ca, CertificateArn=cert_arn)["Certificate"]
    api.import_certificate_authority_certificate(CertificateAuthorityArn=ca, Certificate=certificate)


def _active_root(api: Any, **kwargs: Any) -> str:
    signing = kwargs.get("configuration", _configuration())["SigningAlgorithm"]
    arn = _create(api, "ROOT", **kwargs)
    _activate_root(api, arn, {"Type": "YEARS", "Value": 10}, signing)
    return arn


def policy_for(arn: str) -> str:
    """A resource policy AWS accepts for ``arn``, sharing it with the other test account."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": [MAIN_ACCOUNT, OTHER_ACCOUNT]},
                    "Action": ["acm-pca:DescribeCertificateAuthority", "acm-pca:GetCertificate", "acm-pca:ListTags"],
                    "Resource": arn,
                },
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": [MAIN_ACCOUNT, OTHER_ACCOUNT]},
                    "Action": "acm-pca:IssueCertificate",
                    "Resource": arn,
                    "Condition": {"StringEquals": {"acm-pca:TemplateArn": EE_TEMPLATE}},
                },
            ],
        }
    )


def _signing_of(arn: str) -> str:
    ca = _find(arn)
    return "SHA256WITHECDSA" if ca is None else str(ca.configuration["SigningAlgorithm"])


def build_live_state() -> fuzzing.LiveValues:
    """CAs in every status, a few certificates, a report, tags, a permission and a shared CA."""
    main, other, region2, china = client(0), client(1), client(2), client(3)
    live = fuzzing.LiveValues()
    live.policy_for = policy_for
    live.signing_of = _signing_of
    days = {"Type": "DAYS", "Value": 30}

    root = _active_root(main, Tags=[{"Key": "team", "Value": "fuzz"}])
    sub = _create(main, "SUBORDINATE")
    sub_csr = main.get_certificate_authority_csr(CertificateAuthorityArn=sub)["Csr"]
    sub_cert_arn = _issue(
        main, root, sub_csr, subordinate_template(0), {"Type": "YEARS", "Value": 5}, "SHA256WITHECDSA"
    )
    sub_signed = main.get_certificate(CertificateAuthorityArn=root, CertificateArn=sub_cert_arn)
    main.import_certificate_authority_certificate(
        CertificateAuthorityArn=sub,
        Certificate=sub_signed["Certificate"],
        CertificateChain=sub_signed["CertificateChain"],
    )
    pending_root = _create(main, "ROOT")
    pending_sub = _create(main, "SUBORDINATE")
    disabled = _active_root(main)
    main.update_certificate_authority(CertificateAuthorityArn=disabled, Status="DISABLED")
    with time_machine.travel(datetime.now(timezone.utc) - timedelta(days=3), tick=False):
        expired = _create(main, "ROOT")
        _activate_root(main, expired, {"Type": "DAYS", "Value": 1})
    deleted_pending = _create(main, "ROOT")
    main.delete_certificate_authority(CertificateAuthorityArn=deleted_pending, PermanentDeletionTimeInDays=7)
    deleted_disabled = _active_root(main)
    main.update_certificate_authority(CertificateAuthorityArn=deleted_disabled, Status="DISABLED")
    main.delete_certificate_authority(CertificateAuthorityArn=deleted_disabled)
    with mock_acmpca(realistic_timing=RealisticTiming(ca_creation=timedelta(days=3650))):
        creating = _create(main, "ROOT")
    crl_root = _active_root(
        main,
        configuration=_configuration("ML_DSA_44", "ML_DSA_44"),
        RevocationConfiguration={
            "CrlConfiguration": {"Enabled": True, "S3BucketName": "fuzz-bucket", "CrlType": "PARTITIONED"},
            "OcspConfiguration": {"Enabled": True},
        },
    )
    shared = _active_root(other)
    other.put_policy(ResourceArn=shared, Policy=policy_for(shared))
    other_private = _create(other, "ROOT")
    region_root = _active_root(region2)
    china_pending = _create(china, "ROOT")

    # Most useful first: the fuzzer favours low indexes.
    for arn in (root, sub, crl_root, shared, pending_root, pending_sub, disabled, expired, deleted_pending):
        live.add("ca_arn", arn)
    for arn in (deleted_disabled, creating, other_private, region_root, china_pending):
        live.add("ca_arn", arn)

    csr = static_csrs()[0]
    leaves = [
        (main, root, _issue(main, root, csr, EE_TEMPLATE, days, "SHA256WITHECDSA")),
        (main, sub, _issue(main, sub, csr, EE_TEMPLATE, days, "SHA256WITHECDSA")),
        (main, crl_root, _issue(main, crl_root, csr, EE_TEMPLATE, days, "ML_DSA_44")),
        (main, shared, _issue(main, shared, csr, EE_TEMPLATE, days, "SHA256WITHECDSA")),
    ]
    main.revoke_certificate(
        CertificateAuthorityArn=root,
        CertificateSerial=leaves[0][2].rsplit("/", 1)[1],
        RevocationReason="KEY_COMPROMISE",
    )
    live.add("cert_arn", sub_cert_arn)
    for api, ca, cert_arn in leaves:
        live.add("cert_arn", cert_arn)
        got = api.get_certificate(CertificateAuthorityArn=ca, CertificateArn=cert_arn)
        live.add("certificate", got["Certificate"].encode())
        live.add("chain", got["CertificateChain"].encode())
    live.add("certificate", sub_signed["Certificate"].encode())
    live.add("chain", sub_signed["CertificateChain"].encode())
    for arn in (root, sub, crl_root):
        live.add(
            "certificate",
            main.get_certificate_authority_certificate(CertificateAuthorityArn=arn)["Certificate"].encode(),
        )
    for certificate in static_certificates():
        live.add("certificate", certificate)
    live.add("csr", static_csrs()[0])
    for arn in (pending_root, pending_sub, root, sub, expired):
        live.add("csr", main.get_certificate_authority_csr(CertificateAuthorityArn=arn)["Csr"].encode())
    for request in static_csrs():
        live.add("csr", request)
    live.add(
        "report_id",
        main.create_certificate_authority_audit_report(
            CertificateAuthorityArn=root, S3BucketName="fuzz-bucket", AuditReportResponseFormat="JSON"
        )["AuditReportId"],
    )
    main.create_permission(
        CertificateAuthorityArn=root, Principal="acm.amazonaws.com", Actions=["IssueCertificate", "GetCertificate"]
    )
    for account in (MAIN_ACCOUNT, OTHER_ACCOUNT, "000000000000"):
        live.add("account", account)
    return live


# --- state checks -----------------------------------------------------------------------------------


def fingerprint() -> tuple[Any, ...]:
    """Everything a failed call must leave unchanged, as one comparable value."""
    with REGISTRY.lock:
        items: list[Any] = []
        for state in REGISTRY.regions():
            for ca_id, ca in state.authorities.items():
                items.append(
                    (
                        ca_id,
                        ca.stored_status,
                        ca.status_before_deletion,
                        ca.restorable_until,
                        ca.last_state_change_at,
                        None if ca.installed is None else ca.installed.pem,
                        tuple(
                            (s, c.revoked_at, c.revocation_reason, c.crl_partition) for s, c in ca.certificates.items()
                        ),
                        tuple(ca.tags.items()),
                        None if ca.policy is None else ca.policy.text,
                        tuple(ca.permissions),
                        tuple(ca.audit_reports),
                        json.dumps(ca.revocation_configuration, sort_keys=True, default=str),
                        (ca.crl.generated_at, ca.crl.number, tuple(ca.crl.partitions), ca.crl.last_partition_size),
                    )
                )
            items.append(tuple(sorted(state.idempotency)))
        items.append(tuple((bucket, tuple(STORE.keys(bucket))) for bucket in STORE.buckets()))
        return tuple(items)


_parsed: dict[str, Any] = {}


def _parse_pem(pem: str, loader: Any) -> Any:
    parsed = _parsed.get(pem)
    if parsed is None:
        parsed = _parsed[pem] = loader(pem.encode())
    return parsed


def check_state_consistent() -> None:
    """No half-made CA, every status reachable, every certificate recorded under its own ARN and serial."""
    stored = {CaStatus.PENDING_CERTIFICATE, CaStatus.ACTIVE, CaStatus.DISABLED, CaStatus.DELETED}
    with REGISTRY.lock:
        for state in REGISTRY.regions():
            for ca_id, ca in state.authorities.items():
                where = f"{ca.arn} ({ca.stored_status.value})"
                assert ca.id == ca_id, where
                assert ca.arn == ca_arn(state.partition, state.region, state.account, ca_id), where
                assert (ca.account, ca.region) == (state.account, state.region), where
                assert ca.private_key is not None, where
                csr = _parse_pem(ca.csr_pem, x509.load_pem_x509_csr)
                assert csr.public_key() == ca.private_key.public_key(), where
                assert ca.stored_status in stored, where
                if ca.stored_status in (CaStatus.ACTIVE, CaStatus.DISABLED):
                    assert ca.installed is not None, where
                if ca.installed is not None:
                    assert ca.installed.certificate.public_key() == ca.private_key.public_key(), where
                if ca.stored_status is CaStatus.DELETED:
                    assert ca.restorable_until is not None, where
                    assert ca.status_before_deletion in (stored - {CaStatus.DELETED}), where
                else:
                    assert ca.restorable_until is None, where
                    assert ca.status_before_deletion is None, where
                for serial, record in ca.certificates.items():
                    assert record.serial == serial, where
                    assert serial > 0, where
                    assert record.arn == certificate_arn(ca.arn, serial), where
                    certificate = _parse_pem(record.pem, x509.load_pem_x509_certificate)
                    assert certificate.serial_number == serial, where
                    assert (record.revoked_at is None) == (record.revocation_reason is None), where
                    if record.self_issued:
                        assert ca.ca_type is CaType.ROOT, where
                        assert record.revoked_at is None, where


def _allowed_errors(operation: str) -> frozenset[str]:
    return fuzzing.modelled_errors(operation) | COMMON_ERRORS | EXTRA_ERRORS.get(operation, frozenset())


# --- the machine ------------------------------------------------------------------------------------


class LiveStateFuzzer(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.mock = mock_acmpca().start()
        try:
            self.live = build_live_state()
        except BaseException:
            self.mock.stop()
            raise
        # (client index, CA ARN, certificate ARN) of every certificate issued, in setup or by a fuzzed call.
        self.issued: list[tuple[int, str, str]] = [
            (0, arn.split("/certificate/")[0], arn) for arn in self.live.lists["cert_arn"]
        ]

    def teardown(self) -> None:
        try:
            self.listings_agree_with_describe_and_state()
        except AssertionError as failure:
            if not HUNT_LOG:
                raise
            _log_failure("teardown", failure)
        finally:
            self.mock.stop()
        OUTCOMES[("(examples)", "run")] += 1
        if HUNT_LOG:
            _write_stats()

    @rule(call=fuzzing.calls(clients=len(CLIENTS), expensive_keys=os.environ.get(PROFILE_ENV) == "fuzz"))
    def send(self, call: fuzzing.FuzzCall) -> None:
        try:
            self._send(call)
        except AssertionError as failure:
            if not HUNT_LOG:
                raise
            _log_failure(repr(call), failure)

    def _send(self, call: fuzzing.FuzzCall) -> None:
        params = fuzzing.resolve_call_params(call.params, self.live)
        editing = call.wire_edit is not None
        method = getattr(client(call.client, call.validate, editing), botocore.xform_name(call.operation))
        before = fingerprint()
        outcome = _attempt(method, params, call.wire_edit)
        OUTCOMES[(call.operation, outcome.label)] += 1
        if outcome.kind == "mock-exception":
            raise AssertionError(f"{call.operation} raised {outcome.label} from the mock: {outcome.error}")
        if outcome.kind == "unsupported":
            UNSUPPORTED_SEEN[str(outcome.error)] += 1
            assert any(p.search(str(outcome.error)) for p in DOCUMENTED_UNSUPPORTED), f"undocumented: {outcome.error}"
        if outcome.kind == "error":
            assert outcome.status < 500, f"{call.operation} answered HTTP {outcome.status}: {outcome.error}"
            assert outcome.label in _allowed_errors(call.operation), f"{call.operation}: {outcome.error}"
        if outcome.kind != "success":
            assert fingerprint() == before, f"{call.operation} failed ({outcome.label}) but changed the state"
            return
        assert outcome.response is not None
        assert outcome.response["ResponseMetadata"]["HTTPStatusCode"] == 200
        self._remember(call, outcome.response)

    def _remember(self, call: fuzzing.FuzzCall, response: dict[str, Any]) -> None:
        """Feed what a successful call made back into the live values, and check it at once."""
        api = client(call.client)
        if call.operation == "CreateCertificateAuthority":
            self.live.add("ca_arn", response["CertificateAuthorityArn"])
        elif call.operation == "IssueCertificate":
            ca, cert_arn = call_ca(call, self.live), response["CertificateArn"]
            self.issued.append((call.client, ca, cert_arn))
            self.live.add("cert_arn", cert_arn)
            try:
                got = api.get_certificate(CertificateAuthorityArn=ca, CertificateArn=cert_arn)
            except ClientError as error:  # pragma: no cover - a failure is reported by the assertion
                raise AssertionError(f"{cert_arn} was just issued but GetCertificate answers {error}") from error
            self.live.add("certificate", got["Certificate"].encode())
            if "CertificateChain" in got:
                self.live.add("chain", got["CertificateChain"].encode())
        elif call.operation == "CreateCertificateAuthorityAuditReport":
            self.live.add("report_id", response["AuditReportId"])
        if response.get("NextToken"):
            self.live.add("next_token", response["NextToken"])

    @invariant()
    def state_is_consistent(self) -> None:
        try:
            self._check_state()
        except AssertionError as failure:
            if not HUNT_LOG:
                raise
            _log_failure("invariant", failure)

    def _check_state(self) -> None:
        check_state_consistent()
        for _, ca, cert_arn in self.issued:
            ref_ca = _find(ca)
            assert ref_ca is not None, f"the CA of {cert_arn} is gone"
            assert any(record.arn == cert_arn for record in ref_ca.certificates.values()), cert_arn

    def listings_agree_with_describe_and_state(self) -> None:
        """Run once at the end of each example: list and describe agree with the state, issued certificates resolve."""
        for index, (_, region) in enumerate(CLIENTS):
            api = client(index)
            listed: dict[str, str] = {}
            for page in api.get_paginator("list_certificate_authorities").paginate():
                for item in page["CertificateAuthorities"]:
                    assert item["Arn"] not in listed, item["Arn"]
                    listed[item["Arn"]] = item["Status"]
            account = CLIENT_ACCOUNTS[index]
            views = {view.arn: view.status for view in self.mock.state.certificate_authorities(account, region)}
            assert listed == views
            for arn, status in listed.items():
                described = api.describe_certificate_authority(CertificateAuthorityArn=arn)["CertificateAuthority"]
                assert described["Status"] == status, arn
        for index, ca, cert_arn in self.issued:
            method = client(index).get_certificate
            outcome = _attempt(method, {"CertificateAuthorityArn": ca, "CertificateArn": cert_arn}, None)
            assert _find(ca) is not None, cert_arn
            # A CA deleted (or shared and then unshared) since cannot hand out its certificates.
            assert outcome.label in ("success", "InvalidStateException", "AccessDeniedException"), outcome.error
            self._check_crl(ca, cert_arn)

    def _check_crl(self, ca_arn: str, cert_arn: str) -> None:
        """The CRL a certificate points at is published, and lists the certificate once it is revoked."""
        ca = _find(ca_arn)
        record = next((r for r in ca.certificates.values() if r.arn == cert_arn), None)
        assert record is not None, cert_arn
        certificate = _parse_pem(record.pem, x509.load_pem_x509_certificate)
        try:
            points = certificate.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
        except x509.ExtensionNotFound:
            return
        for point in points:
            for name in point.full_name or ():
                url = name.value
                # Only the S3 form: a CustomCname shared by several fuzzed CAs serves the last one's bucket.
                if not _S3_CRL_URL.fullmatch(url):
                    continue
                crl = x509.load_der_x509_crl(self.mock.fetch(url))
                assert crl.issuer == certificate.issuer, url
                # After a configuration change the CA publishes elsewhere; the old CRL stays as it was.
                current = crls._enabled(ca) and crls.url(ca, crls.object_key(ca, record.crl_partition)) == url
                if record.revoked_at is not None and current:
                    assert crl.get_revoked_certificate_by_serial_number(record.serial) is not None, url


@dataclass
class Outcome:
    """How one call ended: ``success``, ``error`` (a ClientError), ``unsupported``, ``client-side`` or ``mock-exception``."""

    kind: str
    label: str
    status: int = 200
    error: BaseException | None = None
    response: dict[str, Any] | None = None


def _attempt(method: Any, params: dict[str, Any], edit: fuzzing.WireEdit | None) -> Outcome:
    _Wire.reached, _Wire.edit = False, edit
    try:
        response = method(**params)
    except ClientError as error:
        status = error.response["ResponseMetadata"]["HTTPStatusCode"]
        return Outcome("error", error.response["Error"]["Code"], status, error)
    except UnsupportedByMockError as error:
        return Outcome("unsupported", "UnsupportedByMockError", error=error)
    except Exception as error:
        if _Wire.reached:
            return Outcome("mock-exception", type(error).__name__, error=error)
        # botocore refused the request before sending it (ParamValidationError,
        # a value its serialiser cannot encode): not the mock's business.
        return Outcome("client-side", f"client-side {type(error).__name__}", error=error)
    finally:
        _Wire.edit = None
    return Outcome("success", "success", response=response)


def _log_failure(what: str, failure: AssertionError) -> None:
    """Hunting mode (PCA_MOCK_FUZZ_LOG=path): note the failure and carry on."""
    HUNT_FAILURES.append(f"{failure}")
    with open(HUNT_LOG, "a", encoding="utf-8") as log:
        log.write(f"--- {failure!s:.2000}\n    {what:.3000}\n")


def _write_stats() -> None:
    lines = [f"{operation:45} {outcome:40} {count}" for (operation, outcome), count in sorted(OUTCOMES.items())]
    lines.append(f"UnsupportedByMockError: {dict(UNSUPPORTED_SEEN)}")
    lines.append(f"calls: {sum(OUTCOMES.values()) - OUTCOMES[('(examples)', 'run')]}")
    with open(HUNT_LOG + ".stats", "w", encoding="utf-8") as stats:
        stats.write("\n".join(lines) + "\n")


def call_ca(call: fuzzing.FuzzCall, live: fuzzing.LiveValues) -> str:
    ca = fuzzing.resolve_call_params(call.params, live)["CertificateAuthorityArn"]
    assert isinstance(ca, str)
    return ca


def _find(arn: str) -> Any:
    with REGISTRY.lock:
        for state in REGISTRY.regions():
            for ca in state.authorities.values():
                if ca.arn == arn:
                    return ca
    return None


def test_random_calls_on_live_state_end_in_success_or_a_modelled_error_and_leave_state_consistent() -> None:
    run_state_machine_as_test(LiveStateFuzzer, settings=profile())  # type: ignore[no-untyped-call, unused-ignore]
    if os.environ.get(PROFILE_ENV) == "fuzz":
        for (operation, outcome), count in sorted(OUTCOMES.items()):
            print(f"{operation:45} {outcome:40} {count}")
        print("UnsupportedByMockError:", dict(UNSUPPORTED_SEEN))
        print("calls:", sum(OUTCOMES.values()) - OUTCOMES[("(examples)", "run")])
    assert not HUNT_FAILURES, f"{len(HUNT_FAILURES)} failures, see {HUNT_LOG}"
    # Guard against the strategies rotting: every operation reached the mock.
    reached = {operation for (operation, outcome) in OUTCOMES if not outcome.startswith("client-side")}
    assert set(fuzzing.operation_names()) <= reached
