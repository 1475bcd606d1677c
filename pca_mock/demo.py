"""A walk through pca_mock: root CA → subordinate CA → leaf → revoke → verify.

Run it with ``python -m pca_mock.demo`` (needs boto3). Every call below is an
ordinary boto3 call; pca_mock answers it in-process with real X.509.
"""

from __future__ import annotations

import time
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from pca_mock import mock_acmpca

REGION = "eu-west-1"
TEMPLATES = "arn:aws:acm-pca:::template"


def _step(text: str) -> None:
    print(f"\n→ {text}")


def _create_ca(client: Any, ca_type: str, common_name: str) -> str:
    arn: str = client.create_certificate_authority(
        CertificateAuthorityType=ca_type,
        CertificateAuthorityConfiguration={
            "KeyAlgorithm": "EC_prime256v1",
            "SigningAlgorithm": "SHA256WITHECDSA",
            "Subject": {"Country": "GB", "Organization": "Example Ltd", "CommonName": common_name},
        },
    )["CertificateAuthorityArn"]
    client.get_waiter("certificate_authority_csr_created").wait(CertificateAuthorityArn=arn)
    status = client.describe_certificate_authority(CertificateAuthorityArn=arn)["CertificateAuthority"]["Status"]
    print(f"  created {ca_type} CA {common_name!r}: {arn}\n  status: {status}")
    return arn


def _issue(client: Any, ca_arn: str, csr: str | bytes, template: str, validity: dict[str, Any]) -> dict[str, Any]:
    cert_arn = client.issue_certificate(
        CertificateAuthorityArn=ca_arn,
        Csr=csr,
        SigningAlgorithm="SHA256WITHECDSA",
        TemplateArn=f"{TEMPLATES}/{template}/V1",
        Validity=validity,
    )["CertificateArn"]
    client.get_waiter("certificate_issued").wait(CertificateAuthorityArn=ca_arn, CertificateArn=cert_arn)
    issued: dict[str, Any] = client.get_certificate(CertificateAuthorityArn=ca_arn, CertificateArn=cert_arn)
    issued["CertificateArn"] = cert_arn
    return issued


def main() -> None:
    import boto3

    started = time.perf_counter()
    with mock_acmpca():
        client = boto3.client("acm-pca", region_name=REGION)

        _step("Create a root CA and activate it with its own self-signed certificate")
        root_arn = _create_ca(client, "ROOT", "Example Root CA")
        root_csr = client.get_certificate_authority_csr(CertificateAuthorityArn=root_arn)["Csr"]
        root = _issue(client, root_arn, root_csr, "RootCACertificate", {"Type": "YEARS", "Value": 10})
        client.import_certificate_authority_certificate(
            CertificateAuthorityArn=root_arn, Certificate=root["Certificate"]
        )
        print(
            "  root status:",
            client.describe_certificate_authority(CertificateAuthorityArn=root_arn)["CertificateAuthority"]["Status"],
        )

        _step("Create a subordinate CA, have the root sign it (path length 0), import the chain")
        sub_arn = _create_ca(client, "SUBORDINATE", "Example Issuing CA")
        sub_csr = client.get_certificate_authority_csr(CertificateAuthorityArn=sub_arn)["Csr"]
        sub = _issue(client, root_arn, sub_csr, "SubordinateCACertificate_PathLen0", {"Type": "YEARS", "Value": 5})
        client.import_certificate_authority_certificate(
            CertificateAuthorityArn=sub_arn, Certificate=sub["Certificate"], CertificateChain=sub["CertificateChain"]
        )
        print(
            "  subordinate status:",
            client.describe_certificate_authority(CertificateAuthorityArn=sub_arn)["CertificateAuthority"]["Status"],
        )

        _step("Issue a TLS leaf certificate from the subordinate CA for a locally generated key")
        leaf_key = ec.generate_private_key(ec.SECP256R1())
        leaf_csr = (
            x509.CertificateSigningRequestBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "api.example.internal")]))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("api.example.internal")]), critical=False)
            .sign(leaf_key, hashes.SHA256())
            .public_bytes(serialization.Encoding.PEM)
        )
        leaf = _issue(client, sub_arn, leaf_csr, "EndEntityCertificate", {"Type": "DAYS", "Value": 30})
        leaf_cert = x509.load_pem_x509_certificate(leaf["Certificate"].encode())
        print(f"  {leaf['CertificateArn']}")
        print(f"  subject {leaf_cert.subject.rfc4514_string()}, issuer {leaf_cert.issuer.rfc4514_string()}")
        print(
            f"  valid {leaf_cert.not_valid_before_utc:%Y-%m-%d %H:%M} → {leaf_cert.not_valid_after_utc:%Y-%m-%d %H:%M} UTC"
        )

        _step("Verify the chain with cryptography's RFC 5280 path validation")
        from cryptography.x509 import DNSName
        from cryptography.x509.verification import PolicyBuilder, Store

        chain = x509.load_pem_x509_certificates(leaf["CertificateChain"].encode())
        store = Store([x509.load_pem_x509_certificate(root["Certificate"].encode())])
        verifier = PolicyBuilder().store(store).build_server_verifier(DNSName("api.example.internal"))
        path = verifier.verify(leaf_cert, chain[:-1])
        for depth, cert in enumerate(path):
            print(f"  [{depth}] {cert.subject.rfc4514_string()}")

        _step("Revoke the leaf, then try again")
        serial = f"{leaf_cert.serial_number:x}"
        client.revoke_certificate(
            CertificateAuthorityArn=sub_arn, CertificateSerial=serial, RevocationReason="KEY_COMPROMISE"
        )
        print(f"  revoked serial {serial}")
        try:
            client.revoke_certificate(
                CertificateAuthorityArn=sub_arn, CertificateSerial=serial, RevocationReason="KEY_COMPROMISE"
            )
        except client.exceptions.RequestAlreadyProcessedException as error:
            print(f"  second revoke → {error.response['Error']['Code']}: {error.response['Error']['Message']}")

        _step("Errors come back exactly as AWS sends them")
        try:
            client.delete_certificate_authority(CertificateAuthorityArn=root_arn)
        except client.exceptions.InvalidStateException as error:
            print(f"  delete ACTIVE root → {error.response['Error']['Code']}: {error.response['Error']['Message']}")

    print(f"\nDone in {time.perf_counter() - started:.2f} s, without touching the network.")


if __name__ == "__main__":
    main()
