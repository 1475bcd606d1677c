"""Safety (issue 6): no network, no private key anywhere it could leak, no real credentials used.

* The whole suite runs with network sockets disabled (pytest-socket, from the
  addopts in pyproject.toml); tests that need loopback say so with
  ``@pytest.mark.allow_hosts``. Here: proof that the block is on, that acm-pca
  calls work under it, and that no socket is even created while the mock
  answers (seen through Python's audit hooks, whatever pytest-socket does).
* A CA's private key, for every key family the mock generates, is searched
  for in every response body botocore receives, in the DEBUG logs of botocore,
  urllib3 and pca_mock, in what the mock publishes (CRLs, OCSP, audit
  reports) and in the repr and str of every public object: as DER, base64,
  PEM, and the hex and decimal of its secret numbers.
* Clients with real-looking credentials (arguments, environment, a profile in
  an AWS config file) get mocked answers, with ``mock_credentials`` on or off.
"""

from __future__ import annotations

import base64
import logging
import socket
import sys
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, mldsa, rsa
from cryptography.x509 import ocsp
from pytest_socket import SocketBlockedError

import pca_mock
from pca_mock import AcmPcaMock, mock_acmpca
from pca_mock._mock import FAKE_CREDENTIALS
from pca_mock.errors import ObjectNotFoundError
from pca_mock.registry import REGISTRY
from pca_mock.service.operations import OPERATIONS
from pca_mock.testing import create_root_ca, issue_certificate
from tests.helpers import EE_TEMPLATE, backend_ca, ca_configuration, create_ca, issue, make_csr
from tests.sharing import sharing_policy

pytest_plugins = ["pytester"]

REGION = "us-east-1"
BUCKET = "safety-bucket"
GRANTEE = "111122223333"
REAL_KEY_ID = "AKIAIOSFODNN7REALKEY"
REAL_SECRET = "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"
PROFILE_KEY_ID = "AKIAJPROFILEREALKEY1"
PROFILE_SECRET = "profile/Secret/Access/Key/real/looking/01"
FAMILIES = [
    pytest.param("RSA_2048", "SHA256WITHRSA", id="rsa"),
    pytest.param("EC_prime256v1", "SHA256WITHECDSA", id="ec-p256"),
    pytest.param("EC_secp384r1", "SHA384WITHECDSA", id="ec-p384"),
    pytest.param("ML_DSA_44", "ML_DSA_44", id="ml-dsa-44"),
]


# --- no sockets -------------------------------------------------------------------------------


class _SocketAudit:
    """Every socket created or used in this process while ``recording``, via sys.addaudithook.

    An audit hook cannot be removed, so one is installed per process, on first use.
    """

    _installed = False
    _lock = threading.Lock()

    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []
        self.recording = False

    def hook(self, event: str, args: tuple[Any, ...]) -> None:
        if self.recording and event.startswith("socket."):
            self.events.append((event, repr(args)[:200]))

    @classmethod
    def instance(cls) -> _SocketAudit:
        with cls._lock:
            if not cls._installed:
                cls._audit = _SocketAudit()
                sys.addaudithook(cls._audit.hook)
                cls._installed = True
        return cls._audit

    _audit: _SocketAudit


@pytest.fixture
def socket_audit() -> Iterator[_SocketAudit]:
    audit = _SocketAudit.instance()
    audit.events.clear()
    audit.recording = True
    try:
        yield audit
    finally:
        audit.recording = False


def test_opening_a_network_socket_fails_in_this_test_suite():
    with pytest.warns(UserWarning, match="socket"), pytest.raises(SocketBlockedError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with pytest.warns(UserWarning, match="socket"), pytest.raises(SocketBlockedError):
        socket.create_connection(("127.0.0.1", 9), timeout=1)


def test_audit_hook_sees_a_socket_being_created(socket_audit):
    # The audit hook is what the tests below rely on; it must see a socket that does get made.
    first, second = socket.socketpair()
    first.close()
    second.close()
    assert [event for event, _ in socket_audit.events if event == "socket.__new__"]


def test_acm_pca_calls_work_with_sockets_blocked_and_create_no_socket_at_all(client, socket_audit):
    with pytest.warns(UserWarning, match="socket"), pytest.raises(SocketBlockedError):
        socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    socket_audit.events.clear()

    root = create_root_ca(client)
    leaf = issue_certificate(client, root, common_name="offline.example.com")
    described = client.describe_certificate_authority(CertificateAuthorityArn=root.arn)["CertificateAuthority"]

    assert described["Status"] == "ACTIVE"
    assert leaf.certificate.issuer == root.certificate.subject
    assert socket_audit.events == []


def test_plugin_fixtures_work_in_a_pytest_run_with_sockets_disabled(pytester):
    pytester.makeini(
        """
        [pytest]
        addopts = -p no:hypothesispytest -p no:benchmark -p no:xdist --disable-socket --allow-unix-socket
        filterwarnings = error
        """
    )
    pytester.makepyfile(
        """
        import socket

        import pytest
        from pytest_socket import SocketBlockedError

        def test_root_ca_without_network(acmpca_client, acmpca_root_ca):
            with pytest.warns(UserWarning), pytest.raises(SocketBlockedError):
                socket.create_connection(("127.0.0.1", 9))
            described = acmpca_client.describe_certificate_authority(CertificateAuthorityArn=acmpca_root_ca.arn)
            assert described["CertificateAuthority"]["Status"] == "ACTIVE"
        """
    )
    pytester.runpytest_subprocess().assert_outcomes(passed=1)


# --- private keys never leave the mock ------------------------------------------------------------


@dataclass(frozen=True)
class Secret:
    """Forms a private key could leak in: bytes (in binary bodies) and text (everywhere else)."""

    binary: tuple[bytes, ...]
    text: tuple[str, ...]

    def found_in_bytes(self, haystack: bytes) -> list[str]:
        found = [f"binary needle #{n}" for n, needle in enumerate(self.binary) if needle in haystack]
        return found + self.found_in_text(haystack.decode("latin-1"))

    def found_in_text(self, haystack: str) -> list[str]:
        lowered = haystack.lower()
        found = [f"text needle {needle[:24]!r}..." for needle in self.text if needle.lower() in lowered]
        if "PRIVATE KEY" in haystack:
            found.append("a PEM PRIVATE KEY marker")
        return found


def _numbers_as_text(value: int) -> list[str]:
    width = (value.bit_length() + 7) // 8
    return [
        f"{value:x}",
        str(value),
        value.to_bytes(width, "big").hex(":"),
        base64.b64encode(value.to_bytes(width, "big")).decode(),
    ]


def _secret_of(key: Any) -> Secret:
    pkcs8 = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    # Any one line of the PEM body (48 bytes of DER each) is enough to count as a leak, unless
    # it holds public key bytes only (EC and RSA private key encodings carry the public key too).
    public = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    text = [
        line
        for line in pem.decode().splitlines()[1:-1]
        if len(line) >= 32 and base64.b64decode(line + "=" * (-len(line) % 4)) not in public
    ]
    text += [pkcs8.hex(), base64.b64encode(pkcs8).decode()]
    binary = [pkcs8]
    if isinstance(key, rsa.RSAPrivateKey):
        numbers = key.private_numbers()
        traditional = key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
        )
        binary.append(traditional)
        for secret in (numbers.d, numbers.p, numbers.q, numbers.dmp1, numbers.dmq1, numbers.iqmp):
            text += _numbers_as_text(secret)
            binary.append(secret.to_bytes((secret.bit_length() + 7) // 8, "big"))
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        value = key.private_numbers().private_value
        text += _numbers_as_text(value)
        binary.append(value.to_bytes((key.curve.key_size + 7) // 8, "big"))
    else:
        assert isinstance(key, mldsa.MLDSA44PrivateKey)
        seed = key.private_bytes_raw()
        text += [seed.hex(), base64.b64encode(seed).decode(), seed.hex(":")]
        binary.append(seed)
    return Secret(tuple(binary), tuple(text))


@pytest.fixture
def bodies() -> list[tuple[str, bytes]]:
    return []


def _recording_client(bodies: list[tuple[str, bytes]], **kwargs: Any) -> Any:
    """An acm-pca client that records every response body as received, before botocore parses it."""
    client = boto3.client("acm-pca", region_name=REGION, **kwargs)

    def record(operation_model: Any, response_dict: dict[str, Any], **_: Any) -> None:
        bodies.append((operation_model.name, bytes(response_dict["body"])))

    client.meta.events.register("before-parse.acm-pca", record)
    return client


def _every_operation(pca: AcmPcaMock, client: Any, key_algorithm: str, signing_algorithm: str) -> dict[str, Any]:
    """Every acm-pca operation, successful and failing, on a CA of this key family; returns what was made."""
    revocation = {
        "CrlConfiguration": {"Enabled": True, "S3BucketName": BUCKET},
        "OcspConfiguration": {"Enabled": True},
    }
    configuration = ca_configuration(key_algorithm, signing_algorithm)
    arn = create_ca(client, configuration=configuration, RevocationConfiguration=revocation)
    client.describe_certificate_authority(CertificateAuthorityArn=arn)
    csr = client.get_certificate_authority_csr(CertificateAuthorityArn=arn)["Csr"]
    root = issue(
        client,
        arn,
        csr,
        template="arn:aws:acm-pca:::template/RootCACertificate/V1",
        validity={"Type": "YEARS", "Value": 5},
    )
    client.import_certificate_authority_certificate(CertificateAuthorityArn=arn, Certificate=root["Certificate"])
    client.get_certificate_authority_certificate(CertificateAuthorityArn=arn)
    leaf = issue(client, arn, make_csr(), template=EE_TEMPLATE)
    serial = f"{x509.load_pem_x509_certificate(leaf['Certificate'].encode()).serial_number:x}"
    client.revoke_certificate(CertificateAuthorityArn=arn, CertificateSerial=serial, RevocationReason="KEY_COMPROMISE")
    with pytest.raises(ClientError):
        client.revoke_certificate(
            CertificateAuthorityArn=arn, CertificateSerial=serial, RevocationReason="KEY_COMPROMISE"
        )
    client.tag_certificate_authority(CertificateAuthorityArn=arn, Tags=[{"Key": "k", "Value": "v"}])
    client.list_tags(CertificateAuthorityArn=arn)
    client.untag_certificate_authority(CertificateAuthorityArn=arn, Tags=[{"Key": "k"}])
    client.put_policy(ResourceArn=arn, Policy=sharing_policy(arn, GRANTEE))
    client.get_policy(ResourceArn=arn)
    client.delete_policy(ResourceArn=arn)
    client.create_permission(CertificateAuthorityArn=arn, Principal="acm.amazonaws.com", Actions=["IssueCertificate"])
    client.list_permissions(CertificateAuthorityArn=arn)
    client.delete_permission(CertificateAuthorityArn=arn, Principal="acm.amazonaws.com")
    report = client.create_certificate_authority_audit_report(
        CertificateAuthorityArn=arn, S3BucketName=BUCKET, AuditReportResponseFormat="JSON"
    )
    client.describe_certificate_authority_audit_report(
        CertificateAuthorityArn=arn, AuditReportId=report["AuditReportId"]
    )
    client.list_certificate_authorities()
    client.update_certificate_authority(CertificateAuthorityArn=arn, Status="DISABLED")
    # Failing calls answer with error bodies; they are searched too.
    with pytest.raises(ClientError):
        client.get_certificate(CertificateAuthorityArn=arn, CertificateArn=f"{arn}/certificate/{'0' * 32}")
    with pytest.raises(ClientError) as excinfo:
        client.describe_certificate_authority(CertificateAuthorityArn=arn.rsplit("/", 1)[0] + f"/{uuid.UUID(int=0)}")
    client.delete_certificate_authority(CertificateAuthorityArn=arn, PermanentDeletionTimeInDays=7)
    client.restore_certificate_authority(CertificateAuthorityArn=arn)
    client.update_certificate_authority(CertificateAuthorityArn=arn, Status="ACTIVE")
    return {"arn": arn, "leaf": leaf, "report_key": report["S3Key"], "client_error": excinfo.value}


def _published(pca: AcmPcaMock, made: dict[str, Any]) -> list[tuple[str, bytes]]:
    """What the mock publishes outside the API: stored objects, and an OCSP answer for the leaf."""
    published = [(f"s3://{BUCKET}/{key}", pca.objects.get(BUCKET, key)) for key in pca.objects.keys(BUCKET)]
    leaf = x509.load_pem_x509_certificate(made["leaf"]["Certificate"].encode())
    issuer = x509.load_pem_x509_certificate(made["leaf"]["CertificateChain"].encode())
    request = ocsp.OCSPRequestBuilder().add_certificate(leaf, issuer, hashes.SHA1()).build()
    published.append(("ocsp", pca.ocsp(request.public_bytes(serialization.Encoding.DER))))
    return published


def _public_objects(pca: AcmPcaMock, made: dict[str, Any]) -> list[object]:
    """Every public (and the main internal) object a failure report could print."""
    arn = made["arn"]
    with pytest.raises(ObjectNotFoundError) as not_found:
        pca.fetch("http://nothing.s3.amazonaws.com/none")
    return [
        pca,
        pca.state,
        pca.objects,
        *pca.state.certificate_authorities(),
        *pca.state.certificates(arn),
        not_found.value,
        made["client_error"],
        pca.objects.object(BUCKET, made["report_key"]),
        # The mock's own records, as a debugger or an assertion rewrite would show them.
        backend_ca(arn),
        *REGISTRY.regions(),
    ]


@pytest.mark.parametrize(("key_algorithm", "signing_algorithm"), FAMILIES)
def test_ca_private_key_is_in_no_response_log_publication_or_repr(
    pca, bodies, caplog, key_algorithm, signing_algorithm
):
    caplog.set_level(logging.DEBUG)
    client = _recording_client(bodies)
    made = _every_operation(pca, client, key_algorithm, signing_algorithm)
    secret = _secret_of(backend_ca(made["arn"]).private_key)

    assert {operation for operation, _ in bodies} == set(OPERATIONS)
    leaks = {operation: secret.found_in_bytes(body) for operation, body in bodies}
    assert {operation: found for operation, found in leaks.items() if found} == {}
    # botocore logs every response body at DEBUG; the logs did capture them.
    assert "Response body:" in caplog.text
    assert secret.found_in_text(caplog.text) == []
    published = {name: secret.found_in_bytes(body) for name, body in _published(pca, made)}
    assert {name: found for name, found in published.items() if found} == {}
    shown = {type(item).__name__: secret.found_in_text(repr(item) + str(item)) for item in _public_objects(pca, made)}
    assert {name: found for name, found in shown.items() if found} == {}


def test_the_key_search_finds_a_key_that_does_leak():
    key = ec.generate_private_key(ec.SECP256R1())
    secret = _secret_of(key)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    body_line = pem.decode().splitlines()[1]
    value = key.private_numbers().private_value
    assert secret.found_in_text(f'{{"Leak": "{body_line}"}}')
    assert secret.found_in_text(f"d={value}")
    assert secret.found_in_text(f"private_value={value:X}")
    assert secret.found_in_bytes(
        b"prefix"
        + key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    assert secret.found_in_text("-----BEGIN EC PRIVATE KEY-----")
    assert secret.found_in_text("nothing secret here") == []


def test_issued_certificate_helper_shows_its_own_private_key_in_no_repr(client):
    leaf = issue_certificate(client, create_root_ca(client), common_name="repr.example.com")
    secret = _secret_of(leaf.private_key)
    assert secret.found_in_text(repr(leaf) + str(leaf)) == []
    # It is there on request, and only then.
    assert secret.found_in_text(leaf.private_key_pem())


# --- real-looking credentials ----------------------------------------------------------------------


@pytest.fixture
def real_looking_aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, str]:
    """A developer's shell: credentials in the environment and a profile in ~/.aws (here: temporary files)."""
    config = tmp_path / "config"
    config.write_text("[default]\nregion = us-west-2\n\n[profile production]\nregion = us-east-1\n")
    credentials = tmp_path / "credentials"
    credentials.write_text(
        f"[default]\naws_access_key_id = {PROFILE_KEY_ID}\naws_secret_access_key = {PROFILE_SECRET}\n\n"
        f"[production]\naws_access_key_id = {PROFILE_KEY_ID}\naws_secret_access_key = {PROFILE_SECRET}\n"
    )
    environment = {
        "AWS_CONFIG_FILE": str(config),
        "AWS_SHARED_CREDENTIALS_FILE": str(credentials),
        "AWS_ACCESS_KEY_ID": REAL_KEY_ID,
        "AWS_SECRET_ACCESS_KEY": REAL_SECRET,
        "AWS_SESSION_TOKEN": "IQoJb3JpZ2luX2VjEreal/looking/session/token==",
        "AWS_PROFILE": "production",
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return environment


@pytest.fixture
def signed_with() -> list[str]:
    """The access key of every acm-pca request, as signed (read before the mock answers)."""
    return []


def _recorder(signed_with: list[str]) -> Any:
    def record(request: Any, **_: Any) -> None:
        authorization = request.headers["Authorization"]
        if isinstance(authorization, bytes):
            authorization = authorization.decode()
        signed_with.append(authorization.split("Credential=", 1)[1].split("/", 1)[0])

    return record


def _watched_client(signed_with: list[str], **kwargs: Any) -> Any:
    """A client of a new boto3 session (credentials resolved now) that records the access key of each request."""
    client = boto3.session.Session().client("acm-pca", region_name=REGION, **kwargs)
    # Registered first so it runs before the mock's handler answers the request.
    client.meta.events.register_first("before-send.acm-pca", _recorder(signed_with))
    return client


def _only_in_the_mock(client: Any) -> str:
    """Create a CA and read it back: an ARN AWS has never heard of, so the answers are the mock's."""
    arn = create_ca(client)
    described = client.describe_certificate_authority(CertificateAuthorityArn=arn)["CertificateAuthority"]
    assert (described["Arn"], described["Status"]) == (arn, "PENDING_CERTIFICATE")
    return arn


def test_client_given_real_looking_keys_gets_mocked_answers_and_opens_no_socket(
    real_looking_aws, signed_with, socket_audit
):
    with mock_acmpca() as mock:
        client = _watched_client(signed_with, aws_access_key_id=REAL_KEY_ID, aws_secret_access_key=REAL_SECRET)
        arn = _only_in_the_mock(client)
        assert [view.arn for view in mock.state.certificate_authorities()] == [arn]
    assert set(signed_with) == {REAL_KEY_ID}
    assert socket_audit.events == []


def test_mock_credentials_replace_the_environment_and_profile_credentials_while_active(
    real_looking_aws, signed_with, socket_audit
):
    with mock_acmpca():
        arn = _only_in_the_mock(_watched_client(signed_with))
        assert arn.split(":")[4] == pca_mock.DEFAULT_ACCOUNT_ID
    # Had a request escaped, it would have carried the fake key, not the developer's.
    assert set(signed_with) == {FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"]}
    assert socket_audit.events == []


def test_without_mock_credentials_environment_credentials_are_used_but_still_only_the_mock_answers(
    real_looking_aws, signed_with, socket_audit
):
    with mock_acmpca(mock_credentials=False):
        _only_in_the_mock(_watched_client(signed_with))
    assert set(signed_with) == {REAL_KEY_ID}
    assert socket_audit.events == []


def test_without_mock_credentials_a_profile_from_the_aws_config_is_used_but_still_only_the_mock_answers(
    real_looking_aws, signed_with, socket_audit, monkeypatch
):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name)
    with mock_acmpca(mock_credentials=False):
        _only_in_the_mock(_watched_client(signed_with))
    assert set(signed_with) == {PROFILE_KEY_ID}
    assert socket_audit.events == []


def test_ca_made_under_real_looking_credentials_is_gone_with_the_mock(real_looking_aws):
    with mock_acmpca():
        client = boto3.client(
            "acm-pca", region_name=REGION, aws_access_key_id=REAL_KEY_ID, aws_secret_access_key=REAL_SECRET
        )
        arn = _only_in_the_mock(client)
    with mock_acmpca():
        client = boto3.client(
            "acm-pca", region_name=REGION, aws_access_key_id=REAL_KEY_ID, aws_secret_access_key=REAL_SECRET
        )
        with pytest.raises(ClientError) as excinfo:
            client.describe_certificate_authority(CertificateAuthorityArn=arn)
    assert excinfo.value.response["Error"]["Code"] == "ResourceNotFoundException"


@pytest.mark.xfail(
    strict=True,
    reason="mock_credentials fakes the environment only: boto3's default session keeps the credentials it "
    "resolved before the mock started, so its clients sign with them while the mock is active (still answered "
    "by the mock, but the fake-credentials safety net does not hold)",
)
def test_default_session_credentials_resolved_before_the_mock_are_not_used_while_it_is_active(
    real_looking_aws, signed_with, monkeypatch
):
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    # Any client of the default session resolves the credentials, and the session keeps them.
    boto3.client("sts", region_name=REGION)
    with mock_acmpca():
        client = boto3.client("acm-pca", region_name=REGION)
        client.meta.events.register_first("before-send.acm-pca", _recorder(signed_with))
        _only_in_the_mock(client)
    assert set(signed_with) == {FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"]}
