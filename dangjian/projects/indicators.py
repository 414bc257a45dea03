"""Figures about key projects and problems (INDICATORS.md)."""

from dangjian.cadres.models import Assignment, Cadre
from dangjian.cadres.services import assignments_on
from dangjian.core.indicators import Result, register

from .models import Problem, ProblemCategory, ProblemSource, ProblemStatus, Project


def _assigned(ctx):
    """Assignments of cadres to projects in force on the period's last day, in scope."""
    return ctx.records(
        Assignment.objects.filter(project__isnull=False).filter(assignments_on(ctx.period.end)),
        "project__org_path",
    )


@register("projects.key_projects", "包抓重点项目数", "个", description="期末有包抓干部的重点项目")
def key_projects(ctx):
    records = Project.objects.filter(pk__in=_assigned(ctx).values("project_id"))
    return Result(records.count(), records)


@register("projects.cadres", "包抓干部数", "名", description="期末包抓这些项目的干部（去重）")
def cadres(ctx):
    records = Cadre.objects.filter(pk__in=_assigned(ctx).values("cadre_id"))
    return Result(records.count(), records)


def _choice(choices, value):
    """A filter given as the ledger word or the stored value."""
    by_label = {label: key for key, label in choices.choices}
    return by_label.get(value, value)


def solved(ctx, sources=None):
    records = ctx.records(
        Problem.objects.filter(status=ProblemStatus.SOLVED).filter(ctx.in_period("closed_on")), "org_path"
    )
    source = ctx.filters.get("source") or ctx.filters.get("问题来源")
    category = ctx.filters.get("category") or ctx.filters.get("问题类别")
    if sources is not None:
        records = records.filter(source__in=sources)
    if source:
        records = records.filter(source=_choice(ProblemSource, source))
    if category:
        records = records.filter(category=_choice(ProblemCategory, category))
    return Result(records.count(), records)


@register(
    "problems.solved",
    "解决问题数",
    "个",
    description="办结日期在期内且已办结的问题",
    filters=("问题来源", "问题类别"),
)
def problems_solved(ctx):
    return solved(ctx)


@register("problems.solved_by_finance_meetings", "政银企对接解决问题数", "个")
def solved_by_finance_meetings(ctx):
    return solved(ctx, [ProblemSource.FINANCE_MEETING])


@register("problems.solved_by_visits", "上门问诊解决问题数", "个", description="来源为上门问诊或项目包抓")
def solved_by_visits(ctx):
    return solved(ctx, [ProblemSource.VISIT, ProblemSource.PROJECT])


STATUS_FILTER = "状态"


@register(
    "problems.raised",
    "提出问题数",
    "个",
    description="提出日期在期内的问题；可按状态（待办、办理中、已办结、无法解决）和问题来源筛选",
    filters=(STATUS_FILTER, "问题来源"),
)
def problems_raised(ctx):
    records = ctx.records(Problem.objects.filter(ctx.in_period("raised_on")), "org_path")
    status = ctx.filters.get("status") or ctx.filters.get(STATUS_FILTER)
    source = ctx.filters.get("source") or ctx.filters.get("问题来源")
    if status:
        records = records.filter(status=_choice(ProblemStatus, status))
    if source:
        records = records.filter(source=_choice(ProblemSource, source))
    return Result(records.count(), records.order_by("raised_on", "pk"))
