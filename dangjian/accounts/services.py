"""Writes to users, roles and grants (三员分立: users by the system administrator, roles and
grants by the security administrator)."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from dangjian.audit.services import AuditEntry, audit_record
from dangjian.core.services import service

from .models import Grant, Role, User

GRANT_FIELDS = (
    "user",
    "role",
    "organization",
    "enterprise",
    "content_type",
    "object_id",
    "valid_from",
    "valid_until",
    "note",
)


@service
def user_save(*, actor, user: User, password: str | None = None) -> User:
    if user.is_superuser and actor is not None and not actor.is_superuser:
        raise ValidationError("不能通过业务界面设置超级用户")
    if password:
        # the same policy as the back office's forms (AUTH_PASSWORD_VALIDATORS), on every path
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from None
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@service
def grant_save(*, actor, grant: Grant) -> Grant:
    if actor is not None and grant.user_id == actor.pk and not actor.is_superuser:
        raise ValidationError({"user": "不能给自己授权或修改自己的授权"})
    grant.full_clean()
    grant.save()
    return grant


@service
def grant_delete(*, actor, grant: Grant):
    if actor is not None and grant.user_id == actor.pk and not actor.is_superuser:
        raise ValidationError("不能撤销自己的授权")
    grant.delete()


@service
def role_save(*, actor, role: Role, permissions=None) -> Role:
    """A role and (when given) the permissions it carries. A built-in role keeps its code and
    scope kind."""
    if role.pk and role.builtin:
        stored = Role.objects.get(pk=role.pk)
        if (role.code, role.scope_kind) != (stored.code, stored.scope_kind):
            raise ValidationError("内置角色的代码和授权范围类型不能修改")
    role.full_clean()
    role.save()
    if permissions is not None:
        role.permissions.set(permissions)
    return role


def role_delete_blocker(role: Role) -> str | None:
    """Why the role cannot be deleted, or None."""
    if role.builtin:
        return f"“{role.name}”是内置角色，不能删除"
    if role.grants.exists():
        return f"“{role.name}”还有授权，不能删除；请先撤销这些授权"
    return None


@service
def role_delete(*, actor, role: Role):
    reason = role_delete_blocker(role)
    if reason:
        raise ValidationError(reason)
    role.delete()


# The second factor (accounts.second_factor): enrolment, recovery codes, removal.


@service
def second_factor_begin(*, actor, user: User, key: str | None = None):
    """The authenticator waiting for its first code: the one already waiting, or a new one with a
    fresh secret (`key`, 40 hex digits, only for the demo zone's fixed secrets)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .second_factor import TOTP_NAME

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
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    from .second_factor import RECOVERY_CODE_COUNT, RECOVERY_NAME

    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@service
def second_factor_confirm(*, actor, user: User, code: str):
    """The first code of the waiting authenticator: it becomes the user's (replacing an earlier
    one) with ten new recovery codes, returned once and never shown again."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .second_factor import normalize

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
def recovery_codes_renew(*, actor, user: User) -> list[str]:
    """Ten new recovery codes for an enrolled user; the old ones stop working."""
    from .second_factor import enrolled

    if not enrolled(user):
        raise ValidationError({"otp": "尚未启用双因素认证，不能生成恢复码"})
    codes = _new_recovery_codes(user)
    audit_record(AuditEntry.Action.EVENT, obj=user, message="重新生成双因素认证恢复码，原恢复码作废")
    return codes


@service
def second_factor_remove(*, actor, user: User):
    """The user's authenticator and recovery codes removed: by the user, where their roles do not
    require the factor, or by whoever manages user accounts (a lost phone); the user then enrols
    again at the next sign-in if required."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .second_factor import second_factor_required

    if actor is not None and actor.pk == user.pk:
        if second_factor_required(user):
            raise ValidationError({"otp": "您的角色必须使用双因素认证，不能停用"})
    elif actor is not None and not actor.has_perm("accounts.change_user"):
        raise ValidationError({"user": "只有管理用户账号的管理员才能重置他人的双因素认证"})
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_record(AuditEntry.Action.EVENT, obj=user, message="停用双因素认证（认证器与恢复码已删除）")
