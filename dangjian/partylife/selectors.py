"""Reads of party life through the user's scope, and the compliance of 组织生活 with the required
frequencies (versioned rule)."""

import datetime
import functools
from dataclasses import dataclass, field

from django.db.models import Q
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


__all__ = [
    "SANHUI_YIKE",
    "Compliance",
    "Requirement",
    "Slot",
    "compliance",
    "meeting_list",
    "slots",
]


def duty_completion(duty_list) -> tuple[int, int]:
    """(items done, items) of a duty list."""
    items = list(duty_list.items.all())
    return sum(1 for item in items if item.status == "done"), len(items)
