"""发展党员: every step from the application to full membership, and its rules at their edges
(services.development)."""

import datetime
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dangjian.core.indicators import Period, compute
from dangjian.core.models import RuleSet
from dangjian.core.rules import rules_for
from dangjian.core.validators import add_months, add_years
from dangjian.members import rules, services
from dangjian.members.models import (
    DateCorrection,
    DevelopmentCase,
    DevelopmentStage,
    Member,
    MemberCategory,
    MembershipStatus,
)
from dangjian.members.services.development import probation_due
from dangjian.testing.factories import make_member

from .development_cases import (
    ACTIVIST,
    ADMITTED,
    APPLIED,
    APPROVED,
    CANDIDATE,
    ONE_DAY,
    PROBATION_DUE,
    TALKED,
    TRAINED,
    apply,
    case_at,
    dates_for_admission,
    fresh,
    full_members,
)

D = datetime.date


@contextmanager
def refused(field):
    with pytest.raises(ValidationError) as excinfo:
        yield excinfo
    assert field in excinfo.value.message_dict, excinfo.value.message_dict


def message(excinfo, field):
    return " ".join(excinfo.value.message_dict[field])


def admit(case, on=ADMITTED, introducers=None, actor=None):
    people = introducers if introducers is not None else full_members(case.organization)
    return services.development_admit(actor=actor, case=fresh(case), on=on, introducers=people)


# -- 入党申请人 ----------------------------------------------------------------------------------
def test_applying_on_the_18th_birthday_is_allowed(zone):
    case = apply(zone.branch_a1, birth=D(2004, 3, 1), applied=D(2022, 3, 1))
    case = fresh(case)
    assert case.stage == DevelopmentStage.APPLICANT
    assert case.applied_on == D(2022, 3, 1)
    assert case.birth_date == D(2004, 3, 1)


def test_applying_the_day_before_the_18th_birthday_is_refused(zone):
    with refused("applied_on") as excinfo:
        apply(zone.branch_a1, birth=D(2004, 3, 1), applied=D(2022, 2, 28))
    assert "未满 18 周岁" in message(excinfo, "applied_on")
    assert not DevelopmentCase.objects.exists()


def test_an_application_dated_after_today_is_refused(zone):
    with refused("applied_on"):
        apply(zone.branch_a1, applied=timezone.localdate() + ONE_DAY)
    assert not DevelopmentCase.objects.exists()


def test_the_same_person_cannot_apply_twice(zone):
    case = apply(zone.branch_a1)
    with refused("id_number") as excinfo:
        apply(zone.branch_a2, id_number=case.id_number)
    assert "已在发展党员名单中" in message(excinfo, "id_number")
    assert DevelopmentCase.objects.count() == 1


def test_a_current_member_cannot_apply(zone):
    member = make_member(zone.branch_a1)
    with refused("id_number") as excinfo:
        apply(zone.branch_a1, id_number=member.id_number)
    assert "已是党员" in message(excinfo, "id_number")


def test_an_application_to_an_organization_that_cannot_hold_members_is_refused(zone):
    with refused("organization"):
        apply(zone.group_a1)
    assert not DevelopmentCase.objects.exists()


def test_each_step_records_its_date_who_recorded_it_and_the_rule_version(zone, zone_admin):
    case = case_at(zone.branch_a1, "approved", actor=zone_admin)
    events = list(fresh(case).events.order_by("on", "id"))
    assert [e.step for e in events] == [
        "apply",
        "talk",
        "activist",
        "candidate",
        "training",
        "admit",
        "approve",
    ]
    assert [e.on for e in events] == [APPLIED, TALKED, ACTIVIST, CANDIDATE, TRAINED, ADMITTED, APPROVED]
    assert {e.actor for e in events} == {zone_admin}
    assert {e.actor_label for e in events} == {zone_admin.get_username()}
    assert {e.rule for e in events} == {rules_for(rules.DEVELOPMENT)}


# -- 谈话 ----------------------------------------------------------------------------------------
def test_a_talk_on_the_day_one_month_after_the_application_is_on_time(zone):
    case = apply(zone.branch_a1, applied=D(2022, 3, 1))
    services.development_talk(actor=None, case=case, on=D(2022, 4, 1))
    case = fresh(case)
    assert case.talked_on == D(2022, 4, 1)
    assert "超过" not in case.events.get(step="talk").note


def test_a_talk_the_day_after_one_month_is_recorded_as_late(zone):
    case = apply(zone.branch_a1, applied=D(2022, 3, 1))
    services.development_talk(actor=None, case=case, on=D(2022, 4, 2), note="支委谈话")
    case = fresh(case)
    assert case.talked_on == D(2022, 4, 2)
    note = case.events.get(step="talk").note
    assert "支委谈话" in note
    assert "超过一个月时限 2022-04-01" in note


def test_a_talk_before_the_application_is_refused(zone):
    case = apply(zone.branch_a1)
    with refused("talked_on"):
        services.development_talk(actor=None, case=case, on=APPLIED - ONE_DAY)
    assert fresh(case).talked_on is None


def test_a_second_talk_is_refused_and_points_to_a_correction(zone):
    case = case_at(zone.branch_a1, "talked")
    with refused("talked_on") as excinfo:
        services.development_talk(actor=None, case=case, on=TALKED + ONE_DAY)
    assert "更正" in message(excinfo, "talked_on")
    assert fresh(case).talked_on == TALKED


# -- 入党积极分子 --------------------------------------------------------------------------------
def test_an_activist_named_on_the_application_day_is_refused(zone):
    case = case_at(zone.branch_a1, "talked")
    with refused("activist_on"):
        services.development_make_activist(actor=None, case=case, on=APPLIED)
    case = fresh(case)
    assert (case.stage, case.activist_on) == (DevelopmentStage.APPLICANT, None)


def test_an_activist_named_the_day_after_the_application_is_allowed(zone):
    case = case_at(zone.branch_a1, "talked")
    services.development_make_activist(actor=None, case=case, on=APPLIED + ONE_DAY)
    case = fresh(case)
    assert (case.stage, case.activist_on) == (DevelopmentStage.ACTIVIST, APPLIED + ONE_DAY)


def test_a_step_out_of_order_is_refused_in_chinese(zone):
    case = case_at(zone.branch_a1, "talked")
    with pytest.raises(ValidationError) as excinfo:
        services.development_make_candidate(actor=None, case=case, on=CANDIDATE)
    assert "目前是入党申请人" in excinfo.value.messages[0]
    assert fresh(case).stage == DevelopmentStage.APPLICANT


# -- 发展对象 ------------------------------------------------------------------------------------
def test_a_candidate_one_day_short_of_a_year_as_activist_is_refused(zone):
    case = case_at(zone.branch_a1, "activist")  # 积极分子 since 2022-04-01
    with refused("candidate_on") as excinfo:
        services.development_make_candidate(actor=None, case=case, on=D(2023, 3, 31))
    assert "最早 2023-04-01" in message(excinfo, "candidate_on")
    case = fresh(case)
    assert (case.stage, case.candidate_on) == (DevelopmentStage.ACTIVIST, None)


def test_a_candidate_exactly_one_year_after_becoming_activist_is_allowed(zone):
    case = case_at(zone.branch_a1, "activist")
    services.development_make_candidate(actor=None, case=case, on=D(2023, 4, 1))
    case = fresh(case)
    assert (case.stage, case.candidate_on) == (DevelopmentStage.CANDIDATE, D(2023, 4, 1))


# -- 集中培训 ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("days", "hours"),
    [(Decimal("2.5"), None), (None, Decimal("23")), (Decimal("2.5"), Decimal("23.5"))],
)
def test_admission_after_less_than_three_days_and_24_class_hours_of_training_is_refused(zone, days, hours):
    case = case_at(zone.branch_a1, "candidate")
    services.development_record_training(actor=None, case=case, completed_on=TRAINED, days=days, hours=hours)
    members_before = Member.objects.count()
    people = full_members(zone.branch_a1)
    with refused("training") as excinfo:
        admit(case, introducers=people)
    assert "不少于 3 天或 24 学时" in message(excinfo, "training")
    case = fresh(case)
    assert (case.stage, case.admitted_on, case.member) == (DevelopmentStage.CANDIDATE, None, None)
    assert Member.objects.count() == members_before + 2  # only the introducers


@pytest.mark.parametrize(
    ("days", "hours"),
    [
        (Decimal("3"), None),
        (None, Decimal("24")),
        (Decimal("1"), Decimal("24")),
        (Decimal("3"), Decimal("8")),
    ],
)
def test_admission_after_three_days_or_24_class_hours_of_training_is_allowed(zone, days, hours):
    case = case_at(zone.branch_a1, "candidate")
    services.development_record_training(actor=None, case=case, completed_on=TRAINED, days=days, hours=hours)
    admit(case)
    assert fresh(case).stage == DevelopmentStage.PROBATIONARY


def test_admission_without_training_is_refused(zone):
    case = case_at(zone.branch_a1, "candidate")
    with refused("training"):
        admit(case)
    assert fresh(case).stage == DevelopmentStage.CANDIDATE


def test_training_that_ends_after_the_branch_meeting_is_refused(zone):
    case = case_at(zone.branch_a1, "trained", trained=ADMITTED + ONE_DAY)
    with refused("training") as excinfo:
        admit(case)
    assert "之前结业" in message(excinfo, "training")


def test_training_that_ends_on_the_day_of_the_branch_meeting_is_allowed(zone):
    case = case_at(zone.branch_a1, "trained", trained=ADMITTED)
    admit(case)
    assert fresh(case).admitted_on == ADMITTED


def test_a_training_without_days_or_class_hours_is_refused(zone):
    case = case_at(zone.branch_a1, "candidate")
    with refused("days"):
        services.development_record_training(actor=None, case=case, completed_on=TRAINED)
    assert fresh(case).training_completed_on is None


# -- 入党介绍人 ----------------------------------------------------------------------------------
def _introducers(zone, kind):
    full = full_members(zone.branch_a1, 3)
    if kind == "one":
        return full[:1]
    if kind == "three":
        return full
    if kind == "the same member twice":
        return [full[0], full[0]]
    if kind == "a probationary member":
        return [
            full[0],
            make_member(zone.branch_a1, category=MemberCategory.PROBATIONARY, joined=D(2023, 1, 5)),
        ]
    if kind == "a member who left":
        services.member_leave(actor=None, member=full[1], on=D(2023, 1, 1), reason="转出区外")
        return [full[0], Member.objects.get(pk=full[1].pk)]
    if kind == "a suspended member":
        services.member_update(actor=None, member=full[1], status=MembershipStatus.SUSPENDED)
        return [full[0], Member.objects.get(pk=full[1].pk)]
    raise AssertionError(kind)


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("one", "须有 2 名入党介绍人（现有 1 名）"),
        ("three", "须有 2 名入党介绍人（现有 3 名）"),
        ("the same member twice", "现有 1 名"),
        ("a probationary member", "须为正式党员"),
        ("a member who left", "须为正式党员"),
        ("a suspended member", "须为正式党员"),
    ],
)
def test_admission_without_two_full_members_as_introducers_is_refused(zone, kind, words):
    case = case_at(zone.branch_a1, "trained")
    people = _introducers(zone, kind)
    members_before = Member.objects.count()
    with refused("introducers") as excinfo:
        admit(case, introducers=people)
    assert words in message(excinfo, "introducers")
    case = fresh(case)
    assert (case.stage, case.member) == (DevelopmentStage.CANDIDATE, None)
    assert Member.objects.count() == members_before


def test_an_introducer_who_is_not_a_full_member_is_named_in_the_error(zone):
    case = case_at(zone.branch_a1, "trained")
    probationary = make_member(
        zone.branch_a1, name="赵预备", category=MemberCategory.PROBATIONARY, joined=D(2023, 1, 5)
    )
    with refused("introducers") as excinfo:
        admit(case, introducers=[full_members(zone.branch_a1, 1)[0], probationary])
    assert "赵预备" in message(excinfo, "introducers")


def test_admission_with_two_full_members_creates_the_probationary_member(zone):
    case = case_at(zone.branch_a1, "trained")
    people = full_members(zone.branch_a1)
    admit(case, introducers=people)
    case = fresh(case)
    member = case.member
    assert member is not None
    assert member.id_number == case.id_number
    assert (member.name, member.organization, member.category, member.joined_on, member.regularized_on) == (
        "王五",
        zone.branch_a1,
        MemberCategory.PROBATIONARY,
        ADMITTED,
        None,
    )
    assert member.memberships.get().valid_from == ADMITTED
    assert (case.stage, case.admitted_on) == (DevelopmentStage.PROBATIONARY, ADMITTED)
    assert set(case.introducers.all()) == set(people)
    assert case.introducer_names == "、".join(p.name for p in people)
    assert people[0].name in case.events.get(step="admit").note


def test_admission_of_someone_already_on_the_roster_links_that_member_and_never_duplicates(zone):
    case = case_at(zone.branch_a1, "trained")
    existing = services.member_create(
        actor=None,
        organization=zone.branch_a1,
        name="王五",
        id_number=case.id_number,
        category=MemberCategory.PROBATIONARY,
        joined_on=D(2023, 5, 20),
    )
    people = full_members(zone.branch_a1)
    members_before = Member.objects.count()
    admit(case, introducers=people)
    case = fresh(case)
    assert Member.objects.count() == members_before
    assert case.member_id == existing.pk
    existing.refresh_from_db()
    assert (existing.joined_on, existing.category) == (ADMITTED, MemberCategory.PROBATIONARY)
    assert existing.memberships.get().valid_from == ADMITTED


def test_admission_on_the_day_the_person_became_a_candidate_is_refused(zone):
    case = case_at(zone.branch_a1, "trained", trained=CANDIDATE)
    with refused("admitted_on"):
        admit(case, on=CANDIDATE)
    assert fresh(case).member is None


def test_admission_of_an_activist_is_refused(zone):
    case = case_at(zone.branch_a1, "activist")
    with pytest.raises(ValidationError) as excinfo:
        admit(case)
    assert "目前是入党积极分子" in excinfo.value.messages[0]


# -- 上级党委审批 --------------------------------------------------------------------------------
def approve(case, on):
    return services.development_approve(actor=None, case=fresh(case), on=on)


def test_approval_on_the_last_day_of_three_months_is_on_time(zone):
    case = case_at(zone.branch_a1, "admitted")  # branch meeting 2023-06-01
    approve(case, D(2023, 9, 1))
    case = fresh(case)
    assert case.approved_on == D(2023, 9, 1)
    assert "超过" not in case.events.get(step="approve").note


def test_approval_after_three_months_is_recorded_as_late(zone):
    case = case_at(zone.branch_a1, "admitted")
    approve(case, D(2023, 9, 2))
    case = fresh(case)
    assert case.approved_on == D(2023, 9, 2)
    assert "超过三个月时限 2023-09-01" in case.events.get(step="approve").note


def test_approval_on_the_last_day_of_six_months_is_still_possible(zone):
    case = case_at(zone.branch_a1, "admitted")
    approve(case, D(2023, 12, 1))
    assert fresh(case).approved_on == D(2023, 12, 1)


def test_approval_after_six_months_is_refused(zone):
    case = case_at(zone.branch_a1, "admitted")
    with refused("approved_on") as excinfo:
        approve(case, D(2023, 12, 2))
    assert "须重新履行接收手续" in message(excinfo, "approved_on")
    assert fresh(case).approved_on is None


def test_approval_before_the_branch_meeting_is_refused(zone):
    case = case_at(zone.branch_a1, "admitted")
    with refused("approved_on"):
        approve(case, ADMITTED - ONE_DAY)


def test_a_second_approval_is_refused(zone):
    case = case_at(zone.branch_a1, "approved")
    with refused("approved_on"):
        approve(case, APPROVED + ONE_DAY)
    assert fresh(case).approved_on == APPROVED


def test_after_six_months_without_approval_the_admission_is_redone_and_then_approved(zone):
    case = case_at(zone.branch_a1, "admitted")
    member_id = fresh(case).member_id
    redone = D(2024, 1, 10)
    admit(case, on=redone)
    case = fresh(case)
    assert (case.stage, case.admitted_on) == (DevelopmentStage.PROBATIONARY, redone)
    assert case.member_id == member_id
    assert Member.objects.filter(id_number_hash=case.id_number_hash).count() == 1
    assert case.member.joined_on == redone
    assert "重新履行接收手续" in case.events.filter(step="admit").order_by("id").last().note
    approve(case, D(2024, 3, 1))
    assert fresh(case).approved_on == D(2024, 3, 1)


def test_an_admission_cannot_be_redone_within_six_months(zone):
    dates = dates_for_admission(add_months(timezone.localdate(), -5))
    case = case_at(zone.branch_a1, "admitted", **dates)
    with pytest.raises(ValidationError) as excinfo:
        admit(case, on=timezone.localdate())
    assert "目前是预备党员" in excinfo.value.messages[0]
    assert fresh(case).admitted_on == dates["admitted"]


# -- 延长预备期 ----------------------------------------------------------------------------------
@pytest.mark.parametrize("months", [5, 13, 0])
def test_an_extension_outside_six_to_twelve_months_is_refused(zone, months):
    case = case_at(zone.branch_a1, "approved")
    with refused("months") as excinfo:
        services.development_extend(actor=None, case=case, on=D(2024, 5, 1), months=months)
    assert "6 至 12 个月" in message(excinfo, "months")
    assert fresh(case).extended_months is None


@pytest.mark.parametrize("months", [6, 12])
def test_an_extension_of_six_to_twelve_months_is_allowed_and_marked_on_the_member(zone, months):
    case = case_at(zone.branch_a1, "approved")
    services.development_extend(actor=None, case=case, on=D(2024, 5, 1), months=months)
    case = fresh(case)
    assert (case.extended_months, case.extended_on) == (months, D(2024, 5, 1))
    assert case.member.probation_extended is True
    assert case.member.category == MemberCategory.PROBATIONARY


def test_the_probation_is_extended_only_once(zone):
    case = case_at(zone.branch_a1, "approved")
    services.development_extend(actor=None, case=case, on=D(2024, 5, 1), months=6)
    with refused("months") as excinfo:
        services.development_extend(actor=None, case=fresh(case), on=D(2024, 5, 2), months=6)
    assert "只能延长一次" in message(excinfo, "months")
    assert fresh(case).extended_months == 6


def test_an_extension_before_approval_is_refused(zone):
    case = case_at(zone.branch_a1, "admitted")
    with refused("months"):
        services.development_extend(actor=None, case=case, on=D(2023, 7, 1), months=6)


# -- 转为正式党员 --------------------------------------------------------------------------------
@pytest.mark.parametrize("offset", [-1, 1])
def test_regularization_off_the_day_the_probation_ends_is_refused(zone, offset):
    case = case_at(zone.branch_a1, "approved")
    with refused("regularized_on") as excinfo:
        services.development_regularize(
            actor=None, case=case, on=PROBATION_DUE + datetime.timedelta(days=offset)
        )
    assert "2024-06-01" in message(excinfo, "regularized_on")
    case = fresh(case)
    assert (case.stage, case.member.category) == (DevelopmentStage.PROBATIONARY, MemberCategory.PROBATIONARY)


def test_regularization_one_year_after_the_branch_meeting_makes_a_full_member(zone):
    case = case_at(zone.branch_a1, "approved")
    services.development_regularize(actor=None, case=case, on=PROBATION_DUE)
    case = fresh(case)
    assert (case.stage, case.regularized_on) == (DevelopmentStage.FULL, PROBATION_DUE)
    member = case.member
    assert (member.category, member.joined_on, member.regularized_on, member.probation_extended) == (
        MemberCategory.FULL,
        ADMITTED,
        PROBATION_DUE,
        False,
    )


@pytest.mark.parametrize(("months", "due"), [(6, D(2024, 12, 1)), (12, D(2025, 6, 1))])
def test_after_an_extension_regularization_is_on_the_extended_due_day(zone, months, due):
    case = case_at(zone.branch_a1, "approved")
    services.development_extend(actor=None, case=case, on=D(2024, 5, 1), months=months)
    with refused("regularized_on"):
        services.development_regularize(actor=None, case=fresh(case), on=PROBATION_DUE)
    services.development_regularize(actor=None, case=fresh(case), on=due)
    case = fresh(case)
    assert (case.stage, case.regularized_on) == (DevelopmentStage.FULL, due)
    assert (case.member.category, case.member.regularized_on, case.member.probation_extended) == (
        MemberCategory.FULL,
        due,
        True,
    )


def test_regularization_before_approval_is_refused(zone):
    case = case_at(zone.branch_a1, "admitted")
    with refused("regularized_on") as excinfo:
        services.development_regularize(actor=None, case=case, on=PROBATION_DUE)
    assert "尚未审批" in message(excinfo, "regularized_on")


def test_regularization_before_the_probation_has_ended_is_refused(zone):
    today = timezone.localdate()
    admitted = add_years(today, -1) + ONE_DAY
    dates = dates_for_admission(admitted)
    case = case_at(zone.branch_a1, "approved", approved=admitted + ONE_DAY, **dates)
    due = probation_due(case)
    assert due > today
    with refused("regularized_on") as excinfo:
        services.development_regularize(actor=None, case=case, on=due)
    assert "才满" in message(excinfo, "regularized_on")
    assert fresh(case).stage == DevelopmentStage.PROBATIONARY


# -- 取消预备党员资格 ----------------------------------------------------------------------------
def test_cancelling_the_probation_makes_the_member_leave(zone):
    case = case_at(zone.branch_a1, "approved")
    services.development_cancel(actor=None, case=case, on=D(2024, 2, 1), reason="不履行党员义务")
    case = fresh(case)
    assert (case.stage, case.cancelled_on, case.cancel_reason) == (
        DevelopmentStage.CANCELLED,
        D(2024, 2, 1),
        "不履行党员义务",
    )
    member = Member.objects.get(pk=case.member_id)
    assert (member.left_on, member.leave_reason) == (D(2024, 2, 1), "取消预备党员资格")
    assert member.memberships.get().valid_until == D(2024, 2, 1)
    assert case.events.get(step="cancel").note == "不履行党员义务"


def test_cancelling_needs_a_reason(zone):
    case = case_at(zone.branch_a1, "approved")
    with refused("cancel_reason"):
        services.development_cancel(actor=None, case=case, on=D(2024, 2, 1), reason="  ")
    assert fresh(case).stage == DevelopmentStage.PROBATIONARY
    assert fresh(case).member.left_on is None


def test_a_full_member_cannot_have_the_probation_cancelled(zone):
    case = case_at(zone.branch_a1, "approved")
    services.development_regularize(actor=None, case=case, on=PROBATION_DUE)
    with pytest.raises(ValidationError):
        services.development_cancel(actor=None, case=fresh(case), on=D(2024, 7, 1), reason="错误操作")
    assert fresh(case).member.left_on is None


# -- 更正日期 ------------------------------------------------------------------------------------
def correct(case, field, value, reason="笔误", actor=None):
    return services.development_correct_date(
        actor=actor, case=fresh(case), field=field, value=value, reason=reason
    )


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_date_correction_needs_a_reason(zone, reason):
    case = case_at(zone.branch_a1, "activist")
    with refused("reason") as excinfo:
        correct(case, "talked_on", D(2022, 3, 18), reason=reason)
    assert "原因" in message(excinfo, "reason")
    assert fresh(case).talked_on == TALKED
    assert not DateCorrection.objects.exists()


def test_a_date_correction_keeps_the_old_and_new_date_and_is_logged(zone, zone_admin):
    case = case_at(zone.branch_a1, "activist")
    correct(case, "talked_on", D(2022, 3, 18), reason="原记录笔误", actor=zone_admin)
    case = fresh(case)
    assert case.talked_on == D(2022, 3, 18)
    correction = DateCorrection.objects.get(case=case)
    assert (
        correction.field,
        correction.old_value,
        correction.new_value,
        correction.reason,
        correction.actor,
    ) == (
        "talked_on",
        TALKED,
        D(2022, 3, 18),
        "原记录笔误",
        zone_admin,
    )
    event = case.events.get(step="correct")
    assert "谈话日期" in event.note
    assert "原记录笔误" in event.note
    assert event.actor == zone_admin


def test_a_correction_to_the_same_date_is_refused(zone):
    case = case_at(zone.branch_a1, "activist")
    with refused("talked_on"):
        correct(case, "talked_on", TALKED)
    assert not DateCorrection.objects.exists()


def test_only_the_dates_of_a_case_can_be_corrected(zone):
    case = case_at(zone.branch_a1, "activist")
    with refused("field"):
        correct(case, "birth_date", D(1995, 3, 11))


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("applied_on", D(2013, 3, 9), "未满 18 周岁"),  # born 1995-03-10
        ("talked_on", APPLIED - ONE_DAY, "不能早于申请入党日期"),
        ("activist_on", APPLIED, "申请入党之后"),
        ("candidate_on", D(2023, 3, 31), "满 1 年"),
        ("admitted_on", CANDIDATE, "确定发展对象之后"),
        ("approved_on", ADMITTED - ONE_DAY, "不能早于支部大会接收日期"),
        ("training_completed_on", ADMITTED + ONE_DAY, "培训"),
        ("approved_on", D(2023, 12, 2), "六个月"),
        ("regularized_on", PROBATION_DUE - ONE_DAY, "转正日期"),
    ],
)
def test_a_correction_that_breaks_the_chain_of_dates_is_refused_and_changes_nothing(
    zone, field, value, words
):
    case = case_at(zone.branch_a1, "approved")
    if field == "regularized_on":
        services.development_regularize(actor=None, case=case, on=PROBATION_DUE)
    old = getattr(fresh(case), field)
    with refused(field) as excinfo:
        correct(case, field, value)
    assert words in message(excinfo, field)
    assert getattr(fresh(case), field) == old
    assert not DateCorrection.objects.exists()


def test_correcting_the_branch_meeting_day_moves_the_members_joining_day(zone):
    case = case_at(zone.branch_a1, "approved")
    correct(case, "admitted_on", D(2023, 6, 5), reason="以会议记录为准")
    case = fresh(case)
    assert case.admitted_on == D(2023, 6, 5)
    assert case.member.joined_on == D(2023, 6, 5)
    assert Member.objects.filter(id_number_hash=case.id_number_hash).count() == 1


# -- 规则版本 ------------------------------------------------------------------------------------
def test_extension_regularization_cancellation_and_corrections_record_the_rule_version(zone):
    version = rules_for(rules.DEVELOPMENT)
    kept = case_at(zone.branch_a1, "approved", name="甲")
    services.development_extend(actor=None, case=kept, on=D(2024, 5, 1), months=6)
    services.development_regularize(actor=None, case=fresh(kept), on=D(2024, 12, 1))
    correct(kept, "talked_on", D(2022, 3, 21))
    cancelled = case_at(zone.branch_a1, "approved", name="乙")
    services.development_cancel(actor=None, case=cancelled, on=D(2024, 2, 1), reason="不履行党员义务")
    for case in (kept, cancelled):
        steps = {e.step: e.rule for e in fresh(case).events.all()}
        assert steps, case
        assert steps == dict.fromkeys(steps, version), steps


def new_version(effective_from, **changes):
    current = rules_for(rules.DEVELOPMENT, effective_from)
    return RuleSet.objects.create(
        key=rules.DEVELOPMENT,
        version=current.version + 1,
        effective_from=effective_from,
        values={**current.values, **changes},
        note="测试：积极分子培养两年",
    )


def test_a_newer_rule_version_applies_to_steps_taken_from_its_effective_date(zone):
    old = rules_for(rules.DEVELOPMENT)
    new = new_version(D(2023, 1, 1), activist_min_years=2)
    # a step taken before the new version: one year as 积极分子 is enough
    first = case_at(
        zone.branch_a1,
        "activist",
        name="甲",
        applied=D(2020, 5, 1),
        talked=D(2020, 5, 10),
        activist=D(2020, 6, 1),
    )
    services.development_make_candidate(actor=None, case=first, on=D(2021, 6, 1))
    assert fresh(first).events.get(step="candidate").rule == old
    # the same person's wait, but the step taken after the new version took effect: two years
    second = case_at(
        zone.branch_a1,
        "activist",
        name="乙",
        applied=D(2021, 5, 1),
        talked=D(2021, 5, 10),
        activist=D(2021, 6, 1),
    )
    with refused("candidate_on") as excinfo:
        services.development_make_candidate(actor=None, case=second, on=D(2023, 1, 1))
    assert "满 2 年" in message(excinfo, "candidate_on")
    services.development_make_candidate(actor=None, case=fresh(second), on=D(2023, 6, 1))
    assert fresh(second).events.get(step="candidate").rule == new


def test_an_application_records_the_version_in_force_on_its_day(zone):
    old = rules_for(rules.DEVELOPMENT)
    new = new_version(D(2023, 1, 1))
    before = apply(zone.branch_a1, applied=D(2022, 12, 31), name="甲")
    on_the_day = apply(zone.branch_a1, applied=D(2023, 1, 1), name="乙")
    assert fresh(before).events.get(step="apply").rule == old
    assert fresh(on_the_day).events.get(step="apply").rule == new


# -- 新发展党员数 --------------------------------------------------------------------------------
def test_newly_developed_counts_the_people_admitted_in_the_period_within_the_scope(zone):
    def admitted_on(organization, day, name):
        return case_at(organization, "admitted", name=name, **dates_for_admission(day))

    first_day = admitted_on(zone.branch_a1, D(2024, 1, 1), "甲")
    last_day = admitted_on(zone.branch_a2, D(2024, 12, 31), "乙")
    elsewhere = admitted_on(zone.branch_b, D(2024, 6, 1), "丙")
    admitted_on(zone.branch_a1, D(2023, 12, 31), "丁")  # the year before
    case_at(zone.branch_a1, "trained", name="戊")  # not admitted

    everywhere = compute("members.newly_developed", period=Period.year(2024))
    assert everywhere.value == 3
    assert set(everywhere.records) == {fresh(first_day), fresh(last_day), fresh(elsewhere)}
    in_committee = compute("members.newly_developed", period=Period.year(2024), scope=zone.committee_a)
    assert in_committee.value == 2
    assert compute("members.newly_developed", period=Period.year(2023)).value == 1
