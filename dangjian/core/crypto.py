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
import re

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ValidationError
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
