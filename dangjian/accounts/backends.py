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
    )
    names = role_permission_names({grant.role_id for grant in grants})
    for grant in grants:
        grant.permission_names = names.get(grant.role_id, frozenset())
    user._active_grants = grants
    return grants


def role_permission_names(role_ids):
    """{role id: the names ("app_label.codename") of its permissions}, in one query of plain rows
    (a role may hold hundreds of permissions: no model objects are made for them)."""
    from .models import Role

    if not role_ids:
        return {}
    names = {}
    rows = Role.permissions.through.objects.filter(role_id__in=role_ids).values_list(
        "role_id", "permission__content_type__app_label", "permission__codename"
    )
    for role_id, app_label, codename in rows:
        names.setdefault(role_id, set()).add(f"{app_label}.{codename}")
    return {role_id: frozenset(found) for role_id, found in names.items()}


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
