"""Creating, describing, listing, updating, deleting and restoring CAs."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from cryptography import x509

from pca_mock.errors import (
    InvalidArgsException,
    InvalidStateException,
    LimitExceededException,
    UnsupportedByMockError,
)
from pca_mock.service import access, crls
from pca_mock.service.arns import ca_arn
from pca_mock.service.context import RequestContext, paginate, position_token, token_position
from pca_mock.service.models import CaStatus, CaType, CertificateAuthority
from pca_mock.service.tags import validate_tags
from pca_mock.x509 import builder, extensions, keys, names

CA_QUOTA = 200
DEFAULT_DELETION_DAYS = 30
LIST_PAGE_CAP = 100
CHINA_REGIONS = frozenset({"cn-north-1", "cn-northwest-1"})
DEFAULT_KEY_STORAGE = "FIPS_140_2_LEVEL_3_OR_HIGHER"
CHINA_KEY_STORAGE = "CCPC_LEVEL_1_OR_HIGHER"
_ACCESS_METHOD_OIDS = {
    "CA_REPOSITORY": x509.ObjectIdentifier("1.3.6.1.5.5.7.48.5"),
    "RESOURCE_PKI_MANIFEST": x509.ObjectIdentifier("1.3.6.1.5.5.7.48.10"),
    "RESOURCE_PKI_NOTIFY": x509.ObjectIdentifier("1.3.6.1.5.5.7.48.13"),
}
_UNSUPPORTED_KEYS = (
    "pca_mock does not model {what} yet: pyca/cryptography cannot {why}. Use an RSA_* or EC_* key algorithm."
)


def is_china(region: str) -> bool:
    return region in CHINA_REGIONS


# --- configuration checks ---------------------------------------------------------------


def key_family(key_algorithm: str) -> str:
    """The family of a KeyAlgorithm, refusing values newer than pca_mock."""
    entry = keys.KEY_ALGORITHMS.get(key_algorithm)
    if entry is None:
        raise UnsupportedByMockError(
            f"pca_mock does not know the key algorithm {key_algorithm!r} yet (botocore's model is newer)."
        )
    return entry[0]


def signature(signing_algorithm: str) -> keys.Signature:
    """How a SigningAlgorithm signs, refusing values newer than pca_mock."""
    entry = keys.SIGNING_ALGORITHMS.get(signing_algorithm)
    if entry is None:
        raise UnsupportedByMockError(
            f"pca_mock does not know the signing algorithm {signing_algorithm!r} yet (botocore's model is newer)."
        )
    return entry


def check_key_and_signing_algorithm(key_algorithm: str, signing_algorithm: str, region: str) -> keys.Signature:
    """The signature a CA configuration asks for, after AWS's compatibility rules."""
    family = key_family(key_algorithm)
    if family == "SM2" and not is_china(region):
        raise InvalidArgsException(f"The key algorithm {key_algorithm} is not supported in the {region} region.")
    signing = signature(signing_algorithm)
    if signing.family != family:
        raise InvalidArgsException(
            f"The signing algorithm {signing_algorithm} is not compatible with the key algorithm {key_algorithm}."
        )
    if family == "SM2":
        raise UnsupportedByMockError(_UNSUPPORTED_KEYS.format(what="SM2 CA keys", why="sign with SM2/SM3"))
    return signing


def build_subject(subject: Mapping[str, Any], what: str = "subject") -> x509.Name:
    """An X.509 name from an ASN1Subject, with AWS's rules on which fields may be combined."""
    try:
        return names.build_name(subject, what)
    except ValueError as error:
        # InvalidNameError carries a message for the caller; cryptography's own
        # ValueErrors (an attribute it cannot encode) are wrapped.
        message = str(error) if isinstance(error, names.InvalidNameError) else f"The {what} is not valid: {error}"
        raise InvalidArgsException(message) from None


def general_name(aws: Mapping[str, Any], what: str) -> x509.GeneralName:
    try:
        return names.build_general_name(aws)
    except names.InvalidNameError as error:
        raise InvalidArgsException(f"{what}: {error}") from None
    except NotImplementedError:
        raise UnsupportedByMockError(
            f"{what} uses EdiPartyName, which pca_mock cannot encode yet (pyca/cryptography has no EDIPartyName)."
        ) from None
    except ValueError as error:
        raise InvalidArgsException(f"{what} is not valid: {error}") from None


def _subject_information_access(descriptions: list[Mapping[str, Any]]) -> list[x509.AccessDescription]:
    result = []
    for description in descriptions:
        method = description["AccessMethod"]
        custom, named = method.get("CustomObjectIdentifier"), method.get("AccessMethodType")
        if (custom is None) == (named is None):
            raise InvalidArgsException(
                "An AccessMethod must have exactly one of CustomObjectIdentifier and AccessMethodType."
            )
        try:
            oid = (
                names.parse_oid(custom, "CustomObjectIdentifier") if custom is not None else _ACCESS_METHOD_OIDS[named]
            )
        except names.InvalidNameError as error:
            raise InvalidArgsException(str(error)) from None
        location = general_name(description["AccessLocation"], "The AccessLocation of a SubjectInformationAccess")
        result.append(x509.AccessDescription(oid, location))
    return result


def _has_scheme(cname: str) -> bool:
    lowered = cname.lower()
    return lowered.startswith(("http://", "https://"))


def normalize_revocation_configuration(config: Mapping[str, Any] | None, region: str) -> dict[str, Any]:
    """Validate a RevocationConfiguration and return it as Describe will show it."""
    config = copy.deepcopy(dict(config or {}))
    crl = config.get("CrlConfiguration") or {"Enabled": False}
    ocsp = config.get("OcspConfiguration") or {"Enabled": False}
    if not crl["Enabled"]:
        if set(crl) != {"Enabled"}:
            raise InvalidArgsException("CrlConfiguration must contain only Enabled when Enabled is false.")
    else:
        if "S3BucketName" not in crl:
            raise InvalidArgsException("CrlConfiguration must specify S3BucketName when Enabled is true.")
        cname = crl.get("CustomCname")
        if cname and _has_scheme(cname):
            raise InvalidArgsException("CustomCname must not include a protocol prefix such as http:// or https://.")
        omit = (crl.get("CrlDistributionPointExtensionConfiguration") or {}).get("OmitExtension", False)
        if cname and omit:
            raise InvalidArgsException("CustomCname cannot be set when OmitExtension is true.")
        crl.setdefault("S3ObjectAcl", "PUBLIC_READ")
    if not ocsp["Enabled"]:
        if set(ocsp) != {"Enabled"}:
            raise InvalidArgsException("OcspConfiguration must contain only Enabled when Enabled is false.")
    else:
        if is_china(region):
            raise InvalidArgsException(f"OCSP is not supported in the {region} region.")
        cname = ocsp.get("OcspCustomCname")
        if cname and _has_scheme(cname):
            raise InvalidArgsException(
                "OcspCustomCname must not include a protocol prefix such as http:// or https://."
            )
    return {"CrlConfiguration": crl, "OcspConfiguration": ocsp}


def _key_storage(requested: str | None, region: str) -> str:
    if is_china(region):
        if requested not in (None, CHINA_KEY_STORAGE):
            raise InvalidArgsException(
                "A certificate authority cannot be created in this region with the specified security standard."
            )
        return CHINA_KEY_STORAGE
    if requested == CHINA_KEY_STORAGE:
        raise InvalidArgsException(
            "A certificate authority cannot be created in this region with the specified security standard."
        )
    return requested or DEFAULT_KEY_STORAGE


# --- operations --------------------------------------------------------------------------


def create(
    ctx: RequestContext,
    *,
    configuration: Mapping[str, Any],
    ca_type: str,
    revocation_configuration: Mapping[str, Any] | None,
    idempotency_token: str | None,
    key_storage_security_standard: str | None,
    tags: list[Mapping[str, Any]] | None,
    usage_mode: str | None,
) -> str:
    """Create a CA (CREATING, then PENDING_CERTIFICATE); returns its ARN."""
    remembered = ctx.state.remembered("CreateCertificateAuthority", idempotency_token, ctx.now)
    if remembered is not None:
        return remembered
    key_algorithm = configuration["KeyAlgorithm"]
    signing_algorithm = configuration["SigningAlgorithm"]
    signing = check_key_and_signing_algorithm(key_algorithm, signing_algorithm, ctx.region)
    subject = build_subject(configuration["Subject"])
    csr_extensions = configuration.get("CsrExtensions") or {}
    try:
        key_usage = (
            None
            if csr_extensions.get("KeyUsage") is None
            else extensions.key_usage(extensions.key_usage_bits(csr_extensions["KeyUsage"]))
        )
    except extensions.InvalidExtensionError as error:
        raise InvalidArgsException(str(error)) from None
    sia = _subject_information_access(csr_extensions.get("SubjectInformationAccess") or [])
    revocation = normalize_revocation_configuration(revocation_configuration, ctx.region)
    crls.check_bucket(revocation, ctx.region)
    storage = _key_storage(key_storage_security_standard, ctx.region)
    tag_map = validate_tags(tags or [])
    # Only a region holding the quota's worth of CAs, deleted ones included, needs them counted.
    if len(ctx.state.authorities) >= CA_QUOTA and len(ctx.state.live_authorities(ctx.now)) >= CA_QUOTA:
        raise LimitExceededException(
            f"You have reached the limit of {CA_QUOTA} certificate authorities in this account and region."
        )

    private_key = keys.generate_private_key(key_algorithm, pooled=ctx.key_pool)
    csr = builder.build_ca_csr(
        private_key,
        subject,
        signing,
        key_usage_extension=key_usage,
        subject_information_access=sia,
    )
    ca_id = str(uuid.uuid4())
    arn = ca_arn(ctx.partition, ctx.region, ctx.account, ca_id)
    ca = CertificateAuthority(
        arn=arn,
        id=ca_id,
        account=ctx.account,
        region=ctx.region,
        ca_type=CaType(ca_type),
        configuration=copy.deepcopy(dict(configuration)),
        revocation_configuration=revocation,
        key_storage_security_standard=storage,
        usage_mode=usage_mode or "GENERAL_PURPOSE",
        created_at=ctx.now,
        # CREATING until then (zero unless the mock was started with realistic timing).
        ready_at=ctx.now + ctx.delays.ca_creation,
        private_key=private_key,
        csr_pem=builder.pem(csr),
        tags=tag_map,
    )
    ctx.state.add(ca)
    crls.configured(ca, ctx.now)
    ctx.state.remember("CreateCertificateAuthority", idempotency_token, ctx.now, arn)
    return arn


def _serial_text(serial: int) -> str:
    """CA certificate serial as AWS prints it: lowercase, colon-separated hex bytes."""
    raw = serial.to_bytes((serial.bit_length() + 7) // 8 or 1, "big")
    return ":".join(f"{byte:02x}" for byte in raw)


def describe_view(ca: CertificateAuthority, ctx: RequestContext) -> dict[str, Any]:
    """The CertificateAuthority structure Describe and List return."""
    status = ca.status_at(ctx.now)
    view: dict[str, Any] = {
        "Arn": ca.arn,
        "OwnerAccount": ca.account,
        "CreatedAt": ca.created_at,
        "LastStateChangeAt": ca.last_state_change(ctx.now),
        "Type": ca.ca_type.value,
        "Status": status.value,
        "CertificateAuthorityConfiguration": copy.deepcopy(ca.configuration),
        "RevocationConfiguration": copy.deepcopy(ca.revocation_configuration),
        "KeyStorageSecurityStandard": ca.key_storage_security_standard,
        "UsageMode": ca.usage_mode,
    }
    if ca.installed is not None:
        view["Serial"] = _serial_text(ca.installed.certificate.serial_number)
        view["NotBefore"] = ca.installed.not_before
        view["NotAfter"] = ca.installed.not_after
    if status is CaStatus.DELETED:
        view["RestorableUntil"] = ca.restorable_until
    if status is CaStatus.FAILED:
        view["FailureReason"] = "OTHER"
    return view


def describe(ctx: RequestContext, arn: str) -> dict[str, Any]:
    return describe_view(ctx.find_ca(arn), ctx)


def list_authorities(
    ctx: RequestContext, *, max_results: int | None, next_token: str | None, resource_owner: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    if resource_owner == "OTHER_ACCOUNTS":
        page, token = paginate(access.shared_with_caller(ctx), max_results, next_token, LIST_PAGE_CAP)
    else:
        # Creation order, CAs created at the same instant (a frozen clock) in the
        # order made; a token is a position in it, so a page costs O(page).
        start = token_position(next_token, len(ctx.state.creation_order))
        size = min(max_results or LIST_PAGE_CAP, LIST_PAGE_CAP)
        page, following = ctx.state.authorities_page(start, size, ctx.now)
        token = None if following is None else position_token(following)
    return [describe_view(ca, ctx) for ca in page], token


def update(
    ctx: RequestContext, arn: str, *, status: str | None, revocation_configuration: Mapping[str, Any] | None
) -> None:
    ca = ctx.find_ca(arn)
    current = ca.status_at(ctx.now)
    if current not in (CaStatus.ACTIVE, CaStatus.DISABLED):
        raise InvalidStateException("The certificate authority must be in the ACTIVE or DISABLED state to be updated")
    if status is not None and status not in (CaStatus.ACTIVE.value, CaStatus.DISABLED.value):
        raise InvalidArgsException(f"The status {status} is not valid; a CA can only be set to ACTIVE or DISABLED.")
    revocation = (
        normalize_revocation_configuration(revocation_configuration, ctx.region)
        if revocation_configuration is not None
        else None
    )
    if revocation is not None:
        crls.check_bucket(revocation, ctx.region)
    # Validate everything before changing anything.
    if status is not None and status != current.value:
        ca.transition(CaStatus(status), ctx.now)
    if revocation is not None:
        # Revocations not yet published go where the CRLs were configured when they were made.
        crls.flush(ca)
        ca.revocation_configuration = revocation
        crls.configured(ca, ctx.now)


def delete(ctx: RequestContext, arn: str, *, permanent_deletion_days: int | None) -> None:
    ca = ctx.find_ca(arn)
    status = ca.status_at(ctx.now)
    if status is CaStatus.ACTIVE:
        raise InvalidStateException(
            "The certificate authority must be disabled before it can be deleted; it is in the ACTIVE state."
        )
    if status is CaStatus.DELETED:
        raise InvalidStateException("The certificate authority is already in the DELETED state.")
    if status in (CaStatus.CREATING, CaStatus.FAILED):
        # No restoration window: the CA is gone at once.
        del ctx.state.authorities[ca.id]
        return
    # A deleted CA is purged unread once its window ends: publish what it revoked now.
    crls.flush(ca)
    ca.status_before_deletion = ca.stored_status
    ca.transition(CaStatus.DELETED, ctx.now)
    ca.restorable_until = ctx.now + timedelta(days=permanent_deletion_days or DEFAULT_DELETION_DAYS)


def restore(ctx: RequestContext, arn: str) -> None:
    ca = ctx.find_ca(arn)
    if ca.status_at(ctx.now) is not CaStatus.DELETED:
        raise InvalidStateException(
            f"The certificate authority is in the {ca.status_at(ctx.now).value} state; only a DELETED certificate "
            "authority can be restored."
        )
    assert ca.status_before_deletion is not None
    ca.transition(ca.status_before_deletion, ctx.now)
    ca.status_before_deletion = None
    ca.restorable_until = None
