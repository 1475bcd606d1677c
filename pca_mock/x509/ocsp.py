"""OCSP responses as a CA-signed RFC 6960 / RFC 5019 responder gives them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp

from pca_mock.x509.crl import REASONS
from pca_mock.x509.keys import PrivateKey, Signature


class UnsignableResponse(ValueError):
    """The response cannot be signed the way the CA is configured to sign."""


@dataclass(frozen=True, slots=True)
class CertificateStatus:
    """What the responder says about one certificate."""

    # "GOOD", "REVOKED" or "UNKNOWN".
    status: str
    revoked_at: datetime | None = None
    # A RevocationReason name (see crl.REASONS) when revoked.
    reason: str | None = None


def parse_request(der: bytes) -> ocsp.OCSPRequest | None:
    """The single-certificate request RFC 5019 allows, or None if it is malformed."""
    try:
        return ocsp.load_der_ocsp_request(der)
    except ValueError:
        return None


def issuer_matches(request: ocsp.OCSPRequest, issuer: x509.Certificate) -> bool:
    """Whether the request's CertID names this issuer (its name and key hashes)."""
    algorithm = request.hash_algorithm
    name_hash = hashes.Hash(algorithm)
    name_hash.update(issuer.subject.public_bytes())
    # The key hash covers the subjectPublicKey BIT STRING's contents only.
    spki = issuer.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    key_hash = hashes.Hash(algorithm)
    key_hash.update(_subject_public_key(spki))
    return request.issuer_name_hash == name_hash.finalize() and request.issuer_key_hash == key_hash.finalize()


def _subject_public_key(spki: bytes) -> bytes:
    """The key bits of a SubjectPublicKeyInfo: skip the AlgorithmIdentifier and the unused-bits octet."""

    def header(at: int) -> tuple[int, int]:
        """(offset of the content, content length) of the TLV at ``at``."""
        length = spki[at + 1]
        if length < 0x80:
            return at + 2, length
        size = length & 0x7F
        return at + 2 + size, int.from_bytes(spki[at + 2 : at + 2 + size], "big")

    content, _ = header(0)
    algorithm_content, algorithm_length = header(content)
    bit_string_content, _ = header(algorithm_content + algorithm_length)
    return spki[bit_string_content + 1 :]


def build_response(
    request: ocsp.OCSPRequest,
    *,
    issuer: x509.Certificate,
    issuer_key: PrivateKey,
    signature: Signature,
    status: CertificateStatus,
    this_update: datetime,
    next_update: datetime,
) -> bytes:
    """A successful response for the request's certificate, signed by the CA, responder ID by key hash.

    Raises:
        UnsignableResponse: RSASSA-PSS, which pyca/cryptography's OCSP builder cannot sign with.
    """
    if signature.pss:
        raise UnsignableResponse("pyca/cryptography cannot sign OCSP responses with RSASSA-PSS")
    cert_status = {
        "GOOD": ocsp.OCSPCertStatus.GOOD,
        "REVOKED": ocsp.OCSPCertStatus.REVOKED,
        "UNKNOWN": ocsp.OCSPCertStatus.UNKNOWN,
    }[status.status]
    builder = ocsp.OCSPResponseBuilder().add_response_by_hash(
        issuer_name_hash=request.issuer_name_hash,
        issuer_key_hash=request.issuer_key_hash,
        serial_number=request.serial_number,
        algorithm=request.hash_algorithm,
        cert_status=cert_status,
        this_update=this_update,
        next_update=next_update,
        revocation_time=status.revoked_at,
        revocation_reason=None if status.reason is None else REASONS[status.reason],
    )
    builder = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, issuer)
    return builder.sign(issuer_key, signature.hash()).public_bytes(serialization.Encoding.DER)


def unsuccessful(status: ocsp.OCSPResponseStatus) -> bytes:
    """An unsigned error response (malformedRequest, unauthorized, ...)."""
    return ocsp.OCSPResponseBuilder.build_unsuccessful(status).public_bytes(serialization.Encoding.DER)
