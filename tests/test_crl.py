"""CRLs published to the mock's object store, and the URLs certificates carry (reference §7.2, §7.3).

The CRLs are read back the way a relying party would: by following the CDP
URL of an issued certificate through ``mock.fetch`` (or straight from the
stand-in for S3, ``mock.objects``), then parsed and checked with cryptography
and linted with pkilint.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import pytest
import time_machine
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, mldsa, rsa
from cryptography.x509.oid import CRLEntryExtensionOID, ExtensionOID, SignatureAlgorithmOID
from pkilint import loader
from pyasn1.codec.der import decoder as der_decoder
from pyasn1_alt_modules import rfc5280

from pca_mock import AcmPcaMock, mock_acmpca
from pca_mock.errors import ObjectNotFoundError
from pca_mock.service import crls
from tests.helpers import (
    activate_root,
    ca_configuration,
    create_active_root,
    create_active_subordinate,
    create_ca,
    issue,
    load_certificate,
    make_csr,
)
from tests.linting import crl_findings

NOW = datetime(2030, 1, 15, 12, 0, 0, tzinfo=timezone.utc)
REGION = "us-east-1"
BUCKET = "pca-mock-crl-bucket"
PERMISSION_TEST_KEY = "acm-pca-permission-test-key"
# thisUpdate is backdated by an hour; ExpirationInDays defaults to the console's 7 (reference §7.2, §7.3).
BACKDATE = timedelta(hours=1)
DEFAULT_EXPIRATION = timedelta(days=7)
GUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

# RevocationReason → the RFC 5280 CRLReason of the entry (reference §7.1: codes 0-5, 9, 10).
REASON_CODES = {
    "UNSPECIFIED": (x509.ReasonFlags.unspecified, 0),
    "KEY_COMPROMISE": (x509.ReasonFlags.key_compromise, 1),
    "CERTIFICATE_AUTHORITY_COMPROMISE": (x509.ReasonFlags.ca_compromise, 2),
    "AFFILIATION_CHANGED": (x509.ReasonFlags.affiliation_changed, 3),
    "SUPERSEDED": (x509.ReasonFlags.superseded, 4),
    "CESSATION_OF_OPERATION": (x509.ReasonFlags.cessation_of_operation, 5),
    "PRIVILEGE_WITHDRAWN": (x509.ReasonFlags.privilege_withdrawn, 9),
    "A_A_COMPROMISE": (x509.ReasonFlags.aa_compromise, 10),
}
REASONS = [pytest.param(reason, flag, code, id=f"{reason}-{code}") for reason, (flag, code) in REASON_CODES.items()]

# CA configuration → the CRL's signatureAlgorithm and digest (reference §7.3, §13).
SIGNING_ALGORITHMS = [
    pytest.param("RSA_2048", "SHA256WITHRSA", SignatureAlgorithmOID.RSA_WITH_SHA256, hashes.SHA256, id="rsa-sha256"),
    pytest.param("RSA_2048", "SHA384WITHRSA", SignatureAlgorithmOID.RSA_WITH_SHA384, hashes.SHA384, id="rsa-sha384"),
    pytest.param("RSA_2048", "SHA512WITHRSA", SignatureAlgorithmOID.RSA_WITH_SHA512, hashes.SHA512, id="rsa-sha512"),
    pytest.param("RSA_2048", "SHA256WITHRSA_PSS", SignatureAlgorithmOID.RSASSA_PSS, hashes.SHA256, id="rsa-pss-sha256"),
    pytest.param("RSA_2048", "SHA384WITHRSA_PSS", SignatureAlgorithmOID.RSASSA_PSS, hashes.SHA384, id="rsa-pss-sha384"),
    pytest.param("RSA_2048", "SHA512WITHRSA_PSS", SignatureAlgorithmOID.RSASSA_PSS, hashes.SHA512, id="rsa-pss-sha512"),
    pytest.param(
        "EC_prime256v1", "SHA256WITHECDSA", SignatureAlgorithmOID.ECDSA_WITH_SHA256, hashes.SHA256, id="ecdsa-p256"
    ),
    pytest.param(
        "EC_secp384r1", "SHA384WITHECDSA", SignatureAlgorithmOID.ECDSA_WITH_SHA384, hashes.SHA384, id="ecdsa-p384"
    ),
    pytest.param(
        "EC_secp521r1", "SHA512WITHECDSA", SignatureAlgorithmOID.ECDSA_WITH_SHA512, hashes.SHA512, id="ecdsa-p521"
    ),
    pytest.param("ML_DSA_44", "ML_DSA_44", SignatureAlgorithmOID.ML_DSA_44, None, id="ml-dsa-44"),
    pytest.param("ML_DSA_65", "ML_DSA_65", SignatureAlgorithmOID.ML_DSA_65, None, id="ml-dsa-65"),
    pytest.param("ML_DSA_87", "ML_DSA_87", SignatureAlgorithmOID.ML_DSA_87, None, id="ml-dsa-87"),
]

_CA_PUBLIC_KEYS = (
    rsa.RSAPublicKey,
    ec.EllipticCurvePublicKey,
    mldsa.MLDSA44PublicKey,
    mldsa.MLDSA65PublicKey,
    mldsa.MLDSA87PublicKey,
)


# --- local helpers ----------------------------------------------------------------------


@pytest.fixture
def clock() -> Iterator[Any]:
    """A clock frozen at NOW, moved on explicitly with ``clock.shift`` / ``clock.move_to``."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _revocation(**crl: Any) -> dict[str, Any]:
    """A RevocationConfiguration with CRLs enabled in BUCKET (plus ``crl`` fields) and OCSP off."""
    return {
        "CrlConfiguration": {"Enabled": True, "S3BucketName": BUCKET, **crl},
        "OcspConfiguration": {"Enabled": False},
    }


def _crl_root(client: Any, configuration: dict[str, Any] | None = None, **crl: Any) -> str:
    """An ACTIVE root CA publishing CRLs to BUCKET."""
    return create_active_root(client, configuration=configuration, RevocationConfiguration=_revocation(**crl))


def _ca_id(ca_arn: str) -> str:
    return ca_arn.rsplit("/", 1)[1]


def _ca_certificate(client: Any, ca_arn: str) -> x509.Certificate:
    pem = client.get_certificate_authority_certificate(CertificateAuthorityArn=ca_arn)["Certificate"]
    return load_certificate(pem)


def _leaf(client: Any, ca_arn: str, days: int = 30) -> x509.Certificate:
    return load_certificate(issue(client, ca_arn, make_csr(), validity={"Type": "DAYS", "Value": days})["Certificate"])


def _revoke(client: Any, ca_arn: str, certificate: x509.Certificate, reason: str = "KEY_COMPROMISE") -> None:
    client.revoke_certificate(
        CertificateAuthorityArn=ca_arn,
        CertificateSerial=f"{certificate.serial_number:x}",
        RevocationReason=reason,
    )


def _cdp_url(certificate: x509.Certificate) -> str:
    """The single URI of the certificate's single CRL distribution point."""
    points = certificate.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    assert len(points) == 1
    point = points[0]
    assert (point.relative_name, point.reasons, point.crl_issuer) == (None, None, None)
    assert point.full_name is not None
    assert len(point.full_name) == 1
    uri = point.full_name[0]
    assert isinstance(uri, x509.UniformResourceIdentifier)
    return uri.value


def _signed_by(crl: x509.CertificateRevocationList, issuer: x509.Certificate) -> bool:
    key = issuer.public_key()
    assert isinstance(key, _CA_PUBLIC_KEYS)
    return crl.is_signature_valid(key)


def _fetch_crl(pca: AcmPcaMock, url: str) -> x509.CertificateRevocationList:
    return x509.load_der_x509_crl(pca.fetch(url))


def _stored_crl(pca: AcmPcaMock, key: str) -> x509.CertificateRevocationList:
    return x509.load_der_x509_crl(pca.objects.get(BUCKET, key))


def _number(crl: x509.CertificateRevocationList) -> int:
    return crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number


def _serials(crl: x509.CertificateRevocationList) -> set[int]:
    return {entry.serial_number for entry in crl}


def _reason(entry: x509.RevokedCertificate) -> x509.Extension[x509.CRLReason]:
    return entry.extensions.get_extension_for_class(x509.CRLReason)


def _raw_reason_codes(der: bytes) -> dict[int, int]:
    """Serial → the CRLReason ENUMERATED value as encoded, read without cryptography's mapping."""
    certificate_list, _ = der_decoder.decode(der, asn1Spec=rfc5280.CertificateList())
    codes = {}
    for entry in certificate_list["tbsCertList"]["revokedCertificates"]:
        for entry_extension in entry["crlEntryExtensions"]:
            if entry_extension["extnID"] == rfc5280.id_ce_cRLReasons:
                reason, _ = der_decoder.decode(bytes(entry_extension["extnValue"]), asn1Spec=rfc5280.CRLReason())
                codes[int(entry["userCertificate"])] = int(reason)
    return codes


def _epoch_millis(moment: datetime) -> int:
    return int(moment.timestamp()) * 1000 + moment.microsecond // 1000


def _crl_version(der: bytes) -> int:
    """The raw version field of tbsCertList (1 means v2); cryptography does not expose it."""
    document = loader.load_der_crl(der, "crl")
    return int(document.root.navigate("tbsCertList.version").pdu)


# --- when a CRL is written --------------------------------------------------------------


def test_enabling_crls_at_creation_writes_only_the_permission_test_key_until_a_leaf_is_issued(
    pca: AcmPcaMock, client: Any
) -> None:
    arn = create_ca(client, RevocationConfiguration=_revocation())
    assert pca.objects.buckets() == [BUCKET]
    assert pca.objects.keys(BUCKET) == [PERMISSION_TEST_KEY]

    activate_root(client, arn)
    # The root's own self-signed certificate references no CRL.
    assert pca.objects.keys(BUCKET) == [PERMISSION_TEST_KEY]

    _leaf(client, arn)
    assert pca.objects.keys(BUCKET) == [PERMISSION_TEST_KEY, f"crl/{_ca_id(arn)}.crl"]


def test_enabling_crls_with_update_writes_only_the_permission_test_key_until_the_next_leaf(
    pca: AcmPcaMock, client: Any
) -> None:
    arn = create_active_root(client)
    before = _leaf(client, arn)
    assert ExtensionOID.CRL_DISTRIBUTION_POINTS not in {extension.oid for extension in before.extensions}
    assert pca.objects.buckets() == []

    client.update_certificate_authority(CertificateAuthorityArn=arn, RevocationConfiguration=_revocation())
    assert pca.objects.keys(BUCKET) == [PERMISSION_TEST_KEY]

    after = _leaf(client, arn)
    key = f"crl/{_ca_id(arn)}.crl"
    assert pca.objects.keys(BUCKET) == [PERMISSION_TEST_KEY, key]
    assert _cdp_url(after) == f"http://{BUCKET}.s3.{REGION}.amazonaws.com/{key}"


def test_first_subordinate_ca_certificate_publishes_the_roots_crl(pca: AcmPcaMock, client: Any) -> None:
    root = _crl_root(client)
    assert pca.objects.keys(BUCKET) == [PERMISSION_TEST_KEY]

    create_active_subordinate(client, root)

    assert pca.objects.keys(BUCKET) == [PERMISSION_TEST_KEY, f"crl/{_ca_id(root)}.crl"]


def test_custom_path_replaces_the_crl_folder_in_the_object_key_and_the_url(pca: AcmPcaMock, client: Any) -> None:
    arn = _crl_root(client, CustomPath="pki/revocation")
    leaf = _leaf(client, arn)

    key = f"pki/revocation/{_ca_id(arn)}.crl"
    assert pca.objects.keys(BUCKET) == [PERMISSION_TEST_KEY, key]
    assert _cdp_url(leaf) == f"http://{BUCKET}.s3.{REGION}.amazonaws.com/{key}"
    assert pca.fetch(_cdp_url(leaf)) == pca.objects.get(BUCKET, key)


def test_changing_the_bucket_publishes_the_crl_there_once_a_certificate_points_at_it(
    pca: AcmPcaMock, client: Any
) -> None:
    # Reference §7.3: the bucket holds only the test object until a certificate
    # referencing the CRL is issued, and from then on the CRL itself.
    arn = _crl_root(client)
    _leaf(client, arn)
    moved = _revocation()
    moved["CrlConfiguration"]["S3BucketName"] = "pca-mock-other-bucket"
    client.update_certificate_authority(CertificateAuthorityArn=arn, RevocationConfiguration=moved)
    assert pca.objects.keys("pca-mock-other-bucket") == [PERMISSION_TEST_KEY]

    leaf = _leaf(client, arn)

    key = f"crl/{_ca_id(arn)}.crl"
    assert _cdp_url(leaf) == f"http://pca-mock-other-bucket.s3.{REGION}.amazonaws.com/{key}"
    assert pca.objects.keys("pca-mock-other-bucket") == [PERMISSION_TEST_KEY, key]
    assert _signed_by(_fetch_crl(pca, _cdp_url(leaf)), _ca_certificate(client, arn))


# --- following URLs ---------------------------------------------------------------------


def test_leaf_cdp_is_the_virtual_hosted_s3_url_of_the_crl_and_fetch_returns_the_stored_object(
    pca: AcmPcaMock, client: Any
) -> None:
    arn = _crl_root(client)
    leaf = _leaf(client, arn)

    key = f"crl/{_ca_id(arn)}.crl"
    assert _cdp_url(leaf) == f"http://{BUCKET}.s3.{REGION}.amazonaws.com/{key}"
    assert pca.fetch(_cdp_url(leaf)) == pca.objects.get(BUCKET, key)


def test_path_style_s3_url_of_the_crl_resolves_to_the_same_object(pca: AcmPcaMock, client: Any) -> None:
    arn = _crl_root(client)
    _leaf(client, arn)
    key = f"crl/{_ca_id(arn)}.crl"

    assert pca.fetch(f"http://s3.{REGION}.amazonaws.com/{BUCKET}/{key}") == pca.objects.get(BUCKET, key)


def test_custom_cname_in_the_cdp_resolves_to_the_crl_in_the_bucket(pca: AcmPcaMock, client: Any) -> None:
    arn = _crl_root(client, CustomCname="crl.example.com")
    leaf = _leaf(client, arn)

    key = f"crl/{_ca_id(arn)}.crl"
    assert _cdp_url(leaf) == f"http://crl.example.com/{key}"
    assert pca.objects.keys(BUCKET) == [PERMISSION_TEST_KEY, key]
    assert pca.fetch(_cdp_url(leaf)) == pca.objects.get(BUCKET, key)


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("http://crl.example.org/crl/{id}.crl", id="unknown-host"),
        pytest.param("http://{bucket}.s3.us-east-1.amazonaws.com/crl/not-a-ca.crl", id="unknown-key"),
        pytest.param("http://other-bucket.s3.us-east-1.amazonaws.com/crl/{id}.crl", id="unknown-bucket"),
        pytest.param("http://s3.us-east-1.amazonaws.com/{bucket}/crl/not-a-ca.crl", id="unknown-key-path-style"),
        pytest.param("http://{bucket}.s3.us-east-1.amazonaws.com/{id}.crl", id="key-outside-the-folder"),
    ],
)
def test_fetching_a_url_where_nothing_was_published_raises_object_not_found(
    pca: AcmPcaMock, client: Any, url: str
) -> None:
    arn = _crl_root(client)
    _leaf(client, arn)

    with pytest.raises(ObjectNotFoundError):
        pca.fetch(url.format(id=_ca_id(arn), bucket=BUCKET))


def test_reading_an_unknown_object_raises_object_not_found(pca: AcmPcaMock, client: Any) -> None:
    arn = _crl_root(client)
    _leaf(client, arn)

    with pytest.raises(ObjectNotFoundError):
        pca.objects.get(BUCKET, "crl/not-a-ca.crl")
    with pytest.raises(ObjectNotFoundError):
        pca.objects.object("pca-mock-never-written", f"crl/{_ca_id(arn)}.crl")
    assert pca.objects.keys("pca-mock-never-written") == []


# --- CRL content ------------------------------------------------------------------------


def test_crl_is_a_der_v2_crl_of_the_ca_with_its_authority_key_identifier_and_a_crl_number(
    pca: AcmPcaMock, client: Any
) -> None:
    arn = _crl_root(client)
    leaf = _leaf(client, arn)
    ca = _ca_certificate(client, arn)

    der = pca.fetch(_cdp_url(leaf))
    crl = x509.load_der_x509_crl(der)  # DER, not PEM

    assert _crl_version(der) == 1  # v2
    assert crl.issuer == ca.subject
    assert _signed_by(crl, ca)
    ski = ca.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    assert {(extension.oid, extension.critical) for extension in crl.extensions} == {
        (ExtensionOID.AUTHORITY_KEY_IDENTIFIER, False),
        (ExtensionOID.CRL_NUMBER, False),
    }
    assert crl.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value == x509.AuthorityKeyIdentifier(
        ski, None, None
    )
    assert _number(crl) > 0
    assert len(crl) == 0


@pytest.mark.parametrize(("key_algorithm", "signing_algorithm", "oid", "digest"), SIGNING_ALGORITHMS)
def test_crl_is_signed_with_the_signing_algorithm_of_the_ca_configuration(
    pca: AcmPcaMock, client: Any, key_algorithm: str, signing_algorithm: str, oid: x509.ObjectIdentifier, digest: Any
) -> None:
    arn = _crl_root(client, configuration=ca_configuration(key_algorithm, signing_algorithm))
    leaf = _leaf(client, arn)
    _revoke(client, arn, leaf)
    ca = _ca_certificate(client, arn)

    crl = _fetch_crl(pca, _cdp_url(leaf))

    assert crl.signature_algorithm_oid == oid
    if digest is None:
        assert crl.signature_hash_algorithm is None
    else:
        assert isinstance(crl.signature_hash_algorithm, digest)
    assert _signed_by(crl, ca)
    assert crl.issuer == ca.subject
    assert _serials(crl) == {leaf.serial_number}


@pytest.mark.parametrize(
    ("expiration_in_days", "next_update"),
    [
        pytest.param(None, DEFAULT_EXPIRATION, id="default-7-days"),
        pytest.param(1, timedelta(days=1), id="1-day"),
        pytest.param(365, timedelta(days=365), id="365-days"),
        pytest.param(5000, timedelta(days=5000), id="5000-days"),
    ],
)
def test_crl_this_update_is_an_hour_before_generation_and_next_update_expiration_in_days_after(
    pca: AcmPcaMock, client: Any, clock: Any, expiration_in_days: int | None, next_update: timedelta
) -> None:
    crl_fields: dict[str, Any] = {} if expiration_in_days is None else {"ExpirationInDays": expiration_in_days}
    arn = _crl_root(client, **crl_fields)
    leaf = _leaf(client, arn)

    crl = _fetch_crl(pca, _cdp_url(leaf))

    assert crl.last_update_utc == NOW - BACKDATE
    assert crl.next_update_utc == NOW + next_update
    # AWS's samples carry the generation time in epoch milliseconds as the CRL Number.
    assert _number(crl) == _epoch_millis(NOW)


def test_crl_number_increases_with_every_publication_even_on_a_frozen_clock(
    pca: AcmPcaMock, client: Any, clock: Any
) -> None:
    arn = _crl_root(client)
    first, second = _leaf(client, arn), _leaf(client, arn)
    url = _cdp_url(first)

    numbers = [_number(_fetch_crl(pca, url))]
    _revoke(client, arn, first)
    numbers.append(_number(_fetch_crl(pca, url)))
    _revoke(client, arn, second)
    numbers.append(_number(_fetch_crl(pca, url)))

    assert numbers[0] < numbers[1] < numbers[2]
    assert _serials(_fetch_crl(pca, url)) == {first.serial_number, second.serial_number}


# --- entries ------------------------------------------------------------------------------


@pytest.mark.parametrize(("reason", "flag", "code"), REASONS)
def test_revoked_certificate_is_listed_with_its_revocation_date_and_reason_code(
    pca: AcmPcaMock, client: Any, clock: Any, reason: str, flag: x509.ReasonFlags, code: int
) -> None:
    arn = _crl_root(client)
    leaf = _leaf(client, arn)
    clock.shift(timedelta(minutes=5))

    _revoke(client, arn, leaf, reason)

    der = pca.fetch(_cdp_url(leaf))
    crl = x509.load_der_x509_crl(der)
    entry = crl.get_revoked_certificate_by_serial_number(leaf.serial_number)
    assert entry is not None
    assert entry.revocation_date_utc == NOW + timedelta(minutes=5)
    assert _reason(entry) == x509.Extension(CRLEntryExtensionOID.CRL_REASON, False, x509.CRLReason(flag))
    assert len(crl) == 1
    assert _raw_reason_codes(der) == {leaf.serial_number: code}


def test_only_revoked_certificates_of_the_ca_itself_are_listed(pca: AcmPcaMock, client: Any) -> None:
    # Two CAs publishing into the same bucket.
    first, second = _crl_root(client), _crl_root(client)
    revoked, kept = _leaf(client, first), _leaf(client, first)
    other = _leaf(client, second)
    _revoke(client, first, revoked)
    _revoke(client, second, other, "SUPERSEDED")

    assert _serials(_fetch_crl(pca, _cdp_url(kept))) == {revoked.serial_number}
    assert _serials(_fetch_crl(pca, _cdp_url(other))) == {other.serial_number}
    assert _cdp_url(kept) != _cdp_url(other)


def test_revoked_certificate_stays_in_the_first_crl_generated_after_it_expired_and_leaves_the_next(
    pca: AcmPcaMock, client: Any, clock: Any
) -> None:
    arn = _crl_root(client)
    leaf = _leaf(client, arn, days=1)
    _revoke(client, arn, leaf)
    url = _cdp_url(leaf)
    at_revocation = _fetch_crl(pca, url)
    assert _serials(at_revocation) == {leaf.serial_number}

    # Expired, but the CRL from before the expiry is not yet half way through its validity.
    clock.move_to(leaf.not_valid_after_utc + timedelta(days=1))
    unchanged = _fetch_crl(pca, url)
    assert _number(unchanged) == _number(at_revocation)
    assert _serials(unchanged) == {leaf.serial_number}

    # Past the midpoint: the first CRL generated after the expiry still lists it.
    generated = NOW + timedelta(days=4)
    clock.move_to(generated)
    after_expiry = _fetch_crl(pca, url)
    assert _number(after_expiry) > _number(at_revocation)
    assert after_expiry.last_update_utc == generated - BACKDATE
    assert _serials(after_expiry) == {leaf.serial_number}

    # The next regularly generated CRL (past the midpoint of that one) drops it.
    clock.move_to(generated + timedelta(days=4))
    later = _fetch_crl(pca, url)
    assert _number(later) > _number(after_expiry)
    assert _serials(later) == set()


def test_crl_generated_after_an_entry_expired_is_served_until_its_own_midpoint(
    pca: AcmPcaMock, client: Any, clock: Any
) -> None:
    # AWS regenerates at the midpoint and after revocations (reference §7.3):
    # the CRL still listing an expired entry is not replaced earlier than any other.
    arn = _crl_root(client)
    leaf = _leaf(client, arn, days=1)
    _revoke(client, arn, leaf)
    url = _cdp_url(leaf)
    clock.move_to(NOW + timedelta(days=4))
    after_expiry = _fetch_crl(pca, url)
    assert _serials(after_expiry) == {leaf.serial_number}

    clock.shift(timedelta(hours=1))
    again = _fetch_crl(pca, url)

    assert _number(again) == _number(after_expiry)
    assert _serials(again) == {leaf.serial_number}


@pytest.mark.parametrize("read", [pytest.param("fetch", id="fetch"), pytest.param("objects", id="objects")])
def test_crl_is_regenerated_when_read_past_the_midpoint_of_its_validity(
    pca: AcmPcaMock, client: Any, clock: Any, read: str
) -> None:
    arn = _crl_root(client, ExpirationInDays=2)
    leaf = _leaf(client, arn)
    key = f"crl/{_ca_id(arn)}.crl"

    def current() -> bytes:
        return pca.fetch(_cdp_url(leaf)) if read == "fetch" else pca.objects.get(BUCKET, key)

    first = current()
    # thisUpdate NOW - 1 h, nextUpdate NOW + 48 h: the midpoint is NOW + 23.5 h.
    midpoint = NOW + timedelta(hours=23, minutes=30)
    clock.move_to(midpoint - timedelta(seconds=1))
    assert current() == first

    clock.move_to(midpoint + timedelta(seconds=1))
    refreshed = x509.load_der_x509_crl(current())

    assert _number(refreshed) > _number(x509.load_der_x509_crl(first))
    assert refreshed.last_update_utc == midpoint + timedelta(seconds=1) - BACKDATE
    assert refreshed.next_update_utc == midpoint + timedelta(seconds=1) + timedelta(days=2)
    assert pca.objects.object(BUCKET, key).last_modified == midpoint + timedelta(seconds=1)


# --- partitioned CRLs ---------------------------------------------------------------------


@pytest.fixture
def small_partitions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crls, "PARTITION_SIZE", 2)


PARTITION_LOCATIONS = [
    pytest.param({}, f"http://{BUCKET}.s3.{REGION}.amazonaws.com/crl/", "crl/", id="default"),
    pytest.param(
        {"CustomCname": "crl.example.com", "CustomPath": "pki/partitions"},
        "http://crl.example.com/pki/partitions/",
        "pki/partitions/",
        id="custom-cname-and-path",
    ),
]


@pytest.mark.usefixtures("small_partitions")
@pytest.mark.parametrize(("crl_fields", "url_prefix", "key_prefix"), PARTITION_LOCATIONS)
def test_partitioned_crl_binds_certificates_to_partitions_each_published_with_its_own_url(
    pca: AcmPcaMock, client: Any, crl_fields: dict[str, Any], url_prefix: str, key_prefix: str
) -> None:
    arn = _crl_root(client, CrlType="PARTITIONED", **crl_fields)
    ca = _ca_certificate(client, arn)
    leaves = [_leaf(client, arn) for _ in range(5)]
    urls = [_cdp_url(leaf) for leaf in leaves]

    # Two certificates per partition: three partitions for five certificates.
    assert urls[0] == urls[1] != urls[2] == urls[3] != urls[4] != urls[0]
    guids = []
    for url in dict.fromkeys(urls):
        match = re.fullmatch(re.escape(url_prefix) + f"({GUID}).crl", url)
        assert match is not None, url
        guids.append(match.group(1))
        assert uuid.UUID(match.group(1)) != uuid.UUID(_ca_id(arn))
    # Every partition's CRL is there as soon as a certificate points at it.
    for url in urls:
        crl = _fetch_crl(pca, url)
        assert _signed_by(crl, ca)
        point = crl.extensions.get_extension_for_class(x509.IssuingDistributionPoint)
        assert point.critical
        assert point.value == x509.IssuingDistributionPoint(
            full_name=[x509.UniformResourceIdentifier(url)],
            relative_name=None,
            only_contains_user_certs=False,
            only_contains_ca_certs=False,
            only_some_reasons=None,
            indirect_crl=False,
            only_contains_attribute_certs=False,
        )
    assert pca.objects.keys(BUCKET) == sorted([PERMISSION_TEST_KEY, *(f"{key_prefix}{guid}.crl" for guid in guids)])


@pytest.mark.usefixtures("small_partitions")
def test_revoked_certificate_is_listed_only_in_the_crl_of_its_partition(pca: AcmPcaMock, client: Any) -> None:
    arn = _crl_root(client, CrlType="PARTITIONED")
    ca = _ca_certificate(client, arn)
    leaves = [_leaf(client, arn) for _ in range(5)]
    _revoke(client, arn, leaves[0])
    _revoke(client, arn, leaves[3], "SUPERSEDED")

    by_url = {url: _fetch_crl(pca, url) for url in dict.fromkeys(_cdp_url(leaf) for leaf in leaves)}

    assert [_serials(crl) for crl in by_url.values()] == [{leaves[0].serial_number}, {leaves[3].serial_number}, set()]
    for url, crl in by_url.items():
        assert _signed_by(crl, ca)
        point = crl.extensions.get_extension_for_class(x509.IssuingDistributionPoint)
        assert (point.critical, point.value.full_name) == (True, [x509.UniformResourceIdentifier(url)])
    # One generation: every partition carries the same CRL Number.
    assert len({_number(crl) for crl in by_url.values()}) == 1


def test_complete_crl_carries_no_issuing_distribution_point(pca: AcmPcaMock, client: Any) -> None:
    arn = _crl_root(client, CrlType="COMPLETE")
    leaf = _leaf(client, arn)
    _revoke(client, arn, leaf)

    crl = _fetch_crl(pca, _cdp_url(leaf))

    assert ExtensionOID.ISSUING_DISTRIBUTION_POINT not in {extension.oid for extension in crl.extensions}
    assert _cdp_url(leaf) == f"http://{BUCKET}.s3.{REGION}.amazonaws.com/crl/{_ca_id(arn)}.crl"


# --- configuration details ----------------------------------------------------------------


def test_omitted_cdp_extension_leaves_certificates_without_a_cdp_but_the_crl_is_still_published(
    pca: AcmPcaMock, client: Any
) -> None:
    arn = _crl_root(client, CrlDistributionPointExtensionConfiguration={"OmitExtension": True})
    leaf = _leaf(client, arn)
    _revoke(client, arn, leaf)

    assert ExtensionOID.CRL_DISTRIBUTION_POINTS not in {extension.oid for extension in leaf.extensions}
    key = f"crl/{_ca_id(arn)}.crl"
    assert pca.objects.keys(BUCKET) == [PERMISSION_TEST_KEY, key]
    crl = _stored_crl(pca, key)
    assert _signed_by(crl, _ca_certificate(client, arn))
    assert _serials(crl) == {leaf.serial_number}


@pytest.mark.parametrize(
    ("acl", "recorded"),
    [
        pytest.param(None, "PUBLIC_READ", id="default"),
        pytest.param("PUBLIC_READ", "PUBLIC_READ", id="public-read"),
        pytest.param("BUCKET_OWNER_FULL_CONTROL", "BUCKET_OWNER_FULL_CONTROL", id="bucket-owner-full-control"),
    ],
)
def test_crl_object_records_the_s3_object_acl_and_the_pkix_crl_content_type(
    pca: AcmPcaMock, client: Any, clock: Any, acl: str | None, recorded: str
) -> None:
    crl_fields: dict[str, Any] = {} if acl is None else {"S3ObjectAcl": acl}
    arn = _crl_root(client, **crl_fields)
    _leaf(client, arn)
    key = f"crl/{_ca_id(arn)}.crl"

    stored = pca.objects.object(BUCKET, key)

    assert (stored.bucket, stored.key, stored.acl, stored.content_type) == (
        BUCKET,
        key,
        recorded,
        "application/pkix-crl",
    )
    assert stored.account == "123456789012"
    assert stored.last_modified == NOW
    assert x509.load_der_x509_crl(stored.body).issuer == _ca_certificate(client, arn).subject


# --- pkilint -------------------------------------------------------------------------------


@pytest.mark.usefixtures("small_partitions")
@pytest.mark.parametrize("crl_type", ["COMPLETE", "PARTITIONED"])
@pytest.mark.parametrize(
    ("key_algorithm", "signing_algorithm"),
    [
        pytest.param("EC_prime256v1", "SHA256WITHECDSA", id="ecdsa"),
        pytest.param("RSA_2048", "SHA256WITHRSA", id="rsa"),
        pytest.param("RSA_2048", "SHA384WITHRSA_PSS", id="rsa-pss"),
        pytest.param("ML_DSA_65", "ML_DSA_65", id="ml-dsa"),
    ],
)
def test_crls_with_entries_for_every_reason_pass_pkilint_without_errors(
    pca: AcmPcaMock, client: Any, crl_type: str, key_algorithm: str, signing_algorithm: str
) -> None:
    arn = _crl_root(client, configuration=ca_configuration(key_algorithm, signing_algorithm), CrlType=crl_type)
    leaves = [_leaf(client, arn) for _ in range(len(REASON_CODES) + 1)]
    for leaf, reason in zip(leaves, REASON_CODES, strict=False):
        _revoke(client, arn, leaf, reason)

    urls = list(dict.fromkeys(_cdp_url(leaf) for leaf in leaves))
    assert len(urls) == (1 if crl_type == "COMPLETE" else 5)
    for url in urls:
        assert crl_findings(pca.fetch(url)) == []


def test_empty_crl_passes_pkilint_without_errors(pca: AcmPcaMock, client: Any) -> None:
    arn = _crl_root(client)
    leaf = _leaf(client, arn)

    assert crl_findings(pca.fetch(_cdp_url(leaf))) == []


# --- state --------------------------------------------------------------------------------


def test_stopping_the_mock_discards_every_published_object() -> None:
    with mock_acmpca() as mock:
        client = boto3.client("acm-pca", region_name=REGION)
        arn = _crl_root(client)
        leaf = _leaf(client, arn)
        url = _cdp_url(leaf)
        assert mock.objects.keys(BUCKET) == [PERMISSION_TEST_KEY, f"crl/{_ca_id(arn)}.crl"]

    assert mock.objects.buckets() == []
    with mock_acmpca() as fresh:
        assert fresh.objects.buckets() == []
        with pytest.raises(ObjectNotFoundError):
            fresh.fetch(url)
