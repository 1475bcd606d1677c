"""Signing algorithms: RSASSA-PSS (added to the model in 2026) and values newer than the mock."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.x509.oid import SignatureAlgorithmOID

from pca_mock._protocol import service_model
from pca_mock.errors import UnsupportedByMockError
from pca_mock.service import authorities
from pca_mock.x509 import keys
from tests.helpers import (
    assert_client_error,
    ca_configuration,
    create_active_root,
    create_active_subordinate,
    create_ca,
    issue,
    load_certificate,
    make_csr,
)

_SIGNING_ALGORITHMS = service_model().shape_for("SigningAlgorithm").enum  # type: ignore[attr-defined]
needs_pss = pytest.mark.skipif(
    "SHA256WITHRSA_PSS" not in _SIGNING_ALGORITHMS, reason="this botocore's model has no RSA-PSS signing algorithms"
)
HASHES = {"SHA256": hashes.SHA256, "SHA384": hashes.SHA384, "SHA512": hashes.SHA512}


def _assert_pss(signed: x509.Certificate | x509.CertificateSigningRequest, hash_name: str) -> None:
    assert signed.signature_algorithm_oid == SignatureAlgorithmOID.RSASSA_PSS
    assert isinstance(signed.signature_hash_algorithm, HASHES[hash_name])
    parameters = signed.signature_algorithm_parameters
    assert isinstance(parameters, padding.PSS)


@needs_pss
@pytest.mark.parametrize("hash_name", ["SHA256", "SHA384", "SHA512"])
def test_ca_configured_for_pss_signs_its_csr_with_pss(client, hash_name):
    arn = create_ca(client, configuration=ca_configuration("RSA_2048", f"{hash_name}WITHRSA_PSS"))
    csr = x509.load_pem_x509_csr(client.get_certificate_authority_csr(CertificateAuthorityArn=arn)["Csr"].encode())
    _assert_pss(csr, hash_name)
    assert csr.is_signature_valid


@needs_pss
@pytest.mark.parametrize("hash_name", ["SHA256", "SHA384", "SHA512"])
def test_issue_with_pss_signs_the_certificate_with_pss_and_it_verifies(client, hash_name):
    root = create_active_root(client, configuration=ca_configuration("RSA_2048", "SHA256WITHRSA"))
    leaf = issue(client, root, make_csr(), signing_algorithm=f"{hash_name}WITHRSA_PSS")
    certificate = load_certificate(leaf["Certificate"])
    _assert_pss(certificate, hash_name)
    issuer = load_certificate(leaf["CertificateChain"])
    certificate.verify_directly_issued_by(issuer)


@needs_pss
def test_pss_root_activates_and_signs_a_pss_subordinate(client):
    root = create_active_root(client, configuration=ca_configuration("RSA_2048", "SHA384WITHRSA_PSS"))
    root_certificate = load_certificate(
        client.get_certificate_authority_certificate(CertificateAuthorityArn=root)["Certificate"]
    )
    _assert_pss(root_certificate, "SHA384")
    sub = create_active_subordinate(client, root, configuration=ca_configuration("RSA_2048", "SHA256WITHRSA_PSS"))
    described = client.describe_certificate_authority(CertificateAuthorityArn=sub)["CertificateAuthority"]
    assert described["Status"] == "ACTIVE"


@needs_pss
def test_pss_on_an_ec_ca_raises_invalid_args(client):
    with pytest.raises(ClientError) as excinfo:
        create_ca(client, configuration=ca_configuration("EC_prime256v1", "SHA256WITHRSA_PSS"))
    assert_client_error(
        excinfo,
        "InvalidArgsException",
        "The signing algorithm SHA256WITHRSA_PSS is not compatible with the key algorithm EC_prime256v1.",
    )
    assert client.list_certificate_authorities()["CertificateAuthorities"] == []


@needs_pss
def test_issue_with_pss_from_an_ec_ca_raises_invalid_args(client):
    root = create_active_root(client)
    with pytest.raises(ClientError) as excinfo:
        issue(client, root, make_csr(), signing_algorithm="SHA256WITHRSA_PSS")
    assert_client_error(
        excinfo,
        "InvalidArgsException",
        "The signing algorithm SHA256WITHRSA_PSS is not compatible with the certificate authority's key "
        "algorithm EC_prime256v1.",
    )


def test_every_algorithm_in_the_model_is_known_to_the_mock():
    """A botocore upgrade that adds algorithms shows up here first."""
    assert set(_SIGNING_ALGORITHMS) <= set(keys.SIGNING_ALGORITHMS)
    key_algorithms = service_model().shape_for("KeyAlgorithm").enum  # type: ignore[attr-defined]
    assert set(key_algorithms) <= set(keys.KEY_ALGORITHMS)


def test_an_algorithm_newer_than_the_mock_raises_a_mock_error():
    with pytest.raises(UnsupportedByMockError) as excinfo:
        authorities.signature("SHA3_256WITHRSA")
    assert excinfo.value.args == (
        "pca_mock does not know the signing algorithm 'SHA3_256WITHRSA' yet (botocore's model is newer).",
    )
    with pytest.raises(UnsupportedByMockError) as excinfo:
        authorities.key_family("RSA_8192")
    assert excinfo.value.args == (
        "pca_mock does not know the key algorithm 'RSA_8192' yet (botocore's model is newer).",
    )
