"""Fixed costs: creating an RSA_4096 CA, starting and stopping the mock, importing pca_mock.

What is measured (wall time, ``time.perf_counter``):

* **CreateCertificateAuthority, RSA_4096** through a boto3 client under
  ``mock_acmpca()``, against generating one RSA-4096 key with cryptography
  (``rsa.generate_private_key``), the work a CA creation would otherwise
  wait for. RSA key generation time varies a lot from key to key (it searches
  for primes), so both sides are the mean over several keys/calls. The pool's
  figure is taken with a spare waiting (the pool is topped up, untimed, before
  each call): the steady state of a suite that creates CAs now and then.
  Creating CAs back to back drains the pool; that figure (creations as fast
  as they can be made, with the pool refilling in the background) is shown
  too, as is ``key_pool=False``, which generates every key on the spot.
* **start() + stop()** of an already imported mock: the mean over many
  cycles, after a first cycle (which grafts the interceptor onto botocore's
  default session) timed on its own.
* **import pca_mock**, in fresh interpreters: the time ``import pca_mock``
  takes after ``import boto3`` (which imports botocore). Best of several
  interpreters, as the first one also warms the disk cache.

Targets: CA creation with the pool at least 10x faster than generating the
key; start+stop at most 1 ms; the import at most 100 ms over botocore.

Run it with ``nox -s bench`` or ``python tests/benchmarks/bench_overheads.py [--quick]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from typing import Any

import boto3
from cryptography.hazmat.primitives.asymmetric import rsa

import pca_mock
from pca_mock.x509 import keypool

REGION = "us-east-1"
CONFIGURATION: dict[str, Any] = {
    "KeyAlgorithm": "RSA_4096",
    "SigningAlgorithm": "SHA256WITHRSA",
    "Subject": {"CommonName": "Bench RSA-4096 CA"},
}
TARGET_CREATE = 10.0
TARGET_START_STOP_MS = 1.0
TARGET_IMPORT_MS = 100.0

_IMPORT_PROBE = "import time, boto3; start = time.perf_counter(); import pca_mock; print(time.perf_counter() - start)"


def time_keygen(count: int) -> list[float]:
    times = []
    for _ in range(count):
        start = time.perf_counter()
        rsa.generate_private_key(public_exponent=65537, key_size=4096)
        times.append(time.perf_counter() - start)
    return times


def time_creates(count: int, *, key_pool: bool, topped_up: bool) -> list[float]:
    times = []
    with pca_mock.mock_acmpca(key_pool=key_pool):
        client = boto3.client("acm-pca", region_name=REGION)
        # The client's first request loads botocore's endpoint rules: not part of creating a CA.
        client.list_certificate_authorities()
        for _ in range(count):
            if topped_up:
                keypool.POOL.fill(4096, 1)
            start = time.perf_counter()
            client.create_certificate_authority(
                CertificateAuthorityConfiguration=CONFIGURATION, CertificateAuthorityType="ROOT"
            )
            times.append(time.perf_counter() - start)
    return times


def time_start_stop(cycles: int) -> tuple[float, float]:
    """The first start+stop, and the mean of the following ``cycles``, in seconds."""
    mock = pca_mock.mock_acmpca()
    start = time.perf_counter()
    mock.start()
    mock.stop()
    first = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(cycles):
        mock.start()
        mock.stop()
    return first, (time.perf_counter() - start) / cycles


def time_import(interpreters: int) -> list[float]:
    """``import pca_mock`` in fresh interpreters, with bytecode cached as an installed package has it.

    A first, untimed interpreter writes any missing ``__pycache__`` (a source
    checkout run with PYTHONDONTWRITEBYTECODE would otherwise time compilation).
    """
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}

    def probe() -> float:
        command = [sys.executable, "-c", _IMPORT_PROBE]
        return float(subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout)

    probe()
    return [probe() for _ in range(interpreters)]


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="pca_mock's fixed costs: RSA_4096 CA creation, start/stop, import.")
    parser.add_argument("--quick", action="store_true", help="fewer keys, cycles and interpreters")
    args = parser.parse_args(argv)
    keys, cycles, interpreters = (3, 1000, 3) if args.quick else (10, 10_000, 7)

    keygen = time_keygen(keys)
    pooled = time_creates(keys, key_pool=True, topped_up=True)
    drained = time_creates(keys, key_pool=True, topped_up=False)
    fresh = time_creates(max(2, keys // 3), key_pool=False, topped_up=False)
    first_cycle, cycle = time_start_stop(cycles)
    imports = time_import(interpreters)

    keygen_ms, pooled_ms = statistics.mean(keygen) * 1000, statistics.mean(pooled) * 1000
    ratio = keygen_ms / pooled_ms
    cycle_ms, import_ms = cycle * 1000, min(imports) * 1000

    def row(name: str, values: Sequence[float]) -> str:
        ms = [value * 1000 for value in values]
        return f"{name:<52} {statistics.mean(ms):>9.1f} {statistics.median(ms):>9.1f} {min(ms):>9.1f} {max(ms):>9.1f}"

    print(
        "\n".join(
            [
                f"RSA_4096 keys and CAs (ms; {keys} each unless noted)   {'mean':>9} {'median':>9} {'min':>9} {'max':>9}",
                "-" * 92,
                row("rsa.generate_private_key(4096)", keygen),
                row("CreateCertificateAuthority, pool with a spare", pooled),
                row("CreateCertificateAuthority, back to back (pool drains)", drained),
                row(f"CreateCertificateAuthority, key_pool=False ({len(fresh)})", fresh),
                "-" * 92,
                f"keygen / create with pool = {ratio:.0f}x   target >= {TARGET_CREATE:g}x: {verdict(ratio >= TARGET_CREATE)}",
                f"start()+stop(): first {first_cycle * 1000:.3f} ms, then {cycle_ms * 1000:.1f} us per cycle "
                f"({cycles} cycles)   target <= {TARGET_START_STOP_MS:g} ms: {verdict(cycle_ms <= TARGET_START_STOP_MS)}",
                f"import pca_mock after boto3/botocore: best {import_ms:.1f} ms of {interpreters} interpreters "
                f"({', '.join(f'{value * 1000:.0f}' for value in imports)})   "
                f"target <= {TARGET_IMPORT_MS:g} ms: {verdict(import_ms <= TARGET_IMPORT_MS)}",
            ]
        )
    )


if __name__ == "__main__":
    main()
