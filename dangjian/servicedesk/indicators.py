"""Figures of the service desk (INDICATORS.md), plus on-time rates of acceptance and closing."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, BooleanField, Count, ExpressionWrapper

from dangjian.core.indicators import Part, Result, rate, register

from .models import RequestKind, ServiceRequest
from .selectors import acceptance_counted, closing_counted


def _closed(ctx, kind):
    records = ctx.records(
        ServiceRequest.objects.filter(kind=kind).filter(ctx.in_period("closed_on")), "org_path"
    )
    return Result(records.count(), records)


@register("requests.approvals_done", "办理审批事项数", "项")
def approvals_done(ctx):
    return _closed(ctx, RequestKind.APPROVAL)


@register("requests.services_done", "办理服务事项数", "项")
def services_done(ctx):
    return _closed(ctx, RequestKind.SERVICE)


@register("requests.satisfaction", "企业满意度", "分", description="期内办结且已评价事项的满意度平均值")
def satisfaction(ctx):
    records = ctx.records(
        ServiceRequest.objects.filter(ctx.in_period("closed_on"), rating__isnull=False), "org_path"
    )
    mean = records.aggregate(m=Avg("rating"))["m"]
    value = Decimal(str(mean)).quantize(Decimal("0.01"), ROUND_HALF_UP) if mean is not None else None
    return Result(value, records, parts=(Part("满意度（分）", lambda r: r.rating),))


def _filtered(ctx, queryset):
    category = ctx.filters.get("category") or ctx.filters.get("类别")
    cadre = ctx.filters.get("cadre") or ctx.filters.get("承办人")
    if category:
        queryset = (
            queryset.filter(category__name=category)
            if not str(category).isdigit()
            else queryset.filter(category_id=category)
        )
    if cadre:
        queryset = (
            queryset.filter(handler__name=cadre)
            if not str(cadre).isdigit()
            else queryset.filter(handler_id=cadre)
        )
    return queryset


def _on_time(ctx, counted):
    records, on_time = counted(ServiceRequest.objects.all(), ctx.period.start, ctx.period.end, ctx.as_of)
    records = _filtered(ctx, ctx.records(records, "org_path"))
    shown = records.annotate(in_time=ExpressionWrapper(on_time, output_field=BooleanField())).select_related(
        "enterprise", "handler"
    )
    counted = records.aggregate(total=Count("pk"), on_time=Count("pk", filter=on_time))
    return Result(
        rate(counted["on_time"], counted["total"]),
        shown,
        parts=(
            Part("承办人", lambda r: r.handler.name if r.handler else "—"),
            Part("按时", lambda r: "是" if r.in_time else "否"),
        ),
    )


@register(
    "requests.on_time_acceptance",
    "按时受理率",
    "%",
    description="期内受理（有受理期限）及受理期限在期内已过仍未受理的事项中，按时受理的比例",
    filters=("类别", "承办人"),
)
def on_time_acceptance(ctx):
    return _on_time(ctx, acceptance_counted)


@register(
    "requests.on_time_closing",
    "按时办结率",
    "%",
    description="期内办结（有办结期限）及办结期限在期内已过仍未办结（挂起、退回除外）的事项中，按时办结的比例",
    filters=("类别", "承办人"),
)
def on_time_closing(ctx):
    return _on_time(ctx, closing_counted)
