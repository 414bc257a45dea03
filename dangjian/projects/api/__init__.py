"""API of 项目包抓, one module per subdomain."""

from dangjian.core.registry import api_route

from .assessment import AssessmentRunSerializer, AssessmentRunViewSet, YearSerializer
from .daily import DailyRecordSerializer, DailyRecordViewSet, MonthlySummaryViewSet
from .dispatch import DispatchMeetingSerializer, DispatchMeetingViewSet, FollowUpSerializer
from .problems import ProblemSerializer, ProblemStepSerializer, ProblemViewSet
from .projects import (
    CadresSerializer,
    MilestoneSerializer,
    MilestoneWriteSerializer,
    ProjectSerializer,
    ProjectViewSet,
)

__all__ = [
    "AssessmentRunSerializer",
    "AssessmentRunViewSet",
    "CadresSerializer",
    "DailyRecordSerializer",
    "DailyRecordViewSet",
    "DispatchMeetingSerializer",
    "DispatchMeetingViewSet",
    "FollowUpSerializer",
    "MilestoneSerializer",
    "MilestoneWriteSerializer",
    "MonthlySummaryViewSet",
    "ProblemSerializer",
    "ProblemStepSerializer",
    "ProblemViewSet",
    "ProjectSerializer",
    "ProjectViewSet",
    "YearSerializer",
]

api_route("projects", ProjectViewSet, basename="project")
api_route("problems", ProblemViewSet, basename="problem")
api_route("daily-records", DailyRecordViewSet, basename="dailyrecord")
api_route("dispatch-meetings", DispatchMeetingViewSet, basename="dispatchmeeting")
api_route("monthly-summary", MonthlySummaryViewSet, basename="monthlysummary")
api_route("assessments", AssessmentRunViewSet, basename="assessmentrun")
