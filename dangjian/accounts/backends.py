"""Permissions come from grants: a user holds the permissions of the roles of their active
grants. Computed once per request (cached on the user object)."""

from django.contrib.auth.backends import ModelBackend
from django.utils import timezone


def active_grants(user):
    cached = getattr(user, "_active_grants", None)
    if cached is not None:
        return cached
    from .models import Grant

    today = timezone.localdate()
    grants = list(
        Grant.objects.filter(user=user, valid_from__lte=today)
        .exclude(valid_until__lt=today)
        .select_related("role", "organization", "enterprise", "content_type")
        .prefetch_related("role__permissions__content_type")
    )
    for grant in grants:
        grant.permission_names = {
            f"{p.content_type.app_label}.{p.codename}" for p in grant.role.permissions.all()
        }
    user._active_grants = grants
    return grants


def has_back_office_access(user) -> bool:
    """Whether `user` may enter the back office: active, with at least one grant in force (not
    Django's is_staff)."""
    return bool(
        user and user.is_authenticated and user.is_active and (user.is_superuser or active_grants(user))
    )


def forget_grants(user):
    for attr in ("_active_grants", "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        if hasattr(user, attr):
            delattr(user, attr)


class GrantBackend(ModelBackend):
    def get_group_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        names = set()
        for grant in active_grants(user_obj):
            names |= grant.permission_names
        return names

    def get_user_permissions(self, user_obj, obj=None):
        return set()
