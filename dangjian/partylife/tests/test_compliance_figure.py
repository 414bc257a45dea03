"""The compliance figure counted by the database (`compliance_figure`) gives exactly what the
per-organization `compliance` gives: the same slots due and held in total and for each
organization, over organizations founded or dissolved during the period, party groups, branches
with and without a committee, periods that do not start or end on a month's edge, a period still
running on `today`, meetings outside the organization's life, and a newer frequency rule."""

import datetime
import random

import pytest

from dangjian.core.models import RuleSet
from dangjian.core.rules import rules_for
from dangjian.organizations.models import OrgKind, PartyOrganization
from dangjian.partylife import rules, services
from dangjian.partylife.models import SANHUI_YIKE, MeetingKind
from dangjian.partylife.selectors import compliance, compliance_figure
from dangjian.testing.factories import make_org

D = datetime.date


def per_organization(result):
    owed = {}
    for r in result.requirements:
        if r.required:
            required, held = owed.get(r.organization.pk, (0, 0))
            owed[r.organization.pk] = (required + len(r.required), held + len(r.held))
    return owed


def assert_same(organizations, start, end, today, kinds):
    python = compliance(organizations=organizations, start=start, end=end, today=today, kinds=kinds)
    sql = compliance_figure(organizations=organizations, start=start, end=end, today=today, kinds=kinds)
    assert (sql.required, sql.held) == python.totals(), (start, end, today, kinds)
    assert sql.rule == python.rule
    expected = per_organization(python)
    got = {org.pk: (org.required_slots, org.held_slots) for org in sql.organizations}
    assert got == expected
    assert list(sql.organizations.values_list("pk", flat=True)) == sorted(
        expected, key=lambda pk: PartyOrganization.objects.get(pk=pk).path
    )
    assert sql.organizations.count() == len(expected)
    return sql


@pytest.fixture
def world(zone):
    """Branches with and without a committee, party groups, a general branch (owes nothing),
    organizations founded and dissolved on and off slot edges, and meetings of every kind on
    random days of 2024–2026, some of them outside the organization's life."""
    rng = random.Random(5)
    lives = [
        (None, None),
        (D(2025, 3, 15), None),  # founded mid-quarter
        (D(2025, 4, 1), None),  # founded on a quarter's first day
        (None, D(2025, 8, 31)),  # dissolved on a month's last day
        (None, D(2025, 9, 29)),  # dissolved before the quarter ended
        (D(2025, 2, 1), D(2025, 11, 30)),
        (D(2026, 1, 1), None),  # founded after 2025
        (None, D(2024, 12, 31)),  # dissolved before 2025
    ]
    created, dates = [], {}
    for n, life in enumerate(lives):
        branch = make_org(
            f"对照党支部{n}",
            OrgKind.BRANCH if n % 3 else OrgKind.JOINT_BRANCH,
            zone.committee_a if n % 2 else zone.root,
            has_committee=n % 2 == 0,
        )
        group = make_org(f"对照党小组{n}", OrgKind.PARTY_GROUP, branch)
        created += [branch, group]
        dates[branch.pk] = dates[group.pk] = life
    created.append(make_org("对照党总支", OrgKind.GENERAL_BRANCH, zone.root))
    kinds = [*SANHUI_YIKE, MeetingKind.THEME_DAY, MeetingKind.LIFE_MEETING]
    for org in created:
        for n in range(40):
            day = D(2024, 11, 1) + datetime.timedelta(days=rng.randint(0, 500))
            services.meeting_create(
                actor=None, organization=org, kind=rng.choice(kinds), held_on=day, theme=f"会{n}"
            )
    # founded and dissolved after the meetings were recorded: those outside the organization's
    # life never count as held
    for pk, (founded, dissolved) in dates.items():
        PartyOrganization.objects.filter(pk=pk).update(founded_on=founded, dissolved_on=dissolved)
    return created


@pytest.mark.parametrize(
    "start,end,today",
    [
        (D(2025, 1, 1), D(2025, 12, 31), D(2026, 3, 1)),  # a year that has ended
        (D(2025, 1, 1), D(2025, 12, 31), D(2025, 8, 15)),  # a year still running
        (D(2025, 1, 1), D(2025, 12, 31), D(2025, 7, 1)),  # today the first day of a quarter
        (D(2025, 2, 10), D(2025, 11, 20), D(2026, 1, 1)),  # off every edge
        (D(2024, 11, 1), D(2026, 2, 28), D(2026, 3, 1)),  # over three calendar years
        (D(2025, 1, 1), D(2025, 12, 31), D(2025, 1, 1)),  # nothing has ended yet
    ],
)
@pytest.mark.parametrize("kinds", [SANHUI_YIKE, None])
def test_the_sql_figure_equals_the_per_organization_compliance(zone, world, start, end, today, kinds):
    for scope in (
        PartyOrganization.objects.all(),
        PartyOrganization.objects.filter(path__startswith=zone.committee_a.path),
    ):
        assert_same(scope, start, end, today, kinds)


def test_the_sql_figure_follows_a_newer_frequency_rule(zone, world):
    values = dict(
        rules_for(rules.FREQUENCY, D(2025, 1, 1)).values, party_lecture="month", group_meeting="quarter"
    )
    newer = RuleSet.objects.create(
        key=rules.FREQUENCY, version=2, effective_from=D(2025, 6, 1), values=values
    )
    sql = assert_same(
        PartyOrganization.objects.all(), D(2025, 1, 1), D(2025, 12, 31), D(2026, 1, 5), SANHUI_YIKE
    )
    assert sql.rule == newer


def test_the_sql_figure_counts_one_slot_once_however_many_meetings_it_had(zone):
    for day in (D(2025, 1, 5), D(2025, 2, 5), D(2025, 3, 5), D(2025, 5, 1)):
        services.meeting_create(
            actor=None,
            organization=zone.branch_b,
            kind=MeetingKind.BRANCH_GENERAL,
            held_on=day,
            theme=f"会{day}",
        )
    organizations = PartyOrganization.objects.filter(pk=zone.branch_b.pk)
    sql = assert_same(organizations, D(2025, 1, 1), D(2025, 12, 31), D(2026, 1, 1), SANHUI_YIKE)
    # 乙企业党支部 owes 4 支部党员大会 and 4 党课; Q1 and Q2 held
    assert (sql.required, sql.held) == (8, 2)
    assert [(o.required_slots, o.held_slots) for o in sql.organizations] == [(8, 2)]


def test_the_sql_figure_owes_nothing_before_anything_ended(zone):
    organizations = PartyOrganization.objects.all()
    sql = compliance_figure(
        organizations=organizations,
        start=D(2025, 1, 1),
        end=D(2025, 12, 31),
        today=D(2025, 1, 20),
        kinds=SANHUI_YIKE,
    )
    assert (sql.required, sql.held) == (0, 0)
    assert not sql.organizations.exists()
