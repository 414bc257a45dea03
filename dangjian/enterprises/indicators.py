"""Figures about enterprises (INDICATORS.md)."""

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
    year = ctx.period.end.year
    rows = ctx.records(EnterpriseYear.objects.filter(revenue__isnull=False), "enterprise__org_path")
    both = rows.filter(year=year, enterprise__years__year=year - 1, enterprise__years__revenue__isnull=False)
    enterprise_ids = both.values("enterprise_id")
    this_year = rows.filter(year=year, enterprise_id__in=enterprise_ids).aggregate(s=Sum("revenue"))["s"]
    last_year = rows.filter(year=year - 1, enterprise_id__in=enterprise_ids).aggregate(s=Sum("revenue"))["s"]
    records = Enterprise.objects.filter(pk__in=enterprise_ids)
    if not last_year:
        return Result(None, records)
    value = round_half_up((this_year - last_year) * 100 / last_year, 1)
    return Result(value, records, detail={"this_year": this_year, "last_year": last_year})
