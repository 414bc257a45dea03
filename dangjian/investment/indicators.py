"""The figures of investment attraction (INDICATORS.md), plus the funds received in the period
and the signings by industry cluster. Each query is the selectors'; here only the scope (records
without an organization count at the zone's root only) and the drill-down columns are added."""

from django.db.models import Sum

from dangjian.core.indicators import Part, Result, register, register_target

from . import selectors
from .models import (
    AnnualTarget,
    EventForm,
    FundTranche,
    InvestmentEvent,
    InvestmentPerson,
    InvestmentProject,
    PersonRole,
    Stage,
    Team,
)

CLUSTER_FILTER = "所属产业"


def _money(value):
    return value.normalize() if value is not None else None


def _people(ctx, role):
    people = ctx.records(InvestmentPerson.objects.select_related("team"), "org_path")
    records = selectors.people_in_post(people, ctx.period.end, role).order_by("name", "pk")
    return Result(
        records.count(),
        records,
        parts=(
            Part("聘任日期", lambda p: p.appointed_on or "—"),
            Part("联系城市或产业", lambda p: p.covers or "—"),
        ),
    )


@register(
    "investment.ambassadors",
    "招商大使人数",
    "名",
    description="期末在任的招商大使（聘任日期在期末或之前、期末未离任）",
)
def ambassadors(ctx):
    return _people(ctx, PersonRole.AMBASSADOR)


@register(
    "investment.advisors",
    "招商顾问人数",
    "名",
    description="期末在任的招商顾问（聘任日期在期末或之前、期末未离任）",
)
def advisors(ctx):
    return _people(ctx, PersonRole.ADVISOR)


@register("investment.teams", "招商小分队数", "个", description="期末至少有一名在任队员或队长的招商小分队")
def teams(ctx):
    records = selectors.teams_with_members(ctx.records(Team.objects.all(), "org_path"), ctx.period.end)
    return Result(records.count(), records, parts=(Part("主攻方向", lambda t: t.focus or "—"),))


@register(
    "investment.events",
    "招商对接场次",
    "场",
    description="活动形式为招商对接、日期在期内的招商活动",
    dashboard=125,
)
def events(ctx):
    records = selectors.events_in(
        ctx.records(InvestmentEvent.objects.select_related("team"), "org_path"),
        ctx.period,
        EventForm.MATCHMAKING,
    )
    return Result(
        records.count(),
        records,
        parts=(
            Part("城市", lambda e: e.city or "—"),
            Part("招商小分队", lambda e: e.team.name if e.team else "—"),
        ),
    )


def _signed(ctx):
    """The projects signed in the period and not 终止, in scope; with the filter 所属产业 (a
    cluster's name or number, 未分类 for none) only that cluster's."""
    projects = ctx.records(InvestmentProject.objects.select_related("cluster"), "org_path")
    records = selectors.signed_in(projects, ctx.period)
    cluster = ctx.filters.get("cluster") or ctx.filters.get(CLUSTER_FILTER)
    if cluster:
        if cluster == "未分类":
            records = records.filter(cluster__isnull=True)
        elif str(cluster).isdigit():
            records = records.filter(cluster_id=cluster)
        else:
            records = records.filter(cluster__name=cluster)
    return records.annotate(funds=Sum("tranches__amount")).order_by("signed_on", "pk")


def _cluster_name(project):
    return project.cluster.name if project.cluster else "未分类"


@register(
    "investment.signed_projects",
    "签约项目数",
    "个",
    description="签约日期在期内且未终止的招商项目；可按所属产业筛选，明细按产业分列",
    filters=(CLUSTER_FILTER,),
    dashboard=130,
)
def signed_projects(ctx):
    records = _signed(ctx)
    return Result(
        records.count(),
        records,
        detail={"by_cluster": selectors.cluster_signings(records)},
        parts=(
            Part("所属产业", _cluster_name),
            Part("签约日期", lambda p: p.signed_on),
            Part("签约金额（万元）", lambda p: _money(p.signed_amount)),
        ),
    )


@register(
    "investment.funds_in_place",
    "到位资金",
    "万元",
    description="期内签约且未终止的招商项目的到位资金合计（各笔到位资金之和，不论到位日期）",
    filters=(CLUSTER_FILTER,),
    dashboard=140,
)
def funds_in_place(ctx):
    records = _signed(ctx)
    return Result(
        selectors.funds_of(records),
        records,
        parts=(
            Part("签约日期", lambda p: p.signed_on),
            Part("到位资金（万元）", lambda p: _money(p.funds) if p.funds is not None else 0),
        ),
    )


@register(
    "investment.funds_received",
    "到位资金（当期到账）",
    "万元",
    description="到位日期在期内的各笔到位资金之和（不论项目何时签约）",
    dashboard=145,
)
def funds_received(ctx):
    tranches = ctx.records(FundTranche.objects.select_related("project"), "project__org_path")
    records = selectors.tranches_in(tranches, ctx.period).order_by("received_on", "pk")
    return Result(
        selectors.tranche_sum(records),
        records,
        parts=(
            Part("项目", lambda t: t.project.name),
            Part("到位日期", lambda t: t.received_on),
            Part("金额（万元）", lambda t: _money(t.amount)),
        ),
    )


STAGE_FILTER = "阶段"
# the date a project reached each stage (线索: its lead's date)
STAGE_DATES = {
    "线索": "recorded_on",
    "洽谈": "negotiating_on",
    "签约": "signed_on",
    "开工": "started_on",
    "投产": "producing_on",
    "终止": "terminated_on",
}


@register(
    "investment.pipeline",
    "招商项目线索数",
    "个",
    description="线索日期在期内的招商项目；按阶段筛选时为其中在期末前已进入该阶段的（洽谈、签约、开工、投产或终止），用于招商漏斗",
    filters=(STAGE_FILTER,),
)
def pipeline(ctx):
    records = ctx.records(InvestmentProject.objects.select_related("cluster"), "org_path").filter(
        ctx.in_period("recorded_on")
    )
    stage = ctx.filters.get("stage") or ctx.filters.get(STAGE_FILTER)
    if stage:
        field = STAGE_DATES.get(stage) or STAGE_DATES.get(dict(Stage.choices).get(stage, ""))
        records = records.filter(**{f"{field}__lte": ctx.period.end}) if field else records.none()
    records = records.order_by("recorded_on", "pk")
    return Result(
        records.count(),
        records,
        parts=(
            Part("线索日期", lambda p: p.recorded_on),
            Part("阶段", lambda p: p.get_stage_display()),
            Part("所属产业", _cluster_name),
        ),
    )


def _zone_target(field):
    """The zone's annual target (年度招商目标) for the whole zone; a subtree has none of its own."""

    def target(year, scope):
        if scope is not None and scope.depth > 1:
            return None
        row = AnnualTarget.objects.filter(year=year).values_list(field, flat=True).first()
        return row

    return target


register_target("investment.events")(_zone_target("events"))
register_target("investment.signed_projects")(_zone_target("signings"))
register_target("investment.funds_received")(_zone_target("funds"))
