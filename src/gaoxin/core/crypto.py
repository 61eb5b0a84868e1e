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
from django.utils.translation import gettext_lazy as _

from gaoxin.core.errors import ApplicationError


class FieldKeyError(ApplicationError, ValueError):
    """Stored personal data cannot be decrypted with GAOXIN_FIELD_KEY: the key was
    changed without keeping the old one, or the row was tampered with. An
    operator's problem, not the user's: the API answers 503 `field_key_mismatch`
    and pages say what to fix (never a bare 500). A ValueError as well, so
    callers that skip undecryptable values keep doing so."""

    status = 503
    code = "field_key_mismatch"

    def __init__(self, message=None, **kwargs):
        super().__init__(
            message
            or _(
                "无法解密个人信息：GAOXIN_FIELD_KEY 与加密时的密钥不符（密钥被更换而未保留旧密钥，"
                "或数据被改动）。请管理员恢复原密钥，或把旧密钥用逗号接在新密钥之后。"
            ),
            **kwargs,
        )


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
        raise FieldKeyError() from exc


@functools.cache
def _seal_keys(field_key: str) -> tuple[bytes, ...]:
    secrets = [k.strip() for k in field_key.split(",") if k.strip()]
    return tuple(_derive(s, b"seal") for s in secrets)


def seal(kind: str, text: str) -> str:
    """Keyed hash of a record that must not change (a ledger entry): whoever can
    edit the row but has not GAOXIN_FIELD_KEY cannot make a matching seal."""
    key = _seal_keys(settings.FIELD_KEY)[0]
    return hmac.new(key, f"{kind}:{text}".encode(), hashlib.sha256).hexdigest()


def seal_valid(kind: str, text: str, digest: str) -> bool:
    """Whether `digest` seals `text` under any key of GAOXIN_FIELD_KEY (old keys
    kept after a rotation still vouch for what they sealed)."""
    message = f"{kind}:{text}".encode()
    return any(
        hmac.compare_digest(hmac.new(key, message, hashlib.sha256).hexdigest(), digest)
        for key in _seal_keys(settings.FIELD_KEY)
    )


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
