from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from dangjian.core.api import ScopedModelSerializer, ScopedSerializerMixin, ScopedViewSet
from dangjian.core.api_permissions import ActionPermission
from dangjian.organizations.models import PartyOrganization

from . import services
from .models import Member, Membership


class MemberSerializer(ScopedModelSerializer):
    id_number = serializers.CharField(write_only=True, required=False, label="公民身份号码")
    phone = serializers.CharField(write_only=True, required=False, allow_blank=True, label="手机号码")
    id_number_masked = serializers.CharField(read_only=True, label="公民身份号码（脱敏）")
    phone_masked = serializers.CharField(read_only=True, label="手机号码（脱敏）")
    transferred_in_on = serializers.DateField(write_only=True, required=False, label="从外单位转入日期")

    class Meta:
        model = Member
        fields = [
            "id",
            "organization",
            "org_path",
            "id_number",
            "phone",
            "id_number_masked",
            "phone_masked",
            "transferred_in_on",
            "left_on",
            "leave_reason",
            *(f for f in services.MEMBER_FORM_FIELDS if f not in ("id_number", "phone")),
        ]
        read_only_fields = ["org_path", "left_on", "leave_reason"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["organization"].read_only = True  # changes only through /transfer/
        return fields

    def validate(self, attrs):
        if self.instance is None and not attrs.get("id_number"):
            raise serializers.ValidationError({"id_number": "请填写公民身份号码"})
        return attrs


class TransferSerializer(ScopedSerializerMixin, serializers.Serializer):
    to = serializers.PrimaryKeyRelatedField(queryset=PartyOrganization.objects.all(), label="转入党组织")
    on = serializers.DateField(label="转接日期")
    note = serializers.CharField(required=False, allow_blank=True, default="", label="备注")


class LeaveSerializer(serializers.Serializer):
    on = serializers.DateField(label="离开日期")
    reason = serializers.CharField(label="离开原因")


class RevealSerializer(serializers.Serializer):
    purpose = serializers.CharField(required=False, allow_blank=True, default="", label="查看事由")


class MembershipSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "member",
            "organization",
            "organization_name",
            "valid_from",
            "start_known",
            "valid_until",
            "reason",
            "note",
        ]


class MemberViewSet(ScopedViewSet):
    """党员花名册。身份证号和手机号只返回脱敏值；完整值通过 reveal 查看并记入审计日志。"""

    base_queryset = Member.objects.select_related("organization")
    serializer_class = MemberSerializer
    filterset_fields = ["organization", "category", "status", "is_mobile"]

    def service_create(self, data):
        return services.member_create(
            actor=self.request.user,
            organization=data.pop("organization"),
            transferred_in_on=data.pop("transferred_in_on", None),
            **data,
        )

    def service_update(self, instance, data):
        data.pop("transferred_in_on", None)
        return services.member_update(actor=self.request.user, member=instance, **data)

    def service_delete(self, instance):
        services.member_delete(actor=self.request.user, member=instance)

    @action(
        detail=True,
        methods=["post"],
        serializer_class=TransferSerializer,
        permission_classes=[ActionPermission],
    )
    def transfer(self, request, pk=None):
        """组织关系转接。"""
        member = self.get_object()
        self._check(member, "change")
        payload = TransferSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        member = services.member_transfer(actor=request.user, member=member, **payload.validated_data)
        return Response(MemberSerializer(member, context=self.get_serializer_context()).data)

    @action(
        detail=True, methods=["post"], serializer_class=LeaveSerializer, permission_classes=[ActionPermission]
    )
    def leave(self, request, pk=None):
        """登记离开（转出区外、去世等）。"""
        member = self.get_object()
        self._check(member, "change")
        payload = LeaveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        member = services.member_leave(actor=request.user, member=member, **payload.validated_data)
        return Response(MemberSerializer(member, context=self.get_serializer_context()).data)

    @action(
        detail=True,
        methods=["post"],
        serializer_class=RevealSerializer,
        permission_classes=[ActionPermission],
    )
    def reveal(self, request, pk=None):
        """查看完整身份证号和手机号码（需要权限，记入审计日志）。"""
        member = self.get_object()
        payload = RevealSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return Response(services.member_reveal(actor=request.user, member=member, **payload.validated_data))

    @action(detail=True, methods=["get"], serializer_class=MembershipSerializer)
    def memberships(self, request, pk=None):
        """组织关系记录（历史）。"""
        member = self.get_object()
        return Response(
            MembershipSerializer(member.memberships.select_related("organization"), many=True).data
        )
