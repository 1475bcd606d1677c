"""Where an IssueCertificate + GetCertificate pair spends its time, by layer.

Runs the bench_issue workflow (RSA_2048 root, EC P-256 CSRs) under cProfile
and adds up each function's own time (tottime) by where the function lives:
botocore (the client: validation, serialisation, SigV4, parsing, events),
pca_mock's layers (interceptor and wire protocol, service, x509), cryptography,
waiting on locks, and the rest (the standard library,
mostly called by botocore). cProfile slows Python code far more than native
code, so the shares lean towards Python; the per-pair total is given with and
without the profiler for scale.

Run it with ``python tests/benchmarks/profile_issue.py [--pairs N]``.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import bench_issue  # type: ignore[import-not-found]

import pca_mock

LAYERS = (
    ("pca_mock/_interceptor", "pca_mock: interceptor"),
    ("pca_mock/_fastpath", "pca_mock: interceptor"),
    ("pca_mock/_protocol", "pca_mock: wire protocol (JSON, validation)"),
    ("pca_mock/service", "pca_mock: service (state, rules)"),
    ("pca_mock/x509", "pca_mock: x509 (templates, extensions, building)"),
    ("pca_mock/", "pca_mock: other"),
    ("botocore/", "botocore client"),
    ("cryptography/", "cryptography (Python side)"),
)


def layer_of(filename: str, function: str) -> str:
    if function.startswith(("<method 'acquire'", "<method 'wait'")):
        return "waiting (locks)"
    if filename == "~":
        if "_rust" in function or "cryptography" in function:
            return "cryptography (native: parse, encode, sign)"
        return "builtins"
    for marker, name in LAYERS:
        if marker in filename.replace("\\", "/"):
            return name
    return "standard library and others"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pairs", type=int, default=500)
    args = parser.parse_args(argv)
    csrs = bench_issue.make_csrs(bench_issue.DISTINCT_CSRS)
    with pca_mock.mock_acmpca():
        session = bench_issue.emulator_session()
        for index in range(50):
            session.pair(csrs[index % len(csrs)])
        start = time.perf_counter()
        for index in range(args.pairs):
            session.pair(csrs[index % len(csrs)])
        plain_ms = (time.perf_counter() - start) * 1000 / args.pairs
        profiler = cProfile.Profile()
        profiler.enable()
        for index in range(args.pairs):
            session.pair(csrs[index % len(csrs)])
        profiler.disable()

    stats: Any = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    totals: dict[str, float] = defaultdict(float)
    for (filename, _, function), (_, _, tottime, _, _) in stats.items():
        totals[layer_of(filename, function)] += tottime
    whole = sum(totals.values())
    print(
        f"IssueCertificate + GetCertificate, {args.pairs} pairs: {plain_ms:.3f} ms per pair "
        f"({whole * 1000 / args.pairs:.3f} ms under cProfile)"
    )
    print(f"{'layer (own time)':<52} {'ms/pair':>8} {'share':>7}")
    for name, seconds in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"{name:<52} {seconds * 1000 / args.pairs:>8.3f} {seconds / whole:>7.1%}")


if __name__ == "__main__":
    main()
