"""The reports through the API: the statistics tables, the cockpit's figures, and the yearly summary
(started as a background job; its state and, when done, its document at the job's addresses)."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from dangjian.core.indicators import FIRST_YEAR, LAST_YEAR
from dangjian.core.scope import restrict
from dangjian.organizations.models import PartyOrganization

from . import cockpit, tables
from .services import COCKPIT, summary_start


def _year(request, data=None):
    raw = (request.query_params if data is None else data).get("year", timezone.localdate().year)
    try:
        year = int(raw)
    except (TypeError, ValueError):
        raise serializers.ValidationError({"year": "年度应为四位数字"}) from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise serializers.ValidationError({"year": f"年度应在 {FIRST_YEAR} 至 {LAST_YEAR} 之间"})
    return year


def _scope(request, data=None):
    wanted = (request.query_params if data is None else data).get("scope")
    if not wanted:
        return None
    if not str(wanted).isdigit():
        raise serializers.ValidationError({"scope": "范围应为党组织的编号"})
    organization = get_object_or_404(restrict(request.user, PartyOrganization.objects.all()), pk=wanted)
    return organization if organization.depth > 1 else None


def _may_read(request):
    if not request.user.has_perm(COCKPIT):
        raise PermissionDenied("您没有查看报表的权限")


PARAMS = [
    OpenApiParameter("year", int, description="年度"),
    OpenApiParameter("scope", int, description="党组织 id（默认为我的全部范围）"),
]


class StatisticsListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="统计报表的种类", responses=OpenApiTypes.OBJECT, operation_id="reports_statistics_list"
    )
    def get(self, request):
        _may_read(request)
        return Response(
            {
                "tables": [{"key": kind.key, "title": kind.title} for kind in tables.TABLES],
                "periods": [{"key": key, "label": label} for key, label in tables.PERIODS],
            }
        )


class StatisticsTableView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="一张统计报表：各下级党组织及合计的指标，每格带构成记录的地址",
        parameters=[*PARAMS, OpenApiParameter("period", str, description="year、q1—q4 或 m1—m12")],
        responses=OpenApiTypes.OBJECT,
        operation_id="reports_statistics_table",
    )
    def get(self, request, key):
        _may_read(request)
        try:
            table = tables.statistics_table(
                key,
                user=request.user,
                year=_year(request),
                part=request.query_params.get("period", "year"),
                scope=_scope(request),
            )
        except ValidationError as exc:
            raise serializers.ValidationError({"non_field_errors": exc.messages}) from None
        return Response(table)


class CockpitView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="驾驶舱的指标和图表数据",
        parameters=PARAMS,
        responses=OpenApiTypes.OBJECT,
        operation_id="reports_cockpit",
    )
    def get(self, request):
        _may_read(request)
        return Response(cockpit.cockpit(user=request.user, year=_year(request), scope=_scope(request)))


class SummaryView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="生成年度综述（后台任务；完成后从任务地址下载 Word 文档）",
        request=OpenApiTypes.OBJECT,
        responses={202: OpenApiTypes.OBJECT},
        operation_id="reports_summary",
    )
    def post(self, request):
        if not isinstance(request.data, Mapping):
            raise serializers.ValidationError({"non_field_errors": ['请求体应为对象，如 {"year": 2025}']})
        data = request.data or {"year": timezone.localdate().year}
        job = summary_start(user=request.user, year=_year(request, data), scope=_scope(request, data))
        return Response(
            {
                "job": job.pk,
                "title": job.title,
                "status": job.status,
                "status_url": request.build_absolute_uri(f"/api/v1/jobs/{job.pk}/"),
            },
            status=status.HTTP_202_ACCEPTED,
        )
