"""API for cadres."""

from rest_framework import serializers

from dangjian.core.api import ScopedModelSerializer, ScopedViewSet
from dangjian.core.registry import api_route

from . import services
from .models import Cadre


class CadreSerializer(ScopedModelSerializer):
    phone = serializers.CharField(write_only=True, label="手机号码")
    birth_date = serializers.DateField(write_only=True, required=False, allow_null=True, label="出生日期")
    phone_masked = serializers.CharField(read_only=True, label="手机号码（脱敏）")
    birth_date_masked = serializers.CharField(read_only=True, label="出生年份（脱敏）")

    class Meta:
        model = Cadre
        fields = ["id", *services.CADRE_FORM_FIELDS, "phone_masked", "birth_date_masked", "user"]
        read_only_fields = ["user"]


class CadreViewSet(ScopedViewSet):
    """包抓干部（同时是“包抓干部”角色的用户；登录名由系统生成，如 gb0001，不是手机号码）。"""

    base_queryset = Cadre.objects.select_related("organization")
    serializer_class = CadreSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    filterset_fields = ["organization", "is_active"]

    def service_create(self, data):
        return services.cadre_save(actor=self.request.user, **data)

    def service_update(self, instance, data):
        return services.cadre_save(actor=self.request.user, instance=instance, **data)


api_route("cadres", CadreViewSet, basename="cadre")
