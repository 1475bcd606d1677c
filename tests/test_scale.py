"""What keeps pca_mock's per-call cost flat at scale, checked for correctness (speed is in bench_scale.py).

CRLs are published when next read rather than on every revocation, and
assembled from entries encoded once; a page of ListCertificateAuthorities
starts at a position in the creation order; expired idempotency records are
dropped as the table grows; audit reports read subjects straight from the DER.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import time_machine
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, mldsa, padding
from cryptography.x509.oid import NameOID

from pca_mock import AcmPcaMock
from pca_mock.objects import STORE
from pca_mock.service import crls
from pca_mock.service.models import IDEMPOTENCY_WINDOW, RegionState
from pca_mock.x509 import crl as crl_encoding
from pca_mock.x509 import rfc2253
from pca_mock.x509.keys import SIGNING_ALGORITHMS
from tests.helpers import (
    ca_configuration,
    create_active_root,
    create_ca,
    issue,
    load_certificate,
    make_csr,
    rsa_key,
)
from tests.linting import crl_findings

NOW = datetime(2030, 1, 15, 12, 0, 0, tzinfo=timezone.utc)
REGION = "us-east-1"
BUCKET = "pca-mock-scale-bucket"
BACKDATE = timedelta(hours=1)
REASONS = list(crl_encoding.REASONS)


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _crl_root(client: Any, **crl: Any) -> str:
    return create_active_root(
        client,
        RevocationConfiguration={
            "CrlConfiguration": {"Enabled": True, "S3BucketName": BUCKET, **crl},
            "OcspConfiguration": {"Enabled": False},
        },
    )


def _leaf(client: Any, ca_arn: str, days: int = 30) -> x509.Certificate:
    return load_certificate(issue(client, ca_arn, make_csr(), validity={"Type": "DAYS", "Value": days})["Certificate"])


def _revoke(client: Any, ca_arn: str, leaf: x509.Certificate, reason: str = "KEY_COMPROMISE") -> None:
    client.revoke_certificate(
        CertificateAuthorityArn=ca_arn, CertificateSerial=f"{leaf.serial_number:x}", RevocationReason=reason
    )


def _crl_key(ca_arn: str) -> str:
    return f"crl/{ca_arn.rsplit('/', 1)[1]}.crl"


def _cdp_url(certificate: x509.Certificate) -> str:
    points = certificate.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    full_name = points[0].full_name
    assert full_name is not None
    return str(full_name[0].value)


def _entries(der: bytes) -> dict[int, tuple[datetime, x509.ReasonFlags]]:
    crl = x509.load_der_x509_crl(der)
    return {
        entry.serial_number: (
            entry.revocation_date_utc,
            entry.extensions.get_extension_for_class(x509.CRLReason).value.reason,
        )
        for entry in crl
    }


# --- CRLs assembled from pre-encoded entries ------------------------------------------------------

# Each (key, SigningAlgorithm) the assembly has to sign like cryptography's builder would.
SIGNERS = [
    pytest.param(lambda: ec.generate_private_key(ec.SECP256R1()), "SHA256WITHECDSA", id="ecdsa-p256"),
    pytest.param(lambda: ec.generate_private_key(ec.SECP384R1()), "SHA384WITHECDSA", id="ecdsa-p384"),
    pytest.param(lambda: rsa_key(), "SHA256WITHRSA", id="rsa-pkcs1"),
    pytest.param(lambda: rsa_key(), "SHA512WITHRSA_PSS", id="rsa-pss"),
    pytest.param(lambda: mldsa.MLDSA44PrivateKey.generate(), "ML_DSA_44", id="ml-dsa-44"),
]


def _reference_crl(key: Any, algorithm: str, entries: list[crl_encoding.RevokedEntry], point: str | None) -> bytes:
    """The same CRL made entirely by cryptography's builder."""
    signature = SIGNING_ALGORITHMS[algorithm]
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Scale CA")]))
        .last_update(NOW - BACKDATE)
        .next_update(NOW + timedelta(days=7))
        .add_extension(x509.AuthorityKeyIdentifier(b"\x01" * 20, None, None), critical=False)
        .add_extension(x509.CRLNumber(1234), critical=False)
    )
    if point is not None:
        builder = builder.add_extension(
            x509.IssuingDistributionPoint(
                [x509.UniformResourceIdentifier(point)], None, False, False, None, False, False
            ),
            critical=True,
        )
    for entry in entries:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(entry.serial)
            .revocation_date(entry.revoked_at)
            .add_extension(x509.CRLReason(crl_encoding.REASONS[entry.reason]), critical=False)
            .build()
        )
    crl = builder.sign(key, signature.hash(), rsa_padding=signature.rsa_padding())
    return crl.public_bytes(serialization.Encoding.DER)


def _assembled_crl(key: Any, algorithm: str, entries: list[crl_encoding.RevokedEntry], point: str | None) -> bytes:
    return crl_encoding.build_crl(
        issuer=x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Scale CA")]),
        issuer_key=key,
        issuer_key_identifier=b"\x01" * 20,
        signature=SIGNING_ALGORITHMS[algorithm],
        number=1234,
        this_update=NOW - BACKDATE,
        next_update=NOW + timedelta(days=7),
        entries=[crl_encoding.encode_entry(entry) for entry in entries],
        distribution_point=point,
    )


def _awkward_entries() -> list[crl_encoding.RevokedEntry]:
    """Every reason; serials small, large and with the top bit set; dates either side of 2050; microseconds."""
    serials = [1, 0x7F, 0x80, 0xFF, 2**127, 2**159 - 1, *(secrets.randbits(128) | 1 for _ in range(len(REASONS)))]
    dates = [NOW, NOW.replace(microsecond=654321), datetime(2049, 12, 31, 23, 59, 59, tzinfo=timezone.utc)]
    dates += [datetime(2050, 1, 1, tzinfo=timezone.utc), datetime(1999, 6, 1, tzinfo=timezone.utc)]
    return [
        crl_encoding.RevokedEntry(serial, dates[index % len(dates)], REASONS[index % len(REASONS)])
        for index, serial in enumerate(serials)
    ]


@pytest.mark.parametrize(("make_key", "algorithm"), SIGNERS)
@pytest.mark.parametrize("point", [None, "http://crl.example.com/crl/partition.crl"], ids=["complete", "partition"])
def test_assembled_crl_has_the_very_tbs_cryptography_builds_and_a_valid_signature(
    make_key: Any, algorithm: str, point: str | None
) -> None:
    key = make_key()
    entries = _awkward_entries()

    assembled = x509.load_der_x509_crl(_assembled_crl(key, algorithm, entries, point))
    reference = x509.load_der_x509_crl(_reference_crl(key, algorithm, entries, point))

    assert assembled.tbs_certlist_bytes == reference.tbs_certlist_bytes
    assert assembled.signature_algorithm_oid == reference.signature_algorithm_oid
    assert assembled.is_signature_valid(key.public_key())
    assert [entry.serial_number for entry in assembled] == [entry.serial for entry in entries]


def test_assembled_crl_signature_verifies_outside_cryptography_crl_checks_for_rsa_pss() -> None:
    key = rsa_key()
    der = _assembled_crl(key, "SHA256WITHRSA_PSS", _awkward_entries(), None)
    crl = x509.load_der_x509_crl(der)

    key.public_key().verify(
        crl.signature,
        crl.tbs_certlist_bytes,
        padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.DIGEST_LENGTH),
        hashes.SHA256(),
    )


def test_assembled_crl_without_entries_is_what_cryptography_builds() -> None:
    key = ec.generate_private_key(ec.SECP256R1())

    crl = x509.load_der_x509_crl(_assembled_crl(key, "SHA256WITHECDSA", [], None))

    assert (
        crl.tbs_certlist_bytes
        == x509.load_der_x509_crl(_reference_crl(key, "SHA256WITHECDSA", [], None)).tbs_certlist_bytes
    )
    assert len(crl) == 0


def test_assembled_crl_with_entries_of_every_reason_passes_pkilint() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    entries = [crl_encoding.RevokedEntry(secrets.randbits(127) | 1, NOW, reason) for reason in REASONS]

    assert crl_findings(_assembled_crl(key, "SHA256WITHECDSA", entries, None)) == []


def test_assembled_crl_with_three_hundred_entries_has_multi_byte_lengths_that_parse() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    entries = [crl_encoding.RevokedEntry(index + 1, NOW, "SUPERSEDED") for index in range(300)]

    crl = x509.load_der_x509_crl(_assembled_crl(key, "SHA256WITHECDSA", entries, None))

    assert len(crl) == 300
    assert crl.is_signature_valid(key.public_key())


# --- CRLs published when read -------------------------------------------------------------------


def test_many_revocations_before_any_read_are_all_in_the_crl_that_is_then_read(pca: AcmPcaMock, client: Any) -> None:
    ca_arn = _crl_root(client)
    leaves = [_leaf(client, ca_arn) for _ in range(12)]
    for index, leaf in enumerate(leaves[:10]):
        _revoke(client, ca_arn, leaf, REASONS[index % len(REASONS)])

    fetched = pca.fetch(_cdp_url(leaves[0]))

    assert fetched == pca.objects.get(BUCKET, _crl_key(ca_arn))
    entries = _entries(fetched)
    assert set(entries) == {leaf.serial_number for leaf in leaves[:10]}
    assert [entries[leaf.serial_number][1] for leaf in leaves[:10]] == [
        crl_encoding.REASONS[REASONS[index % len(REASONS)]] for index in range(10)
    ]
    assert crl_findings(fetched) == []


def test_revoking_leaves_the_stored_crl_untouched_until_something_reads_it(pca: AcmPcaMock, client: Any) -> None:
    ca_arn = _crl_root(client)
    leaf = _leaf(client, ca_arn)
    before = STORE.get(BUCKET, _crl_key(ca_arn))

    _revoke(client, ca_arn, leaf)

    # The store itself, read behind the mock handle's back, still holds the CRL of the issuance ...
    assert STORE.get(BUCKET, _crl_key(ca_arn)) == before
    # ... and the first read through the handle publishes the revocation.
    assert set(_entries(pca.objects.get(BUCKET, _crl_key(ca_arn)))) == {leaf.serial_number}


def test_crl_read_later_is_dated_as_published_right_after_the_last_revocation(
    pca: AcmPcaMock, client: Any, clock: Any
) -> None:
    ca_arn = _crl_root(client)
    leaves = [_leaf(client, ca_arn) for _ in range(2)]
    _revoke(client, ca_arn, leaves[0])
    clock.shift(timedelta(minutes=10))
    _revoke(client, ca_arn, leaves[1])
    last_revocation = NOW + timedelta(minutes=10)
    clock.shift(timedelta(hours=5))

    stored = pca.objects.object(BUCKET, _crl_key(ca_arn))
    crl = x509.load_der_x509_crl(stored.body)

    assert stored.last_modified == last_revocation
    assert crl.last_update_utc == last_revocation - BACKDATE
    assert crl.next_update_utc == last_revocation + timedelta(days=7)
    number = crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number
    assert number == int(last_revocation.timestamp() * 1000)
    assert _entries(stored.body) == {
        leaves[0].serial_number: (NOW, x509.ReasonFlags.key_compromise),
        leaves[1].serial_number: (last_revocation, x509.ReasonFlags.key_compromise),
    }


def test_reading_a_crl_twice_without_revocations_in_between_returns_the_same_bytes(
    pca: AcmPcaMock, client: Any
) -> None:
    ca_arn = _crl_root(client)
    leaf = _leaf(client, ca_arn)
    _revoke(client, ca_arn, leaf)

    first = pca.fetch(_cdp_url(leaf))

    assert pca.fetch(_cdp_url(leaf)) == first


def test_revocations_before_a_crl_configuration_change_are_published_where_crls_went_before(
    pca: AcmPcaMock, client: Any
) -> None:
    ca_arn = _crl_root(client)
    leaf = _leaf(client, ca_arn)
    _revoke(client, ca_arn, leaf)

    client.update_certificate_authority(
        CertificateAuthorityArn=ca_arn,
        RevocationConfiguration={"CrlConfiguration": {"Enabled": True, "S3BucketName": "pca-mock-other-bucket"}},
    )

    assert set(_entries(pca.objects.get(BUCKET, _crl_key(ca_arn)))) == {leaf.serial_number}
    # The new location has the probe object only, until a certificate points at it.
    assert pca.objects.keys("pca-mock-other-bucket") == ["acm-pca-permission-test-key"]


def test_revocations_of_a_ca_deleted_before_its_crl_was_read_are_still_published(
    pca: AcmPcaMock, client: Any, clock: Any
) -> None:
    ca_arn = _crl_root(client)
    leaf = _leaf(client, ca_arn)
    _revoke(client, ca_arn, leaf)
    client.update_certificate_authority(CertificateAuthorityArn=ca_arn, Status="DISABLED")
    client.delete_certificate_authority(CertificateAuthorityArn=ca_arn, PermanentDeletionTimeInDays=7)

    # Past the deletion window the CA is gone; what it published stays.
    clock.shift(timedelta(days=8))
    assert client.list_certificate_authorities()["CertificateAuthorities"] == []

    assert set(_entries(pca.objects.get(BUCKET, _crl_key(ca_arn)))) == {leaf.serial_number}


def test_revocations_before_a_ca_certificate_renewal_are_in_a_crl_dated_at_the_last_revocation(
    pca: AcmPcaMock, client: Any, clock: Any
) -> None:
    ca_arn = _crl_root(client)
    leaf = _leaf(client, ca_arn)
    _revoke(client, ca_arn, leaf)
    revoked_at = NOW
    clock.shift(timedelta(hours=1))
    csr = client.get_certificate_authority_csr(CertificateAuthorityArn=ca_arn)["Csr"]
    renewed = issue(
        client, ca_arn, csr, template="arn:aws:acm-pca:::template/RootCACertificate/V1",
        validity={"Type": "YEARS", "Value": 5},
    )  # fmt: skip
    client.import_certificate_authority_certificate(CertificateAuthorityArn=ca_arn, Certificate=renewed["Certificate"])

    crl = x509.load_der_x509_crl(pca.objects.get(BUCKET, _crl_key(ca_arn)))

    assert crl.last_update_utc == revoked_at - BACKDATE
    assert {entry.serial_number for entry in crl} == {leaf.serial_number}


@pytest.fixture
def small_partitions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crls, "PARTITION_SIZE", 3)


@pytest.mark.usefixtures("small_partitions")
def test_revocations_across_partitions_before_any_read_each_land_in_their_own_partition(
    pca: AcmPcaMock, client: Any
) -> None:
    ca_arn = _crl_root(client, CrlType="PARTITIONED")
    leaves = [_leaf(client, ca_arn) for _ in range(8)]
    for leaf in leaves[1:7]:
        _revoke(client, ca_arn, leaf)
    urls = list(dict.fromkeys(_cdp_url(leaf) for leaf in leaves))

    listed = [set(_entries(pca.fetch(url))) for url in urls]

    assert len(urls) == 3
    assert listed == [
        {leaf.serial_number for leaf in leaves[1:3]},
        {leaf.serial_number for leaf in leaves[3:6]},
        {leaves[6].serial_number},
    ]


@pytest.mark.usefixtures("small_partitions")
def test_a_new_partition_started_after_unread_revocations_publishes_them_with_it(pca: AcmPcaMock, client: Any) -> None:
    ca_arn = _crl_root(client, CrlType="PARTITIONED")
    leaves = [_leaf(client, ca_arn) for _ in range(3)]
    _revoke(client, ca_arn, leaves[0])

    # The fourth certificate opens a partition, which publishes every partition at once.
    fourth = _leaf(client, ca_arn)

    assert set(_entries(STORE.get(*STORE.locate(_cdp_url(leaves[0]))))) == {leaves[0].serial_number}
    assert set(_entries(STORE.get(*STORE.locate(_cdp_url(fourth))))) == set()


def test_revoked_certificate_that_expired_drops_out_of_the_crl_after_the_next_publication(
    pca: AcmPcaMock, client: Any, clock: Any
) -> None:
    ca_arn = _crl_root(client)
    short, long = _leaf(client, ca_arn, days=1), _leaf(client, ca_arn)
    _revoke(client, ca_arn, short)
    _revoke(client, ca_arn, long)
    assert set(_entries(pca.fetch(_cdp_url(long)))) == {short.serial_number, long.serial_number}

    # Past the midpoint of the CRL: re-published once (the expired entry stays once more), then again.
    clock.shift(timedelta(days=4))
    assert set(_entries(pca.fetch(_cdp_url(long)))) == {short.serial_number, long.serial_number}
    clock.shift(timedelta(days=4))
    assert set(_entries(pca.fetch(_cdp_url(long)))) == {long.serial_number}


# --- ListCertificateAuthorities pages -----------------------------------------------------------


def _page(client: Any, **kwargs: Any) -> tuple[list[str], str | None]:
    response = client.list_certificate_authorities(**kwargs)
    return [ca["Arn"] for ca in response["CertificateAuthorities"]], response.get("NextToken")


def test_a_token_still_leads_to_the_next_ca_after_an_earlier_ca_was_purged_between_pages(
    client: Any, clock: Any
) -> None:
    arns = [create_ca(client) for _ in range(5)]
    first, token = _page(client, MaxResults=2)
    client.delete_certificate_authority(CertificateAuthorityArn=arns[0], PermanentDeletionTimeInDays=7)
    clock.shift(timedelta(days=8))

    second, token = _page(client, MaxResults=2, NextToken=token)
    third, last_token = _page(client, MaxResults=2, NextToken=token)

    assert first == arns[:2]
    assert second == arns[2:4]
    assert (third, last_token) == (arns[4:], None)


def test_last_page_has_no_token_once_the_cas_after_it_are_purged(client: Any, clock: Any) -> None:
    arns = [create_ca(client) for _ in range(4)]
    for arn in arns[2:]:
        client.delete_certificate_authority(CertificateAuthorityArn=arn, PermanentDeletionTimeInDays=7)
    clock.shift(timedelta(days=8))

    assert _page(client, MaxResults=2) == (arns[:2], None)


def test_a_ca_created_after_the_clock_moved_back_is_listed_in_created_at_order(client: Any, clock: Any) -> None:
    later = create_ca(client)
    clock.move_to(NOW - timedelta(days=1))
    earlier = create_ca(client)
    clock.move_to(NOW + timedelta(days=1))
    latest = create_ca(client)

    assert _page(client) == ([earlier, later, latest], None)
    first, token = _page(client, MaxResults=1)
    assert first == [earlier]
    assert _page(client, MaxResults=5, NextToken=token) == ([later, latest], None)


def test_paging_through_many_cas_with_deletions_lists_every_remaining_one_once_in_order(
    client: Any, clock: Any
) -> None:
    arns = [create_ca(client, configuration=ca_configuration()) for _ in range(23)]
    for arn in arns[::3]:
        client.delete_certificate_authority(CertificateAuthorityArn=arn, PermanentDeletionTimeInDays=7)
    clock.shift(timedelta(days=8))

    pages = list(client.get_paginator("list_certificate_authorities").paginate(PaginationConfig={"PageSize": 4}))

    remaining = [arn for index, arn in enumerate(arns) if index % 3]
    assert [ca["Arn"] for page in pages for ca in page["CertificateAuthorities"]] == remaining
    assert [len(page["CertificateAuthorities"]) for page in pages] == [4, 4, 4, 3]
    assert "NextToken" not in pages[-1]


# --- idempotency records ----------------------------------------------------------------------------


def test_expired_idempotency_records_are_dropped_as_the_table_grows_and_live_ones_kept() -> None:
    state = RegionState("111122223333", REGION, "aws")
    for index in range(1500):
        state.remember("IssueCertificate", f"old-{index}", NOW, f"result-{index}")
    later = NOW + IDEMPOTENCY_WINDOW + timedelta(seconds=1)
    for index in range(1500):
        state.remember("IssueCertificate", f"new-{index}", later, f"new-result-{index}")

    assert len(state.idempotency) < 3000
    assert all(key[1].startswith("new-") or record.expires_at > later for key, record in state.idempotency.items())
    assert [state.remembered("IssueCertificate", f"new-{index}", later) for index in (0, 777, 1499)] == [
        "new-result-0",
        "new-result-777",
        "new-result-1499",
    ]
    assert state.remembered("IssueCertificate", "old-3", later) is None


# --- audit report subjects ------------------------------------------------------------------------


def _tlv(tag: int, content: bytes) -> bytes:
    size = len(content)
    octets = size.to_bytes((size.bit_length() + 7) // 8, "big")
    length = bytes([size]) if size < 0x80 else bytes([0x80 | len(octets)]) + octets
    return bytes([tag]) + length + content


def _children(der: bytes) -> list[bytes]:
    """The TLVs inside the outermost one."""
    at = 2 if der[1] < 0x80 else 2 + (der[1] & 0x7F)
    children = []
    while at < len(der):
        first = der[at + 1]
        start = at + 2 if first < 0x80 else at + 2 + (first & 0x7F)
        size = first if first < 0x80 else int.from_bytes(der[at + 2 : start], "big")
        children.append(der[at : start + size])
        at = start + size
    return children


def _v1_certificate() -> x509.Certificate:
    """A version 1 certificate (no version field in its DER; the signature no longer matches, nothing checks it)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.RelativeDistinguishedName(
                [x509.NameAttribute(NameOID.COMMON_NAME, "v1"), x509.NameAttribute(NameOID.ORGANIZATION_NAME, "O")]
            )
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "issuer")]))
        .public_key(key.public_key())
        .serial_number(7)
        .not_valid_before(NOW)
        .not_valid_after(NOW + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    tbs, algorithm, signature = _children(certificate.public_bytes(serialization.Encoding.DER))
    fields = _children(tbs)
    assert fields[0][0] == 0xA0
    v1 = x509.load_der_x509_certificate(_tlv(0x30, _tlv(0x30, b"".join(fields[1:])) + algorithm + signature))
    assert v1.version is x509.Version.v1
    return v1


def test_subject_read_from_certificate_der_is_the_subject_as_encoded(client: Any) -> None:
    ca_arn = create_active_root(client)
    leaf = load_certificate(
        issue(
            client, ca_arn, make_csr("ignored.example.com"), template="arn:aws:acm-pca:::template/EndEntityCertificate_APIPassthrough/V1",
            ApiPassthrough={"Subject": {"CommonName": "a,b", "Organization": "Org", "Country": "US"}},
        )["Certificate"]
    )  # fmt: skip

    for certificate in (leaf, _v1_certificate()):
        der = certificate.public_bytes(serialization.Encoding.DER)
        assert rfc2253.certificate_subject_der(der) == rfc2253.subject_der(certificate)


def test_audit_report_subjects_are_each_certificates_own_with_repeated_subjects_rendered_alike(
    pca: AcmPcaMock, client: Any
) -> None:
    ca_arn = create_active_root(client)
    names = ["one.example.com", "two.example.com", "one.example.com", "three, with comma"]
    for name in names:
        issue(client, ca_arn, make_csr(name))

    key = client.create_certificate_authority_audit_report(
        CertificateAuthorityArn=ca_arn, S3BucketName=BUCKET, AuditReportResponseFormat="JSON"
    )["S3Key"]
    rows = json.loads(pca.objects.get(BUCKET, key))

    # The first row is the root CA's own certificate.
    assert [row["subject"] for row in rows[1:]] == [
        "CN=one.example.com",
        "CN=two.example.com",
        "CN=one.example.com",
        "CN=three\\, with comma",
    ]


def test_audit_report_times_of_certificates_issued_within_one_second_and_across_seconds_are_each_right(
    pca: AcmPcaMock, client: Any, clock: Any
) -> None:
    ca_arn = create_active_root(client)
    offsets = [timedelta(milliseconds=200), timedelta(milliseconds=900), timedelta(milliseconds=1100)]
    for offset in offsets:
        clock.move_to(NOW + offset)
        issue(client, ca_arn, make_csr())

    key = client.create_certificate_authority_audit_report(
        CertificateAuthorityArn=ca_arn, S3BucketName=BUCKET, AuditReportResponseFormat="JSON"
    )["S3Key"]
    rows = json.loads(pca.objects.get(BUCKET, key))[1:]

    assert [row["issuedAt"] for row in rows] == [
        "2030-01-15T12:00:00+0000",
        "2030-01-15T12:00:00+0000",
        "2030-01-15T12:00:01+0000",
    ]
    assert [row["notBefore"] for row in rows] == [
        "2030-01-15T11:00:00+0000",
        "2030-01-15T11:00:00+0000",
        "2030-01-15T11:00:01+0000",
    ]
