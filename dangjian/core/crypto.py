"""Personal data at rest: encryption (Fernet, or the 国密 SM4 with SM3), a keyed hash for
look-ups and uniqueness, and masking for display.

The algorithm is settings.FIELD_CIPHER: "fernet" (AES-128-CBC with HMAC-SHA256, keys in
FIELD_ENCRYPTION_KEYS) or "sm4" (SM4-GCM, GB/T 32907, 128-bit keys as 32 hex digits in
FIELD_SM4_KEYS). For each algorithm the first key encrypts and every key decrypts. A ciphertext
names its algorithm and key: "fernet:<key id>:<token>" or "sm4:<key id>:<nonce|ciphertext|tag>";
a value written before the prefixes existed is a bare Fernet token. So values of both algorithms
and of old keys are read during a change, and `manage.py rotate_field_keys` re-encrypts them all
with the first key of the configured algorithm.

The keyed hash is HMAC-SHA256 under "fernet" and HMAC-SM3 (GB/T 32905) under "sm4", keyed with
settings.FIELD_HASH_KEY. Local runs without keys derive development keys from SECRET_KEY;
production refuses to start without real keys.
"""

import base64
import binascii
import functools
import hashlib
import hmac
import os
import re

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.signals import setting_changed
from django.db import models

CIPHERS = ("fernet", "sm4")
UNREADABLE = "无法解密：密钥不匹配"


def _derive(info: bytes, length: int = 32) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=b"dangjian", info=info).derive(
        settings.SECRET_KEY.encode()
    )


def _key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:8]


def cipher_name() -> str:
    name = getattr(settings, "FIELD_CIPHER", "fernet")
    if name not in CIPHERS:
        raise ImproperlyConfigured(f"FIELD_CIPHER 只能是 {' 或 '.join(CIPHERS)}")
    return name


@functools.cache
def _fernet_keys() -> dict:
    keys = list(settings.FIELD_ENCRYPTION_KEYS) or [base64.urlsafe_b64encode(_derive(b"field-encryption"))]
    return {_key_id(k.encode() if isinstance(k, str) else k): Fernet(k) for k in keys}


@functools.cache
def _fernet() -> MultiFernet:
    return MultiFernet(list(_fernet_keys().values()))


@functools.cache
def _sm4_keys() -> dict:
    """{key id: 16-byte key}, the first one encrypting."""
    keys = []
    for text in getattr(settings, "FIELD_SM4_KEYS", []):
        try:
            key = binascii.unhexlify(text)
        except (binascii.Error, ValueError):
            key = b""
        if len(key) != 16:
            raise ImproperlyConfigured("SM4 密钥须为 32 位十六进制数（128 位）")
        keys.append(key)
    keys = keys or [_derive(b"field-encryption-sm4", 16)]
    return {_key_id(k): k for k in keys}


@functools.cache
def _hash_key() -> bytes:
    return settings.FIELD_HASH_KEY.encode() if settings.FIELD_HASH_KEY else _derive(b"field-hash")


def _clear_caches(*, setting, **kwargs):
    if setting in {"FIELD_CIPHER", "FIELD_ENCRYPTION_KEYS", "FIELD_SM4_KEYS", "FIELD_HASH_KEY", "SECRET_KEY"}:
        for cached in (_fernet_keys, _fernet, _sm4_keys, _hash_key):
            cached.cache_clear()


setting_changed.connect(_clear_caches)


def current_prefix() -> str:
    """ "<algorithm>:<key id>:" of the ciphertexts written now (the configured algorithm's first key)."""
    name = cipher_name()
    keys = _sm4_keys() if name == "sm4" else _fernet_keys()
    return f"{name}:{next(iter(keys))}:"


def _sm4_encrypt(key_id: str, key: bytes, data: bytes) -> str:
    nonce = os.urandom(12)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(f"sm4:{key_id}".encode())
    body = encryptor.update(data) + encryptor.finalize()
    return base64.urlsafe_b64encode(nonce + body + encryptor.tag).decode()


def _sm4_decrypt(key_id: str, key: bytes, token: str) -> bytes:
    raw = base64.urlsafe_b64decode(token.encode())
    if len(raw) < 28:
        raise InvalidTag
    nonce, body, tag = raw[:12], raw[12:-16], raw[-16:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(f"sm4:{key_id}".encode())
    return decryptor.update(body) + decryptor.finalize()


def encrypt(text: str) -> str:
    prefix = current_prefix()
    name, key_id, _ = prefix.split(":")
    if name == "sm4":
        return prefix + _sm4_encrypt(key_id, _sm4_keys()[key_id], text.encode())
    return prefix + _fernet_keys()[key_id].encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        name, key_id, body = token.split(":", 2) if ":" in token else ("", "", token)
        if name == "sm4":
            key = _sm4_keys().get(key_id)
            if key is None:
                raise ValueError(UNREADABLE)
            return _sm4_decrypt(key_id, key, body).decode()
        if name == "fernet":
            fernet = _fernet_keys().get(key_id)
            return (fernet or _fernet()).decrypt(body.encode()).decode()
        if name:
            raise ValueError(UNREADABLE)
        return _fernet().decrypt(token.encode()).decode()  # a bare Fernet token (before prefixes)
    except (InvalidToken, InvalidTag, binascii.Error, UnicodeDecodeError) as exc:
        raise ValueError(UNREADABLE) from exc


def keyed_hash(text: str) -> str:
    if cipher_name() == "sm4":
        mac = crypto_hmac.HMAC(_hash_key(), hashes.SM3())
        mac.update(text.encode())
        return mac.finalize().hex()
    return hmac.new(_hash_key(), text.encode(), hashlib.sha256).hexdigest()


def _keep_last(value: str, shown: int = 4) -> str:
    """Masked so it cannot be rebuilt: at most the last `shown` characters stay."""
    if not value:
        return ""
    if len(value) <= shown:
        return "*" * len(value)
    return "*" * (len(value) - shown) + value[-shown:]


def mask_id_number(value: str) -> str:
    """Only the last four ("**************123X"): no region or birth date part, which with
    the check digit would rebuild the number."""
    return _keep_last(value)


def mask_phone(value: str) -> str:
    return _keep_last(value)


def mask_birth_date(value) -> str:
    """A birth date shown without a reveal: the year only ("1990年"); also a date as written."""
    if not value:
        return ""
    match = re.search(r"\d{4}", value if isinstance(value, str) else f"{value:%Y}")
    return f"{match.group()}年" if match else "****"


class BirthDateField(models.DateField):
    """A birth date: a date for the rules (ages), shown without a reveal as its year only
    (`masked`, like EncryptedCharField's), in the admin, the API, audit snapshots and ledgers."""

    def masked(self, value):
        return mask_birth_date(value)


# how a ciphertext leaves the database in `dumpdata` (and is recognized by `loaddata`)
DUMP_PREFIX = "encrypted:"


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

    def value_to_string(self, obj):
        """`dumpdata` writes the ciphertext (prefixed), never the clear value."""
        value = self.value_from_object(obj)
        return DUMP_PREFIX + encrypt(value) if value else value

    def to_python(self, value):
        """A dumped ciphertext (`loaddata`) becomes the value again."""
        if isinstance(value, str) and value.startswith(DUMP_PREFIX):
            try:
                return decrypt(value.removeprefix(DUMP_PREFIX))
            except ValueError:
                raise ValidationError(
                    f"{self.verbose_name}：无法解密（密钥不匹配）", code="invalid"
                ) from None
        return super().to_python(value)

    def masked(self, value):
        if not value:
            return ""
        return self.mask(value) if self.mask else "******"
