"""API of key projects: the cadres in charge and milestones."""

import datetime

from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from dangjian.cadres.models import Cadre
from dangjian.cadres.services import assignment_set
from dangjian.core.api import ScopedModelSerializer, ScopedSerializerMixin, ScopedViewSet
from dangjian.core.api_permissions import ActionPermission

from .. import services
from ..models import Milestone, Project
from ..selectors import approvals_span


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "name", "planned_on", "actual_on", "note"]


class ProjectSerializer(ScopedModelSerializer):
    milestones = MilestoneSerializer(many=True, read_only=True)
    cadres = serializers.SerializerMethodField(label="包抓干部（首位牵头）")
    approvals = serializers.SerializerMethodField(label="审批手续")

    class Meta:
        model = Project
        fields = ["id", *services.PROJECT_FORM_FIELDS, "org_path", "milestones", "cadres", "approvals"]
        read_only_fields = ["org_path"]

    def get_cadres(self, obj) -> list:
        return [
            {"cadre": a.cadre_id, "name": a.cadre.name, "is_lead": a.is_lead}
            for a in obj.assignments.filter(end_on__isnull=True).select_related("cadre").order_by("-is_lead")
        ]

    def get_approvals(self, obj) -> dict:
        return {
            "items": [
                {"item": a.item, "submitted_on": a.submitted_on, "approved_on": a.approved_on, "days": a.days}
                for a in obj.approvals.all()
            ],
            **approvals_span(obj),
        }


class CadresSerializer(ScopedSerializerMixin, serializers.Serializer):
    cadres = serializers.PrimaryKeyRelatedField(
        queryset=Cadre.objects.all(), many=True, label="包抓干部（首位牵头）"
    )


class MilestoneWriteSerializer(serializers.Serializer):
    name = serializers.CharField(label="节点")
    planned_on = serializers.DateField(label="计划日期")
    actual_on = serializers.DateField(required=False, allow_null=True, label="实际完成日期")
    note = serializers.CharField(required=False, allow_blank=True, default="", label="备注")


class ProjectViewSet(ScopedViewSet):
    """重点项目：节点、审批手续、包抓干部。"""

    base_queryset = Project.objects.prefetch_related("milestones", "approvals")
    serializer_class = ProjectSerializer
    filterset_fields = ["category", "status", "owner_enterprise"]

    def service_create(self, data):
        return services.project_save(actor=self.request.user, **data)

    def service_update(self, instance, data):
        return services.project_save(actor=self.request.user, instance=instance, **data)

    def service_delete(self, instance):
        services.project_delete(actor=self.request.user, project=instance)

    @action(
        detail=True,
        methods=["post"],
        serializer_class=CadresSerializer,
        permission_classes=[ActionPermission],
    )
    def cadres(self, request, pk=None):
        """设置包抓干部（首位为牵头干部），不再列出的干部自今日起结束包抓。"""
        project = self.get_object()
        payload = CadresSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        assignment_set(
            actor=request.user,
            project=project,
            cadres=payload.validated_data["cadres"],
            on=datetime.date.today(),
        )
        return Response(ProjectSerializer(project, context=self.get_serializer_context()).data)

    @action(
        detail=True,
        methods=["post"],
        serializer_class=MilestoneWriteSerializer,
        permission_classes=[ActionPermission],
    )
    def milestones(self, request, pk=None):
        """新增项目节点。"""
        project = self.get_object()
        payload = MilestoneWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        milestone = services.milestone_save(actor=request.user, project=project, **payload.validated_data)
        return Response(MilestoneSerializer(milestone).data, status=201)
