"""The password policy beyond Django's validators (length, likeness to the login name, common and
all-digit passwords): at least three of the four kinds of characters. One policy for every path —
the back office's forms, the API and the commands — through AUTH_PASSWORD_VALIDATORS and
`accounts.services.user_save`."""

import string

from django.core.exceptions import ValidationError

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
