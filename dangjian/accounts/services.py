"""Writes to users, roles and grants (三员分立: users by the system administrator, roles and
grants by the security administrator)."""

from django.core.exceptions import ValidationError

from dangjian.core.services import service

from .models import Grant, User

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
