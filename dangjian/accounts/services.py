"""Writes to users, roles and grants (三员分立: users by the system administrator, roles and
grants by the security administrator)."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

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
