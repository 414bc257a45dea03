"""Figures about enterprises (INDICATORS.md)."""

from decimal import Decimal

from django.db.models import Q, Sum

from dangjian.core.indicators import Result, register, round_half_up

from .models import Enterprise, EnterpriseYear


def _flagged(ctx, flag):
    end = ctx.period.end
    settled = Q(settled_on__isnull=True) | Q(settled_on__lte=end)
    records = ctx.records(Enterprise.objects.filter(**{flag: True}).filter(settled), "org_path")
    return Result(records.count(), records)


@register("enterprises.high_tech", "高新技术企业数", "家", dashboard=100)
def high_tech(ctx):
    return _flagged(ctx, "is_high_tech")


@register("enterprises.tech_smes", "科技型中小企业数", "家")
def tech_smes(ctx):
    return _flagged(ctx, "is_tech_sme")


@register("enterprises.incubated", "孵化企业数", "家")
def incubated(ctx):
    return _flagged(ctx, "is_incubated")


@register(
    "enterprises.revenue_growth",
    "营业收入同比增长",
    "%",
    description="本年与上年都有营业收入的企业：(本年合计 − 上年合计) / 上年合计",
)
def revenue_growth(ctx):
    value, this_year, last_year, enterprise_ids = year_on_year(ctx, "revenue")
    records = Enterprise.objects.filter(pk__in=enterprise_ids)
    if value is None:
        return Result(None, records)
    return Result(value, records, detail={"this_year": this_year, "last_year": last_year})


def year_on_year(ctx, field: str):
    """Growth of a figure of 企业年度数据 (营业收入, 利税, 新增就业) over the enterprises in scope that
    have it for both the period's year and the year before: (growth % to one decimal or None,
    this year's sum, last year's sum, the enterprises' ids as a subquery)."""
    year = ctx.period.end.year
    rows = ctx.records(EnterpriseYear.objects.filter(**{f"{field}__isnull": False}), "enterprise__org_path")
    both = rows.filter(
        year=year, enterprise__years__year=year - 1, **{f"enterprise__years__{field}__isnull": False}
    )
    enterprise_ids = both.values("enterprise_id")
    this_year = rows.filter(year=year, enterprise_id__in=enterprise_ids).aggregate(s=Sum(field))["s"]
    last_year = rows.filter(year=year - 1, enterprise_id__in=enterprise_ids).aggregate(s=Sum(field))["s"]
    if not last_year:
        return None, this_year, last_year, enterprise_ids
    value = round_half_up((Decimal(this_year) - Decimal(last_year)) * 100 / Decimal(last_year), 1)
    return value, this_year, last_year, enterprise_ids
