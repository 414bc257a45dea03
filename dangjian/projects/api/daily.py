"""API of daily records and the monthly summary."""

import datetime

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from dangjian.cadres.models import Cadre
from dangjian.core.api import ScopedModelSerializer, ScopedViewSet
from dangjian.enterprises.models import Enterprise

from .. import services
from ..models import DailyRecord, Project
from ..selectors import monthly_summary


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
