"""Compliance of 组织生活 with the required frequencies (default rule): 支部党员大会 once a quarter,
支委会 once a month (branches with a committee), 党小组会 once a month per party group, 党课 once a
quarter, 主题党日 once a month, 组织生活会 and 民主评议党员 once a year. A month, quarter or year is
required once it has ended while the organization existed for all of it; each overdue one is a
warning on the organization; the back office shows the table."""

import datetime

import pytest
from django.utils import timezone

from dangjian.accounts.models import Grant
from dangjian.core.models import RuleSet
from dangjian.core.rules import rules_for
from dangjian.core.scope import restrict
from dangjian.organizations.models import OrgKind, PartyOrganization
from dangjian.organizations.warnings import organization_warnings
from dangjian.partylife import rules, services
from dangjian.partylife.models import MeetingKind
from dangjian.partylife.selectors import Slot, compliance, slots
from dangjian.testing.factories import make_org, make_user

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)
AFTER_2025 = D(2026, 3, 1)  # a "today" when all of 2025 has ended
START_2025, END_2025 = D(2025, 1, 1), D(2025, 12, 31)

BG = MeetingKind.BRANCH_GENERAL
COMMITTEE = MeetingKind.COMMITTEE
GROUP = MeetingKind.GROUP
LECTURE = MeetingKind.LECTURE
THEME = MeetingKind.THEME_DAY
LIFE = MeetingKind.LIFE_MEETING
REVIEW = MeetingKind.MEMBER_REVIEW


def hold(org, kind, day, theme=None):
    return services.meeting_create(
        actor=None, organization=org, kind=kind, held_on=day, theme=theme or f"{kind} {day}"
    )


def year_2025(*orgs, today=AFTER_2025, start=START_2025, end=END_2025):
    """Compliance of `orgs` (all organizations when none are given) for 2025 or another period."""
    queryset = PartyOrganization.objects.all()
    if orgs:
        queryset = queryset.filter(pk__in=[o.pk for o in orgs])
    return compliance(organizations=queryset, start=start, end=end, today=today)


def required(result, org):
    """kind → number of required slots, for one organization."""
    return {r.kind: len(r.required) for r in result.requirements if r.organization.pk == org.pk}


def requirement(result, org, kind):
    found = [r for r in result.requirements if r.organization.pk == org.pk and r.kind == kind]
    assert len(found) == 1, found
    return found[0]


def labels(found):
    return [slot.label for slot in found]


def branch(zone, name="测试党支部", **fields):
    return make_org(name, OrgKind.BRANCH, zone.root, **fields)


@pytest.fixture
def today(monkeypatch):
    """Set the date that timezone.localdate() returns (the warnings use today); the stored
    warnings are refreshed on the new day, as the daily job refreshes them."""
    from dangjian.organizations.services import refresh_warnings

    def set_today(day):
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
        refresh_warnings()
        return day

    return set_today


# -- slots --------------------------------------------------------------------------------------
def test_a_year_has_twelve_months_four_quarters_and_one_year():
    year = (D(2025, 1, 1), D(2025, 12, 31))
    assert len(slots("month", *year)) == 12
    assert labels(slots("quarter", *year)) == [
        "2025年第1季度",
        "2025年第2季度",
        "2025年第3季度",
        "2025年第4季度",
    ]
    assert slots("year", *year) == [Slot(D(2025, 1, 1), D(2025, 12, 31))]
    assert labels(slots("year", *year)) == ["2025年"]


def test_slots_are_only_those_wholly_within_the_range():
    assert labels(slots("month", D(2025, 3, 15), D(2025, 6, 30))) == ["2025年4月", "2025年5月", "2025年6月"]
    assert labels(slots("month", D(2025, 3, 1), D(2025, 5, 30))) == ["2025年3月", "2025年4月"]
    assert labels(slots("quarter", D(2025, 4, 1), D(2025, 9, 29))) == ["2025年第2季度"]
    assert slots("year", D(2025, 1, 2), D(2025, 12, 31)) == []


def test_a_february_slot_ends_on_its_last_day():
    assert slots("month", D(2024, 2, 1), D(2024, 2, 29)) == [Slot(D(2024, 2, 1), D(2024, 2, 29))]
    assert slots("month", D(2025, 2, 1), D(2025, 2, 28)) == [Slot(D(2025, 2, 1), D(2025, 2, 28))]


def test_slots_run_across_a_year_end():
    assert labels(slots("month", D(2025, 11, 1), D(2026, 2, 28))) == [
        "2025年11月",
        "2025年12月",
        "2026年1月",
        "2026年2月",
    ]


# -- what is required ---------------------------------------------------------------------------
def test_a_branch_without_a_committee_owes_the_default_frequencies_for_a_year(zone):
    result = year_2025(zone.branch_b)
    assert required(result, zone.branch_b) == {BG: 4, LECTURE: 4, THEME: 12, LIFE: 1, REVIEW: 1}
    assert requirement(result, zone.branch_b, THEME).frequency_label == "每月"
    assert requirement(result, zone.branch_b, BG).frequency_label == "每季度"
    assert requirement(result, zone.branch_b, LIFE).frequency_label == "每年"


def test_committee_meetings_are_owed_only_by_a_branch_with_a_committee(zone):
    with_committee = branch(zone, "设委员会党支部", has_committee=True)
    result = year_2025(zone.branch_b, with_committee)
    assert COMMITTEE not in required(result, zone.branch_b)
    assert required(result, with_committee)[COMMITTEE] == 12


def test_a_party_group_owes_only_monthly_group_meetings(zone):
    result = year_2025(zone.branch_a1, zone.group_a1)
    assert required(result, zone.group_a1) == {GROUP: 12}
    assert GROUP not in required(result, zone.branch_a1)


def test_every_party_group_owes_its_own_group_meetings(zone):
    group_2 = make_org("甲一第2党小组", OrgKind.PARTY_GROUP, zone.branch_a1)
    hold(zone.group_a1, GROUP, D(2025, 5, 10))
    hold(zone.branch_a1, GROUP, D(2025, 6, 10))  # the branch's own does not fill a group's month
    result = year_2025(zone.branch_a1, zone.group_a1, group_2)
    assert labels(requirement(result, zone.group_a1, GROUP).held) == ["2025年5月"]
    assert requirement(result, group_2, GROUP).held == []
    assert len(requirement(result, group_2, GROUP).overdue) == 12


def test_committees_and_the_working_committee_owe_nothing(zone):
    result = year_2025()
    owing = {r.organization.name for r in result.requirements}
    assert owing == {"甲一党支部", "甲一第1党小组", "甲二党支部", "乙企业党支部"}


@pytest.mark.parametrize("kind", [OrgKind.JOINT_BRANCH, OrgKind.TEMPORARY_BRANCH])
def test_joint_and_temporary_branches_owe_like_a_branch(zone, kind):
    other = make_org("另一支部", kind, zone.root)
    assert required(year_2025(other), other) == {BG: 4, LECTURE: 4, THEME: 12, LIFE: 1, REVIEW: 1}


# -- what is held -------------------------------------------------------------------------------
def test_a_meeting_on_the_last_day_of_a_quarter_fills_that_quarter_and_the_next_day_the_next(zone):
    hold(zone.branch_b, BG, D(2025, 3, 31))
    hold(zone.branch_b, BG, D(2025, 4, 1))
    found = requirement(year_2025(zone.branch_b), zone.branch_b, BG)
    assert labels(found.held) == ["2025年第1季度", "2025年第2季度"]
    assert labels(found.overdue) == ["2025年第3季度", "2025年第4季度"]


def test_meetings_on_1_january_and_31_december_count_for_that_year(zone):
    hold(zone.branch_b, LIFE, D(2025, 1, 1))
    hold(zone.branch_b, REVIEW, D(2025, 12, 31))
    result = year_2025(zone.branch_b)
    assert labels(requirement(result, zone.branch_b, LIFE).held) == ["2025年"]
    assert labels(requirement(result, zone.branch_b, REVIEW).held) == ["2025年"]


def test_meetings_on_31_december_before_and_1_january_after_do_not_count(zone):
    hold(zone.branch_b, LIFE, D(2024, 12, 31))
    hold(zone.branch_b, LIFE, D(2026, 1, 1))
    found = requirement(year_2025(zone.branch_b), zone.branch_b, LIFE)
    assert found.held == []
    assert labels(found.overdue) == ["2025年"]


def test_two_meetings_in_one_month_fill_only_that_month(zone):
    hold(zone.branch_b, THEME, D(2025, 5, 1), "五月一")
    hold(zone.branch_b, THEME, D(2025, 5, 31), "五月二")
    found = requirement(year_2025(zone.branch_b), zone.branch_b, THEME)
    assert labels(found.held) == ["2025年5月"]
    assert len(found.overdue) == 11


def test_a_meeting_of_another_kind_does_not_fill_a_slot(zone):
    hold(zone.branch_b, THEME, D(2025, 2, 10))
    hold(zone.branch_b, MeetingKind.WORK_CONFERENCE, D(2025, 2, 11))
    result = year_2025(zone.branch_b)
    assert requirement(result, zone.branch_b, BG).held == []
    assert requirement(result, zone.branch_b, LECTURE).held == []


def test_a_meeting_of_another_organization_does_not_fill_a_slot(zone):
    hold(zone.branch_a1, BG, D(2025, 2, 10))
    hold(zone.committee_a, BG, D(2025, 5, 10))  # the committee above does not hold it for the branch
    assert requirement(year_2025(zone.branch_a2), zone.branch_a2, BG).held == []


def test_totals_add_up_required_and_held(zone):
    hold(zone.branch_b, THEME, D(2025, 1, 10))
    hold(zone.branch_b, BG, D(2025, 1, 10))
    result = year_2025(zone.branch_b)
    assert result.totals() == (22, 2)
    assert result.totals(kinds=[BG, LECTURE]) == (8, 1)


# -- founded and dissolved in the period --------------------------------------------------------
def test_a_branch_founded_on_the_first_day_of_a_quarter_owes_that_quarter(zone):
    new = branch(zone, founded_on=D(2025, 4, 1))
    owed = required(year_2025(new), new)
    assert (owed[BG], owed[THEME]) == (3, 9)


def test_a_branch_founded_the_day_after_owes_from_the_next_month_and_quarter(zone):
    new = branch(zone, founded_on=D(2025, 4, 2))
    result = year_2025(new)
    assert labels(requirement(result, new, BG).required) == ["2025年第3季度", "2025年第4季度"]
    assert labels(requirement(result, new, THEME).required)[0] == "2025年5月"
    assert len(requirement(result, new, THEME).required) == 8


def test_a_branch_founded_mid_year_owes_no_yearly_meeting_that_year(zone):
    new = branch(zone, founded_on=D(2025, 1, 2))
    owed = required(year_2025(new), new)
    assert (owed[LIFE], owed[REVIEW]) == (0, 0)
    assert (
        required(year_2025(new, start=D(2026, 1, 1), end=D(2026, 12, 31), today=D(2027, 1, 1)), new)[LIFE]
        == 1
    )


def test_a_branch_dissolved_on_the_last_day_of_a_quarter_owes_that_quarter(zone):
    gone = branch(zone, dissolved_on=D(2025, 6, 30))
    result = year_2025(gone)
    assert labels(requirement(result, gone, BG).required) == ["2025年第1季度", "2025年第2季度"]
    assert len(requirement(result, gone, THEME).required) == 6


def test_a_branch_dissolved_the_day_before_does_not_owe_that_quarter(zone):
    gone = branch(zone, dissolved_on=D(2025, 6, 29))
    result = year_2025(gone)
    assert labels(requirement(result, gone, BG).required) == ["2025年第1季度"]
    assert len(requirement(result, gone, THEME).required) == 5
    assert requirement(result, gone, LIFE).required == []


def test_a_branch_dissolved_before_the_period_or_founded_after_it_owes_nothing(zone):
    gone = branch(zone, "已撤销党支部", dissolved_on=D(2024, 12, 31))
    future = branch(zone, "未成立党支部", founded_on=D(2026, 1, 1))
    result = year_2025(gone, future)
    assert result.requirements == []


def test_a_branch_dissolved_on_the_first_day_of_the_period_is_listed_but_owes_nothing(zone):
    gone = branch(zone, dissolved_on=D(2025, 1, 1))
    result = year_2025(gone)
    assert set(required(result, gone).values()) == {0}


# -- the running period -------------------------------------------------------------------------
def test_the_running_month_is_current_not_required(zone):
    hold(zone.branch_b, THEME, D(2026, 5, 15))
    result = year_2025(zone.branch_b, start=D(2026, 1, 1), end=D(2026, 12, 31), today=D(2026, 5, 15))
    found = requirement(result, zone.branch_b, THEME)
    assert labels(found.required) == ["2026年1月", "2026年2月", "2026年3月", "2026年4月"]
    assert (found.current.label, found.current_held) == ("2026年5月", True)
    quarter = requirement(result, zone.branch_b, BG)
    assert labels(quarter.required) == ["2026年第1季度"]
    assert (quarter.current.label, quarter.current_held) == ("2026年第2季度", False)
    assert requirement(result, zone.branch_b, LIFE).required == []


def test_a_month_is_required_from_the_day_after_it_ends(zone):
    period = {"start": D(2026, 1, 1), "end": D(2026, 12, 31)}
    on_last_day = requirement(year_2025(zone.branch_b, today=D(2026, 4, 30), **period), zone.branch_b, THEME)
    assert labels(on_last_day.required)[-1] == "2026年3月"
    assert on_last_day.current.label == "2026年4月"
    next_day = requirement(year_2025(zone.branch_b, today=D(2026, 5, 1), **period), zone.branch_b, THEME)
    assert labels(next_day.required)[-1] == "2026年4月"
    assert next_day.current.label == "2026年5月"


def test_a_past_period_has_no_current_slot(zone):
    found = requirement(year_2025(zone.branch_b, today=D(2026, 5, 15)), zone.branch_b, THEME)
    assert found.current is None
    assert len(found.required) == 12


# -- scope and rule version ---------------------------------------------------------------------
def test_compliance_covers_only_the_organizations_given(zone, secretary_a):
    mine = restrict(secretary_a, PartyOrganization.objects.all(), "view")
    result = compliance(organizations=mine, start=D(2025, 1, 1), end=D(2025, 12, 31), today=AFTER_2025)
    assert {r.organization.name for r in result.requirements} == {"甲一党支部", "甲一第1党小组", "甲二党支部"}


def test_compliance_uses_the_frequency_rule_in_force_at_the_period_end(zone):
    rules_for(rules.FREQUENCY, D(2025, 1, 1))
    values = dict(rules_for(rules.FREQUENCY, D(2025, 1, 1)).values, theme_day="quarter")
    newer = RuleSet.objects.create(
        key=rules.FREQUENCY, version=2, effective_from=D(2026, 1, 1), values=values
    )
    assert year_2025(zone.branch_b).rule.version == 1
    assert required(year_2025(zone.branch_b), zone.branch_b)[THEME] == 12
    result = year_2025(zone.branch_b, start=D(2026, 1, 1), end=D(2026, 12, 31), today=D(2027, 1, 1))
    assert result.rule == newer
    assert required(result, zone.branch_b)[THEME] == 4


# -- warnings -----------------------------------------------------------------------------------
def meeting_warnings_of(org):
    found = organization_warnings(user=None, organizations=PartyOrganization.objects.filter(pk=org.pk))
    return {w.code: w.message for w in found if w.code.startswith("overdue_") and w.organization.pk == org.pk}


def hold_all_of_q1_2026(org, skip=()):
    for month in (1, 2, 3):
        if (THEME, month) not in skip:
            hold(org, THEME, D(2026, month, 5))
    if BG not in skip:
        hold(org, BG, D(2026, 3, 5))
    hold(org, LECTURE, D(2026, 3, 6))


def test_a_month_missed_is_a_warning_the_day_after_it_ends(zone, today):
    new = branch(zone, founded_on=D(2026, 1, 1))  # nothing owed from last year
    hold_all_of_q1_2026(new, skip=[(THEME, 3)])
    today(D(2026, 4, 1))
    assert meeting_warnings_of(new) == {"overdue_theme_day": "主题党日（每月）逾期未开：2026年3月"}


def test_a_month_missed_is_no_warning_on_its_last_day(zone, today):
    new = branch(zone, founded_on=D(2026, 1, 1))  # nothing owed from last year
    hold_all_of_q1_2026(new, skip=[(THEME, 3)])
    today(D(2026, 3, 31))
    assert meeting_warnings_of(new) == {}


def test_a_quarter_missed_is_a_warning_the_day_after_it_ends(zone, today):
    new = branch(zone, founded_on=D(2026, 1, 1))  # nothing owed from last year
    hold_all_of_q1_2026(new, skip=[BG])
    today(D(2026, 3, 31))
    assert meeting_warnings_of(new) == {}
    today(D(2026, 4, 1))
    assert meeting_warnings_of(new) == {
        "overdue_branch_general_meeting": "支部党员大会（每季度）逾期未开：2026年第1季度"
    }


def test_a_warning_names_the_last_three_missed_and_how_many(zone, today):
    new = branch(zone, founded_on=D(2026, 1, 1))  # nothing owed from last year
    today(D(2026, 5, 1))
    message = meeting_warnings_of(new)["overdue_theme_day"]
    assert message == "主题党日（每月）逾期未开：2026年2月、2026年3月、2026年4月等 4 次"


def test_a_party_group_that_missed_a_month_has_a_warning(zone, today):
    zone.group_a1.founded_on = D(2026, 1, 1)
    zone.group_a1.save(update_fields=["founded_on"])
    hold(zone.group_a1, GROUP, D(2026, 1, 20))
    today(D(2026, 3, 1))
    assert meeting_warnings_of(zone.group_a1) == {
        "overdue_group_meeting": "党小组会（每月）逾期未开：2026年2月"
    }


def test_a_branch_with_a_committee_warns_about_missed_committee_meetings(zone, today):
    new = branch(zone, has_committee=True, founded_on=D(2026, 1, 1))
    hold_all_of_q1_2026(new)
    for month in (1, 2):
        hold(new, COMMITTEE, D(2026, month, 8))
    today(D(2026, 4, 1))
    assert meeting_warnings_of(new) == {"overdue_committee_meeting": "支委会（每月）逾期未开：2026年3月"}


def test_a_dissolved_branch_has_no_meeting_warnings(zone, today):
    gone = branch(zone, dissolved_on=D(2026, 2, 1))
    today(D(2026, 5, 1))
    assert meeting_warnings_of(gone) == {}


def test_a_secretary_sees_meeting_warnings_only_in_their_subtree(zone, secretary_a, today):
    Grant.objects.filter(user=secretary_a).update(valid_from=D(2020, 1, 1))
    today(D(2026, 5, 1))
    warned = {
        w.organization.name for w in organization_warnings(user=secretary_a) if w.code.startswith("overdue_")
    }
    assert warned == {"甲一党支部", "甲一第1党小组", "甲二党支部"}


def test_a_yearly_meeting_missed_last_year_is_a_warning_in_the_new_year(zone, today):
    new = branch(zone, founded_on=D(2025, 1, 1))
    today(D(2026, 1, 5))
    assert meeting_warnings_of(new)["overdue_life_meeting"] == "组织生活会（每年）逾期未开：2025年"


def test_what_was_missed_two_years_ago_is_no_longer_a_warning(zone, today):
    new = branch(zone, founded_on=D(2024, 1, 1))
    today(D(2026, 1, 5))
    message = meeting_warnings_of(new)["overdue_life_meeting"]
    assert "2024年" not in message


# -- the back-office page -----------------------------------------------------------------------
URL = "/admin/partylife/meeting/compliance/"


def test_the_compliance_page_shows_required_held_and_overdue(zone, zone_admin, client):
    hold(zone.branch_b, BG, D(2025, 2, 1))
    client.force_login(zone_admin)
    response = client.get(URL, {"year": 2025})
    assert response.status_code == 200
    result = response.context["result"]
    assert {r.organization.name for r in result.requirements} == {
        "甲一党支部",
        "甲一第1党小组",
        "甲二党支部",
        "乙企业党支部",
    }
    found = requirement(result, zone.branch_b, BG)
    assert (len(found.required), len(found.held)) == (4, 1)
    content = response.content.decode()
    assert "2025年第2季度、2025年第3季度、2025年第4季度" in content
    assert "组织生活落实情况" in content


def test_the_compliance_page_narrows_to_a_chosen_subtree(zone, zone_admin, client):
    client.force_login(zone_admin)
    response = client.get(URL, {"year": 2025, "organization": zone.committee_a.pk})
    names = {r.organization.name for r in response.context["result"].requirements}
    assert names == {"甲一党支部", "甲一第1党小组", "甲二党支部"}


def test_a_secretary_sees_only_their_subtree_on_the_compliance_page(zone, secretary_a, client):
    client.force_login(secretary_a)
    response = client.get(URL, {"year": 2025})
    assert response.status_code == 200
    names = {r.organization.name for r in response.context["result"].requirements}
    assert names == {"甲一党支部", "甲一第1党小组", "甲二党支部"}
    assert "乙企业党支部" not in response.content.decode()


def test_a_secretary_cannot_choose_an_organization_outside_their_subtree(zone, secretary_a, client):
    client.force_login(secretary_a)
    response = client.get(URL, {"year": 2025, "organization": zone.branch_b.pk})
    assert response.status_code == 200
    assert response.context["result"] is None
    assert "organization" in response.context["form"].errors


def test_the_compliance_page_defaults_to_this_year(zone, zone_admin, client):
    client.force_login(zone_admin)
    response = client.get(URL)
    result = response.context["result"]
    assert result.start == D(timezone.localdate().year, 1, 1)


def test_the_compliance_page_is_forbidden_without_the_meeting_permission(zone, client):
    client.force_login(make_user("system_admin"))
    assert client.get(URL, {"year": 2025}).status_code == 403


def test_the_slots_of_the_same_bounds_are_a_fresh_list_each_time():
    first = slots("quarter", D(2025, 1, 1), D(2025, 12, 31))
    first.append(Slot(D(2030, 1, 1), D(2030, 3, 31)))
    again = slots("quarter", D(2025, 1, 1), D(2025, 12, 31))
    assert [s.start for s in again] == [D(2025, 1, 1), D(2025, 4, 1), D(2025, 7, 1), D(2025, 10, 1)]


@pytest.mark.parametrize(
    ("frequency", "day", "start"),
    [
        ("month", D(2025, 1, 31), D(2025, 1, 1)),
        ("month", D(2025, 2, 1), D(2025, 2, 1)),
        ("quarter", D(2025, 3, 31), D(2025, 1, 1)),
        ("quarter", D(2025, 4, 1), D(2025, 4, 1)),
        ("quarter", D(2025, 12, 31), D(2025, 10, 1)),
        ("year", D(2025, 12, 31), D(2025, 1, 1)),
        ("year", D(2026, 1, 1), D(2026, 1, 1)),
    ],
)
def test_a_day_belongs_to_the_slot_that_starts_on(frequency, day, start):
    from dangjian.partylife.selectors import slot_start

    assert slot_start(frequency, day) == start
    assert any(
        s.start == start and s.start <= day <= s.end for s in slots(frequency, D(2025, 1, 1), D(2026, 12, 31))
    )
