"""pca_mock.testing: CSRs, ready CAs and hierarchies, and certificates real TLS stacks accept."""

from __future__ import annotations

import dataclasses
import ipaddress
import socket
import ssl
import stat
import threading
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from cryptography.x509.verification import PolicyBuilder, Store

from pca_mock.testing import (
    create_hierarchy,
    create_root_ca,
    create_subordinate_ca,
    issue_certificate,
    make_csr,
)

SERVER_TEMPLATE = "EndEntityServerAuthCertificate/V1"
CLIENT_TEMPLATE = "EndEntityClientAuthCertificate/V1"


def _public_der(key) -> bytes:
    der: bytes = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return der


def _common_name(certificate: x509.Certificate) -> str:
    return str(certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value)


# --- make_csr ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key_algorithm",
    [
        pytest.param("RSA_2048", id="rsa-2048"),
        pytest.param("EC_prime256v1", id="ec-p256"),
        pytest.param("EC_secp384r1", id="ec-p384"),
        pytest.param("EC_secp521r1", id="ec-p521"),
        pytest.param("ML_DSA_44", id="ml-dsa-44"),
        pytest.param("ML_DSA_65", id="ml-dsa-65"),
        pytest.param("ML_DSA_87", id="ml-dsa-87"),
    ],
)
def test_make_csr_signs_with_a_fresh_key_of_each_family(key_algorithm):
    pem, key = make_csr("device-1", key_algorithm=key_algorithm)
    csr = x509.load_pem_x509_csr(pem.encode())
    assert csr.is_signature_valid
    assert _public_der(csr) == _public_der(key)
    assert csr.subject.rfc4514_string() == "CN=device-1"


def test_make_csr_reads_plain_strings_as_the_right_kind_of_san():
    pem, _ = make_csr(sans=["api.example.com", "10.0.0.1", "ops@example.com", "spiffe://example.org/api"])
    sans = x509.load_pem_x509_csr(pem.encode()).extensions.get_extension_for_class(x509.SubjectAlternativeName)
    assert list(sans.value) == [
        x509.DNSName("api.example.com"),
        x509.IPAddress(ipaddress.ip_address("10.0.0.1")),
        x509.RFC822Name("ops@example.com"),
        x509.UniformResourceIdentifier("spiffe://example.org/api"),
    ]


def test_make_csr_takes_a_whole_subject_a_given_key_and_extra_extensions():
    _, key = make_csr()
    subject = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Corp")])
    extended = x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING])
    pem, same_key = make_csr("ignored", key=key, subject=subject, extensions=[(extended, True)])
    csr = x509.load_pem_x509_csr(pem.encode())
    assert same_key is key
    assert csr.subject == subject
    assert csr.extensions.get_extension_for_class(x509.ExtendedKeyUsage).critical is True


def test_make_csr_without_a_common_name_has_an_empty_subject():
    pem, _ = make_csr(None, sans=["only-a-san.example.com"])
    assert list(x509.load_pem_x509_csr(pem.encode()).subject) == []


def test_make_csr_refuses_a_key_algorithm_cryptography_cannot_generate():
    with pytest.raises(ValueError, match="SM2") as excinfo:
        make_csr(key_algorithm="SM2")
    assert "pass your own key=" in excinfo.value.args[0]


# --- CAs and hierarchies ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key_algorithm", "signing_algorithm"),
    [
        pytest.param("RSA_2048", "SHA256WITHRSA", id="rsa-2048"),
        pytest.param("EC_prime256v1", "SHA256WITHECDSA", id="ec-p256"),
        pytest.param("EC_secp384r1", "SHA384WITHECDSA", id="ec-p384"),
        pytest.param("ML_DSA_44", "ML_DSA_44", id="ml-dsa-44"),
    ],
)
def test_create_root_ca_derives_the_signing_algorithm_from_the_key(client, key_algorithm, signing_algorithm):
    root = create_root_ca(client, key_algorithm=key_algorithm)
    described = client.describe_certificate_authority(CertificateAuthorityArn=root.arn)["CertificateAuthority"]
    assert described["Status"] == "ACTIVE"
    assert described["CertificateAuthorityConfiguration"]["SigningAlgorithm"] == signing_algorithm
    assert root.signing_algorithm == signing_algorithm
    assert root.certificate.subject == root.certificate.issuer
    assert root.chain_pem == ""


def test_create_root_ca_uses_the_given_subject_and_validity(client):
    root = create_root_ca(client, subject={"CommonName": "Acme Root", "Organization": "Acme"}, years=3)
    certificate = root.certificate
    assert certificate.subject.rfc4514_string() == "CN=Acme Root,O=Acme"
    assert (certificate.not_valid_after_utc - certificate.not_valid_before_utc).days in range(3 * 365, 3 * 366 + 1)


def test_create_hierarchy_chains_each_ca_to_the_one_above_with_room_for_those_below(client):
    hierarchy = create_hierarchy(client, depth=3)
    root, middle, issuing = hierarchy.authorities
    assert (hierarchy.root, hierarchy.issuing) == (root, issuing)
    assert [ca.ca_type for ca in hierarchy.authorities] == ["ROOT", "SUBORDINATE", "SUBORDINATE"]
    path_lengths = [
        ca.certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.path_length
        for ca in hierarchy.authorities
    ]
    assert path_lengths == [None, 1, 0]
    assert [cert.subject for cert in x509.load_pem_x509_certificates(issuing.bundle_pem.encode())] == [
        issuing.certificate.subject,
        middle.certificate.subject,
        root.certificate.subject,
    ]
    statuses = {
        ca.arn: client.describe_certificate_authority(CertificateAuthorityArn=ca.arn)["CertificateAuthority"]["Status"]
        for ca in hierarchy.authorities
    }
    assert set(statuses.values()) == {"ACTIVE"}


def test_certificate_from_a_hierarchy_verifies_with_cryptographys_path_validation(client):
    hierarchy = create_hierarchy(client, depth=3)
    leaf = issue_certificate(
        client, hierarchy.issuing, common_name="api.example.com", sans=["api.example.com"], template=SERVER_TEMPLATE
    )
    verifier = (
        PolicyBuilder()
        .store(Store([hierarchy.root.certificate]))
        .build_server_verifier(x509.DNSName("api.example.com"))
    )
    chain = verifier.verify(leaf.certificate, x509.load_pem_x509_certificates(leaf.chain_pem.encode()))
    assert [_common_name(certificate) for certificate in chain] == [
        "api.example.com",
        "Test Subordinate CA 2",
        "Test Subordinate CA 1",
        "Test Root CA",
    ]


def test_create_subordinate_ca_accepts_a_different_key_family_from_its_parent(client):
    root = create_root_ca(client)
    subordinate = create_subordinate_ca(client, root, key_algorithm="RSA_2048", years=2)
    assert subordinate.signing_algorithm == "SHA256WITHRSA"
    assert subordinate.chain_pem == root.certificate_pem


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param({"depth": 0}, "depth must be 1 to 5 (a root and up to four subordinates), not 0.", id="depth-0"),
        pytest.param({"depth": 6}, "depth must be 1 to 5 (a root and up to four subordinates), not 6.", id="depth-6"),
        pytest.param(
            {"depth": 3, "years": 2},
            "years must be at least depth (3): each CA is valid a year less than its parent.",
            id="too-few-years",
        ),
    ],
)
def test_create_hierarchy_refuses_shapes_aws_would_reject(client, options, message):
    with pytest.raises(ValueError, match="must be") as excinfo:
        create_hierarchy(client, **options)
    assert excinfo.value.args == (message,)


def test_hierarchy_of_depth_one_is_a_root_that_issues(client):
    hierarchy = create_hierarchy(client, depth=1)
    assert hierarchy.root is hierarchy.issuing
    leaf = issue_certificate(client, hierarchy.issuing)
    assert leaf.certificate.issuer == hierarchy.root.certificate.subject


# --- issued certificates ---------------------------------------------------------------------


def test_issue_certificate_uses_the_template_validity_and_names_asked_for(client):
    root = create_root_ca(client)
    leaf = issue_certificate(client, root, common_name="svc", sans=["svc.internal"], template=CLIENT_TEMPLATE, days=7)
    certificate = leaf.certificate
    assert _common_name(certificate) == "svc"
    extended = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(extended) == [ExtendedKeyUsageOID.CLIENT_AUTH]
    assert (certificate.not_valid_after_utc - certificate.not_valid_before_utc).days in (7, 8)
    assert _public_der(certificate) == _public_der(leaf.private_key)
    assert leaf.full_chain_pem == leaf.certificate_pem + root.certificate_pem


def test_write_files_writes_the_chain_and_an_owner_only_key(client, tmp_path):
    leaf = issue_certificate(client, create_root_ca(client))
    certificate_path, key_path = leaf.write_files(tmp_path, "server")
    assert (certificate_path.name, key_path.name) == ("server.pem", "server.key")
    assert certificate_path.read_text() == leaf.full_chain_pem
    assert key_path.read_text() == leaf.private_key_pem()
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600


def test_helper_results_never_print_a_private_key(client):
    hierarchy = create_hierarchy(client, depth=2)
    leaf = issue_certificate(client, hierarchy.issuing)
    for value in (hierarchy, leaf, hierarchy.root):
        assert "PRIVATE KEY" not in repr(value)
        assert "PRIVATE KEY" not in str(value)
    assert "PRIVATE KEY" in leaf.private_key_pem()


def test_helper_results_are_frozen(client):
    leaf = issue_certificate(client, create_root_ca(client))
    with pytest.raises(dataclasses.FrozenInstanceError):
        leaf.arn = "changed"  # type: ignore[misc]


# --- an mTLS handshake with certificates from the mock ----------------------------------------


# The suite runs with sockets disabled (pytest-socket); these tests connect to 127.0.0.1 only.
LOOPBACK_ONLY = pytest.mark.allow_hosts(["127.0.0.1"])


def _subject(tls: ssl.SSLSocket) -> dict[str, str]:
    """The verified peer certificate's subject, as {attribute: value}."""
    peer: Any = tls.getpeercert()
    return {name: value for rdn in peer["subject"] for name, value in rdn}


def _serve_once(listener: socket.socket, context: ssl.SSLContext, outcome: dict[str, object]) -> None:
    """Accept one TLS connection, record the client certificate's CN, and echo one message."""
    try:
        connection, _ = listener.accept()
        with context.wrap_socket(connection, server_side=True) as tls:
            outcome["client_subject"] = _subject(tls)
            tls.sendall(tls.recv(64).upper())
    except (ssl.SSLError, OSError) as error:
        outcome["error"] = error


def _handshake(server_context: ssl.SSLContext, client_context: ssl.SSLContext) -> tuple[dict[str, object], bytes]:
    outcome: dict[str, object] = {}
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.settimeout(10)
        server = threading.Thread(target=_serve_once, args=(listener, server_context, outcome))
        server.start()
        try:
            with (
                socket.create_connection(listener.getsockname(), timeout=10) as raw,
                client_context.wrap_socket(raw, server_hostname="localhost") as tls,
            ):
                outcome["server_subject"] = _subject(tls)
                tls.sendall(b"ping")
                reply = tls.recv(64)
        finally:
            server.join(10)
    return outcome, reply


@pytest.fixture
def mtls_pair(client):
    """A server and a client certificate from the same two-level hierarchy."""
    hierarchy = create_hierarchy(client, depth=2)
    server = issue_certificate(
        client, hierarchy.issuing, common_name="localhost", sans=["localhost", "127.0.0.1"], template=SERVER_TEMPLATE
    )
    client_certificate = issue_certificate(client, hierarchy.issuing, common_name="worker-7", template=CLIENT_TEMPLATE)
    return hierarchy, server, client_certificate


@LOOPBACK_ONLY
def test_mutual_tls_handshake_succeeds_with_certificates_from_the_mock(mtls_pair):
    hierarchy, server, client_certificate = mtls_pair
    trust = hierarchy.root.certificate_pem
    server_context = server.ssl_context(server_side=True, trust_pem=trust)
    client_context = client_certificate.ssl_context(server_side=False, trust_pem=trust)
    assert server_context.verify_mode == client_context.verify_mode == ssl.CERT_REQUIRED

    outcome, reply = _handshake(server_context, client_context)

    assert "error" not in outcome
    assert reply == b"PING"
    assert outcome["server_subject"] == {"commonName": "localhost"}
    assert outcome["client_subject"] == {"commonName": "worker-7"}


@LOOPBACK_ONLY
def test_server_rejects_a_client_certificate_from_another_root(client, mtls_pair):
    hierarchy, server, _ = mtls_pair
    stranger = issue_certificate(client, create_root_ca(client), common_name="stranger", template=CLIENT_TEMPLATE)
    server_context = server.ssl_context(server_side=True, trust_pem=hierarchy.root.certificate_pem)
    # The client trusts the real server, so only the server's check can fail the handshake.
    client_context = stranger.ssl_context(server_side=False, trust_pem=hierarchy.root.certificate_pem)

    with pytest.raises((ssl.SSLError, ConnectionError)):
        _handshake(server_context, client_context)
