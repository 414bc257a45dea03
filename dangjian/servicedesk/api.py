from rest_framework import serializers
from rest_framework.decorators import action

from dangjian.cadres.models import Cadre
from dangjian.core.api import (
    ConfigViewSet,
    ScopedModelSerializer,
    ScopedSerializerMixin,
    ScopedViewSet,
    take_step,
)
from dangjian.core.api_permissions import ActionPermission
from dangjian.core.registry import api_route

from . import services
from .models import RequestCategory, ServiceRequest


class RequestCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = RequestCategory
        fields = ["id", "name", "accept_workdays", "close_workdays", "is_immediate", "is_active"]


class RequestCategoryViewSet(ConfigViewSet):
    """诉求类别与时限（工作日）：按模型自身的规则检查（马上办须 1 个工作日内受理，时限至少 1 天）。"""

    queryset = RequestCategory.objects.all()
    serializer_class = RequestCategorySerializer


class ServiceRequestSerializer(ScopedModelSerializer):
    events = serializers.SerializerMethodField(label="办理过程")

    class Meta:
        model = ServiceRequest
        fields = ["id", *services.REQUEST_FIELDS, "events"]
        read_only_fields = [f for f in services.REQUEST_FIELDS if f not in services.REQUEST_FORM_FIELDS]

    def get_events(self, obj) -> list:
        return [
            {"on": e.on, "kind": e.kind, "label": e.get_kind_display(), "note": e.note}
            for e in obj.events.all()
        ]


class RequestStepSerializer(ScopedSerializerMixin, serializers.Serializer):
    on = serializers.DateField(required=False, label="日期")
    text = serializers.CharField(required=False, allow_blank=True, default="", label="说明、原因或办理结果")
    handling = serializers.ChoiceField(choices=["leader", "cadre", "proxy"], required=False, label="办理方式")
    handler = serializers.PrimaryKeyRelatedField(queryset=Cadre.objects.all(), required=False, label="承办人")
    department = serializers.CharField(required=False, allow_blank=True, default="", label="转办部门")
    rating = serializers.IntegerField(required=False, label="满意度 1–5")


class ServiceRequestViewSet(ScopedViewSet):
    """企业诉求与服务事项：企业联络员提交（自动分派给本企业联系干部），其后经 /steps/<步骤>/ 办理：accept、start、
    return、resubmit、transfer、reply、suspend、resume、close、rate。"""

    base_queryset = ServiceRequest.objects.select_related(
        "enterprise", "handler", "category"
    ).prefetch_related("events")
    serializer_class = ServiceRequestSerializer
    filterset_fields = ["enterprise", "kind", "category", "status", "handler"]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def service_create(self, data):
        return services.request_submit(actor=self.request.user, **data)

    def service_delete(self, instance):
        services.request_delete(actor=self.request.user, request=instance)

    @action(
        detail=True,
        methods=["post"],
        url_path=r"steps/(?P<step>[a-z]+)",
        serializer_class=RequestStepSerializer,
        permission_classes=[ActionPermission],
    )
    def step(self, request, pk=None, step=None):
        return take_step(
            self,
            request,
            steps=services.REQUEST_STEPS,
            step=step,
            payload=RequestStepSerializer,
            record="request",
            out=ServiceRequestSerializer,
        )


api_route("requests", ServiceRequestViewSet, basename="servicerequest")
api_route("request-categories", RequestCategoryViewSet, basename="requestcategory")
