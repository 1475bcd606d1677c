"""The OCSP responder of CAs with OCSP enabled (reference §7.4).

Requests are built with cryptography for certificates the mock issued, sent
the ways a relying party would (HTTP POST and GET to the certificate's AIA
URL, through ``mock.fetch``, or straight to ``mock.ocsp``), and the DER
responses are parsed, verified against the CA key and linted with pkilint.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote

import pytest
import time_machine
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, mldsa, padding, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID, SignatureAlgorithmOID

from pca_mock import AcmPcaMock
from pca_mock.errors import UnsupportedByMockError
from tests.helpers import (
    ca_configuration,
    create_active_root,
    ec_key,
    issue,
    load_certificate,
    make_csr,
)
from tests.linting import ocsp_findings

NOW = datetime(2030, 1, 15, 12, 0, 0, tzinfo=timezone.utc)
REGION = "us-east-1"
DEFAULT_OCSP_URL = f"http://ocsp.acm-pca.{REGION}.amazonaws.com"
CRL_BUCKET = "pca-mock-ocsp-crl-bucket"
# How long a response stays fresh: pca_mock's choice (AWS does not publish one).
RESPONSE_VALIDITY = timedelta(days=1)

# RevocationReason → the revocationReason of a REVOKED answer (RFC 5280 CRLReason).
REASONS = [
    pytest.param("UNSPECIFIED", x509.ReasonFlags.unspecified, id="UNSPECIFIED"),
    pytest.param("KEY_COMPROMISE", x509.ReasonFlags.key_compromise, id="KEY_COMPROMISE"),
    pytest.param("CERTIFICATE_AUTHORITY_COMPROMISE", x509.ReasonFlags.ca_compromise, id="CA_COMPROMISE"),
    pytest.param("AFFILIATION_CHANGED", x509.ReasonFlags.affiliation_changed, id="AFFILIATION_CHANGED"),
    pytest.param("SUPERSEDED", x509.ReasonFlags.superseded, id="SUPERSEDED"),
    pytest.param("CESSATION_OF_OPERATION", x509.ReasonFlags.cessation_of_operation, id="CESSATION_OF_OPERATION"),
    pytest.param("PRIVILEGE_WITHDRAWN", x509.ReasonFlags.privilege_withdrawn, id="PRIVILEGE_WITHDRAWN"),
    pytest.param("A_A_COMPROMISE", x509.ReasonFlags.aa_compromise, id="A_A_COMPROMISE"),
]

# CA configuration → the response's signatureAlgorithm and digest (reference §7.4: the CA's SigningAlgorithm).
SIGNING_ALGORITHMS = [
    pytest.param("RSA_2048", "SHA256WITHRSA", SignatureAlgorithmOID.RSA_WITH_SHA256, hashes.SHA256, id="rsa-sha256"),
    pytest.param("RSA_2048", "SHA384WITHRSA", SignatureAlgorithmOID.RSA_WITH_SHA384, hashes.SHA384, id="rsa-sha384"),
    pytest.param("RSA_2048", "SHA512WITHRSA", SignatureAlgorithmOID.RSA_WITH_SHA512, hashes.SHA512, id="rsa-sha512"),
    pytest.param(
        "EC_prime256v1", "SHA256WITHECDSA", SignatureAlgorithmOID.ECDSA_WITH_SHA256, hashes.SHA256, id="ecdsa-p256"
    ),
    pytest.param(
        "EC_secp384r1", "SHA384WITHECDSA", SignatureAlgorithmOID.ECDSA_WITH_SHA384, hashes.SHA384, id="ecdsa-p384"
    ),
    pytest.param(
        "EC_secp521r1", "SHA512WITHECDSA", SignatureAlgorithmOID.ECDSA_WITH_SHA512, hashes.SHA512, id="ecdsa-p521"
    ),
    pytest.param("ML_DSA_44", "ML_DSA_44", SignatureAlgorithmOID.ML_DSA_44, None, id="ml-dsa-44"),
    pytest.param("ML_DSA_65", "ML_DSA_65", SignatureAlgorithmOID.ML_DSA_65, None, id="ml-dsa-65"),
    pytest.param("ML_DSA_87", "ML_DSA_87", SignatureAlgorithmOID.ML_DSA_87, None, id="ml-dsa-87"),
]


# --- local helpers ----------------------------------------------------------------------


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _revocation(*, ocsp_enabled: bool = True, cname: str | None = None, crl: bool = False) -> dict[str, Any]:
    ocsp_configuration: dict[str, Any] = {"Enabled": ocsp_enabled}
    if cname is not None:
        ocsp_configuration["OcspCustomCname"] = cname
    crl_configuration: dict[str, Any] = {"Enabled": crl}
    if crl:
        crl_configuration["S3BucketName"] = CRL_BUCKET
    return {"CrlConfiguration": crl_configuration, "OcspConfiguration": ocsp_configuration}


def _ocsp_root(client: Any, configuration: dict[str, Any] | None = None, **revocation: Any) -> str:
    """An ACTIVE root CA answering OCSP (unless told otherwise)."""
    return create_active_root(client, configuration=configuration, RevocationConfiguration=_revocation(**revocation))


def _ca_certificate(client: Any, ca_arn: str) -> x509.Certificate:
    pem = client.get_certificate_authority_certificate(CertificateAuthorityArn=ca_arn)["Certificate"]
    return load_certificate(pem)


def _leaf(client: Any, ca_arn: str) -> x509.Certificate:
    return load_certificate(issue(client, ca_arn, make_csr())["Certificate"])


def _revoke(client: Any, ca_arn: str, certificate: x509.Certificate, reason: str = "KEY_COMPROMISE") -> None:
    client.revoke_certificate(
        CertificateAuthorityArn=ca_arn,
        CertificateSerial=f"{certificate.serial_number:x}",
        RevocationReason=reason,
    )


def _ocsp_url(certificate: x509.Certificate) -> str:
    """The single OCSP URI of the certificate's AIA."""
    access = certificate.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    locations = [d.access_location for d in access if d.access_method == AuthorityInformationAccessOID.OCSP]
    assert len(locations) == 1
    assert isinstance(locations[0], x509.UniformResourceIdentifier)
    return locations[0].value


def _cdp_url(certificate: x509.Certificate) -> str:
    point = certificate.extensions.get_extension_for_class(x509.CRLDistributionPoints).value[0]
    assert point.full_name is not None
    return str(point.full_name[0].value)


def _request(
    certificate: x509.Certificate, issuer: x509.Certificate, algorithm: hashes.HashAlgorithm | None = None
) -> bytes:
    request = ocsp.OCSPRequestBuilder().add_certificate(certificate, issuer, algorithm or hashes.SHA1()).build()
    return request.public_bytes(serialization.Encoding.DER)


def _request_for_serial(template: bytes, serial: int) -> bytes:
    """A request naming the same issuer as ``template`` (name and key hashes) but another serial."""
    parsed = ocsp.load_der_ocsp_request(template)
    request = (
        ocsp.OCSPRequestBuilder()
        .add_certificate_by_hash(parsed.issuer_name_hash, parsed.issuer_key_hash, serial, parsed.hash_algorithm)
        .build()
    )
    return request.public_bytes(serialization.Encoding.DER)


def _get_url(base: str, request: bytes) -> str:
    """RFC 6960 appendix A.1: GET {url}/{url-encoding of base-64 encoding of the DER request}."""
    return f"{base}/{quote(base64.b64encode(request).decode('ascii'), safe='')}"


def _response(der: bytes) -> ocsp.OCSPResponse:
    return ocsp.load_der_ocsp_response(der)


def _assert_signed_by(response: ocsp.OCSPResponse, issuer: x509.Certificate) -> None:
    """The response's signature verifies with the CA's public key (raises InvalidSignature otherwise)."""
    key = issuer.public_key()
    data, signature = response.tbs_response_bytes, response.signature
    if isinstance(key, rsa.RSAPublicKey):
        assert response.signature_hash_algorithm is not None
        key.verify(signature, data, padding.PKCS1v15(), response.signature_hash_algorithm)
    elif isinstance(key, ec.EllipticCurvePublicKey):
        assert response.signature_hash_algorithm is not None
        key.verify(signature, data, ec.ECDSA(response.signature_hash_algorithm))
    else:
        assert isinstance(key, (mldsa.MLDSA44PublicKey, mldsa.MLDSA65PublicKey, mldsa.MLDSA87PublicKey))
        key.verify(signature, data)


def _foreign_certificate() -> tuple[x509.Certificate, x509.Certificate]:
    """A certificate and its self-signed issuer that no mocked CA knows."""
    key = ec_key(7)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Foreign CA")])
    issuer = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(NOW - timedelta(days=1))
        .not_valid_after(NOW + timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "foreign.example.com")]))
        .issuer_name(subject)
        .public_key(ec_key(8).public_key())
        .serial_number(2)
        .not_valid_before(NOW - timedelta(days=1))
        .not_valid_after(NOW + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return leaf, issuer


# --- reaching the responder -------------------------------------------------------------


def test_leaf_aia_names_the_regional_ocsp_responder(client: Any) -> None:
    arn = _ocsp_root(client)

    assert _ocsp_url(_leaf(client, arn)) == DEFAULT_OCSP_URL


def test_post_get_and_direct_requests_all_get_a_good_answer_from_the_ca(pca: AcmPcaMock, client: Any) -> None:
    arn = _ocsp_root(client)
    ca, leaf = _ca_certificate(client, arn), _leaf(client, arn)
    request = _request(leaf, ca)
    url = _ocsp_url(leaf)

    answers = {
        "POST": pca.fetch(url, request),
        "GET": pca.fetch(_get_url(url, request), None),
        "direct": pca.ocsp(request),
    }

    for how, der in answers.items():
        response = _response(der)
        assert response.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL, how
        assert response.certificate_status == ocsp.OCSPCertStatus.GOOD, how
        assert response.serial_number == leaf.serial_number, how
        _assert_signed_by(response, ca)


def test_ocsp_custom_cname_is_in_the_aia_and_routes_to_the_ca(pca: AcmPcaMock, client: Any) -> None:
    arn = _ocsp_root(client, cname="ocsp.example.com")
    ca, leaf = _ca_certificate(client, arn), _leaf(client, arn)
    request = _request(leaf, ca)

    assert _ocsp_url(leaf) == "http://ocsp.example.com"
    for der in (pca.fetch("http://ocsp.example.com", request), pca.fetch(_get_url("http://ocsp.example.com", request))):
        response = _response(der)
        assert (response.response_status, response.certificate_status) == (
            ocsp.OCSPResponseStatus.SUCCESSFUL,
            ocsp.OCSPCertStatus.GOOD,
        )
        _assert_signed_by(response, ca)


def test_regional_responder_also_answers_for_a_ca_with_an_ocsp_custom_cname(pca: AcmPcaMock, client: Any) -> None:
    # The custom CNAME is an alias (CloudFront, DNS) of ocsp.acm-pca.<region>.amazonaws.com
    # (reference §7.4), so the regional endpoint itself knows the CA.
    arn = _ocsp_root(client, cname="ocsp.example.com")
    ca, leaf = _ca_certificate(client, arn), _leaf(client, arn)

    response = _response(pca.fetch(DEFAULT_OCSP_URL, _request(leaf, ca)))

    assert (response.response_status, response.certificate_status) == (
        ocsp.OCSPResponseStatus.SUCCESSFUL,
        ocsp.OCSPCertStatus.GOOD,
    )


# --- statuses ---------------------------------------------------------------------------


@pytest.mark.parametrize(("reason", "flag"), REASONS)
def test_revoked_certificate_is_answered_revoked_with_its_revocation_time_and_reason(
    pca: AcmPcaMock, client: Any, clock: Any, reason: str, flag: x509.ReasonFlags
) -> None:
    arn = _ocsp_root(client)
    ca, leaf = _ca_certificate(client, arn), _leaf(client, arn)
    clock.shift(timedelta(minutes=10))
    _revoke(client, arn, leaf, reason)
    clock.shift(timedelta(minutes=10))

    response = _response(pca.fetch(_ocsp_url(leaf), _request(leaf, ca)))

    assert response.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL
    assert response.certificate_status == ocsp.OCSPCertStatus.REVOKED
    assert response.revocation_time_utc == NOW + timedelta(minutes=10)
    assert response.revocation_reason == flag
    _assert_signed_by(response, ca)


def test_only_the_revoked_certificate_is_answered_revoked(pca: AcmPcaMock, client: Any) -> None:
    arn = _ocsp_root(client)
    ca = _ca_certificate(client, arn)
    revoked, kept = _leaf(client, arn), _leaf(client, arn)
    _revoke(client, arn, revoked)

    statuses = [_response(pca.ocsp(_request(leaf, ca))).certificate_status for leaf in (revoked, kept)]

    assert statuses == [ocsp.OCSPCertStatus.REVOKED, ocsp.OCSPCertStatus.GOOD]


def test_serial_the_ca_never_issued_is_answered_unknown(pca: AcmPcaMock, client: Any) -> None:
    arn = _ocsp_root(client)
    ca, leaf = _ca_certificate(client, arn), _leaf(client, arn)
    other_ca = _ocsp_root(client)
    of_other_ca = _leaf(client, other_ca)
    template = _request(leaf, ca)

    for serial in (leaf.serial_number + 1, 0x1234567890ABCDEF, of_other_ca.serial_number):
        response = _response(pca.ocsp(_request_for_serial(template, serial)))
        assert response.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL
        assert response.certificate_status == ocsp.OCSPCertStatus.UNKNOWN
        assert response.serial_number == serial
        assert (response.revocation_time_utc, response.revocation_reason) == (None, None)
        _assert_signed_by(response, ca)


@pytest.mark.parametrize(
    "algorithm", [pytest.param(hashes.SHA1(), id="sha1"), pytest.param(hashes.SHA256(), id="sha256")]
)
def test_cert_id_hashed_with_sha1_or_sha256_is_answered_with_the_same_cert_id(
    pca: AcmPcaMock, client: Any, algorithm: hashes.HashAlgorithm
) -> None:
    arn = _ocsp_root(client)
    ca, leaf = _ca_certificate(client, arn), _leaf(client, arn)
    request = _request(leaf, ca, algorithm)
    parsed = ocsp.load_der_ocsp_request(request)

    response = _response(pca.ocsp(request))

    assert response.certificate_status == ocsp.OCSPCertStatus.GOOD
    assert isinstance(response.hash_algorithm, type(algorithm))
    assert (response.issuer_name_hash, response.issuer_key_hash, response.serial_number) == (
        parsed.issuer_name_hash,
        parsed.issuer_key_hash,
        leaf.serial_number,
    )


# --- the signed response ----------------------------------------------------------------


@pytest.mark.parametrize(("key_algorithm", "signing_algorithm", "oid", "digest"), SIGNING_ALGORITHMS)
def test_response_is_signed_by_the_ca_key_with_its_signing_algorithm_and_names_it_by_key_hash(
    pca: AcmPcaMock, client: Any, key_algorithm: str, signing_algorithm: str, oid: x509.ObjectIdentifier, digest: Any
) -> None:
    arn = _ocsp_root(client, configuration=ca_configuration(key_algorithm, signing_algorithm))
    ca, leaf = _ca_certificate(client, arn), _leaf(client, arn)

    response = _response(pca.fetch(_ocsp_url(leaf), _request(leaf, ca)))

    assert response.certificate_status == ocsp.OCSPCertStatus.GOOD
    assert response.signature_algorithm_oid == oid
    if digest is None:
        assert response.signature_hash_algorithm is None
    else:
        assert isinstance(response.signature_hash_algorithm, digest)
    _assert_signed_by(response, ca)
    # ResponderID byKey: SHA-1 of the CA's subjectPublicKey bits (RFC 6960 §4.2.1).
    assert response.responder_name is None
    assert response.responder_key_hash == x509.SubjectKeyIdentifier.from_public_key(ca.public_key()).digest
    # Signed by the CA itself: no delegated responder certificate.
    assert response.certificates == []


def test_this_update_is_the_time_of_the_answer_and_next_update_a_day_later(
    pca: AcmPcaMock, client: Any, clock: Any
) -> None:
    arn = _ocsp_root(client)
    ca, leaf = _ca_certificate(client, arn), _leaf(client, arn)
    clock.move_to(NOW + timedelta(hours=5, microseconds=250_000))

    response = _response(pca.ocsp(_request(leaf, ca)))

    assert response.this_update_utc == NOW + timedelta(hours=5)
    assert response.next_update_utc == NOW + timedelta(hours=5) + RESPONSE_VALIDITY
    assert response.produced_at_utc == NOW + timedelta(hours=5)


# --- who answers ------------------------------------------------------------------------


def test_ca_with_ocsp_disabled_is_unauthorized(pca: AcmPcaMock, client: Any) -> None:
    answering = _ocsp_root(client)  # the regional responder is up for this one
    silent = _ocsp_root(client, ocsp_enabled=False, crl=True)
    ca, leaf = _ca_certificate(client, silent), _leaf(client, silent)
    request = _request(leaf, ca)
    assert _ocsp_url(_leaf(client, answering)) == DEFAULT_OCSP_URL

    assert x509.AuthorityInformationAccess not in {type(extension.value) for extension in leaf.extensions}
    for der in (pca.ocsp(request), pca.fetch(DEFAULT_OCSP_URL, request)):
        assert _response(der).response_status == ocsp.OCSPResponseStatus.UNAUTHORIZED


def test_certificate_of_an_issuer_unknown_to_the_mock_is_unauthorized(pca: AcmPcaMock, client: Any) -> None:
    _ocsp_root(client)
    leaf, issuer = _foreign_certificate()

    response = _response(pca.ocsp(_request(leaf, issuer)))

    assert response.response_status == ocsp.OCSPResponseStatus.UNAUTHORIZED


@pytest.mark.parametrize(
    "request_der",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"not an OCSP request", id="garbage"),
        pytest.param(b"\x30\x03\x02\x01\x01", id="wrong-asn1"),
    ],
)
def test_malformed_request_gets_malformed_request(pca: AcmPcaMock, client: Any, request_der: bytes) -> None:
    arn = _ocsp_root(client)
    leaf = _leaf(client, arn)
    url = _ocsp_url(leaf)

    answers = [pca.ocsp(request_der), pca.fetch(url, request_der)]
    if request_der:
        answers.append(pca.fetch(_get_url(url, request_der)))

    for der in answers:
        assert _response(der).response_status == ocsp.OCSPResponseStatus.MALFORMED_REQUEST


def test_truncated_request_gets_malformed_request(pca: AcmPcaMock, client: Any) -> None:
    arn = _ocsp_root(client)
    ca, leaf = _ca_certificate(client, arn), _leaf(client, arn)

    response = _response(pca.ocsp(_request(leaf, ca)[:-3]))

    assert response.response_status == ocsp.OCSPResponseStatus.MALFORMED_REQUEST


def test_disabled_ca_still_answers(pca: AcmPcaMock, client: Any) -> None:
    arn = _ocsp_root(client)
    ca = _ca_certificate(client, arn)
    revoked, kept = _leaf(client, arn), _leaf(client, arn)
    _revoke(client, arn, revoked)

    client.update_certificate_authority(CertificateAuthorityArn=arn, Status="DISABLED")

    statuses = [_response(pca.ocsp(_request(leaf, ca))).certificate_status for leaf in (revoked, kept)]
    assert statuses == [ocsp.OCSPCertStatus.REVOKED, ocsp.OCSPCertStatus.GOOD]


def test_deleted_ca_does_not_answer_until_it_is_restored(pca: AcmPcaMock, client: Any) -> None:
    arn = _ocsp_root(client)
    ca, leaf = _ca_certificate(client, arn), _leaf(client, arn)
    request = _request(leaf, ca)
    client.update_certificate_authority(CertificateAuthorityArn=arn, Status="DISABLED")

    client.delete_certificate_authority(CertificateAuthorityArn=arn, PermanentDeletionTimeInDays=7)

    assert _response(pca.ocsp(request)).response_status == ocsp.OCSPResponseStatus.UNAUTHORIZED
    assert _response(pca.fetch(_ocsp_url(leaf), request)).response_status == ocsp.OCSPResponseStatus.UNAUTHORIZED

    client.restore_certificate_authority(CertificateAuthorityArn=arn)

    assert _response(pca.ocsp(request)).certificate_status == ocsp.OCSPCertStatus.GOOD


@pytest.mark.parametrize("signing_algorithm", ["SHA256WITHRSA_PSS", "SHA512WITHRSA_PSS"])
def test_rsa_pss_ca_cannot_answer_under_the_mock(pca: AcmPcaMock, client: Any, signing_algorithm: str) -> None:
    arn = _ocsp_root(client, configuration=ca_configuration("RSA_2048", signing_algorithm))
    ca, leaf = _ca_certificate(client, arn), _leaf(client, arn)
    request = _request(leaf, ca)
    message = (
        f"pca_mock cannot answer OCSP for a CA whose SigningAlgorithm is {signing_algorithm}: "
        "pyca/cryptography cannot sign OCSP responses with RSASSA-PSS."
    )

    with pytest.raises(UnsupportedByMockError) as direct:
        pca.ocsp(request)
    with pytest.raises(UnsupportedByMockError) as fetched:
        pca.fetch(_ocsp_url(leaf), request)

    assert str(direct.value) == str(fetched.value) == message


# --- pkilint ------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["GOOD", "REVOKED", "UNKNOWN"])
@pytest.mark.parametrize(
    ("key_algorithm", "signing_algorithm"),
    [
        pytest.param("EC_prime256v1", "SHA256WITHECDSA", id="ecdsa"),
        pytest.param("RSA_2048", "SHA256WITHRSA", id="rsa"),
        pytest.param("ML_DSA_44", "ML_DSA_44", id="ml-dsa"),
    ],
)
def test_responses_pass_pkilint_without_errors(
    pca: AcmPcaMock, client: Any, status: str, key_algorithm: str, signing_algorithm: str
) -> None:
    arn = _ocsp_root(client, configuration=ca_configuration(key_algorithm, signing_algorithm))
    ca, leaf = _ca_certificate(client, arn), _leaf(client, arn)
    request = _request(leaf, ca)
    if status == "REVOKED":
        _revoke(client, arn, leaf, "CESSATION_OF_OPERATION")
    elif status == "UNKNOWN":
        request = _request_for_serial(request, leaf.serial_number + 1)

    der = pca.ocsp(request)

    assert _response(der).certificate_status == ocsp.OCSPCertStatus[status]
    assert ocsp_findings(der) == []


@pytest.mark.parametrize(
    "status",
    [ocsp.OCSPResponseStatus.MALFORMED_REQUEST, ocsp.OCSPResponseStatus.UNAUTHORIZED],
    ids=["malformed", "unauthorized"],
)
def test_unsuccessful_responses_pass_pkilint_without_errors(
    pca: AcmPcaMock, client: Any, status: ocsp.OCSPResponseStatus
) -> None:
    arn = _ocsp_root(client, ocsp_enabled=status is ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
    ca, leaf = _ca_certificate(client, arn), _leaf(client, arn)
    request = b"junk" if status is ocsp.OCSPResponseStatus.MALFORMED_REQUEST else _request(leaf, ca)

    der = pca.ocsp(request)

    assert _response(der).response_status == status
    assert ocsp_findings(der) == []


# --- end to end ---------------------------------------------------------------------------


def test_revocation_shows_in_the_crl_and_in_the_ocsp_answer(pca: AcmPcaMock, client: Any, clock: Any) -> None:
    arn = _ocsp_root(client, crl=True)
    ca, leaf = _ca_certificate(client, arn), _leaf(client, arn)
    request = _request(leaf, ca, hashes.SHA256())
    assert _response(pca.fetch(_ocsp_url(leaf), request)).certificate_status == ocsp.OCSPCertStatus.GOOD
    crl = x509.load_der_x509_crl(pca.fetch(_cdp_url(leaf)))
    assert crl.get_revoked_certificate_by_serial_number(leaf.serial_number) is None

    clock.shift(timedelta(minutes=3))
    _revoke(client, arn, leaf, "SUPERSEDED")

    crl = x509.load_der_x509_crl(pca.fetch(_cdp_url(leaf)))
    ca_key = ca.public_key()
    assert isinstance(ca_key, ec.EllipticCurvePublicKey)
    assert crl.is_signature_valid(ca_key)
    entry = crl.get_revoked_certificate_by_serial_number(leaf.serial_number)
    assert entry is not None
    assert entry.revocation_date_utc == NOW + timedelta(minutes=3)
    assert entry.extensions.get_extension_for_class(x509.CRLReason).value.reason == x509.ReasonFlags.superseded
    response = _response(pca.fetch(_get_url(_ocsp_url(leaf), request)))
    _assert_signed_by(response, ca)
    assert (response.certificate_status, response.revocation_time_utc, response.revocation_reason) == (
        ocsp.OCSPCertStatus.REVOKED,
        NOW + timedelta(minutes=3),
        x509.ReasonFlags.superseded,
    )
