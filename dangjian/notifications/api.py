"""/api/v1/notifications/: the signed-in user's own messages (newest first, `?unread=true`),
`POST <id>/read/`, `POST read-all/` and `GET unread-count/`."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from dangjian.core.registry import api_route

from . import services
from .models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True, label="类别名称")
    actor_name = serializers.SerializerMethodField(label="操作人")
    is_read = serializers.BooleanField(read_only=True, label="已读")

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "body",
            "url",
            "actor_name",
            "created_at",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields

    def get_actor_name(self, obj) -> str:
        return obj.actor.get_full_name() if obj.actor_id else ""


COUNT = inline_serializer("NotificationCount", {"unread": serializers.IntegerField(label="未读条数")})
MARKED = inline_serializer(
    "NotificationsMarked", {"marked": serializers.IntegerField(label="标为已读的条数")}
)


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """站内消息：只返回当前用户自己的消息，最新的在前；?unread=true 只看未读。"""

    serializer_class = NotificationSerializer
    # a user's own messages: signed in is enough, no grant or model permission is involved
    permission_classes = [IsAuthenticated]
    filter_backends = []

    def get_queryset(self):
        messages = services.inbox(self.request.user).select_related("actor")
        unread = self.request.query_params.get("unread", "").lower()
        if unread in ("1", "true", "yes"):
            messages = messages.filter(read_at__isnull=True)
        elif unread in ("0", "false", "no"):
            messages = messages.filter(read_at__isnull=False)
        return messages

    @extend_schema(parameters=[OpenApiParameter("unread", bool, description="true 只看未读，false 只看已读")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        message = services.mark_read(actor=request.user, notification=self.get_object())
        return Response(NotificationSerializer(message, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=MARKED)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.mark_all_read(actor=request.user)})

    @extend_schema(responses=COUNT)
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request):
        return Response({"unread": services.unread_count(request.user)})


api_route("notifications", NotificationViewSet, basename="notification")
