from rest_framework import serializers, viewsets

from dangjian.core.registry import api_route

from .models import AuditEntry


class AuditEntrySerializer(serializers.ModelSerializer):
    content_type = serializers.StringRelatedField()

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "action",
            "actor",
            "actor_label",
            "source",
            "ip",
            "content_type",
            "object_id",
            "object_repr",
            "before",
            "after",
            "message",
            "seq",
            "prev_hash",
            "hash",
        ]


class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """审计日志（只读，审计管理员）。"""

    queryset = AuditEntry.objects.select_related("content_type")
    serializer_class = AuditEntrySerializer
    filterset_fields = ["action", "source", "actor", "object_id"]


api_route("audit", AuditEntryViewSet, basename="auditentry")
