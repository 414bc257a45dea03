"""The API of 人才与创新: the talent pool (ID and phone numbers only masked, the full values
through /reveal/, logged), the zone's talent policies and the support paid under them, experts,
innovation platforms with their incubated enterprises, and innovations (a 校地合作's universities
as a list of names). An enterprise contact's new talent or innovation is a submission (待确认) of
their own enterprise; the talent office confirms it (/confirm/) or returns it (/return/), and
the enterprise may correct and resubmit it (/resubmit/). Every write goes through
talent.services; reads through the user's scope."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from dangjian.core.api import ConfigViewSet, ScopedModelSerializer, ScopedViewSet
from dangjian.core.api_permissions import ActionPermission
from dangjian.core.crypto import mask_id_number, mask_phone
from dangjian.core.registry import api_route
from dangjian.core.scope import restrict

from . import services
from .models import (
    Expert,
    Incubation,
    Innovation,
    Platform,
    PolicySupport,
    Talent,
    TalentPolicy,
)

# what the zone's review of a submission shows; written only by confirm, return and resubmit
REVIEW_FIELDS = ["review", "review_label", "review_note", "submitted_at", "reviewed_at"]


class ReviewedSerializer(ScopedModelSerializer):
    review_label = serializers.CharField(source="get_review_display", read_only=True, label="确认状态名称")


class SubmissionReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300, label="退回原因")


class TalentRevealSerializer(serializers.Serializer):
    purpose = serializers.CharField(required=False, allow_blank=True, default="", label="查看事由")


class ReviewActions:
    """/confirm/ and /return/ for the talent office, /resubmit/ for the enterprise (the same
    fields as the record, only those sent changed)."""

    def _answer(self, record, code=status.HTTP_200_OK):
        record = self.base_queryset.get(pk=record.pk)
        return Response(type(self).serializer_class(record, context=self.get_serializer_context()).data, code)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], permission_classes=[ActionPermission])
    def confirm(self, request, pk=None):
        """确认企业提交的记录：确认后计入统计（需要确认权限）。"""
        record = self.get_object()
        services.submission_confirm(actor=request.user, record=record)
        return self._answer(record)

    @extend_schema(request=SubmissionReturnSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="return",
        url_name="return",
        serializer_class=SubmissionReturnSerializer,
        permission_classes=[ActionPermission],
    )
    def send_back(self, request, pk=None):
        """退回企业提交的记录，须填写退回原因（需要确认权限）；企业可修改后重新提交。"""
        record = self.get_object()
        payload = SubmissionReturnSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.submission_return(
            actor=request.user, record=record, reason=payload.validated_data.get("reason")
        )
        return self._answer(record)

    def _resubmit(self, request):
        """The returned record corrected with the fields sent and submitted again; a 校地合作's
        universities (a list) replace its own when sent."""
        record = self.get_object()
        payload = type(self).serializer_class(
            record, data=request.data, partial=True, context=self.get_serializer_context()
        )
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        extra = {"universities": data.pop("universities", None)} if isinstance(record, Innovation) else {}
        services.submission_resubmit(actor=request.user, record=record, **extra, **data)
        return self._answer(record)


# -- talents --------------------------------------------------------------------------------------
class TalentSerializer(ReviewedSerializer):
    id_number = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=18, label="公民身份号码"
    )
    phone = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=20, label="联系电话"
    )
    id_number_masked = serializers.SerializerMethodField(label="公民身份号码（脱敏）")
    phone_masked = serializers.SerializerMethodField(label="联系电话（脱敏）")
    category_label = serializers.CharField(
        source="get_category_display", read_only=True, label="人才类别名称"
    )

    class Meta:
        model = Talent
        fields = [
            "id",
            *services.TALENT_FIELDS,
            "id_number_masked",
            "phone_masked",
            "category_label",
            *REVIEW_FIELDS,
        ]
        read_only_fields = ["exit_on", "exit_reason", "review", "review_note", "submitted_at", "reviewed_at"]
        validators = []  # one talent per ID number, or per name at an employer: the service's check

    def get_id_number_masked(self, obj) -> str:
        return mask_id_number(obj.id_number) if obj.id_number else ""

    def get_phone_masked(self, obj) -> str:
        return mask_phone(obj.phone) if obj.phone else ""


class TalentExitSerializer(serializers.Serializer):
    on = serializers.DateField(label="出库日期")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200, label="出库原因")


class TalentViewSet(ReviewActions, ScopedViewSet):
    """人才库。身份证号和手机号只返回脱敏值，完整值经 /reveal/ 查看并记入审计日志；/exit/ 登记出库。
    企业联络员登记的人才为待确认的提交，人才工作人员经 /confirm/ 确认或 /return/ 退回，
    被退回的经 /resubmit/ 修改后重新提交。筛选：?category=&review=&enterprise=。"""

    base_queryset = Talent.objects.select_related("enterprise")
    serializer_class = TalentSerializer
    filterset_fields = ["category", "source", "review", "enterprise"]

    def service_create(self, data):
        return services.talent_save(actor=self.request.user, **data)

    def service_update(self, instance, data):
        return services.talent_save(actor=self.request.user, instance=instance, **data)

    def service_delete(self, instance):
        services.talent_delete(actor=self.request.user, talent=instance)

    @extend_schema(request=TalentExitSerializer, responses=TalentSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="exit",
        url_name="exit",
        serializer_class=TalentExitSerializer,
        permission_classes=[ActionPermission],
    )
    def leave_pool(self, request, pk=None):
        """出库：自出库日期起不在人才库。"""
        talent = self.get_object()
        payload = TalentExitSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        services.talent_exit(actor=request.user, talent=talent, on=data["on"], reason=data.get("reason", ""))
        return self._answer(talent)

    @extend_schema(request=TalentRevealSerializer, responses={200: dict})
    @action(
        detail=True,
        methods=["post"],
        serializer_class=TalentRevealSerializer,
        permission_classes=[ActionPermission],
    )
    def reveal(self, request, pk=None):
        """查看完整身份证号和手机号码（需要权限，记入审计日志）。"""
        talent = self.get_object()
        payload = TalentRevealSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return Response(services.talent_reveal(actor=request.user, talent=talent, **payload.validated_data))

    @extend_schema(request=TalentSerializer, responses=TalentSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ActionPermission])
    def resubmit(self, request, pk=None):
        """修改被退回的人才并重新提交（企业联络员）。"""
        return self._resubmit(request)


# -- talent policies and the support paid under them ----------------------------------------------
class TalentPolicySerializer(serializers.ModelSerializer):
    class Meta:
        model = TalentPolicy
        fields = ["id", "name", "description", "is_active", "sort_order"]
        validators = []  # the name's uniqueness is the model's check, in Chinese
        extra_kwargs = {"name": {"validators": []}}


class TalentPolicyViewSet(ConfigViewSet):
    """人才政策（政策名称、内容、是否启用）；已有兑现记录的政策不能删除，可改为停用。"""

    queryset = TalentPolicy.objects.all()
    serializer_class = TalentPolicySerializer
    filterset_fields = ["is_active"]

    def perform_create(self, serializer):
        serializer.instance = services.policy_save(
            actor=self.request.user, instance=TalentPolicy(**serializer.validated_data)
        )

    def perform_update(self, serializer):
        instance = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(instance, name, value)
        serializer.instance = services.policy_save(actor=self.request.user, instance=instance)


class PolicySupportSerializer(ScopedModelSerializer):
    talent_name = serializers.CharField(source="talent.name", read_only=True, label="人才姓名")
    policy_name = serializers.CharField(source="policy.name", read_only=True, label="政策名称")

    class Meta:
        model = PolicySupport
        fields = ["id", *services.SUPPORT_FIELDS, "talent_name", "policy_name"]
        extra_kwargs = {"evidence": {"required": False}}


class PolicySupportViewSet(ScopedViewSet):
    """人才政策兑现（人才、政策、兑现日期、金额元、佐证材料）。筛选：?talent=<人才编号>&policy=。"""

    base_queryset = PolicySupport.objects.select_related("talent", "policy")
    serializer_class = PolicySupportSerializer
    filterset_fields = ["talent", "policy", "paid_on"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def service_create(self, data):
        return services.support_save(actor=self.request.user, **data)

    def service_update(self, instance, data):
        return services.support_save(actor=self.request.user, instance=instance, **data)

    def service_delete(self, instance):
        services.support_delete(actor=self.request.user, support=instance)


# -- experts --------------------------------------------------------------------------------------
class ExpertSerializer(ScopedModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True, label="合作企业名称")

    class Meta:
        model = Expert
        fields = ["id", *services.EXPERT_FIELDS, "enterprise_name"]


class ExpertViewSet(ScopedViewSet):
    """院士专家（姓名、称号、所在单位、合作企业、协议日期、合作内容）。"""

    base_queryset = Expert.objects.select_related("enterprise")
    serializer_class = ExpertSerializer
    filterset_fields = ["enterprise"]

    def service_create(self, data):
        return services.expert_save(actor=self.request.user, **data)

    def service_update(self, instance, data):
        return services.expert_save(actor=self.request.user, instance=instance, **data)

    def service_delete(self, instance):
        services.expert_delete(actor=self.request.user, expert=instance)


# -- platforms and their incubated enterprises ----------------------------------------------------
class IncubationSerializer(ScopedModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True, label="在孵企业名称")

    class Meta:
        model = Incubation
        fields = ["id", "enterprise", "enterprise_name", "entered_on", "left_on", "note"]
        validators = []  # one incubation of an enterprise per platform: the service's check


class PlatformSerializer(ScopedModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True, label="平台类型名称")
    level_label = serializers.CharField(source="get_level_display", read_only=True, label="级别名称")
    incubates = serializers.BooleanField(read_only=True, label="孵化企业的平台")

    class Meta:
        model = Platform
        fields = [
            "id",
            *(name for name in services.PLATFORM_FIELDS if name != "recognised_month_only"),
            "recognised_month_only",
            "kind_label",
            "level_label",
            "incubates",
        ]
        read_only_fields = ["withdrawn_on", "withdrawn_reason", "recognised_month_only"]
        validators = []  # the name's uniqueness is the model's check, in Chinese
        extra_kwargs = {"name": {"validators": []}}


class PlatformWithdrawSerializer(serializers.Serializer):
    on = serializers.DateField(label="撤销日期")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200, label="撤销原因")


class PlatformViewSet(ScopedViewSet):
    """创新平台（平台类型、级别、依托单位或企业、认定日期）。/withdraw/ 登记撤销（自撤销日期起不再计入）；
    孵化类平台经 /incubations/ 列出和登记在孵企业，/incubations/<编号>/ 删除。
    筛选：?kind=research&level=provincial&enterprise=。"""

    base_queryset = Platform.objects.select_related("enterprise")
    serializer_class = PlatformSerializer
    filterset_fields = ["kind", "level", "enterprise"]

    def service_create(self, data):
        return services.platform_save(actor=self.request.user, **data)

    def service_update(self, instance, data):
        return services.platform_save(actor=self.request.user, instance=instance, **data)

    def service_delete(self, instance):
        services.platform_delete(actor=self.request.user, platform=instance)

    def _answer(self, platform):
        platform = self.base_queryset.get(pk=platform.pk)
        return Response(PlatformSerializer(platform, context=self.get_serializer_context()).data)

    @extend_schema(request=PlatformWithdrawSerializer, responses=PlatformSerializer)
    @action(
        detail=True,
        methods=["post"],
        serializer_class=PlatformWithdrawSerializer,
        permission_classes=[ActionPermission],
    )
    def withdraw(self, request, pk=None):
        """撤销认定：须填写撤销日期和原因；自撤销日期起不再计入创新平台数。"""
        platform = self.get_object()
        payload = PlatformWithdrawSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        services.platform_withdraw(
            actor=request.user, platform=platform, on=data["on"], reason=data.get("reason")
        )
        return self._answer(platform)

    def _incubations(self, platform):
        found = restrict(self.request.user, platform.incubations.select_related("enterprise"), "view")
        return IncubationSerializer(found.order_by("-entered_on", "pk"), many=True).data

    @extend_schema(
        methods=["get"],
        request=None,
        responses=IncubationSerializer(many=True),
        operation_id="talent_platforms_incubations_list",
    )
    @extend_schema(
        methods=["post"],
        request=IncubationSerializer,
        responses={201: IncubationSerializer(many=True)},
        operation_id="talent_platforms_incubations_create",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        serializer_class=IncubationSerializer,
        permission_classes=[ActionPermission],
    )
    def incubations(self, request, pk=None):
        """在孵企业：GET 列出，POST 登记一家（在孵企业、入孵日期、出孵日期）；登记后该企业标为孵化企业。"""
        platform = self.get_object()
        if request.method == "POST":
            payload = IncubationSerializer(data=request.data, context=self.get_serializer_context())
            payload.is_valid(raise_exception=True)
            services.incubation_save(actor=request.user, platform=platform, **payload.validated_data)
            return Response(self._incubations(platform), status.HTTP_201_CREATED)
        return Response(self._incubations(platform))

    @extend_schema(request=None, responses={204: None})
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"incubations/(?P<incubation>[0-9]+)",
        permission_classes=[ActionPermission],
    )
    def incubation_remove(self, request, pk=None, incubation=None):
        """删除一条在孵企业记录；该企业没有其他在孵记录时取消孵化企业标记。"""
        platform = self.get_object()
        found = platform.incubations.filter(pk=incubation).first()
        if found is None:
            raise NotFound("该平台没有这条在孵企业记录")
        services.incubation_delete(actor=request.user, incubation=found)
        return Response(status=status.HTTP_204_NO_CONTENT)


# -- innovations ----------------------------------------------------------------------------------
class UniversityNames(serializers.ListField):
    """A 校地合作's universities read and written as a list of names."""

    def get_attribute(self, instance):
        return [university.name for university in instance.universities.all()]


class InnovationSerializer(ReviewedSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True, label="类型名称")
    universities = UniversityNames(
        child=serializers.CharField(max_length=200),
        required=False,
        label="合作高校",
        help_text="校地合作的合作高校名称，可填多所",
    )

    class Meta:
        model = Innovation
        fields = ["id", *services.INNOVATION_FIELDS, "universities", "kind_label", *REVIEW_FIELDS]
        read_only_fields = ["review", "review_note", "submitted_at", "reviewed_at"]
        validators = []  # 名称 + 类型 is one innovation: the service's check, in Chinese


class InnovationViewSet(ReviewActions, ScopedViewSet):
    """科技创新：重点科技项目、科技成果、专利、校地合作（universities 为合作高校名称列表）。
    企业联络员登记的为待确认的提交，人才工作人员经 /confirm/ 确认或 /return/ 退回，
    被退回的经 /resubmit/ 修改后重新提交。筛选：?kind=patent&level=&review=&enterprise=。"""

    base_queryset = Innovation.objects.select_related("enterprise").prefetch_related("universities")
    serializer_class = InnovationSerializer
    filterset_fields = ["kind", "level", "review", "enterprise"]

    def service_create(self, data):
        data = dict(data)
        return services.innovation_save(
            actor=self.request.user, universities=data.pop("universities", None), **data
        )

    def service_update(self, instance, data):
        data = dict(data)
        return services.innovation_save(
            actor=self.request.user, instance=instance, universities=data.pop("universities", None), **data
        )

    def service_delete(self, instance):
        services.innovation_delete(actor=self.request.user, innovation=instance)

    @extend_schema(request=InnovationSerializer, responses=InnovationSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ActionPermission])
    def resubmit(self, request, pk=None):
        """修改被退回的记录并重新提交（企业联络员）。"""
        return self._resubmit(request)


api_route("talents", TalentViewSet, basename="talent")
api_route("talent-policies", TalentPolicyViewSet, basename="talentpolicy")
api_route("talent-supports", PolicySupportViewSet, basename="talentsupport")
api_route("talent-experts", ExpertViewSet, basename="talentexpert")
api_route("talent-platforms", PlatformViewSet, basename="talentplatform")
api_route("innovations", InnovationViewSet, basename="innovation")
