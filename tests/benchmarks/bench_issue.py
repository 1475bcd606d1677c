"""IssueCertificate + GetCertificate: pca_mock against moto and against the floor.

What is measured: the wall time (``time.perf_counter``) of one IssueCertificate
call followed by the GetCertificate call that fetches the result, made through
an ordinary boto3 client on an active RSA_2048 root CA (SHA256WITHRSA) for an
EC P-256 CSR. The CSRs are generated before any timing and every contender
cycles through the same handful. Each timed run of N pairs is preceded by a few
warm-up pairs, so imports and first-call caches are paid outside the timing;
each contender gets five runs and its best (lowest) per-pair figure is
reported, as timeit does: on a shared virtual machine the slower runs measure
the neighbours, not the code (wall time is the headline; this process's CPU
time is shown beside it).

The contenders run in one process, never two mocks at once, interleaved round
by round (every contender's first run, then every contender's second run, ...)
so that a machine whose speed drifts - a shared CI box - slows all of them
alike instead of skewing one ratio:

* pca_mock - ``pca_mock.mock_acmpca()``; the root CA is created and activated
  through the API (GetCertificateAuthorityCsr, IssueCertificate with the
  RootCACertificate/V1 template, GetCertificate,
  ImportCertificateAuthorityCertificate) before timing, and the key pool is
  left to replace the key the CA took (see settle_key_pool).
* moto - the same workflow under ``moto.mock_aws()``.
* the floor - what any in-process emulator has to pay at least, in two parts:

  (a) botocore's own round trip: the same two client calls, answered by a
      trivial ``before-send.acm-pca`` handler that returns a canned response
      whose JSON body was serialised in advance. This is the cost of
      validating, serialising and SigV4-signing the request and parsing the
      response, with no emulation at all.
  (b) the cryptography an honest mock cannot skip: parse the CSR, build a leaf
      with the extensions AWS's EndEntityCertificate/V1 template gives
      (BasicConstraints, AKI, SKI, KeyUsage, EKU), sign it with an RSA-2048
      key and SHA-256, and encode it as PEM - once per pair. Checking the
      CSR's signature is left out: the floor is the least that is possible.

  The floor runs (a) with (b) inside its handler (the CSR taken from the
  request body): a before-send handler returning a canned response, plus the
  signing. That is what the target is set on. (a) and (b) are also timed apart
  and their sum shown as a lower bound: apart, each runs with warm caches,
  while any mock has to interleave them, which costs both (typically 20-35 %
  on this machine). Whatever pca_mock spends above the floor is emulation
  overhead (state, ARNs, validation, bookkeeping).

Targets: pca_mock at least 50x faster than moto, and at most 1.3x the floor.

The floor's requests are SigV4-signed by botocore, as every request is that a
before-send handler sees. pca_mock lets plain clients skip that signature when
nothing could observe it (see pca_mock/_fastpath.py), so it can come in under
the floor. Row (c), for reference, answers at before-call as botocore's Stubber
does: no HTTP request, no signature, no parsing, plus the same signing as (b).

Run it with ``nox -s bench`` or ``python tests/benchmarks/bench_issue.py
[--pairs N | --quick]``.
"""

from __future__ import annotations

import argparse
import base64
import json
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from importlib.metadata import version
from typing import Any

import boto3
import moto
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.exceptions import ClientError
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

import pca_mock

REGION = "us-east-1"
ROOT_TEMPLATE_ARN = "arn:aws:acm-pca:::template/RootCACertificate/V1"
SIGNING_ALGORITHM = "SHA256WITHRSA"
CA_CONFIGURATION: dict[str, Any] = {
    "KeyAlgorithm": "RSA_2048",
    "SigningAlgorithm": SIGNING_ALGORITHM,
    "Subject": {"Country": "US", "Organization": "Bench Corp", "CommonName": "Bench Root CA"},
}
LEAF_VALIDITY: dict[str, Any] = {"Type": "DAYS", "Value": 30}
DISTINCT_CSRS = 4
WARMUP_PAIRS = 5
REPEATS = 5
DEFAULT_PAIRS = 200
QUICK_PAIRS = 20
TARGET_VS_MOTO = 50.0
TARGET_VS_FLOOR = 1.3

PCA_MOCK = "pca_mock"
MOTO = "moto"
FLOOR_BOTOCORE = "(a) botocore + canned response"
FLOOR_CRYPTO = "(b) cryptography sign, RSA-2048"
FUSED = "floor: canned handler that signs"
UNSENT = "(c) before-call answer that signs"

# The floor's client carries credentials of its own, so it never looks at the environment.
FAKE_CREDENTIALS = {
    "aws_access_key_id": "AKIAFLOORBENCHMARK00",
    "aws_secret_access_key": "floor-benchmark-fake-secret",
    "aws_session_token": "floor-benchmark-fake-token",
}


# --- inputs -------------------------------------------------------------------------


def make_csrs(count: int) -> list[bytes]:
    """PEM CSRs for distinct EC P-256 keys, made once and shared by every contender."""
    csrs = []
    for index in range(count):
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"leaf{index}.bench.example.com")])
        csr = x509.CertificateSigningRequestBuilder().subject_name(subject).sign(key, hashes.SHA256())
        csrs.append(csr.public_bytes(serialization.Encoding.PEM))
    return csrs


# --- timing -------------------------------------------------------------------------

# One timed call: takes a CSR, returns the issued certificate's PEM.
Pair = Callable[[bytes], str]


@dataclass
class Session:
    """A contender made ready to time: its pair callable and anything worth reporting."""

    pair: Pair
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Run:
    """One timed loop, in milliseconds per pair."""

    wall_ms: float
    cpu_ms: float


def time_run(pair: Pair, csrs: Sequence[bytes], pairs: int) -> Run:
    """Warm up, time one loop of ``pairs`` calls, check the output.

    Wall time (perf_counter) is the figure a test suite feels. This process's
    CPU time is taken alongside: every contender is single-threaded and does no
    I/O, so it is the same work, but other processes competing for the CPU do
    not inflate it.
    """
    for index in range(WARMUP_PAIRS):
        pair(csrs[index % len(csrs)])
    wall, cpu = time.perf_counter(), time.process_time()
    for index in range(pairs):
        pair(csrs[index % len(csrs)])
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    check_leaf(pair(csrs[0]), csrs[0])
    return Run(wall * 1000 / pairs, cpu * 1000 / pairs)


def check_leaf(certificate_pem: str, csr_pem: bytes) -> None:
    """Guard against a contender that is fast because it returns the wrong thing."""
    certificate = x509.load_pem_x509_certificate(certificate_pem.encode())
    csr = x509.load_pem_x509_csr(csr_pem)
    if certificate.public_key() != csr.public_key():
        raise AssertionError("the issued certificate does not carry the CSR's public key")


# --- the workflow every emulator runs -----------------------------------------------


def create_active_root(client: Any, notes: list[str]) -> str:
    """Create a root CA and activate it with its own self-signed certificate; its ARN.

    A step the emulator does not support is noted rather than fatal, so the
    issuance timing can still be taken.
    """
    ca_arn: str = client.create_certificate_authority(
        CertificateAuthorityConfiguration=CA_CONFIGURATION, CertificateAuthorityType="ROOT"
    )["CertificateAuthorityArn"]
    try:
        ca_csr = client.get_certificate_authority_csr(CertificateAuthorityArn=ca_arn)["Csr"]
        root_arn = client.issue_certificate(
            CertificateAuthorityArn=ca_arn,
            Csr=ca_csr,
            SigningAlgorithm=SIGNING_ALGORITHM,
            TemplateArn=ROOT_TEMPLATE_ARN,
            Validity={"Type": "YEARS", "Value": 10},
        )["CertificateArn"]
        root_pem = client.get_certificate(CertificateAuthorityArn=ca_arn, CertificateArn=root_arn)["Certificate"]
        client.import_certificate_authority_certificate(CertificateAuthorityArn=ca_arn, Certificate=root_pem)
    except (ClientError, NotImplementedError) as error:
        notes.append(f"activation failed ({error}); issued on the CA as created")
    return ca_arn


def issue_and_get(client: Any, ca_arn: str, csr: bytes) -> str:
    """One timed pair: issue a leaf for ``csr`` and fetch its PEM."""
    certificate_arn = client.issue_certificate(
        CertificateAuthorityArn=ca_arn, Csr=csr, SigningAlgorithm=SIGNING_ALGORITHM, Validity=LEAF_VALIDITY
    )["CertificateArn"]
    certificate: str = client.get_certificate(CertificateAuthorityArn=ca_arn, CertificateArn=certificate_arn)[
        "Certificate"
    ]
    return certificate


def emulator_session() -> Session:
    """A fresh client (made inside the active mock) on a freshly activated root CA."""
    client = boto3.client("acm-pca", region_name=REGION)
    notes: list[str] = []
    ca_arn = create_active_root(client, notes)
    return Session(lambda csr: issue_and_get(client, ca_arn, csr), notes)


@contextmanager
def pca_mock_session() -> Iterator[Session]:
    with pca_mock.mock_acmpca():
        session = emulator_session()
        settle_key_pool()
        yield session


def settle_key_pool(size: int = 2048, timeout: float = 60.0) -> None:
    """Wait until the key pool has replaced the key the root CA took (part of creating a CA, not of issuing).

    Otherwise the first timed pairs would share the machine with an RSA key
    generation that a test suite issuing thousands of certificates pays once.
    """
    from pca_mock.x509.keypool import DEFAULT_DEPTH, POOL

    deadline = time.monotonic() + timeout
    while POOL.spares(size) < DEFAULT_DEPTH and time.monotonic() < deadline:
        time.sleep(0.01)


@contextmanager
def moto_session() -> Iterator[Session]:
    with moto.mock_aws():
        yield emulator_session()


# --- the floor ----------------------------------------------------------------------


class DirectSigner:
    """Floor (b): an RSA-2048 CA that signs leaves with cryptography and nothing else."""

    def __init__(self) -> None:
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Floor Root CA")])
        public_key = self._key.public_key()
        self._authority_key_identifier = x509.AuthorityKeyIdentifier.from_issuer_public_key(public_key)
        now = datetime.now(timezone.utc)
        self.ca_certificate = (
            x509.CertificateBuilder()
            .subject_name(self._name)
            .issuer_name(self._name)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(hours=1))
            .not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(self._key, hashes.SHA256())
        )

    def sign(self, csr_pem: bytes) -> str:
        """Parse the CSR and return a PEM leaf as EndEntityCertificate/V1 shapes it."""
        csr = x509.load_pem_x509_csr(csr_pem)
        public_key = csr.public_key()
        now = datetime.now(timezone.utc)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(csr.subject)
            .issuer_name(self._name)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(hours=1))
            .not_valid_after(now + timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(self._authority_key_identifier, critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=True,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]),
                critical=False,
            )
            .sign(self._key, hashes.SHA256())
        )
        return certificate.public_bytes(serialization.Encoding.PEM).decode()


class _Body:
    """Just enough of urllib3's response for AWSResponse.content to read a body."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> list[bytes]:
        return [self._body]


class CannedAcmPca:
    """Floor (a): answers IssueCertificate and GetCertificate with bodies serialised in advance."""

    def __init__(self, ca_arn: str, certificate_pem: str, chain_pem: str) -> None:
        self._bodies = {
            "IssueCertificate": json.dumps({"CertificateArn": f"{ca_arn}/certificate/{'0' * 32}"}).encode(),
            "GetCertificate": json.dumps({"Certificate": certificate_pem, "CertificateChain": chain_pem}).encode(),
        }

    def __call__(self, request: AWSPreparedRequest, event_name: str, **_: Any) -> AWSResponse:
        body = self._bodies[event_name.rsplit(".", 1)[-1]]
        # AWSResponse wraps plain dicts itself; the stubs ask for botocore's HTTPHeaders.
        headers: Any = {
            "x-amzn-RequestId": "00000000-0000-4000-8000-000000000000",
            "Content-Type": "application/x-amz-json-1.1",
            "Content-Length": str(len(body)),
        }
        raw: Any = _Body(body)  # the stubs ask for a urllib3 response; .stream() is all botocore reads
        return AWSResponse(request.url, 200, headers, raw)


class SigningCannedAcmPca(CannedAcmPca):
    """Reference only: floor (a) whose IssueCertificate also does floor (b) to the CSR it was sent.

    Not the floor the target uses. It shows what (a) and (b) cost when they
    share one loop, as they do inside any mock: interleaving botocore's Python
    with RSA signing runs both slower than each does alone, and the CSR has to
    be dug out of the request body.
    """

    def __init__(self, signer: DirectSigner, ca_arn: str, certificate_pem: str, chain_pem: str) -> None:
        super().__init__(ca_arn, certificate_pem, chain_pem)
        self._signer = signer

    def __call__(self, request: AWSPreparedRequest, event_name: str, **kwargs: Any) -> AWSResponse:
        if event_name.endswith(".IssueCertificate"):
            body: Any = request.body
            self._signer.sign(base64.b64decode(json.loads(body)["Csr"]))
        return super().__call__(request, event_name, **kwargs)


class UnsentAcmPca:
    """Reference only, (c): answers at before-call, as botocore's Stubber does, and signs like (b).

    botocore then builds no HTTP request, signs nothing and parses nothing:
    what is left is validating, serialising and the events around the call.
    pca_mock skips the SigV4 signature when nothing can observe it (see
    pca_mock/_fastpath.py), so it can come in under the floor; this row shows
    how close it is to a mock that skips the whole wire.
    """

    def __init__(self, signer: DirectSigner, ca_arn: str, certificate_pem: str, chain_pem: str) -> None:
        self._signer = signer
        self._parsed = {
            "IssueCertificate": {"CertificateArn": f"{ca_arn}/certificate/{'0' * 32}"},
            "GetCertificate": {"Certificate": certificate_pem, "CertificateChain": chain_pem},
        }

    def __call__(self, params: dict[str, Any], event_name: str, **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        operation = event_name.rsplit(".", 1)[-1]
        if operation == "IssueCertificate":
            self._signer.sign(base64.b64decode(json.loads(params["body"])["Csr"]))
        raw: Any = _Body(b"")
        headers: Any = {}
        metadata = {"RequestId": "00000000-0000-4000-8000-000000000000", "HTTPStatusCode": 200, "RetryAttempts": 0}
        return AWSResponse(params["url"], 200, headers, raw), {**self._parsed[operation], "ResponseMetadata": metadata}


@contextmanager
def unsent_floor_session(canned_csr: bytes) -> Iterator[Session]:
    """(c): the same client calls, answered by UnsentAcmPca."""
    signer = DirectSigner()
    ca_pem = signer.ca_certificate.public_bytes(serialization.Encoding.PEM).decode()
    ca_arn = f"arn:aws:acm-pca:{REGION}:123456789012:certificate-authority/{'0' * 8}-0000-4000-8000-{'0' * 12}"
    client = boto3.session.Session(region_name=REGION, **FAKE_CREDENTIALS).client("acm-pca")
    handler: Any = UnsentAcmPca(signer, ca_arn, signer.sign(canned_csr), ca_pem)
    client.meta.events.register_first("before-call.acm-pca", handler)
    yield Session(lambda csr: issue_and_get(client, ca_arn, csr))


@contextmanager
def botocore_floor_session(canned_csr: bytes, *, signing: bool = False) -> Iterator[Session]:
    """Floor (a): the same client calls, answered by CannedAcmPca (SigningCannedAcmPca if ``signing``).

    GetCertificate always answers with a leaf for ``canned_csr``.
    """
    signer = DirectSigner()
    ca_pem = signer.ca_certificate.public_bytes(serialization.Encoding.PEM).decode()
    leaf_pem = signer.sign(canned_csr)
    ca_arn = f"arn:aws:acm-pca:{REGION}:123456789012:certificate-authority/{'0' * 8}-0000-4000-8000-{'0' * 12}"
    client = boto3.session.Session(region_name=REGION, **FAKE_CREDENTIALS).client("acm-pca")
    # botocore's stubs type handlers as returning None; a before-send handler answers with a response.
    handler: Any = (
        SigningCannedAcmPca(signer, ca_arn, leaf_pem, ca_pem) if signing else CannedAcmPca(ca_arn, leaf_pem, ca_pem)
    )
    # First in line, so the inert handlers pca_mock and moto add at import never run for it.
    client.meta.events.register_first("before-send.acm-pca", handler)
    yield Session(lambda csr: issue_and_get(client, ca_arn, csr))


@contextmanager
def crypto_floor_session() -> Iterator[Session]:
    """Floor (b): cryptography alone signing one leaf per pair."""
    yield Session(DirectSigner().sign)


# --- report -------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(pairs: int, repeats: int, runs: Mapping[str, Sequence[Run]], notes: Mapping[str, Sequence[str]]) -> str:
    """The table: per-pair best runs, every run, and the two ratios against their targets."""
    wall = {name: min(run.wall_ms for run in values) for name, values in runs.items()}
    cpu = {name: min(run.cpu_ms for run in values) for name, values in runs.items()}
    wall_apart = wall[FLOOR_BOTOCORE] + wall[FLOOR_CRYPTO]
    cpu_apart = cpu[FLOOR_BOTOCORE] + cpu[FLOOR_CRYPTO]
    vs_moto, cpu_vs_moto = wall[MOTO] / wall[PCA_MOCK], cpu[MOTO] / cpu[PCA_MOCK]
    vs_floor, cpu_vs_floor = wall[PCA_MOCK] / wall[FUSED], cpu[PCA_MOCK] / cpu[FUSED]

    def row(name: str, wall_ms: float, cpu_ms: float, values: Sequence[Run] = ()) -> str:
        every = " ".join(f"{run.wall_ms:.3f}" for run in values)
        return f"{name:<38} {wall_ms:>9.3f} {cpu_ms:>9.3f}   {every}".rstrip()

    lines = [
        f"IssueCertificate + GetCertificate: {pairs} pairs per run, {repeats} run(s) per contender "
        f"(interleaved round by round, {WARMUP_PAIRS} warm-up pairs before each run)",
        f"RSA_2048 root CA, {SIGNING_ALGORITHM}, {DISTINCT_CSRS} EC P-256 CSRs cycled; "
        f"pca_mock {pca_mock.__version__}, moto {version('moto')}, boto3 {version('boto3')}, "
        f"cryptography {version('cryptography')}",
        "",
        f"{'ms per pair (best run)':<38} {'wall':>9} {'cpu':>9}   wall of every run",
        "-" * 90,
        *(
            row(name, wall[name], cpu[name], runs[name])
            for name in (PCA_MOCK, MOTO, FUSED, FLOOR_BOTOCORE, FLOOR_CRYPTO)
        ),
        row("(a) + (b) timed apart (lower bound)", wall_apart, cpu_apart),
        row(UNSENT, wall[UNSENT], cpu[UNSENT], runs[UNSENT]),
        "-" * 90,
        f"moto / pca_mock  = {vs_moto:6.1f}x (cpu {cpu_vs_moto:.1f}x)   pca_mock is {vs_moto:.1f}x faster than moto"
        f"   target >= {TARGET_VS_MOTO:g}x: {verdict(vs_moto >= TARGET_VS_MOTO)}",
        f"pca_mock / floor = {vs_floor:6.2f}x (cpu {cpu_vs_floor:.2f}x)"
        f"   target <= {TARGET_VS_FLOOR:g}x: {verdict(vs_floor <= TARGET_VS_FLOOR)}",
        f"pca_mock / ((a) + (b) apart) = {wall[PCA_MOCK] / wall_apart:.2f}x   not a target: "
        "against the lower bound, with botocore and the signing each on warm caches",
        f"pca_mock / (c) = {wall[PCA_MOCK] / wall[UNSENT]:.2f}x   not a target: against a mock that skips the wire "
        "(no HTTP request, no signature, no parsing)",
        "(targets are judged on wall time; a cpu ratio far from the wall ratio means the machine was busy)",
    ]
    lines += [f"note: {name}: {note}" for name in notes for note in notes[name]]
    if not notes[MOTO]:
        lines.append("note: moto ran the whole workflow (create, CA CSR, self-sign, get, import) with no adaptation")
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="pca_mock vs moto vs the floor on IssueCertificate+GetCertificate.")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--pairs", type=int, default=DEFAULT_PAIRS, help=f"pairs per timed run (default {DEFAULT_PAIRS})")
    size.add_argument("--quick", action="store_true", help=f"a smoke run: {QUICK_PAIRS} pairs per timed run")
    parser.add_argument("--repeats", type=int, default=REPEATS, help=f"timed runs per contender (default {REPEATS})")
    args = parser.parse_args(argv)
    if args.quick:
        args.pairs = QUICK_PAIRS
    if args.pairs < 1 or args.repeats < 1:
        parser.error("--pairs and --repeats must be positive")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    csrs = make_csrs(DISTINCT_CSRS)
    contenders: dict[str, Callable[[], AbstractContextManager[Session]]] = {
        PCA_MOCK: pca_mock_session,
        FLOOR_BOTOCORE: lambda: botocore_floor_session(csrs[0]),
        FLOOR_CRYPTO: crypto_floor_session,
        FUSED: lambda: botocore_floor_session(csrs[0], signing=True),
        UNSENT: lambda: unsent_floor_session(csrs[0]),
        MOTO: moto_session,
    }
    runs: dict[str, list[Run]] = {name: [] for name in contenders}
    notes: dict[str, list[str]] = {name: [] for name in contenders}
    # Round by round rather than contender by contender: on a shared machine the
    # speed drifts, and a drift should hit every contender alike, not just one.
    for _ in range(args.repeats):
        for name, open_session in contenders.items():
            with open_session() as session:
                runs[name].append(time_run(session.pair, csrs, args.pairs))
                notes[name] += [note for note in session.notes if note not in notes[name]]
    print(report(args.pairs, args.repeats, runs, notes))


if __name__ == "__main__":
    main()
