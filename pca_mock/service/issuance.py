"""IssueCertificate and GetCertificate (reference §3.4, §4)."""

from __future__ import annotations

import calendar
import functools
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from cryptography import x509

from pca_mock.errors import (
    InvalidArgsException,
    InvalidStateException,
    LimitExceededException,
    MalformedCSRException,
    RequestInProgressException,
    ResourceNotFoundException,
    ValidationException,
)
from pca_mock.service import authorities, crls, ocsp
from pca_mock.service.arns import certificate_arn, parse_certificate_arn
from pca_mock.service.context import RequestContext
from pca_mock.service.models import CaStatus, CaType, CertificateAuthority, InstalledCertificate, IssuedCertificate
from pca_mock.x509 import builder, extensions, keys
from pca_mock.x509.templates import DEFAULT_TEMPLATE, PROFILES, TemplateKind, TemplateProfile

CERTIFICATES_PER_CA_QUOTA = 1_000_000
MAX_HIERARCHY_DEPTH = 5
BACKDATE = timedelta(minutes=60)
SHORT_LIVED_MAX = timedelta(days=7)
_TEMPLATE_ARN = re.compile(r"arn:(?P<partition>[\w-]+):acm-pca:::template/(?P<name>[\w]+)/V(?P<version>\d+)")
_NOT_ISSUING = "The certificate authority is not in a valid state for issuing certificates"


# --- inputs -------------------------------------------------------------------------


# Every certificate records its template ARN: one shared string per valid ARN
# rather than a copy per certificate (there are only templates x partitions).
_RECORDED_TEMPLATES: dict[str, str] = {}


def template_profile(template_arn: str | None, partition: str) -> tuple[TemplateProfile, str]:
    """The profile a template ARN names, and the ARN as recorded (default EndEntityCertificate/V1)."""
    if template_arn is None:
        template_arn = f"arn:{partition}:acm-pca:::template/{DEFAULT_TEMPLATE}/V1"
        return PROFILES[DEFAULT_TEMPLATE], _RECORDED_TEMPLATES.setdefault(template_arn, template_arn)
    match = _TEMPLATE_ARN.fullmatch(template_arn)
    profile = None if match is None else PROFILES.get(match.group("name"))
    if match is None or profile is None or match.group("partition") != partition or match.group("version") != "1":
        raise InvalidArgsException(f"The template ARN {template_arn} is not valid.")
    return profile, _RECORDED_TEMPLATES.setdefault(template_arn, template_arn)


def _add_months(moment: datetime, months: int) -> datetime:
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _end_date(value: int) -> datetime:
    digits = str(value)
    if len(digits) == 12:
        # UTCTime-style YYMMDDHHMMSS: 50-99 are 1950-1999, 00-49 are 2000-2049.
        year = int(digits[:2])
        digits = str(1900 + year if year >= 50 else 2000 + year) + digits[2:]
    if len(digits) != 14:
        raise ValueError("END_DATE must be YYMMDDHHMMSS or YYYYMMDDHHMMSS")
    return datetime.strptime(digits, "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)


def validity_end(validity: Mapping[str, Any], now: datetime) -> datetime:
    """The NotAfter a Validity asks for, relative types counted from ``now``."""
    kind, value = validity["Type"], validity["Value"]
    try:
        if kind == "END_DATE":
            return _end_date(value)
        if kind == "ABSOLUTE":
            return datetime.fromtimestamp(value, tz=timezone.utc)
        if kind == "DAYS":
            return now + timedelta(days=value)
        if kind == "MONTHS":
            return _add_months(now, value)
        if kind == "YEARS":
            return _add_months(now, 12 * value)
    except (ValueError, OverflowError, OSError):
        pass
    raise ValidationException(f"The validity value {value} is not a valid {kind} validity.")


def _validity_start(validity: Mapping[str, Any] | None, now: datetime) -> datetime:
    if validity is None:
        return now - BACKDATE
    if validity["Type"] != "ABSOLUTE":
        raise ValidationException("ValidityNotBefore must use the ABSOLUTE validity type.")
    return validity_end(validity, now)


@dataclass(frozen=True, slots=True)
class ParsedCsr:
    """A verified CSR and what issuance copies from it, converted once."""

    request: x509.CertificateSigningRequest
    subject: x509.Name
    public_key: Any
    public_key_der: bytes
    key_identifier: bytes
    # Every extension the CSR requests, in its order; CSR templates copy them.
    extensions: tuple[x509.Extension[Any], ...]


# Parsing and verifying a CSR is pure, and tests often send the same CSR many
# times, so verified CSRs are kept (failures are not cached: they raise).
@functools.lru_cache(maxsize=256)
def parse_csr(csr: bytes) -> ParsedCsr:
    """A CSR AWS would accept, or MalformedCSRException."""
    try:
        request = x509.load_pem_x509_csr(csr)
    except ValueError:
        raise MalformedCSRException("The certificate signing request is not a valid PEM-encoded CSR.") from None
    try:
        signature_ok = request.is_signature_valid
        extensions = request.extensions
    except (ValueError, TypeError, x509.UnsupportedGeneralNameType, x509.DuplicateExtension):
        raise MalformedCSRException("The certificate signing request cannot be verified or validated.") from None
    if not signature_ok:
        raise MalformedCSRException("The certificate signing request's signature is not valid.")
    subject = request.subject
    if len(subject) == 0 and not any(
        isinstance(extension.value, x509.SubjectAlternativeName) for extension in extensions
    ):
        raise MalformedCSRException(
            "The certificate signing request must have a subject or a subject alternative name."
        )
    public_key = request.public_key()
    return ParsedCsr(
        request,
        subject,
        public_key,
        keys.public_key_der(public_key),
        builder.key_identifier(public_key),
        tuple(extensions),
    )


# --- issuance -------------------------------------------------------------------------


def _check_quota(ca: CertificateAuthority) -> None:
    if len(ca.certificates) >= CERTIFICATES_PER_CA_QUOTA:
        raise LimitExceededException(
            f"The certificate authority has issued the maximum of {CERTIFICATES_PER_CA_QUOTA} certificates."
        )


def _unique_serial(ca: CertificateAuthority) -> int:
    while True:
        serial = secrets.randbits(128)
        if serial and serial not in ca.certificates:
            return serial


def issue(
    ctx: RequestContext,
    arn: str,
    *,
    csr: bytes,
    signing_algorithm: str,
    validity: Mapping[str, Any],
    validity_not_before: Mapping[str, Any] | None,
    template_arn: str | None,
    api_passthrough: Mapping[str, Any] | None,
    idempotency_token: str | None,
) -> str:
    """Issue a certificate and return its ARN."""
    ca = ctx.find_ca(arn)
    if ca.account != ctx.account:
        ctx.authorize_template(ca, arn, template_arn)
    idempotency_key = None if idempotency_token is None else f"{ca.arn}|{idempotency_token}"
    remembered = ctx.state.remembered("IssueCertificate", idempotency_key, ctx.now)
    if remembered is not None:
        return remembered
    profile, recorded_template = template_profile(template_arn, ctx.partition)
    status = ca.status_at(ctx.now)
    self_issue = profile.kind is TemplateKind.ROOT_CA
    if not (status is CaStatus.ACTIVE or (self_issue and status is CaStatus.PENDING_CERTIFICATE)):
        raise InvalidStateException(_NOT_ISSUING)
    request = parse_csr(csr)
    signing = authorities.signature(signing_algorithm)
    if signing.family != keys.key_family(ca.key_algorithm):
        raise InvalidArgsException(
            f"The signing algorithm {signing_algorithm} is not compatible with the certificate authority's "
            f"key algorithm {ca.key_algorithm}."
        )
    if profile.kind is not TemplateKind.END_ENTITY:
        _check_ca_certificate_signature(ca, signing_algorithm, ctx.region)
    if self_issue:
        if ca.ca_type is not CaType.ROOT:
            raise InvalidArgsException(
                f"The template {recorded_template} can only be used by a ROOT certificate authority."
            )
        if request.public_key_der != keys.public_key_der(ca.private_key.public_key()):
            raise InvalidArgsException(
                f"The template {recorded_template} can only sign the certificate authority's own CSR."
            )
    _check_quota(ca)

    not_after = validity_end(validity, ctx.now)
    not_before = _validity_start(validity_not_before, ctx.now)
    if not_after <= ctx.now:
        raise ValidationException("The certificate's validity must end in the future.")
    if not_before >= not_after:
        raise ValidationException("The certificate's validity must start before it ends.")
    # The 7-day cap is on the certificates a short-lived CA issues, not on its
    # own root certificate (no validity checks apply to that, reference §4.1).
    if ca.usage_mode == "SHORT_LIVED_CERTIFICATE" and not self_issue and not_after - ctx.now > SHORT_LIVED_MAX:
        raise ValidationException(
            "A certificate authority in SHORT_LIVED_CERTIFICATE mode can issue certificates valid for at most 7 days."
        )
    subject, api_extensions = _api_passthrough(api_passthrough if profile.takes_api else None, request.subject)
    if self_issue:
        issuer_name, issuer_key_id = subject, None
    else:
        installed = ca.installed
        assert installed is not None
        if not_after > installed.not_after:
            raise ValidationException("The certificate's validity cannot extend past the certificate authority's.")
        if profile.kind is TemplateKind.SUBORDINATE_CA:
            _check_hierarchy(installed, profile, not_after)
        issuer_name = installed.subject
        issuer_key_id = installed.key_identifier

    serial = _unique_serial(ca)
    # Root certificates are never revocable, so they point at no CRL.
    point = crls.NO_POINT if self_issue else crls.plan(ca)
    chain_pem = None if ca.installed is None or self_issue else ca.installed.issued_chain_pem
    request_to_sign = builder.CertificateRequest(
        subject=subject,
        public_key=request.public_key,
        issuer=issuer_name,
        issuer_key=ca.private_key,
        serial=serial,
        not_before=not_before,
        not_after=not_after,
        signature=signing,
        extensions=extensions.compose(
            profile,
            subject_key_identifier=request.key_identifier,
            authority_key_identifier=issuer_key_id,
            crl_url=point.uri,
            ocsp_url=None if self_issue else ocsp.url(ca),
            api=api_extensions,
            csr=request.extensions,
        ),
    )
    # The signature is the one slow step (about a millisecond for RSA-2048,
    # several for RSA-4096): other requests go on meanwhile.
    with ctx.unlocked():
        certificate = builder.issue_certificate(request_to_sign)
    # So what was checked above may have changed: a request with the same
    # token may have issued first, others may have used up the quota or, once
    # in 2**128, drawn the same serial.
    remembered = ctx.state.remembered("IssueCertificate", idempotency_key, ctx.now)
    if remembered is not None:
        return remembered
    _check_quota(ca)
    if serial in ca.certificates:
        return issue(
            ctx,
            arn,
            csr=csr,
            signing_algorithm=signing_algorithm,
            validity=validity,
            validity_not_before=validity_not_before,
            template_arn=template_arn,
            api_passthrough=api_passthrough,
            idempotency_token=idempotency_token,
        )
    cert_arn = certificate_arn(ca.arn, serial)
    record = ca.certificates[serial] = IssuedCertificate(
        serial=serial,
        arn=cert_arn,
        pem=certificate.pem,
        chain_pem=chain_pem,
        not_before=certificate.not_before,
        not_after=certificate.not_after,
        issued_at=ctx.now,
        template_arn=recorded_template,
        self_issued=self_issue,
        requested_by=ctx.account,
        ready_at=(ctx.now + ctx.delays.certificate_issuance) if ctx.delays.certificate_issuance else None,
    )
    if not self_issue:
        crls.bind(ca, point, record, ctx.now)
    ctx.state.remember("IssueCertificate", idempotency_key, ctx.now, cert_arn)
    return cert_arn


def _api_passthrough(
    passthrough: Mapping[str, Any] | None, csr_subject: x509.Name
) -> tuple[x509.Name, list[x509.Extension[Any]]]:
    """The subject and extensions an ApiPassthrough asks for (the CSR's subject if it names none)."""
    if passthrough is None:
        return csr_subject, []
    subject = csr_subject
    if passthrough.get("Subject") is not None:
        subject = authorities.build_subject(passthrough["Subject"], "ApiPassthrough subject")
    try:
        requested = extensions.api_extensions(passthrough.get("Extensions") or {}, subject_is_empty=len(subject) == 0)
    except extensions.InvalidExtensionError as error:
        raise InvalidArgsException(str(error)) from None
    return subject, requested


# Regions that still let any ECDSA curve sign CA certificates with any SHA-2
# hash; elsewhere the hash must match the curve (reference §4.2).
_LEGACY_ECDSA_REGIONS = frozenset(
    {
        "eu-north-1", "me-south-1", "ap-south-1", "eu-west-3", "us-east-2", "af-south-1", "eu-west-1",
        "eu-central-1", "sa-east-1", "ap-east-1", "us-east-1", "ap-northeast-2", "eu-west-2", "ap-northeast-1",
        "us-gov-east-1", "us-gov-west-1", "us-west-2", "us-west-1", "ap-southeast-1", "ap-southeast-2",
    }
)  # fmt: skip
_ECDSA_PAIRING = {
    "EC_prime256v1": "SHA256WITHECDSA",
    "EC_secp384r1": "SHA384WITHECDSA",
    "EC_secp521r1": "SHA512WITHECDSA",
}


def _check_ca_certificate_signature(ca: CertificateAuthority, signing_algorithm: str, region: str) -> None:
    paired = _ECDSA_PAIRING.get(ca.key_algorithm)
    if paired is None or paired == signing_algorithm or region in _LEGACY_ECDSA_REGIONS:
        return
    raise InvalidArgsException(
        f"In {region}, a certificate authority with key algorithm {ca.key_algorithm} must sign CA certificates "
        f"with {paired}."
    )


def _check_hierarchy(issuer: InstalledCertificate, profile: TemplateProfile, not_after: datetime) -> None:
    """Rules for a CA certificate issued by a CA with certificate ``issuer`` (reference §3.4)."""
    assert profile.path_len is not None
    if issuer.depth >= MAX_HIERARCHY_DEPTH:
        raise ValidationException(
            f"A CA hierarchy can have at most {MAX_HIERARCHY_DEPTH} levels; this certificate authority is at the last."
        )
    if issuer.path_length is not None and profile.path_len >= issuer.path_length:
        raise ValidationException(
            f"The path length {profile.path_len} of the template must be less than the issuing certificate "
            f"authority's path length constraint {issuer.path_length}."
        )
    if not_after >= issuer.not_after:
        raise ValidationException(
            "A CA certificate's validity must end before the validity of the certificate authority that issues it."
        )


def get(ctx: RequestContext, arn: str, certificate_arn_: str) -> dict[str, Any]:
    ca = ctx.find_ca(arn)
    cert_ca, serial = parse_certificate_arn(certificate_arn_)
    status = ca.status_at(ctx.now)
    if status in (CaStatus.CREATING, CaStatus.DELETED, CaStatus.FAILED):
        raise InvalidStateException(
            f"The certificate authority {arn} is not in the correct state to have issued certificates."
        )
    record = ca.certificates.get(serial) if cert_ca.arn == ca.arn else None
    if record is None:
        raise ResourceNotFoundException(f"Could not find certificate with arn {certificate_arn_}.")
    if record.in_progress(ctx.now):
        raise RequestInProgressException(f"The certificate {certificate_arn_} is still being issued.")
    result = {"Certificate": record.pem}
    if record.chain_pem is not None:
        result["CertificateChain"] = record.chain_pem
    return result
