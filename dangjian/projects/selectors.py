"""Reads of 项目包抓 through the user's scope: the weekly dispatch board, missing daily records,
the problems a cadre follows on the phone, the monthly summary and the yearly assessment's
arithmetic."""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, Q
from django.utils import timezone

from dangjian.cadres.models import Cadre
from dangjian.cadres.services import assigned_targets, assignments_on
from dangjian.core.calendar import workdays
from dangjian.core.scope import restrict
from dangjian.core.validators import last_day_of_month

from .models import Milestone, MonthlyNote, Problem, ProblemStatus, Project

OPEN = [ProblemStatus.TODO, ProblemStatus.IN_PROGRESS]


def cadre_list(*, user):
    return restrict(user, Cadre.objects.filter(is_active=True), "view").order_by("name")


def set_up_on(cadre: Cadre) -> datetime.date | None:
    """The local day the cadre was set up in Dangjian (created_at is stored in UTC)."""
    return timezone.localdate(cadre.created_at) if cadre.created_at else None


def missing_days(cadre: Cadre, start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """Working days in [start, end] (up to yesterday) on which the cadre kept no daily record;
    days before the cadre was set up do not count."""
    first = max(start, set_up_on(cadre)) if cadre.created_at else start
    last = min(end, timezone.localdate() - datetime.timedelta(days=1))
    if first > last:
        return []
    kept = set(cadre.daily_records.filter(day__gte=first, day__lte=last).values_list("day", flat=True))
    return [day for day in workdays(first, last) if day not in kept]


def cadre_problems(cadre: Cadre, *, user, day: datetime.date | None = None):
    """The problems a cadre follows (on the phone): those the cadre owns and those on the projects
    the cadre is in charge of on `day` (today), as far as `user` may see them; the earliest
    deadline first."""
    project_ids, _ = assigned_targets(cadre, day or timezone.localdate())
    problems = restrict(user, Problem.objects.select_related("project", "enterprise", "owner"), "view")
    return problems.filter(Q(owner=cadre) | Q(project_id__in=project_ids)).order_by(
        F("deadline").asc(nulls_last=True), "raised_on", "id"
    )


@dataclass
class Board:
    week_start: datetime.date
    week_end: datetime.date
    new_problems: list = field(default_factory=list)
    overdue_problems: list = field(default_factory=list)
    behind_milestones: list = field(default_factory=list)
    missing_records: list = field(default_factory=list)  # (cadre, [days])


def dispatch_board(*, user, week_start: datetime.date) -> Board:
    """周调度 board for the week starting on `week_start` (a Monday): problems raised that week,
    problems overdue at the week's end (escalated ones first), milestones planned by the week's
    end and not met, and cadres with working days that week without a daily record."""
    monday = week_start - datetime.timedelta(days=week_start.weekday())
    sunday = monday + datetime.timedelta(days=6)
    problems = restrict(user, Problem.objects.select_related("project", "enterprise", "owner"), "view")
    board = Board(week_start=monday, week_end=sunday)
    board.new_problems = list(
        problems.filter(raised_on__gte=monday, raised_on__lte=sunday).order_by("raised_on", "id")
    )
    board.overdue_problems = list(
        problems.filter(deadline__lt=sunday, raised_on__lte=sunday)
        .filter(Q(status__in=OPEN) | Q(closed_on__gt=sunday))
        .order_by(F("escalated_on").asc(nulls_last=True), "deadline", "id")
    )
    projects = restrict(user, Project.objects.all(), "view")
    board.behind_milestones = list(
        Milestone.objects.filter(project__in=projects, planned_on__lte=sunday)
        .filter(Q(actual_on__isnull=True) | Q(actual_on__gt=sunday))
        .select_related("project")
        .order_by("planned_on", "id")
    )
    for cadre in cadre_list(user=user):
        days = missing_days(cadre, monday, sunday)
        if days:
            board.missing_records.append((cadre, days))
    return board


@dataclass
class CadreMonth:
    cadre: Cadre
    workdays: int = 0
    records: int = 0
    visits: int = 0
    problems_raised: int = 0
    problems_solved: int = 0
    milestones_met: int = 0
    note: str = ""
    kept_workdays: int = 0  # working days (of `workdays`) with a record

    @property
    def completeness(self):
        if not self.workdays:
            return None
        return (Decimal(self.kept_workdays) * 100 / self.workdays).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class MonthSummary:
    month: datetime.date
    rows: list

    def total(self, name):
        return sum(getattr(row, name) for row in self.rows)

    @property
    def totals(self) -> dict:
        """The zone's figures (for templates, which cannot call total(name))."""
        names = ("records", "visits", "problems_raised", "problems_solved", "milestones_met")
        return {name: self.total(name) for name in names}


def monthly_summary(*, user, month: datetime.date) -> MonthSummary:
    """月总结: per cadre, for the month (up to yesterday), working days, records kept, visits
    (records marked as on site or at an enterprise), problems raised and solved by them, and
    milestones of their projects met; plus the cadre's own note."""
    start = month.replace(day=1)
    end = last_day_of_month(start)
    rows = []
    notes = dict(MonthlyNote.objects.filter(month=start).values_list("cadre_id", "text"))
    for cadre in cadre_list(user=user):
        records = cadre.daily_records.filter(day__gte=start, day__lte=end)
        projects = (
            cadre.assignments.filter(project__isnull=False)
            .filter(assignments_on(end) | assignments_on(start))
            .values("project_id")
        )
        first = max(start, set_up_on(cadre))
        last = min(end, timezone.localdate() - datetime.timedelta(days=1))
        days = workdays(first, last) if first <= last else []
        rows.append(
            CadreMonth(
                cadre=cadre,
                workdays=len(days),
                kept_workdays=records.filter(day__in=days).count() if days else 0,
                records=records.count(),
                visits=records.filter(is_visit=True).count(),
                problems_raised=cadre.problems.filter(raised_on__gte=start, raised_on__lte=end).count(),
                problems_solved=cadre.problems.filter(
                    status=ProblemStatus.SOLVED, closed_on__gte=start, closed_on__lte=end
                ).count(),
                milestones_met=Milestone.objects.filter(
                    project_id__in=projects, actual_on__gte=start, actual_on__lte=end
                ).count(),
                note=notes.get(cadre.pk, ""),
            )
        )
    return MonthSummary(month=start, rows=rows)


# -- yearly assessment -------------------------------------------------------------------------------------
def percent(part: int, whole: int):
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def assessment_components(cadre: Cadre, year: int, today: datetime.date | None = None) -> dict:
    """The four parts of a cadre's score for a year, each a percentage or None when there is
    nothing to measure:
    - record_completeness: working days with a daily record, of the working days (to yesterday);
    - problems_on_time: problems they own that were due in the year, solved by the deadline;
    - milestones_met: milestones of their projects planned in the year, met by the planned day;
    - satisfaction: enterprise ratings (0–5 as a percentage) once the service desk records them."""
    today = today or timezone.localdate()
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    first = max(start, set_up_on(cadre))
    last = min(end, today - datetime.timedelta(days=1))
    days = workdays(first, last) if first <= last else []
    kept = cadre.daily_records.filter(day__in=days).count() if days else 0
    due = cadre.problems.filter(deadline__gte=start, deadline__lte=min(end, today)).exclude(
        status=ProblemStatus.UNSOLVABLE
    )
    on_time = due.filter(status=ProblemStatus.SOLVED, closed_on__lte=F("deadline")).count()
    projects = (
        cadre.assignments.filter(project__isnull=False)
        .filter(
            Q(start_on__isnull=True) | Q(start_on__lte=end), Q(end_on__isnull=True) | Q(end_on__gte=start)
        )
        .values("project_id")
    )
    planned = Milestone.objects.filter(
        project_id__in=projects, planned_on__gte=start, planned_on__lte=min(end, today)
    )
    met = planned.filter(actual_on__isnull=False, actual_on__lte=F("planned_on")).count()
    return {
        "record_completeness": percent(kept, len(days)),
        "problems_on_time": percent(on_time, due.count()),
        "milestones_met": percent(met, planned.count()),
        "satisfaction": satisfaction_of(cadre, start, end),
    }


# Parts of the yearly score that other apps measure (the service desk: enterprise satisfaction),
# registered in their AppConfig.ready(): name → function (cadre, start, end) → percentage or None.
_measured_parts = {}


def register_assessment_part(name: str, measure):
    _measured_parts[name] = measure
    return measure


def satisfaction_of(cadre, start, end):
    """Mean enterprise rating (1–5) of requests the cadre handled, as a percentage of 5; None
    until an app measures it (the service desk) or there are ratings."""
    measure = _measured_parts.get("satisfaction")
    return measure(cadre, start, end) if measure else None


def weighted_score(components: dict, weights: dict) -> tuple[Decimal | None, dict]:
    """Σ weight × part / Σ weight over the parts that can be measured (a part with no value does
    not count, and its weight is shared out among the others); rounded half up to 0.01."""
    used = {k: Decimal(str(w)) for k, w in weights.items() if components.get(k) is not None}
    total = sum(used.values())
    if not total:
        return None, used
    score = sum(components[k] * w for k, w in used.items()) / total
    return score.quantize(Decimal("0.01"), ROUND_HALF_UP), {k: str(w) for k, w in used.items()}


def rank(scores: list[tuple[object, Decimal | None]]) -> list[tuple[object, Decimal | None, int]]:
    """Standard competition ranking (1, 2, 2, 4) by score, highest first; no score ranks last."""
    ordered = sorted(scores, key=lambda pair: (pair[1] is None, -(pair[1] or 0)))
    ranked, previous, position = [], object(), 0
    for index, (item, score) in enumerate(ordered, start=1):
        if score != previous:
            position, previous = index, score
        ranked.append((item, score, position))
    return ranked


def approvals_span(project: Project) -> dict:
    """How many approvals a project's set took and how many days, from the first submission to
    the last approval (both counted)."""
    approvals = list(project.approvals.all())
    done = [a for a in approvals if a.approved_on]
    if not done:
        return {"count": len(approvals), "days": None}
    first = min(a.submitted_on for a in approvals)
    last = max(a.approved_on for a in done)
    return {"count": len(done), "days": (last - first).days + 1, "all_done": len(done) == len(approvals)}
