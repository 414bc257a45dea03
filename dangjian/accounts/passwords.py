"""The password policy beyond Django's validators (length, likeness to the login name, common and
all-digit passwords): at least three of the four kinds of characters, not the login name itself
(nor containing it), and not one of the user's last passwords. One policy for every path — the
back office's forms, the API, the commands and the reset — through AUTH_PASSWORD_VALIDATORS,
`accounts.services` and the user manager.

Also when a password must be changed: at the first sign-in after an administrator made the account
or reset the password, and once it is PASSWORD_MAX_AGE_DAYS old."""

import datetime
import secrets
import string

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone

KINDS = (
    ("大写字母", lambda c: c in string.ascii_uppercase),
    ("小写字母", lambda c: c in string.ascii_lowercase),
    ("数字", lambda c: c in string.digits),
    ("符号", lambda c: not c.isalnum() and not c.isspace()),
)


class CharacterKindsValidator:
    def __init__(self, min_kinds: int = 3):
        self.min_kinds = min_kinds

    def kinds_in(self, password: str) -> int:
        return sum(1 for _, test in KINDS if any(test(c) for c in password))

    def validate(self, password, user=None):
        if self.kinds_in(password) < self.min_kinds:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        names = "、".join(name for name, _ in KINDS)
        return f"密码须包含{names}中的至少 {self.min_kinds} 种"


class LoginNameValidator:
    """Not the login name, nor containing it (any case): Django's similarity check lets
    "Zhangsan#2026" pass for zhangsan."""

    def validate(self, password, user=None):
        username = (getattr(user, "username", "") or "").strip().lower()
        if username and username in password.lower():
            raise ValidationError("密码不能包含登录名", code="password_contains_username")

    def get_help_text(self):
        return "密码不能包含登录名"


def history_length() -> int:
    return getattr(settings, "PASSWORD_HISTORY", 5)


class PasswordHistoryValidator:
    """Not one of the user's last PASSWORD_HISTORY passwords (the current one included)."""

    def validate(self, password, user=None):
        if user is None or not getattr(user, "pk", None) or history_length() <= 0:
            return
        recent = user.password_history.order_by("-created_at", "-id")[: history_length()]
        if any(check_password(password, entry.password) for entry in recent):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def get_help_text(self):
        return f"新密码不能与最近 {history_length()} 次使用过的密码相同"


def max_age_days() -> int:
    return getattr(settings, "PASSWORD_MAX_AGE_DAYS", 90)


def password_change_reason(user, now: datetime.datetime | None = None) -> str | None:
    """Why `user` must change their password before anything else, in Chinese, or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if getattr(user, "must_change_password", False):
        return "管理员为您新建了账号或重置了密码，请先修改密码后再使用系统"
    days = max_age_days()
    changed = getattr(user, "password_changed_at", None)
    if (
        days > 0
        and changed is not None
        and (now or timezone.now()) - changed >= datetime.timedelta(days=days)
    ):
        return f"密码已使用超过 {days} 天，请先修改密码后再使用系统"
    return None


TEMPORARY_ALPHABET = string.ascii_letters + string.digits + "@#%&*+=?"


def temporary_password(user=None, length: int = 14) -> str:
    """A random password that passes the policy, for a reset (shown once to the administrator)."""
    from django.contrib.auth.password_validation import validate_password

    while True:
        candidate = "".join(secrets.choice(TEMPORARY_ALPHABET) for _ in range(length))
        try:
            validate_password(candidate, user)
        except ValidationError:
            continue
        return candidate
