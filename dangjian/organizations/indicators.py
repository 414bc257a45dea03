"""Figures about the organization tree and posts (INDICATORS.md)."""

from django.db.models import Q

from dangjian.core.indicators import Result, rate, register

from .models import BRANCH_KINDS, OrgKind, PartyOrganization, Post, PostKind


def existing_on(day, start="founded_on", end="dissolved_on") -> Q:
    """Founded (or set up) on or before `day` and not dissolved before it; unknown dates count."""
    return (Q(**{f"{start}__isnull": True}) | Q(**{f"{start}__lte": day})) & (
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": day})
    )


def branches(ctx):
    return ctx.records(
        PartyOrganization.objects.filter(kind__in=BRANCH_KINDS).filter(existing_on(ctx.period.end)), "path"
    )


@register(
    "orgs.branches",
    "党支部数",
    "个",
    description="党支部、联合党支部、临时党支部，截至期末存续",
    dashboard=10,
)
def orgs_branches(ctx):
    records = branches(ctx)
    return Result(records.count(), records)


@register(
    "orgs.standardized_rate",
    "党支部标准化规范化达标率",
    "%",
    description="期末存续的党支部中标准化规范化达标的比例",
    dashboard=20,
)
def orgs_standardized_rate(ctx):
    records = branches(ctx)
    standardized = records.filter(standardized=True)
    return Result(rate(standardized.count(), records.count()), standardized)


@register("orgs.party_groups", "党小组数", "个")
def orgs_party_groups(ctx):
    records = ctx.records(
        PartyOrganization.objects.filter(kind=OrgKind.PARTY_GROUP).filter(existing_on(ctx.period.end)), "path"
    )
    return Result(records.count(), records)


def _posts(ctx, kind):
    return ctx.records(
        Post.objects.filter(kind=kind).filter(existing_on(ctx.period.end, "established_on", "revoked_on")),
        "org_path",
    )


@register("posts.responsibility_areas", "党员责任区数", "个")
def posts_responsibility_areas(ctx):
    records = _posts(ctx, PostKind.RESPONSIBILITY_AREA)
    return Result(records.count(), records)


@register("posts.model_posts", "党员示范岗数", "个", dashboard=90)
def posts_model_posts(ctx):
    records = _posts(ctx, PostKind.MODEL_POST)
    return Result(records.count(), records)
