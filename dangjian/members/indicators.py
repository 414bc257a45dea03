"""Figures about members (INDICATORS.md)."""

from dangjian.indicators.registry import Result, register

from .models import Member, Membership, memberships_on


@register("members.total", "党员总数", "名", description="期末在册党员（正式和预备），按当日所在组织计入范围")
def members_total(ctx):
    stays = ctx.records(Membership.objects.filter(memberships_on(ctx.period.end)), "org_path")
    return Result(stays.count(), Member.objects.filter(pk__in=stays.values("member_id")))
