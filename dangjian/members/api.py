import datetime

from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dangjian.core.api import (
    IdsFirstPagination,
    ScopedModelSerializer,
    ScopedSerializerMixin,
    ScopedViewSet,
    take_step,
)
from dangjian.core.api_permissions import ActionPermission
from dangjian.core.paths import path_order
from dangjian.core.registry import api_route
from dangjian.core.scope import restrict
from dangjian.organizations.models import PartyOrganization

from . import services
from .models import DevelopmentCase, DuesAssessment, DuesBase, DuesPayment, Member, Membership
from .selectors import development_pipeline, dues_ledger


class MemberSerializer(ScopedModelSerializer):
    id_number = serializers.CharField(write_only=True, required=False, label="公民身份号码")
    phone = serializers.CharField(write_only=True, required=False, allow_blank=True, label="手机号码")
    birth_date = serializers.DateField(write_only=True, required=False, allow_null=True, label="出生日期")
    id_number_masked = serializers.CharField(read_only=True, label="公民身份号码（脱敏）")
    birth_date_masked = serializers.CharField(read_only=True, label="出生年份（脱敏）")
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
            "birth_date_masked",
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
    # page 1 costs its 50 rows whatever the scope: the ids in the order of member_list_order, then
    # the rows of those ids
    pagination_class = IdsFirstPagination

    def get_queryset(self):
        return super().get_queryset().order_by(*path_order("name", "id"))

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


# -- 发展党员 ----------------------------------------------------------------------------------------
class DevelopmentCaseSerializer(ScopedModelSerializer):
    id_number = serializers.CharField(write_only=True, label="公民身份号码")
    id_number_masked = serializers.CharField(read_only=True, label="公民身份号码（脱敏）")
    birth_date_masked = serializers.CharField(read_only=True, label="出生年份（脱敏）")

    class Meta:
        model = DevelopmentCase
        fields = [
            "id",
            "name",
            "id_number",
            "id_number_masked",
            "birth_date_masked",
            "organization",
            "stage",
            *services.DATE_FIELDS,
            *services.STEP_FIELDS,
        ]
        read_only_fields = [
            "stage",
            *[f for f in services.DATE_FIELDS if f != "applied_on"],
            *services.STEP_FIELDS,
        ]


class StepSerializer(ScopedSerializerMixin, serializers.Serializer):
    on = serializers.DateField(required=False, label="日期")
    note = serializers.CharField(required=False, allow_blank=True, default="", label="说明")
    completed_on = serializers.DateField(required=False, label="培训结业日期")
    days = serializers.DecimalField(
        max_digits=5, decimal_places=1, required=False, allow_null=True, label="培训天数"
    )
    hours = serializers.DecimalField(
        max_digits=6, decimal_places=1, required=False, allow_null=True, label="培训学时"
    )
    introducers = serializers.PrimaryKeyRelatedField(
        queryset=Member.objects.all(), many=True, required=False, label="入党介绍人"
    )
    months = serializers.IntegerField(required=False, label="延长月数")
    reason = serializers.CharField(required=False, allow_blank=True, label="原因")
    field = serializers.ChoiceField(choices=services.DATE_FIELDS, required=False, label="更正的日期")
    value = serializers.DateField(required=False, allow_null=True, label="正确的日期")


class DevelopmentCaseViewSet(ScopedViewSet):
    """发展党员：新建即递交入党申请；其后每一步通过 /steps/<步骤>/ 记录（谈话、积极分子、发展对象、培训、
    接收、审批、延长、转正、取消、更正日期）。"""

    base_queryset = DevelopmentCase.objects.select_related("organization")
    serializer_class = DevelopmentCaseSerializer
    filterset_fields = ["organization", "stage"]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def service_create(self, data):
        return services.development_apply(actor=self.request.user, **data)

    def service_delete(self, instance):
        services.development_delete(actor=self.request.user, case=instance)

    @action(
        detail=True,
        methods=["post"],
        url_path=r"steps/(?P<step>[a-z]+)",
        serializer_class=StepSerializer,
        permission_classes=[ActionPermission],
    )
    def step(self, request, pk=None, step=None):
        """记录一个发展环节；违反时限或顺序时返回中文错误。"""
        return take_step(
            self,
            request,
            steps=services.DEVELOPMENT_STEPS,
            step=step,
            payload=StepSerializer,
            record="case",
            out=DevelopmentCaseSerializer,
        )

    @action(detail=False, methods=["get"])
    def pipeline(self, request):
        """各阶段人员与下一步（?organization=<id>）。"""
        organization = None
        if request.query_params.get("organization"):
            organization = (
                restrict(request.user, PartyOrganization.objects.all())
                .filter(pk=request.query_params["organization"])
                .first()
            )
        return Response(
            [
                {
                    "stage": column["stage"],
                    "label": column["label"],
                    "entries": [
                        {
                            "case": e.case.pk,
                            "name": e.case.name,
                            "organization": e.case.organization.name,
                            "next_step": e.next_step,
                            "due": e.due,
                            "overdue": e.overdue,
                        }
                        for e in column["entries"]
                    ],
                }
                for column in development_pipeline(user=request.user, organization=organization)
            ]
        )


# -- 党费 -------------------------------------------------------------------------------------------
class DuesBaseSerializer(ScopedModelSerializer):
    class Meta:
        model = DuesBase
        fields = ["id", "member", "effective_from", "category", "income", "fixed_amount", "note"]


class DuesBaseViewSet(ScopedViewSet):
    """党费基数（按月生效）。"""

    base_queryset = DuesBase.objects.select_related("member")
    serializer_class = DuesBaseSerializer
    filterset_fields = ["member", "category"]
    http_method_names = ["get", "post", "head", "options"]

    def service_create(self, data):
        return services.dues_base_set(actor=self.request.user, **data)


class DuesPaymentSerializer(ScopedModelSerializer):
    class Meta:
        model = DuesPayment
        fields = ["id", "member", "month", "amount", "paid_on", "voluntary", "note", "organization"]
        read_only_fields = ["organization"]


class DuesPaymentViewSet(ScopedViewSet):
    """党费交纳记录（自愿多交单独标记）。"""

    base_queryset = DuesPayment.objects.select_related("member")
    serializer_class = DuesPaymentSerializer
    filterset_fields = ["member", "month", "voluntary"]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def service_create(self, data):
        return services.dues_pay(actor=self.request.user, **data)

    def service_delete(self, instance):
        services.dues_payment_delete(actor=self.request.user, payment=instance)


class DuesAssessmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = DuesAssessment
        fields = ["id", "member", "month", "organization", "category", "income", "payable", "rule"]


class AssessSerializer(ScopedSerializerMixin, serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=PartyOrganization.objects.all(), label="党组织"
    )
    month = serializers.DateField(label="月份（该月任一日）")


class DuesAssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    """党费应缴（按月计算，记录所用标准版本）；月度台账见 ledger。"""

    serializer_class = DuesAssessmentSerializer
    filterset_fields = ["member", "month", "organization"]

    def get_queryset(self):
        return restrict(self.request.user, DuesAssessment.objects.select_related("member"), "view")

    @action(detail=False, methods=["post"], serializer_class=AssessSerializer)
    def assess(self, request):
        """计算某组织某月的应缴党费。"""
        payload = AssessSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        result = services.dues_assess(actor=request.user, **payload.validated_data)
        return Response(
            {
                "created": result["created"],
                "existing": result["existing"],
                "missing_base": result["missing_base"],
                "rule": str(result["rule"]),
            }
        )

    @action(detail=False, methods=["get"])
    def ledger(self, request):
        """月度台账：?organization=<id>&month=2026-10。"""
        from rest_framework.exceptions import ValidationError as ApiValidationError

        organization = (
            restrict(request.user, PartyOrganization.objects.all())
            .filter(pk=request.query_params.get("organization"))
            .first()
        )
        try:
            month = datetime.datetime.strptime(request.query_params.get("month", ""), "%Y-%m").date()
        except ValueError:
            raise ApiValidationError({"month": ["月份格式应为 2026-10"]}) from None
        if organization is None:
            raise ApiValidationError({"organization": ["请选择您范围内的党组织"]})
        ledger = dues_ledger(user=request.user, organization=organization, month=month)
        return Response(
            {
                "organization": organization.name,
                "month": f"{month:%Y-%m}",
                "payable": ledger.payable,
                "paid": ledger.paid,
                "owed": ledger.owed,
                "voluntary": ledger.voluntary,
                "rows": [
                    {
                        "member": r.member.pk,
                        "name": r.member.name,
                        "payable": r.payable,
                        "paid": r.paid,
                        "owed": r.owed,
                        "voluntary": r.voluntary,
                        "unpaid_months": r.unpaid_months,
                    }
                    for r in ledger.rows
                ],
            }
        )


api_route("members", MemberViewSet, basename="member")
api_route("development", DevelopmentCaseViewSet, basename="developmentcase")
api_route("dues/bases", DuesBaseViewSet, basename="duesbase")
api_route("dues/payments", DuesPaymentViewSet, basename="duespayment")
api_route("dues/assessments", DuesAssessmentViewSet, basename="duesassessment")
