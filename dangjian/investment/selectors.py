"""Reads of investment attraction. The query of each figure is written once here and used by the
indicators, the pages and the warnings; lists start from the user's scope."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from dangjian.core.indicators import Period
from dangjian.core.rules import rules_for
from dangjian.core.scope import restrict
from dangjian.core.validators import add_months

from . import rules
from .models import (
    OPEN_STAGES,
    PIPELINE,
    TEAM_ROLES,
    AnnualTarget,
    EventForm,
    FundTranche,
    InvestmentEvent,
    InvestmentPerson,
    InvestmentProject,
    Stage,
    Team,
    in_post_on,
)


# -- the queries of the figures ---------------------------------------------------------------------
def people_in_post(people: QuerySet, day: datetime.date, role=None) -> QuerySet:
    """招商人员 in post on `day` (appointed on or before it, not departed by then), of `role`."""
    people = people.filter(in_post_on(day))
    return people.filter(role=role) if role else people


def teams_with_members(teams: QuerySet, day: datetime.date) -> QuerySet:
    """Teams with at least one member or leader in post on `day`."""
    members = InvestmentPerson.objects.filter(in_post_on(day), role__in=TEAM_ROLES, team__isnull=False)
    return teams.filter(pk__in=members.values("team_id"))


def events_in(events: QuerySet, period: Period, form=None) -> QuerySet:
    events = events.filter(held_on__gte=period.start, held_on__lte=period.end)
    return events.filter(form=form) if form else events


def signed_in(projects: QuerySet, period: Period) -> QuerySet:
    """Projects whose 签约日期 is in the period and that were not 终止."""
    return projects.filter(signed_on__gte=period.start, signed_on__lte=period.end).exclude(
        stage=Stage.TERMINATED
    )


def tranches_in(tranches: QuerySet, period: Period) -> QuerySet:
    """The tranches of 到位资金 dated in the period (a period's funds received)."""
    return tranches.filter(received_on__gte=period.start, received_on__lte=period.end)


def funds_of(projects: QuerySet) -> Decimal:
    """到位资金 of `projects`: the sum of all their tranches (万元)."""
    total = FundTranche.objects.filter(project__in=projects.values("pk")).aggregate(total=Sum("amount"))
    return total["total"] or Decimal(0)


def tranche_sum(tranches: QuerySet) -> Decimal:
    return tranches.aggregate(total=Sum("amount"))["total"] or Decimal(0)


# -- lists ---------------------------------------------------------------------------------------
def project_list(*, user, stage=None):
    projects = restrict(user, InvestmentProject.objects.select_related("cluster", "team", "follower"), "view")
    return projects.filter(stage=stage) if stage else projects


def event_list(*, user, period: Period | None = None):
    events = restrict(user, InvestmentEvent.objects.select_related("team"), "view")
    return events_in(events, period) if period else events


def person_list(*, user, day: datetime.date | None = None, role=None):
    people = restrict(user, InvestmentPerson.objects.select_related("team"), "view")
    if day is not None:
        return people_in_post(people, day, role)
    return people.filter(role=role) if role else people


def team_members(*, user, team: Team, day: datetime.date):
    """The team's leader and members in post on `day`, the leader first."""
    people = restrict(user, InvestmentPerson.objects.filter(team=team), "view")
    return people_in_post(people, day).order_by("-role", "name")


# -- warnings ------------------------------------------------------------------------------------
@dataclass
class ProjectWarning:
    project: InvestmentProject
    code: str
    message: str
    since: datetime.date


def stale_leads(*, user, today: datetime.date):
    """Leads and projects in 洽谈 with no follow-up (nor any step) for the rule's days or more."""
    days = rules_for(rules.FOLLOW_UP, today).values["days"]
    limit = today - datetime.timedelta(days=days)
    return project_list(user=user).filter(stage__in=OPEN_STAGES, last_activity_on__lte=limit)


def unstarted(*, user, today: datetime.date):
    """Signed projects not started the rule's months after signing (on that day or later)."""
    months = rules_for(rules.START, today).values["months"]
    # a month has at least 28 days: the database narrows, the calendar decides
    rough = today - datetime.timedelta(days=28 * months)
    candidates = project_list(user=user).filter(stage=Stage.SIGNED, signed_on__lte=rough)
    return [p for p in candidates if add_months(p.signed_on, months) <= today]


def project_warnings(*, user, today: datetime.date) -> list[ProjectWarning]:
    found = []
    follow = rules_for(rules.FOLLOW_UP, today)
    for project in stale_leads(user=user, today=today).order_by("last_activity_on"):
        days = (today - project.last_activity_on).days
        found.append(
            ProjectWarning(
                project,
                "stale_lead",
                f"“{project.get_stage_display()}”阶段已 {days} 天未跟进（超过 {follow.values['days']} 天预警，"
                f"规则第 {follow.version} 版）",
                project.last_activity_on,
            )
        )
    start = rules_for(rules.START, today)
    for project in sorted(unstarted(user=user, today=today), key=lambda p: p.signed_on):
        found.append(
            ProjectWarning(
                project,
                "not_started",
                f"{project.signed_on:%Y-%m-%d} 签约，{start.values['months']} 个月仍未开工"
                f"（规则第 {start.version} 版）",
                project.signed_on,
            )
        )
    return found


# -- targets and pace ------------------------------------------------------------------------------
@dataclass
class Pace:
    label: str
    unit: str
    target: object  # int or Decimal, None where no target was set
    done: object
    done_share: Decimal | None  # done / target, %
    year_share: Decimal  # the share of the year gone, %
    behind: bool


def year_share(year: int, today: datetime.date) -> Decimal:
    """The share of `year` gone by the end of `today` (%, one decimal): 0 before it, 100 after."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if today < start:
        return Decimal(0)
    if today >= end:
        return Decimal(100)
    days = (end - start).days + 1
    gone = (today - start).days + 1
    return (Decimal(gone) * 100 / Decimal(days)).quantize(Decimal("0.1"))


def _share(done, target) -> Decimal | None:
    if not target:
        return None
    return (Decimal(done) * 100 / Decimal(target)).quantize(Decimal("0.1"))


def target_pace(*, user, year: int, today: datetime.date) -> list[Pace]:
    """The year's targets beside what is done (in the user's scope) and the share of the year
    gone: a target is behind pace when its share done is below the share of the year gone."""
    target = AnnualTarget.objects.filter(year=year).first()
    period = Period.year(year)
    gone = year_share(year, today)
    done_events = events_in(event_list(user=user), period, EventForm.MATCHMAKING).count()
    done_signings = signed_in(project_list(user=user), period).count()
    tranches = restrict(user, FundTranche.objects.all(), "view")
    done_funds = tranche_sum(tranches_in(tranches, period))
    rows = []
    for label, unit, wanted, done in (
        ("招商对接场次", "场", target and target.events, done_events),
        ("签约项目数", "个", target and target.signings, done_signings),
        ("到位资金", "万元", target and target.funds, done_funds),
    ):
        share = _share(done, wanted)
        rows.append(Pace(label, unit, wanted, done, share, gone, share is not None and share < gone))
    return rows


def cluster_signings(projects: QuerySet) -> list[tuple[str, int]]:
    """Signed projects by industry cluster: [(cluster name or 未分类, count)], most first."""
    rows = projects.order_by().values_list("cluster__name").annotate(n=Count("pk"))
    counts = [(name or "未分类", n) for name, n in rows]
    return sorted(counts, key=lambda item: (-item[1], item[0]))


def stage_counts(projects) -> list[tuple[str, str, int]]:
    """The pipeline: [(stage, its name, count)] in pipeline order, then 终止."""
    counts = dict(projects.order_by().values_list("stage").annotate(n=Count("pk")))
    return [(stage.value, stage.label, counts.get(stage.value, 0)) for stage in (*PIPELINE, Stage.TERMINATED)]
