"""The OCSP responder of CAs with OCSP enabled (reference §7.4).

AWS answers OCSP for a CA at ``http://ocsp.acm-pca.<region>.amazonaws.com``
(or the CA's OcspCustomCname). Under the mock the responder is a function:
request DER in, response DER out, reached through the mock handle.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from cryptography.x509 import ocsp as x509_ocsp

from pca_mock.errors import UnsupportedByMockError
from pca_mock.service.models import CaStatus, CertificateAuthority
from pca_mock.x509 import ocsp
from pca_mock.x509.keys import SIGNING_ALGORITHMS

# How long a response is fresh. AWS does not publish it; RFC 5019 asks for a
# nextUpdate, and a day is a common responder setting.
RESPONSE_VALIDITY = timedelta(days=1)
_ANSWERING = frozenset({CaStatus.ACTIVE, CaStatus.DISABLED, CaStatus.EXPIRED})


def default_host(region: str) -> str:
    return f"ocsp.acm-pca.{region}.amazonaws.com"


def hosts(ca: CertificateAuthority) -> frozenset[str]:
    """The hosts that answer OCSP for the CA: the regional one, and its OcspCustomCname
    (an alias whose origin is the regional host, reference §7.4). Empty when OCSP is off."""
    config = ca.revocation_configuration["OcspConfiguration"]
    if not config["Enabled"]:
        return frozenset()
    custom = config.get("OcspCustomCname")
    return frozenset({default_host(ca.region), *([custom.lower()] if custom else [])})


def is_regional_host(host: str) -> bool:
    return host.startswith("ocsp.acm-pca.") and host.endswith(".amazonaws.com")


def url(ca: CertificateAuthority) -> str | None:
    """The URL issued certificates carry in their AIA, or None when OCSP is off."""
    config = ca.revocation_configuration["OcspConfiguration"]
    if not config["Enabled"]:
        return None
    return f"http://{config.get('OcspCustomCname') or default_host(ca.region)}"


def respond(authorities: Iterable[CertificateAuthority], request_der: bytes, now: datetime) -> bytes:
    """The response the responder of ``authorities`` gives to one request.

    A malformed request gets ``malformedRequest``; a certificate of no CA here
    (or of one with OCSP off) gets ``unauthorized``, as RFC 5019 §2.2.3 says.
    """
    request = ocsp.parse_request(request_der)
    if request is None:
        return ocsp.unsuccessful(x509_ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
    for ca in authorities:
        installed = ca.installed
        if (
            installed is None
            or not hosts(ca)
            or ca.status_at(now) not in _ANSWERING
            or not ocsp.issuer_matches(request, installed.certificate)
        ):
            continue
        record = ca.certificates.get(request.serial_number)
        if record is None:
            status = ocsp.CertificateStatus("UNKNOWN")
        elif record.revoked_at is not None:
            status = ocsp.CertificateStatus("REVOKED", record.revoked_at, record.revocation_reason)
        else:
            status = ocsp.CertificateStatus("GOOD")
        signing_algorithm = ca.configuration["SigningAlgorithm"]
        this_update = now.replace(microsecond=0)
        try:
            return ocsp.build_response(
                request,
                issuer=installed.certificate,
                issuer_key=ca.private_key,
                signature=SIGNING_ALGORITHMS[signing_algorithm],
                status=status,
                this_update=this_update,
                next_update=this_update + RESPONSE_VALIDITY,
            )
        except ocsp.UnsignableResponse as error:
            raise UnsupportedByMockError(
                f"pca_mock cannot answer OCSP for a CA whose SigningAlgorithm is {signing_algorithm}: {error}."
            ) from None
    return ocsp.unsuccessful(x509_ocsp.OCSPResponseStatus.UNAUTHORIZED)
