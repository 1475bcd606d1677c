"""ML-DSA CAs end to end with real FIPS 204 signatures (reference §13; docs/behavior.md "Creating CAs")."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, mldsa, rsa
from cryptography.x509.oid import ObjectIdentifier, SignatureAlgorithmOID
from cryptography.x509.verification import PolicyBuilder, Store

from tests.helpers import (
    EE_TEMPLATE,
    ROOT_TEMPLATE,
    assert_client_error,
    backend_ca,
    ca_configuration,
    create_active_root,
    create_active_subordinate,
    create_ca,
    ec_key,
    issue,
    load_certificate,
    load_chain,
    make_csr,
    rsa_key,
    subordinate_template,
)

# Written out from FIPS 204 and RFC 9881 (id-ml-dsa-44/65/87), not read from pca_mock.
ML_DSA: dict[str, tuple[Any, Any, str, int, int]] = {
    "ML_DSA_44": (mldsa.MLDSA44PublicKey, mldsa.MLDSA44PrivateKey, "2.16.840.1.101.3.4.3.17", 1312, 2420),
    "ML_DSA_65": (mldsa.MLDSA65PublicKey, mldsa.MLDSA65PrivateKey, "2.16.840.1.101.3.4.3.18", 1952, 3309),
    "ML_DSA_87": (mldsa.MLDSA87PublicKey, mldsa.MLDSA87PrivateKey, "2.16.840.1.101.3.4.3.19", 2592, 4627),
}
ALGORITHMS = list(ML_DSA)
YEARS_1 = {"Type": "YEARS", "Value": 1}
DNS = "leaf.example.com"


# --- local helpers ----------------------------------------------------------------------------


def _ml_dsa_configuration(algorithm: str, common_name: str = "ML-DSA CA") -> dict[str, Any]:
    return ca_configuration(algorithm, algorithm, {"Organization": "Example Corp", "CommonName": common_name})


def _issued_serials(ca_arn: str) -> set[int]:
    """Serials a CA has issued (no operation lists them until audit reports are modelled)."""
    return set(backend_ca(ca_arn).certificates)


def _status(client: Any, ca_arn: str) -> str:
    status: str = client.describe_certificate_authority(CertificateAuthorityArn=ca_arn)["CertificateAuthority"][
        "Status"
    ]
    return status


def _csr(client: Any, ca_arn: str) -> x509.CertificateSigningRequest:
    pem = client.get_certificate_authority_csr(CertificateAuthorityArn=ca_arn)["Csr"]
    return x509.load_pem_x509_csr(pem.encode())


def _ca_certificate(client: Any, ca_arn: str) -> x509.Certificate:
    return load_certificate(client.get_certificate_authority_certificate(CertificateAuthorityArn=ca_arn)["Certificate"])


def _spki(key: Any) -> bytes:
    der: bytes = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return der


def _assert_ml_dsa_signed(
    signed: x509.Certificate | x509.CertificateSigningRequest, algorithm: str, signer: Any
) -> None:
    """A pure ML-DSA signature (empty context) of ``algorithm`` by ``signer``'s key over the TBS bytes."""
    _, _, oid, _, signature_length = ML_DSA[algorithm]
    assert signed.signature_algorithm_oid == ObjectIdentifier(oid)
    assert signed.signature_hash_algorithm is None
    assert len(signed.signature) == signature_length
    tbs = (
        signed.tbs_certrequest_bytes
        if isinstance(signed, x509.CertificateSigningRequest)
        else signed.tbs_certificate_bytes
    )
    signer.verify(signed.signature, tbs)  # raises InvalidSignature otherwise


def _assert_ml_dsa_key(public_key: Any, algorithm: str) -> None:
    public_type, _, oid, key_length, _ = ML_DSA[algorithm]
    assert isinstance(public_key, public_type)
    assert len(public_key.public_bytes_raw()) == key_length
    # SubjectPublicKeyInfo ::= SEQUENCE (long form, 2 length bytes) { AlgorithmIdentifier, BIT STRING }:
    # the AlgorithmIdentifier is the parameter set's OID alone, parameters absent (RFC 9881).
    spki = _spki(public_key)
    algorithm_identifier = bytes.fromhex("300b06096086480165030403") + bytes([int(oid.rsplit(".", 1)[1])])
    assert spki[:2] == b"\x30\x82"
    assert spki[4 : 4 + len(algorithm_identifier)] == algorithm_identifier


def _leaf_key(kind: str) -> Any:
    if kind == "ec":
        return ec_key()
    if kind == "rsa":
        return rsa_key()
    return ML_DSA[kind][1].generate()


def _server_verify(root: x509.Certificate, leaf: x509.Certificate, intermediates: list[x509.Certificate]) -> Any:
    return PolicyBuilder().store(Store([root])).build_server_verifier(x509.DNSName(DNS)).verify(leaf, intermediates)


# --- creating an ML-DSA CA and its CSR ----------------------------------------------------------


@pytest.mark.parametrize("algorithm", ALGORITHMS)
@pytest.mark.parametrize("ca_type", ["ROOT", "SUBORDINATE"])
def test_ml_dsa_ca_is_created_pending_and_describe_echoes_its_algorithms(
    client: Any, algorithm: str, ca_type: str
) -> None:
    configuration = _ml_dsa_configuration(algorithm)
    arn = create_ca(client, ca_type, configuration=configuration)

    described = client.describe_certificate_authority(CertificateAuthorityArn=arn)["CertificateAuthority"]

    assert described["Status"] == "PENDING_CERTIFICATE"
    assert described["Type"] == ca_type
    assert described["CertificateAuthorityConfiguration"] == configuration
    assert configuration["KeyAlgorithm"] == configuration["SigningAlgorithm"] == algorithm


@pytest.mark.parametrize("algorithm", ALGORITHMS)
@pytest.mark.parametrize("ca_type", ["ROOT", "SUBORDINATE"])
def test_ml_dsa_ca_csr_has_an_ml_dsa_key_and_a_valid_pure_ml_dsa_signature(
    client: Any, algorithm: str, ca_type: str
) -> None:
    arn = create_ca(client, ca_type, configuration=_ml_dsa_configuration(algorithm))

    csr = _csr(client, arn)

    public_key = csr.public_key()
    _assert_ml_dsa_key(public_key, algorithm)
    assert csr.is_signature_valid
    _assert_ml_dsa_signed(csr, algorithm, public_key)
    assert csr.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True


# --- ML-DSA roots and subordinates -----------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_ml_dsa_root_self_issues_imports_and_becomes_active(client: Any, algorithm: str) -> None:
    arn = create_ca(client, "ROOT", configuration=_ml_dsa_configuration(algorithm))
    csr = _csr(client, arn)

    response = issue(client, arn, csr.public_bytes(serialization.Encoding.PEM), template=ROOT_TEMPLATE)
    client.import_certificate_authority_certificate(CertificateAuthorityArn=arn, Certificate=response["Certificate"])

    assert _status(client, arn) == "ACTIVE"
    root = load_certificate(response["Certificate"])
    assert root == _ca_certificate(client, arn)
    assert root.subject == root.issuer == csr.subject
    assert _spki(root.public_key()) == _spki(csr.public_key())
    _assert_ml_dsa_signed(root, algorithm, root.public_key())
    root.verify_directly_issued_by(root)
    basic = root.extensions.get_extension_for_class(x509.BasicConstraints)
    assert (basic.critical, basic.value) == (True, x509.BasicConstraints(ca=True, path_length=None))


@pytest.mark.parametrize(
    ("root_algorithm", "sub_algorithm"),
    [
        pytest.param("ML_DSA_44", "ML_DSA_44", id="44-signs-44"),
        pytest.param("ML_DSA_65", "ML_DSA_65", id="65-signs-65"),
        pytest.param("ML_DSA_87", "ML_DSA_87", id="87-signs-87"),
        pytest.param("ML_DSA_87", "ML_DSA_44", id="87-signs-44"),
        pytest.param("ML_DSA_44", "ML_DSA_65", id="44-signs-65"),
    ],
)
def test_ml_dsa_subordinate_under_an_ml_dsa_root_activates_and_its_chain_verifies(
    client: Any, root_algorithm: str, sub_algorithm: str
) -> None:
    root_arn = create_active_root(client, configuration=_ml_dsa_configuration(root_algorithm, "ML-DSA Root"))
    sub_arn = create_ca(client, "SUBORDINATE", configuration=_ml_dsa_configuration(sub_algorithm, "ML-DSA Sub"))
    sub_csr = _csr(client, sub_arn)

    signed = issue(
        client,
        root_arn,
        sub_csr.public_bytes(serialization.Encoding.PEM),
        template=subordinate_template(0),
        validity={"Type": "YEARS", "Value": 5},
    )
    client.import_certificate_authority_certificate(
        CertificateAuthorityArn=sub_arn, Certificate=signed["Certificate"], CertificateChain=signed["CertificateChain"]
    )

    assert _status(client, sub_arn) == "ACTIVE"
    root = _ca_certificate(client, root_arn)
    sub = _ca_certificate(client, sub_arn)
    assert sub == load_certificate(signed["Certificate"])
    assert load_chain(
        client.get_certificate_authority_certificate(CertificateAuthorityArn=sub_arn)["CertificateChain"]
    ) == [root]
    _assert_ml_dsa_key(sub.public_key(), sub_algorithm)
    assert _spki(sub.public_key()) == _spki(sub_csr.public_key())
    _assert_ml_dsa_signed(sub, root_algorithm, root.public_key())
    sub.verify_directly_issued_by(root)
    assert sub.extensions.get_extension_for_class(x509.BasicConstraints).value == x509.BasicConstraints(
        ca=True, path_length=0
    )


# --- leaves from ML-DSA CAs ---------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ALGORITHMS)
@pytest.mark.parametrize("leaf_key", ["ec", "rsa", *ALGORITHMS])
def test_ml_dsa_ca_issues_ml_dsa_signed_leaves_for_any_csr_key(client: Any, algorithm: str, leaf_key: str) -> None:
    root_arn = create_active_root(client, configuration=_ml_dsa_configuration(algorithm))
    root = _ca_certificate(client, root_arn)
    key = _leaf_key(leaf_key)

    response = issue(client, root_arn, make_csr(key=key), signing_algorithm=algorithm)

    leaf = load_certificate(response["Certificate"])
    assert _spki(leaf.public_key()) == _spki(key.public_key())
    expected_type = {"ec": ec.EllipticCurvePublicKey, "rsa": rsa.RSAPublicKey}.get(leaf_key) or ML_DSA[leaf_key][0]
    assert isinstance(leaf.public_key(), expected_type)
    _assert_ml_dsa_signed(leaf, algorithm, root.public_key())
    leaf.verify_directly_issued_by(root)
    assert load_chain(response["CertificateChain"]) == [root]


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_ml_dsa_hierarchy_passes_server_and_client_path_validation(client: Any, algorithm: str) -> None:
    root_arn = create_active_root(client, configuration=_ml_dsa_configuration(algorithm, "ML-DSA Root"))
    sub_arn = create_active_subordinate(client, root_arn, configuration=_ml_dsa_configuration(algorithm, "ML-DSA Sub"))
    csr = make_csr(DNS, key=ML_DSA[algorithm][1].generate(), sans=[x509.DNSName(DNS)])

    response = issue(client, sub_arn, csr)

    leaf = load_certificate(response["Certificate"])
    chain = load_chain(response["CertificateChain"])
    root, intermediates = chain[-1], chain[:-1]
    assert root == _ca_certificate(client, root_arn)
    assert _server_verify(root, leaf, intermediates) == [leaf, *chain]
    client_verified = PolicyBuilder().store(Store([root])).build_client_verifier().verify(leaf, intermediates)
    assert client_verified.chain == [leaf, *chain]


# --- algorithm mismatches ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key_algorithm", "signing_algorithm"),
    [
        *(
            pytest.param(key, signing, id=f"{key}-key-{signing}")
            for key in ALGORITHMS
            for signing in ALGORITHMS
            if key != signing
        ),
        pytest.param("ML_DSA_65", "SHA256WITHRSA", id="ML_DSA_65-key-SHA256WITHRSA"),
        pytest.param("ML_DSA_87", "SHA384WITHECDSA", id="ML_DSA_87-key-SHA384WITHECDSA"),
        pytest.param("EC_prime256v1", "ML_DSA_44", id="EC_prime256v1-key-ML_DSA_44"),
        pytest.param("RSA_2048", "ML_DSA_87", id="RSA_2048-key-ML_DSA_87"),
    ],
)
def test_create_with_ml_dsa_on_only_one_side_or_of_two_levels_raises_invalid_args(
    client: Any, key_algorithm: str, signing_algorithm: str
) -> None:
    with pytest.raises(ClientError) as excinfo:
        create_ca(client, configuration=ca_configuration(key_algorithm, signing_algorithm))

    assert_client_error(
        excinfo,
        "InvalidArgsException",
        f"The signing algorithm {signing_algorithm} is not compatible with the key algorithm {key_algorithm}.",
    )
    assert client.list_certificate_authorities()["CertificateAuthorities"] == []


@pytest.mark.parametrize(
    ("key_algorithm", "ca_signing", "signing_algorithm"),
    [
        pytest.param("ML_DSA_44", "ML_DSA_44", "ML_DSA_65", id="ML_DSA_44-ca-ML_DSA_65"),
        pytest.param("ML_DSA_44", "ML_DSA_44", "ML_DSA_87", id="ML_DSA_44-ca-ML_DSA_87"),
        pytest.param("ML_DSA_87", "ML_DSA_87", "ML_DSA_44", id="ML_DSA_87-ca-ML_DSA_44"),
        pytest.param("ML_DSA_65", "ML_DSA_65", "SHA256WITHRSA", id="ML_DSA_65-ca-SHA256WITHRSA"),
        pytest.param("ML_DSA_65", "ML_DSA_65", "SHA384WITHECDSA", id="ML_DSA_65-ca-SHA384WITHECDSA"),
        pytest.param("RSA_2048", "SHA256WITHRSA", "ML_DSA_44", id="RSA_2048-ca-ML_DSA_44"),
        pytest.param("EC_prime256v1", "SHA256WITHECDSA", "ML_DSA_65", id="EC_prime256v1-ca-ML_DSA_65"),
    ],
)
def test_issue_with_a_signing_algorithm_not_of_the_cas_key_raises_invalid_args(
    client: Any, key_algorithm: str, ca_signing: str, signing_algorithm: str
) -> None:
    root_arn = create_active_root(client, configuration=ca_configuration(key_algorithm, ca_signing))
    before = _issued_serials(root_arn)

    for template in (EE_TEMPLATE, subordinate_template(0)):
        with pytest.raises(ClientError) as excinfo:
            client.issue_certificate(
                CertificateAuthorityArn=root_arn,
                Csr=make_csr(),
                TemplateArn=template,
                SigningAlgorithm=signing_algorithm,
                Validity=YEARS_1,
            )

        assert_client_error(
            excinfo,
            "InvalidArgsException",
            f"The signing algorithm {signing_algorithm} is not compatible with the certificate authority's "
            f"key algorithm {key_algorithm}.",
        )
    assert _issued_serials(root_arn) == before


def test_pending_ml_dsa_root_cannot_self_sign_with_another_ml_dsa_parameter_set(client: Any) -> None:
    arn = create_ca(client, "ROOT", configuration=_ml_dsa_configuration("ML_DSA_44"))
    csr = client.get_certificate_authority_csr(CertificateAuthorityArn=arn)["Csr"]
    before = _issued_serials(arn)

    with pytest.raises(ClientError) as excinfo:
        client.issue_certificate(
            CertificateAuthorityArn=arn,
            Csr=csr,
            TemplateArn=ROOT_TEMPLATE,
            SigningAlgorithm="ML_DSA_65",
            Validity={"Type": "YEARS", "Value": 10},
        )

    assert_client_error(
        excinfo,
        "InvalidArgsException",
        "The signing algorithm ML_DSA_65 is not compatible with the certificate authority's key algorithm ML_DSA_44.",
    )
    assert _issued_serials(arn) == before
    assert _status(client, arn) == "PENDING_CERTIFICATE"


# --- mixed hierarchies ---------------------------------------------------------------------------------


def test_ec_root_signs_an_ml_dsa_subordinate_whose_leaves_validate_to_the_root(client: Any) -> None:
    root_arn = create_active_root(client)
    sub_arn = create_active_subordinate(client, root_arn, configuration=_ml_dsa_configuration("ML_DSA_65", "Sub"))
    root, sub = _ca_certificate(client, root_arn), _ca_certificate(client, sub_arn)

    response = issue(client, sub_arn, make_csr(DNS, sans=[x509.DNSName(DNS)]))

    assert sub.signature_algorithm_oid == SignatureAlgorithmOID.ECDSA_WITH_SHA256
    sub.verify_directly_issued_by(root)
    _assert_ml_dsa_key(sub.public_key(), "ML_DSA_65")
    leaf = load_certificate(response["Certificate"])
    assert isinstance(leaf.public_key(), ec.EllipticCurvePublicKey)
    _assert_ml_dsa_signed(leaf, "ML_DSA_65", sub.public_key())
    assert load_chain(response["CertificateChain"]) == [sub, root]
    assert _server_verify(root, leaf, [sub]) == [leaf, sub, root]


def test_ml_dsa_root_signs_an_ec_subordinate_whose_leaves_validate_to_the_root(client: Any) -> None:
    root_arn = create_active_root(client, configuration=_ml_dsa_configuration("ML_DSA_87", "Root"))
    sub_arn = create_active_subordinate(
        client, root_arn, configuration=ca_configuration("EC_secp384r1", "SHA384WITHECDSA")
    )
    root, sub = _ca_certificate(client, root_arn), _ca_certificate(client, sub_arn)

    response = issue(client, sub_arn, make_csr(DNS, key=mldsa.MLDSA44PrivateKey.generate(), sans=[x509.DNSName(DNS)]))

    _assert_ml_dsa_signed(sub, "ML_DSA_87", root.public_key())
    sub.verify_directly_issued_by(root)
    assert isinstance(sub.public_key(), ec.EllipticCurvePublicKey)
    leaf = load_certificate(response["Certificate"])
    assert leaf.signature_algorithm_oid == SignatureAlgorithmOID.ECDSA_WITH_SHA384
    leaf.verify_directly_issued_by(sub)
    _assert_ml_dsa_key(leaf.public_key(), "ML_DSA_44")
    assert load_chain(response["CertificateChain"]) == [sub, root]
    assert _server_verify(root, leaf, [sub]) == [leaf, sub, root]


# --- regions ---------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("pca")
@pytest.mark.parametrize("region", ["eu-south-1", "ca-central-1"])
def test_ml_dsa_ca_signs_ca_certificates_outside_the_legacy_ecdsa_regions(region: str) -> None:
    # The ECDSA curve/hash pairing rule for CA certificates (§4.2) has nothing to say about ML-DSA.
    client = boto3.client("acm-pca", region_name=region)
    root_arn = create_active_root(client, configuration=_ml_dsa_configuration("ML_DSA_65", "Root"))
    sub_arn = create_active_subordinate(client, root_arn, configuration=_ml_dsa_configuration("ML_DSA_44", "Sub"))

    root, sub = _ca_certificate(client, root_arn), _ca_certificate(client, sub_arn)

    assert f":{region}:" in sub_arn
    _assert_ml_dsa_signed(root, "ML_DSA_65", root.public_key())
    _assert_ml_dsa_signed(sub, "ML_DSA_65", root.public_key())
    _assert_ml_dsa_key(sub.public_key(), "ML_DSA_44")
