"""API of the weekly dispatch: the board, meetings and follow-ups."""

import datetime

from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from dangjian.core.api import ScopedSerializerMixin

from .. import services
from ..models import DispatchMeeting, FollowUp
from ..selectors import dispatch_board


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
