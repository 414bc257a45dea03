from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError

from dangjian.core.api import ScopedModelSerializer, ScopedViewSet
from dangjian.core.registry import api_route

from . import services
from .models import PartyOrganization, Post
from .selectors import warning_rows
from .warnings import warning_groups


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

    @extend_schema(
        parameters=[
            OpenApiParameter("scope", int, description="只看这个党组织及其下级（须在授权范围内）"),
            OpenApiParameter(
                "group",
                str,
                description="只看一类：" + "、".join(f"{k}={v}" for k, v in warning_groups().items()),
            ),
        ],
    )
    @action(detail=False, methods=["get"])
    def warnings(self, request):
        """组织预警（按授权范围），分页；可按下级组织（scope）和类别（group）筛选。"""
        scope = None
        raw = request.query_params.get("scope")
        if raw:
            if not raw.isdigit():
                raise ValidationError({"scope": "scope 应为党组织编号"})
            scope = get_object_or_404(self.get_queryset(), pk=int(raw))
        group = request.query_params.get("group") or ""
        if group and group not in warning_groups():
            raise ValidationError({"group": f"group 应为 {'、'.join(warning_groups())} 之一"})
        page = self.paginate_queryset(warning_rows(user=request.user, root=scope, group=group or None))
        return self.get_paginated_response(
            [
                {
                    "organization": w.organization_id,
                    "organization_name": w.organization.name,
                    "group": w.group,
                    "group_label": w.group_label,
                    "code": w.code,
                    "message": w.message,
                }
                for w in page
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


api_route("organizations", OrganizationViewSet, basename="organization")
api_route("posts", PostViewSet, basename="post")
