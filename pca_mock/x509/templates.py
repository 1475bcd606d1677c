"""Certificate templates as data: what each template puts in a certificate.

One table of profiles, not one code path per template. The extension contents
and criticality follow AWS's template definitions (reference §3.2).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from cryptography.x509.oid import ExtendedKeyUsageOID, ObjectIdentifier


class TemplateKind(str, Enum):
    END_ENTITY = "end_entity"
    SUBORDINATE_CA = "subordinate_ca"
    ROOT_CA = "root_ca"


@dataclass(frozen=True, slots=True)
class TemplateProfile:
    name: str
    kind: TemplateKind
    # BasicConstraints: pathLenConstraint for CA templates (None = absent), criticality.
    path_len: int | None
    basic_constraints_critical: bool
    # KeyUsage bits (cryptography's KeyUsage argument names); always critical when present.
    key_usage: frozenset[str]
    extended_key_usage: tuple[ObjectIdentifier, ...]
    extended_key_usage_critical: bool


_EE_KU = frozenset({"digital_signature", "key_encipherment"})
_SIGNING_KU = frozenset({"digital_signature"})
_CA_KU = frozenset({"digital_signature", "key_cert_sign", "crl_sign"})


def _end_entity(
    name: str, ku: frozenset[str], eku: tuple[ObjectIdentifier, ...], eku_critical: bool
) -> TemplateProfile:
    return TemplateProfile(name, TemplateKind.END_ENTITY, None, False, ku, eku, eku_critical)


_PROFILES: tuple[TemplateProfile, ...] = (
    _end_entity(
        "EndEntityCertificate", _EE_KU, (ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH), False
    ),
    _end_entity("EndEntityClientAuthCertificate", _EE_KU, (ExtendedKeyUsageOID.CLIENT_AUTH,), False),
    _end_entity("EndEntityServerAuthCertificate", _EE_KU, (ExtendedKeyUsageOID.SERVER_AUTH,), False),
    _end_entity("CodeSigningCertificate", _SIGNING_KU, (ExtendedKeyUsageOID.CODE_SIGNING,), True),
    _end_entity("OCSPSigningCertificate", _SIGNING_KU, (ExtendedKeyUsageOID.OCSP_SIGNING,), True),
    TemplateProfile("RootCACertificate", TemplateKind.ROOT_CA, None, True, _CA_KU, (), False),
    *(
        TemplateProfile(f"SubordinateCACertificate_PathLen{n}", TemplateKind.SUBORDINATE_CA, n, True, _CA_KU, (), False)
        for n in range(4)
    ),
)

PROFILES: dict[str, TemplateProfile] = {profile.name: profile for profile in _PROFILES}
DEFAULT_TEMPLATE = "EndEntityCertificate"

_PATH_LEN = tuple(f"PathLen{n}" for n in range(4))

# Every template AWS offers (all at version V1), so a known template the mock
# does not model yet can be told apart from one that does not exist.
TEMPLATE_CATALOG: frozenset[str] = frozenset(
    {
        "CodeSigningCertificate",
        "EndEntityCertificate",
        "EndEntityClientAuthCertificate",
        "EndEntityServerAuthCertificate",
        "OCSPSigningCertificate",
        "RootCACertificate",
        *(f"SubordinateCACertificate_{p}" for p in _PATH_LEN),
        # CSR passthrough
        "BlankEndEntityCertificate_CSRPassthrough",
        "BlankEndEntityCertificate_CriticalBasicConstraints_CSRPassthrough",
        *(f"BlankSubordinateCACertificate_{p}_CSRPassthrough" for p in _PATH_LEN),
        "CodeSigningCertificate_CSRPassthrough",
        "EndEntityCertificate_CSRPassthrough",
        "EndEntityClientAuthCertificate_CSRPassthrough",
        "EndEntityServerAuthCertificate_CSRPassthrough",
        "OCSPSigningCertificate_CSRPassthrough",
        *(f"SubordinateCACertificate_{p}_CSRPassthrough" for p in _PATH_LEN),
        # API passthrough
        "BlankEndEntityCertificate_APIPassthrough",
        "BlankEndEntityCertificate_CriticalBasicConstraints_APIPassthrough",
        "CodeSigningCertificate_APIPassthrough",
        "EndEntityCertificate_APIPassthrough",
        "EndEntityClientAuthCertificate_APIPassthrough",
        "EndEntityServerAuthCertificate_APIPassthrough",
        "OCSPSigningCertificate_APIPassthrough",
        "RootCACertificate_APIPassthrough",
        *(f"SubordinateCACertificate_{p}_APIPassthrough" for p in _PATH_LEN),
        *(f"BlankSubordinateCACertificate_{p}_APIPassthrough" for p in _PATH_LEN),
        "BlankRootCACertificate_APIPassthrough",
        *(f"BlankRootCACertificate_{p}_APIPassthrough" for p in _PATH_LEN),
        # API and CSR passthrough
        "BlankEndEntityCertificate_APICSRPassthrough",
        "BlankEndEntityCertificate_CriticalBasicConstraints_APICSRPassthrough",
        "CodeSigningCertificate_APICSRPassthrough",
        "EndEntityCertificate_APICSRPassthrough",
        "EndEntityClientAuthCertificate_APICSRPassthrough",
        "EndEntityServerAuthCertificate_APICSRPassthrough",
        "OCSPSigningCertificate_APICSRPassthrough",
        *(f"SubordinateCACertificate_{p}_APICSRPassthrough" for p in _PATH_LEN),
        *(f"BlankSubordinateCACertificate_{p}_APICSRPassthrough" for p in _PATH_LEN),
    }
)
