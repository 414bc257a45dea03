"""Kept apart from api.py: DRF imports its default permission class while it loads."""

from rest_framework import exceptions
from rest_framework.permissions import DjangoModelPermissions

from .scope import governing_model


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

    def get_required_permissions(self, method, model_cls):
        """The permissions of the model that governs `model_cls` (dues payments and bases are
        governed by members.duesassessment), as in restrict()."""
        if method not in self.perms_map:
            raise exceptions.MethodNotAllowed(method)
        app_label, model_name = governing_model(model_cls)
        return [perm % {"app_label": app_label, "model_name": model_name} for perm in self.perms_map[method]]


class ActionPermission(ScopedModelPermissions):
    """For workflow actions sent as POST (transfer, leave, reveal): reaching the action needs the
    view permission, not add; the action itself checks the change permission or the special
    permission it needs, and the record's scope."""

    perms_map = {**ScopedModelPermissions.perms_map, "POST": ["%(app_label)s.view_%(model_name)s"]}
