"""Personal data at rest: Fernet encryption (cryptography), a keyed hash for look-ups and
uniqueness, and masking for display.

Keys come from settings.FIELD_ENCRYPTION_KEYS (Fernet keys; the first encrypts, all decrypt,
so keys can be rotated) and settings.FIELD_HASH_KEY. Local runs without keys derive
development keys from SECRET_KEY; production refuses to start without real keys.
"""

import base64
import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models


def _derive(info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"dangjian", info=info).derive(
        settings.SECRET_KEY.encode()
    )


@functools.cache
def _fernet() -> MultiFernet:
    keys = list(settings.FIELD_ENCRYPTION_KEYS) or [base64.urlsafe_b64encode(_derive(b"field-encryption"))]
    return MultiFernet([Fernet(k) for k in keys])


@functools.cache
def _hash_key() -> bytes:
    return settings.FIELD_HASH_KEY.encode() if settings.FIELD_HASH_KEY else _derive(b"field-hash")


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("无法解密：密钥不匹配") from exc


def keyed_hash(text: str) -> str:
    return hmac.new(_hash_key(), text.encode(), hashlib.sha256).hexdigest()


def mask_id_number(value: str) -> str:
    if not value:
        return ""
    return value[:3] + "*" * max(len(value) - 7, 0) + value[-4:]


def mask_phone(value: str) -> str:
    if not value:
        return ""
    if len(value) <= 7:
        return value[:1] + "*" * (len(value) - 1)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


class EncryptedCharField(models.TextField):
    """Stores the value encrypted; Python code sees plain text. Not searchable: pair it with a
    keyed-hash column. `mask` names the masking function used wherever the value is shown
    without permission (admin, API, audit log)."""

    def __init__(self, *args, mask=None, **kwargs):
        self.mask = mask
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)

    def masked(self, value):
        if not value:
            return ""
        return self.mask(value) if self.mask else "******"
