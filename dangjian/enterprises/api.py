from rest_framework import serializers

from dangjian.core.api import ConfigViewSet, ScopedModelSerializer, ScopedViewSet
from dangjian.core.registry import api_route

from . import services
from .models import Enterprise, EnterpriseYear, IndustryCluster


class IndustryClusterSerializer(ScopedModelSerializer):
    class Meta:
        model = IndustryCluster
        fields = ["id", "name", "sort_order", "is_active", "note"]


class IndustryClusterViewSet(ConfigViewSet):
    """产业集群（本区的“3+N”产业，可配置）。"""

    queryset = IndustryCluster.objects.all()
    serializer_class = IndustryClusterSerializer


class EnterpriseSerializer(ScopedModelSerializer):
    contact_phone = serializers.CharField(write_only=True, required=False, allow_blank=True, label="联系电话")
    contact_phone_masked = serializers.CharField(read_only=True, label="联系电话（脱敏）")

    class Meta:
        model = Enterprise
        fields = ["id", *services.ENTERPRISE_FORM_FIELDS, "contact_phone_masked", "org_path"]
        read_only_fields = ["org_path"]


class EnterpriseViewSet(ScopedViewSet):
    """企业名录。"""

    base_queryset = Enterprise.objects.select_related("cluster")
    serializer_class = EnterpriseSerializer
    filterset_fields = [
        "cluster",
        "is_high_tech",
        "is_tech_sme",
        "is_above_scale",
        "is_chain_leader",
        "is_incubated",
    ]

    def service_create(self, data):
        return services.enterprise_create(actor=self.request.user, **data)

    def service_update(self, instance, data):
        return services.enterprise_update(actor=self.request.user, enterprise=instance, **data)

    def service_delete(self, instance):
        services.enterprise_delete(actor=self.request.user, enterprise=instance)


class EnterpriseYearSerializer(ScopedModelSerializer):
    class Meta:
        model = EnterpriseYear
        fields = ["id", *services.YEAR_FIELDS]


class EnterpriseYearViewSet(ScopedViewSet):
    """企业年度数据（万元）。"""

    base_queryset = EnterpriseYear.objects.select_related("enterprise")
    serializer_class = EnterpriseYearSerializer
    filterset_fields = ["enterprise", "year"]

    def service_create(self, data):
        return services.enterprise_year_save(actor=self.request.user, **data)

    def service_update(self, instance, data):
        return services.enterprise_year_save(actor=self.request.user, instance=instance, **data)

    def service_delete(self, instance):
        services.enterprise_year_delete(actor=self.request.user, instance=instance)


api_route("enterprises", EnterpriseViewSet, basename="enterprise")
api_route("enterprise-years", EnterpriseYearViewSet, basename="enterpriseyear")
api_route("clusters", IndustryClusterViewSet, basename="cluster")
