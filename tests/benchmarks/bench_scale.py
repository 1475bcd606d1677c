"""Scale: 100,000 certificates in one CA, a 100,000-entry CRL, list pages, memory per certificate.

Issue 6 item 6 asks for: flat per-call cost up to 100,000 certificates in one
CA (the last thousand calls no slower than 1.2x the first thousand); a CRL with
100,000 revoked entries generated in at most 2 s; list operations whose cost
is O(page), not O(total); at most 4 KiB of memory per stored certificate,
measured with tracemalloc. What is measured, and how:

1. Issuance (one CA, ``--certificates`` of them, 100,000 by default). The CA is
   an EC P-256 root (EC_prime256v1, SHA256WITHECDSA) with a COMPLETE CRL
   enabled: ECDSA P-256 signs in tens of microseconds where RSA-2048 takes about
   a millisecond, so 100,000 leaves stay tractable and what is timed is the
   mock's bookkeeping rather than RSA arithmetic (which is flat per call
   anyway). Four EC P-256 CSRs made before any timing are cycled. The first
   1,000 and the last 1,000 IssueCertificate + GetCertificate pairs go through
   an ordinary boto3 client under ``pca_mock.mock_acmpca()`` and each pair is
   timed (``time.perf_counter``; this process's CPU time is shown beside it).
   The certificates in between are issued through the same backend path the
   interceptor dispatches to (``pca_mock.service.operations.dispatch``: the
   same handlers, lock and state, minus botocore's serialisation and
   pca_mock's request decoding), because 98,000 more boto3 round trips would
   add minutes and measure botocore. The last thousand are timed in rounds of
   100 alternating with the first thousand pairs of a second, fresh CA of the
   same kind (made at the start), so the two runs share the moment, the heap
   and the machine's load. Two ratios of mean wall time per pair are judged
   against the target (<= 1.2x): last thousand / first thousand of the big CA
   (sequential, minutes apart: whatever the shared machine did meanwhile is
   in it), and last thousand / the fresh CA's first thousand (interleaved:
   the cost of a call in a CA holding 99,000 certificates against one holding
   none, with the drift cancelled).
2. Revocation of every certificate of both CAs (reason cycled through the
   eight RevocationReasons): the first 1,000 RevokeCertificate calls on the big
   CA through boto3, timed per call; the rest but the last 1,000 through the
   backend path; the last 1,000 through boto3, interleaved in rounds of 100
   with the fresh CA's 1,000. Same two ratios, same target. Then the CRL: the
   wall time of ``mock.fetch(<the certificates' CDP URL>)``, the first read of
   the big CA's CRL since the revocations, so it generates and publishes the
   CRL with every entry (target <= 2 s). The CRL returned is then parsed with
   cryptography (outside the timing): entry count and signature are checked.
3. Audit report: CreateCertificateAuthorityAuditReport (JSON) through boto3 on
   the fresh CA (1,000-odd rows) and on the big CA, back to back, twice (the
   service clock is moved on 31 minutes before each, past AWS's one-report-
   per-30-minutes rule, with ``pca_mock.service.context.advance_clock``); the
   faster of each pair is kept. The issue sets no target for it; the figure
   judged is the cost per row in the big CA against the cost per row in the
   fresh one (<= 1.2x: linear in the rows).
4. List pages, each the best of five runs of ``--page-calls`` calls through
   boto3 (timeit style: on a shared machine the slower runs measure the
   neighbours): ListCertificateAuthorities pages of 10 in a region holding 20
   CAs and in one holding ``--cas`` (5,000 by default) EC P-256 CAs - the first
   page and the last page (reached by walking every page, which also checks
   the creation order). AWS's quota of 200 CAs per region is lifted for the
   duration (``pca_mock.service.authorities.CA_QUOTA``) and the CAs are
   created through the backend path. ListPermissions pages of 10 on a CA with
   20 and with ``--cas`` permissions (distinct SourceAccounts, created through
   the backend path); ListTags pages of 1 on a CA with 2 and with 50 tags
   (AWS's maximum). The small totals make two pages, so that on both sides the
   first page hands out a NextToken and the last page reads one back. Target
   for each: per-page time with the large total <= 1.2x with the small one.
5. Memory: a fresh mock and CA, ``--memory-certificates`` (10,000 by default)
   leaves issued through the backend path with tracemalloc tracing, after a
   warm-up of 50 and a ``gc.collect()`` on both sides: (traced memory after -
   before) / N, for an EC P-256 CA and (a fifth as many leaves) an RSA-2048
   CA. Everything the mock keeps counts - the certificate record, the
   certificate table's entry, CRL bookkeeping, caches; the benchmark keeps
   nothing. Target: <= 4 KiB per certificate.

``--quick`` runs everything at a tenth of the size (10,000 certificates,
1,000 CAs and permissions, 2,000 certificates for the memory figure) as a smoke
test; the targets are judged the same way but are meant for the full run.

Run it with ``python tests/benchmarks/bench_scale.py [--quick]``.
"""

from __future__ import annotations

import argparse
import functools
import gc
import itertools
import json
import statistics
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

import boto3
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

import pca_mock
from pca_mock._protocol import service_model
from pca_mock.service import authorities
from pca_mock.service.context import advance_clock
from pca_mock.service.operations import dispatch

REGION = "us-east-1"
BUCKET = "pca-mock-bench-scale"
ROOT_TEMPLATE_ARN = "arn:aws:acm-pca:::template/RootCACertificate/V1"
EC_CONFIGURATION: dict[str, Any] = {
    "KeyAlgorithm": "EC_prime256v1",
    "SigningAlgorithm": "SHA256WITHECDSA",
    "Subject": {"Country": "US", "Organization": "Bench Corp", "CommonName": "Bench Scale CA"},
}
RSA_CONFIGURATION: dict[str, Any] = {
    **EC_CONFIGURATION,
    "KeyAlgorithm": "RSA_2048",
    "SigningAlgorithm": "SHA256WITHRSA",
}
REVOCATION: dict[str, Any] = {
    "CrlConfiguration": {"Enabled": True, "S3BucketName": BUCKET},
    "OcspConfiguration": {"Enabled": False},
}
LEAF_VALIDITY: dict[str, Any] = {"Type": "DAYS", "Value": 30}
# Every reason the service model knows, cycled through by the revocations.
REASONS: tuple[str, ...] = tuple(service_model().shape_for("RevocationReason").enum)  # type: ignore[attr-defined]
ACM_PRINCIPAL = "acm.amazonaws.com"
DISTINCT_CSRS = 4
BLOCK = 1000
ROUND = 100
WARMUP = 20
REPEATS = 5
MAX_TAGS = 50

FLAT = 1.2
CRL_SECONDS = 2.0
MEMORY_BYTES = 4096

# 500 calls per list run: a run of 100 lasted 40 ms, short enough for the machine's noise to decide the ratio.
FULL = {"certificates": 100_000, "cas": 5_000, "memory_certificates": 10_000, "page_calls": 500}
QUICK = {"certificates": 10_000, "cas": 1_000, "memory_certificates": 2_000, "page_calls": 30}


# --- results ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One line of the table: what, how much, against which target."""

    name: str
    value: str
    target: str
    ok: bool | None = None

    def row(self) -> str:
        verdict = "" if self.ok is None else ("met" if self.ok else "MISSED")
        return f"{self.name:<92} {self.value:>22}   {self.target:<9} {verdict}".rstrip()


@dataclass(frozen=True)
class Block:
    """A run of timed calls: per-call wall times (ms) and the run's CPU time per call (ms)."""

    wall_ms: list[float]
    cpu_ms: float

    @property
    def mean(self) -> float:
        return statistics.fmean(self.wall_ms)

    @property
    def median(self) -> float:
        return statistics.median(self.wall_ms)


def time_block(call: Callable[[int], object], indexes: Sequence[int]) -> Block:
    """Call ``call(i)`` for each index, timing each call."""
    walls = []
    cpu = time.process_time()
    for index in indexes:
        start = time.perf_counter()
        call(index)
        walls.append((time.perf_counter() - start) * 1000)
    return Block(walls, (time.process_time() - cpu) * 1000 / len(indexes))


def interleaved(
    one: tuple[Callable[[int], object], Sequence[int]], other: tuple[Callable[[int], object], Sequence[int]]
) -> tuple[Block, Block]:
    """Time two runs of calls in alternating rounds of ROUND, so that machine drift hits both alike."""
    walls: tuple[list[float], list[float]] = ([], [])
    cpu = [0.0, 0.0]
    for start in range(0, max(len(one[1]), len(other[1])), ROUND):
        for side, (call, indexes) in enumerate((one, other)):
            chunk = indexes[start : start + ROUND]
            if chunk:
                block = time_block(call, chunk)
                walls[side].extend(block.wall_ms)
                cpu[side] += block.cpu_ms * len(chunk)
    return Block(walls[0], cpu[0] / len(one[1])), Block(walls[1], cpu[1] / len(other[1]))


def ratio_figures(name: str, first: Block, last: Block, fresh: Block) -> list[Figure]:
    """The three blocks, and last / first both ways: sequential (drift included) and interleaved."""
    figures = [
        Figure(f"{name}: first 1000 in the CA, ms/call (mean, median, cpu)", _triple(first), ""),
        Figure(f"{name}: last 1000 in the CA, ms/call (mean, median, cpu)", _triple(last), ""),
        Figure(f"{name}: first 1000 in a fresh CA, interleaved with those, ms/call", _triple(fresh), ""),
    ]
    for how, base in (("sequential: last / first", first), ("interleaved: last / fresh CA's first", fresh)):
        ratio = last.mean / base.mean
        figures.append(
            Figure(
                f"{name}: {how} (mean wall; median {last.median / base.median:.2f}x, cpu {last.cpu_ms / base.cpu_ms:.2f}x)",
                f"{ratio:.2f}x",
                f"<= {FLAT}x",
                ratio <= FLAT,
            )
        )
    return figures


def _triple(block: Block) -> str:
    return f"{block.mean:.3f} {block.median:.3f} {block.cpu_ms:.3f}"


# --- the mock, through boto3 and through the backend path ----------------------------------


def make_csrs(count: int) -> list[bytes]:
    """PEM CSRs for distinct EC P-256 keys."""
    csrs = []
    for index in range(count):
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"leaf{index}.scale.example.com")])
        csr = x509.CertificateSigningRequestBuilder().subject_name(subject).sign(key, hashes.SHA256())
        csrs.append(csr.public_bytes(serialization.Encoding.PEM))
    return csrs


class Backend:
    """The handlers the interceptor dispatches to, called directly for one account in REGION."""

    def __init__(self, account: str) -> None:
        self.account = account

    def __call__(self, operation: str, **params: Any) -> dict[str, Any]:
        return dispatch(operation, params, account=self.account, region=REGION)


def account_of(arn: str) -> str:
    return arn.split(":")[4]


def active_root(client: Any, configuration: dict[str, Any]) -> str:
    """A root CA with CRLs enabled, activated with its own certificate through the API."""
    ca_arn: str = client.create_certificate_authority(
        CertificateAuthorityConfiguration=configuration,
        CertificateAuthorityType="ROOT",
        RevocationConfiguration=REVOCATION,
    )["CertificateAuthorityArn"]
    csr = client.get_certificate_authority_csr(CertificateAuthorityArn=ca_arn)["Csr"]
    root_arn = client.issue_certificate(
        CertificateAuthorityArn=ca_arn,
        Csr=csr,
        SigningAlgorithm=configuration["SigningAlgorithm"],
        TemplateArn=ROOT_TEMPLATE_ARN,
        Validity={"Type": "YEARS", "Value": 10},
    )["CertificateArn"]
    root = client.get_certificate(CertificateAuthorityArn=ca_arn, CertificateArn=root_arn)["Certificate"]
    client.import_certificate_authority_certificate(CertificateAuthorityArn=ca_arn, Certificate=root)
    return ca_arn


@contextmanager
def ca_quota_lifted() -> Iterator[None]:
    saved = authorities.CA_QUOTA
    authorities.CA_QUOTA = 10**9
    try:
        yield
    finally:
        authorities.CA_QUOTA = saved


# --- 1-3: issuance, revocation, CRL, audit report in one CA --------------------------------


def certificates_section(total: int, csrs: Sequence[bytes]) -> list[Figure]:
    figures: list[Figure] = []
    signing = EC_CONFIGURATION["SigningAlgorithm"]
    with pca_mock.mock_acmpca() as mock:
        client = boto3.client("acm-pca", region_name=REGION)
        ca_arn = active_root(client, EC_CONFIGURATION)
        fresh_arn = active_root(client, EC_CONFIGURATION)
        backend = Backend(account_of(ca_arn))
        arns: dict[str, list[str]] = {ca_arn: [], fresh_arn: []}

        def pairs_on(ca: str) -> Callable[[int], None]:
            def pair(index: int) -> None:
                arn = client.issue_certificate(
                    CertificateAuthorityArn=ca, Csr=csrs[index % len(csrs)], SigningAlgorithm=signing,
                    Validity=LEAF_VALIDITY,
                )["CertificateArn"]  # fmt: skip
                client.get_certificate(CertificateAuthorityArn=ca, CertificateArn=arn)
                arns[ca].append(arn)

            return pair

        for index in range(WARMUP):
            pairs_on(ca_arn)(index)
        first = time_block(pairs_on(ca_arn), range(BLOCK))
        fill_start = time.perf_counter()
        for index in range(total - 2 * BLOCK):
            arns[ca_arn].append(
                backend(
                    "IssueCertificate", CertificateAuthorityArn=ca_arn, Csr=csrs[index % len(csrs)],
                    SigningAlgorithm=signing, Validity=LEAF_VALIDITY,
                )["CertificateArn"]
            )  # fmt: skip
        fill = time.perf_counter() - fill_start
        last, fresh = interleaved((pairs_on(ca_arn), range(BLOCK)), (pairs_on(fresh_arn), range(BLOCK)))
        figures += ratio_figures(f"IssueCertificate+GetCertificate, {total:,} in one CA", first, last, fresh)
        figures.append(
            Figure(
                f"  (the {total - 2 * BLOCK:,} in between, backend path, ms/cert)",
                f"{fill * 1000 / (total - 2 * BLOCK):.3f}",
                "",
            )
        )

        serials = {ca: [arn.rsplit("/", 1)[1] for arn in issued] for ca, issued in arns.items()}

        def revocations_on(ca: str) -> Callable[[int], None]:
            def revoke(index: int) -> None:
                client.revoke_certificate(
                    CertificateAuthorityArn=ca, CertificateSerial=serials[ca][index],
                    RevocationReason=REASONS[index % len(REASONS)],
                )  # fmt: skip

            return revoke

        revoked = len(serials[ca_arn])
        first_revoke = time_block(revocations_on(ca_arn), range(BLOCK))
        fill_start = time.perf_counter()
        for index in range(BLOCK, revoked - BLOCK):
            backend(
                "RevokeCertificate", CertificateAuthorityArn=ca_arn, CertificateSerial=serials[ca_arn][index],
                RevocationReason=REASONS[index % len(REASONS)],
            )  # fmt: skip
        fill = time.perf_counter() - fill_start
        last_revoke, fresh_revoke = interleaved(
            (revocations_on(ca_arn), range(revoked - BLOCK, revoked)), (revocations_on(fresh_arn), range(BLOCK))
        )
        figures += ratio_figures(f"RevokeCertificate, {revoked:,} in one CA", first_revoke, last_revoke, fresh_revoke)
        figures.append(
            Figure(
                f"  (the {revoked - 2 * BLOCK:,} in between, backend path, ms/revocation)",
                f"{fill * 1000 / (revoked - 2 * BLOCK):.3f}",
                "",
            )
        )

        leaf = x509.load_pem_x509_certificate(
            client.get_certificate(CertificateAuthorityArn=ca_arn, CertificateArn=arns[ca_arn][0])[
                "Certificate"
            ].encode()
        )
        points = leaf.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
        full_name = points[0].full_name
        assert full_name is not None
        url = full_name[0].value
        start = time.perf_counter()
        der = mock.fetch(url)
        generation = time.perf_counter() - start
        crl = x509.load_der_x509_crl(der)
        ca_certificate = x509.load_pem_x509_certificate(
            client.get_certificate_authority_certificate(CertificateAuthorityArn=ca_arn)["Certificate"].encode()
        )
        entries = len(crl)
        public_key: Any = ca_certificate.public_key()
        valid = crl.is_signature_valid(public_key) and entries == revoked
        figures.append(
            Figure(
                f"CRL with {entries:,} revoked entries: generation, s (mock.fetch of the CDP)",
                f"{generation:.3f}",
                f"<= {CRL_SECONDS:g} s",
                generation <= CRL_SECONDS and valid,
            )
        )
        figures.append(Figure(f"  (CRL size {len(der):,} bytes; entries and signature check out: {valid})", "", ""))
        start = time.perf_counter()
        mock.fetch(url)
        figures.append(
            Figure("  (a second fetch, nothing new to publish, s)", f"{time.perf_counter() - start:.4f}", "")
        )

        # The fresh CA's report and the large one back to back, twice; the best of each.
        audits: dict[str, list[tuple[int, float]]] = {fresh_arn: [], ca_arn: []}
        for _ in range(2):
            for ca in audits:
                advance_clock(31 * 60)
                audits[ca].append(_audit(mock, client, ca))
        small_rows, small_seconds = min(audits[fresh_arn], key=lambda result: result[1])
        large_rows, large_seconds = min(audits[ca_arn], key=lambda result: result[1])
        per_row_small = small_seconds * 1e6 / small_rows
        per_row_large = large_seconds * 1e6 / large_rows
        figures += [
            Figure(
                f"Audit report (JSON), {small_rows:,} rows: s, us/row", f"{small_seconds:.3f} {per_row_small:.1f}", ""
            ),
            Figure(
                f"Audit report (JSON), {large_rows:,} rows: s, us/row", f"{large_seconds:.3f} {per_row_large:.1f}", ""
            ),
            Figure(
                "Audit report: us/row in the large CA / us/row in the fresh CA",
                f"{per_row_large / per_row_small:.2f}x",
                f"<= {FLAT}x",
                per_row_large / per_row_small <= FLAT,
            ),
        ]
    return figures


def _audit(mock: pca_mock.AcmPcaMock, client: Any, ca_arn: str) -> tuple[int, float]:
    """Create a JSON audit report through boto3: its rows and the call's wall time."""
    start = time.perf_counter()
    key = client.create_certificate_authority_audit_report(
        CertificateAuthorityArn=ca_arn, S3BucketName=BUCKET, AuditReportResponseFormat="JSON"
    )["S3Key"]
    seconds = time.perf_counter() - start
    rows = len(json.loads(mock.objects.get(BUCKET, key)))
    return rows, seconds


# --- 4: list pages ---------------------------------------------------------------------------

# CAs to list in two regions; the CAs with permissions and tags in a third.
SMALL_REGION, LARGE_REGION, OTHER_REGION = REGION, "us-west-2", "eu-west-1"


def walk(call: Callable[..., dict[str, Any]], member: str, **kwargs: Any) -> tuple[list[Any], dict[str, str]]:
    """Every item of a paginated list call, and the arguments that fetch its last page."""
    items: list[Any] = []
    last: dict[str, str] = {}
    while True:
        page = call(**kwargs, **last)
        items += page[member]
        if "NextToken" not in page:
            return items, last
        last = {"NextToken": page["NextToken"]}


@dataclass
class ListCase:
    """One list operation on a small and a large collection: a page call for each, first and last page."""

    name: str
    small: int
    large: int
    calls: dict[str, Callable[[], object]]


def list_cases(total: int) -> list[ListCase]:
    """Fill the active mock: CAs in two regions, permissions and tags on two CAs each."""
    clients = {
        region: boto3.client("acm-pca", region_name=region) for region in (SMALL_REGION, LARGE_REGION, OTHER_REGION)
    }
    account = account_of(
        clients[SMALL_REGION].create_certificate_authority(
            CertificateAuthorityConfiguration=EC_CONFIGURATION, CertificateAuthorityType="ROOT"
        )["CertificateAuthorityArn"]
    )
    # Two pages in the small cases too, so both sides hand out and read back a NextToken.
    small_cas = 20
    created: dict[str, list[str]] = {SMALL_REGION: [], LARGE_REGION: []}
    for region, count in ((SMALL_REGION, small_cas - 1), (LARGE_REGION, total)):
        for _ in range(count):
            arn = dispatch(
                "CreateCertificateAuthority",
                {"CertificateAuthorityConfiguration": EC_CONFIGURATION, "CertificateAuthorityType": "ROOT"},
                account=account,
                region=region,
            )["CertificateAuthorityArn"]
            created[region].append(arn)
    client = clients[SMALL_REGION]
    first_small = client.list_certificate_authorities()["CertificateAuthorities"][0]["Arn"]
    created[SMALL_REGION].insert(0, first_small)
    ca_calls: dict[str, Callable[[], object]] = {}
    for label, region in (("small", SMALL_REGION), ("large", LARGE_REGION)):
        listed, last = walk(clients[region].list_certificate_authorities, "CertificateAuthorities", MaxResults=10)
        if [ca["Arn"] for ca in listed] != created[region]:
            raise AssertionError(f"ListCertificateAuthorities did not list the CAs of {region} in creation order")
        ca_calls[f"{label} first"] = functools.partial(clients[region].list_certificate_authorities, MaxResults=10)
        ca_calls[f"{label} last"] = functools.partial(
            clients[region].list_certificate_authorities, MaxResults=10, **last
        )

    client = clients[OTHER_REGION]
    permission_calls: dict[str, Callable[[], object]] = {}
    tag_calls: dict[str, Callable[[], object]] = {}
    for label, permissions, tags in (("small", 20, 2), ("large", total, MAX_TAGS)):
        ca_arn = client.create_certificate_authority(
            CertificateAuthorityConfiguration=EC_CONFIGURATION,
            CertificateAuthorityType="ROOT",
            Tags=[{"Key": f"key-{index}", "Value": f"value-{index}"} for index in range(tags)],
        )["CertificateAuthorityArn"]
        for index in range(permissions):
            dispatch(
                "CreatePermission",
                {
                    "CertificateAuthorityArn": ca_arn, "Principal": ACM_PRINCIPAL,
                    "SourceAccount": f"{100000000000 + index}", "Actions": ["IssueCertificate", "GetCertificate"],
                },
                account=account,
                region=OTHER_REGION,
            )  # fmt: skip
        listed, last = walk(client.list_permissions, "Permissions", CertificateAuthorityArn=ca_arn, MaxResults=10)
        if len(listed) != permissions:
            raise AssertionError(f"ListPermissions listed {len(listed)} of {permissions} permissions")
        permission_calls[f"{label} first"] = functools.partial(
            client.list_permissions, CertificateAuthorityArn=ca_arn, MaxResults=10
        )
        permission_calls[f"{label} last"] = functools.partial(
            client.list_permissions, CertificateAuthorityArn=ca_arn, MaxResults=10, **last
        )
        listed, last = walk(client.list_tags, "Tags", CertificateAuthorityArn=ca_arn, MaxResults=1)
        if len(listed) != tags:
            raise AssertionError(f"ListTags listed {len(listed)} of {tags} tags")
        tag_calls[f"{label} first"] = functools.partial(client.list_tags, CertificateAuthorityArn=ca_arn, MaxResults=1)
        tag_calls[f"{label} last"] = functools.partial(
            client.list_tags, CertificateAuthorityArn=ca_arn, MaxResults=1, **last
        )
    return [
        ListCase("ListCertificateAuthorities, page of 10", small_cas, total, ca_calls),
        ListCase("ListPermissions, page of 10", 20, total, permission_calls),
        ListCase("ListTags, page of 1", 2, MAX_TAGS, tag_calls),
    ]


def lists_section(total: int, calls: int) -> list[Figure]:
    """Per-page times, small against large; every call timed round by round so drift hits all alike."""
    with pca_mock.mock_acmpca(), ca_quota_lifted():
        cases = list_cases(total)
        best: dict[tuple[str, str], float] = {}
        for _ in range(REPEATS):
            for case in cases:
                for label, call in case.calls.items():
                    call()
                    start = time.perf_counter()
                    for _ in range(calls):
                        call()
                    elapsed = (time.perf_counter() - start) * 1000 / calls
                    best[case.name, label] = min(best.get((case.name, label), float("inf")), elapsed)
    figures = []
    for case in cases:
        small = [best[case.name, "small first"], best[case.name, "small last"]]
        large = [best[case.name, "large first"], best[case.name, "large last"]]
        ratio = max(large) / max(small)
        figures += [
            Figure(f"{case.name}: {case.small:,} in all, ms (first page, last page)", _pair(small), ""),
            Figure(f"{case.name}: {case.large:,} in all, ms (first page, last page)", _pair(large), ""),
            Figure(
                f"{case.name}: slower page at {case.large:,} / slower page at {case.small:,}",
                f"{ratio:.2f}x",
                f"<= {FLAT}x",
                ratio <= FLAT,
            ),
        ]
    return figures


def _pair(values: Sequence[float]) -> str:
    return " ".join(f"{value:.3f}" for value in values)


# --- 5: memory -----------------------------------------------------------------------------


def memory_per_certificate(configuration: dict[str, Any], count: int, csrs: Sequence[bytes]) -> float:
    """Bytes tracemalloc sees the mock keep per certificate issued."""
    signing = configuration["SigningAlgorithm"]
    with pca_mock.mock_acmpca():
        client = boto3.client("acm-pca", region_name=REGION)
        ca_arn = active_root(client, configuration)
        backend = Backend(account_of(ca_arn))

        def issue(index: int) -> None:
            backend(
                "IssueCertificate", CertificateAuthorityArn=ca_arn, Csr=csrs[index % len(csrs)],
                SigningAlgorithm=signing, Validity=LEAF_VALIDITY,
            )  # fmt: skip

        for index in range(50):
            issue(index)
        gc.collect()
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            for index in range(count):
                issue(index)
            gc.collect()
            after = tracemalloc.get_traced_memory()[0]
        finally:
            tracemalloc.stop()
    return (after - before) / count


def memory_section(count: int, csrs: Sequence[bytes]) -> list[Figure]:
    figures = []
    for name, configuration, n in (
        ("EC P-256 CA", EC_CONFIGURATION, count),
        ("RSA-2048 CA", RSA_CONFIGURATION, max(count // 5, 100)),
    ):
        per = memory_per_certificate(configuration, n, csrs)
        figures.append(
            Figure(
                f"Memory per stored certificate, {name}, {n:,} issued (bytes)",
                f"{per:,.0f}",
                f"<= {MEMORY_BYTES:,}",
                per <= MEMORY_BYTES,
            )
        )
    return figures


# --- main ----------------------------------------------------------------------------------

SECTIONS = ("certificates", "lists", "memory")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="pca_mock at scale: issuance, revocation, CRLs, lists, memory.")
    parser.add_argument("--quick", action="store_true", help="a smoke run at a tenth of the size")
    parser.add_argument("--certificates", type=int, help=f"certificates in one CA (default {FULL['certificates']:,})")
    parser.add_argument("--cas", type=int, help=f"CAs / permissions for the large list pages (default {FULL['cas']:,})")
    parser.add_argument(
        "--memory-certificates",
        type=int,
        help=f"certificates for the memory figure (default {FULL['memory_certificates']:,})",
    )
    parser.add_argument("--page-calls", type=int, help=f"calls per timed list run (default {FULL['page_calls']})")
    parser.add_argument("--only", choices=SECTIONS, action="append", help="run only this section (repeatable)")
    args = parser.parse_args(argv)
    defaults = QUICK if args.quick else FULL
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if args.certificates < 2 * BLOCK + 1:
        parser.error(f"--certificates must be more than {2 * BLOCK}")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    sections = args.only or SECTIONS
    csrs = make_csrs(DISTINCT_CSRS)
    started = time.perf_counter()
    figures: list[Figure] = []
    if "certificates" in sections:
        figures += certificates_section(args.certificates, csrs)
    if "lists" in sections:
        figures += lists_section(args.cas, args.page_calls)
    if "memory" in sections:
        figures += memory_section(args.memory_certificates, csrs)
    header = [
        f"pca_mock at scale{' (--quick)' if args.quick else ''}: pca_mock {pca_mock.__version__}, "
        f"boto3 {version('boto3')}, cryptography {version('cryptography')}",
        f"{'figure':<92} {'value':>22}   {'target':<9} verdict",
        "-" * 136,
    ]
    footer = ["-" * 136, f"total run time {time.perf_counter() - started:.0f} s"]
    print("\n".join(itertools.chain(header, (figure.row() for figure in figures), footer)))


if __name__ == "__main__":
    main()
