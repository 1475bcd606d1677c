"""IssueCertificate and GetCertificate (reference §3.2, §3.4, §4)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from ipaddress import IPv4Address
from typing import Any

import pytest
import time_machine
from botocore.exceptions import ClientError
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import (
    AuthorityInformationAccessOID,
    ExtendedKeyUsageOID,
    ExtensionOID,
    NameOID,
    ObjectIdentifier,
    SignatureAlgorithmOID,
)
from cryptography.x509.verification import PolicyBuilder, Store

from tests.helpers import (
    EE_TEMPLATE,
    ROOT_TEMPLATE,
    TEMPLATES,
    as_extension,
    assert_client_error,
    backend_ca,
    ca_configuration,
    create_active_root,
    create_active_subordinate,
    create_ca,
    ec_key,
    issue,
    key_usage,
    load_certificate,
    load_chain,
    make_csr,
    rsa_key,
    subordinate_template,
)

NOW = datetime(2030, 1, 15, 12, 0, 0, tzinfo=timezone.utc)
BACKDATE = timedelta(minutes=60)
DAYS_30 = {"Type": "DAYS", "Value": 30}
NOT_ISSUING = "The certificate authority is not in a valid state for issuing certificates"


# --- local helpers ----------------------------------------------------------------------


def _issue_arn(client: Any, ca_arn: str, csr: bytes | str | None = None, **kwargs: Any) -> str:
    """IssueCertificate only (no GetCertificate), EC SHA-256 and 30 days unless told otherwise."""
    kwargs.setdefault("SigningAlgorithm", "SHA256WITHECDSA")
    kwargs.setdefault("Validity", DAYS_30)
    arn: str = client.issue_certificate(CertificateAuthorityArn=ca_arn, Csr=csr or make_csr(), **kwargs)[
        "CertificateArn"
    ]
    return arn


def _issued_serials(ca_arn: str) -> set[int]:
    """Serials a CA has issued.

    No operation lists a CA's certificates (audit reports are not modelled yet),
    so "nothing was issued" can only be checked in the backend.
    """
    return set(backend_ca(ca_arn).certificates)


def _ca_certificate(client: Any, ca_arn: str) -> x509.Certificate:
    pem = client.get_certificate_authority_certificate(CertificateAuthorityArn=ca_arn)["Certificate"]
    return load_certificate(pem)


def _ski(certificate: x509.Certificate) -> bytes:
    return certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest


def _public_der(key: Any) -> bytes:
    der: bytes = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return der


def _extension_or_none(certificate: x509.Certificate, oid: ObjectIdentifier) -> x509.Extension[Any] | None:
    try:
        return certificate.extensions.get_extension_for_oid(oid)
    except x509.ExtensionNotFound:
        return None


def _crl_distribution_points(url: str) -> x509.Extension[x509.ExtensionType]:
    point = x509.DistributionPoint([x509.UniformResourceIdentifier(url)], None, None, None)
    return as_extension(x509.CRLDistributionPoints([point]), False)


def _ocsp_access(url: str) -> x509.Extension[x509.ExtensionType]:
    description = x509.AccessDescription(AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(url))
    return as_extension(x509.AuthorityInformationAccess([description]), False)


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def _server_verifier(root: x509.Certificate, dns_name: str) -> Any:
    return PolicyBuilder().store(Store([root])).build_server_verifier(x509.DNSName(dns_name))


def _external_ca(
    subject_cn: str, key: Any, *, issuer: x509.Name | None = None, issuer_key: Any = None, public_key: Any = None
) -> x509.Certificate:
    """A CA certificate made outside PCA, with BasicConstraints CA:TRUE and no path length constraint."""
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject_cn)])
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer or subject)
        .public_key(public_key or key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(datetime.now(timezone.utc) - timedelta(days=1))
        .not_valid_after(datetime.now(timezone.utc) + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(issuer_key or key, hashes.SHA256())
    )


def _pem(*certificates: x509.Certificate) -> str:
    return "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in certificates)


def _subordinate_under_external_chain(client: Any, chain_depth: int) -> str:
    """A PCA subordinate CA whose certificate sits below ``chain_depth`` external CAs without path lengths."""
    keys = [ec_key(100 + n) for n in range(chain_depth)]
    chain = [_external_ca("External Root", keys[0])]
    for n in range(1, chain_depth):
        chain.append(_external_ca(f"External {n}", keys[n], issuer=chain[-1].subject, issuer_key=keys[n - 1]))
    arn = create_ca(client, "SUBORDINATE")
    csr = x509.load_pem_x509_csr(client.get_certificate_authority_csr(CertificateAuthorityArn=arn)["Csr"].encode())
    own = (
        x509.CertificateBuilder()
        .subject_name(csr.subject)
        .issuer_name(chain[-1].subject)
        .public_key(csr.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(datetime.now(timezone.utc) - timedelta(days=1))
        .not_valid_after(datetime.now(timezone.utc) + timedelta(days=3000))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(keys[-1], hashes.SHA256())
    )
    client.import_certificate_authority_certificate(
        CertificateAuthorityArn=arn, Certificate=_pem(own), CertificateChain=_pem(*reversed(chain))
    )
    return arn


# --- templates and extensions (§3.2) ---------------------------------------------------------

_EE_KU = ("digital_signature", "key_encipherment")
_SERVER, _CLIENT = ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH

END_ENTITY_PROFILES = [
    pytest.param("EndEntityCertificate", _EE_KU, [_SERVER, _CLIENT], False, id="EndEntityCertificate"),
    pytest.param("EndEntityClientAuthCertificate", _EE_KU, [_CLIENT], False, id="EndEntityClientAuthCertificate"),
    pytest.param("EndEntityServerAuthCertificate", _EE_KU, [_SERVER], False, id="EndEntityServerAuthCertificate"),
    pytest.param(
        "CodeSigningCertificate",
        ("digital_signature",),
        [ExtendedKeyUsageOID.CODE_SIGNING],
        True,
        id="CodeSigningCertificate",
    ),
    pytest.param(
        "OCSPSigningCertificate",
        ("digital_signature",),
        [ExtendedKeyUsageOID.OCSP_SIGNING],
        True,
        id="OCSPSigningCertificate",
    ),
]

ISSUED_TEMPLATES = [
    *(pytest.param(f"{TEMPLATES}/{p.values[0]}/V1", id=p.id) for p in END_ENTITY_PROFILES),
    *(pytest.param(subordinate_template(n), id=f"SubordinateCACertificate_PathLen{n}") for n in range(4)),
]

RICH_SUBJECT = x509.Name(
    [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "DE"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Leaf Org"),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Platform"),
        x509.NameAttribute(NameOID.COMMON_NAME, "leaf.example.com"),
    ]
)
RICH_SANS = [
    x509.DNSName("leaf.example.com"),
    x509.DNSName("alt.example.com"),
    x509.IPAddress(IPv4Address("10.0.0.7")),
    x509.RFC822Name("ops@example.com"),
]


def _rich_csr(key: Any) -> bytes:
    return (
        x509.CertificateSigningRequestBuilder()
        .subject_name(RICH_SUBJECT)
        .add_extension(x509.SubjectAlternativeName(RICH_SANS), critical=False)
        .sign(key, hashes.SHA256())
        .public_bytes(serialization.Encoding.PEM)
    )


@pytest.mark.parametrize(("name", "ku_bits", "eku", "eku_critical"), END_ENTITY_PROFILES)
def test_end_entity_template_sets_aws_extensions_in_aws_order(
    client: Any, name: str, ku_bits: Sequence[str], eku: list[ObjectIdentifier], eku_critical: bool
) -> None:
    root_arn = create_active_root(client)
    sans: list[x509.GeneralName] = [x509.DNSName("leaf.example.com")]
    leaf = load_certificate(
        issue(client, root_arn, make_csr(sans=sans), template=f"{TEMPLATES}/{name}/V1")["Certificate"]
    )

    root_ski = _ski(_ca_certificate(client, root_arn))
    assert list(leaf.extensions) == [
        as_extension(x509.SubjectAlternativeName(sans), False),
        as_extension(x509.BasicConstraints(ca=False, path_length=None), False),
        as_extension(x509.AuthorityKeyIdentifier(root_ski, None, None), False),
        as_extension(x509.SubjectKeyIdentifier.from_public_key(ec_key().public_key()), False),
        as_extension(key_usage(*ku_bits), True),
        as_extension(x509.ExtendedKeyUsage(eku), eku_critical),
    ]


@pytest.mark.parametrize("path_len", [0, 1, 2, 3])
def test_subordinate_template_sets_ca_extensions_with_its_path_length(client: Any, path_len: int) -> None:
    root_arn = create_active_root(client)
    sub_arn = create_ca(client, "SUBORDINATE")
    csr_pem = client.get_certificate_authority_csr(CertificateAuthorityArn=sub_arn)["Csr"]
    csr = x509.load_pem_x509_csr(csr_pem.encode())

    cert = load_certificate(
        issue(
            client,
            root_arn,
            csr_pem,
            template=subordinate_template(path_len),
            validity={"Type": "YEARS", "Value": 5},
        )["Certificate"]
    )

    root_ski = _ski(_ca_certificate(client, root_arn))
    assert list(cert.extensions) == [
        as_extension(x509.BasicConstraints(ca=True, path_length=path_len), True),
        as_extension(x509.AuthorityKeyIdentifier(root_ski, None, None), False),
        as_extension(x509.SubjectKeyIdentifier.from_public_key(csr.public_key()), False),
        as_extension(key_usage("digital_signature", "key_cert_sign", "crl_sign"), True),
    ]


def test_pending_root_signs_its_own_csr_with_root_extensions_and_no_aki(client: Any) -> None:
    root_arn = create_ca(client, "ROOT")
    csr_pem = client.get_certificate_authority_csr(CertificateAuthorityArn=root_arn)["Csr"]
    csr = x509.load_pem_x509_csr(csr_pem.encode())

    response = issue(client, root_arn, csr_pem, template=ROOT_TEMPLATE, validity={"Type": "YEARS", "Value": 10})
    cert = load_certificate(response["Certificate"])

    assert list(cert.extensions) == [
        as_extension(x509.BasicConstraints(ca=True, path_length=None), True),
        as_extension(x509.SubjectKeyIdentifier.from_public_key(csr.public_key()), False),
        as_extension(key_usage("digital_signature", "key_cert_sign", "crl_sign"), True),
    ]
    assert cert.subject == cert.issuer == csr.subject
    assert _public_der(cert.public_key()) == _public_der(csr.public_key())
    cert.verify_directly_issued_by(cert)
    assert "CertificateChain" not in response


def test_active_root_can_reissue_its_own_certificate_with_the_same_key(client: Any) -> None:
    root_arn = create_active_root(client)
    old = _ca_certificate(client, root_arn)
    csr_pem = client.get_certificate_authority_csr(CertificateAuthorityArn=root_arn)["Csr"]

    renewed = load_certificate(
        issue(client, root_arn, csr_pem, template=ROOT_TEMPLATE, validity={"Type": "YEARS", "Value": 20})["Certificate"]
    )

    assert renewed.serial_number != old.serial_number
    assert _public_der(renewed.public_key()) == _public_der(old.public_key())
    renewed.verify_directly_issued_by(old)


@pytest.mark.parametrize("template", ISSUED_TEMPLATES)
def test_issued_certificate_copies_subject_san_and_key_and_is_signed_by_the_ca(client: Any, template: str) -> None:
    root_arn = create_active_root(client)
    key = ec_key(1)

    response = issue(client, root_arn, _rich_csr(key), template=template, validity={"Type": "YEARS", "Value": 2})
    cert = load_certificate(response["Certificate"])

    root = _ca_certificate(client, root_arn)
    assert cert.subject == RICH_SUBJECT
    assert cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value == x509.SubjectAlternativeName(
        RICH_SANS
    )
    assert _public_der(cert.public_key()) == _public_der(key.public_key())
    assert cert.issuer == root.subject
    assert cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest == (
        x509.SubjectKeyIdentifier.from_public_key(key.public_key()).digest
    )
    assert cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value.key_identifier == _ski(root)
    cert.verify_directly_issued_by(root)


def test_omitted_template_arn_issues_an_end_entity_certificate(client: Any) -> None:
    root_arn = create_active_root(client)

    without = load_certificate(issue(client, root_arn, make_csr())["Certificate"])
    explicit = load_certificate(issue(client, root_arn, make_csr(), template=EE_TEMPLATE)["Certificate"])

    assert [(e.oid, e.critical, e.value) for e in without.extensions] == [
        (e.oid, e.critical, e.value) for e in explicit.extensions
    ]


def test_end_entity_certificate_from_subordinate_has_aki_of_the_subordinate(client: Any) -> None:
    root_arn = create_active_root(client)
    sub_arn = create_active_subordinate(client, root_arn, path_len=0)

    leaf = load_certificate(issue(client, sub_arn, make_csr())["Certificate"])

    sub = _ca_certificate(client, sub_arn)
    assert leaf.issuer == sub.subject
    assert leaf.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value.key_identifier == _ski(sub)
    leaf.verify_directly_issued_by(sub)


@pytest.mark.parametrize(
    ("key_algorithm", "ca_signing", "signing_algorithm", "hash_type", "signature_oid"),
    [
        pytest.param(
            "EC_prime256v1",
            "SHA256WITHECDSA",
            "SHA256WITHECDSA",
            hashes.SHA256,
            SignatureAlgorithmOID.ECDSA_WITH_SHA256,
            id="ecdsa-sha256",
        ),
        pytest.param(
            "EC_prime256v1",
            "SHA256WITHECDSA",
            "SHA384WITHECDSA",
            hashes.SHA384,
            SignatureAlgorithmOID.ECDSA_WITH_SHA384,
            id="ecdsa-sha384",
        ),
        pytest.param(
            "EC_prime256v1",
            "SHA256WITHECDSA",
            "SHA512WITHECDSA",
            hashes.SHA512,
            SignatureAlgorithmOID.ECDSA_WITH_SHA512,
            id="ecdsa-sha512",
        ),
        pytest.param(
            "RSA_2048",
            "SHA256WITHRSA",
            "SHA256WITHRSA",
            hashes.SHA256,
            SignatureAlgorithmOID.RSA_WITH_SHA256,
            id="rsa-sha256",
        ),
        pytest.param(
            "RSA_2048",
            "SHA256WITHRSA",
            "SHA384WITHRSA",
            hashes.SHA384,
            SignatureAlgorithmOID.RSA_WITH_SHA384,
            id="rsa-sha384",
        ),
        pytest.param(
            "RSA_2048",
            "SHA256WITHRSA",
            "SHA512WITHRSA",
            hashes.SHA512,
            SignatureAlgorithmOID.RSA_WITH_SHA512,
            id="rsa-sha512",
        ),
    ],
)
def test_certificate_is_signed_with_the_requested_signing_algorithm_not_the_ca_configuration(
    client: Any,
    key_algorithm: str,
    ca_signing: str,
    signing_algorithm: str,
    hash_type: type[hashes.HashAlgorithm],
    signature_oid: ObjectIdentifier,
) -> None:
    root_arn = create_active_root(client, configuration=ca_configuration(key_algorithm, ca_signing))

    cert = load_certificate(issue(client, root_arn, make_csr(), signing_algorithm=signing_algorithm)["Certificate"])

    assert isinstance(cert.signature_hash_algorithm, hash_type)
    assert cert.signature_algorithm_oid == signature_oid
    cert.verify_directly_issued_by(_ca_certificate(client, root_arn))


@pytest.mark.parametrize(
    ("ca_key_algorithm", "signing_algorithm"),
    [
        pytest.param("EC_prime256v1", "SHA256WITHRSA", id="rsa-signature-on-ec-ca"),
        pytest.param("RSA_2048", "SHA256WITHECDSA", id="ecdsa-signature-on-rsa-ca"),
    ],
)
def test_signing_algorithm_of_another_key_family_is_rejected_with_invalid_args(
    client: Any, ca_key_algorithm: str, signing_algorithm: str
) -> None:
    ca_signing = "SHA256WITHECDSA" if ca_key_algorithm.startswith("EC") else "SHA256WITHRSA"
    root_arn = create_active_root(client, configuration=ca_configuration(ca_key_algorithm, ca_signing))
    before = _issued_serials(root_arn)

    with pytest.raises(ClientError) as excinfo:
        _issue_arn(client, root_arn, SigningAlgorithm=signing_algorithm)

    assert_client_error(
        excinfo,
        "InvalidArgsException",
        f"The signing algorithm {signing_algorithm} is not compatible with the certificate authority's "
        f"key algorithm {ca_key_algorithm}.",
    )
    assert _issued_serials(root_arn) == before


# --- templates that do not exist ---------------------------


@pytest.mark.parametrize(
    "template",
    [
        pytest.param(f"{TEMPLATES}/NoSuchTemplate/V1", id="unknown-name"),
        pytest.param(f"{TEMPLATES}/EndEntityCertificate/V2", id="version-2"),
        pytest.param(f"{TEMPLATES}/EndEntityCertificate/V0", id="version-0"),
        pytest.param("arn:aws-cn:acm-pca:::template/EndEntityCertificate/V1", id="other-partition"),
        pytest.param("arn:aws:acm-pca:us-east-1::template/EndEntityCertificate/V1", id="with-region"),
    ],
)
def test_template_arn_outside_the_catalog_is_rejected_with_invalid_args(client: Any, template: str) -> None:
    root_arn = create_active_root(client)
    before = _issued_serials(root_arn)

    with pytest.raises(ClientError) as excinfo:
        _issue_arn(client, root_arn, TemplateArn=template)

    assert_client_error(excinfo, "InvalidArgsException", f"The template ARN {template} is not valid.")
    assert _issued_serials(root_arn) == before


# --- validity (§4.1) -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "validity", "not_after"),
    [
        pytest.param(NOW, {"Type": "DAYS", "Value": 30}, NOW + timedelta(days=30), id="days"),
        pytest.param(NOW, {"Type": "MONTHS", "Value": 1}, datetime(2030, 2, 15, 12, tzinfo=timezone.utc), id="months"),
        pytest.param(
            datetime(2030, 1, 31, 12, tzinfo=timezone.utc),
            {"Type": "MONTHS", "Value": 1},
            datetime(2030, 2, 28, 12, tzinfo=timezone.utc),
            id="months-clamped-to-month-end",
        ),
        pytest.param(NOW, {"Type": "YEARS", "Value": 2}, datetime(2032, 1, 15, 12, tzinfo=timezone.utc), id="years"),
        pytest.param(
            datetime(2032, 2, 29, 12, tzinfo=timezone.utc),
            {"Type": "YEARS", "Value": 1},
            datetime(2033, 2, 28, 12, tzinfo=timezone.utc),
            id="years-from-leap-day",
        ),
        pytest.param(
            NOW,
            {"Type": "ABSOLUTE", "Value": 1900000000},
            datetime(2030, 3, 17, 17, 46, 40, tzinfo=timezone.utc),
            id="absolute",
        ),
        pytest.param(
            NOW,
            {"Type": "END_DATE", "Value": 491231235959},
            datetime(2049, 12, 31, 23, 59, 59, tzinfo=timezone.utc),
            id="end-date-utctime-yy-below-50-is-20yy",
        ),
        pytest.param(
            NOW,
            {"Type": "END_DATE", "Value": 350615080910},
            datetime(2035, 6, 15, 8, 9, 10, tzinfo=timezone.utc),
            id="end-date-utctime",
        ),
        pytest.param(
            NOW,
            {"Type": "END_DATE", "Value": 20451231235959},
            datetime(2045, 12, 31, 23, 59, 59, tzinfo=timezone.utc),
            id="end-date-generalizedtime",
        ),
    ],
)
def test_validity_sets_not_after_and_backdates_not_before_by_an_hour(
    client: Any, now: datetime, validity: dict[str, Any], not_after: datetime
) -> None:
    with time_machine.travel(now, tick=False):
        root_arn = create_active_root(client, years=30)

        cert = load_certificate(issue(client, root_arn, make_csr(), validity=validity)["Certificate"])

    assert cert.not_valid_after_utc == not_after
    assert cert.not_valid_before_utc == now - BACKDATE


def test_validity_not_before_absolute_is_honoured_and_does_not_shift_not_after(client: Any) -> None:
    start = NOW + timedelta(days=2)
    with time_machine.travel(NOW, tick=False):
        root_arn = create_active_root(client)

        cert = load_certificate(
            issue(
                client,
                root_arn,
                make_csr(),
                validity=DAYS_30,
                ValidityNotBefore={"Type": "ABSOLUTE", "Value": _epoch(start)},
            )["Certificate"]
        )

    assert cert.not_valid_before_utc == start
    assert cert.not_valid_after_utc == NOW + timedelta(days=30)


@pytest.mark.parametrize(
    ("validity", "not_before", "message"),
    [
        pytest.param(
            {"Type": "END_DATE", "Value": 991231235959},
            None,
            "The certificate's validity must end in the future.",
            id="end-date-yy-50-or-more-is-19yy-so-in-the-past",
        ),
        pytest.param(
            {"Type": "END_DATE", "Value": 20291231235959},
            None,
            "The certificate's validity must end in the future.",
            id="end-date-in-the-past",
        ),
        pytest.param(
            {"Type": "ABSOLUTE", "Value": _epoch(NOW) - 1},
            None,
            "The certificate's validity must end in the future.",
            id="absolute-in-the-past",
        ),
        pytest.param(
            {"Type": "ABSOLUTE", "Value": _epoch(NOW)},
            None,
            "The certificate's validity must end in the future.",
            id="absolute-now",
        ),
        pytest.param(
            {"Type": "END_DATE", "Value": 20351301000000},
            None,
            "The validity value 20351301000000 is not a valid END_DATE validity.",
            id="end-date-month-13",
        ),
        pytest.param(
            {"Type": "END_DATE", "Value": 20350230000000},
            None,
            "The validity value 20350230000000 is not a valid END_DATE validity.",
            id="end-date-february-30",
        ),
        pytest.param(
            {"Type": "END_DATE", "Value": 2035123123},
            None,
            "The validity value 2035123123 is not a valid END_DATE validity.",
            id="end-date-ten-digits",
        ),
        pytest.param(
            {"Type": "END_DATE", "Value": 203512312359590},
            None,
            "The validity value 203512312359590 is not a valid END_DATE validity.",
            id="end-date-fifteen-digits",
        ),
        pytest.param(
            {"Type": "ABSOLUTE", "Value": 10**15},
            None,
            "The validity value 1000000000000000 is not a valid ABSOLUTE validity.",
            id="absolute-out-of-range",
        ),
        pytest.param(
            DAYS_30,
            {"Type": "DAYS", "Value": 1},
            "ValidityNotBefore must use the ABSOLUTE validity type.",
            id="not-before-relative",
        ),
        pytest.param(
            DAYS_30,
            {"Type": "END_DATE", "Value": 20300201000000},
            "ValidityNotBefore must use the ABSOLUTE validity type.",
            id="not-before-end-date",
        ),
        pytest.param(
            DAYS_30,
            {"Type": "ABSOLUTE", "Value": _epoch(NOW + timedelta(days=30))},
            "The certificate's validity must start before it ends.",
            id="not-before-equal-to-not-after",
        ),
        pytest.param(
            {"Type": "YEARS", "Value": 11},
            None,
            "The certificate's validity cannot extend past the certificate authority's.",
            id="past-the-ca-not-after",
        ),
    ],
)
def test_invalid_validity_is_rejected_with_validation_exception(
    client: Any, validity: dict[str, Any], not_before: dict[str, Any] | None, message: str
) -> None:
    extra: dict[str, Any] = {} if not_before is None else {"ValidityNotBefore": not_before}
    with time_machine.travel(NOW, tick=False):
        root_arn = create_active_root(client, years=10)
        before = _issued_serials(root_arn)

        with pytest.raises(ClientError) as excinfo:
            _issue_arn(client, root_arn, Validity=validity, **extra)

    assert_client_error(excinfo, "ValidationException", message)
    assert _issued_serials(root_arn) == before


def test_end_entity_may_end_exactly_when_the_ca_ends_but_not_a_second_later(client: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        root_arn = create_active_root(client)
        ca_end = _ca_certificate(client, root_arn).not_valid_after_utc

        at_end = load_certificate(
            issue(client, root_arn, make_csr(), validity={"Type": "ABSOLUTE", "Value": _epoch(ca_end)})["Certificate"]
        )
        before = _issued_serials(root_arn)
        with pytest.raises(ClientError) as excinfo:
            _issue_arn(client, root_arn, Validity={"Type": "ABSOLUTE", "Value": _epoch(ca_end) + 1})

    assert at_end.not_valid_after_utc == ca_end
    assert_client_error(
        excinfo, "ValidationException", "The certificate's validity cannot extend past the certificate authority's."
    )
    assert _issued_serials(root_arn) == before


# --- serial numbers and ARNs (§4.3, §2) ----------------------------------------------------------


def test_serials_are_unique_positive_128_bit_and_name_the_certificate_arn(client: Any) -> None:
    root_arn = create_active_root(client)
    csr = make_csr()

    serials = []
    for _ in range(200):
        cert_arn = _issue_arn(client, root_arn, csr)
        cert = load_certificate(
            client.get_certificate(CertificateAuthorityArn=root_arn, CertificateArn=cert_arn)["Certificate"]
        )
        prefix, _, suffix = cert_arn.rpartition("/certificate/")
        assert prefix == root_arn
        assert suffix == f"{cert.serial_number:032x}"
        assert 0 < cert.serial_number < 2**128
        serials.append(cert.serial_number)

    assert len(set(serials)) == len(serials)


# --- chains (§3.4, GetCertificate) --------------------------------------------------------------


def test_leaf_from_root_has_the_root_certificate_as_chain(client: Any) -> None:
    root_arn = create_active_root(client)

    response = issue(client, root_arn, make_csr())

    assert load_chain(response["CertificateChain"]) == [_ca_certificate(client, root_arn)]


def test_leaf_from_subordinate_has_the_subordinate_then_the_root_as_chain(client: Any) -> None:
    root_arn = create_active_root(client)
    sub_arn = create_active_subordinate(client, root_arn, path_len=0)

    response = issue(client, sub_arn, make_csr())

    assert load_chain(response["CertificateChain"]) == [
        _ca_certificate(client, sub_arn),
        _ca_certificate(client, root_arn),
    ]


def test_subordinate_ca_certificate_issued_by_root_has_the_root_as_chain(client: Any) -> None:
    root_arn = create_active_root(client)
    sub_arn = create_ca(client, "SUBORDINATE")
    csr = client.get_certificate_authority_csr(CertificateAuthorityArn=sub_arn)["Csr"]

    response = issue(client, root_arn, csr, template=subordinate_template(0), validity={"Type": "YEARS", "Value": 1})

    assert load_chain(response["CertificateChain"]) == [_ca_certificate(client, root_arn)]


def test_waiter_certificate_issued_succeeds_without_sleeping(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_sleep(seconds: float) -> None:
        raise AssertionError(f"the waiter slept for {seconds} s")

    monkeypatch.setattr(time, "sleep", no_sleep)
    root_arn = create_active_root(client)
    cert_arn = _issue_arn(client, root_arn)

    client.get_waiter("certificate_issued").wait(CertificateAuthorityArn=root_arn, CertificateArn=cert_arn)


# --- hierarchy rules (§3.4) ----------------------------------------------------------------------


def test_ca_with_path_length_zero_still_issues_end_entity_certificates(client: Any) -> None:
    root_arn = create_active_root(client)
    sub_arn = create_active_subordinate(client, root_arn, path_len=0)

    cert = load_certificate(issue(client, sub_arn, make_csr())["Certificate"])

    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False


def test_depth_counts_external_chain_levels_so_a_fourth_level_ca_can_issue_a_fifth_level_ca(client: Any) -> None:
    # External CAs without path length constraints, so only the depth rule applies.
    fourth_level = _subordinate_under_external_chain(client, chain_depth=3)

    cert = load_certificate(
        issue(
            client, fourth_level, make_csr(), template=subordinate_template(0), validity={"Type": "YEARS", "Value": 1}
        )["Certificate"]
    )

    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True


def test_depth_counts_external_chain_levels_so_a_fifth_level_ca_cannot_issue_a_ca_certificate(client: Any) -> None:
    fifth_level = _subordinate_under_external_chain(client, chain_depth=4)
    before = _issued_serials(fifth_level)

    with pytest.raises(ClientError) as excinfo:
        _issue_arn(client, fifth_level, TemplateArn=subordinate_template(0), Validity={"Type": "YEARS", "Value": 1})

    assert_client_error(
        excinfo,
        "ValidationException",
        "A CA hierarchy can have at most 5 levels; this certificate authority is at the last.",
    )
    assert _issued_serials(fifth_level) == before
    # End-entity certificates are still fine at the last level.
    issue(client, fifth_level, make_csr())


# --- state and request errors ------------------------------------------------------------------


def _pending_root(client: Any) -> str:
    return create_ca(client, "ROOT")


def _pending_subordinate(client: Any) -> str:
    return create_ca(client, "SUBORDINATE")


def _disabled_root(client: Any) -> str:
    arn = create_active_root(client)
    client.update_certificate_authority(CertificateAuthorityArn=arn, Status="DISABLED")
    return arn


def _deleted_root(client: Any) -> str:
    arn = _disabled_root(client)
    client.delete_certificate_authority(CertificateAuthorityArn=arn, PermanentDeletionTimeInDays=7)
    return arn


@pytest.mark.parametrize(
    ("make_ca", "template"),
    [
        pytest.param(_pending_root, EE_TEMPLATE, id="pending-root-end-entity"),
        pytest.param(_pending_root, subordinate_template(0), id="pending-root-subordinate"),
        pytest.param(_pending_subordinate, EE_TEMPLATE, id="pending-subordinate-end-entity"),
        pytest.param(_disabled_root, EE_TEMPLATE, id="disabled"),
        pytest.param(_disabled_root, ROOT_TEMPLATE, id="disabled-root-reissue"),
        pytest.param(_deleted_root, EE_TEMPLATE, id="deleted"),
    ],
)
def test_issue_on_a_ca_not_in_an_issuing_state_raises_invalid_state(client: Any, make_ca: Any, template: str) -> None:
    ca_arn = make_ca(client)
    csr = (
        client.get_certificate_authority_csr(CertificateAuthorityArn=ca_arn)["Csr"]
        if template == ROOT_TEMPLATE
        else None
    )
    before = _issued_serials(ca_arn)
    status = client.describe_certificate_authority(CertificateAuthorityArn=ca_arn)["CertificateAuthority"]["Status"]

    with pytest.raises(ClientError) as excinfo:
        _issue_arn(client, ca_arn, csr, TemplateArn=template, Validity={"Type": "DAYS", "Value": 1})

    assert_client_error(excinfo, "InvalidStateException", NOT_ISSUING)
    assert _issued_serials(ca_arn) == before
    after = client.describe_certificate_authority(CertificateAuthorityArn=ca_arn)["CertificateAuthority"]["Status"]
    assert after == status


def test_issue_on_an_expired_ca_raises_invalid_state(client: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        root_arn = create_active_root(client, years=1)
    with time_machine.travel(NOW + timedelta(days=400), tick=False):
        before = _issued_serials(root_arn)

        with pytest.raises(ClientError) as excinfo:
            _issue_arn(client, root_arn, Validity={"Type": "DAYS", "Value": 1})

    assert_client_error(excinfo, "InvalidStateException", NOT_ISSUING)
    assert _issued_serials(root_arn) == before


def _tampered_csr() -> bytes:
    """A well-formed CSR whose signature no longer matches its content."""
    der = x509.load_pem_x509_csr(make_csr("leaf.example.com")).public_bytes(serialization.Encoding.DER)
    tampered = der.replace(b"leaf.example.com", b"leaf.example.org", 1)
    return x509.load_der_x509_csr(tampered).public_bytes(serialization.Encoding.PEM)


def _der_csr() -> bytes:
    return x509.load_pem_x509_csr(make_csr()).public_bytes(serialization.Encoding.DER)


def _csr_with_unparseable_extension() -> bytes:
    broken_san = x509.UnrecognizedExtension(ExtensionOID.SUBJECT_ALTERNATIVE_NAME, b"\x04\x03abc")
    return make_csr(extensions=[(broken_san, False)])


def _certificate_pem() -> bytes:
    return _external_ca("Not a CSR", ec_key(7)).public_bytes(serialization.Encoding.PEM)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        pytest.param(
            lambda: b"this is not a certificate signing request",
            "The certificate signing request is not a valid PEM-encoded CSR.",
            id="garbage",
        ),
        pytest.param(_der_csr, "The certificate signing request is not a valid PEM-encoded CSR.", id="der-not-pem"),
        pytest.param(
            _certificate_pem, "The certificate signing request is not a valid PEM-encoded CSR.", id="certificate-pem"
        ),
        pytest.param(
            _tampered_csr, "The certificate signing request's signature is not valid.", id="corrupted-signature"
        ),
        pytest.param(
            _csr_with_unparseable_extension,
            "The certificate signing request cannot be verified or validated.",
            id="unparseable-extension",
        ),
        pytest.param(
            lambda: make_csr(None),
            "The certificate signing request must have a subject or a subject alternative name.",
            id="no-subject-no-san",
        ),
    ],
)
def test_unusable_csr_raises_malformed_csr(client: Any, make: Any, message: str) -> None:
    root_arn = create_active_root(client)
    before = _issued_serials(root_arn)

    with pytest.raises(ClientError) as excinfo:
        _issue_arn(client, root_arn, make())

    assert_client_error(excinfo, "MalformedCSRException", message)
    assert _issued_serials(root_arn) == before


def test_csr_with_only_a_san_is_accepted_and_issued_with_an_empty_subject(client: Any) -> None:
    root_arn = create_active_root(client)
    sans: list[x509.GeneralName] = [x509.DNSName("san-only.example.com")]

    cert = load_certificate(issue(client, root_arn, make_csr(None, sans=sans))["Certificate"])

    assert cert.subject == x509.Name([])
    assert cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value == x509.SubjectAlternativeName(
        sans
    )


def test_rsa_csr_is_accepted_by_an_ec_ca(client: Any) -> None:
    root_arn = create_active_root(client)

    cert = load_certificate(issue(client, root_arn, make_csr(key=rsa_key()))["Certificate"])

    assert _public_der(cert.public_key()) == _public_der(rsa_key().public_key())


def test_csr_of_exactly_32768_bytes_is_accepted(client: Any) -> None:
    root_arn = create_active_root(client)
    csr = make_csr()
    padded = csr + b"\n" * (32768 - len(csr))

    issue(client, root_arn, padded)


def test_csr_over_32768_bytes_is_rejected_with_the_model_validation_message(client: Any) -> None:
    root_arn = create_active_root(client)
    csr = make_csr()
    padded = csr + b"\n" * (32769 - len(csr))
    before = _issued_serials(root_arn)

    with pytest.raises(ClientError) as excinfo:
        _issue_arn(client, root_arn, padded)

    assert_client_error(
        excinfo,
        "ValidationException",
        "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=32769 cap=32769]' at 'csr' "
        "failed to satisfy constraint: Member must have length less than or equal to 32768",
    )
    assert _issued_serials(root_arn) == before


def test_get_certificate_with_an_unknown_certificate_arn_raises_resource_not_found(client: Any) -> None:
    root_arn = create_active_root(client)
    unknown = f"{root_arn}/certificate/{'0' * 31}1"

    with pytest.raises(ClientError) as excinfo:
        client.get_certificate(CertificateAuthorityArn=root_arn, CertificateArn=unknown)

    assert_client_error(excinfo, "ResourceNotFoundException", f"Could not find certificate with arn {unknown}.")


def test_get_certificate_of_another_ca_raises_resource_not_found(client: Any) -> None:
    first = create_active_root(client)
    second = create_active_root(client)
    cert_arn = _issue_arn(client, first)
    same_serial_under_second = cert_arn.replace(first, second)

    with pytest.raises(ClientError) as asked_wrong_ca:
        client.get_certificate(CertificateAuthorityArn=second, CertificateArn=cert_arn)
    with pytest.raises(ClientError) as serial_under_wrong_ca:
        client.get_certificate(CertificateAuthorityArn=second, CertificateArn=same_serial_under_second)

    assert_client_error(asked_wrong_ca, "ResourceNotFoundException", f"Could not find certificate with arn {cert_arn}.")
    assert_client_error(
        serial_under_wrong_ca,
        "ResourceNotFoundException",
        f"Could not find certificate with arn {same_serial_under_second}.",
    )


def test_get_certificate_on_a_deleted_ca_raises_invalid_state(client: Any) -> None:
    root_arn = create_active_root(client)
    cert_arn = _issue_arn(client, root_arn)
    client.update_certificate_authority(CertificateAuthorityArn=root_arn, Status="DISABLED")
    client.delete_certificate_authority(CertificateAuthorityArn=root_arn, PermanentDeletionTimeInDays=7)

    with pytest.raises(ClientError) as excinfo:
        client.get_certificate(CertificateAuthorityArn=root_arn, CertificateArn=cert_arn)

    assert_client_error(
        excinfo,
        "InvalidStateException",
        f"The certificate authority {root_arn} is not in the correct state to have issued certificates.",
    )


def test_get_certificate_still_works_on_disabled_and_expired_cas(client: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        root_arn = create_active_root(client, years=1)
        cert_arn = _issue_arn(client, root_arn)
        issued = client.get_certificate(CertificateAuthorityArn=root_arn, CertificateArn=cert_arn)
        client.update_certificate_authority(CertificateAuthorityArn=root_arn, Status="DISABLED")
        disabled = client.get_certificate(CertificateAuthorityArn=root_arn, CertificateArn=cert_arn)
    with time_machine.travel(NOW + timedelta(days=400), tick=False):
        expired = client.get_certificate(CertificateAuthorityArn=root_arn, CertificateArn=cert_arn)

    assert issued["Certificate"] == disabled["Certificate"] == expired["Certificate"]


def test_idempotency_token_returns_the_same_certificate_within_five_minutes_and_a_new_one_after(
    client: Any,
) -> None:
    with time_machine.travel(NOW, tick=False) as traveller:
        root_arn = create_active_root(client)
        first = _issue_arn(client, root_arn, IdempotencyToken="token-1")
        traveller.shift(timedelta(minutes=4, seconds=59))
        repeated = _issue_arn(client, root_arn, IdempotencyToken="token-1")
        other_token = _issue_arn(client, root_arn, IdempotencyToken="token-2")
        traveller.shift(timedelta(seconds=1))
        after_window = _issue_arn(client, root_arn, IdempotencyToken="token-1")

    assert repeated == first
    assert len({first, other_token, after_window}) == 3
    assert len(_issued_serials(root_arn)) == 3 + 1  # plus the root's own certificate


def test_same_idempotency_token_on_two_cas_issues_two_certificates(client: Any) -> None:
    first_ca, second_ca = create_active_root(client), create_active_root(client)

    first = _issue_arn(client, first_ca, IdempotencyToken="shared")
    second = _issue_arn(client, second_ca, IdempotencyToken="shared")

    assert first.startswith(first_ca)
    assert second.startswith(second_ca)


# --- CRL distribution points and OCSP access (§3.1, §7) --------------------------------------------


def _ca_id(arn: str) -> str:
    return arn.rsplit("/", 1)[1]


@pytest.mark.parametrize(
    ("crl", "url"),
    [
        pytest.param({}, "http://crl-bucket.s3.us-east-1.amazonaws.com/crl/{id}.crl", id="default"),
        pytest.param({"CustomCname": "crl.example.com"}, "http://crl.example.com/crl/{id}.crl", id="custom-cname"),
        pytest.param(
            {"CustomPath": "pki/crls"},
            "http://crl-bucket.s3.us-east-1.amazonaws.com/pki/crls/{id}.crl",
            id="custom-path",
        ),
        pytest.param(
            {"CustomCname": "crl.example.com", "CustomPath": "revocation"},
            "http://crl.example.com/revocation/{id}.crl",
            id="custom-cname-and-path",
        ),
    ],
)
def test_crl_enabled_ca_adds_a_non_critical_crl_distribution_point(client: Any, crl: dict[str, Any], url: str) -> None:
    configuration = {"CrlConfiguration": {"Enabled": True, "S3BucketName": "crl-bucket", **crl}}
    root_arn = create_active_root(client, RevocationConfiguration=configuration)

    leaf = load_certificate(issue(client, root_arn, make_csr())["Certificate"])
    sub = load_certificate(
        issue(client, root_arn, make_csr(), template=subordinate_template(0), validity={"Type": "YEARS", "Value": 1})[
            "Certificate"
        ]
    )

    expected = _crl_distribution_points(url.format(id=_ca_id(root_arn)))
    assert list(leaf.extensions)[-1] == expected
    assert list(sub.extensions)[-1] == expected


def test_crl_omit_extension_leaves_out_the_distribution_point(client: Any) -> None:
    configuration = {
        "CrlConfiguration": {
            "Enabled": True,
            "S3BucketName": "crl-bucket",
            "CrlDistributionPointExtensionConfiguration": {"OmitExtension": True},
        }
    }
    root_arn = create_active_root(client, RevocationConfiguration=configuration)

    leaf = load_certificate(issue(client, root_arn, make_csr())["Certificate"])

    assert _extension_or_none(leaf, ExtensionOID.CRL_DISTRIBUTION_POINTS) is None


@pytest.mark.parametrize(
    ("ocsp", "url"),
    [
        pytest.param({}, "http://ocsp.acm-pca.us-east-1.amazonaws.com", id="default"),
        pytest.param({"OcspCustomCname": "ocsp.example.com"}, "http://ocsp.example.com", id="custom-cname"),
    ],
)
def test_ocsp_enabled_ca_adds_a_non_critical_ocsp_access_location(client: Any, ocsp: dict[str, Any], url: str) -> None:
    root_arn = create_active_root(client, RevocationConfiguration={"OcspConfiguration": {"Enabled": True, **ocsp}})

    leaf = load_certificate(issue(client, root_arn, make_csr())["Certificate"])

    assert list(leaf.extensions)[-1] == _ocsp_access(url)
    assert _extension_or_none(leaf, ExtensionOID.CRL_DISTRIBUTION_POINTS) is None


def test_crl_and_ocsp_extensions_follow_the_template_extensions(client: Any) -> None:
    configuration = {
        "CrlConfiguration": {"Enabled": True, "S3BucketName": "crl-bucket"},
        "OcspConfiguration": {"Enabled": True},
    }
    root_arn = create_active_root(client, RevocationConfiguration=configuration)

    leaf = load_certificate(issue(client, root_arn, make_csr(sans=[x509.DNSName("leaf.example.com")]))["Certificate"])

    assert [e.oid for e in leaf.extensions] == [
        ExtensionOID.SUBJECT_ALTERNATIVE_NAME,
        ExtensionOID.BASIC_CONSTRAINTS,
        ExtensionOID.AUTHORITY_KEY_IDENTIFIER,
        ExtensionOID.SUBJECT_KEY_IDENTIFIER,
        ExtensionOID.KEY_USAGE,
        ExtensionOID.EXTENDED_KEY_USAGE,
        ExtensionOID.CRL_DISTRIBUTION_POINTS,
        ExtensionOID.AUTHORITY_INFORMATION_ACCESS,
    ]
    root = _ca_certificate(client, root_arn)
    _server_verifier(root, "leaf.example.com").verify(leaf, [])


def test_root_self_issued_certificate_never_gets_crl_or_ocsp_extensions(client: Any) -> None:
    configuration = {
        "CrlConfiguration": {"Enabled": True, "S3BucketName": "crl-bucket"},
        "OcspConfiguration": {"Enabled": True},
    }
    root_arn = create_active_root(client, RevocationConfiguration=configuration)
    csr = client.get_certificate_authority_csr(CertificateAuthorityArn=root_arn)["Csr"]

    activation = _ca_certificate(client, root_arn)
    renewal = load_certificate(
        issue(client, root_arn, csr, template=ROOT_TEMPLATE, validity={"Type": "YEARS", "Value": 20})["Certificate"]
    )

    for cert in (activation, renewal):
        assert _extension_or_none(cert, ExtensionOID.CRL_DISTRIBUTION_POINTS) is None
        assert _extension_or_none(cert, ExtensionOID.AUTHORITY_INFORMATION_ACCESS) is None


def test_enabling_crl_later_affects_only_certificates_issued_afterwards(client: Any) -> None:
    root_arn = create_active_root(client)
    before_arn = _issue_arn(client, root_arn)
    client.update_certificate_authority(
        CertificateAuthorityArn=root_arn,
        RevocationConfiguration={"CrlConfiguration": {"Enabled": True, "S3BucketName": "late-bucket"}},
    )

    earlier = load_certificate(
        client.get_certificate(CertificateAuthorityArn=root_arn, CertificateArn=before_arn)["Certificate"]
    )
    later = load_certificate(issue(client, root_arn, make_csr())["Certificate"])

    assert _extension_or_none(earlier, ExtensionOID.CRL_DISTRIBUTION_POINTS) is None
    assert _extension_or_none(later, ExtensionOID.CRL_DISTRIBUTION_POINTS) == _crl_distribution_points(
        f"http://late-bucket.s3.us-east-1.amazonaws.com/crl/{_ca_id(root_arn)}.crl"
    )
