"""The second factor (双因素认证): a TOTP authenticator app (django-otp's otp_totp) with ten
recovery codes (otp_static), required of the zone administrator and the three administrators
(superusers too) and open to every other user.

A session whose user needs the factor counts only once the code has been given
(`django_otp.login`, `user.is_verified()`); site.second_factor keeps every page and the API
from such a session until then. Who needs it, the check of a code, the page that asks for it and
the writes (enrolment, recovery codes, removal, as services) are here, in the framework: the
back office (site), the phone pages (projects) and the portal (servicedesk) all use them, and
they audit (audit.services), which accounts, beside audit in the platform layer, may not."""

import base64
import binascii

import segno
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from unfold.widgets import UnfoldAdminTextInputWidget

from dangjian.accounts.backends import active_grants
from dangjian.audit.services import AuditEntry, audit_record

from .services import service

# the roles whose holders must sign in with the second factor (等保 2.0 三级: the administrators)
REQUIRED_ROLE_CODES = frozenset({"zone_admin", "system_admin", "security_admin", "audit_admin"})
RECOVERY_CODE_COUNT = 10
TOTP_NAME = "认证器"
RECOVERY_NAME = "恢复码"


def second_factor_required(user) -> bool:
    """Whether `user` must sign in with the second factor: a superuser, or the holder of a grant in
    force of one of REQUIRED_ROLE_CODES."""
    if not (user and user.is_authenticated):
        return False
    if user.is_superuser:
        return True
    return any(grant.role.code in REQUIRED_ROLE_CODES for grant in active_grants(user))


def totp_device(user, *, confirmed=True):
    """The user's authenticator (confirmed, or the one waiting for its first code), if any."""
    if not (user and user.pk):
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def enrolled(user) -> bool:
    return totp_device(user) is not None


def must_verify(user) -> bool:
    """Whether a session of `user` counts only with the second factor: required of them, or they
    enrolled of their own accord."""
    return second_factor_required(user) or enrolled(user)


def recovery_codes_left(user) -> int:
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device.token_set.count() if device else 0


def secret_base32(device) -> str:
    """The key as an authenticator app asks for it when typed in (base32, in groups of four)."""
    text = base64.b32encode(binascii.unhexlify(device.key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(device) -> str:
    """The otpauth:// address of `device` as an inline SVG QR code (drawn here, nothing fetched)."""
    return mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=5, border=2))


def normalize(code: str) -> str:
    return "".join(str(code or "").split()).lower()


def check_code(user, code: str, *, request=None, source_label="登录"):
    """The device that accepts `code` for `user` (their authenticator, then a recovery code), or
    None. A failure and every use of a recovery code are audited; a code once accepted is refused
    the next time (django-otp keeps the last time step), the authenticator is given one step of
    drift either way (django-otp's tolerance) and repeated failures make it wait (its throttling)."""
    token = normalize(code)
    device = None
    if token:
        totp = totp_device(user)
        if totp is not None and token.isdigit() and totp.verify_token(token):
            device = totp
        else:
            static = StaticDevice.objects.filter(user=user, confirmed=True).first()
            if static is not None and static.verify_token(token):
                device = static
                left = static.token_set.count()
                audit_record(
                    AuditEntry.Action.EVENT,
                    user=user,
                    request=request,
                    obj=user,
                    message=f"{source_label}：使用恢复码通过双因素认证，剩余 {left} 个恢复码",
                )
    if device is None:
        audit_record(
            AuditEntry.Action.LOGIN_FAILED,
            user=user,
            request=request,
            obj=user,
            message=f"{source_label}：双因素认证验证码错误",
        )
    return device


def wait_seconds(user) -> int:
    """How long the authenticator still refuses codes after repeated failures (django-otp's
    throttling), 0 when it accepts them."""
    device = totp_device(user)
    if device is None:
        return 0
    allowed, info = device.verify_is_allowed()
    if allowed or not info or not info.get("locked_until"):
        return 0
    return max(1, int((info["locked_until"] - timezone.now()).total_seconds()) + 1)


def mark_verified(request, device):
    """The session counts from now on: its user gave the code of `device`."""
    otp_login(request, device)


def is_verified(request) -> bool:
    """Whether the session of `request` has passed the second factor (OTPMiddleware's answer)."""
    verified = getattr(request.user, "is_verified", None)
    return bool(verified and verified())


class CodeForm(forms.Form):
    """A code from the authenticator app or one of the recovery codes."""

    otp = forms.CharField(
        label="验证码",
        max_length=32,
        help_text="认证器应用上显示的 6 位数字；手机不在身边时，可输入一个恢复码（每个只能用一次）。",
        widget=UnfoldAdminTextInputWidget(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True, "size": 12}
        ),
        error_messages={"required": "请输入验证码"},
    )


class ConfirmForm(forms.Form):
    """The first code of a new authenticator, proving it was set up."""

    otp = forms.CharField(
        label="验证码",
        max_length=6,
        min_length=6,
        help_text="扫码或输入密钥后，认证器应用上显示的 6 位数字。",
        widget=UnfoldAdminTextInputWidget(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
        error_messages={
            "required": "请输入验证码",
            "min_length": "验证码为 6 位数字",
            "max_length": "验证码为 6 位数字",
        },
    )

    def clean_otp(self):
        value = normalize(self.cleaned_data["otp"])
        if not value.isdigit() or len(value) != 6:
            raise forms.ValidationError("验证码为 6 位数字")
        return value


def safe_next(request, default) -> str:
    """The page to go on to (a `next` of this site only), else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(default)


def verify_page(request, *, template_name, default_next, context=None):
    """The page that asks a signed-in user for their code (the back office's, the phone's and the
    portal's each show it in their own look): a right code lets the session count and goes on to
    `next`."""
    user = request.user
    next_url = safe_next(request, default_next)
    if is_verified(request) or not enrolled(user):
        return redirect(next_url)
    form = CodeForm(request.POST or None)
    wait = wait_seconds(user)
    if request.method == "POST" and form.is_valid():
        if wait:
            form.add_error("otp", f"验证码错误次数过多，请 {wait} 秒后再试")
        else:
            device = check_code(user, form.cleaned_data["otp"], request=request)
            if device is not None:
                mark_verified(request, device)
                if isinstance(device, StaticDevice):
                    left = device.token_set.count()
                    messages.warning(
                        request,
                        f"您用了一个恢复码登录，还剩 {left} 个；请尽快在“双因素认证”页面重新生成恢复码。",
                    )
                return redirect(next_url)
            form.add_error(
                "otp", "验证码不正确或已经用过：请输入认证器上当前的 6 位数字，或一个未用过的恢复码"
            )
    page = {**(context or {}), "form": form, "next": next_url, "title": "双因素认证"}
    return render(request, template_name, page, status=400 if form.errors else 200)


# -- the writes: enrolment, recovery codes, removal ----------------------------------------------------


@service
def second_factor_begin(*, actor, user, key: str | None = None):
    """The authenticator waiting for its first code: the one already waiting, or a new one with a
    fresh secret (`key`, 40 hex digits, only for the demo zone's fixed secrets)."""

    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None or key is not None:
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice(user=user, name=TOTP_NAME, confirmed=False)
        if key is not None:
            device.key = key
        device.full_clean(exclude=["user"])
        device.save()
    return device


def _new_recovery_codes(user) -> list[str]:

    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@service
def second_factor_confirm(*, actor, user, code: str):
    """The first code of the waiting authenticator: it becomes the user's (replacing an earlier
    one) with ten new recovery codes, returned once and never shown again."""

    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        raise ValidationError({"otp": "没有待确认的认证器，请重新开始设置"})
    if not device.verify_token(normalize(code)):
        raise ValidationError({"otp": "验证码不正确：请核对手机时间是否准确，并输入认证器上当前的 6 位数字"})
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save()
    codes = _new_recovery_codes(user)
    audit_record(AuditEntry.Action.EVENT, obj=user, message="启用双因素认证（认证器与 10 个恢复码）")
    return device, codes


@service
def recovery_codes_renew(*, actor, user) -> list[str]:
    """Ten new recovery codes for an enrolled user; the old ones stop working."""

    if not enrolled(user):
        raise ValidationError({"otp": "尚未启用双因素认证，不能生成恢复码"})
    codes = _new_recovery_codes(user)
    audit_record(AuditEntry.Action.EVENT, obj=user, message="重新生成双因素认证恢复码，原恢复码作废")
    return codes


@service
def second_factor_remove(*, actor, user):
    """The user's authenticator and recovery codes removed: by the user, where their roles do not
    require the factor, or by whoever manages user accounts (a lost phone); the user then enrols
    again at the next sign-in if required."""

    if actor is not None and actor.pk == user.pk:
        if second_factor_required(user):
            raise ValidationError({"otp": "您的角色必须使用双因素认证，不能停用"})
    elif actor is not None and not actor.has_perm("accounts.change_user"):
        raise ValidationError({"user": "只有管理用户账号的管理员才能重置他人的双因素认证"})
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_record(AuditEntry.Action.EVENT, obj=user, message="停用双因素认证（认证器与恢复码已删除）")
