"""Figures about members (INDICATORS.md), plus the dues collection rate."""

from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Least

from dangjian.core.indicators import Part, Result, rate, register

from .models import DevelopmentCase, DuesAssessment, DuesPayment, Member, Membership, memberships_on


@register(
    "members.total",
    "党员总数",
    "名",
    description="期末在册党员（正式和预备），按当日所在组织计入范围",
    dashboard=30,
)
def members_total(ctx):
    stays = ctx.records(Membership.objects.filter(memberships_on(ctx.period.end)), "org_path")
    return Result(stays.count(), Member.objects.filter(pk__in=stays.values("member_id")))


@register(
    "members.newly_developed", "新发展党员数", "名", description="接收预备党员日期在期内的人", dashboard=40
)
def newly_developed(ctx):
    records = ctx.records(DevelopmentCase.objects.filter(ctx.in_period("admitted_on")), "org_path")
    return Result(records.count(), records)


@register(
    "dues.collection_rate",
    "党费收缴率",
    "%",
    description="期内各月应缴党费中已交纳的比例（每人每月按不超过应缴计，自愿多交不计）",
    dashboard=70,
)
def dues_collection_rate(ctx):
    assessments = ctx.records(DuesAssessment.objects.filter(ctx.in_period("month")), "org_path")
    paid = (
        DuesPayment.objects.filter(member=OuterRef("member_id"), month=OuterRef("month"), voluntary=False)
        .order_by()
        .values("member")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    money = DecimalField(max_digits=12, decimal_places=2)
    counted = assessments.annotate(
        paid=Coalesce(Subquery(paid, output_field=money), Value(Decimal(0), output_field=money)),
        counted=Least("paid", "payable", output_field=money),
    )
    collected = counted.aggregate(total_payable=Sum("payable"), total_collected=Sum("counted"))
    payable = collected["total_payable"] or Decimal(0)
    if not payable:
        return Result(None, assessments)
    value = rate(collected["total_collected"] or 0, payable)
    return Result(
        value,
        counted.filter(~Q(payable=0)).select_related("member").order_by("month", "org_path", "member__name"),
        detail={"payable": payable, "collected": collected["total_collected"]},
        parts=(
            Part("应缴（元）", lambda a: a.payable),
            Part("已交计入（元）", lambda a: a.counted),
        ),
    )
