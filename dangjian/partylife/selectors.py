"""Reads of party life through the user's scope, and the compliance of 组织生活 with the required
frequencies (versioned rule)."""

import datetime
import functools
import operator
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, ExtractMonth, ExtractYear, Greatest, Least, Trunc
from django.db.models.lookups import Exact, GreaterThan, In, IsNull, LessThanOrEqual
from django.utils import timezone

from dangjian.core.rules import rules_for
from dangjian.core.scope import restrict
from dangjian.core.validators import last_day_of_month
from dangjian.members.models import Member, Membership, memberships_on
from dangjian.organizations.models import BRANCH_KINDS, OrgKind, PartyOrganization

from . import rules
from .models import SANHUI_YIKE, Meeting, MeetingKind

FREQUENCY_LABEL = {"month": "每月", "quarter": "每季度", "year": "每年"}


@dataclass(frozen=True)
class Slot:
    start: datetime.date
    end: datetime.date

    @property
    def label(self):
        if self.start.month == 1 and self.end.month == 12:
            return f"{self.start.year}年"
        if self.end.month - self.start.month == 2:
            return f"{self.start.year}年第{(self.start.month - 1) // 3 + 1}季度"
        return f"{self.start.year}年{self.start.month}月"


STEP_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def slot_start(frequency: str, day: datetime.date) -> datetime.date:
    """The first day of the month, quarter or year that holds `day`."""
    step = STEP_MONTHS[frequency]
    return datetime.date(day.year, ((day.month - 1) // step) * step + 1, 1)


def slots(frequency: str, start: datetime.date, end: datetime.date) -> list[Slot]:
    """The months, quarters or years that lie wholly within [start, end]."""
    return list(_slots(frequency, start, end))


@functools.lru_cache(maxsize=4096)
def _slots(frequency: str, start: datetime.date, end: datetime.date) -> tuple[Slot, ...]:
    # most organizations of a scope share the same bounds: computed once per (frequency, bounds)
    step = STEP_MONTHS[frequency]
    cursor = slot_start(frequency, start)
    found = []
    while cursor <= end:
        last_month = cursor.month + step - 1
        slot_end = last_day_of_month(
            datetime.date(cursor.year + (last_month - 1) // 12, (last_month - 1) % 12 + 1, 1)
        )
        if cursor >= start and slot_end <= end:
            found.append(Slot(cursor, slot_end))
        nxt = cursor.month + step
        cursor = datetime.date(cursor.year + (nxt - 1) // 12, (nxt - 1) % 12 + 1, 1)
    return tuple(found)


@dataclass
class Requirement:
    organization: PartyOrganization
    kind: str
    frequency: str
    required: list = field(default_factory=list)
    held: list = field(default_factory=list)
    current: Slot | None = None
    current_held: bool = False

    @property
    def overdue(self):
        return [slot for slot in self.required if slot not in self.held]

    @property
    def kind_label(self):
        return MeetingKind(self.kind).label

    @property
    def frequency_label(self):
        return FREQUENCY_LABEL[self.frequency]


@dataclass
class Compliance:
    start: datetime.date
    end: datetime.date
    rule: object
    requirements: list

    def totals(self, kinds=None):
        chosen = [r for r in self.requirements if kinds is None or r.kind in kinds]
        required = sum(len(r.required) for r in chosen)
        held = sum(len(r.held) for r in chosen)
        return required, held


def meeting_list(*, user, organization=None, start=None, end=None, kinds=None):
    queryset = restrict(user, Meeting.objects.select_related("organization"), "view")
    if organization is not None:
        queryset = queryset.filter(org_path__startswith=organization.path)
    if start:
        queryset = queryset.filter(held_on__gte=start)
    if end:
        queryset = queryset.filter(held_on__lte=end)
    if kinds:
        queryset = queryset.filter(kind__in=kinds)
    return queryset


def expected_members(meeting: Meeting):
    """Who should attend: the party group's members for a 党小组会 of a group, otherwise the
    members who belonged to the organization's subtree on the day (moved away since or not), not
    those who had left by then; by name."""
    members = Member.objects.all()
    if meeting.kind == MeetingKind.GROUP and meeting.organization.kind == OrgKind.PARTY_GROUP:
        members = members.filter(party_group=meeting.organization)
    else:
        day = meeting.held_on or timezone.localdate()
        path = meeting.organization.path
        stays = Membership.objects.filter(memberships_on(day), org_path__startswith=path)
        members = members.filter(pk__in=stays.values("member_id"))
    if meeting.held_on:
        members = members.filter(Q(left_on__isnull=True) | Q(left_on__gte=meeting.held_on))
    return members.order_by("name", "pk")


def compliance(
    *, organizations, start: datetime.date, end: datetime.date, today: datetime.date | None = None, kinds=None
) -> Compliance:
    """What was required, held and overdue for the branches (and their party groups) among
    `organizations` in [start, end]. A month, quarter or year is required once it has ended (by
    today) while the organization existed for all of it; the running one is shown as current."""
    today = today or timezone.localdate()
    rule = rules_for(rules.FREQUENCY, end)
    frequencies = {k: v for k, v in rule.values.items() if kinds is None or k in kinds}
    units = (
        organizations.filter(kind__in=[*BRANCH_KINDS, OrgKind.PARTY_GROUP])
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=start))
        .filter(Q(founded_on__isnull=True) | Q(founded_on__lte=end))
        .order_by("path")
    )
    held: dict = {}
    unit_ids = units.values("pk")
    units = list(units)
    if units:
        meetings = Meeting.objects.filter(
            organization_id__in=unit_ids,
            kind__in=list(frequencies),
            held_on__gte=start,
            held_on__lte=end,
        ).values_list("organization_id", "kind", "held_on")
        for org_id, kind, day in meetings:
            held.setdefault((org_id, kind), []).append(day)
    elapsed_end = min(end, today - datetime.timedelta(days=1))
    this_year = (today.replace(month=1, day=1), today.replace(month=12, day=31))
    running = {
        frequency: next(s for s in slots(frequency, *this_year) if s.start <= today <= s.end)
        for frequency in set(frequencies.values())
    }
    requirements = []
    for org in units:
        for kind, frequency in frequencies.items():
            if kind == MeetingKind.GROUP:
                if org.kind != OrgKind.PARTY_GROUP:
                    continue
            elif org.kind == OrgKind.PARTY_GROUP:
                continue
            if kind == MeetingKind.COMMITTEE and not org.has_committee:
                continue
            requirement = Requirement(organization=org, kind=kind, frequency=frequency)
            lower = max(start, org.founded_on) if org.founded_on else start
            upper = min(elapsed_end, org.dissolved_on) if org.dissolved_on else elapsed_end
            # the slots held, by their first day (slots are whole months, quarters or years)
            held_starts = {slot_start(frequency, d) for d in held.get((org.pk, kind), ())}
            requirement.required = slots(frequency, lower, upper)
            requirement.held = [slot for slot in requirement.required if slot.start in held_starts]
            if start <= today <= end:
                current = running[frequency]
                requirement.current = current
                requirement.current_held = current.start in held_starts
            requirements.append(requirement)
    return Compliance(start=start, end=end, rule=rule, requirements=requirements)


def _owes(kind: str, prefix: str = "") -> Q:
    """The organizations (through `prefix`) that owe meetings of `kind`: 党小组会 the party groups,
    every other kind the branches, 支委会 only the branches with a committee (as `compliance`)."""
    if kind == MeetingKind.GROUP:
        return Q(**{f"{prefix}kind": OrgKind.PARTY_GROUP})
    owes = Q(**{f"{prefix}kind__in": BRANCH_KINDS})
    if kind == MeetingKind.COMMITTEE:
        owes &= Q(**{f"{prefix}has_committee": True})
    return owes


def _owes_class(kind: str) -> str:
    return kind if kind in (MeetingKind.GROUP, MeetingKind.COMMITTEE) else "branch"


INTEGER = IntegerField()


def _slot_number(day, step: int):
    """The number of the month, quarter or year (`step` months) that holds `day`: consecutive
    slots have consecutive numbers."""
    months = Cast(ExtractYear(day) * Value(12) + ExtractMonth(day) - Value(1), INTEGER)
    return ExpressionWrapper(months / Value(step), output_field=INTEGER)


@dataclass(frozen=True)
class _Due:
    """The slots of one frequency due in the period: consecutive, numbered first…last."""

    step: int
    found: tuple

    @property
    def first(self):
        return _number(self.found[0].start, self.step)

    @property
    def last(self):
        return _number(self.found[-1].start, self.step)

    def lived(self, founded, dissolved):
        """(lowest, highest) number of the due slots an organization existed for all of, its
        founding and dissolution given as expressions (a field, a related field, an OuterRef);
        none when lowest > highest. A slot counts from the first one that starts on or after the
        founding, up to the last one that ends on or before the dissolution."""
        starts = [slot.start for slot in self.found]
        ends = [slot.end for slot in self.found]
        lowest = Case(
            When(Q(IsNull(founded, True)), then=Value(self.first)),
            When(Q(In(founded, starts)), then=_slot_number(founded, self.step)),
            default=_slot_number(founded, self.step) + Value(1),
            output_field=INTEGER,
        )
        highest = Case(
            When(Q(IsNull(dissolved, True)), then=Value(self.last)),
            When(Q(In(dissolved, ends)), then=_slot_number(dissolved, self.step)),
            default=_slot_number(dissolved, self.step) - Value(1),
            output_field=INTEGER,
        )
        return (
            Greatest(lowest, Value(self.first), output_field=INTEGER),
            Least(highest, Value(self.last), output_field=INTEGER),
        )

    def held_while_lived(self, founded, dissolved) -> Q:
        """Meetings (annotated with `slot`, the first day of theirs) in a slot the organization
        existed for all of: founded on or before its first day, dissolved in a later slot or on
        its last day (the due slots' last days are known)."""
        frequency = FREQUENCY_OF_STEP[self.step]
        dissolved_slot = Trunc(dissolved, frequency, output_field=DateField())
        ends = [slot.end for slot in self.found]
        return (Q(IsNull(founded, True)) | Q(LessThanOrEqual(founded, F("slot")))) & (
            Q(IsNull(dissolved, True))
            | Q(GreaterThan(dissolved_slot, F("slot")))
            | (Q(In(dissolved, ends)) & Q(Exact(dissolved_slot, F("slot"))))
        )

    def window(self, prefix: str = "held_on") -> Q:
        return Q(**{f"{prefix}__gte": self.found[0].start, f"{prefix}__lte": self.found[-1].end})


def _outer_date(name: str):
    return ExpressionWrapper(OuterRef(name), output_field=DateField())


FREQUENCY_OF_STEP = {step: frequency for frequency, step in STEP_MONTHS.items()}


def _number(day: datetime.date, step: int) -> int:
    return (day.year * 12 + day.month - 1) // step


@dataclass
class ComplianceFigure:
    """`compliance` counted by the database: the slots due and held over every organization
    (`required`, `held`), and the organizations that owed any, each annotated with its own
    `required_slots` and `held_slots`, by path."""

    rule: object
    required: int
    held: int
    organizations: object  # QuerySet of PartyOrganization


def compliance_figure(*, organizations, start: datetime.date, end: datetime.date, today=None, kinds=None):
    """The totals of `compliance(...)` (the same slots due, the same slots held), computed by the
    database without loading an organization or a meeting. The slots of a frequency that ended by
    yesterday are numbered; an organization owes, for each kind it owes, the due slots from the
    first after its founding to the last before its dissolution (one range per organization,
    however many slots), and held those of them in which it had a meeting of the kind (the
    meetings' distinct organization, kind and slot number)."""
    today = today or timezone.localdate()
    rule = rules_for(rules.FREQUENCY, end)
    frequencies = {k: v for k, v in rule.values.items() if kinds is None or k in kinds}
    elapsed_end = min(end, today - datetime.timedelta(days=1))
    due = {}
    for kind, frequency in frequencies.items():
        found = tuple(slots(frequency, start, elapsed_end))
        if found:
            due[kind] = _Due(STEP_MONTHS[frequency], found)
    units = organizations.filter(kind__in=[*BRANCH_KINDS, OrgKind.PARTY_GROUP])
    if not due:
        return ComplianceFigure(rule=rule, required=0, held=0, organizations=units.none())

    # kinds owed by the same organizations at the same frequency count the same slots
    shared: dict = {}
    for kind, slots_due in due.items():
        shared.setdefault((_owes_class(kind), slots_due), []).append(kind)
    terms = []
    for (_owner, slots_due), same in shared.items():
        lowest, highest = slots_due.lived(F("founded_on"), F("dissolved_on"))
        count = Greatest(highest - lowest + Value(1), Value(0), output_field=INTEGER)
        terms.append(
            Case(
                When(_owes(same[0]), then=count * Value(len(same))),
                default=Value(0),
                output_field=INTEGER,
            )
        )
    required_slots = functools.reduce(operator.add, terms)
    required = units.aggregate(total=Sum(required_slots))["total"] or 0

    # held: the distinct (organization, kind, slot) of the meetings in a due slot of their kind,
    # of an organization that owes the kind and existed for all of that slot
    # kinds of one frequency share their slots (and the test of an organization's life)
    by_frequency: dict = {}
    for kind, slots_due in due.items():
        by_frequency.setdefault(slots_due, []).append(kind)
    slot = Case(
        *(
            When(
                kind__in=same,
                then=Trunc("held_on", FREQUENCY_OF_STEP[slots_due.step], output_field=DateField()),
            )
            for slots_due, same in by_frequency.items()
        ),
        output_field=DateField(),
    )
    lived = functools.reduce(
        operator.or_,
        (
            Q(kind__in=same)
            & slots_due.window()
            & slots_due.held_while_lived(F("organization__founded_on"), F("organization__dissolved_on"))
            for slots_due, same in by_frequency.items()
        ),
    )
    owes = functools.reduce(operator.or_, (Q(kind=kind) & _owes(kind, "organization__") for kind in due))
    held = (
        Meeting.objects.filter(organization__in=units.values("pk"), kind__in=list(due))
        .annotate(slot=slot)
        .filter(owes & lived)
        .values("organization_id", "kind", "slot")
        .distinct()
        .count()
    )

    held_terms = []
    for kind, slots_due in due.items():
        counted = (
            Meeting.objects.filter(organization=OuterRef("pk"), kind=kind)
            .filter(slots_due.window())
            .annotate(slot=Trunc("held_on", FREQUENCY_OF_STEP[slots_due.step], output_field=DateField()))
            .filter(slots_due.held_while_lived(_outer_date("founded_on"), _outer_date("dissolved_on")))
            .order_by()
            .values("organization")
            .annotate(n=Count("slot", distinct=True))
            .values("n")
        )
        held_terms.append(
            Case(
                When(_owes(kind), then=Coalesce(Subquery(counted, output_field=INTEGER), Value(0))),
                default=Value(0),
                output_field=INTEGER,
            )
        )
    owing = (
        units.annotate(required_slots=required_slots)
        .filter(required_slots__gt=0)
        .annotate(held_slots=functools.reduce(operator.add, held_terms))
        .order_by("path")
    )
    return ComplianceFigure(rule=rule, required=required, held=held, organizations=owing)


__all__ = [
    "SANHUI_YIKE",
    "Compliance",
    "ComplianceFigure",
    "Requirement",
    "Slot",
    "compliance",
    "compliance_figure",
    "meeting_list",
    "slots",
]


def duty_completion(duty_list) -> tuple[int, int]:
    """(items done, items) of a duty list."""
    items = list(duty_list.items.all())
    return sum(1 for item in items if item.status == "done"), len(items)
