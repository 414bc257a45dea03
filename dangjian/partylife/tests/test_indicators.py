"""Party-life indicators exactly as INDICATORS.md defines them: period edges (1 January and
31 December count, the days around them do not), kinds, scope (subtree or root, and the
user's own scope), money sums, and the 三会一课 compliance rate."""

import datetime
from decimal import Decimal

import pytest

from dangjian.core.indicators import Period, compute, get, json_value
from dangjian.core.testing.ledgers import import_rows
from dangjian.organizations.models import OrgKind
from dangjian.partylife import services
from dangjian.partylife.models import ActivityKind, LecturerRole, MeetingKind, TrainingKind
from dangjian.testing.factories import make_org

D = datetime.date
Y2025 = Period.year(2025)
INSIDE = [D(2025, 1, 1), D(2025, 12, 31)]
OUTSIDE = [D(2024, 12, 31), D(2026, 1, 1)]
_seq = iter(range(1, 100000))


def value(code, scope=None, period=Y2025, **kwargs):
    result = compute(code, period=period, scope=scope, **kwargs)
    if code in COUNT_CODES:  # a count is the number of records behind it
        assert result.records.count() == result.value, code
    return result.value


def meeting(org, kind, day, **fields):
    return services.meeting_create(
        actor=None, organization=org, kind=kind, held_on=day, theme=f"会议{next(_seq)}", **fields
    )


def training(kind, day, count=10, org=None, **fields):
    return services.training_save(
        actor=None,
        name=f"培训{next(_seq)}",
        kind=kind,
        start_on=day,
        attendance_count=count,
        organization=org,
        **fields,
    )


def activity(kind, day, org=None, **fields):
    return services.activity_save(
        actor=None, name=f"活动{next(_seq)}", kind=kind, held_on=day, organization=org, **fields
    )


def document(day, org=None):
    return services.document_save(
        actor=None, number=f"文{next(_seq)}号", title="文件", issued_on=day, organization=org
    )


EXPECTED = {
    "documents.issued": ("印发文件数", "份"),
    "meetings.work_conferences": ("党建工作会议次数", "次"),
    "meetings.theme_days": ("主题党日次数", "次"),
    "meetings.lectures_by_leaders": ("领导讲党课次数", "次"),
    "trainings.sessions": ("培训期数", "期"),
    "trainings.attendance": ("培训人次", "人次"),
    "trainings.talent_sessions": ("人才培训期数", "期"),
    "trainings.talent_attendance": ("人才培训人次", "人次"),
    "activities.practice": ("实践活动次数", "次"),
    "activities.public_welfare": ("公益活动次数", "次"),
    "activities.donations": ("捐款金额", "元"),
    "activities.entrepreneur_forums": ("企业家座谈会次数", "次"),
    "activities.business_meals": ("营商环境早餐会晚餐会场次", "场"),
    "activities.site_and_finance_meetings": ("项目现场会联席会银企对接会次数", "次"),
    "activities.enterprise_visits": ("深入企业活动次数", "次"),
    "meetings.compliance_rate": ("三会一课落实率", "%"),
}


@pytest.mark.parametrize("code", list(EXPECTED))
def test_indicator_is_registered_with_its_name_and_unit(code):
    indicator = get(code)
    assert (indicator.name, indicator.unit) == EXPECTED[code]


# -- period edges of every count ----------------------------------------------------------------
def _makers(zone):
    """code → a function making one record that counts for it on a given day."""
    return {
        "documents.issued": lambda day: document(day),
        "meetings.work_conferences": lambda day: meeting(zone.committee_a, MeetingKind.WORK_CONFERENCE, day),
        "meetings.theme_days": lambda day: meeting(zone.branch_a1, MeetingKind.THEME_DAY, day),
        "meetings.lectures_by_leaders": lambda day: meeting(
            zone.branch_a1, MeetingKind.LECTURE, day, lecturer="王书记", lecturer_role=LecturerRole.SECRETARY
        ),
        "trainings.sessions": lambda day: training(TrainingKind.SPECIAL_CLASS, day),
        "trainings.talent_sessions": lambda day: training(TrainingKind.TALENT, day),
        "activities.practice": lambda day: activity(ActivityKind.PRACTICE, day),
        "activities.public_welfare": lambda day: activity(ActivityKind.PUBLIC_WELFARE, day),
        "activities.entrepreneur_forums": lambda day: activity(ActivityKind.ENTREPRENEUR_FORUM, day),
        "activities.business_meals": lambda day: activity(ActivityKind.BREAKFAST, day),
        "activities.site_and_finance_meetings": lambda day: activity(ActivityKind.SITE_MEETING, day),
        "activities.enterprise_visits": lambda day: activity(ActivityKind.ENTERPRISE_VISIT, day),
    }


COUNT_CODES = [
    "documents.issued",
    "meetings.work_conferences",
    "meetings.theme_days",
    "meetings.lectures_by_leaders",
    "trainings.sessions",
    "trainings.talent_sessions",
    "activities.practice",
    "activities.public_welfare",
    "activities.entrepreneur_forums",
    "activities.business_meals",
    "activities.site_and_finance_meetings",
    "activities.enterprise_visits",
]


@pytest.mark.parametrize("code", COUNT_CODES)
def test_records_on_1_january_and_31_december_count_for_the_year(zone, code):
    make = _makers(zone)[code]
    for day in INSIDE:
        make(day)
    assert value(code) == 2


@pytest.mark.parametrize("code", COUNT_CODES)
def test_records_on_the_day_before_and_after_the_year_do_not_count(zone, code):
    make = _makers(zone)[code]
    for day in OUTSIDE:
        make(day)
    assert value(code) == 0
    assert value(code, period=Period.year(2024)) == 1
    assert value(code, period=Period.year(2026)) == 1


@pytest.mark.parametrize("code", COUNT_CODES)
def test_a_deleted_record_no_longer_counts(zone, code):
    record = _makers(zone)[code](D(2025, 6, 1))
    assert value(code) == 1
    if hasattr(record, "vote_kind"):
        services.meeting_delete(actor=None, meeting=record)
    else:
        services.record_delete(actor=None, record=record)
    assert value(code) == 0


# -- kinds --------------------------------------------------------------------------------------
def test_each_meeting_indicator_counts_only_its_own_type(zone):
    for kind in MeetingKind:
        meeting(zone.branch_a1, kind, D(2025, 5, 1), lecturer_role=LecturerRole.COUNTY_LEADER)
    assert value("meetings.work_conferences") == 1
    assert value("meetings.theme_days") == 1
    assert value("meetings.lectures_by_leaders") == 1


def test_lectures_count_only_by_county_leaders_and_secretaries(zone):
    for role in [LecturerRole.COUNTY_LEADER, LecturerRole.SECRETARY, LecturerRole.OTHER, ""]:
        meeting(zone.branch_a1, MeetingKind.LECTURE, D(2025, 5, 1), lecturer="某人", lecturer_role=role)
    result = compute("meetings.lectures_by_leaders", period=Y2025)
    assert result.value == 2
    assert sorted(result.records.values_list("lecturer_role", flat=True)) == ["county_leader", "secretary"]


def test_each_activity_indicator_counts_only_its_own_types(zone):
    for kind in ActivityKind:
        activity(kind, D(2025, 5, 1))
    assert value("activities.practice") == 1
    assert value("activities.public_welfare") == 1
    assert value("activities.entrepreneur_forums") == 1
    assert value("activities.business_meals") == 2  # 早餐会 and 晚餐会
    assert value("activities.site_and_finance_meetings") == 3  # 现场会, 联席会, 银企对接会
    assert value("activities.enterprise_visits") == 1


def test_gov_bank_enterprise_meetings_are_not_bank_enterprise_meetings(zone):
    activity(ActivityKind.GOV_BANK_ENTERPRISE, D(2025, 5, 1))
    activity(ActivityKind.JOINT_MEETING, D(2025, 5, 1))
    assert value("activities.site_and_finance_meetings") == 1


def test_talent_trainings_are_counted_apart_from_other_trainings(zone):
    training(TrainingKind.SPECIAL_CLASS, D(2025, 1, 1), count=40)
    training(TrainingKind.LECTURE_HALL, D(2025, 12, 31), count=60)
    training(TrainingKind.TALENT, D(2025, 6, 1), count=35)
    training(TrainingKind.TALENT, D(2025, 7, 1), count=15)
    assert (value("trainings.sessions"), value("trainings.attendance")) == (2, 100)
    assert (value("trainings.talent_sessions"), value("trainings.talent_attendance")) == (2, 50)
    assert set(compute("trainings.attendance", period=Y2025).records.values_list("kind", flat=True)) == {
        TrainingKind.SPECIAL_CLASS,
        TrainingKind.LECTURE_HALL,
    }


def test_training_attendance_counts_by_start_date_at_the_edges(zone):
    training(TrainingKind.SPECIAL_CLASS, D(2024, 12, 31), count=7, end_on=D(2025, 1, 2))
    training(TrainingKind.SPECIAL_CLASS, D(2025, 12, 31), count=11, end_on=D(2026, 1, 2))
    training(TrainingKind.TALENT, D(2026, 1, 1), count=13)
    assert value("trainings.attendance") == 11
    assert value("trainings.talent_attendance") == 0
    assert value("trainings.attendance", period=Period.year(2024)) == 7


def test_attendance_is_zero_without_trainings(db):
    assert value("trainings.attendance") == 0
    assert value("trainings.talent_attendance") == 0


# -- donations ----------------------------------------------------------------------------------
def test_donations_sum_exactly_as_money_over_every_kind_of_activity(zone):
    activity(ActivityKind.PUBLIC_WELFARE, D(2025, 1, 1), donation=Decimal("12345.50"))
    activity(ActivityKind.COMMUNITY_SERVICE, D(2025, 12, 31), donation=Decimal("0.10"))
    activity(ActivityKind.PRACTICE, D(2025, 6, 1), donation=Decimal("0.20"))
    activity(ActivityKind.PRACTICE, D(2025, 6, 2))  # no donation
    activity(ActivityKind.PUBLIC_WELFARE, D(2024, 12, 31), donation=Decimal("1000"))
    activity(ActivityKind.PUBLIC_WELFARE, D(2026, 1, 1), donation=Decimal("2000"))
    result = compute("activities.donations", period=Y2025)
    assert isinstance(result.value, Decimal)
    assert result.value == Decimal("12345.80")
    assert result.records.count() == 3
    assert json_value(result.value) == 12345.8


def test_donations_are_zero_yuan_without_activities(db):
    assert compute("activities.donations", period=Y2025).value == Decimal(0)


def test_donations_imported_with_thousands_separators_sum_exactly(zone):
    rows = [
        ["活动名称", "活动类型", "日期", "捐款金额（元）"],
        ["爱心捐款一", "公益活动", "2025-03-01", "88,200.00"],
        ["爱心捐款二", "公益活动", "2025-04-01", "１，０００.５"],
    ]
    assert import_rows("activities", rows).ok
    assert import_rows("activities", rows).unchanged == 2  # counted once however often imported
    assert compute("activities.donations", period=Y2025).value == Decimal("89200.50")
    assert value("activities.public_welfare") == 2


# -- scope --------------------------------------------------------------------------------------
def test_meetings_count_in_the_scope_subtree_and_all_at_the_root(zone):
    meeting(zone.branch_a1, MeetingKind.THEME_DAY, D(2025, 3, 1))
    meeting(zone.group_a1, MeetingKind.THEME_DAY, D(2025, 3, 2))
    meeting(zone.branch_b, MeetingKind.THEME_DAY, D(2025, 3, 3))
    assert value("meetings.theme_days", zone.committee_a) == 2
    assert value("meetings.theme_days", zone.branch_a1) == 2  # the scope itself is in its subtree
    assert value("meetings.theme_days", zone.branch_a2) == 0
    assert value("meetings.theme_days", zone.branch_b) == 1
    assert value("meetings.theme_days", zone.root) == value("meetings.theme_days") == 3


def test_records_without_an_organization_count_only_at_the_root(zone):
    training(TrainingKind.SPECIAL_CLASS, D(2025, 3, 1), count=20, host_name="商洛学院")
    training(TrainingKind.SPECIAL_CLASS, D(2025, 3, 2), count=30, org=zone.branch_a1)
    activity(ActivityKind.PUBLIC_WELFARE, D(2025, 3, 1), donation=Decimal("100"))
    activity(ActivityKind.PUBLIC_WELFARE, D(2025, 3, 2), org=zone.branch_b, donation=Decimal("50"))
    document(D(2025, 3, 1))
    document(D(2025, 3, 2), org=zone.committee_a)
    assert (value("trainings.sessions", zone.root), value("trainings.attendance", zone.root)) == (2, 50)
    assert (
        value("trainings.sessions", zone.committee_a),
        value("trainings.attendance", zone.committee_a),
    ) == (1, 30)
    assert compute("activities.donations", period=Y2025, scope=zone.branch_b).value == Decimal("50")
    assert compute("activities.donations", period=Y2025, scope=zone.committee_a).value == Decimal(0)
    assert compute("activities.donations", period=Y2025).value == Decimal("150")
    assert (value("documents.issued"), value("documents.issued", zone.committee_a)) == (2, 1)


def test_a_training_hosted_by_an_organization_named_in_text_counts_in_its_subtree(zone):
    training(TrainingKind.SPECIAL_CLASS, D(2025, 3, 1), host_name="乙企业党支部")
    assert value("trainings.sessions", zone.branch_b) == 1
    assert value("trainings.sessions", zone.committee_a) == 0


def test_a_secretary_asking_sees_only_their_subtree(zone, secretary_a):
    meeting(zone.branch_a1, MeetingKind.WORK_CONFERENCE, D(2025, 3, 1))
    meeting(zone.branch_b, MeetingKind.WORK_CONFERENCE, D(2025, 3, 1))
    activity(ActivityKind.PRACTICE, D(2025, 3, 1), org=zone.branch_a2)
    activity(ActivityKind.PRACTICE, D(2025, 3, 1), org=zone.branch_b)
    assert value("meetings.work_conferences", user=secretary_a) == 1
    assert value("meetings.work_conferences", zone.branch_b, user=secretary_a) == 0
    assert value("activities.practice", user=secretary_a) == 1


# -- 三会一课落实率 -------------------------------------------------------------------------------
def rate(scope=None, period=Y2025, **kwargs):
    return compute("meetings.compliance_rate", period=period, scope=scope, **kwargs)


def test_compliance_rate_is_held_of_required_三会一课(zone):
    # 乙企业党支部 owes 4 支部党员大会 and 4 党课 in 2025 (no committee)
    meeting(zone.branch_b, MeetingKind.BRANCH_GENERAL, D(2025, 1, 1))
    meeting(zone.branch_b, MeetingKind.BRANCH_GENERAL, D(2025, 4, 1))
    meeting(zone.branch_b, MeetingKind.LECTURE, D(2025, 12, 31))
    result = rate(zone.branch_b)
    assert result.value == Decimal("37.5")
    assert (result.detail["required"], result.detail["held"]) == (8, 3)
    assert list(result.records) == [zone.branch_b]


def test_compliance_rate_ignores_meetings_outside_the_period(zone):
    meeting(zone.branch_b, MeetingKind.BRANCH_GENERAL, D(2024, 12, 31))
    meeting(zone.branch_b, MeetingKind.LECTURE, D(2026, 1, 1))
    assert rate(zone.branch_b).value == Decimal("0.0")


def test_compliance_rate_ignores_meetings_other_than_三会一课(zone):
    for month in range(1, 13):
        meeting(zone.branch_b, MeetingKind.THEME_DAY, D(2025, month, 1))
    meeting(zone.branch_b, MeetingKind.LIFE_MEETING, D(2025, 6, 1))
    result = rate(zone.branch_b)
    assert (result.value, result.detail["required"]) == (Decimal("0.0"), 8)


def test_compliance_rate_counts_committee_meetings_only_for_branches_with_a_committee(zone):
    branch = make_org("设委员会党支部", OrgKind.BRANCH, zone.root, has_committee=True)
    for month in range(1, 13):
        meeting(branch, MeetingKind.COMMITTEE, D(2025, month, 10))
    result = rate(branch)
    assert (result.detail["required"], result.detail["held"]) == (20, 12)
    assert result.value == Decimal("60.0")


def test_compliance_rate_over_a_subtree_includes_party_groups_and_rounds_half_up(zone):
    for month in range(1, 13):
        meeting(zone.group_a1, MeetingKind.GROUP, D(2025, month, 10))
    result = rate(zone.committee_a)
    # 甲一党支部 8 + 甲二党支部 8 + 甲一第1党小组 12 = 28 required; 12 held: 42.857… → 42.9
    assert (result.detail["required"], result.detail["held"]) == (28, 12)
    assert result.value == Decimal("42.9")
    # the drill-down lists every organization that owed meetings, with its 应开 and 已开
    assert list(result.records) == [zone.branch_a1, zone.group_a1, zone.branch_a2]
    assert [[part.value(org) for part in result.parts] for org in result.records] == [
        [8, 0, Decimal("0.0")],
        [12, 12, Decimal("100.0")],
        [8, 0, Decimal("0.0")],
    ]
    assert [part.label for part in result.parts] == ["应开（次）", "已开（次）", "落实率（%）"]


def test_compliance_rate_at_the_root_covers_every_branch_and_group(zone):
    meeting(zone.branch_b, MeetingKind.BRANCH_GENERAL, D(2025, 2, 1))
    for scope in (None, zone.root):
        result = rate(scope)
        assert (result.detail["required"], result.detail["held"]) == (36, 1)
        assert result.value == Decimal("2.8")


def test_compliance_rate_for_a_secretary_covers_only_their_subtree(zone, secretary_a):
    meeting(zone.branch_b, MeetingKind.BRANCH_GENERAL, D(2025, 2, 1))
    meeting(zone.branch_a2, MeetingKind.BRANCH_GENERAL, D(2025, 2, 1))
    result = rate(user=secretary_a)
    assert (result.detail["required"], result.detail["held"]) == (28, 1)


def test_compliance_rate_has_no_value_when_nothing_was_required(zone):
    new = make_org("新党支部", OrgKind.BRANCH, zone.root, founded_on=D(2026, 1, 1))
    result = rate(new)
    assert result.value is None
    assert result.detail["required"] == 0


def test_compliance_rate_is_100_when_every_required_meeting_was_held(zone):
    for quarter_start in (1, 4, 7, 10):
        meeting(zone.branch_b, MeetingKind.BRANCH_GENERAL, D(2025, quarter_start, 15))
        meeting(zone.branch_b, MeetingKind.LECTURE, D(2025, quarter_start + 2, 15))
    result = rate(zone.branch_b)
    assert result.value == Decimal("100.0")
    assert json_value(result.value) == 100.0
