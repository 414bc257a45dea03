"""Reads of the members domain through the user's scope: the development pipeline, the monthly
dues ledger, and the warnings they add to organizations."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from dangjian.core.rules import rules_for
from dangjian.core.scope import restrict
from dangjian.core.validators import add_months, add_years, last_day_of_month

from . import rules
from .models import DevelopmentCase, DevelopmentStage, DuesAssessment, DuesPayment, Member
from .services.development import probation_due
from .services.dues import month_start


@dataclass
class PipelineEntry:
    case: DevelopmentCase
    next_step: str
    due: datetime.date | None = None
    overdue: bool = False


def next_step(case: DevelopmentCase, today: datetime.date, values: dict) -> PipelineEntry:
    stage = case.stage
    if stage == DevelopmentStage.APPLICANT:
        if not case.talked_on:
            due = add_months(case.applied_on, values["talk_within_months"])
            return PipelineEntry(case, "谈话", due, today > due)
        return PipelineEntry(case, "确定为入党积极分子")
    if stage == DevelopmentStage.ACTIVIST:
        return PipelineEntry(
            case,
            "确定为发展对象（最早）",
            add_years(case.activist_on, values["activist_min_years"]) if case.activist_on else None,
        )
    if stage == DevelopmentStage.CANDIDATE:
        return PipelineEntry(case, "支部大会接收" if case.training_completed_on else "集中培训")
    if stage == DevelopmentStage.PROBATIONARY:
        if not case.approved_on:
            due = add_months(case.admitted_on, values["approval_warning_months"])
            redo = add_months(case.admitted_on, values["approval_redo_months"])
            step = "重新履行接收手续" if today > redo else "上级党委审批"
            return PipelineEntry(case, step, due, today > due)
        due = probation_due(case)
        return PipelineEntry(case, "讨论转正", due, today > due)
    return PipelineEntry(case, "—")


def development_pipeline(*, user, organization=None, today=None):
    """Who is at which step, and what is due next, per stage."""
    today = today or timezone.localdate()
    cases = restrict(user, DevelopmentCase.objects.select_related("organization"), "view")
    if organization is not None:
        cases = cases.filter(org_path__startswith=organization.path)
    cases = cases.exclude(stage__in=[DevelopmentStage.FULL, DevelopmentStage.CANCELLED]).order_by(
        "applied_on"
    )
    values = rules_for(rules.DEVELOPMENT, today).values
    columns = {stage: [] for stage in DevelopmentStage.values if stage not in ("full", "cancelled")}
    for case in cases:
        columns[case.stage].append(next_step(case, today, values))
    return [
        {"stage": stage, "label": DevelopmentStage(stage).label, "entries": entries}
        for stage, entries in columns.items()
    ]


# -- dues -------------------------------------------------------------------------------------------
ZERO = Decimal("0.00")  # money shows to the fen


@dataclass
class DuesRow:
    member: Member
    payable: Decimal | None = None
    paid: Decimal = ZERO
    voluntary: Decimal = ZERO
    unpaid_months: int = 0

    @property
    def owed(self):
        if self.payable is None:
            return ZERO
        return max(self.payable - self.paid, ZERO)


@dataclass
class DuesLedger:
    organization: object
    month: datetime.date
    rows: list = field(default_factory=list)

    @property
    def payable(self):
        return sum((r.payable or 0 for r in self.rows), ZERO)

    @property
    def paid(self):
        return sum((min(r.paid, r.payable) if r.payable is not None else r.paid for r in self.rows), ZERO)

    @property
    def voluntary(self):
        return sum((r.voluntary for r in self.rows), ZERO)

    @property
    def owed(self):
        return sum((r.owed for r in self.rows), ZERO)


def unpaid_streaks(member_ids, upto: datetime.date, most: int | None = None) -> dict:
    """For each member: how many consecutive assessed months up to `upto` were not paid in full.

    `member_ids` is a list or a queryset of pks. With `most`, only each member's latest `most`
    assessed months are read, so a streak is counted up to `most`: enough to compare it with a
    threshold without reading a province's whole history."""
    assessments = DuesAssessment.objects.filter(member_id__in=member_ids, month__lte=upto)
    if most is not None:
        assessments = assessments.annotate(
            recent=Window(RowNumber(), partition_by=[F("member_id")], order_by=F("month").desc())
        ).filter(recent__lte=most)
    assessed = defaultdict(dict)
    for member_id, month, payable in assessments.values_list("member_id", "month", "payable"):
        assessed[member_id][month] = payable
    if not assessed:
        return {}
    earliest = min(min(months) for months in assessed.values())
    paid = defaultdict(Decimal)
    for member_id, month, total in (
        DuesPayment.objects.filter(
            member_id__in=member_ids, month__gte=earliest, month__lte=upto, voluntary=False
        )
        .values_list("member_id", "month")
        .annotate(total=Sum("amount"))
        .values_list("member_id", "month", "total")
    ):
        paid[(member_id, month)] = total
    streaks = {}
    for member_id, months in assessed.items():
        count = 0
        for month in sorted(months, reverse=True):
            if paid[(member_id, month)] >= months[month]:
                break
            count += 1
        streaks[member_id] = count
    return streaks


def dues_ledger(*, user, organization, month: datetime.date) -> DuesLedger:
    month = month_start(month)
    members = (
        restrict(user, Member.objects.filter(org_path__startswith=organization.path), "view")
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=month), joined_on__lte=last_day_of_month(month))
        .order_by("org_path", "name")
    )
    rows = {m.pk: DuesRow(member=m) for m in members}
    for assessment in DuesAssessment.objects.filter(member_id__in=rows, month=month):
        rows[assessment.member_id].payable = assessment.payable
    for payment in DuesPayment.objects.filter(member_id__in=rows, month=month):
        row = rows[payment.member_id]
        if payment.voluntary:
            row.voluntary += payment.amount
        else:
            row.paid += payment.amount
    for member_id, streak in unpaid_streaks(list(rows), month).items():
        rows[member_id].unpaid_months = streak
    return DuesLedger(organization=organization, month=month, rows=list(rows.values()))
