"""API of problems and their steps."""

from rest_framework import serializers
from rest_framework.decorators import action

from dangjian.cadres.models import Cadre
from dangjian.core.api import ScopedModelSerializer, ScopedSerializerMixin, ScopedViewSet, take_step
from dangjian.core.api_permissions import ActionPermission

from .. import services
from ..models import Problem


class ProblemSerializer(ScopedModelSerializer):
    class Meta:
        model = Problem
        fields = [
            "id",
            *services.PROBLEM_FORM_FIELDS,
            "status",
            "closed_on",
            "result",
            "unsolvable_reason",
            "escalated_on",
            "org_path",
        ]
        read_only_fields = ["status", "closed_on", "result", "unsolvable_reason", "escalated_on", "org_path"]


class ProblemStepSerializer(ScopedSerializerMixin, serializers.Serializer):
    on = serializers.DateField(required=False, label="日期")
    text = serializers.CharField(required=False, allow_blank=True, default="", label="办理结果或原因")
    owner = serializers.PrimaryKeyRelatedField(
        queryset=Cadre.objects.all(), required=False, label="新的责任人"
    )
    deadline = serializers.DateField(required=False, allow_null=True, label="新的办理时限")


class ProblemViewSet(ScopedViewSet):
    """堵点难点问题：提出后经 /steps/<accept|progress|solve|unsolvable|reopen|reassign>/ 办理。"""

    base_queryset = Problem.objects.select_related("project", "enterprise", "owner")
    serializer_class = ProblemSerializer
    filterset_fields = ["status", "source", "category", "project", "enterprise", "owner"]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def service_create(self, data):
        return services.problem_raise(actor=self.request.user, **data)

    def service_delete(self, instance):
        services.problem_delete(actor=self.request.user, problem=instance)

    @action(
        detail=True,
        methods=["post"],
        url_path=r"steps/(?P<step>[a-z]+)",
        serializer_class=ProblemStepSerializer,
        permission_classes=[ActionPermission],
    )
    def step(self, request, pk=None, step=None):
        return take_step(
            self,
            request,
            steps=services.PROBLEM_STEPS,
            step=step,
            payload=ProblemStepSerializer,
            record="problem",
            out=ProblemSerializer,
        )
