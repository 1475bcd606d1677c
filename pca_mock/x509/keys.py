"""Key pairs and signature algorithms, by their AWS names."""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, mldsa, padding, rsa

from pca_mock.x509 import keypool

PrivateKey = (
    rsa.RSAPrivateKey
    | ec.EllipticCurvePrivateKey
    | mldsa.MLDSA44PrivateKey
    | mldsa.MLDSA65PrivateKey
    | mldsa.MLDSA87PrivateKey
)
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
    "ML_DSA_44": ("ML_DSA_44", mldsa.MLDSA44PrivateKey),
    "ML_DSA_65": ("ML_DSA_65", mldsa.MLDSA65PrivateKey),
    "ML_DSA_87": ("ML_DSA_87", mldsa.MLDSA87PrivateKey),
}
_ML_DSA_KEYS = (mldsa.MLDSA44PrivateKey, mldsa.MLDSA65PrivateKey, mldsa.MLDSA87PrivateKey)


@dataclass(frozen=True, slots=True)
class Signature:
    """How a SigningAlgorithm signs: key family, hash, and RSA padding."""

    family: str
    hash_type: type[SignatureHash] | None = None
    pss: bool = False

    def hash(self) -> SignatureHash | None:
        """The digest to sign with; None for ML-DSA, which signs the message itself."""
        if self.hash_type is None:
            if self.family.startswith("ML_DSA"):
                return None
            raise ValueError(f"pyca/cryptography has no {self.family} signatures")
        return self.hash_type()

    def rsa_padding(self) -> padding.PSS | None:
        """PSS with MGF1 over the same hash and a salt as long as the digest; None for PKCS#1 v1.5."""
        if not self.pss:
            return None
        assert self.hash_type is not None
        return padding.PSS(mgf=padding.MGF1(self.hash_type()), salt_length=padding.PSS.DIGEST_LENGTH)


SIGNING_ALGORITHMS: dict[str, Signature] = {
    "SHA256WITHRSA": Signature("RSA", hashes.SHA256),
    "SHA384WITHRSA": Signature("RSA", hashes.SHA384),
    "SHA512WITHRSA": Signature("RSA", hashes.SHA512),
    "SHA256WITHRSA_PSS": Signature("RSA", hashes.SHA256, pss=True),
    "SHA384WITHRSA_PSS": Signature("RSA", hashes.SHA384, pss=True),
    "SHA512WITHRSA_PSS": Signature("RSA", hashes.SHA512, pss=True),
    "SHA256WITHECDSA": Signature("EC", hashes.SHA256),
    "SHA384WITHECDSA": Signature("EC", hashes.SHA384),
    "SHA512WITHECDSA": Signature("EC", hashes.SHA512),
    "SM3WITHSM2": Signature("SM2"),
    "ML_DSA_44": Signature("ML_DSA_44"),
    "ML_DSA_65": Signature("ML_DSA_65"),
    "ML_DSA_87": Signature("ML_DSA_87"),
}


def key_family(key_algorithm: str) -> str:
    return KEY_ALGORITHMS[key_algorithm][0]


def generate_private_key(key_algorithm: str, *, pooled: bool = False) -> PrivateKey:
    """A new private key; ``pooled`` takes an RSA key from the pre-generated pool (see keypool)."""
    family, parameter = KEY_ALGORITHMS[key_algorithm]
    if family == "RSA":
        assert isinstance(parameter, int)
        if pooled:
            return keypool.POOL.take(parameter)
        return rsa.generate_private_key(public_exponent=65537, key_size=parameter)
    if family == "EC":
        assert isinstance(parameter, ec.EllipticCurve)
        return ec.generate_private_key(parameter)
    if isinstance(parameter, type) and issubclass(parameter, _ML_DSA_KEYS):
        return parameter.generate()
    raise ValueError(f"pyca/cryptography cannot generate {key_algorithm} keys")


def public_key_der(public_key: object) -> bytes:
    """SubjectPublicKeyInfo DER, the form two keys are compared in."""
    return public_key.public_bytes(  # type: ignore[attr-defined, no-any-return]
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
