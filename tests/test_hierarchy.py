"""CA hierarchies: which CA may use which template, path length, depth, validity, chains,
regional ECDSA pairing and short-lived CAs (reference §3.4, §4.1, §4.2; docs/behavior.md "Issuing")."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import pytest
import time_machine
from botocore.exceptions import ClientError
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import ExtendedKeyUsageOID, SignatureAlgorithmOID
from cryptography.x509.verification import PolicyBuilder, Store

from pca_mock._protocol import service_model
from tests.helpers import (
    EE_TEMPLATE,
    ROOT_TEMPLATE,
    TEMPLATES,
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

NOW = datetime(2030, 1, 15, 12, 0, 0, tzinfo=timezone.utc)
YEARS_1 = {"Type": "YEARS", "Value": 1}
# ApiPassthrough KeyUsage that makes a certificate from a Blank CA template usable as a CA.
CA_KEY_USAGE = {"KeyCertSign": True, "CRLSign": True, "DigitalSignature": True}
CA_KEY_USAGE_VALUE = x509.KeyUsage(
    digital_signature=True,
    content_commitment=False,
    key_encipherment=False,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=True,
    crl_sign=True,
    encipher_only=False,
    decipher_only=False,
)
DEPTH_MESSAGE = "A CA hierarchy can have at most 5 levels; this certificate authority is at the last."
NOT_PAST_CA = "The certificate's validity cannot extend past the certificate authority's."
CA_BEFORE_ISSUER = (
    "A CA certificate's validity must end before the validity of the certificate authority that issues it."
)
SHORT_LIVED_MESSAGE = (
    "A certificate authority in SHORT_LIVED_CERTIFICATE mode can issue certificates valid for at most 7 days."
)
_SIGNING_ALGORITHMS = service_model().shape_for("SigningAlgorithm").enum  # type: ignore[attr-defined]
needs_pss = pytest.mark.skipif(
    "SHA256WITHRSA_PSS" not in _SIGNING_ALGORITHMS, reason="this botocore's model has no RSA-PSS signing algorithms"
)


# --- local helpers ----------------------------------------------------------------------------


def _template(name: str) -> str:
    return f"{TEMPLATES}/{name}/V1"


def _blank_subordinate_template(path_len: int) -> str:
    return _template(f"BlankSubordinateCACertificate_PathLen{path_len}_APIPassthrough")


def _blank_root_template(path_len: int | None) -> str:
    suffix = "" if path_len is None else f"_PathLen{path_len}"
    return _template(f"BlankRootCACertificate{suffix}_APIPassthrough")


def _issued_serials(ca_arn: str) -> set[int]:
    """Serials a CA has issued (no operation lists them until audit reports are modelled)."""
    return set(backend_ca(ca_arn).certificates)


def _status(client: Any, ca_arn: str) -> str:
    status: str = client.describe_certificate_authority(CertificateAuthorityArn=ca_arn)["CertificateAuthority"][
        "Status"
    ]
    return status


def _csr_of(client: Any, ca_arn: str) -> str:
    csr: str = client.get_certificate_authority_csr(CertificateAuthorityArn=ca_arn)["Csr"]
    return csr


def _ca_certificate(client: Any, ca_arn: str) -> x509.Certificate:
    pem = client.get_certificate_authority_certificate(CertificateAuthorityArn=ca_arn)["Certificate"]
    return load_certificate(pem)


def _issue_arn(
    client: Any,
    ca_arn: str,
    csr: bytes | str | None = None,
    *,
    template: str = EE_TEMPLATE,
    signing_algorithm: str = "SHA256WITHECDSA",
    validity: dict[str, Any] | None = None,
    **kwargs: Any,
) -> str:
    """IssueCertificate only; for the calls expected to fail."""
    arn: str = client.issue_certificate(
        CertificateAuthorityArn=ca_arn,
        Csr=csr or make_csr(),
        TemplateArn=template,
        SigningAlgorithm=signing_algorithm,
        Validity=validity or {"Type": "DAYS", "Value": 30},
        **kwargs,
    )["CertificateArn"]
    return arn


def _passthrough_for(template: str) -> dict[str, Any]:
    """Blank CA templates take the CA KeyUsage from ApiPassthrough; the others ignore it."""
    return {"ApiPassthrough": {"Extensions": {"KeyUsage": CA_KEY_USAGE}}} if "Blank" in template else {}


def _basic_constraints(certificate: x509.Certificate) -> x509.Extension[x509.BasicConstraints]:
    return certificate.extensions.get_extension_for_class(x509.BasicConstraints)


def _ski(certificate: x509.Certificate) -> bytes:
    return certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest


def _aki(certificate: x509.Certificate) -> bytes | None:
    return certificate.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value.key_identifier


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def _activate_root_with(client: Any, ca_arn: str, template: str, signing_algorithm: str | None = None) -> str:
    """Self-sign a pending root with ``template`` and import it; returns the certificate PEM."""
    signed = issue(
        client,
        ca_arn,
        _csr_of(client, ca_arn),
        template=template,
        validity={"Type": "YEARS", "Value": 10},
        signing_algorithm=signing_algorithm,
        **_passthrough_for(template),
    )
    client.import_certificate_authority_certificate(CertificateAuthorityArn=ca_arn, Certificate=signed["Certificate"])
    certificate: str = signed["Certificate"]
    return certificate


def _activate_subordinate_with(
    client: Any, parent_arn: str, template: str, years: int = 5, signing_algorithm: str | None = None, **create: Any
) -> str:
    """A subordinate CA signed by ``parent_arn`` with ``template`` and activated with the returned chain."""
    arn = create_ca(client, "SUBORDINATE", **create)
    signed = issue(
        client,
        parent_arn,
        _csr_of(client, arn),
        template=template,
        validity={"Type": "YEARS", "Value": years},
        signing_algorithm=signing_algorithm,
        **_passthrough_for(template),
    )
    client.import_certificate_authority_certificate(
        CertificateAuthorityArn=arn, Certificate=signed["Certificate"], CertificateChain=signed["CertificateChain"]
    )
    return arn


def _blank_root(client: Any, path_len: int | None) -> str:
    arn = create_ca(client, "ROOT")
    _activate_root_with(client, arn, _blank_root_template(path_len))
    return arn


def _hierarchy(client: Any, depth: int) -> list[str]:
    """CA ARNs from the root down to level ``depth``: root, then PathLen3, PathLen2, PathLen1, PathLen0."""
    arns = [create_active_root(client, years=10)]
    for level in range(2, depth + 1):
        arns.append(create_active_subordinate(client, arns[-1], path_len=5 - level, years=11 - level))
    return arns


def _regional_client(region: str) -> Any:
    """A client in another region; call it inside the ``pca`` fixture."""
    return boto3.client("acm-pca", region_name=region)


CA_TEMPLATES_PATHLEN0 = [
    pytest.param(subordinate_template(0), id="SubordinateCACertificate_PathLen0"),
    pytest.param(_blank_subordinate_template(0), id="BlankSubordinateCACertificate_PathLen0_APIPassthrough"),
]


# --- which CA may use which template (§3.4) ---------------------------------------------------------

ROOT_TEMPLATES = [
    pytest.param(ROOT_TEMPLATE, None, id="RootCACertificate"),
    pytest.param(_template("RootCACertificate_APIPassthrough"), None, id="RootCACertificate_APIPassthrough"),
    pytest.param(_blank_root_template(None), None, id="BlankRootCACertificate_APIPassthrough"),
    *(
        pytest.param(_blank_root_template(n), n, id=f"BlankRootCACertificate_PathLen{n}_APIPassthrough")
        for n in range(4)
    ),
]


@pytest.mark.parametrize(("template", "path_len"), ROOT_TEMPLATES)
def test_pending_root_activates_with_every_root_template_on_its_own_csr(
    client: Any, template: str, path_len: int | None
) -> None:
    root_arn = create_ca(client, "ROOT")
    csr = x509.load_pem_x509_csr(_csr_of(client, root_arn).encode())

    certificate = load_certificate(_activate_root_with(client, root_arn, template))

    assert _status(client, root_arn) == "ACTIVE"
    assert certificate.issuer == certificate.subject == csr.subject
    assert certificate.public_key() == csr.public_key()
    certificate.verify_directly_issued_by(certificate)
    assert _basic_constraints(certificate) == x509.Extension(
        x509.BasicConstraints.oid, True, x509.BasicConstraints(ca=True, path_length=path_len)
    )


@pytest.mark.parametrize(("template", "path_len"), ROOT_TEMPLATES)
def test_root_template_used_by_an_active_subordinate_on_its_own_csr_is_rejected_with_invalid_args(
    client: Any, template: str, path_len: int | None
) -> None:
    sub_arn = create_active_subordinate(client, create_active_root(client), path_len=0)
    before = _issued_serials(sub_arn)

    with pytest.raises(ClientError) as excinfo:
        _issue_arn(client, sub_arn, _csr_of(client, sub_arn), template=template, validity=YEARS_1)

    assert_client_error(
        excinfo, "InvalidArgsException", f"The template {template} can only be used by a ROOT certificate authority."
    )
    assert _issued_serials(sub_arn) == before


def test_root_template_used_by_a_pending_subordinate_does_not_activate_it(client: Any) -> None:
    template = _blank_root_template(1)
    sub_arn = create_ca(client, "SUBORDINATE")
    before = _issued_serials(sub_arn)

    with pytest.raises(ClientError) as excinfo:
        _issue_arn(client, sub_arn, _csr_of(client, sub_arn), template=template, validity=YEARS_1)

    assert_client_error(
        excinfo, "InvalidArgsException", f"The template {template} can only be used by a ROOT certificate authority."
    )
    assert _issued_serials(sub_arn) == before
    assert _status(client, sub_arn) == "PENDING_CERTIFICATE"


@pytest.mark.parametrize(("template", "path_len"), ROOT_TEMPLATES)
def test_root_signing_another_cas_csr_with_a_root_template_is_rejected_with_invalid_args(
    client: Any, template: str, path_len: int | None
) -> None:
    root_arn = create_active_root(client)
    # Another CA's CSR (a pending subordinate's): a root template may only self-sign.
    other_csr = _csr_of(client, create_ca(client, "SUBORDINATE"))
    before = _issued_serials(root_arn)

    with pytest.raises(ClientError) as excinfo:
        _issue_arn(client, root_arn, other_csr, template=template, validity=YEARS_1)

    assert_client_error(
        excinfo, "InvalidArgsException", f"The template {template} can only sign the certificate authority's own CSR."
    )
    assert _issued_serials(root_arn) == before


def test_pending_root_cannot_self_sign_another_roots_csr(client: Any) -> None:
    root_arn = create_ca(client, "ROOT")
    other_root_csr = _csr_of(client, create_ca(client, "ROOT"))
    before = _issued_serials(root_arn)

    with pytest.raises(ClientError) as excinfo:
        _issue_arn(client, root_arn, other_root_csr, template=ROOT_TEMPLATE, validity=YEARS_1)

    assert_client_error(
        excinfo,
        "InvalidArgsException",
        f"The template {ROOT_TEMPLATE} can only sign the certificate authority's own CSR.",
    )
    assert _issued_serials(root_arn) == before
    assert _status(client, root_arn) == "PENDING_CERTIFICATE"


ISSUED_BY_ANY_CA = [
    ("EndEntityCertificate", False),
    ("EndEntityClientAuthCertificate", False),
    ("EndEntityServerAuthCertificate", False),
    ("CodeSigningCertificate", False),
    ("OCSPSigningCertificate", False),
    ("BlankEndEntityCertificate_APIPassthrough", False),
    ("SubordinateCACertificate_PathLen0", True),
    ("SubordinateCACertificate_PathLen0_CSRPassthrough", True),
    ("BlankSubordinateCACertificate_PathLen0_APIPassthrough", True),
]


@pytest.mark.parametrize("issuer_type", ["ROOT", "SUBORDINATE"])
def test_end_entity_and_subordinate_templates_are_usable_by_any_active_ca(client: Any, issuer_type: str) -> None:
    root_arn = create_active_root(client)
    issuer_arn = root_arn if issuer_type == "ROOT" else create_active_subordinate(client, root_arn, path_len=1)
    issuer = _ca_certificate(client, issuer_arn)

    for name, is_ca in ISSUED_BY_ANY_CA:
        response = issue(client, issuer_arn, make_csr("Issued"), template=_template(name), validity=YEARS_1)

        certificate = load_certificate(response["Certificate"])
        certificate.verify_directly_issued_by(issuer)
        assert certificate.issuer == issuer.subject, name
        assert _aki(certificate) == _ski(issuer), name
        assert _basic_constraints(certificate).value.ca is is_ca, name
        assert load_chain(response["CertificateChain"])[0] == issuer, name


# --- path length (§3.4) ------------------------------------------------------------------------------


def _root_issuer(client: Any) -> str:
    return create_active_root(client)


def _subordinate_issuer(path_len: int) -> Any:
    def make(client: Any) -> str:
        return create_active_subordinate(client, create_active_root(client), path_len=path_len)

    return make


def _blank_root_issuer(path_len: int) -> Any:
    def make(client: Any) -> str:
        return _blank_root(client, path_len)

    return make


PATH_LEN_ISSUERS = [
    ("root", _root_issuer, None),
    *((f"subordinate-pathlen{p}", _subordinate_issuer(p), p) for p in range(4)),
    *((f"blank-root-pathlen{p}", _blank_root_issuer(p), p) for p in range(4)),
]
CHILD_TEMPLATES = [
    ("SubordinateCACertificate", subordinate_template),
    ("BlankSubordinateCACertificate_APIPassthrough", _blank_subordinate_template),
]
PATH_LEN_CASES = [
    pytest.param(make_issuer, issuer_path_len, make_template, id=f"{issuer_id}-signs-{family}")
    for issuer_id, make_issuer, issuer_path_len in PATH_LEN_ISSUERS
    for family, make_template in CHILD_TEMPLATES
]


def _path_len_message(requested: int, issuer_path_len: int | None) -> str:
    return (
        f"The path length {requested} of the template must be less than the issuing certificate authority's "
        f"path length constraint {issuer_path_len}."
    )


@pytest.mark.parametrize(("make_issuer", "issuer_path_len", "make_template"), PATH_LEN_CASES)
def test_subordinate_template_pathlen_n_is_allowed_only_below_the_issuers_path_length(
    client: Any, make_issuer: Any, issuer_path_len: int | None, make_template: Any
) -> None:
    issuer_arn = make_issuer(client)
    issuer = _ca_certificate(client, issuer_arn)
    # The premise: the issuer's certificate carries the constraint the case is about.
    assert _basic_constraints(issuer).value.path_length == issuer_path_len
    # PathLen0..3 from one issuer: allowed iff the issuer has no constraint or N is below it.
    expected = {
        n: "issued"
        if issuer_path_len is None or n < issuer_path_len
        else f"ValidationException: {_path_len_message(n, issuer_path_len)}"
        for n in range(4)
    }

    outcomes: dict[int, str] = {}
    for n in range(4):
        template = make_template(n)
        before = _issued_serials(issuer_arn)
        try:
            response = issue(
                client,
                issuer_arn,
                make_csr("Child CA"),
                template=template,
                validity=YEARS_1,
                **_passthrough_for(template),
            )
        except ClientError as error:
            outcomes[n] = f"{error.response['Error']['Code']}: {error.response['Error']['Message']}"
            # A refused request records nothing.
            outcomes[n] += "" if _issued_serials(issuer_arn) == before else " (and a certificate was recorded)"
            continue
        certificate = load_certificate(response["Certificate"])
        certificate.verify_directly_issued_by(issuer)
        assert _basic_constraints(certificate) == x509.Extension(
            x509.BasicConstraints.oid, True, x509.BasicConstraints(ca=True, path_length=n)
        )
        key_usage = certificate.extensions.get_extension_for_class(x509.KeyUsage)
        assert (key_usage.critical, key_usage.value) == (True, CA_KEY_USAGE_VALUE)
        outcomes[n] = "issued"

    assert outcomes == expected


@pytest.mark.parametrize("template", CA_TEMPLATES_PATHLEN0)
def test_pathlen_zero_child_of_a_blank_pathlen_one_root_is_usable_and_passes_path_validation(
    client: Any, template: str
) -> None:
    root_arn = _blank_root(client, 1)
    child_arn = _activate_subordinate_with(client, root_arn, template)

    response = issue(
        client, child_arn, make_csr(sans=[x509.DNSName("leaf.example.com")]), template=_template("EndEntityCertificate")
    )

    chain = load_chain(response["CertificateChain"])
    root = _ca_certificate(client, root_arn)
    assert chain == [_ca_certificate(client, child_arn), root]
    verified = (
        PolicyBuilder()
        .store(Store([root]))
        .build_server_verifier(x509.DNSName("leaf.example.com"))
        .verify(load_certificate(response["Certificate"]), chain[:-1])
    )
    assert verified == [load_certificate(response["Certificate"]), *chain]


def test_ca_activated_from_a_blank_subordinate_template_enforces_its_path_length(client: Any) -> None:
    root_arn = create_active_root(client)
    pathlen1_arn = _activate_subordinate_with(client, root_arn, _blank_subordinate_template(1))
    assert _basic_constraints(_ca_certificate(client, pathlen1_arn)).value.path_length == 1
    before = _issued_serials(pathlen1_arn)

    with pytest.raises(ClientError) as excinfo:
        _issue_arn(client, pathlen1_arn, template=_blank_subordinate_template(1), validity=YEARS_1)

    assert_client_error(
        excinfo,
        "ValidationException",
        "The path length 1 of the template must be less than the issuing certificate authority's "
        "path length constraint 1.",
    )
    assert _issued_serials(pathlen1_arn) == before
    pathlen0_arn = _activate_subordinate_with(client, pathlen1_arn, _blank_subordinate_template(0), years=2)
    leaf = load_certificate(issue(client, pathlen0_arn, make_csr())["Certificate"])
    leaf.verify_directly_issued_by(_ca_certificate(client, pathlen0_arn))


# --- depth: at most 5 levels (§3.4) --------------------------------------------------------------------


def test_hierarchy_of_five_levels_is_built_and_the_fifth_level_cannot_sign_a_ca_certificate(client: Any) -> None:
    arns = _hierarchy(client, 5)
    certificates = [_ca_certificate(client, arn) for arn in arns]
    assert [_basic_constraints(c).value.path_length for c in certificates] == [None, 3, 2, 1, 0]
    fifth = arns[-1]
    before = _issued_serials(fifth)

    for template in (subordinate_template(0), _blank_subordinate_template(0)):
        with pytest.raises(ClientError) as excinfo:
            _issue_arn(client, fifth, template=template, validity=YEARS_1, **_passthrough_for(template))
        # The depth rule is checked before the path-length rule (the fifth CA also has pathLen 0).
        assert_client_error(excinfo, "ValidationException", DEPTH_MESSAGE)
    assert _issued_serials(fifth) == before

    leaf = issue(client, fifth, make_csr())
    load_certificate(leaf["Certificate"]).verify_directly_issued_by(certificates[-1])
    assert load_chain(leaf["CertificateChain"]) == certificates[::-1]


def test_fourth_level_ca_can_still_sign_a_fifth_level_ca(client: Any) -> None:
    arns = _hierarchy(client, 4)

    response = issue(client, arns[-1], make_csr("Fifth"), template=subordinate_template(0), validity=YEARS_1)

    certificate = load_certificate(response["Certificate"])
    assert _basic_constraints(certificate).value == x509.BasicConstraints(ca=True, path_length=0)
    assert len(load_chain(response["CertificateChain"])) == 4


# --- validity against the issuer (§3.4, §4.1) ------------------------------------------------------------


@pytest.mark.parametrize("template", CA_TEMPLATES_PATHLEN0)
@pytest.mark.parametrize("issuer_type", ["ROOT", "SUBORDINATE"])
def test_ca_certificate_must_end_strictly_before_its_issuer(client: Any, issuer_type: str, template: str) -> None:
    with time_machine.travel(NOW, tick=False):
        root_arn = create_active_root(client, years=10)
        issuer_arn = root_arn if issuer_type == "ROOT" else create_active_subordinate(client, root_arn, path_len=1)
        issuer_end = _ca_certificate(client, issuer_arn).not_valid_after_utc
        extra = _passthrough_for(template)

        earlier = issue(
            client,
            issuer_arn,
            make_csr("Child CA"),
            template=template,
            validity={"Type": "ABSOLUTE", "Value": _epoch(issuer_end) - 1},
            **extra,
        )
        before = _issued_serials(issuer_arn)
        with pytest.raises(ClientError) as equal:
            _issue_arn(
                client,
                issuer_arn,
                template=template,
                validity={"Type": "ABSOLUTE", "Value": _epoch(issuer_end)},
                **extra,
            )
        with pytest.raises(ClientError) as later:
            _issue_arn(
                client,
                issuer_arn,
                template=template,
                validity={"Type": "ABSOLUTE", "Value": _epoch(issuer_end) + 1},
                **extra,
            )

    assert load_certificate(earlier["Certificate"]).not_valid_after_utc == issuer_end - timedelta(seconds=1)
    assert_client_error(equal, "ValidationException", CA_BEFORE_ISSUER)
    assert_client_error(later, "ValidationException", NOT_PAST_CA)
    assert _issued_serials(issuer_arn) == before


def test_end_entity_from_a_subordinate_may_end_exactly_with_it_but_not_after(client: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        sub_arn = create_active_subordinate(client, create_active_root(client, years=10), path_len=0, years=2)
        sub_end = _ca_certificate(client, sub_arn).not_valid_after_utc

        at_end = issue(client, sub_arn, make_csr(), validity={"Type": "ABSOLUTE", "Value": _epoch(sub_end)})
        before = _issued_serials(sub_arn)
        with pytest.raises(ClientError) as excinfo:
            _issue_arn(client, sub_arn, validity={"Type": "ABSOLUTE", "Value": _epoch(sub_end) + 1})

    assert sub_end == NOW.replace(year=2032)
    assert load_certificate(at_end["Certificate"]).not_valid_after_utc == sub_end
    assert_client_error(excinfo, "ValidationException", NOT_PAST_CA)
    assert _issued_serials(sub_arn) == before


# --- chains (GetCertificate, GetCertificateAuthorityCertificate) ---------------------------------------

DEPTHS = [pytest.param(d, id=f"{d}-level{'s' if d > 1 else ''}") for d in range(1, 6)]


@pytest.mark.parametrize("depth", DEPTHS)
def test_leaf_chain_is_the_issuing_ca_then_its_chain_up_to_the_root_and_every_link_verifies(
    client: Any, depth: int
) -> None:
    arns = _hierarchy(client, depth)
    ca_certificates = [_ca_certificate(client, arn) for arn in arns]

    response = issue(client, arns[-1], make_csr())

    chain = load_chain(response["CertificateChain"])
    assert chain == ca_certificates[::-1]
    load_certificate(response["Certificate"]).verify_directly_issued_by(chain[0])
    for child, parent in itertools.pairwise(chain):
        child.verify_directly_issued_by(parent)
        assert _aki(child) == _ski(parent)
    chain[-1].verify_directly_issued_by(chain[-1])


@pytest.mark.parametrize("depth", DEPTHS)
def test_each_ca_certificate_is_returned_with_its_chain_up_to_the_root(client: Any, depth: int) -> None:
    arns = _hierarchy(client, depth)

    responses = [client.get_certificate_authority_certificate(CertificateAuthorityArn=arn) for arn in arns]

    root = responses[0]
    assert "CertificateChain" not in root
    for level in range(1, depth):
        certificate = load_certificate(responses[level]["Certificate"])
        chain = load_chain(responses[level]["CertificateChain"])
        expected_chain = [load_certificate(responses[above]["Certificate"]) for above in range(level - 1, -1, -1)]
        assert chain == expected_chain
        certificate.verify_directly_issued_by(chain[0])


def _leaf_for_path_validation(
    client: Any, depth: int, template: str
) -> tuple[x509.Certificate, list[x509.Certificate]]:
    arns = _hierarchy(client, depth)
    response = issue(
        client, arns[-1], make_csr("leaf.example.com", sans=[x509.DNSName("leaf.example.com")]), template=template
    )
    return load_certificate(response["Certificate"]), load_chain(response["CertificateChain"])


@pytest.mark.parametrize("depth", DEPTHS)
def test_tls_server_leaf_passes_path_validation_with_only_the_root_trusted(client: Any, depth: int) -> None:
    leaf, chain = _leaf_for_path_validation(client, depth, _template("EndEntityServerAuthCertificate"))
    root, intermediates = chain[-1], chain[:-1]

    verified = (
        PolicyBuilder()
        .store(Store([root]))
        .build_server_verifier(x509.DNSName("leaf.example.com"))
        .verify(leaf, intermediates)
    )

    assert verified == [leaf, *chain]
    assert leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value == x509.ExtendedKeyUsage(
        [ExtendedKeyUsageOID.SERVER_AUTH]
    )


@pytest.mark.parametrize("depth", DEPTHS)
def test_tls_client_leaf_passes_path_validation_with_only_the_root_trusted(client: Any, depth: int) -> None:
    leaf, chain = _leaf_for_path_validation(client, depth, _template("EndEntityClientAuthCertificate"))
    root, intermediates = chain[-1], chain[:-1]

    verified = PolicyBuilder().store(Store([root])).build_client_verifier().verify(leaf, intermediates)

    assert verified.chain == [leaf, *chain]
    assert verified.subjects == [x509.DNSName("leaf.example.com")]


# --- ECDSA curve/hash pairing for CA certificates (§4.2) ---------------------------------------------

# Written out from the reference, not read from pca_mock.
PAIRED_HASH = {"EC_prime256v1": "SHA256WITHECDSA", "EC_secp384r1": "SHA384WITHECDSA", "EC_secp521r1": "SHA512WITHECDSA"}
ECDSA_HASHES = {
    "SHA256WITHECDSA": (hashes.SHA256, SignatureAlgorithmOID.ECDSA_WITH_SHA256),
    "SHA384WITHECDSA": (hashes.SHA384, SignatureAlgorithmOID.ECDSA_WITH_SHA384),
    "SHA512WITHECDSA": (hashes.SHA512, SignatureAlgorithmOID.ECDSA_WITH_SHA512),
}
NON_LEGACY_REGIONS = ["eu-south-1", "ca-central-1"]
LEGACY_REGIONS = ["us-east-1", "eu-west-1"]
MISMATCHES = [
    (key_algorithm, signing)
    for key_algorithm, paired in PAIRED_HASH.items()
    for signing in ECDSA_HASHES
    if signing != paired
]


def _region_cases(regions: list[str], pairs: list[tuple[str, str]]) -> list[Any]:
    """One case per pair, the regions taken in turn (every region and every pair appear)."""
    return [
        pytest.param(
            regions[index % len(regions)],
            key_algorithm,
            signing,
            id=f"{regions[index % len(regions)]}-{key_algorithm}-{signing}",
        )
        for index, (key_algorithm, signing) in enumerate(pairs)
    ]


def _assert_signed_with(certificate: x509.Certificate, signing_algorithm: str) -> None:
    hash_type, oid = ECDSA_HASHES[signing_algorithm]
    assert certificate.signature_algorithm_oid == oid
    assert isinstance(certificate.signature_hash_algorithm, hash_type)


def _pairing_message(region: str, key_algorithm: str) -> str:
    return (
        f"In {region}, a certificate authority with key algorithm {key_algorithm} must sign CA certificates "
        f"with {PAIRED_HASH[key_algorithm]}."
    )


@pytest.mark.usefixtures("pca")
@pytest.mark.parametrize(("region", "key_algorithm", "signing"), _region_cases(NON_LEGACY_REGIONS, MISMATCHES))
def test_ecdsa_root_outside_legacy_regions_cannot_self_sign_with_a_hash_that_does_not_match_its_curve(
    region: str, key_algorithm: str, signing: str
) -> None:
    client = _regional_client(region)
    root_arn = create_ca(client, "ROOT", configuration=ca_configuration(key_algorithm, PAIRED_HASH[key_algorithm]))
    before = _issued_serials(root_arn)

    with pytest.raises(ClientError) as excinfo:
        _issue_arn(
            client,
            root_arn,
            _csr_of(client, root_arn),
            template=ROOT_TEMPLATE,
            signing_algorithm=signing,
            validity={"Type": "YEARS", "Value": 10},
        )

    assert_client_error(excinfo, "InvalidArgsException", _pairing_message(region, key_algorithm))
    assert _issued_serials(root_arn) == before
    assert _status(client, root_arn) == "PENDING_CERTIFICATE"


@pytest.mark.usefixtures("pca")
@pytest.mark.parametrize("template", CA_TEMPLATES_PATHLEN0)
@pytest.mark.parametrize(("region", "key_algorithm", "signing"), _region_cases(NON_LEGACY_REGIONS, MISMATCHES))
def test_ecdsa_ca_outside_legacy_regions_cannot_sign_a_subordinate_with_a_hash_that_does_not_match_its_curve(
    region: str, key_algorithm: str, signing: str, template: str
) -> None:
    client = _regional_client(region)
    root_arn = create_active_root(client, configuration=ca_configuration(key_algorithm, PAIRED_HASH[key_algorithm]))
    sub_csr = _csr_of(client, create_ca(client, "SUBORDINATE"))
    before = _issued_serials(root_arn)

    with pytest.raises(ClientError) as excinfo:
        _issue_arn(
            client,
            root_arn,
            sub_csr,
            template=template,
            signing_algorithm=signing,
            validity=YEARS_1,
            **_passthrough_for(template),
        )

    assert_client_error(excinfo, "InvalidArgsException", _pairing_message(region, key_algorithm))
    assert _issued_serials(root_arn) == before


@pytest.mark.usefixtures("pca")
@pytest.mark.parametrize(
    ("region", "key_algorithm", "signing"), _region_cases(NON_LEGACY_REGIONS, list(PAIRED_HASH.items()))
)
def test_ecdsa_ca_outside_legacy_regions_signs_ca_certificates_with_the_hash_of_its_curve(
    region: str, key_algorithm: str, signing: str
) -> None:
    client = _regional_client(region)
    root_arn = create_ca(client, "ROOT", configuration=ca_configuration(key_algorithm, signing))

    root = load_certificate(_activate_root_with(client, root_arn, ROOT_TEMPLATE, signing_algorithm=signing))
    sub_arn = _activate_subordinate_with(client, root_arn, subordinate_template(0), signing_algorithm=signing)

    _assert_signed_with(root, signing)
    root.verify_directly_issued_by(root)
    sub = _ca_certificate(client, sub_arn)
    _assert_signed_with(sub, signing)
    sub.verify_directly_issued_by(root)
    assert _status(client, sub_arn) == "ACTIVE"


@pytest.mark.usefixtures("pca")
@pytest.mark.parametrize(("region", "key_algorithm", "signing"), _region_cases(LEGACY_REGIONS, MISMATCHES))
def test_ecdsa_ca_in_a_legacy_region_signs_ca_certificates_with_any_sha2_hash(
    region: str, key_algorithm: str, signing: str
) -> None:
    client = _regional_client(region)
    root_arn = create_ca(client, "ROOT", configuration=ca_configuration(key_algorithm, PAIRED_HASH[key_algorithm]))

    root = load_certificate(_activate_root_with(client, root_arn, ROOT_TEMPLATE, signing_algorithm=signing))
    sub_arn = _activate_subordinate_with(client, root_arn, subordinate_template(0), signing_algorithm=signing)

    _assert_signed_with(root, signing)
    root.verify_directly_issued_by(root)
    sub = _ca_certificate(client, sub_arn)
    _assert_signed_with(sub, signing)
    sub.verify_directly_issued_by(root)


@pytest.mark.usefixtures("pca")
@pytest.mark.parametrize(("region", "key_algorithm", "signing"), _region_cases(NON_LEGACY_REGIONS, MISMATCHES))
def test_ecdsa_ca_outside_legacy_regions_signs_end_entity_certificates_with_any_sha2_hash(
    region: str, key_algorithm: str, signing: str
) -> None:
    client = _regional_client(region)
    root_arn = create_active_root(client, configuration=ca_configuration(key_algorithm, PAIRED_HASH[key_algorithm]))

    leaf = load_certificate(issue(client, root_arn, make_csr(), signing_algorithm=signing)["Certificate"])

    _assert_signed_with(leaf, signing)
    leaf.verify_directly_issued_by(_ca_certificate(client, root_arn))


@pytest.mark.usefixtures("pca")
@pytest.mark.parametrize("region", NON_LEGACY_REGIONS)
def test_rsa_ca_outside_legacy_regions_signs_ca_certificates_with_any_sha2_hash(region: str) -> None:
    client = _regional_client(region)
    root_arn = create_ca(client, "ROOT", configuration=ca_configuration("RSA_2048", "SHA256WITHRSA"))

    root = load_certificate(_activate_root_with(client, root_arn, ROOT_TEMPLATE, signing_algorithm="SHA512WITHRSA"))
    sub_arn = _activate_subordinate_with(client, root_arn, subordinate_template(0), signing_algorithm="SHA384WITHRSA")

    assert root.signature_algorithm_oid == SignatureAlgorithmOID.RSA_WITH_SHA512
    root.verify_directly_issued_by(root)
    sub = _ca_certificate(client, sub_arn)
    assert sub.signature_algorithm_oid == SignatureAlgorithmOID.RSA_WITH_SHA384
    sub.verify_directly_issued_by(root)


@pytest.mark.usefixtures("pca")
def test_signing_family_mismatch_is_reported_before_the_regional_pairing_rule() -> None:
    client = _regional_client("eu-south-1")
    root_arn = create_active_root(client)
    before = _issued_serials(root_arn)

    with pytest.raises(ClientError) as excinfo:
        _issue_arn(
            client, root_arn, template=subordinate_template(0), signing_algorithm="SHA384WITHRSA", validity=YEARS_1
        )

    assert_client_error(
        excinfo,
        "InvalidArgsException",
        "The signing algorithm SHA384WITHRSA is not compatible with the certificate authority's "
        "key algorithm EC_prime256v1.",
    )
    assert _issued_serials(root_arn) == before


# --- SHORT_LIVED_CERTIFICATE CAs (§4.1) -----------------------------------------------------------------

SEVEN_DAYS = NOW + timedelta(days=7)


@pytest.mark.parametrize(
    ("validity", "ok"),
    [
        pytest.param({"Type": "DAYS", "Value": 1}, True, id="1-day"),
        pytest.param({"Type": "DAYS", "Value": 7}, True, id="7-days"),
        pytest.param({"Type": "ABSOLUTE", "Value": _epoch(SEVEN_DAYS)}, True, id="absolute-7-days"),
        pytest.param({"Type": "END_DATE", "Value": 20300122120000}, True, id="end-date-7-days"),
        pytest.param({"Type": "ABSOLUTE", "Value": _epoch(SEVEN_DAYS) + 1}, False, id="7-days-and-1-second"),
        pytest.param({"Type": "DAYS", "Value": 8}, False, id="8-days"),
        pytest.param({"Type": "MONTHS", "Value": 1}, False, id="1-month"),
    ],
)
def test_short_lived_root_issues_certificates_of_at_most_seven_days_while_its_own_is_not_capped(
    client: Any, validity: dict[str, Any], ok: bool
) -> None:
    with time_machine.travel(NOW, tick=False):
        root_arn = create_active_root(client, years=10, UsageMode="SHORT_LIVED_CERTIFICATE")
        before = _issued_serials(root_arn)
        if ok:
            leaf = load_certificate(issue(client, root_arn, make_csr(), validity=validity)["Certificate"])
        else:
            with pytest.raises(ClientError) as excinfo:
                _issue_arn(client, root_arn, validity=validity)

    root = _ca_certificate(client, root_arn)
    assert root.not_valid_after_utc == NOW.replace(year=2040)
    if ok:
        assert leaf.not_valid_after_utc - NOW <= timedelta(days=7)
        leaf.verify_directly_issued_by(root)
    else:
        assert_client_error(excinfo, "ValidationException", SHORT_LIVED_MESSAGE)
        assert _issued_serials(root_arn) == before


def test_short_lived_root_renews_its_own_certificate_beyond_seven_days(client: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        root_arn = create_active_root(client, years=10, UsageMode="SHORT_LIVED_CERTIFICATE")
        renewed = issue(
            client, root_arn, _csr_of(client, root_arn), template=ROOT_TEMPLATE, validity={"Type": "YEARS", "Value": 5}
        )

    assert load_certificate(renewed["Certificate"]).not_valid_after_utc == NOW.replace(year=2035)


def test_short_lived_ca_cannot_sign_a_subordinate_ca_certificate_beyond_seven_days(client: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        root_arn = create_active_root(client, years=10, UsageMode="SHORT_LIVED_CERTIFICATE")
        before = _issued_serials(root_arn)
        with pytest.raises(ClientError) as excinfo:
            _issue_arn(client, root_arn, template=subordinate_template(0), validity=YEARS_1)

    assert_client_error(excinfo, "ValidationException", SHORT_LIVED_MESSAGE)
    assert _issued_serials(root_arn) == before


def test_short_lived_subordinate_gets_a_long_certificate_from_its_parent_but_caps_its_own_leaves(client: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        root_arn = create_active_root(client, years=10)
        sub_arn = create_active_subordinate(client, root_arn, years=5, UsageMode="SHORT_LIVED_CERTIFICATE")
        week = issue(client, sub_arn, make_csr(), validity={"Type": "DAYS", "Value": 7})
        before = _issued_serials(sub_arn)
        with pytest.raises(ClientError) as excinfo:
            _issue_arn(client, sub_arn, validity={"Type": "DAYS", "Value": 8})

    sub = _ca_certificate(client, sub_arn)
    assert sub.not_valid_after_utc == NOW.replace(year=2035)
    assert load_certificate(week["Certificate"]).not_valid_after_utc == SEVEN_DAYS
    assert_client_error(excinfo, "ValidationException", SHORT_LIVED_MESSAGE)
    assert _issued_serials(sub_arn) == before


# --- signing algorithm family at IssueCertificate (§4.2; complements test_issuance/test_algorithms) -----


def _family_message(signing: str, key_algorithm: str) -> str:
    return (
        f"The signing algorithm {signing} is not compatible with the certificate authority's "
        f"key algorithm {key_algorithm}."
    )


def test_pending_root_cannot_self_sign_with_a_signing_algorithm_of_another_family(client: Any) -> None:
    root_arn = create_ca(client, "ROOT")
    before = _issued_serials(root_arn)

    with pytest.raises(ClientError) as excinfo:
        _issue_arn(
            client,
            root_arn,
            _csr_of(client, root_arn),
            template=ROOT_TEMPLATE,
            signing_algorithm="SHA256WITHRSA",
            validity={"Type": "YEARS", "Value": 10},
        )

    assert_client_error(excinfo, "InvalidArgsException", _family_message("SHA256WITHRSA", "EC_prime256v1"))
    assert _issued_serials(root_arn) == before
    assert _status(client, root_arn) == "PENDING_CERTIFICATE"


@pytest.mark.parametrize(
    ("key_algorithm", "ca_signing", "signing"),
    [
        pytest.param("EC_prime256v1", "SHA256WITHECDSA", "SHA512WITHRSA", id="rsa-on-ec"),
        pytest.param("EC_secp384r1", "SHA384WITHECDSA", "SHA256WITHRSA", id="rsa-on-ec-p384"),
        pytest.param("RSA_2048", "SHA256WITHRSA", "SHA384WITHECDSA", id="ecdsa-on-rsa"),
        pytest.param("EC_prime256v1", "SHA256WITHECDSA", "SHA256WITHRSA_PSS", marks=needs_pss, id="rsa-pss-on-ec"),
    ],
)
def test_subordinate_ca_rejects_a_signing_algorithm_of_another_family_for_any_template(
    client: Any, key_algorithm: str, ca_signing: str, signing: str
) -> None:
    root_arn = create_active_root(client)
    sub_arn = create_active_subordinate(
        client, root_arn, path_len=1, configuration=ca_configuration(key_algorithm, ca_signing)
    )
    before = _issued_serials(sub_arn)

    for template in (EE_TEMPLATE, subordinate_template(0)):
        with pytest.raises(ClientError) as excinfo:
            _issue_arn(client, sub_arn, template=template, signing_algorithm=signing, validity=YEARS_1)

        assert_client_error(excinfo, "InvalidArgsException", _family_message(signing, key_algorithm))
    assert _issued_serials(sub_arn) == before
