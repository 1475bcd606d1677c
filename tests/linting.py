"""pkilint, set up as its command-line linters are: certificates (RFC 5280), CRLs, OCSP responses.

Each ``*_findings`` function returns the findings of severity ERROR or worse.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from pkilint import loader, pkix
from pkilint.pkix import certificate, extension, name
from pkilint.pkix import crl as pkilint_crl
from pkilint.pkix import ocsp as pkilint_ocsp
from pkilint.validation import ValidationFindingSeverity

_SEVERE = {ValidationFindingSeverity.ERROR, ValidationFindingSeverity.FATAL}


@dataclass(frozen=True)
class Finding:
    severity: str
    code: str
    path: str
    message: str


def _severe(validator: Any, document: Any) -> list[Finding]:
    return [
        Finding(description.finding.severity.name, description.finding.code, str(result.node.path), description.message)
        for result in validator.validate(document.root)
        for description in result.finding_descriptions
        if description.finding.severity in _SEVERE
    ]


@functools.cache
def _certificate_validator() -> Any:
    # As lint_pkix_cert does.
    return certificate.create_pkix_certificate_validator_container(
        certificate.create_decoding_validators(name.ATTRIBUTE_TYPE_MAPPINGS, extension.EXTENSION_MAPPINGS),
        [
            certificate.create_issuer_validator_container([]),
            certificate.create_validity_validator_container(),
            certificate.create_subject_validator_container([]),
            certificate.create_extensions_validator_container([]),
            certificate.create_spki_validator_container([]),
        ],
    )


@functools.cache
def _crl_validator() -> Any:
    # As lint_crl does for ``-t CRL -p PKIX``.
    return pkilint_crl.create_pkix_crl_validator_container(
        [
            pkix.create_attribute_decoder(name.ATTRIBUTE_TYPE_MAPPINGS),
            pkix.create_extension_decoder(extension.EXTENSION_MAPPINGS),
        ],
        [
            pkilint_crl.create_issuer_validator_container([]),
            pkilint_crl.create_validity_validator_container([]),
            pkilint_crl.create_extensions_validator_container([]),
        ],
    )


@functools.cache
def _ocsp_validator() -> Any:
    # As lint_ocsp_response does.
    return pkilint_ocsp.create_pkix_ocsp_response_validator_container(
        [
            pkilint_ocsp.create_response_decoder(),
            pkix.create_attribute_decoder(name.ATTRIBUTE_TYPE_MAPPINGS),
            pkix.create_extension_decoder(extension.EXTENSION_MAPPINGS),
        ],
        [],
    )


def certificate_findings(pem: str) -> list[Finding]:
    return _severe(_certificate_validator(), loader.load_pem_certificate(pem, "certificate"))


def crl_findings(der: bytes) -> list[Finding]:
    return _severe(_crl_validator(), loader.load_der_crl(der, "crl"))


def ocsp_findings(der: bytes) -> list[Finding]:
    return _severe(_ocsp_validator(), loader.load_der_ocsp_response(der, "response"))
