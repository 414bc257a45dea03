from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from dangjian.core.api import ScopedModelSerializer, ScopedViewSet

from . import services
from .models import PartyOrganization, Post
from .selectors import organization_warnings


class OrganizationSerializer(ScopedModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(
        queryset=PartyOrganization.objects.all(), required=False, allow_null=True, label="上级组织"
    )
    kind_display = serializers.CharField(source="get_kind_display", read_only=True, label="组织类别名称")
    next_election_due = serializers.DateField(read_only=True, label="应于此日前换届")

    class Meta:
        model = PartyOrganization
        fields = ["id", "parent", "path", "depth", "kind_display", "next_election_due", *services.ORG_FIELDS]
        read_only_fields = ["path", "depth"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        parent = instance.parent
        data["parent"] = parent.pk if parent else None
        return data


class OrganizationViewSet(ScopedViewSet):
    """党组织：组织体系（物化路径树），按授权范围返回。"""

    base_queryset = PartyOrganization.objects.order_by("path")
    serializer_class = OrganizationSerializer
    filterset_fields = ["kind", "unit_nature", "standardized"]

    def service_create(self, data):
        parent = data.pop("parent", None)
        return services.organization_create(actor=self.request.user, parent=parent, **data)

    def service_update(self, instance, data):
        kwargs = {k: v for k, v in data.items() if k != "parent"}
        if "parent" in data:
            kwargs["parent"] = data["parent"]
        return services.organization_update(actor=self.request.user, organization=instance, **kwargs)

    def service_delete(self, instance):
        services.organization_delete(actor=self.request.user, organization=instance)

    @action(detail=False, methods=["get"])
    def warnings(self, request):
        """全部预警（按授权范围）。"""
        items = organization_warnings(user=request.user)
        return Response(
            [
                {
                    "organization": w.organization.pk,
                    "organization_name": w.organization.name,
                    "code": w.code,
                    "message": w.message,
                }
                for w in items
            ]
        )


class PostSerializer(ScopedModelSerializer):
    class Meta:
        model = Post
        fields = ["id", *services.POST_FORM_FIELDS]


class PostViewSet(ScopedViewSet):
    """阵地与岗区。"""

    base_queryset = Post.objects.select_related("organization")
    serializer_class = PostSerializer
    filterset_fields = ["kind", "organization"]

    def service_create(self, data):
        return services.post_create(actor=self.request.user, **data)

    def service_update(self, instance, data):
        return services.post_update(actor=self.request.user, post=instance, **data)

    def service_delete(self, instance):
        services.post_delete(actor=self.request.user, post=instance)
