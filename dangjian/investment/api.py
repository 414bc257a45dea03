"""The API of 招商引资: teams, people (appointments), events, the project pipeline (its stage
steps, follow-ups and tranches of 到位资金, the warnings) and the yearly targets with their pace.
Every write goes through investment.services; reads through the user's scope."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from dangjian.core.api import ConfigViewSet, ScopedModelSerializer, ScopedViewSet, take_step
from dangjian.core.api_permissions import ActionPermission
from dangjian.core.crypto import mask_phone
from dangjian.core.indicators import FIRST_YEAR, LAST_YEAR, json_value
from dangjian.core.registry import api_route
from dangjian.core.scope import restrict

from . import selectors, services
from .models import (
    AnnualTarget,
    FollowUp,
    FundTranche,
    InvestmentEvent,
    InvestmentPerson,
    InvestmentProject,
    ProjectEvent,
    Stage,
    Team,
)


def _fields(data, names):
    return {name: data[name] for name in names if name in data}


# -- teams ----------------------------------------------------------------------------------------
class InvestmentTeamSerializer(ScopedModelSerializer):
    class Meta:
        model = Team
        fields = ["id", *services.TEAM_FIELDS]
        validators = []  # the name's uniqueness is the model's check, in Chinese


class InvestmentTeamViewSet(ScopedViewSet):
    """招商小分队。"""

    base_queryset = Team.objects.all()
    serializer_class = InvestmentTeamSerializer
    filterset_fields = ["organization"]

    def service_create(self, data):
        return services.team_save(actor=self.request.user, **data)

    def service_update(self, instance, data):
        return services.team_save(actor=self.request.user, instance=instance, **data)

    def service_delete(self, instance):
        services.team_delete(actor=self.request.user, team=instance)


# -- people ---------------------------------------------------------------------------------------
class InvestmentPersonSerializer(ScopedModelSerializer):
    phone = serializers.CharField(write_only=True, required=False, allow_blank=True, label="联系电话")
    phone_masked = serializers.SerializerMethodField(label="联系电话（脱敏）")
    role_label = serializers.CharField(source="get_role_display", read_only=True, label="身份名称")

    class Meta:
        model = InvestmentPerson
        fields = ["id", *services.PERSON_FIELDS, "role_label", "phone_masked", "user"]
        read_only_fields = ["user"]
        validators = []  # one in-post appointment per name and role: the service's check, in Chinese

    def get_phone_masked(self, obj) -> str:
        return mask_phone(obj.phone) if obj.phone else ""


class InvestmentLeaveSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, label="离任日期")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200, label="离任原因")


class InvestmentPersonViewSet(ScopedViewSet):
    """招商人员（招商大使、招商顾问、小分队队长和队员的聘任）。POST /<编号>/leave/ 登记离任。
    筛选：?role=ambassador&team=<编号>。"""

    base_queryset = InvestmentPerson.objects.select_related("team")
    serializer_class = InvestmentPersonSerializer
    filterset_fields = ["role", "team", "organization"]

    def service_create(self, data):
        return services.person_save(actor=self.request.user, **data)

    def service_update(self, instance, data):
        return services.person_save(actor=self.request.user, instance=instance, **data)

    def service_delete(self, instance):
        services.person_delete(actor=self.request.user, person=instance)

    @extend_schema(request=InvestmentLeaveSerializer, responses=InvestmentPersonSerializer)
    @action(
        detail=True,
        methods=["post"],
        serializer_class=InvestmentLeaveSerializer,
        permission_classes=[ActionPermission],
    )
    def leave(self, request, pk=None):
        """离任：自离任日期起不再在任，队员的授权随之截止。"""
        person = self.get_object()
        payload = InvestmentLeaveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        services.person_leave(
            actor=request.user, person=person, on=data.get("on"), reason=data.get("reason", "")
        )
        person.refresh_from_db()
        return Response(InvestmentPersonSerializer(person, context=self.get_serializer_context()).data)


# -- events ---------------------------------------------------------------------------------------
class InvestmentEventSerializer(ScopedModelSerializer):
    form_label = serializers.CharField(source="get_form_display", read_only=True, label="活动形式名称")
    photos = serializers.SerializerMethodField(label="照片或材料")

    class Meta:
        model = InvestmentEvent
        fields = ["id", *services.EVENT_FIELDS, "form_label", "participants", "photos"]
        validators = []  # one event of a name on a day: the service's check, in Chinese

    def get_photos(self, obj) -> list:
        return [
            {
                "id": p.pk,
                "caption": p.caption,
                "url": p.file.url if p.file else "",
                "uploaded_at": p.uploaded_at,
            }
            for p in obj.photos.all()
        ]


class InvestmentEventViewSet(ScopedViewSet):
    """招商活动（招商对接、考察学习、推介会等）：参加人员为活动当日在任的招商人员；照片只读列出。"""

    base_queryset = InvestmentEvent.objects.select_related("team").prefetch_related("participants", "photos")
    serializer_class = InvestmentEventSerializer
    filterset_fields = ["form", "team", "held_on", "city"]

    def service_create(self, data):
        data = dict(data)
        return services.event_save(
            actor=self.request.user, participants=data.pop("participants", None), **data
        )

    def service_update(self, instance, data):
        data = dict(data)
        return services.event_save(
            actor=self.request.user, instance=instance, participants=data.pop("participants", None), **data
        )

    def service_delete(self, instance):
        services.event_delete(actor=self.request.user, event=instance)


# -- projects -------------------------------------------------------------------------------------
class InvestmentTrancheSerializer(serializers.ModelSerializer):
    class Meta:
        model = FundTranche
        fields = ["id", "received_on", "amount", "evidence", "evidence_note"]
        extra_kwargs = {"evidence": {"required": False}}


class InvestmentFollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = ["id", "on", "way", "content", "next_step"]


class InvestmentProjectSerializer(ScopedModelSerializer):
    stage_label = serializers.CharField(source="get_stage_display", read_only=True, label="阶段名称")
    funds_total = serializers.DecimalField(
        max_digits=20, decimal_places=6, read_only=True, label="到位资金合计（万元）"
    )
    next_stage = serializers.SerializerMethodField(label="下一阶段")
    tranches = InvestmentTrancheSerializer(many=True, read_only=True, label="到位资金")
    follow_ups = InvestmentFollowUpSerializer(many=True, read_only=True, label="跟进记录")
    timeline = serializers.SerializerMethodField(label="项目进展")
    possible_duplicates = serializers.SerializerMethodField(label="疑似重复项目")

    class Meta:
        model = InvestmentProject
        fields = [
            "id",
            *services.PROJECT_FIELDS,
            "stage",
            "stage_label",
            "next_stage",
            "negotiating_on",
            "signed_on",
            "signed_amount",
            "started_on",
            "producing_on",
            "terminated_on",
            "termination_reason",
            "last_activity_on",
            "key_project",
            "funds_total",
            "tranches",
            "follow_ups",
            "timeline",
            "possible_duplicates",
        ]
        read_only_fields = [
            "stage",
            "negotiating_on",
            "signed_on",
            "signed_amount",
            "started_on",
            "producing_on",
            "terminated_on",
            "termination_reason",
            "last_activity_on",
            "key_project",
        ]
        validators = []  # the name's uniqueness is the model's check, in Chinese

    def get_next_stage(self, obj) -> str:
        stage = services.next_stage(obj)
        return stage.value if stage else ""

    def get_timeline(self, obj) -> list:
        return [
            {"on": e.on, "kind": e.kind, "label": e.get_kind_display(), "stage": e.stage, "note": e.note}
            for e in ProjectEvent.objects.filter(project=obj).order_by("on", "pk")
        ]

    def get_possible_duplicates(self, obj) -> list:
        request = self.context.get("request")
        found = restrict(getattr(request, "user", None), obj.possible_duplicates.all(), "view")
        return [{"id": p.pk, "name": p.name, "investor": p.investor} for p in found.order_by("pk")]


class InvestmentStageStepSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices, required=False, label="转入阶段")
    on = serializers.DateField(required=False, label="日期")
    signed_amount = serializers.DecimalField(
        max_digits=20, decimal_places=6, required=False, allow_null=True, label="签约金额（万元）"
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300, label="终止原因")
    note = serializers.CharField(required=False, allow_blank=True, label="说明")


class InvestmentWarningQuery(serializers.Serializer):
    today = serializers.DateField(required=False, label="截至日期", help_text="不填为今天")


class InvestmentWarningSerializer(serializers.Serializer):
    project = serializers.IntegerField(label="项目编号")
    name = serializers.CharField(label="项目名称")
    stage = serializers.CharField(label="阶段")
    code = serializers.CharField(label="预警类别", help_text="stale_lead：未跟进；not_started：签约未开工")
    message = serializers.CharField(label="预警内容")
    since = serializers.DateField(label="起算日期")


class InvestmentPaceQuery(serializers.Serializer):
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False, label="年度")
    today = serializers.DateField(required=False, label="截至日期", help_text="不填为今天")


def _query(serializer_class, request):
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


class InvestmentProjectViewSet(ScopedViewSet):
    """招商项目：线索 → 洽谈 → 签约 → 开工 → 投产，或终止。经 /steps/<advance|terminate|resume|carry>/ 变更阶段
    （advance 须填写 stage 与 on，签约须填写 signed_amount；terminate 须填写 on 与 reason），
    /follow-ups/ 登记跟进，/tranches/ 登记到位资金；/warnings/ 列出未跟进的线索与签约未开工的项目。"""

    base_queryset = InvestmentProject.objects.select_related("cluster", "team", "follower").prefetch_related(
        "tranches", "follow_ups"
    )
    serializer_class = InvestmentProjectSerializer
    filterset_fields = ["stage", "team", "cluster", "follower"]

    def service_create(self, data):
        return services.project_save(actor=self.request.user, **data)

    def service_update(self, instance, data):
        return services.project_save(actor=self.request.user, instance=instance, **data)

    def service_delete(self, instance):
        services.project_delete(actor=self.request.user, project=instance)

    def _answer(self, pk, code=status.HTTP_200_OK):
        project = self.base_queryset.get(pk=pk)  # as the step left it
        return Response(
            InvestmentProjectSerializer(project, context=self.get_serializer_context()).data, code
        )

    @extend_schema(request=InvestmentStageStepSerializer, responses=InvestmentProjectSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path=r"steps/(?P<step>[a-z_]+)",
        serializer_class=InvestmentStageStepSerializer,
        permission_classes=[ActionPermission],
    )
    def step(self, request, pk=None, step=None):
        """变更阶段：advance（转入下一阶段）、terminate（终止）、resume（恢复跟进）、carry（转入重点项目）。"""
        if step == "carry" and not request.user.has_perm("investment.carry_investmentproject"):
            raise PermissionDenied("您没有将签约项目转入重点项目的权限")
        project = self.get_object()
        return take_step(
            self,
            request,
            steps=services.STAGE_STEPS,
            step=step,
            payload=InvestmentStageStepSerializer,
            record="project",
            out=lambda _done, context: InvestmentProjectSerializer(
                self.base_queryset.get(pk=project.pk), context=context
            ),
        )

    @extend_schema(request=InvestmentFollowUpSerializer, responses={201: InvestmentProjectSerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path="follow-ups",
        serializer_class=InvestmentFollowUpSerializer,
        permission_classes=[ActionPermission],
    )
    def follow_ups(self, request, pk=None):
        """登记跟进记录（日期、方式、情况、下一步）。"""
        project = self.get_object()
        payload = InvestmentFollowUpSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        services.follow_up_add(
            actor=request.user,
            project=project,
            on=data["on"],
            content=data["content"],
            **_fields(data, ("way", "next_step")),
        )
        return self._answer(project.pk, status.HTTP_201_CREATED)

    @extend_schema(request=InvestmentTrancheSerializer, responses={201: InvestmentProjectSerializer})
    @action(
        detail=True,
        methods=["post"],
        serializer_class=InvestmentTrancheSerializer,
        parser_classes=[JSONParser, MultiPartParser, FormParser],
        permission_classes=[ActionPermission],
    )
    def tranches(self, request, pk=None):
        """登记一笔到位资金（到位日期、金额万元、佐证材料）；签约后才能登记。"""
        project = self.get_object()
        payload = InvestmentTrancheSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        services.tranche_add(
            actor=request.user,
            project=project,
            received_on=data["received_on"],
            amount=data["amount"],
            **_fields(data, ("evidence", "evidence_note")),
        )
        return self._answer(project.pk, status.HTTP_201_CREATED)

    @extend_schema(parameters=[InvestmentWarningQuery], responses=InvestmentWarningSerializer(many=True))
    @action(detail=False, methods=["get"])
    def warnings(self, request):
        """预警：线索、洽谈阶段超过期限未跟进的项目，签约后超过期限仍未开工的项目（授权范围内）。"""
        today = _query(InvestmentWarningQuery, request).get("today") or timezone.localdate()
        found = selectors.project_warnings(user=request.user, today=today)
        return Response(
            [
                {
                    "project": w.project.pk,
                    "name": w.project.name,
                    "stage": w.project.stage,
                    "code": w.code,
                    "message": w.message,
                    "since": w.since,
                }
                for w in found
            ]
        )


# -- targets --------------------------------------------------------------------------------------
class InvestmentTargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = AnnualTarget
        fields = ["id", "year", "events", "signings", "funds", "note"]
        validators = []  # one target per year: the model's check, in Chinese


class InvestmentTargetViewSet(ConfigViewSet):
    """年度招商目标（招商对接场次、签约项目数、到位资金）；/pace/?year= 对照目标、完成数与全年时间进度。"""

    queryset = AnnualTarget.objects.all()
    serializer_class = InvestmentTargetSerializer
    filterset_fields = ["year"]

    @extend_schema(parameters=[InvestmentPaceQuery], responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["get"])
    def pace(self, request):
        """目标进度：各项目标、完成数（授权范围内）、完成比例与全年时间进度，落后于时间进度的标明。"""
        query = _query(InvestmentPaceQuery, request)
        today = query.get("today") or timezone.localdate()
        year = query.get("year") or today.year
        rows = selectors.target_pace(user=request.user, year=year, today=today)
        return Response(
            {
                "year": year,
                "today": today,
                "year_share": json_value(selectors.year_share(year, today)),
                "rows": [
                    {
                        "label": r.label,
                        "unit": r.unit,
                        "target": json_value(r.target),
                        "done": json_value(r.done),
                        "done_share": json_value(r.done_share),
                        "year_share": json_value(r.year_share),
                        "behind": r.behind,
                    }
                    for r in rows
                ],
            }
        )


api_route("investment-teams", InvestmentTeamViewSet, basename="investmentteam")
api_route("investment-people", InvestmentPersonViewSet, basename="investmentperson")
api_route("investment-events", InvestmentEventViewSet, basename="investmentevent")
api_route("investment-projects", InvestmentProjectViewSet, basename="investmentproject")
api_route("investment-targets", InvestmentTargetViewSet, basename="investmenttarget")
