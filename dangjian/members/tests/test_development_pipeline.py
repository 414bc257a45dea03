"""The development pipeline (who is at which step, what is due next) and the warnings it adds to
organizations (selectors.development_pipeline, development_warnings)."""

import datetime

import pytest
from django.utils import timezone

from dangjian.members import services
from dangjian.members.selectors import development_pipeline
from dangjian.members.warnings import development_warnings
from dangjian.organizations.models import PartyOrganization
from dangjian.organizations.warnings import organization_warnings

from .development_cases import (
    ADMITTED,
    APPLIED,
    PROBATION_DUE,
    case_at,
    fresh,
)

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)


def pipeline(user, today, organization=None):
    return development_pipeline(user=user, organization=organization, today=today)


def entry_of(case, user, today):
    found = [e for column in pipeline(user, today) for e in column["entries"] if e.case.pk == case.pk]
    assert len(found) == 1, found
    return found[0]


def warnings_on(day, organization):
    found = development_warnings(PartyOrganization.objects.filter(pk=organization.pk), day)
    assert all(w.code == "development" and w.organization == organization for w in found)
    return [w.message for w in found]


# -- columns ---------------------------------------------------------------------------------------
def test_the_pipeline_has_one_column_per_stage_before_full_membership(zone, zone_admin):
    applicant = case_at(zone.branch_a1, name="申请人甲")
    activist = case_at(zone.branch_a1, "activist", name="积极分子乙")
    candidate = case_at(zone.branch_a1, "candidate", name="发展对象丙")
    probationary = case_at(zone.branch_a1, "approved", name="预备党员丁")
    full = case_at(zone.branch_a1, "approved", name="正式党员戊")
    services.development_regularize(actor=None, case=full, on=PROBATION_DUE)
    cancelled = case_at(zone.branch_a1, "approved", name="取消己")
    services.development_cancel(actor=None, case=cancelled, on=D(2024, 1, 5), reason="不履行党员义务")

    columns = pipeline(zone_admin, timezone.localdate())

    assert [(c["stage"], c["label"]) for c in columns] == [
        ("applicant", "入党申请人"),
        ("activist", "入党积极分子"),
        ("candidate", "发展对象"),
        ("probationary", "预备党员"),
    ]
    assert [[e.case.pk for e in c["entries"]] for c in columns] == [
        [applicant.pk],
        [activist.pk],
        [candidate.pk],
        [probationary.pk],
    ]


def test_the_pipeline_shows_only_cases_in_the_users_scope(zone, zone_admin, secretary_a):
    mine = case_at(zone.branch_a2, name="甲二申请人")
    other = case_at(zone.branch_b, name="乙企业申请人")
    today = timezone.localdate()

    seen = {e.case.pk for c in pipeline(secretary_a, today) for e in c["entries"]}
    assert seen == {mine.pk}
    everything = {e.case.pk for c in pipeline(zone_admin, today) for e in c["entries"]}
    assert everything == {mine.pk, other.pk}
    in_a1 = {e.case.pk for c in pipeline(zone_admin, today, zone.branch_a1) for e in c["entries"]}
    assert in_a1 == set()


# -- next steps and due dates ----------------------------------------------------------------------
def test_an_applicant_is_due_a_talk_one_month_after_applying(zone, zone_admin):
    case = case_at(zone.branch_a1)  # applied 2022-03-01
    on_time = entry_of(case, zone_admin, D(2022, 4, 1))
    assert (on_time.next_step, on_time.due, on_time.overdue) == ("谈话", D(2022, 4, 1), False)
    late = entry_of(case, zone_admin, D(2022, 4, 2))
    assert (late.next_step, late.due, late.overdue) == ("谈话", D(2022, 4, 1), True)


def test_after_the_talk_the_next_step_is_to_become_an_activist(zone, zone_admin):
    case = case_at(zone.branch_a1, "talked")
    entry = entry_of(case, zone_admin, D(2022, 6, 1))
    assert (entry.next_step, entry.due, entry.overdue) == ("确定为入党积极分子", None, False)


@pytest.mark.parametrize(
    ("activist", "earliest"),
    [(D(2022, 4, 1), D(2023, 4, 1)), (D(2023, 1, 31), D(2024, 1, 31)), (D(2020, 2, 29), D(2021, 2, 28))],
)
def test_an_activist_is_shown_the_earliest_day_to_become_a_candidate(zone, zone_admin, activist, earliest):
    case = case_at(
        zone.branch_a1,
        "activist",
        applied=activist - datetime.timedelta(days=20),
        talked=activist - datetime.timedelta(days=10),
        activist=activist,
    )
    entry = entry_of(case, zone_admin, timezone.localdate())
    assert (entry.next_step, entry.due) == ("确定为发展对象（最早）", earliest)
    # the day shown is a day the step is accepted
    services.development_make_candidate(actor=None, case=fresh(case), on=entry.due)
    assert fresh(case).candidate_on == earliest


def test_a_candidate_is_due_the_training_and_then_the_branch_meeting(zone, zone_admin):
    case = case_at(zone.branch_a1, "candidate")
    assert entry_of(case, zone_admin, D(2023, 5, 1)).next_step == "集中培训"
    services.development_record_training(actor=None, case=fresh(case), completed_on=D(2023, 5, 12), days=3)
    assert entry_of(case, zone_admin, D(2023, 5, 20)).next_step == "支部大会接收"


def test_a_probationary_member_is_due_approval_within_three_months_then_a_new_admission_after_six(
    zone, zone_admin
):
    case = case_at(zone.branch_a1, "admitted")  # branch meeting 2023-06-01
    expected = {
        D(2023, 9, 1): ("上级党委审批", False),
        D(2023, 9, 2): ("上级党委审批", True),
        D(2023, 12, 1): ("上级党委审批", True),
        D(2023, 12, 2): ("重新履行接收手续", True),
    }
    for today, (step, overdue) in expected.items():
        entry = entry_of(case, zone_admin, today)
        assert (entry.next_step, entry.due, entry.overdue) == (step, D(2023, 9, 1), overdue), today


def test_an_approved_probationary_member_is_due_regularization_when_the_probation_ends(zone, zone_admin):
    case = case_at(zone.branch_a1, "approved")
    on_the_day = entry_of(case, zone_admin, PROBATION_DUE)
    assert (on_the_day.next_step, on_the_day.due, on_the_day.overdue) == ("讨论转正", PROBATION_DUE, False)
    assert entry_of(case, zone_admin, PROBATION_DUE + ONE_DAY).overdue is True


def test_an_extension_moves_the_regularization_due_date(zone, zone_admin):
    case = case_at(zone.branch_a1, "approved")
    services.development_extend(actor=None, case=case, on=D(2024, 5, 1), months=6)
    entry = entry_of(case, zone_admin, PROBATION_DUE + ONE_DAY)
    assert (entry.next_step, entry.due, entry.overdue) == ("讨论转正", D(2024, 12, 1), False)


# -- warnings --------------------------------------------------------------------------------------
def test_a_missed_talk_warns_the_day_after_one_month_and_not_on_it(zone):
    case_at(zone.branch_a1, name="张申请")  # applied 2022-03-01
    assert warnings_on(D(2022, 4, 1), zone.branch_a1) == []
    assert warnings_on(D(2022, 4, 2), zone.branch_a1) == [
        "张申请递交入党申请已超过一个月（2022-04-01 前）尚未谈话"
    ]


def test_an_applicant_who_had_the_talk_does_not_warn(zone):
    case_at(zone.branch_a1, "talked")
    assert warnings_on(APPLIED + datetime.timedelta(days=100), zone.branch_a1) == []


def test_approval_overdue_warns_after_three_months_and_asks_for_a_new_admission_after_six(zone):
    case_at(zone.branch_a1, "admitted", name="李预备")  # branch meeting 2023-06-01
    assert warnings_on(D(2023, 9, 1), zone.branch_a1) == []
    three = ["李预备支部大会接收已超过三个月，上级党委尚未审批"]
    assert warnings_on(D(2023, 9, 2), zone.branch_a1) == three
    assert warnings_on(D(2023, 12, 1), zone.branch_a1) == three
    assert warnings_on(D(2023, 12, 2), zone.branch_a1) == [
        "李预备支部大会接收已超过六个月未审批，须重新履行接收手续"
    ]


def test_an_approved_case_does_not_warn_about_approval(zone):
    case_at(zone.branch_a1, "approved")
    assert warnings_on(ADMITTED + datetime.timedelta(days=120), zone.branch_a1) == []


def test_a_probation_that_ended_without_regularization_warns_from_the_next_day(zone):
    case = case_at(zone.branch_a1, "approved", name="王转正")
    assert warnings_on(PROBATION_DUE, zone.branch_a1) == []
    assert warnings_on(PROBATION_DUE + ONE_DAY, zone.branch_a1) == [
        "王转正预备期已于 2024-06-01 届满，尚未讨论转正"
    ]
    services.development_regularize(actor=None, case=fresh(case), on=PROBATION_DUE)
    assert warnings_on(PROBATION_DUE + ONE_DAY, zone.branch_a1) == []


def test_organization_warnings_include_development_warnings_in_the_users_scope(zone, secretary_a):
    today = timezone.localdate()
    case_at(zone.branch_a1, name="逾期甲", applied=today - datetime.timedelta(days=40))
    case_at(zone.branch_a1, name="未逾期乙", applied=today - datetime.timedelta(days=20))
    case_at(zone.branch_b, name="逾期丙", applied=today - datetime.timedelta(days=40))

    mine = [w for w in organization_warnings(user=secretary_a) if w.code == "development"]

    assert [(w.organization, w.message.split("递交")[0]) for w in mine] == [(zone.branch_a1, "逾期甲")]
    everywhere = organization_warnings(user=None, organizations=PartyOrganization.objects.all())
    assert sorted(w.message.split("递交")[0] for w in everywhere if w.code == "development") == [
        "逾期丙",
        "逾期甲",
    ]
