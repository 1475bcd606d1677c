"""Certificate templates as data: what each template puts in a certificate.

One table of profiles, not one code path per template: the 61 templates AWS
offers are 12 families times the passthrough varieties each family comes in.
Extension contents and criticality follow AWS's template definitions
(reference §3.2); which sources may add extensions follows §3.1.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from cryptography.x509.oid import ExtendedKeyUsageOID, ObjectIdentifier


class TemplateKind(str, Enum):
    END_ENTITY = "end_entity"
    SUBORDINATE_CA = "subordinate_ca"
    ROOT_CA = "root_ca"


class Variety(str, Enum):
    """Which request parts, besides subject and SAN, may add to the certificate."""

    BASE = ""
    CSR = "_CSRPassthrough"
    API = "_APIPassthrough"
    API_CSR = "_APICSRPassthrough"

    @property
    def takes_api(self) -> bool:
        return self in (Variety.API, Variety.API_CSR)

    @property
    def takes_csr(self) -> bool:
        return self in (Variety.CSR, Variety.API_CSR)


@dataclass(frozen=True, slots=True)
class TemplateProfile:
    name: str
    family: str
    variety: Variety
    kind: TemplateKind
    # BasicConstraints: pathLenConstraint for CA templates (None = absent), criticality.
    path_len: int | None
    basic_constraints_critical: bool
    # KeyUsage bits (cryptography's KeyUsage argument names), always critical;
    # None when the template leaves KeyUsage to the request (Blank templates).
    # An empty set fixes "no KeyUsage".
    key_usage: frozenset[str] | None
    # ExtendedKeyUsage the template fixes (empty = none); None when left to the request.
    extended_key_usage: tuple[ObjectIdentifier, ...] | None
    extended_key_usage_critical: bool

    @property
    def takes_api(self) -> bool:
        return self.variety.takes_api

    @property
    def takes_csr(self) -> bool:
        return self.variety.takes_csr


def _family(
    name: str,
    kind: TemplateKind,
    path_len: int | None,
    basic_constraints_critical: bool,
    key_usage: frozenset[str] | None,
    extended_key_usage: tuple[ObjectIdentifier, ...] | None,
    extended_key_usage_critical: bool,
    varieties: tuple[Variety, ...],
) -> tuple[TemplateProfile, ...]:
    """The templates of one family: the same extensions, one per passthrough variety."""
    return tuple(
        TemplateProfile(
            name + variety.value,
            name,
            variety,
            kind,
            path_len,
            basic_constraints_critical,
            key_usage,
            extended_key_usage,
            extended_key_usage_critical,
        )
        for variety in varieties
    )


_EE_KU = frozenset({"digital_signature", "key_encipherment"})
_SIGNING_KU = frozenset({"digital_signature"})
_CA_KU = frozenset({"digital_signature", "key_cert_sign", "crl_sign"})
_ALL = (Variety.BASE, Variety.CSR, Variety.API, Variety.API_CSR)
_PASSTHROUGH = (Variety.CSR, Variety.API, Variety.API_CSR)
_EE, _SUB, _ROOT = TemplateKind.END_ENTITY, TemplateKind.SUBORDINATE_CA, TemplateKind.ROOT_CA
_SERVER, _CLIENT = ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH

_FAMILIES: tuple[tuple[TemplateProfile, ...], ...] = (
    _family("EndEntityCertificate", _EE, None, False, _EE_KU, (_SERVER, _CLIENT), False, _ALL),
    _family("EndEntityClientAuthCertificate", _EE, None, False, _EE_KU, (_CLIENT,), False, _ALL),
    _family("EndEntityServerAuthCertificate", _EE, None, False, _EE_KU, (_SERVER,), False, _ALL),
    _family("CodeSigningCertificate", _EE, None, False, _SIGNING_KU, (ExtendedKeyUsageOID.CODE_SIGNING,), True, _ALL),
    _family("OCSPSigningCertificate", _EE, None, False, _SIGNING_KU, (ExtendedKeyUsageOID.OCSP_SIGNING,), True, _ALL),
    _family("RootCACertificate", _ROOT, None, True, _CA_KU, (), False, (Variety.BASE, Variety.API)),
    *(_family(f"SubordinateCACertificate_PathLen{n}", _SUB, n, True, _CA_KU, (), False, _ALL) for n in range(4)),
    _family("BlankEndEntityCertificate", _EE, None, False, None, None, False, _PASSTHROUGH),
    _family("BlankEndEntityCertificate_CriticalBasicConstraints", _EE, None, True, None, None, False, _PASSTHROUGH),
    *(
        _family(f"BlankSubordinateCACertificate_PathLen{n}", _SUB, n, True, None, None, False, _PASSTHROUGH)
        for n in range(4)
    ),
    _family("BlankRootCACertificate", _ROOT, None, True, None, None, False, (Variety.API,)),
    *(
        _family(f"BlankRootCACertificate_PathLen{n}", _ROOT, n, True, None, None, False, (Variety.API,))
        for n in range(4)
    ),
)


# Every template AWS offers (all at version V1).
PROFILES: dict[str, TemplateProfile] = {profile.name: profile for family in _FAMILIES for profile in family}
DEFAULT_TEMPLATE = "EndEntityCertificate"
