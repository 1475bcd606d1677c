"""RFC 5280 linting with pkilint: what the mock issues is a well-formed certificate.

Every template and every key family is linted. A finding of severity ERROR or
worse fails, except the two that certificates from the real service carry too
(docs/behavior.md, "Linting"):

* keyEncipherment in the KeyUsage of an EC (or ML-DSA) end-entity certificate
  from the EndEntity* templates, which fix that bit whatever the key;
* the 9-bit KeyUsage BIT STRING AWS writes for an ``ApiPassthrough`` KeyUsage
  (DER wants trailing zero bits dropped; pkilint's decoder refuses it).
"""

from __future__ import annotations

from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, mldsa

from tests.helpers import (
    TEMPLATES,
    ca_configuration,
    create_active_root,
    create_ca,
    ec_key,
    issue,
    make_csr,
    rsa_key,
)
from tests.linting import Finding, certificate_findings

_REVOCATION = {
    "CrlConfiguration": {"Enabled": True, "S3BucketName": "lint-crl-bucket"},
    "OcspConfiguration": {"Enabled": True},
}
# Templates whose KeyUsage includes keyEncipherment (reference §3.2).
_KEY_ENCIPHERMENT_FAMILIES = (
    "EndEntityCertificate",
    "EndEntityClientAuthCertificate",
    "EndEntityServerAuthCertificate",
)
_NINE_BIT_KEY_USAGE = 'with schema "KeyUsage" corresponding to type OID 2.5.29.15: Error decoding "KeyUsage" TLV'


def _is_shared_with_aws(finding: Finding, template: str, api_key_usage: bool) -> bool:
    if finding.code in ("pkix.key_usage_value_prohibited_for_ec", "pkix.key_usage_value_prohibited_for_mldsa"):
        return template.startswith(_KEY_ENCIPHERMENT_FAMILIES) and finding.message.endswith("keyEncipherment")
    if finding.code == "itu.invalid_asn1_syntax":
        return api_key_usage and _NINE_BIT_KEY_USAGE in finding.message and "Trailing zero bit" in finding.message
    return False


def _assert_clean(pem: str, template: str, *, api_key_usage: bool = False) -> None:
    unexpected = [f for f in certificate_findings(pem) if not _is_shared_with_aws(f, template, api_key_usage)]
    assert unexpected == []


# --- every template -------------------------------------------------------------------

_SAN = [{"DnsName": "lint.example.com"}]
_CA_KEY_USAGE = {"KeyUsage": {"DigitalSignature": True, "KeyCertSign": True, "CRLSign": True}}
_POLICIES = {"CertificatePolicies": [{"CertPolicyId": "2.23.140.1.2.1"}]}


def _passthrough(template: str) -> dict[str, Any] | None:
    """A realistic ApiPassthrough for an API template: usages for Blank ones, policies for the rest."""
    if "_API" not in template:
        return None
    if template.startswith("BlankEndEntity"):
        extensions = {
            "KeyUsage": {"DigitalSignature": True},
            "ExtendedKeyUsage": [{"ExtendedKeyUsageType": "SERVER_AUTH"}],
            "SubjectAlternativeNames": _SAN,
        }
    elif template.startswith(("BlankSubordinate", "BlankRoot")):
        extensions = dict(_CA_KEY_USAGE)
    elif "Subordinate" in template or "Root" in template:
        extensions = dict(_POLICIES)
    else:
        extensions = {**_POLICIES, "SubjectAlternativeNames": _SAN}
    return {"Extensions": extensions}


_ALL_TEMPLATES = [
    *(
        f"{family}{variety}"
        for family in (
            "EndEntityCertificate",
            "EndEntityClientAuthCertificate",
            "EndEntityServerAuthCertificate",
            "CodeSigningCertificate",
            "OCSPSigningCertificate",
            *(f"SubordinateCACertificate_PathLen{n}" for n in range(4)),
        )
        for variety in ("", "_CSRPassthrough", "_APIPassthrough", "_APICSRPassthrough")
    ),
    "RootCACertificate",
    "RootCACertificate_APIPassthrough",
    *(
        f"{family}{variety}"
        for family in (
            "BlankEndEntityCertificate",
            "BlankEndEntityCertificate_CriticalBasicConstraints",
            *(f"BlankSubordinateCACertificate_PathLen{n}" for n in range(4)),
        )
        for variety in ("_CSRPassthrough", "_APIPassthrough", "_APICSRPassthrough")
    ),
    "BlankRootCACertificate_APIPassthrough",
    *(f"BlankRootCACertificate_PathLen{n}_APIPassthrough" for n in range(4)),
]


def test_the_lint_covers_all_61_templates() -> None:
    assert len(set(_ALL_TEMPLATES)) == 61


@pytest.mark.parametrize("template", _ALL_TEMPLATES)
def test_certificate_from_every_template_has_no_rfc5280_errors(client: Any, template: str) -> None:
    passthrough = _passthrough(template)
    extra: dict[str, Any] = {} if passthrough is None else {"ApiPassthrough": passthrough}
    validity = {"Type": "YEARS", "Value": 2}
    if "Root" in template:
        issuer = create_ca(client, "ROOT")
        csr: str | bytes = client.get_certificate_authority_csr(CertificateAuthorityArn=issuer)["Csr"]
    else:
        issuer = create_active_root(client, RevocationConfiguration=_REVOCATION)
        if "Subordinate" in template:
            # A Blank CSR-passthrough CA certificate takes its KeyUsage from the CA's CSR.
            configuration = {**ca_configuration(), "CsrExtensions": _CA_KEY_USAGE}
            subordinate = create_ca(client, "SUBORDINATE", configuration=configuration)
            csr = client.get_certificate_authority_csr(CertificateAuthorityArn=subordinate)["Csr"]
        else:
            csr = make_csr("lint.example.com", sans=[x509.DNSName("lint.example.com")])

    issued = issue(client, issuer, csr, template=f"{TEMPLATES}/{template}/V1", validity=validity, **extra)

    api_key_usage = passthrough is not None and "KeyUsage" in passthrough["Extensions"]
    _assert_clean(issued["Certificate"], template, api_key_usage=api_key_usage)


# --- every key family -------------------------------------------------------------------

_CA_ALGORITHMS = [
    pytest.param("RSA_2048", "SHA256WITHRSA", id="RSA_2048"),
    pytest.param("RSA_2048", "SHA384WITHRSA_PSS", id="RSA_2048-PSS"),
    pytest.param("EC_prime256v1", "SHA256WITHECDSA", id="EC_prime256v1"),
    pytest.param("EC_secp384r1", "SHA384WITHECDSA", id="EC_secp384r1"),
    pytest.param("EC_secp521r1", "SHA512WITHECDSA", id="EC_secp521r1"),
    pytest.param("ML_DSA_44", "ML_DSA_44", id="ML_DSA_44"),
    pytest.param("ML_DSA_65", "ML_DSA_65", id="ML_DSA_65"),
    pytest.param("ML_DSA_87", "ML_DSA_87", id="ML_DSA_87"),
]


@pytest.mark.parametrize(("key_algorithm", "signing_algorithm"), _CA_ALGORITHMS)
def test_root_and_subordinate_certificates_of_every_key_family_have_no_rfc5280_errors(
    client: Any, key_algorithm: str, signing_algorithm: str
) -> None:
    configuration = ca_configuration(key_algorithm, signing_algorithm)
    root = create_active_root(client, configuration=configuration, RevocationConfiguration=_REVOCATION)
    subordinate = create_ca(client, "SUBORDINATE", configuration=configuration)
    csr = client.get_certificate_authority_csr(CertificateAuthorityArn=subordinate)["Csr"]

    signed = issue(
        client,
        root,
        csr,
        template=f"{TEMPLATES}/SubordinateCACertificate_PathLen0/V1",
        validity={"Type": "YEARS", "Value": 5},
    )

    root_pem = client.get_certificate_authority_certificate(CertificateAuthorityArn=root)["Certificate"]
    _assert_clean(root_pem, "RootCACertificate")
    _assert_clean(signed["Certificate"], "SubordinateCACertificate_PathLen0")


_LEAF_KEYS = [
    pytest.param(lambda: rsa_key(), id="RSA_2048"),
    pytest.param(lambda: ec_key(), id="EC_P256"),
    pytest.param(lambda: ec.generate_private_key(ec.SECP384R1()), id="EC_P384"),
    pytest.param(lambda: ec.generate_private_key(ec.SECP521R1()), id="EC_P521"),
    pytest.param(mldsa.MLDSA44PrivateKey.generate, id="ML_DSA_44"),
    pytest.param(mldsa.MLDSA65PrivateKey.generate, id="ML_DSA_65"),
    pytest.param(mldsa.MLDSA87PrivateKey.generate, id="ML_DSA_87"),
]


@pytest.mark.parametrize("make_key", _LEAF_KEYS)
@pytest.mark.parametrize("template", ["EndEntityServerAuthCertificate", "CodeSigningCertificate"])
def test_leaf_of_every_key_family_has_no_rfc5280_errors(client: Any, make_key: Any, template: str) -> None:
    root = create_active_root(client, RevocationConfiguration=_REVOCATION)
    csr = make_csr("leaf.example.com", key=make_key(), sans=[x509.DNSName("leaf.example.com")])

    issued = issue(client, root, csr, template=f"{TEMPLATES}/{template}/V1")

    _assert_clean(issued["Certificate"], template)


# --- the exceptions are real and narrow ---------------------------------------------------


def test_ec_end_entity_certificate_is_flagged_for_key_encipherment_as_aws_certificates_are(client: Any) -> None:
    root = create_active_root(client)
    issued = issue(client, root, make_csr(key=ec_key()), template=f"{TEMPLATES}/EndEntityCertificate/V1")

    codes = [finding.code for finding in certificate_findings(issued["Certificate"])]

    assert codes == ["pkix.key_usage_value_prohibited_for_ec"]


def test_rsa_end_entity_certificate_is_not_flagged_for_key_encipherment(client: Any) -> None:
    root = create_active_root(client)
    issued = issue(client, root, make_csr(key=rsa_key()), template=f"{TEMPLATES}/EndEntityCertificate/V1")

    assert certificate_findings(issued["Certificate"]) == []


def test_api_key_usage_is_flagged_for_its_nine_bit_encoding_and_a_custom_extension_is_not(client: Any) -> None:
    root = create_active_root(client)
    template = f"{TEMPLATES}/BlankEndEntityCertificate_APIPassthrough/V1"
    csr = make_csr(key=rsa_key())
    nine_bit = issue(
        client, root, csr, template=template, ApiPassthrough={"Extensions": {"KeyUsage": {"DigitalSignature": True}}}
    )
    # The Matter workaround: the exact DER-minimal KeyUsage, 03 02 07 80, as a custom extension.
    exact = issue(
        client,
        root,
        csr,
        template=template,
        ApiPassthrough={
            "Extensions": {
                "CustomExtensions": [{"ObjectIdentifier": "2.5.29.15", "Value": "AwIHgA==", "Critical": True}]
            }
        },
    )

    (finding,) = certificate_findings(nine_bit["Certificate"])
    assert (finding.code, "Trailing zero bit" in finding.message) == ("itu.invalid_asn1_syntax", True)
    assert certificate_findings(exact["Certificate"]) == []
