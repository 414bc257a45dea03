"""The sign-in form of the back office and the portals: a user signs in only with a grant in
force."""

from django import forms
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from unfold import forms as unfold_forms
from unfold.forms import AuthenticationForm
from unfold.widgets import UnfoldAdminPasswordWidget

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


ACTIONS = {"view": "查看", "add": "新增", "change": "修改", "delete": "删除"}


def permission_label(permission) -> str:
    """A permission in Chinese: 组织生活 · 会议 · 修改 (the model's and the app's verbose names),
    or the permission's own name where it is not one of the four actions (查看指标)."""
    action, _, _model = permission.codename.partition("_")
    model = permission.content_type.model_class()
    if model is None:
        return permission.name
    app = apps.get_app_config(permission.content_type.app_label).verbose_name
    if action in ACTIONS and permission.codename == f"{action}_{model._meta.model_name}":
        return f"{app} · {model._meta.verbose_name} · {ACTIONS[action]}"
    return f"{app} · {permission.name}"


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    """The permissions a role may carry: those of the platform's own apps, in Chinese, as boxes."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *args, **kwargs):
        kwargs["queryset"] = (
            Permission.objects.filter(content_type__app_label__in=product_app_labels())
            .select_related("content_type")
            .order_by("content_type__app_label", "content_type__model", "codename")
        )
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return permission_label(obj)


def product_app_labels() -> list[str]:
    """The labels of the installed apps of the product (not Django's own), whose permissions roles carry."""
    return [c.label for c in apps.get_app_configs() if c.name.startswith("dangjian.")]


class PasswordStateWidget(forms.Widget):
    """A user's password on their page: only whether one is set (never its hash or salt)."""

    def render(self, name, value, attrs=None, renderer=None):
        from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

        state = (
            "未设置（不能用密码登录）"
            if not value or value.startswith(UNUSABLE_PASSWORD_PREFIX)
            else "已设置"
        )
        return format_html('<div class="py-2">{}</div>', state)


class UserChangeForm(unfold_forms.UserChangeForm):
    """The user's page in Chinese: the password is shown as set or not, with the way to change it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        password = self.fields.get("password")
        if password is not None:
            password.widget = PasswordStateWidget()
            password.help_text = format_html(
                '密码不以明文保存，任何人都无法查看；如需重设，请<a class="text-primary-600" href="{}">重置密码</a>'
                "（生成临时密码，用户下次登录时须修改）。",
                "../password/",
            )


class PasswordResetForm(forms.Form):
    """重置密码 of another user: a random temporary password, or the one chosen here (within the
    policy); either way the user changes it at the next sign-in."""

    password1 = forms.CharField(
        label="指定新密码",
        required=False,
        strip=False,
        widget=UnfoldAdminPasswordWidget(attrs={"autocomplete": "new-password"}),
        help_text="留空则生成随机临时密码，只在本页显示一次；指定的密码须符合密码策略。",
    )
    password2 = forms.CharField(
        label="再次输入新密码",
        required=False,
        strip=False,
        widget=UnfoldAdminPasswordWidget(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1", "") != cleaned.get("password2", ""):
            self.add_error("password2", "两次输入的密码不一致")
        return cleaned
