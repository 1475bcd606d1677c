"""Key pairs and signature algorithms, by their AWS names."""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
SignatureHash = hashes.SHA256 | hashes.SHA384 | hashes.SHA512

# KeyAlgorithm → (family, parameter). Families: RSA, EC, SM2, ML_DSA_44/65/87.
KEY_ALGORITHMS: dict[str, tuple[str, object]] = {
    "RSA_2048": ("RSA", 2048),
    "RSA_3072": ("RSA", 3072),
    "RSA_4096": ("RSA", 4096),
    "EC_prime256v1": ("EC", ec.SECP256R1()),
    "EC_secp384r1": ("EC", ec.SECP384R1()),
    "EC_secp521r1": ("EC", ec.SECP521R1()),
    "SM2": ("SM2", None),
    "ML_DSA_44": ("ML_DSA_44", None),
    "ML_DSA_65": ("ML_DSA_65", None),
    "ML_DSA_87": ("ML_DSA_87", None),
}

# SigningAlgorithm → (family, hash).
SIGNING_ALGORITHMS: dict[str, tuple[str, type[SignatureHash] | None]] = {
    "SHA256WITHRSA": ("RSA", hashes.SHA256),
    "SHA384WITHRSA": ("RSA", hashes.SHA384),
    "SHA512WITHRSA": ("RSA", hashes.SHA512),
    "SHA256WITHECDSA": ("EC", hashes.SHA256),
    "SHA384WITHECDSA": ("EC", hashes.SHA384),
    "SHA512WITHECDSA": ("EC", hashes.SHA512),
    "SM3WITHSM2": ("SM2", None),
    "ML_DSA_44": ("ML_DSA_44", None),
    "ML_DSA_65": ("ML_DSA_65", None),
    "ML_DSA_87": ("ML_DSA_87", None),
}

# pyca/cryptography can generate and sign with these; the rest need support it lacks.
BUILDABLE_FAMILIES = frozenset({"RSA", "EC"})


def key_family(key_algorithm: str) -> str:
    return KEY_ALGORITHMS[key_algorithm][0]


def signing_family(signing_algorithm: str) -> str:
    return SIGNING_ALGORITHMS[signing_algorithm][0]


def public_key_family(public_key: object) -> str | None:
    """The family of a parsed public key, or None for one no SigningAlgorithm can sign for."""
    if isinstance(public_key, rsa.RSAPublicKey):
        return "RSA"
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        return "EC"
    return None


def signature_hash(signing_algorithm: str) -> SignatureHash:
    hash_type = SIGNING_ALGORITHMS[signing_algorithm][1]
    if hash_type is None:
        raise ValueError(f"{signing_algorithm} has no pyca/cryptography hash")
    return hash_type()


def generate_private_key(key_algorithm: str) -> PrivateKey:
    family, parameter = KEY_ALGORITHMS[key_algorithm]
    if family == "RSA":
        assert isinstance(parameter, int)
        return rsa.generate_private_key(public_exponent=65537, key_size=parameter)
    if family == "EC":
        assert isinstance(parameter, ec.EllipticCurve)
        return ec.generate_private_key(parameter)
    raise ValueError(f"pyca/cryptography cannot generate {key_algorithm} keys")


def public_key_der(public_key: object) -> bytes:
    """SubjectPublicKeyInfo DER, the form two keys are compared in."""
    return public_key.public_bytes(  # type: ignore[attr-defined, no-any-return]
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
