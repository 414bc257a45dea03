"""API for ledgers (import with dry run, export) and indicators (value and records)."""

import datetime

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from dangjian.core import indicators as registry
from dangjian.core.files import file_response
from dangjian.core.jobs import progress_of
from dangjian.core.ledgers import (
    RevealNotConfirmed,
    blank_template,
    export_ledger,
    get_ledger,
    import_ledger,
    ledgers,
)
from dangjian.core.models import Job
from dangjian.core.scope import restrict
from dangjian.organizations.models import PartyOrganization

from .job_views import _job_for, job_download


def _ledger(name):
    try:
        return get_ledger(name)
    except KeyError:
        raise NotFound("没有这个台账") from None


class LedgerListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="台账列表（按导入顺序）", responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(
            [
                {
                    "name": lg.name,
                    "title": lg.title,
                    "may_import": lg.may(request.user),
                    "may_export": lg.may(request.user, export=True),
                    # personal data the export writes in full: exporting needs confirm_reveal=1
                    "reveals": list(lg.reveals),
                    "columns": [
                        {
                            "header": c.header,
                            "synonyms": list(c.synonyms),
                            "required": c.required,
                            "accepts": lg.describe_column(c),
                        }
                        for c in lg.columns
                    ],
                }
                for lg in ledgers()
            ]
        )


class LedgerImportSerializer(serializers.Serializer):
    file = serializers.FileField(label="台账文件")
    dry_run = serializers.BooleanField(default=True, label="试导入")


class LedgerImportView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="导入台账（全部成功才写入）", request=LedgerImportSerializer, responses=OpenApiTypes.OBJECT
    )
    def post(self, request, name):
        ledger = _ledger(name)
        if not ledger.may(request.user):
            raise PermissionDenied(f"您没有导入{ledger.title}的权限")
        payload = LedgerImportSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        upload = payload.validated_data["file"]
        report = import_ledger(
            name,
            upload.read(),
            upload.name,
            actor=request.user,
            dry_run=payload.validated_data["dry_run"],
            source="api",
        )
        return Response(
            report.as_dict(), status=status.HTTP_200_OK if report.ok else status.HTTP_400_BAD_REQUEST
        )


class FileFormatNegotiation(DefaultContentNegotiation):
    """`?format=` chooses the file (xlsx or csv), not a DRF renderer (whose format override would
    answer 404 for both)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class LedgerExportView(APIView):
    permission_classes = [IsAuthenticated]
    content_negotiation_class = FileFormatNegotiation

    @extend_schema(
        summary="导出台账",
        parameters=[
            OpenApiParameter("format", str, enum=["xlsx", "csv"]),
            OpenApiParameter(
                "confirm_reveal",
                bool,
                description="确认导出完整身份证号：台账含完整公民身份号码时必须为 1，导出记入审计日志",
            ),
        ],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    def get(self, request, name):
        ledger = _ledger(name)
        if not ledger.may(request.user, export=True):
            raise PermissionDenied(f"您没有导出{ledger.title}的权限")
        fmt = "csv" if request.query_params.get("format") == "csv" else "xlsx"
        confirmed = request.query_params.get("confirm_reveal", "").lower() in ("1", "true", "yes")
        try:
            data = export_ledger(name, user=request.user, fmt=fmt, source="api", reveal_confirmed=confirmed)
        except RevealNotConfirmed as exc:
            raise serializers.ValidationError(
                {"confirm_reveal": [f"{exc}（请求时加 confirm_reveal=1）"]}
            ) from None
        return file_response(data, f"{ledger.name}.{fmt}")


class LedgerTemplateView(APIView):
    permission_classes = [IsAuthenticated]
    content_negotiation_class = FileFormatNegotiation

    @extend_schema(
        summary="下载台账的空白模板（.xlsx，含填写说明）",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    def get(self, request, name):
        ledger = _ledger(name)
        if not ledger.may(request.user):
            raise PermissionDenied(f"您没有导入{ledger.title}的权限")
        return file_response(blank_template(name), f"{ledger.name}-template.xlsx")


def _context(request):
    if not request.user.has_perm("indicators.view_indicators"):
        raise PermissionDenied("您没有查看指标的权限")
    try:
        year = int(request.query_params.get("year", datetime.date.today().year))
    except ValueError:
        raise serializers.ValidationError({"year": "年度应为四位数字"}) from None
    if not registry.FIRST_YEAR <= year <= registry.LAST_YEAR:
        raise serializers.ValidationError(
            {"year": f"年度应在 {registry.FIRST_YEAR} 至 {registry.LAST_YEAR} 之间"}
        )
    scope = None
    wanted = request.query_params.get("scope")
    if wanted:
        if not wanted.isdigit():
            raise serializers.ValidationError({"scope": "范围应为党组织的编号"})
        scope = get_object_or_404(restrict(request.user, PartyOrganization.objects.all()), pk=wanted)
    filters = {k: v for k, v in request.query_params.items() if k not in ("year", "scope", "page")}
    return registry.Context(
        period=registry.Period.year(year), scope=scope, user=request.user, filters=filters
    )


PARAMS = [
    OpenApiParameter("year", int, description="年度"),
    OpenApiParameter("scope", int, description="党组织 id（默认为我的全部范围）"),
]


class IndicatorListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="全部指标的数值",
        parameters=PARAMS,
        responses=OpenApiTypes.OBJECT,
        operation_id="indicators_list",
    )
    def get(self, request):
        ctx = _context(request)
        return Response(
            {
                "year": ctx.period.start.year,
                "scope": ctx.scope.name if ctx.scope else None,
                "indicators": {
                    ind.code: {
                        "name": ind.name,
                        "unit": ind.unit,
                        "value": registry.json_value(ind(ctx).value),
                    }
                    for ind in registry.all_indicators()
                },
            }
        )


class IndicatorDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="一个指标的数值和构成它的记录",
        parameters=PARAMS,
        responses=OpenApiTypes.OBJECT,
        operation_id="indicators_detail",
    )
    def get(self, request, code):
        try:
            indicator = registry.get(code)
        except KeyError:
            raise NotFound("没有这个指标") from None
        ctx = _context(request)
        result = indicator(ctx)
        records = result.records if result.records is not None else []
        try:
            page = max(int(request.query_params.get("page", 1)), 1)
        except ValueError:
            page = 1
        size = 100
        chunk = list(records[(page - 1) * size : page * size])
        return Response(
            {
                "code": indicator.code,
                "name": indicator.name,
                "unit": indicator.unit,
                "value": registry.json_value(result.value),
                "count": records.count() if hasattr(records, "count") else 0,
                "page": page,
                "records": [{"id": r.pk, "model": r._meta.label_lower, "text": str(r)} for r in chunk],
            }
        )


class JobView(APIView):
    """A background job of the user's (an import, an export, a summary): its state and progress,
    its result, and where to download its file once it is done."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="后台任务的状态、进度和结果", responses=OpenApiTypes.OBJECT, operation_id="jobs_detail"
    )
    def get(self, request, pk):
        job = _job_for(request, pk)
        answer = {
            "id": job.pk,
            "kind": job.kind,
            "title": job.title,
            **progress_of(job).as_dict(),
            "summary": job.summary,
            "error": job.error,
            "created_at": job.created_at,
            "finished_at": job.finished_at,
            "download_url": None,
        }
        if job.status == Job.Status.DONE and job.output_file:
            answer["download_url"] = request.build_absolute_uri(f"/api/v1/jobs/{job.pk}/download/")
        return Response(answer)


class JobDownloadView(APIView):
    permission_classes = [IsAuthenticated]
    content_negotiation_class = FileFormatNegotiation

    @extend_schema(
        summary="下载后台任务生成的文件",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        operation_id="jobs_download",
    )
    def get(self, request, pk):
        _job_for(request, pk)
        return job_download(request._request, pk)
