"""The star rating's API: rubrics (with their items, star lines and veto items), campaigns and
their steps, each organization's assessment (self-assessment, review, steps, 公示 objections)
and the named stars (评星结果). Every write goes through ratings.services; reads through the
user's scope."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from dangjian.core.api import ScopedModelSerializer, ScopedSerializerMixin, ScopedViewSet, take_step
from dangjian.core.api_permissions import ActionPermission
from dangjian.core.indicators import FIRST_YEAR, LAST_YEAR, json_value
from dangjian.core.registry import api_route
from dangjian.organizations.models import OrgKind, PartyOrganization, UnitNature

from . import figures, selectors, services
from .models import (
    STAR_CHOICES,
    Assessment,
    AssessmentItem,
    Campaign,
    CheckMethod,
    FileStage,
    Rubric,
    RubricItem,
    StarRating,
    Threshold,
    VetoFinding,
    VetoItem,
)


def _events(obj) -> list:
    return [
        {"on": e.on, "kind": e.kind, "label": e.get_kind_display(), "note": e.note} for e in obj.events.all()
    ]


def _rows(rows) -> list[dict]:
    return [dict(row) for row in rows]


# -- rubrics ------------------------------------------------------------------------------------
class RubricItemSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(required=False, label="编号", help_text="已有的评分细则填写其编号")
    methods = serializers.ListField(
        child=serializers.ChoiceField(choices=CheckMethod.choices), required=False, label="核查方式"
    )
    measures = serializers.ListField(
        child=serializers.ChoiceField(choices=figures.MEASURE_CHOICES), required=False, label="带入的系统数据"
    )

    class Meta:
        model = RubricItem
        fields = ["id", *services.ITEM_FIELDS]


class ThresholdSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(required=False, label="编号")

    class Meta:
        model = Threshold
        fields = ["id", *services.THRESHOLD_FIELDS]


class VetoItemSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(required=False, label="编号")

    class Meta:
        model = VetoItem
        fields = ["id", *services.VETO_FIELDS]


class RubricSerializer(serializers.ModelSerializer):
    items = RubricItemSerializer(many=True, required=False, label="评分细则")
    thresholds = ThresholdSerializer(many=True, required=False, label="星级分数线")
    vetoes = VetoItemSerializer(many=True, required=False, label="一票否决项")
    in_use = serializers.BooleanField(read_only=True, label="已被评星活动使用")
    total_points = serializers.DecimalField(max_digits=6, decimal_places=1, read_only=True, label="总分值")

    class Meta:
        model = Rubric
        fields = [
            "id",
            "name",
            "version",
            "based_on",
            "description",
            "in_use",
            "total_points",
            "items",
            "thresholds",
            "vetoes",
        ]
        read_only_fields = ["version", "based_on"]


class RubricViewSet(ScopedViewSet):
    """评星标准：评分细则、星级分数线、一票否决项随标准一并提交（整表替换；带编号的行保留原记录）。已被评星活动使用的版本
    不能再修改，经 POST /copy/ 复制为新版本后修改。"""

    base_queryset = Rubric.objects.prefetch_related("items", "thresholds", "vetoes", "campaigns")
    serializer_class = RubricSerializer
    filterset_fields = ["name"]

    @staticmethod
    def _parts(data) -> dict:
        return {key: _rows(data[key]) for key in ("items", "thresholds", "vetoes") if key in data}

    def service_create(self, data):
        return services.rubric_save(
            actor=self.request.user,
            name=data["name"],
            description=data.get("description", ""),
            **self._parts(data),
        )

    def service_update(self, instance, data):
        return services.rubric_save(
            actor=self.request.user,
            rubric=instance,
            name=data.get("name", instance.name),
            description=data.get("description", instance.description),
            **self._parts(data),
        )

    def service_delete(self, instance):
        services.rubric_delete(actor=self.request.user, rubric=instance)

    @extend_schema(request=None, responses={201: RubricSerializer})
    @action(detail=True, methods=["post"])
    def copy(self, request, pk=None):
        """复制为新版本（含全部评分细则、分数线与否决项）。"""
        copy = services.rubric_copy(actor=request.user, rubric=self.get_object())
        copy = self.base_queryset.get(pk=copy.pk)
        return Response(
            RubricSerializer(copy, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )


# -- campaigns ----------------------------------------------------------------------------------
class CampaignSerializer(serializers.ModelSerializer):
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=OrgKind.choices),
        required=False,
        label="参评组织类别",
        help_text="不填为全部",
    )
    natures = serializers.ListField(
        child=serializers.ChoiceField(choices=UnitNature.choices),
        required=False,
        label="参评单位性质",
        help_text="不填为全部",
    )
    step_label = serializers.CharField(source="get_step_display", read_only=True, label="当前环节名称")
    events = serializers.SerializerMethodField(label="活动进程")

    class Meta:
        model = Campaign
        fields = [
            "id",
            *services.CAMPAIGN_FIELDS,
            "step",
            "step_label",
            "notice_start",
            "notice_end",
            "named_on",
            "events",
        ]
        read_only_fields = ["step", "notice_start", "notice_end", "named_on"]
        # the period is the campaign's year unless given
        extra_kwargs = {"period_start": {"required": False}, "period_end": {"required": False}}
        validators = []  # the year and name's uniqueness is the service's (model) check, in Chinese

    def get_events(self, obj) -> list:
        return _events(obj)


class CampaignStepSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, label="日期")
    document_number = serializers.CharField(required=False, allow_blank=True, label="命名文号")


class CampaignViewSet(ScopedViewSet):
    """评星活动：经 /steps/<open_self_assessment|open_review|open_decision|decide_all|open_notice|name>/
    逐个环节开启与结束。"""

    base_queryset = Campaign.objects.select_related("rubric").prefetch_related("events")
    serializer_class = CampaignSerializer
    filterset_fields = ["year", "step", "rubric"]

    def service_create(self, data):
        return services.campaign_save(actor=self.request.user, **data)

    def service_update(self, instance, data):
        return services.campaign_save(actor=self.request.user, campaign=instance, **data)

    def service_delete(self, instance):
        services.campaign_delete(actor=self.request.user, campaign=instance)

    @action(
        detail=True,
        methods=["post"],
        url_path=r"steps/(?P<step>[a-z_]+)",
        serializer_class=CampaignStepSerializer,
        permission_classes=[ActionPermission],
    )
    def step(self, request, pk=None, step=None):
        return take_step(
            self,
            request,
            steps=services.CAMPAIGN_STEPS,
            step=step,
            payload=CampaignStepSerializer,
            record="campaign",
            out=CampaignSerializer,
        )


# -- assessments --------------------------------------------------------------------------------
class AssessmentItemSerializer(serializers.ModelSerializer):
    position = serializers.IntegerField(source="item.position", read_only=True, label="序号")
    area = serializers.CharField(source="item.area", read_only=True, label="评分项目")
    name = serializers.CharField(source="item.name", read_only=True, label="评分内容")
    points = serializers.DecimalField(
        source="item.points", max_digits=5, decimal_places=1, read_only=True, label="分值"
    )

    class Meta:
        model = AssessmentItem
        fields = [
            "id",
            "item",
            "position",
            "area",
            "name",
            "points",
            "self_score",
            "self_note",
            "review_score",
            "review_methods",
            "review_note",
        ]
        read_only_fields = fields


class VetoFindingSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="veto.name", read_only=True, label="否决情形")
    cap_stars = serializers.IntegerField(source="veto.cap_stars", read_only=True, label="最高评定为")

    class Meta:
        model = VetoFinding
        fields = ["id", "veto", "name", "cap_stars", "found", "note"]
        read_only_fields = fields


class AssessmentSerializer(ScopedModelSerializer):
    """An assessment as read; only the brand and the summary are written here (PATCH, as in
    POST …/self/), the rest through its steps."""

    campaign_name = serializers.CharField(source="campaign.name", read_only=True, label="评星活动名称")
    year = serializers.IntegerField(source="campaign.year", read_only=True, label="评定年度")
    organization_name = serializers.CharField(source="organization.name", read_only=True, label="党组织名称")
    status_label = serializers.CharField(source="get_status_display", read_only=True, label="状态名称")
    stars_label = serializers.SerializerMethodField(label="评定星级名称")
    items = AssessmentItemSerializer(many=True, read_only=True, label="评分项")
    figures = serializers.SerializerMethodField(label="系统数据")
    vetoes = VetoFindingSerializer(many=True, read_only=True, label="一票否决核查")
    objections = serializers.SerializerMethodField(label="公示异议")
    files = serializers.SerializerMethodField(label="佐证材料")
    events = serializers.SerializerMethodField(label="申报进程")

    class Meta:
        model = Assessment
        fields = [
            "id",
            "campaign",
            "campaign_name",
            "year",
            "organization",
            "organization_name",
            "status",
            "status_label",
            "brand",
            "self_summary",
            "self_score",
            "submitted_on",
            "returned_reason",
            "review_score",
            "review_note",
            "reviewed_on",
            "veto",
            "computed_stars",
            "previous_stars",
            "previous_year",
            "stars",
            "stars_label",
            "decision_reason",
            "decided_on",
            "items",
            "figures",
            "vetoes",
            "objections",
            "files",
            "events",
        ]
        read_only_fields = [f for f in fields if f not in ("brand", "self_summary")]

    def get_stars_label(self, obj) -> str:
        return obj.get_stars_display() if obj.stars else ""

    def get_figures(self, obj) -> list:
        return [
            {
                "measure": f.measure,
                "label": f.label,
                "value": f.value,
                "unit": f.unit,
                "text": f.value_text,
                "url": f.url,
                "taken_on": f.taken_on,
            }
            for f in obj.figures.all()
        ]

    def get_objections(self, obj) -> list:
        return [
            {
                "id": o.pk,
                "received_on": o.received_on,
                "raised_by": o.raised_by,
                "content": o.content,
                "answer": o.answer,
                "answered_on": o.answered_on,
                "upheld": o.upheld,
            }
            for o in obj.objections.all()
        ]

    def get_files(self, obj) -> list:
        return [
            {
                "id": f.pk,
                "item": f.item_id,
                "stage": f.stage,
                "stage_label": f.get_stage_display(),
                "name": str(f),
                "url": f.file.url,
                "uploaded_at": f.uploaded_at,
            }
            for f in obj.files.all()
        ]

    def get_events(self, obj) -> list:
        return _events(obj)


class ItemRowSerializer(serializers.Serializer):
    item = serializers.IntegerField(label="评分项", help_text="申报中评分项的编号（items 的 id）")


class SelfItemSerializer(ItemRowSerializer):
    self_score = serializers.DecimalField(
        max_digits=5, decimal_places=1, required=False, allow_null=True, label="自评分"
    )
    self_note = serializers.CharField(required=False, allow_blank=True, label="自评说明")


class SelfAssessmentSerializer(serializers.Serializer):
    brand = serializers.CharField(required=False, allow_blank=True, max_length=200, label="创新或品牌名称")
    self_summary = serializers.CharField(required=False, allow_blank=True, label="自评说明")
    items = SelfItemSerializer(many=True, required=False, label="各项自评")


class ReviewItemSerializer(ItemRowSerializer):
    review_score = serializers.DecimalField(
        max_digits=5, decimal_places=1, required=False, allow_null=True, label="评审分"
    )
    review_methods = serializers.ListField(
        child=serializers.ChoiceField(choices=CheckMethod.choices), required=False, label="核查方式"
    )
    review_note = serializers.CharField(required=False, allow_blank=True, label="评审意见")


class ReviewVetoSerializer(serializers.Serializer):
    finding = serializers.IntegerField(label="否决核查", help_text="申报中否决核查的编号（vetoes 的 id）")
    found = serializers.BooleanField(default=False, label="存在")
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, label="核实情况")


class ReviewSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, label="评审日期")
    brand = serializers.CharField(required=False, allow_blank=True, max_length=200, label="创新或品牌名称")
    review_note = serializers.CharField(required=False, allow_blank=True, label="评审意见")
    items = ReviewItemSerializer(many=True, required=False, label="各项评审")
    vetoes = ReviewVetoSerializer(many=True, required=False, label="一票否决核查")


class AssessmentStepSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, label="日期")
    reason = serializers.CharField(required=False, allow_blank=True, label="退回原因或调整理由")
    stars = serializers.ChoiceField(choices=STAR_CHOICES, required=False, label="评定星级")


class ObjectionSerializer(serializers.Serializer):
    received_on = serializers.DateField(required=False, label="收到日期")
    raised_by = serializers.CharField(required=False, allow_blank=True, max_length=100, label="异议人")
    content = serializers.CharField(required=False, allow_blank=True, label="异议内容")


class AnswerSerializer(serializers.Serializer):
    answered_on = serializers.DateField(required=False, label="答复日期")
    answer = serializers.CharField(required=False, allow_blank=True, label="答复")
    upheld = serializers.BooleanField(required=False, allow_null=True, default=None, label="异议成立")
    stars = serializers.ChoiceField(
        choices=STAR_CHOICES, required=False, label="改为星级", help_text="异议成立且须改变星级时填写"
    )
    reason = serializers.CharField(required=False, allow_blank=True, label="改变星级的理由")


class FileSerializer(ScopedSerializerMixin, serializers.Serializer):
    file = serializers.FileField(label="文件")
    name = serializers.CharField(required=False, allow_blank=True, max_length=200, label="名称")
    item = serializers.PrimaryKeyRelatedField(
        queryset=AssessmentItem.objects.all(), required=False, allow_null=True, label="评分项"
    )
    stage = serializers.ChoiceField(
        choices=FileStage.choices, default=FileStage.SELF, label="类别", help_text="自评佐证或评审材料"
    )


class AssessmentViewSet(ScopedViewSet):
    """评星申报（开启自评申报时为每个参评组织生成）：POST /self/ 填写自评，/files/ 上传佐证材料（/files/<编号>/delete/
    删除），/steps/<submit|refresh|return|decide>/ 办理，/review/ 评审打分，/objections/ 登记公示异议，
    /objections/<编号>/answer/ 答复异议。"""

    base_queryset = Assessment.objects.select_related("campaign", "organization")
    serializer_class = AssessmentSerializer
    filterset_fields = ["campaign", "organization", "status", "stars"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    PARTS = ("items__item", "figures", "vetoes__veto", "objections", "files", "events")

    def get_queryset(self):
        # a write's record is read fresh by its service, never from a prefetched cache
        queryset = super().get_queryset()
        return queryset.prefetch_related(*self.PARTS) if self.action in ("list", "retrieve") else queryset

    def create(self, request, *args, **kwargs):
        raise MethodNotAllowed(request.method, detail="评星申报在开启自评申报时自动生成，不能直接新增")

    def service_update(self, instance, data):
        return services.assessment_save(actor=self.request.user, assessment=instance, **data)

    def _answer(self, assessment, code=status.HTTP_200_OK):
        assessment = self.base_queryset.prefetch_related(*self.PARTS).get(pk=assessment.pk)  # as left
        return Response(AssessmentSerializer(assessment, context=self.get_serializer_context()).data, code)

    def _payload(self, serializer_class):
        payload = serializer_class(data=self.request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        return payload.validated_data

    @extend_schema(request=SelfAssessmentSerializer, responses=AssessmentSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="self",
        serializer_class=SelfAssessmentSerializer,
        permission_classes=[ActionPermission],
    )
    def self_assessment(self, request, pk=None):
        """填写自评（草稿，提交前可反复修改）。"""
        assessment = self.get_object()
        data = self._payload(SelfAssessmentSerializer)
        data["items"] = _rows(data.get("items", ()))
        services.assessment_save(actor=request.user, assessment=assessment, **data)
        return self._answer(assessment)

    @extend_schema(request=ReviewSerializer, responses=AssessmentSerializer)
    @action(
        detail=True,
        methods=["post"],
        serializer_class=ReviewSerializer,
        permission_classes=[ActionPermission],
    )
    def review(self, request, pk=None):
        """评审打分：各项评审分、核查方式与意见，一票否决核查；按评星标准版本计算得分与星级。"""
        assessment = self.get_object()
        data = self._payload(ReviewSerializer)
        data["items"] = _rows(data.get("items", ()))
        data["vetoes"] = _rows(data.get("vetoes", ()))
        services.assessment_review(actor=request.user, assessment=assessment, **data)
        return self._answer(assessment)

    @action(
        detail=True,
        methods=["post"],
        url_path=r"steps/(?P<step>[a-z_]+)",
        serializer_class=AssessmentStepSerializer,
        permission_classes=[ActionPermission],
    )
    def step(self, request, pk=None, step=None):
        return take_step(
            self,
            request,
            steps=services.ASSESSMENT_STEPS,
            step=step,
            payload=AssessmentStepSerializer,
            record="assessment",
            out=AssessmentSerializer,
        )

    @extend_schema(request=FileSerializer, responses={201: AssessmentSerializer})
    @action(
        detail=True,
        methods=["post"],
        serializer_class=FileSerializer,
        parser_classes=[MultiPartParser, FormParser],
        permission_classes=[ActionPermission],
    )
    def files(self, request, pk=None):
        """上传佐证材料：自评期间由本组织上传自评佐证，评审期间由评审人上传评审材料。"""
        assessment = self.get_object()
        services.file_add(actor=request.user, assessment=assessment, **self._payload(FileSerializer))
        return self._answer(assessment, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=AssessmentSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path=r"files/(?P<file>[0-9]+)/delete",
        permission_classes=[ActionPermission],
    )
    def delete_file(self, request, pk=None, file=None):
        """删除佐证材料（与上传时同样的时限与权限）。"""
        assessment = self.get_object()
        record = get_object_or_404(assessment.files.all(), pk=file)
        services.file_delete(actor=request.user, record=record)
        return self._answer(assessment)

    @extend_schema(request=ObjectionSerializer, responses={201: AssessmentSerializer})
    @action(
        detail=True,
        methods=["post"],
        serializer_class=ObjectionSerializer,
        permission_classes=[ActionPermission],
    )
    def objections(self, request, pk=None):
        """登记公示期内收到的异议。"""
        assessment = self.get_object()
        services.objection_add(
            actor=request.user, assessment=assessment, **self._payload(ObjectionSerializer)
        )
        return self._answer(assessment, status.HTTP_201_CREATED)

    @extend_schema(request=AnswerSerializer, responses=AssessmentSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path=r"objections/(?P<objection>[0-9]+)/answer",
        serializer_class=AnswerSerializer,
        permission_classes=[ActionPermission],
    )
    def answer(self, request, pk=None, objection=None):
        """答复异议；异议成立的可改变评定星级（须有理由）。"""
        assessment = self.get_object()
        found = get_object_or_404(assessment.objections.all(), pk=objection)
        services.objection_answer(actor=request.user, objection=found, **self._payload(AnswerSerializer))
        return self._answer(assessment)


# -- the named stars ----------------------------------------------------------------------------
class StarRatingSerializer(ScopedModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True, label="党组织名称")
    stars_label = serializers.CharField(read_only=True, label="星级名称")
    source_label = serializers.CharField(source="get_source_display", read_only=True, label="来源名称")

    class Meta:
        model = StarRating
        fields = [
            "id",
            "organization",
            "organization_name",
            "year",
            "stars",
            "stars_label",
            "score",
            "rubric_label",
            "source",
            "source_label",
            "campaign",
            "named_on",
        ]
        read_only_fields = ["rubric_label", "source", "campaign", "named_on"]
        validators = []  # one result per organization and year: the service's (model) check, in Chinese


class StatisticsQuery(ScopedSerializerMixin, serializers.Serializer):
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR, label="年度")
    scope = serializers.PrimaryKeyRelatedField(
        queryset=PartyOrganization.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        label="范围（党组织编号）",
    )


def _moves(pairs):
    return [
        {
            "organization": rating.organization_id,
            "organization_name": rating.organization.name,
            "stars": rating.stars,
            "previous_year": previous.year,
            "previous_stars": previous.stars,
        }
        for rating, previous in pairs
    ]


class StatisticsSerializer(serializers.Serializer):
    year = serializers.IntegerField(label="年度")
    total = serializers.IntegerField(label="有评星结果的党组织数")
    levels = serializers.SerializerMethodField(label="星级分布")
    figures = serializers.SerializerMethodField(label="综述指标")
    up = serializers.SerializerMethodField(label="升星")
    down = serializers.SerializerMethodField(label="降星")

    def get_levels(self, stats) -> list:
        return [
            {"stars": n, "label": label, "count": count, "share": json_value(share)}
            for n, label, count, share in stats.levels
        ]

    def get_figures(self, stats) -> list:
        return [
            {"code": code, "name": name, "value": json_value(value), "unit": unit}
            for code, name, value, unit in stats.figures
        ]

    def get_up(self, stats) -> list:
        return _moves(stats.up)

    def get_down(self, stats) -> list:
        return _moves(stats.down)


class StarRatingViewSet(ScopedViewSet):
    """评星结果：评星活动命名的结果（只读），以及在系统外评定、补录的往年结果（可新增、修改、删除）。
    筛选：?year=2024&stars=5&organization=<编号>。"""

    base_queryset = StarRating.objects.select_related("organization", "campaign")
    serializer_class = StarRatingSerializer
    filterset_fields = ["year", "stars", "organization", "source"]

    def service_create(self, data):
        return services.rating_import(actor=self.request.user, **data)

    def service_update(self, instance, data):
        fields = {name: getattr(instance, name) for name in ("organization", "year", "stars", "score")}
        return services.rating_import(actor=self.request.user, existing=instance, **{**fields, **data})

    def service_delete(self, instance):
        services.rating_delete(actor=self.request.user, rating=instance)

    @extend_schema(parameters=[StatisticsQuery], responses=StatisticsSerializer)
    @action(detail=False, methods=["get"], serializer_class=StatisticsSerializer)
    def statistics(self, request):
        """评星统计：某年度（?year=）在授权范围或其中某党组织（?scope=）内各星级的党组织数、两项综述指标，以及升星、降星的党组织。"""
        query = StatisticsQuery(data=request.query_params, context={"request": request})
        query.is_valid(raise_exception=True)
        stats = selectors.statistics(user=request.user, **query.validated_data)
        return Response(StatisticsSerializer(stats).data)


api_route("rating-rubrics", RubricViewSet, basename="ratingrubric")
api_route("rating-campaigns", CampaignViewSet, basename="ratingcampaign")
api_route("rating-assessments", AssessmentViewSet, basename="ratingassessment")
api_route("star-ratings", StarRatingViewSet, basename="starrating")
