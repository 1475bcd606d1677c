"""IssueCertificate signs without holding the registry lock, and re-checks what others may have changed meanwhile."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from botocore.exceptions import ClientError
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from pca_mock.service import issuance
from pca_mock.x509 import builder
from pca_mock.x509.keys import SIGNING_ALGORITHMS
from tests.helpers import (
    assert_client_error,
    backend_ca,
    ca_configuration,
    create_active_root,
    load_certificate,
    make_csr,
)

_NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
_LEAF = {"SigningAlgorithm": "SHA256WITHRSA", "Validity": {"Type": "DAYS", "Value": 30}}


@pytest.fixture
def rsa_root(client: Any) -> str:
    return create_active_root(client, configuration=ca_configuration("RSA_2048", "SHA256WITHRSA"))


def _while_signing(monkeypatch: pytest.MonkeyPatch, meanwhile: Callable[[], None]) -> None:
    """Run ``meanwhile`` on another thread, to completion, during the next signature (once)."""
    sign = builder.issue_certificate
    pending = [meanwhile]

    def sign_after_others_ran(request: builder.CertificateRequest) -> builder.BuiltCertificate:
        if pending:
            other = threading.Thread(target=pending.pop())
            other.start()
            # Were the registry lock still held, the other request could not finish.
            other.join(timeout=30)
            assert not other.is_alive(), "another request was blocked while a certificate was being signed"
        return sign(request)

    monkeypatch.setattr(builder, "issue_certificate", sign_after_others_ran)


def test_other_requests_complete_while_a_certificate_is_signed(
    client: Any, rsa_root: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    _while_signing(
        monkeypatch,
        lambda: seen.append(
            client.describe_certificate_authority(CertificateAuthorityArn=rsa_root)["CertificateAuthority"]["Status"]
        ),
    )
    arn = client.issue_certificate(CertificateAuthorityArn=rsa_root, Csr=make_csr(), **_LEAF)["CertificateArn"]

    assert seen == ["ACTIVE"]
    pem = client.get_certificate(CertificateAuthorityArn=rsa_root, CertificateArn=arn)["Certificate"]
    ca_certificate = load_certificate(
        client.get_certificate_authority_certificate(CertificateAuthorityArn=rsa_root)["Certificate"]
    )
    load_certificate(pem).verify_directly_issued_by(ca_certificate)


def test_a_request_with_the_same_token_that_finishes_first_wins(
    client: Any, rsa_root: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    request = {"CertificateAuthorityArn": rsa_root, "Csr": make_csr(), "IdempotencyToken": "once", **_LEAF}
    others: list[str] = []
    _while_signing(monkeypatch, lambda: others.append(client.issue_certificate(**request)["CertificateArn"]))

    arn = client.issue_certificate(**request)["CertificateArn"]

    assert others == [arn]
    assert [record.arn for record in backend_ca(rsa_root).certificates.values() if not record.self_issued] == [arn]


def test_a_serial_drawn_meanwhile_by_another_request_is_drawn_again(
    client: Any, rsa_root: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    draws = iter([0x1234, 0x1234, 0x5678])
    monkeypatch.setattr(issuance, "_unique_serial", lambda ca: next(draws))
    others: list[str] = []
    _while_signing(
        monkeypatch,
        lambda: others.append(
            client.issue_certificate(CertificateAuthorityArn=rsa_root, Csr=make_csr(common_name="b.example"), **_LEAF)[
                "CertificateArn"
            ]
        ),
    )

    arn = client.issue_certificate(CertificateAuthorityArn=rsa_root, Csr=make_csr(common_name="a.example"), **_LEAF)[
        "CertificateArn"
    ]

    assert others[0].endswith(f"/certificate/{0x1234:032x}")
    assert arn.endswith(f"/certificate/{0x5678:032x}")
    for certificate_arn, name in ((others[0], "b.example"), (arn, "a.example")):
        pem = client.get_certificate(CertificateAuthorityArn=rsa_root, CertificateArn=certificate_arn)["Certificate"]
        certificate = load_certificate(pem)
        assert certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == name
        assert certificate_arn.endswith(f"/certificate/{certificate.serial_number:032x}")


def test_a_quota_reached_meanwhile_fails_the_request_and_stores_nothing(
    client: Any, rsa_root: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ca = backend_ca(rsa_root)
    monkeypatch.setattr(issuance, "CERTIFICATES_PER_CA_QUOTA", len(ca.certificates) + 1)
    _while_signing(
        monkeypatch,
        lambda: client.issue_certificate(
            CertificateAuthorityArn=rsa_root, Csr=make_csr(common_name="b.example"), **_LEAF
        ),
    )

    with pytest.raises(ClientError) as excinfo:
        client.issue_certificate(CertificateAuthorityArn=rsa_root, Csr=make_csr(common_name="a.example"), **_LEAF)

    assert_client_error(
        excinfo,
        "LimitExceededException",
        f"The certificate authority has issued the maximum of {len(ca.certificates)} certificates.",
    )
    names = {
        load_certificate(record.pem).subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
        for record in ca.certificates.values()
        if not record.self_issued
    }
    assert names == {"b.example"}


@pytest.mark.parametrize("algorithm", ["SHA256WITHRSA", "SHA384WITHRSA_PSS", "SHA256WITHECDSA"])
def test_the_validity_recorded_is_the_one_encoded(algorithm: str) -> None:
    issuer_key: Any = (
        ec.generate_private_key(ec.SECP256R1())
        if algorithm.endswith("ECDSA")
        else rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    built = builder.issue_certificate(
        builder.CertificateRequest(
            subject=x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "leaf")]),
            public_key=ec.generate_private_key(ec.SECP256R1()).public_key(),
            issuer=x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Issuer")]),
            issuer_key=issuer_key,
            serial=12345,
            not_before=_NOW,
            not_after=_NOW + timedelta(days=1, microseconds=999),
            signature=SIGNING_ALGORITHMS[algorithm],
            extensions=[],
        )
    )
    certificate = x509.load_pem_x509_certificate(built.pem.encode())
    # Whole seconds, as encoded.
    assert built.not_before == certificate.not_valid_before_utc == _NOW
    assert built.not_after == certificate.not_valid_after_utc == _NOW + timedelta(days=1)
