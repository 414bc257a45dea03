"""Writes to users, roles and grants, and the rules of 三员分立 (accounts.separation) that every
path obeys — the back office, the API and the commands: the system administrator keeps the
accounts but sets no one's password (a reset gives a temporary one that must be changed at the next
sign-in), the security administrator keeps roles and grants but grants nothing to itself or to the
other administrators, no user combines an administrator role with another role, and the
administrator roles carry no business or audit permissions (the audit administrator's only the
audit log's)."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.core.scope import permission_name
from dangjian.core.second_factor import second_factor_remove
from dangjian.core.services import service

from .models import Grant, Role, User
from .passwords import temporary_password
from .separation import ADMIN_ROLES, is_administrator, refused_permissions

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

OWN_PASSWORD = "修改自己的密码请使用“修改密码”页面（需要输入原密码）"
OTHER_ADMINISTRATOR = (
    "三员分立：超级用户和其他管理员（系统管理员、安全管理员、审计管理员）的账号只能由超级用户办理"
)


def _restricted(actor) -> bool:
    """Whether the rules of 三员分立 bind `actor`: anyone but a superuser or the system itself."""
    return actor is not None and not actor.is_superuser


def require(actor, model, action: str):
    """The actor's permission to `action` (add/change/delete) `model`, checked by the service itself
    so every path obeys it (users, roles and grants have no data scope)."""
    if actor is not None and not actor.has_perm(permission_name(model, action)):
        raise PermissionDenied("您没有执行该操作的权限")


def check_password_policy(password: str, user: User, field: str = "password"):
    """The password policy (AUTH_PASSWORD_VALIDATORS), its refusals under `field`."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None


@service
def user_save(*, actor, user: User, password: str | None = None) -> User:
    """A new account (with its first password, to be changed at the first sign-in when an
    administrator made it) or a change to one's name, title, email or state. Another user's
    password is never set here: see password_reset."""
    creating = user._state.adding
    require(actor, User, "add" if creating else "change")
    if user.is_superuser and _restricted(actor):
        raise ValidationError("不能通过业务界面设置超级用户")
    if not creating and actor is not None:
        if password:
            raise ValidationError(
                {
                    "password": OWN_PASSWORD
                    if actor.pk == user.pk
                    else "不能直接设置他人的密码，请使用“重置密码”"
                }
            )
        stored = User.objects.get(pk=user.pk)
        if _restricted(actor) and actor.pk != user.pk and is_administrator(stored):
            raise ValidationError(OTHER_ADMINISTRATOR)
        if actor.pk == user.pk and stored.is_active and not user.is_active:
            raise ValidationError({"is_active": "不能停用自己的账号"})
    if password:
        check_password_policy(password, user)
        user.set_password(password)
    if creating and actor is not None:
        user.must_change_password = True  # the administrator knows it: the user changes it first
    user.full_clean(exclude=["password"])
    user.save()
    return user


@service
def password_reset(*, actor, user: User, password: str | None = None) -> str:
    """重置密码: a random temporary password (or the chosen `password`, within the policy) that the
    user must change at the next sign-in; the API tokens end. Returns the new password, to be shown
    once to the administrator. The change is in the audit log (the account's update, its password
    as a digest)."""
    require(actor, User, "change")
    if actor is not None and actor.pk == user.pk:
        raise ValidationError({"password": f"不能重置自己的密码；{OWN_PASSWORD}"})
    if _restricted(actor) and is_administrator(user):
        raise ValidationError(OTHER_ADMINISTRATOR)
    if password:
        check_password_policy(password, user)
    else:
        password = temporary_password(user)
    user.set_password(password)
    user.must_change_password = True
    user.save()
    return password


@service
def second_factor_reset(*, actor, user: User):
    """重置双因素认证 of another user who lost their phone: their authenticator and recovery codes are
    removed and, where their roles require the factor, they enrol again at the next sign-in
    (audited by core.second_factor). One's own is managed on the 双因素认证 page."""
    require(actor, User, "change")
    if actor is not None and actor.pk == user.pk:
        raise ValidationError("不能在这里重置自己的双因素认证；请使用“双因素认证”页面")
    if _restricted(actor) and is_administrator(user):
        raise ValidationError(OTHER_ADMINISTRATOR)
    second_factor_remove(actor=actor, user=user)


def check_grant(*, actor, grant: Grant):
    """The rules of 三员分立 for giving (or changing) `grant`, raised as a ValidationError."""
    if _restricted(actor):
        users = {grant.user_id}
        if grant.pk:
            users.add(Grant.objects.filter(pk=grant.pk).values_list("user_id", flat=True).first())
        if actor.pk in users:
            raise ValidationError({"user": "不能给自己授权或修改自己的授权"})
        if any(is_administrator(user) for user in User.objects.filter(pk__in=users)):
            raise ValidationError(
                {"user": f"不能给超级用户或其他管理员授权或修改其授权（{OTHER_ADMINISTRATOR}）"}
            )
    if not (grant.user_id and grant.role_id):
        return  # the model's own checks name the missing field
    others = Grant.objects.filter(user_id=grant.user_id).exclude(pk=grant.pk).select_related("role")
    if grant.role.code in ADMIN_ROLES:
        clash = others.exclude(role=grant.role).first()
        if clash is not None:
            raise ValidationError(
                {"role": f"三员分立：该用户已有“{clash.role}”角色，{grant.role}不能与其他角色授予同一用户"}
            )
    else:
        held = others.filter(role__code__in=ADMIN_ROLES).first()
        if held is not None:
            raise ValidationError({"role": f"三员分立：该用户是{held.role}，不能再授予其他角色"})


@service
def grant_save(*, actor, grant: Grant) -> Grant:
    require(actor, Grant, "add" if grant._state.adding else "change")
    check_grant(actor=actor, grant=grant)
    grant.full_clean()
    grant.save()
    return grant


@service
def grant_delete(*, actor, grant: Grant):
    require(actor, Grant, "delete")
    if _restricted(actor):
        if grant.user_id == actor.pk:
            raise ValidationError("不能撤销自己的授权")
        if is_administrator(grant.user):
            raise ValidationError(f"不能撤销超级用户或其他管理员的授权（{OTHER_ADMINISTRATOR}）")
    grant.delete()


def check_role(*, actor, role: Role, permissions=None):
    """The rules for a role and the permissions it is to carry, raised as a ValidationError."""
    if role.pk and role.builtin:
        stored = Role.objects.get(pk=role.pk)
        if (role.code, role.scope_kind) != (stored.code, stored.scope_kind):
            raise ValidationError("内置角色的代码和授权范围类型不能修改")
    if _restricted(actor) and role.pk and role.grants.filter(user=actor).exists():
        raise ValidationError("不能修改自己所持有的角色")
    if permissions is not None:
        reason = refused_permissions(role.code, permissions)
        if reason:
            raise ValidationError({"permissions": reason})


@service
def role_save(*, actor, role: Role, permissions=None) -> Role:
    """A role and (when given) the permissions it carries. A built-in role keeps its code and
    scope kind."""
    permissions = None if permissions is None else list(permissions)
    require(actor, Role, "add" if role._state.adding else "change")
    check_role(actor=actor, role=role, permissions=permissions)
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
    require(actor, Role, "delete")
    reason = role_delete_blocker(role)
    if reason:
        raise ValidationError(reason)
    role.delete()
