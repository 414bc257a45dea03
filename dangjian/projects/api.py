import datetime

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from dangjian.cadres.models import Cadre
from dangjian.cadres.services import assignment_set
from dangjian.core.api import ScopedModelSerializer, ScopedSerializerMixin, ScopedViewSet
from dangjian.core.api_permissions import ActionPermission
from dangjian.core.registry import api_route
from dangjian.core.scope import restrict
from dangjian.enterprises.models import Enterprise

from . import services
from .models import AssessmentRun, DailyRecord, DispatchMeeting, FollowUp, Milestone, Problem, Project
from .selectors import approvals_span, dispatch_board, monthly_summary


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "name", "planned_on", "actual_on", "note"]


class ProjectSerializer(ScopedModelSerializer):
    milestones = MilestoneSerializer(many=True, read_only=True)
    cadres = serializers.SerializerMethodField(label="包抓干部（首位牵头）")
    approvals = serializers.SerializerMethodField(label="审批手续")

    class Meta:
        model = Project
        fields = ["id", *services.PROJECT_FORM_FIELDS, "org_path", "milestones", "cadres", "approvals"]
        read_only_fields = ["org_path"]

    def get_cadres(self, obj) -> list:
        return [
            {"cadre": a.cadre_id, "name": a.cadre.name, "is_lead": a.is_lead}
            for a in obj.assignments.filter(end_on__isnull=True).select_related("cadre").order_by("-is_lead")
        ]

    def get_approvals(self, obj) -> dict:
        return {
            "items": [
                {"item": a.item, "submitted_on": a.submitted_on, "approved_on": a.approved_on, "days": a.days}
                for a in obj.approvals.all()
            ],
            **approvals_span(obj),
        }


class CadresSerializer(ScopedSerializerMixin, serializers.Serializer):
    cadres = serializers.PrimaryKeyRelatedField(
        queryset=Cadre.objects.all(), many=True, label="包抓干部（首位牵头）"
    )


class MilestoneWriteSerializer(serializers.Serializer):
    name = serializers.CharField(label="节点")
    planned_on = serializers.DateField(label="计划日期")
    actual_on = serializers.DateField(required=False, allow_null=True, label="实际完成日期")
    note = serializers.CharField(required=False, allow_blank=True, default="", label="备注")


class ProjectViewSet(ScopedViewSet):
    """重点项目：节点、审批手续、包抓干部。"""

    base_queryset = Project.objects.prefetch_related("milestones", "approvals")
    serializer_class = ProjectSerializer
    filterset_fields = ["category", "status", "owner_enterprise"]

    def service_create(self, data):
        return services.project_save(actor=self.request.user, **data)

    def service_update(self, instance, data):
        return services.project_save(actor=self.request.user, instance=instance, **data)

    def service_delete(self, instance):
        services.project_delete(actor=self.request.user, project=instance)

    @action(
        detail=True,
        methods=["post"],
        serializer_class=CadresSerializer,
        permission_classes=[ActionPermission],
    )
    def cadres(self, request, pk=None):
        """设置包抓干部（首位为牵头干部），不再列出的干部自今日起结束包抓。"""
        project = self.get_object()
        payload = CadresSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        assignment_set(
            actor=request.user,
            project=project,
            cadres=payload.validated_data["cadres"],
            on=datetime.date.today(),
        )
        return Response(ProjectSerializer(project, context=self.get_serializer_context()).data)

    @action(
        detail=True,
        methods=["post"],
        serializer_class=MilestoneWriteSerializer,
        permission_classes=[ActionPermission],
    )
    def milestones(self, request, pk=None):
        """新增项目节点。"""
        project = self.get_object()
        payload = MilestoneWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        milestone = services.milestone_save(actor=request.user, project=project, **payload.validated_data)
        return Response(MilestoneSerializer(milestone).data, status=201)


class ProblemSerializer(ScopedModelSerializer):
    class Meta:
        model = Problem
        fields = [
            "id",
            *services.PROBLEM_FORM_FIELDS,
            "status",
            "closed_on",
            "result",
            "unsolvable_reason",
            "escalated_on",
            "org_path",
        ]
        read_only_fields = ["status", "closed_on", "result", "unsolvable_reason", "escalated_on", "org_path"]


class ProblemStepSerializer(ScopedSerializerMixin, serializers.Serializer):
    on = serializers.DateField(required=False, label="日期")
    text = serializers.CharField(required=False, allow_blank=True, default="", label="办理结果或原因")
    owner = serializers.PrimaryKeyRelatedField(
        queryset=Cadre.objects.all(), required=False, label="新的责任人"
    )
    deadline = serializers.DateField(required=False, allow_null=True, label="新的办理时限")


class ProblemViewSet(ScopedViewSet):
    """堵点难点问题：提出后经 /steps/<accept|solve|unsolvable|reopen|reassign>/ 办理。"""

    base_queryset = Problem.objects.select_related("project", "enterprise", "owner")
    serializer_class = ProblemSerializer
    filterset_fields = ["status", "source", "category", "project", "enterprise", "owner"]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def service_create(self, data):
        return services.problem_raise(actor=self.request.user, **data)

    def service_delete(self, instance):
        services.problem_delete(actor=self.request.user, problem=instance)

    @action(
        detail=True,
        methods=["post"],
        url_path=r"steps/(?P<step>[a-z]+)",
        serializer_class=ProblemStepSerializer,
        permission_classes=[ActionPermission],
    )
    def step(self, request, pk=None, step=None):
        if step not in services.PROBLEM_STEPS:
            raise NotFound("没有这个办理环节")
        problem = self.get_object()
        payload = ProblemStepSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        problem = services.PROBLEM_STEPS[step].run(
            actor=request.user, problem=problem, data=payload.validated_data
        )
        return Response(ProblemSerializer(problem, context=self.get_serializer_context()).data)


class DailyRecordSerializer(ScopedModelSerializer):
    projects = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all(), many=True, required=False)
    enterprises = serializers.PrimaryKeyRelatedField(
        queryset=Enterprise.objects.all(), many=True, required=False
    )

    class Meta:
        model = DailyRecord
        fields = ["id", "cadre", "day", "content", "projects", "enterprises", "is_visit"]
        read_only_fields = ["cadre"]


class DailyRecordViewSet(ScopedViewSet):
    """日纪实：干部本人记录（同一天再次提交即更新）；领导可查看所分管干部的记录。"""

    base_queryset = DailyRecord.objects.select_related("cadre").prefetch_related("projects", "enterprises")
    serializer_class = DailyRecordSerializer
    filterset_fields = ["cadre", "day", "is_visit"]
    http_method_names = ["get", "post", "head", "options"]

    def service_create(self, data):
        cadre = Cadre.objects.filter(user=self.request.user).first()
        if cadre is None:
            raise ApiValidationError({"cadre": ["只有包抓干部可以记录日纪实"]})
        return services.daily_record_save(actor=self.request.user, cadre=cadre, **data)


class FollowUpSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    category = serializers.CharField(required=False, allow_blank=True, write_only=True, label="问题类别")

    class Meta:
        model = FollowUp
        fields = ["id", "text", "kind", "owner", "deadline", "problem", "done_on", "category"]
        read_only_fields = ["problem", "done_on"]


class DispatchMeetingSerializer(serializers.ModelSerializer):
    follow_ups = FollowUpSerializer(many=True, read_only=True)

    class Meta:
        model = DispatchMeeting
        fields = ["id", "week_start", "held_on", "host", "attendees", "minutes", "follow_ups"]


class DispatchMeetingViewSet(viewsets.ModelViewSet):
    """周调度会：看板（board）、会议记录、议定事项（follow-ups）。"""

    queryset = DispatchMeeting.objects.prefetch_related("follow_ups")
    serializer_class = DispatchMeetingSerializer
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = services.dispatch_meeting_save(
            actor=self.request.user, **serializer.validated_data
        )

    @action(detail=False, methods=["get"])
    def board(self, request):
        """某周看板：?week=2026-11-23。"""
        try:
            week = (
                datetime.date.fromisoformat(request.query_params.get("week", ""))
                if request.query_params.get("week")
                else datetime.date.today()
            )
        except ValueError:
            raise ApiValidationError({"week": ["日期格式应为 2026-11-23"]}) from None
        board = dispatch_board(user=request.user, week_start=week)
        return Response(
            {
                "week_start": board.week_start,
                "week_end": board.week_end,
                "new_problems": [{"id": p.pk, "text": str(p)} for p in board.new_problems],
                "overdue_problems": [
                    {"id": p.pk, "text": str(p), "deadline": p.deadline, "escalated_on": p.escalated_on}
                    for p in board.overdue_problems
                ],
                "behind_milestones": [
                    {"id": m.pk, "project": m.project.name, "name": m.name, "planned_on": m.planned_on}
                    for m in board.behind_milestones
                ],
                "missing_records": [
                    {"cadre": c.pk, "name": c.name, "days": days} for c, days in board.missing_records
                ],
            }
        )

    @action(detail=True, methods=["post"], url_path="follow-ups", serializer_class=FollowUpSerializer)
    def follow_ups(self, request, pk=None):
        """添加议定事项（kind=problem 时形成问题，须给出 category）。"""
        meeting = self.get_object()
        payload = FollowUpSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        follow_up = services.follow_up_add(
            actor=request.user,
            meeting=meeting,
            text=data["text"],
            kind=data.get("kind", FollowUp.Kind.TASK),
            owner=data["owner"],
            deadline=data["deadline"],
            category=data.get("category") or None,
        )
        return Response(FollowUpSerializer(follow_up).data, status=201)


class MonthlySummaryViewSet(viewsets.ViewSet):
    """月总结：?month=2026-10。"""

    @extend_schema(
        parameters=[OpenApiParameter("month", str, description="月份，如 2026-10")],
        responses=OpenApiTypes.OBJECT,
    )
    def list(self, request):
        if not request.user.has_perm("projects.view_dailyrecord"):
            from rest_framework.exceptions import PermissionDenied

            raise PermissionDenied
        try:
            month = datetime.datetime.strptime(request.query_params.get("month", ""), "%Y-%m").date()
        except ValueError:
            raise ApiValidationError({"month": ["月份格式应为 2026-10"]}) from None
        summary = monthly_summary(user=request.user, month=month)
        return Response(
            {
                "month": f"{month:%Y-%m}",
                "rows": [
                    {
                        "cadre": r.cadre.pk,
                        "name": r.cadre.name,
                        "workdays": r.workdays,
                        "records": r.records,
                        "completeness": r.completeness,
                        "visits": r.visits,
                        "problems_raised": r.problems_raised,
                        "problems_solved": r.problems_solved,
                        "milestones_met": r.milestones_met,
                        "note": r.note,
                    }
                    for r in summary.rows
                ],
            }
        )


class AssessmentRunSerializer(serializers.ModelSerializer):
    scores = serializers.SerializerMethodField()

    class Meta:
        model = AssessmentRun
        fields = ["id", "year", "rule", "weights", "created_at", "scores"]

    def get_scores(self, obj) -> list:
        user = self.context["request"].user
        scores = restrict(user, obj.scores.select_related("cadre"), "view")
        return [
            {
                "rank": s.rank,
                "cadre": s.cadre_id,
                "name": s.cadre.name,
                "score": s.score,
                "components": s.components,
            }
            for s in scores
        ]


class YearSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, label="年度")


class AssessmentRunViewSet(viewsets.ReadOnlyModelViewSet):
    """年度考核：按当年有效的权重计算得分与名次（POST compute，year=2025）。"""

    queryset = AssessmentRun.objects.all()
    serializer_class = AssessmentRunSerializer

    @action(detail=False, methods=["post"], serializer_class=YearSerializer)
    def compute(self, request):
        payload = YearSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        run = services.assessment_run(actor=request.user, year=payload.validated_data["year"])
        return Response(AssessmentRunSerializer(run, context=self.get_serializer_context()).data, status=201)


api_route("projects", ProjectViewSet, basename="project")
api_route("problems", ProblemViewSet, basename="problem")
api_route("daily-records", DailyRecordViewSet, basename="dailyrecord")
api_route("dispatch-meetings", DispatchMeetingViewSet, basename="dispatchmeeting")
api_route("monthly-summary", MonthlySummaryViewSet, basename="monthlysummary")
api_route("assessments", AssessmentRunViewSet, basename="assessmentrun")
