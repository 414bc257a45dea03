"""Kept apart from api.py: DRF imports its default permission class while it loads."""

from rest_framework.permissions import DjangoModelPermissions


class ScopedModelPermissions(DjangoModelPermissions):
    """Model permissions from the user's grants; reading needs the view permission too."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": [],
    }

    def has_permission(self, request, view):
        if getattr(view, "permission_model", None) is None and not hasattr(view, "get_queryset"):
            return bool(request.user and request.user.is_authenticated)
        return super().has_permission(request, view)


class ActionPermission(ScopedModelPermissions):
    """For workflow actions sent as POST (transfer, leave, reveal): reaching the action needs the
    view permission, not add; the action itself checks the change permission or the special
    permission it needs, and the record's scope."""

    perms_map = {**ScopedModelPermissions.perms_map, "POST": ["%(app_label)s.view_%(model_name)s"]}
