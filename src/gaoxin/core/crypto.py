"""Encryption at rest and blind indexes for personal identifiers.

Ciphertext is Fernet (AES-128-CBC + HMAC-SHA256). A separate HMAC key makes a
deterministic "blind index" so uniqueness and exact lookup work without
decrypting. Both keys are derived from GAOXIN_FIELD_KEY with HKDF; a
comma-separated list of keys lets old ciphertext be read after a rotation
(the first key encrypts; blind indexes follow the first key only, so rotating
means re-indexing — see README).
"""

import base64
import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _derive(secret: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"gaoxin-field", info=purpose).derive(
        secret.encode()
    )


@functools.cache
def _keys(field_key: str) -> tuple[MultiFernet, bytes]:
    secrets = [k.strip() for k in field_key.split(",") if k.strip()]
    if not secrets:
        raise RuntimeError("GAOXIN_FIELD_KEY is empty")
    fernets = [Fernet(base64.urlsafe_b64encode(_derive(s, b"encrypt"))) for s in secrets]
    return MultiFernet(fernets), _derive(secrets[0], b"blind-index")


def encrypt(plaintext: str) -> str:
    """Return ASCII ciphertext for a non-empty string; '' stays ''."""
    if not plaintext:
        return ""
    fernet, _ = _keys(settings.FIELD_KEY)
    return fernet.encrypt(plaintext.encode()).decode("ascii")


def decrypt(ciphertext: str) -> str:
    if not ciphertext:
        return ""
    fernet, _ = _keys(settings.FIELD_KEY)
    try:
        return fernet.decrypt(ciphertext.encode("ascii")).decode()
    except InvalidToken as exc:  # wrong key or tampered row
        raise ValueError("ciphertext cannot be decrypted with GAOXIN_FIELD_KEY") from exc


def blind_index(kind: str, normalized: str) -> str:
    """Keyed hash for exact lookup; '' for an empty value so it never collides."""
    if not normalized:
        return ""
    _, mac_key = _keys(settings.FIELD_KEY)
    return hmac.new(mac_key, f"{kind}:{normalized}".encode(), hashlib.sha256).hexdigest()


def mask_id_number(value: str) -> str:
    """`441284199001011234` → `4412**********1234`."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    """`13812341234` → `138****1234`."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
