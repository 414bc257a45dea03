"""Shared API machinery: permissions from grants, scoped querysets and related-field choices,
writes through services, and Chinese errors from services turned into 400 responses."""

import math

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied, Throttled
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from .scope import in_scope, permission_name, restrict
from .services import StillReferenced, config_delete, config_save, protected_by


def exception_handler(exc, context):
    if isinstance(exc, ProtectedError | RestrictedError):
        # a delete that other records still refer to, wherever it was attempted: 409, nothing deleted
        set_rollback()
        return Response(
            {"non_field_errors": [f"还有{protected_by(exc)}引用该记录，不能删除"]},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, StillReferenced):
        set_rollback()
        return Response({"non_field_errors": exc.messages}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        set_rollback()
        if hasattr(exc, "error_dict"):
            data = {field: list(messages) for field, messages in exc.message_dict.items()}
            if "__all__" in data:
                data["non_field_errors"] = data.pop("__all__")
        else:
            data = {"non_field_errors": exc.messages}
        return Response(data, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoPermissionDenied):
        exc = PermissionDenied(str(exc) or "您没有执行该操作的权限")
    if isinstance(exc, Throttled):
        # too many requests (the throttle rates of settings.REST_FRAMEWORK): 429 with the wait
        wait = max(1, math.ceil(exc.wait or 1))
        exc = Throttled(detail=f"请求过于频繁，请 {wait} 秒后再试")
        exc.wait = wait  # the Retry-After header
    return drf_exception_handler(exc, context)


class ScopedSerializerMixin:
    """Choices of related fields are limited to what the requesting user may see."""

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        for field in fields.values():
            field = getattr(field, "child_relation", field)  # many=True: the choices are the child's
            queryset = getattr(field, "queryset", None)
            if queryset is not None and getattr(queryset.model, "SCOPE", None) is not None:
                field.queryset = restrict(user, queryset, "view")
        return fields


class ScopedModelSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    pass


class IdsFirstPagination(PageNumberPagination):
    """A page found by the ids alone, in the list's order (an index walk of the page, no join),
    then read with the queryset's select_related and prefetches for those ids only; the count is
    the scope's exact count, without joins."""

    def paginate_queryset(self, queryset, request, view=None):
        ids = super().paginate_queryset(
            queryset.select_related(None).values_list("pk", flat=True), request, view
        )
        if ids is None:
            return None
        found = queryset.order_by().in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]


class ScopedViewSet(viewsets.ModelViewSet):
    """Reads through restrict(user); creates, changes and deletes through the app's services.
    Out of scope is 404 (the record is not visible); visible but not changeable is 403."""

    base_queryset = None

    def get_queryset(self):
        return restrict(self.request.user, self.base_queryset.all(), "view")

    def _check(self, instance, action):
        model = type(instance)
        if not in_scope(self.request.user, instance, action):
            raise PermissionDenied(f"您没有{ {'change': '修改', 'delete': '删除'}[action] }该记录的权限")
        if not self.request.user.has_perm(permission_name(model, action)):
            raise PermissionDenied

    def perform_create(self, serializer):
        serializer.instance = self.service_create(serializer.validated_data)

    def perform_update(self, serializer):
        self._check(serializer.instance, "change")
        serializer.instance = self.service_update(serializer.instance, serializer.validated_data)

    def perform_destroy(self, instance):
        self._check(instance, "delete")
        self.service_delete(instance)

    def service_create(self, data):
        raise NotImplementedError

    def service_update(self, instance, data):
        raise NotImplementedError

    def service_delete(self, instance):
        raise NotImplementedError


class ConfigViewSet(viewsets.ModelViewSet):
    """Configuration records through core's configuration services (see admin_base.ConfigAdmin)."""

    def perform_create(self, serializer):
        serializer.instance = config_save(
            actor=self.request.user, instance=serializer.Meta.model(**serializer.validated_data)
        )

    def perform_update(self, serializer):
        instance = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(instance, name, value)
        serializer.instance = config_save(actor=self.request.user, instance=instance)

    def perform_destroy(self, instance):
        config_delete(actor=self.request.user, instance=instance)


def take_step(viewset, request, *, steps: dict, step: str, payload, record: str, out):
    """POST …/<id>/steps/<step>/: the step (a core.services.Step) taken on the record with the
    submitted values (`payload`, a serializer class), answered with the record as `out` shows it;
    an unknown step is a 404, a refused one the service's Chinese 400."""
    if step not in steps:
        raise NotFound("没有这个办理环节")
    obj = viewset.get_object()
    context = viewset.get_serializer_context()
    data = payload(data=request.data, context=context)
    data.is_valid(raise_exception=True)
    obj = steps[step].run(actor=request.user, data=data.validated_data, **{record: obj})
    getattr(obj, "_prefetched_objects_cache", {}).clear()  # the record as the step left it
    return Response(out(obj, context=context).data)
