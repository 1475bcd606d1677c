"""RSA signatures computed on a background thread: same certificates, same errors, at the same call."""

from __future__ import annotations

import threading
from concurrent.futures import Future
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from pca_mock.service.models import IssuedCertificate
from pca_mock.x509 import builder
from pca_mock.x509.keys import SIGNING_ALGORITHMS
from tests.helpers import ca_configuration, create_active_root, load_certificate, make_csr

_NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _request(issuer_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey, subject: x509.Name, algorithm: str) -> Any:
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    return builder.CertificateRequest(
        subject=subject,
        public_key=leaf_key.public_key(),
        issuer=x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Issuer")]),
        issuer_key=issuer_key,
        serial=12345,
        not_before=_NOW,
        not_after=_NOW + timedelta(days=1, microseconds=999),
        signature=SIGNING_ALGORITHMS[algorithm],
        extensions=[],
    )


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.mark.parametrize("algorithm", ["SHA256WITHRSA", "SHA384WITHRSA_PSS"])
def test_an_rsa_signature_is_computed_in_the_background_and_verifies(
    rsa_key: rsa.RSAPrivateKey, algorithm: str
) -> None:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "leaf")])
    built = builder.issue_certificate(_request(rsa_key, subject, algorithm))

    assert isinstance(built.pem, Future)
    certificate = x509.load_pem_x509_certificate(built.pem.result(timeout=60).encode())
    certificate.verify_directly_issued_by(
        x509.CertificateBuilder()
        .subject_name(certificate.issuer)
        .issuer_name(certificate.issuer)
        .public_key(rsa_key.public_key())
        .serial_number(1)
        .not_valid_before(_NOW)
        .not_valid_after(_NOW + timedelta(days=2))
        .sign(rsa_key, SIGNING_ALGORITHMS["SHA256WITHRSA"].hash())
    )
    assert certificate.subject == subject
    # The validity the record keeps is the one encoded (whole seconds), read before the signature exists.
    assert built.not_before == certificate.not_valid_before_utc == _NOW
    assert built.not_after == certificate.not_valid_after_utc == _NOW + timedelta(days=1)


def test_an_ec_signature_is_computed_at_once() -> None:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "leaf")])
    built = builder.issue_certificate(_request(ec.generate_private_key(ec.SECP256R1()), subject, "SHA256WITHECDSA"))
    assert isinstance(built.pem, str)
    assert x509.load_pem_x509_certificate(built.pem.encode()).subject == subject


def test_a_certificate_that_cannot_be_encoded_fails_before_the_background_signature(
    rsa_key: rsa.RSAPrivateKey,
) -> None:
    # '*' is not a PrintableString character: cryptography only finds out while encoding.
    subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "U*")])
    with pytest.raises(ValueError, match="PrintableString"):
        builder.issue_certificate(_request(rsa_key, subject, "SHA256WITHRSA"))


def test_reading_a_record_waits_for_its_signature_and_keeps_the_pem() -> None:
    pending: Future[str] = Future()
    record = IssuedCertificate(
        serial=1,
        arn="arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/x/certificate/1",
        signed=pending,
        chain_pem=None,
        not_before=_NOW,
        not_after=_NOW,
        issued_at=_NOW,
        template_arn="arn:aws:acm-pca:::template/EndEntityCertificate/V1",
    )
    threading.Timer(0.05, pending.set_result, args=("-----PEM-----\n",)).start()
    assert record.pem == "-----PEM-----\n"
    assert record.signed == "-----PEM-----\n"


def test_many_rsa_certificates_issued_back_to_back_all_carry_their_own_signature(client: Any) -> None:
    ca_arn = create_active_root(client, configuration=ca_configuration("RSA_2048", "SHA256WITHRSA"))
    ca_certificate = load_certificate(
        client.get_certificate_authority_certificate(CertificateAuthorityArn=ca_arn)["Certificate"]
    )
    # Every IssueCertificate before any GetCertificate: the signatures queue up behind each other.
    arns = [
        client.issue_certificate(
            CertificateAuthorityArn=ca_arn,
            Csr=make_csr(common_name=f"leaf{index}.example.com"),
            SigningAlgorithm="SHA256WITHRSA",
            Validity={"Type": "DAYS", "Value": 30},
        )["CertificateArn"]
        for index in range(20)
    ]
    names = set()
    for arn in reversed(arns):
        pem = client.get_certificate(CertificateAuthorityArn=ca_arn, CertificateArn=arn)["Certificate"]
        certificate = load_certificate(pem)
        certificate.verify_directly_issued_by(ca_certificate)
        assert arn.endswith(f"/certificate/{certificate.serial_number:032x}")
        names.add(certificate.subject.rfc4514_string())
    assert len(names) == 20
