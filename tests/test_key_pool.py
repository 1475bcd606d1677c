"""The RSA key pool: pre-generated keys make RSA CAs quick to create, and no key ever serves two CAs."""

from __future__ import annotations

import threading
import time

import boto3
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

import pca_mock
from pca_mock.x509 import keypool
from pca_mock.x509.keypool import KeyPool
from tests.helpers import backend_ca, ca_configuration

# Small keys keep the pool's own tests quick; the pool treats every size alike.
_SMALL = 1024


def _wait_for_spares(pool: KeyPool, size: int, count: int) -> None:
    """Wait (not a timing assertion: a generous bound on background work) until ``count`` spares wait."""
    deadline = time.monotonic() + 60
    while pool.spares(size) < count:
        assert time.monotonic() < deadline, f"the pool never reached {count} spare {size}-bit keys"
        time.sleep(0.01)


def _public_der(key: rsa.RSAPrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.PKCS1)


def test_the_pool_refills_in_the_background_only_the_sizes_asked_for() -> None:
    pool = KeyPool(depth=2)
    first = pool.take(_SMALL)
    assert first.key_size == _SMALL
    assert (pool.hits, pool.misses) == (0, 1)

    _wait_for_spares(pool, _SMALL, 2)
    assert pool.spares(2048) == 0
    second = pool.take(_SMALL)
    assert second.key_size == _SMALL
    assert (pool.hits, pool.misses) == (1, 1)


def test_the_pool_never_hands_one_key_out_twice_across_threads() -> None:
    pool = KeyPool(depth=4)
    pool.fill(_SMALL, 4)
    taken: list[rsa.RSAPrivateKey] = []
    lock = threading.Lock()

    def take_some() -> None:
        for _ in range(3):
            key = pool.take(_SMALL)
            with lock:
                taken.append(key)

    threads = [threading.Thread(target=take_some) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(taken) == 12
    assert len({_public_der(key) for key in taken}) == 12
    assert pool.hits + pool.misses == 12
    assert pool.hits >= 4


def test_a_cleared_or_forked_pool_has_nothing_left_to_hand_out() -> None:
    pool = KeyPool(depth=2)
    pool.fill(_SMALL)
    assert pool.spares(_SMALL) == 2
    pool.clear()
    assert pool.spares(_SMALL) == 0

    pool.fill(_SMALL)
    # What os.register_at_fork runs in a child process: the parent keeps its spares, the child has none.
    pool._after_fork_in_child()
    assert pool.spares(_SMALL) == 0
    assert pool.take(_SMALL).key_size == _SMALL


def test_an_rsa_ca_takes_a_spare_key_from_the_pool_and_it_leaves_the_pool() -> None:
    keypool.POOL.fill(2048, keypool.POOL.depth)
    spares_before, hits_before = keypool.POOL.spares(2048), keypool.POOL.hits
    with pca_mock.mock_acmpca():
        client = boto3.client("acm-pca", region_name="us-east-1")
        arns = [
            client.create_certificate_authority(
                CertificateAuthorityConfiguration=ca_configuration("RSA_2048", "SHA256WITHRSA"),
                CertificateAuthorityType="ROOT",
            )["CertificateAuthorityArn"]
            for _ in range(2)
        ]
        keys = [backend_ca(arn).private_key for arn in arns]
    assert spares_before == 2
    assert keypool.POOL.hits == hits_before + 2
    assert all(isinstance(key, rsa.RSAPrivateKey) and key.key_size == 2048 for key in keys)
    assert _public_der(keys[0]) != _public_der(keys[1])


@pytest.mark.parametrize("key_pool", [True, False], ids=["pooled", "fresh"])
def test_key_pool_false_generates_every_ca_key_on_the_spot(key_pool: bool) -> None:
    keypool.POOL.fill(2048, keypool.POOL.depth)
    hits, misses = keypool.POOL.hits, keypool.POOL.misses
    with pca_mock.mock_acmpca(key_pool=key_pool):
        client = boto3.client("acm-pca", region_name="us-east-1")
        client.create_certificate_authority(
            CertificateAuthorityConfiguration=ca_configuration("RSA_2048", "SHA256WITHRSA"),
            CertificateAuthorityType="ROOT",
        )
    taken = (keypool.POOL.hits + keypool.POOL.misses) - (hits + misses)
    assert taken == (1 if key_pool else 0)


def test_ec_cas_never_start_rsa_generation() -> None:
    pool = KeyPool()
    original, keypool.POOL = keypool.POOL, pool
    try:
        with pca_mock.mock_acmpca():
            client = boto3.client("acm-pca", region_name="us-east-1")
            client.create_certificate_authority(
                CertificateAuthorityConfiguration=ca_configuration("EC_prime256v1", "SHA256WITHECDSA"),
                CertificateAuthorityType="ROOT",
            )
        assert pool.hits + pool.misses == 0
        assert pool._worker is None
    finally:
        keypool.POOL = original
