"""GetCertificateAuthorityCsr, ImportCertificateAuthorityCertificate and
GetCertificateAuthorityCertificate (reference §1.2 and §6).

A mocked CA's private key never leaves the mock, so every externally signed
certificate here is for a SUBORDINATE CA: the test builds its own root (and
intermediates) with cryptography and signs the subordinate's CSR with them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import time_machine
from botocore.exceptions import ClientError, WaiterError
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, ExtensionOID, NameOID

from tests.helpers import (
    ROOT_TEMPLATE,
    activate_root,
    assert_client_error,
    backend_ca,
    ca_configuration,
    create_active_root,
    create_active_subordinate,
    create_ca,
    issue,
    load_certificate,
    load_chain,
    make_csr,
    subordinate_template,
)

# --- building certificates outside the mock ------------------------------------------

CA_TRUE = x509.BasicConstraints(ca=True, path_length=None)
PEM = serialization.Encoding.PEM


@dataclass(frozen=True)
class Signer:
    """A CA that lives in the test, not in the mock."""

    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    @property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(PEM)


def name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def build_certificate(
    public_key: Any,
    subject: x509.Name,
    *,
    issuer_name: x509.Name,
    issuer_key: ec.EllipticCurvePrivateKey,
    basic_constraints: x509.BasicConstraints | None = CA_TRUE,
    basic_constraints_critical: bool = True,
    extensions: Sequence[tuple[x509.ExtensionType, bool]] = (),
    not_after: datetime | None = None,
) -> x509.Certificate:
    now = datetime.now(timezone.utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(not_after or now + timedelta(days=365))
    )
    if basic_constraints is not None:
        builder = builder.add_extension(basic_constraints, critical=basic_constraints_critical)
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    return builder.sign(issuer_key, hashes.SHA256())


def external_root(common_name: str = "External Root CA", *, path_length: int | None = None) -> Signer:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = name(common_name)
    certificate = build_certificate(
        key.public_key(),
        subject,
        issuer_name=subject,
        issuer_key=key,
        basic_constraints=x509.BasicConstraints(ca=True, path_length=path_length),
        not_after=datetime.now(timezone.utc) + timedelta(days=3650),
    )
    return Signer(key, certificate)


def external_intermediate(
    parent: Signer,
    common_name: str = "External Intermediate CA",
    *,
    basic_constraints: x509.BasicConstraints | None = CA_TRUE,
    extensions: Sequence[tuple[x509.ExtensionType, bool]] = (),
) -> Signer:
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = build_certificate(
        key.public_key(),
        name(common_name),
        issuer_name=parent.certificate.subject,
        issuer_key=parent.key,
        basic_constraints=basic_constraints,
        extensions=extensions,
        not_after=datetime.now(timezone.utc) + timedelta(days=1825),
    )
    return Signer(key, certificate)


def sign_csr(parent: Signer, csr_pem: str, **options: Any) -> x509.Certificate:
    """A certificate for the key and subject of a mocked CA's CSR, signed by ``parent``."""
    csr = x509.load_pem_x509_csr(csr_pem.encode())
    return build_certificate(
        csr.public_key(), csr.subject, issuer_name=parent.certificate.subject, issuer_key=parent.key, **options
    )


def pem(*certificates: x509.Certificate) -> bytes:
    return b"".join(certificate.public_bytes(PEM) for certificate in certificates)


def mocked_private_key(arn: str) -> Any:
    """The private key of a mocked CA, read from the mock's internal state.

    No API ever reveals a CA's key; only the rule "a subordinate certificate
    must not be self-signed" needs one, because nobody else can self-sign it.
    """
    return backend_ca(arn).private_key


# --- reading the mock -------------------------------------------------------------------


def describe(client: Any, arn: str) -> dict[str, Any]:
    ca: dict[str, Any] = client.describe_certificate_authority(CertificateAuthorityArn=arn)["CertificateAuthority"]
    return ca


def ca_csr(client: Any, arn: str) -> x509.CertificateSigningRequest:
    return x509.load_pem_x509_csr(client.get_certificate_authority_csr(CertificateAuthorityArn=arn)["Csr"].encode())


def public_der(key: Any) -> bytes:
    der: bytes = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return der


def not_ready_message(arn: str) -> str:
    return f"The certificate authority {arn} is not in the correct state to have a certificate signing request."


def pending_subordinate(client: Any) -> tuple[str, str]:
    """A new SUBORDINATE CA awaiting its certificate, and its CSR."""
    arn = create_ca(client, "SUBORDINATE")
    return arn, client.get_certificate_authority_csr(CertificateAuthorityArn=arn)["Csr"]


def import_ca_certificate(client: Any, arn: str, certificate: bytes, chain: bytes | None = None) -> None:
    kwargs: dict[str, Any] = {} if chain is None else {"CertificateChain": chain}
    client.import_certificate_authority_certificate(CertificateAuthorityArn=arn, Certificate=certificate, **kwargs)


def assert_installed(client: Any, arn: str, certificate: x509.Certificate, chain: Sequence[x509.Certificate]) -> None:
    """Describe and GetCertificateAuthorityCertificate both reflect exactly this certificate and chain."""
    ca = describe(client, arn)
    assert int(ca["Serial"].replace(":", ""), 16) == certificate.serial_number
    assert ca["NotBefore"] == certificate.not_valid_before_utc
    assert ca["NotAfter"] == certificate.not_valid_after_utc
    installed = client.get_certificate_authority_certificate(CertificateAuthorityArn=arn)
    assert load_certificate(installed["Certificate"]) == certificate
    if chain:
        returned_chain = load_chain(installed["CertificateChain"])
        assert returned_chain == list(chain)
        assert certificate not in returned_chain
    else:
        assert "CertificateChain" not in installed


def assert_still_pending(client: Any, arn: str) -> None:
    ca = describe(client, arn)
    assert ca["Status"] == "PENDING_CERTIFICATE"
    assert not {"Serial", "NotBefore", "NotAfter"} & ca.keys()
    with pytest.raises(ClientError) as excinfo:
        client.get_certificate_authority_certificate(CertificateAuthorityArn=arn)
    assert_client_error(excinfo, "InvalidStateException", not_ready_message(arn))


def assert_import_fails(
    client: Any, arn: str, certificate: bytes, chain: bytes | None, code: str, message: str
) -> None:
    with pytest.raises(ClientError) as excinfo:
        import_ca_certificate(client, arn, certificate, chain)
    assert_client_error(excinfo, code, message)


@pytest.fixture
def root() -> Signer:
    return external_root()


# --- GetCertificateAuthorityCsr ---------------------------------------------------------


@pytest.mark.parametrize(
    ("key_algorithm", "signing_algorithm", "key_check", "hash_type"),
    [
        pytest.param(
            "EC_prime256v1",
            "SHA256WITHECDSA",
            lambda key: isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp256r1",
            hashes.SHA256,
            id="ec-p256",
        ),
        pytest.param(
            "EC_secp384r1",
            "SHA384WITHECDSA",
            lambda key: isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp384r1",
            hashes.SHA384,
            id="ec-p384",
        ),
        pytest.param(
            "RSA_2048",
            "SHA256WITHRSA",
            lambda key: isinstance(key, rsa.RSAPublicKey) and key.key_size == 2048,
            hashes.SHA256,
            id="rsa-2048",
        ),
    ],
)
def test_csr_has_the_configured_key_type_and_is_signed_with_the_configured_algorithm(
    client, key_algorithm, signing_algorithm, key_check, hash_type
):
    arn = create_ca(client, configuration=ca_configuration(key_algorithm, signing_algorithm))
    csr = ca_csr(client, arn)
    assert csr.is_signature_valid
    assert key_check(csr.public_key())
    assert isinstance(csr.signature_hash_algorithm, hash_type)


def test_csr_subject_is_the_configured_subject_in_model_order(client):
    subject = {
        "Locality": "Seattle",
        "CommonName": "Example Issuing CA",
        "State": "Washington",
        "OrganizationalUnit": "PKI",
        "Organization": "Example Corp",
        "Country": "US",
    }
    arn = create_ca(client, "SUBORDINATE", configuration=ca_configuration(subject=subject))
    csr = ca_csr(client, arn)
    assert [(attribute.oid, attribute.value) for attribute in csr.subject] == [
        (NameOID.COUNTRY_NAME, "US"),
        (NameOID.ORGANIZATION_NAME, "Example Corp"),
        (NameOID.ORGANIZATIONAL_UNIT_NAME, "PKI"),
        (NameOID.STATE_OR_PROVINCE_NAME, "Washington"),
        (NameOID.COMMON_NAME, "Example Issuing CA"),
        (NameOID.LOCALITY_NAME, "Seattle"),
    ]


def test_csr_requests_a_ca_certificate(client):
    csr = ca_csr(client, create_ca(client))
    assert csr.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True


def test_csr_key_is_the_key_of_every_certificate_the_ca_installs(client):
    arn = create_ca(client)
    before = public_der(ca_csr(client, arn).public_key())

    first = load_certificate(activate_root(client, arn, years=5))
    after_activation = public_der(ca_csr(client, arn).public_key())
    renewed = issue(
        client,
        arn,
        client.get_certificate_authority_csr(CertificateAuthorityArn=arn)["Csr"],
        template=ROOT_TEMPLATE,
        validity={"Type": "YEARS", "Value": 8},
    )["Certificate"]
    import_ca_certificate(client, arn, renewed.encode())
    after_renewal = public_der(ca_csr(client, arn).public_key())

    assert before == after_activation == after_renewal
    assert public_der(first.public_key()) == before
    assert public_der(load_certificate(renewed).public_key()) == before


def test_csr_created_waiter_succeeds_without_sleeping(client, monkeypatch):
    def no_sleep(seconds: float) -> None:
        raise AssertionError(f"the waiter slept {seconds}s: the CSR should be ready at once")

    monkeypatch.setattr(time, "sleep", no_sleep)
    arn = create_ca(client)
    assert client.get_waiter("certificate_authority_csr_created").wait(CertificateAuthorityArn=arn) is None


def test_csr_of_a_deleted_ca_raises_invalid_state(client):
    arn = create_ca(client)
    client.delete_certificate_authority(CertificateAuthorityArn=arn, PermanentDeletionTimeInDays=7)
    with pytest.raises(ClientError) as excinfo:
        client.get_certificate_authority_csr(CertificateAuthorityArn=arn)
    assert_client_error(excinfo, "InvalidStateException", not_ready_message(arn))


def test_csr_created_waiter_fails_at_once_on_a_deleted_ca(client, monkeypatch):
    monkeypatch.setattr(time, "sleep", lambda seconds: pytest.fail("the waiter retried a final error"))
    arn = create_ca(client)
    client.delete_certificate_authority(CertificateAuthorityArn=arn, PermanentDeletionTimeInDays=7)
    with pytest.raises(WaiterError) as excinfo:
        client.get_waiter("certificate_authority_csr_created").wait(CertificateAuthorityArn=arn)
    assert excinfo.value.last_response["Error"]["Code"] == "InvalidStateException"


@pytest.mark.parametrize("status", [pytest.param("ACTIVE", id="active"), pytest.param("DISABLED", id="disabled")])
def test_csr_stays_available_once_the_ca_has_a_certificate(client, status):
    arn = create_active_root(client)
    key = public_der(ca_csr(client, arn).public_key())
    if status != "ACTIVE":
        client.update_certificate_authority(CertificateAuthorityArn=arn, Status=status)
    assert describe(client, arn)["Status"] == status
    assert public_der(ca_csr(client, arn).public_key()) == key


# --- activation: happy paths ------------------------------------------------------------


def test_importing_a_self_signed_root_certificate_activates_the_root(client):
    arn = create_ca(client)
    certificate = load_certificate(activate_root(client, arn))

    assert describe(client, arn)["Status"] == "ACTIVE"
    certificate.verify_directly_issued_by(certificate)
    basic = certificate.extensions.get_extension_for_class(x509.BasicConstraints)
    assert basic.critical
    assert basic.value.ca
    assert_installed(client, arn, certificate, chain=[])


def test_importing_a_subordinate_certificate_signed_by_an_external_root_activates_it(client, root):
    arn, csr = pending_subordinate(client)
    certificate = sign_csr(root, csr)

    import_ca_certificate(client, arn, pem(certificate), root.pem)

    assert describe(client, arn)["Status"] == "ACTIVE"
    assert_installed(client, arn, certificate, chain=[root.certificate])
    installed = client.get_certificate_authority_certificate(CertificateAuthorityArn=arn)
    load_certificate(installed["Certificate"]).verify_directly_issued_by(load_chain(installed["CertificateChain"])[0])


def test_subordinate_chain_is_returned_issuer_first_and_root_last(client, root):
    intermediate = external_intermediate(root)
    arn, csr = pending_subordinate(client)
    certificate = sign_csr(intermediate, csr)

    import_ca_certificate(client, arn, pem(certificate), pem(intermediate.certificate, root.certificate))

    assert_installed(client, arn, certificate, chain=[intermediate.certificate, root.certificate])
    chain = load_chain(client.get_certificate_authority_certificate(CertificateAuthorityArn=arn)["CertificateChain"])
    certificate.verify_directly_issued_by(chain[0])
    chain[0].verify_directly_issued_by(chain[1])
    chain[1].verify_directly_issued_by(chain[1])


def test_subordinate_activated_with_a_mock_parent_returns_the_parent_chain(client):
    root_arn = create_active_root(client)
    middle_arn = create_active_subordinate(client, root_arn, path_len=1)
    leaf_ca_arn = create_active_subordinate(client, middle_arn, path_len=0, years=2)

    root_certificate = load_certificate(
        client.get_certificate_authority_certificate(CertificateAuthorityArn=root_arn)["Certificate"]
    )
    middle_certificate = load_certificate(
        client.get_certificate_authority_certificate(CertificateAuthorityArn=middle_arn)["Certificate"]
    )
    installed = client.get_certificate_authority_certificate(CertificateAuthorityArn=leaf_ca_arn)
    certificate = load_certificate(installed["Certificate"])

    assert describe(client, leaf_ca_arn)["Status"] == "ACTIVE"
    assert load_chain(installed["CertificateChain"]) == [middle_certificate, root_certificate]
    certificate.verify_directly_issued_by(middle_certificate)


@pytest.mark.parametrize(
    ("extension", "critical"),
    [
        pytest.param(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            True,
            id="critical-key-usage",
        ),
        pytest.param(
            x509.NameConstraints(permitted_subtrees=[x509.DNSName("example.com")], excluded_subtrees=None),
            True,
            id="critical-name-constraints",
        ),
        pytest.param(
            x509.CertificatePolicies([x509.PolicyInformation(x509.ObjectIdentifier("2.23.140.1.2.1"), None)]),
            True,
            id="critical-certificate-policies",
        ),
        pytest.param(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), True, id="critical-eku"),
        pytest.param(x509.InhibitAnyPolicy(0), True, id="critical-inhibit-any-policy"),
        pytest.param(x509.IssuerAlternativeName([x509.DNSName("ca.example.com")]), True, id="critical-ian"),
        pytest.param(x509.SubjectAlternativeName([x509.DNSName("ca.example.com")]), True, id="critical-san"),
        pytest.param(
            # PolicyMappings (2.5.29.33) 1.2.3.4 -> 1.2.3.5; cryptography has no class for it.
            x509.UnrecognizedExtension(ExtensionOID.POLICY_MAPPINGS, bytes.fromhex("300c300a06032a030406032a0305")),
            True,
            id="critical-policy-mappings",
        ),
        pytest.param(
            x509.SubjectInformationAccess(
                [
                    x509.AccessDescription(
                        x509.ObjectIdentifier("1.3.6.1.5.5.7.48.5"),
                        x509.UniformResourceIdentifier("http://repo.example.com/"),
                    )
                ]
            ),
            True,
            id="critical-subject-information-access",
        ),
        pytest.param(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        [x509.UniformResourceIdentifier("http://crl.example.com/r.crl")], None, None, None
                    )
                ]
            ),
            False,
            id="non-critical-crl-distribution-points",
        ),
        pytest.param(
            x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(
                        AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier("http://ocsp.example.com")
                    )
                ]
            ),
            False,
            id="non-critical-authority-information-access",
        ),
    ],
)
def test_extensions_aws_allows_in_a_ca_certificate_are_accepted(client, root, extension, critical):
    arn, csr = pending_subordinate(client)
    certificate = sign_csr(root, csr, extensions=[(extension, critical)])

    import_ca_certificate(client, arn, pem(certificate), root.pem)

    assert describe(client, arn)["Status"] == "ACTIVE"
    installed = load_certificate(
        client.get_certificate_authority_certificate(CertificateAuthorityArn=arn)["Certificate"]
    )
    assert installed.extensions.get_extension_for_oid(extension.oid).critical is critical


def test_critical_subject_and_authority_key_identifiers_are_accepted(client, root):
    arn, csr = pending_subordinate(client)
    public_key = x509.load_pem_x509_csr(csr.encode()).public_key()
    extensions = [
        (x509.SubjectKeyIdentifier.from_public_key(public_key), True),
        (x509.AuthorityKeyIdentifier.from_issuer_public_key(root.key.public_key()), True),
    ]
    certificate = sign_csr(root, csr, extensions=extensions)

    import_ca_certificate(client, arn, pem(certificate), root.pem)

    assert_installed(client, arn, certificate, chain=[root.certificate])


@pytest.mark.parametrize(
    "path_lengths",
    [
        pytest.param([1], id="pathlen-1-root-signs-the-ca"),
        pytest.param([2, None], id="pathlen-2-root-over-one-intermediate"),
        pytest.param([None, 1], id="pathlen-1-intermediate-signs-the-ca"),
        pytest.param([2, 1], id="pathlen-2-root-over-pathlen-1-intermediate"),
    ],
)
def test_path_length_constraints_that_leave_room_for_the_ca_are_accepted(client, path_lengths):
    """``path_lengths`` runs from the root down to the CA's issuer."""
    issuer = external_root(path_length=path_lengths[0])
    chain = [issuer]
    for path_length in path_lengths[1:]:
        issuer = external_intermediate(
            issuer, basic_constraints=x509.BasicConstraints(ca=True, path_length=path_length)
        )
        chain.insert(0, issuer)
    arn, csr = pending_subordinate(client)
    certificate = sign_csr(issuer, csr)

    import_ca_certificate(client, arn, pem(certificate), pem(*(signer.certificate for signer in chain)))

    assert describe(client, arn)["Status"] == "ACTIVE"
    assert_installed(client, arn, certificate, chain=[signer.certificate for signer in chain])


# --- activation: rejected certificates --------------------------------------------------

BAD_PEM_MESSAGE = "The certificate is not a valid PEM-encoded X.509 certificate."


def _der_of_a_certificate(root: Signer, csr: str) -> bytes:
    return sign_csr(root, csr).public_bytes(serialization.Encoding.DER)


def _half_a_certificate(root: Signer, csr: str) -> bytes:
    text = pem(sign_csr(root, csr))
    return text[: len(text) // 2]


def _corrupted_base64(root: Signer, csr: str) -> bytes:
    lines = pem(sign_csr(root, csr)).splitlines(keepends=True)
    lines[1] = b"!!!!" + lines[1][4:]
    return b"".join(lines)


def _pem_armoured_junk(root: Signer, csr: str) -> bytes:
    return b"-----BEGIN CERTIFICATE-----\nAAAAAAAA\n-----END CERTIFICATE-----\n"


def _the_csr_itself(root: Signer, csr: str) -> bytes:
    return csr.encode()


def _unparseable_extension(root: Signer, csr: str) -> bytes:
    # A BasicConstraints extension whose value is not DER: the certificate
    # itself parses, its extensions do not.
    garbage = x509.UnrecognizedExtension(ExtensionOID.BASIC_CONSTRAINTS, b"\x01\x02")
    return pem(sign_csr(root, csr, basic_constraints=None, extensions=[(garbage, True)]))


def _two_certificates(root: Signer, csr: str) -> bytes:
    return pem(sign_csr(root, csr), root.certificate)


def _same_certificate_twice(root: Signer, csr: str) -> bytes:
    certificate = sign_csr(root, csr)
    return pem(certificate, certificate)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        pytest.param(lambda root, csr: b"not a certificate", BAD_PEM_MESSAGE, id="plain-text"),
        pytest.param(_der_of_a_certificate, BAD_PEM_MESSAGE, id="der-instead-of-pem"),
        pytest.param(_half_a_certificate, BAD_PEM_MESSAGE, id="truncated-pem"),
        pytest.param(_corrupted_base64, BAD_PEM_MESSAGE, id="corrupted-base64"),
        pytest.param(_pem_armoured_junk, BAD_PEM_MESSAGE, id="pem-armoured-junk"),
        pytest.param(_the_csr_itself, BAD_PEM_MESSAGE, id="a-csr"),
        pytest.param(
            _unparseable_extension,
            "The certificate has an extension that cannot be parsed.",
            id="unparseable-extension",
        ),
        pytest.param(
            _two_certificates,
            "The certificate must contain exactly one PEM-encoded X.509 certificate.",
            id="two-certificates",
        ),
        pytest.param(
            _same_certificate_twice,
            "The certificate must contain exactly one PEM-encoded X.509 certificate.",
            id="same-certificate-twice",
        ),
    ],
)
def test_unparseable_certificate_raises_malformed_certificate(client, root, build, message):
    arn, csr = pending_subordinate(client)
    assert_import_fails(client, arn, build(root, csr), root.pem, "MalformedCertificateException", message)
    assert_still_pending(client, arn)


BAD_CHAIN_MESSAGE = "The certificate chain is not a sequence of PEM-encoded X.509 certificates."


@pytest.mark.parametrize(
    "build_chain",
    [
        pytest.param(lambda root: b"not a chain", id="plain-text"),
        pytest.param(lambda root: root.certificate.public_bytes(serialization.Encoding.DER), id="der-instead-of-pem"),
        pytest.param(lambda root: root.pem[: len(root.pem) // 2], id="truncated-pem"),
        pytest.param(
            lambda root: root.pem + b"-----BEGIN CERTIFICATE-----\nAAAAAAAA\n-----END CERTIFICATE-----\n",
            id="good-root-then-junk",
        ),
    ],
)
def test_unparseable_chain_raises_malformed_certificate(client, root, build_chain):
    arn, csr = pending_subordinate(client)
    certificate = pem(sign_csr(root, csr))
    assert_import_fails(client, arn, certificate, build_chain(root), "MalformedCertificateException", BAD_CHAIN_MESSAGE)
    assert_still_pending(client, arn)


def test_chain_certificate_with_an_unparseable_extension_raises_malformed_certificate(client, root):
    garbage = x509.UnrecognizedExtension(ExtensionOID.KEY_USAGE, b"\x01\x02")
    intermediate = external_intermediate(root, extensions=[(garbage, True)])
    arn, csr = pending_subordinate(client)
    assert_import_fails(
        client,
        arn,
        pem(sign_csr(intermediate, csr)),
        pem(intermediate.certificate, root.certificate),
        "MalformedCertificateException",
        "A certificate in the certificate chain has an extension that cannot be parsed.",
    )
    assert_still_pending(client, arn)


BAD_BASIC_CONSTRAINTS = "The certificate's BasicConstraints extension must be critical and set CA:TRUE."


@pytest.mark.parametrize(
    ("basic_constraints", "critical", "message"),
    [
        pytest.param(None, True, "The certificate must have a BasicConstraints extension.", id="missing"),
        pytest.param(CA_TRUE, False, BAD_BASIC_CONSTRAINTS, id="ca-true-not-critical"),
        pytest.param(x509.BasicConstraints(ca=False, path_length=None), True, BAD_BASIC_CONSTRAINTS, id="ca-false"),
        pytest.param(
            x509.BasicConstraints(ca=False, path_length=None), False, BAD_BASIC_CONSTRAINTS, id="ca-false-not-critical"
        ),
    ],
)
def test_certificate_without_critical_ca_basic_constraints_raises_malformed_certificate(
    client, root, basic_constraints, critical, message
):
    arn, csr = pending_subordinate(client)
    certificate = sign_csr(root, csr, basic_constraints=basic_constraints, basic_constraints_critical=critical)
    assert_import_fails(client, arn, pem(certificate), root.pem, "MalformedCertificateException", message)
    assert_still_pending(client, arn)


@pytest.mark.parametrize(
    "extension",
    [
        pytest.param(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        [x509.UniformResourceIdentifier("http://crl.example.com/r.crl")], None, None, None
                    )
                ]
            ),
            id="crl-distribution-points",
        ),
        pytest.param(
            x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(
                        AuthorityInformationAccessOID.CA_ISSUERS,
                        x509.UniformResourceIdentifier("http://example.com/root.crt"),
                    )
                ]
            ),
            id="authority-information-access",
        ),
        pytest.param(
            x509.FreshestCRL(
                [
                    x509.DistributionPoint(
                        [x509.UniformResourceIdentifier("http://crl.example.com/d.crl")], None, None, None
                    )
                ]
            ),
            id="freshest-crl",
        ),
        pytest.param(
            x509.PolicyConstraints(require_explicit_policy=0, inhibit_policy_mapping=None), id="policy-constraints"
        ),
        pytest.param(
            x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.4.1.55555.1.2"), b"\x05\x00"), id="unknown-oid"
        ),
    ],
)
def test_disallowed_critical_extension_raises_malformed_certificate(client, root, extension):
    arn, csr = pending_subordinate(client)
    certificate = sign_csr(root, csr, extensions=[(extension, True)])
    assert_import_fails(
        client,
        arn,
        pem(certificate),
        root.pem,
        "MalformedCertificateException",
        f"The certificate has a critical extension that is not allowed: {extension.oid.dotted_string}.",
    )
    assert_still_pending(client, arn)


KEY_MISMATCH = "The certificate's public key does not match the certificate authority's key pair."


def test_subordinate_certificate_for_another_key_raises_certificate_mismatch(client, root):
    arn, _ = pending_subordinate(client)
    stranger = sign_csr(root, make_csr("Example CA").decode())
    assert_import_fails(client, arn, pem(stranger), root.pem, "CertificateMismatchException", KEY_MISMATCH)
    assert_still_pending(client, arn)


def test_root_certificate_of_another_root_raises_certificate_mismatch(client):
    other = client.get_certificate_authority_certificate(CertificateAuthorityArn=create_active_root(client))
    arn = create_ca(client)
    assert_import_fails(client, arn, other["Certificate"].encode(), None, "CertificateMismatchException", KEY_MISMATCH)
    assert_still_pending(client, arn)


def test_root_certificate_with_a_chain_raises_invalid_request(client, root):
    arn = create_ca(client)
    csr = client.get_certificate_authority_csr(CertificateAuthorityArn=arn)["Csr"]
    self_signed = issue(client, arn, csr, template=ROOT_TEMPLATE, validity={"Type": "YEARS", "Value": 5})
    assert_import_fails(
        client,
        arn,
        self_signed["Certificate"].encode(),
        root.pem,
        "InvalidRequestException",
        "A root CA certificate must be imported without a certificate chain.",
    )
    assert_still_pending(client, arn)


def _root_csr_signed_by_another_mock_root(client: Any, arn: str, csr: str) -> bytes:
    other = create_active_root(client)
    signed = issue(client, other, csr, template=subordinate_template(0), validity={"Type": "YEARS", "Value": 1})
    return str(signed["Certificate"]).encode()


def _root_csr_with_own_name_as_issuer_but_a_foreign_signature(client: Any, arn: str, csr: str) -> bytes:
    request = x509.load_pem_x509_csr(csr.encode())
    impostor = ec.generate_private_key(ec.SECP256R1())
    return pem(
        build_certificate(request.public_key(), request.subject, issuer_name=request.subject, issuer_key=impostor)
    )


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(_root_csr_signed_by_another_mock_root, id="issued-by-another-mock-ca"),
        pytest.param(_root_csr_with_own_name_as_issuer_but_a_foreign_signature, id="issuer-is-subject-wrong-signature"),
    ],
)
def test_root_certificate_that_is_not_self_signed_raises_invalid_request(client, build):
    arn = create_ca(client)
    csr = client.get_certificate_authority_csr(CertificateAuthorityArn=arn)["Csr"]
    assert_import_fails(
        client,
        arn,
        build(client, arn, csr),
        None,
        "InvalidRequestException",
        "A root CA certificate must be self-signed.",
    )
    assert_still_pending(client, arn)


@pytest.mark.parametrize("chain", [pytest.param(None, id="omitted"), pytest.param(b"", id="empty")])
def test_subordinate_certificate_without_a_chain_raises_invalid_request(client, root, chain):
    arn, csr = pending_subordinate(client)
    assert_import_fails(
        client,
        arn,
        pem(sign_csr(root, csr)),
        chain,
        "InvalidRequestException",
        "A subordinate CA certificate must be imported with its certificate chain.",
    )
    assert_still_pending(client, arn)


def test_self_signed_subordinate_certificate_raises_invalid_request(client, root):
    arn, csr = pending_subordinate(client)
    subject = x509.load_pem_x509_csr(csr.encode()).subject
    key = mocked_private_key(arn)
    self_signed = build_certificate(key.public_key(), subject, issuer_name=subject, issuer_key=key)
    assert_import_fails(
        client,
        arn,
        pem(self_signed),
        root.pem,
        "InvalidRequestException",
        "A subordinate CA certificate must not be self-signed.",
    )
    assert_still_pending(client, arn)


OUT_OF_ORDER = "The certificate chain is not in order: each certificate must be signed by the one after it."
CONTAINS_ITSELF = "The certificate chain must not contain the certificate being imported."
NO_ROOT = "The certificate chain must end with a self-signed root CA certificate."
PATH_LENGTH = "The certificate violates the path length constraint of a certificate in its chain."
NOT_A_CA = "The certificate chain contains a certificate that is not a CA certificate."

NO_KEY_CERT_SIGN = x509.KeyUsage(
    digital_signature=True,
    content_commitment=False,
    key_encipherment=False,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=False,
    crl_sign=True,
    encipher_only=False,
    decipher_only=False,
)

# Each case: (csr) -> (certificate, chain), with whatever external CAs it needs.
ChainCase = Callable[[str], tuple[x509.Certificate, list[x509.Certificate]]]


def _issuer_missing(csr: str) -> tuple[x509.Certificate, list[x509.Certificate]]:
    root = external_root()
    return sign_csr(external_intermediate(root), csr), [root.certificate]


def _out_of_order(csr: str) -> tuple[x509.Certificate, list[x509.Certificate]]:
    root = external_root()
    intermediate = external_intermediate(root)
    return sign_csr(intermediate, csr), [root.certificate, intermediate.certificate]


def _unrelated_root(csr: str) -> tuple[x509.Certificate, list[x509.Certificate]]:
    return sign_csr(external_root("Signing Root"), csr), [external_root("Other Root").certificate]


def _trailing_unrelated_certificate(csr: str) -> tuple[x509.Certificate, list[x509.Certificate]]:
    root = external_root()
    return sign_csr(root, csr), [root.certificate, external_root("Other Root").certificate]


def _contains_itself_first(csr: str) -> tuple[x509.Certificate, list[x509.Certificate]]:
    root = external_root()
    certificate = sign_csr(root, csr)
    return certificate, [certificate, root.certificate]


def _contains_itself_last(csr: str) -> tuple[x509.Certificate, list[x509.Certificate]]:
    root = external_root()
    certificate = sign_csr(root, csr)
    return certificate, [root.certificate, certificate]


def _ends_at_intermediate(csr: str) -> tuple[x509.Certificate, list[x509.Certificate]]:
    intermediate = external_intermediate(external_root())
    return sign_csr(intermediate, csr), [intermediate.certificate]


def _under_pathlen_0_root(csr: str) -> tuple[x509.Certificate, list[x509.Certificate]]:
    root = external_root(path_length=0)
    return sign_csr(root, csr), [root.certificate]


def _under_pathlen_0_intermediate(csr: str) -> tuple[x509.Certificate, list[x509.Certificate]]:
    root = external_root()
    intermediate = external_intermediate(root, basic_constraints=x509.BasicConstraints(ca=True, path_length=0))
    return sign_csr(intermediate, csr), [intermediate.certificate, root.certificate]


def _two_levels_under_pathlen_1_root(csr: str) -> tuple[x509.Certificate, list[x509.Certificate]]:
    root = external_root(path_length=1)
    intermediate = external_intermediate(root)
    return sign_csr(intermediate, csr), [intermediate.certificate, root.certificate]


def _issued_by(basic_constraints: x509.BasicConstraints | None, extensions: Sequence[Any] = ()) -> ChainCase:
    def build(csr: str) -> tuple[x509.Certificate, list[x509.Certificate]]:
        root = external_root()
        issuer = external_intermediate(root, basic_constraints=basic_constraints, extensions=extensions)
        return sign_csr(issuer, csr), [issuer.certificate, root.certificate]

    return build


def _root_without_basic_constraints(csr: str) -> tuple[x509.Certificate, list[x509.Certificate]]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = name("Legacy Root")
    root = Signer(
        key, build_certificate(key.public_key(), subject, issuer_name=subject, issuer_key=key, basic_constraints=None)
    )
    return sign_csr(root, csr), [root.certificate]


@pytest.mark.parametrize(
    ("build", "message"),
    [
        pytest.param(_issuer_missing, OUT_OF_ORDER, id="issuer-missing"),
        pytest.param(_out_of_order, OUT_OF_ORDER, id="root-before-intermediate"),
        pytest.param(_unrelated_root, OUT_OF_ORDER, id="unrelated-root"),
        pytest.param(_trailing_unrelated_certificate, OUT_OF_ORDER, id="unrelated-certificate-after-root"),
        pytest.param(_contains_itself_first, CONTAINS_ITSELF, id="contains-imported-certificate-first"),
        pytest.param(_contains_itself_last, CONTAINS_ITSELF, id="contains-imported-certificate-last"),
        pytest.param(_ends_at_intermediate, NO_ROOT, id="ends-at-intermediate"),
        pytest.param(_under_pathlen_0_root, PATH_LENGTH, id="ca-under-pathlen-0-root"),
        pytest.param(_under_pathlen_0_intermediate, PATH_LENGTH, id="ca-under-pathlen-0-intermediate"),
        pytest.param(_two_levels_under_pathlen_1_root, PATH_LENGTH, id="two-cas-under-pathlen-1-root"),
        pytest.param(_issued_by(x509.BasicConstraints(ca=False, path_length=None)), NOT_A_CA, id="issuer-is-ca-false"),
        pytest.param(_issued_by(None), NOT_A_CA, id="issuer-without-basic-constraints"),
        pytest.param(_issued_by(CA_TRUE, [(NO_KEY_CERT_SIGN, True)]), NOT_A_CA, id="issuer-without-key-cert-sign"),
        pytest.param(_root_without_basic_constraints, NOT_A_CA, id="root-without-basic-constraints"),
    ],
)
def test_chain_that_does_not_certify_the_ca_raises_certificate_mismatch(client, build, message):
    arn, csr = pending_subordinate(client)
    certificate, chain = build(csr)
    assert_import_fails(client, arn, pem(certificate), pem(*chain), "CertificateMismatchException", message)
    assert_still_pending(client, arn)


def test_certificate_over_32768_bytes_raises_validation_exception(client):
    arn, _ = pending_subordinate(client)
    assert_import_fails(
        client,
        arn,
        b"x" * 32769,
        None,
        "ValidationException",
        "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=32769 cap=32769]' at 'certificate' "
        "failed to satisfy constraint: Member must have length less than or equal to 32768",
    )
    assert_still_pending(client, arn)


def test_certificate_of_exactly_32768_bytes_passes_the_length_check(client):
    arn, _ = pending_subordinate(client)
    assert_import_fails(client, arn, b"x" * 32768, None, "MalformedCertificateException", BAD_PEM_MESSAGE)
    assert_still_pending(client, arn)


def test_chain_over_2_mib_raises_validation_exception(client, root):
    arn, csr = pending_subordinate(client)
    size = 2 * 1024 * 1024 + 1
    assert_import_fails(
        client,
        arn,
        pem(sign_csr(root, csr)),
        b"x" * size,
        "ValidationException",
        f"1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim={size} cap={size}]' at "
        "'certificateChain' failed to satisfy constraint: Member must have length less than or equal to 2097152",
    )
    assert_still_pending(client, arn)


# --- states -----------------------------------------------------------------------------


def test_import_into_a_deleted_ca_raises_invalid_state(client, root):
    arn, csr = pending_subordinate(client)
    client.delete_certificate_authority(CertificateAuthorityArn=arn, PermanentDeletionTimeInDays=7)

    assert_import_fails(
        client,
        arn,
        pem(sign_csr(root, csr)),
        root.pem,
        "InvalidStateException",
        f"The certificate authority {arn} is in the DELETED state and cannot import a certificate.",
    )
    ca = describe(client, arn)
    assert ca["Status"] == "DELETED"
    assert "Serial" not in ca


def test_reimporting_a_root_certificate_renews_the_active_root(client):
    arn = create_ca(client)
    first = load_certificate(activate_root(client, arn, years=5))
    changed_at = describe(client, arn)["LastStateChangeAt"]
    csr = client.get_certificate_authority_csr(CertificateAuthorityArn=arn)["Csr"]
    renewed = issue(client, arn, csr, template=ROOT_TEMPLATE, validity={"Type": "YEARS", "Value": 10})["Certificate"]

    import_ca_certificate(client, arn, renewed.encode())

    renewed_certificate = load_certificate(renewed)
    ca = describe(client, arn)
    assert ca["Status"] == "ACTIVE"
    assert ca["LastStateChangeAt"] == changed_at  # a renewal is not a status change
    assert renewed_certificate.serial_number != first.serial_number
    assert renewed_certificate.not_valid_after_utc > first.not_valid_after_utc
    assert public_der(renewed_certificate.public_key()) == public_der(first.public_key())
    assert_installed(client, arn, renewed_certificate, chain=[])


def test_certificates_issued_after_a_renewal_chain_to_the_new_ca_certificate(client, root):
    arn, csr = pending_subordinate(client)
    import_ca_certificate(client, arn, pem(sign_csr(root, csr)), root.pem)
    new_root = external_root("Replacement Root")
    renewed = sign_csr(new_root, csr, not_after=datetime.now(timezone.utc) + timedelta(days=700))

    import_ca_certificate(client, arn, pem(renewed), new_root.pem)

    assert describe(client, arn)["Status"] == "ACTIVE"
    assert_installed(client, arn, renewed, chain=[new_root.certificate])
    leaf = issue(client, arn, make_csr())
    chain = load_chain(leaf["CertificateChain"])
    assert chain == [renewed, new_root.certificate]
    load_certificate(leaf["Certificate"]).verify_directly_issued_by(renewed)


def test_failed_renewal_keeps_the_installed_certificate(client, root):
    arn, csr = pending_subordinate(client)
    installed = sign_csr(root, csr)
    import_ca_certificate(client, arn, pem(installed), root.pem)
    stranger = sign_csr(root, make_csr("Example CA").decode())

    assert_import_fails(client, arn, pem(stranger), root.pem, "CertificateMismatchException", KEY_MISMATCH)

    assert describe(client, arn)["Status"] == "ACTIVE"
    assert_installed(client, arn, installed, chain=[root.certificate])


def _expiring_subordinate(client: Any, root: Signer, days: int = 30) -> tuple[str, str, x509.Certificate]:
    arn, csr = pending_subordinate(client)
    certificate = sign_csr(root, csr, not_after=datetime.now(timezone.utc) + timedelta(days=days))
    import_ca_certificate(client, arn, pem(certificate), root.pem)
    return arn, csr, certificate


def _after_expiry(certificate: x509.Certificate) -> datetime:
    return (certificate.not_valid_after_utc + timedelta(days=1)).replace(microsecond=0)


@pytest.mark.parametrize(
    ("status_before_expiry", "status_after_renewal"),
    [
        pytest.param("ACTIVE", "ACTIVE", id="active-ca-becomes-active"),
        pytest.param("DISABLED", "DISABLED", id="disabled-ca-stays-disabled"),
    ],
)
def test_renewing_an_expired_ca_restores_its_status_before_expiry(
    client, root, status_before_expiry, status_after_renewal
):
    arn, csr, expired = _expiring_subordinate(client, root)
    client.update_certificate_authority(CertificateAuthorityArn=arn, Status=status_before_expiry)
    later = _after_expiry(expired)
    with time_machine.travel(later, tick=False):
        assert describe(client, arn)["Status"] == "EXPIRED"
        renewed = sign_csr(root, csr)

        import_ca_certificate(client, arn, pem(renewed), root.pem)

        ca = describe(client, arn)
        assert ca["Status"] == status_after_renewal
        assert ca["LastStateChangeAt"] == later
        assert_installed(client, arn, renewed, chain=[root.certificate])


def test_importing_into_a_disabled_ca_renews_it_and_keeps_it_disabled(client, root):
    arn, csr, _ = _expiring_subordinate(client, root, days=60)
    client.update_certificate_authority(CertificateAuthorityArn=arn, Status="DISABLED")
    renewed = sign_csr(root, csr)

    import_ca_certificate(client, arn, pem(renewed), root.pem)

    assert describe(client, arn)["Status"] == "DISABLED"
    assert_installed(client, arn, renewed, chain=[root.certificate])


# --- GetCertificateAuthorityCertificate -------------------------------------------------


def test_ca_certificate_of_a_pending_ca_raises_invalid_state(client):
    arn = create_ca(client)
    with pytest.raises(ClientError) as excinfo:
        client.get_certificate_authority_certificate(CertificateAuthorityArn=arn)
    assert_client_error(excinfo, "InvalidStateException", not_ready_message(arn))


def test_ca_certificate_of_a_deleted_ca_raises_invalid_state(client):
    arn = create_active_root(client)
    client.update_certificate_authority(CertificateAuthorityArn=arn, Status="DISABLED")
    client.delete_certificate_authority(CertificateAuthorityArn=arn, PermanentDeletionTimeInDays=7)
    with pytest.raises(ClientError) as excinfo:
        client.get_certificate_authority_certificate(CertificateAuthorityArn=arn)
    assert_client_error(excinfo, "InvalidStateException", not_ready_message(arn))


def test_ca_certificate_of_a_disabled_ca_is_still_returned(client):
    arn = create_ca(client)
    certificate = load_certificate(activate_root(client, arn))
    client.update_certificate_authority(CertificateAuthorityArn=arn, Status="DISABLED")

    assert describe(client, arn)["Status"] == "DISABLED"
    assert_installed(client, arn, certificate, chain=[])


def test_ca_certificate_of_an_expired_ca_is_still_returned(client, root):
    arn, _, certificate = _expiring_subordinate(client, root)
    with time_machine.travel(_after_expiry(certificate), tick=False):
        assert describe(client, arn)["Status"] == "EXPIRED"
        assert_installed(client, arn, certificate, chain=[root.certificate])
