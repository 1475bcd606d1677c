"""Building certificates and CSRs: the signing half of the x509 layer.

RSA signing is the one slow step of IssueCertificate (about a millisecond for
RSA-2048, several for RSA-4096). cryptography releases the GIL while it signs,
so certificates issued by RSA keys are signed on a background thread: the
request returns its ARN while the signature is computed, and the caller's
next request (typically GetCertificate) waits for it only if it is not done
yet. Anything that could make signing fail is found first by encoding the
same certificate under a throwaway Ed25519 key, so every error is still
raised by IssueCertificate itself, as before.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from pca_mock.x509.keys import PrivateKey, Signature


def key_identifier(public_key: Any) -> bytes:
    """RFC 5280 method 1 key identifier (SHA-1 of the subjectPublicKey)."""
    return x509.SubjectKeyIdentifier.from_public_key(public_key).digest


def subject_key_identifier_of(certificate: x509.Certificate) -> bytes:
    """A CA certificate's SKI, or the one RFC 5280 method 1 gives when it has none."""
    try:
        return certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    except x509.ExtensionNotFound:
        return key_identifier(certificate.public_key())


@dataclass(frozen=True, slots=True)
class CertificateRequest:
    """Everything a certificate needs, decided by the service layer."""

    subject: x509.Name
    public_key: Any
    issuer: x509.Name
    issuer_key: PrivateKey
    serial: int
    not_before: datetime
    not_after: datetime
    signature: Signature
    # In the order they are written (see extensions.compose).
    extensions: Sequence[x509.Extension[Any]]


@dataclass(frozen=True, slots=True)
class BuiltCertificate:
    """A certificate as issued: its validity as encoded, and its PEM (or the signing still under way)."""

    not_before: datetime
    not_after: datetime
    pem: str | Future[str]


# Signs nothing anyone sees: it only proves a certificate encodes before the
# real signature is left to the background.
_DRY_RUN_KEY = ed25519.Ed25519PrivateKey.generate()


class _Job:
    __slots__ = ("builder", "future", "key", "signature", "started")

    def __init__(self, builder: x509.CertificateBuilder, key: rsa.RSAPrivateKey, signature: Signature) -> None:
        self.builder, self.key, self.signature = builder, key, signature
        self.started = threading.Event()
        self.future: Future[str] = Future()


class _Signer:
    """One background thread for RSA signatures, restarted after a fork (threads do not survive one).

    The hand-over is explicit: submit() waits until the worker has picked the
    job up. Without that, the worker would need the GIL to start while the
    caller, busy in botocore's Python, holds it for up to the switch interval
    (5 ms), and the signature would only begin once the caller waits for it.
    After the hand-over the caller gets the GIL back as soon as the worker is
    inside the RSA operation, which runs without the GIL.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: queue.SimpleQueue[_Job] | None = None
        self._pid = 0

    def submit(self, builder: x509.CertificateBuilder, key: rsa.RSAPrivateKey, signature: Signature) -> Future[str]:
        job = _Job(builder, key, signature)
        with self._lock:
            if self._jobs is None or self._pid != os.getpid():
                self._jobs, self._pid = queue.SimpleQueue(), os.getpid()
                threading.Thread(target=_sign_jobs, args=(self._jobs,), name="pca_mock-signer", daemon=True).start()
            self._jobs.put(job)
        job.started.wait()
        return job.future

    def _after_fork_in_child(self) -> None:
        self._lock = threading.Lock()
        self._jobs = None


def _sign_jobs(jobs: queue.SimpleQueue[_Job]) -> None:
    while True:
        job = jobs.get()
        job.started.set()
        try:
            certificate = job.builder.sign(job.key, job.signature.hash(), rsa_padding=job.signature.rsa_padding())
            job.future.set_result(certificate.public_bytes(serialization.Encoding.PEM).decode("ascii"))
        except BaseException as error:  # handed to whoever reads the certificate
            job.future.set_exception(error)


_SIGNER = _Signer()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_SIGNER._after_fork_in_child)
# With one CPU there is nothing to overlap the signature with.
_BACKGROUND = len(os.sched_getaffinity(0)) > 1 if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1) > 1


def issue_certificate(request: CertificateRequest) -> BuiltCertificate:
    """Sign a certificate: RSA in the background (see the module docstring), other keys at once."""
    builder = _certificate_builder(request)
    if _BACKGROUND and isinstance(request.issuer_key, rsa.RSAPrivateKey):
        encoded = builder.sign(_DRY_RUN_KEY, None)
        return BuiltCertificate(
            not_before=encoded.not_valid_before_utc,
            not_after=encoded.not_valid_after_utc,
            pem=_SIGNER.submit(builder, request.issuer_key, request.signature),
        )
    signature = request.signature
    certificate = builder.sign(request.issuer_key, signature.hash(), rsa_padding=signature.rsa_padding())
    return BuiltCertificate(
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        pem=certificate.public_bytes(serialization.Encoding.PEM).decode("ascii"),
    )


def _certificate_builder(request: CertificateRequest) -> x509.CertificateBuilder:
    builder = (
        x509.CertificateBuilder()
        .subject_name(request.subject)
        .issuer_name(request.issuer)
        .public_key(request.public_key)
        .serial_number(request.serial)
        .not_valid_before(request.not_before)
        .not_valid_after(request.not_after)
    )
    for extension in request.extensions:
        builder = builder.add_extension(extension.value, extension.critical)
    return builder


def build_ca_csr(
    private_key: PrivateKey,
    subject: x509.Name,
    signature: Signature,
    *,
    key_usage_extension: x509.KeyUsage | None = None,
    subject_information_access: Sequence[x509.AccessDescription] | None = None,
) -> x509.CertificateSigningRequest:
    """The CSR of a new CA: its subject and key, requesting a critical CA:TRUE."""
    builder = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(subject)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
    )
    if key_usage_extension is not None:
        builder = builder.add_extension(key_usage_extension, critical=True)
    if subject_information_access:
        builder = builder.add_extension(x509.SubjectInformationAccess(list(subject_information_access)), critical=False)
    return builder.sign(private_key, signature.hash(), rsa_padding=signature.rsa_padding())


def pem(obj: x509.Certificate | x509.CertificateSigningRequest) -> str:
    return obj.public_bytes(serialization.Encoding.PEM).decode("ascii")
