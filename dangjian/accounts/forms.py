"""The sign-in form of the back office and the portals: a user signs in only with a grant in
force."""

from django.core.exceptions import ValidationError
from unfold.forms import AuthenticationForm

from .backends import has_back_office_access


class GrantAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "用户名或密码不正确。注意两者都区分大小写。",
        "no_access": "该账号没有有效的授权，请联系安全管理员。",
    }

    def confirm_login_allowed(self, user):
        if not user.is_active:
            raise ValidationError(self.error_messages["inactive"], code="inactive")
        if not has_back_office_access(user):
            raise ValidationError(self.error_messages["no_access"], code="no_access")
