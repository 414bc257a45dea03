"""Meetings (组织生活): attendance per member, 党课 and 第一议题, and the quorum of a resolution —
a vote needs more than half of those entitled to attend, an election at least four fifths
(versioned rule, recorded on the meeting)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.core.models import RuleSet
from dangjian.core.rules import rules_for
from dangjian.members import services as member_services
from dangjian.partylife import rules, services
from dangjian.partylife.models import (
    LecturerRole,
    Meeting,
    MeetingAttendance,
    MeetingKind,
    VoteKind,
)
from dangjian.testing.factories import make_member

D = datetime.date
DAY = D(2025, 6, 10)
ONE_DAY = datetime.timedelta(days=1)


def meeting(org, *, kind=MeetingKind.BRANCH_GENERAL, held_on=DAY, theme="支部党员大会", actor=None, **fields):
    return services.meeting_create(
        actor=actor, organization=org, kind=kind, held_on=held_on, theme=theme, **fields
    )


def present(*members):
    return [{"member": m, "present": True} for m in members]


def absent(member, reason="出差"):
    return {"member": member, "present": False, "absence_reason": reason}


def messages(excinfo, field):
    return excinfo.value.message_dict[field]


# -- attendance ---------------------------------------------------------------------------------
def test_attendance_per_member_gives_expected_and_present_counts(zone):
    members = [make_member(zone.branch_a1) for _ in range(5)]
    record = meeting(
        zone.branch_a1, attendance=[*present(*members[:3]), absent(members[3], "病假"), absent(members[4])]
    )
    record.refresh_from_db()
    assert (record.expected_count, record.present_count) == (5, 3)
    assert record.attendance_recorded is True
    rows = {a.member_id: (a.present, a.absence_reason) for a in record.attendance.all()}
    assert rows[members[0].pk] == (True, "")
    assert rows[members[3].pk] == (False, "病假")
    assert rows[members[4].pk] == (False, "出差")


def test_attendance_overrides_numbers_typed_alongside_it(zone):
    members = [make_member(zone.branch_a1) for _ in range(3)]
    record = meeting(zone.branch_a1, expected_count=30, present_count=20, attendance=present(*members))
    assert (record.expected_count, record.present_count) == (3, 3)


def test_numbers_without_attendance_are_kept_as_entered(zone):
    record = meeting(zone.branch_a1, expected_count=12, present_count=9)
    record.refresh_from_db()
    assert (record.expected_count, record.present_count) == (12, 9)
    assert record.attendance_recorded is False
    assert record.attendance.count() == 0


def test_present_count_above_expected_count_is_rejected(zone):
    with pytest.raises(ValidationError) as excinfo:
        meeting(zone.branch_a1, expected_count=10, present_count=11)
    assert messages(excinfo, "present_count") == ["实到人数（11）不能多于应到人数（10）"]
    assert not Meeting.objects.exists()


def test_present_count_equal_to_expected_count_is_accepted(zone):
    assert meeting(zone.branch_a1, expected_count=10, present_count=10).present_count == 10


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_an_absence_without_a_reason_is_rejected_and_nothing_is_saved(zone, reason):
    member = make_member(zone.branch_a1, name="张缺席")
    with pytest.raises(ValidationError) as excinfo:
        meeting(zone.branch_a1, attendance=[absent(member, reason)])
    assert messages(excinfo, "attendance") == ["张缺席请假，须填写请假原因"]
    assert not Meeting.objects.exists()
    assert not MeetingAttendance.objects.exists()


def test_the_absence_reason_is_stored_trimmed(zone):
    member = make_member(zone.branch_a1)
    record = meeting(zone.branch_a1, attendance=[absent(member, "  外出培训 ")])
    assert record.attendance.get().absence_reason == "外出培训"


def test_a_member_of_another_organization_cannot_attend(zone):
    own = make_member(zone.branch_a1)
    other = make_member(zone.branch_b, name="乙党员")
    with pytest.raises(ValidationError) as excinfo:
        meeting(zone.branch_a1, attendance=present(own, other))
    assert messages(excinfo, "attendance") == ["乙党员不是“甲一党支部”的党员"]
    assert not Meeting.objects.exists()


def test_a_member_who_left_before_the_meeting_day_cannot_attend(zone):
    member = make_member(zone.branch_a1, name="赵离开")
    member_services.member_leave(actor=None, member=member, on=DAY - ONE_DAY, reason="转出")
    with pytest.raises(ValidationError) as excinfo:
        meeting(zone.branch_a1, attendance=present(member))
    assert messages(excinfo, "attendance") == [f"赵离开已于 {DAY - ONE_DAY:%Y-%m-%d} 离开，不能计入出席"]
    assert not Meeting.objects.exists()


def test_a_member_who_moved_to_another_branch_after_the_meeting_still_counts_on_recount(zone):
    members = [make_member(zone.branch_a1) for _ in range(3)]
    record = meeting(zone.branch_a1, vote_kind=VoteKind.VOTE, attendance=present(*members))
    member_services.member_transfer(actor=None, member=members[0], to=zone.branch_b, on=DAY + ONE_DAY)
    services.meeting_recount(actor=None, meeting=Meeting.objects.get(pk=record.pk))
    stored = Meeting.objects.get(pk=record.pk)
    assert (stored.expected_count, stored.present_count, stored.resolution_valid) == (3, 3, True)


def test_a_member_who_moved_away_before_the_meeting_cannot_attend(zone):
    member = make_member(zone.branch_a1, name="钱调走")
    member_services.member_transfer(actor=None, member=member, to=zone.branch_b, on=DAY)
    with pytest.raises(ValidationError) as excinfo:
        meeting(zone.branch_a1, attendance=present(member))
    assert messages(excinfo, "attendance") == ["钱调走不是“甲一党支部”的党员"]


def test_a_member_who_leaves_on_the_meeting_day_still_attends(zone):
    member = make_member(zone.branch_a1)
    member_services.member_leave(actor=None, member=member, on=DAY, reason="转出")
    record = meeting(zone.branch_a1, attendance=present(member))
    assert (record.expected_count, record.present_count) == (1, 1)


def test_a_member_of_a_sibling_branch_cannot_attend(zone):
    sibling = make_member(zone.branch_a2, name="甲二党员")
    with pytest.raises(ValidationError) as excinfo:
        meeting(zone.branch_a1, attendance=present(sibling))
    assert messages(excinfo, "attendance") == ["甲二党员不是“甲一党支部”的党员"]


def test_members_of_branches_below_a_committee_attend_its_meetings(zone):
    members = [make_member(zone.branch_a1), make_member(zone.branch_a2)]
    record = meeting(zone.committee_a, kind=MeetingKind.WORK_CONFERENCE, attendance=present(*members))
    assert (record.expected_count, record.present_count) == (2, 2)


def test_a_party_group_meeting_is_attended_only_by_members_of_that_group(zone):
    in_group = make_member(zone.branch_a1, party_group=zone.group_a1)
    not_in_group = make_member(zone.branch_a1, name="组外党员")
    record = meeting(zone.group_a1, kind=MeetingKind.GROUP, theme="党小组学习", attendance=present(in_group))
    assert record.expected_count == 1
    with pytest.raises(ValidationError) as excinfo:
        meeting(
            zone.group_a1,
            kind=MeetingKind.GROUP,
            theme="第二次党小组学习",
            attendance=present(in_group, not_in_group),
        )
    assert messages(excinfo, "attendance") == ["组外党员不是“甲一第1党小组”的党员"]


def test_the_same_member_twice_in_the_attendance_is_rejected(zone):
    member = make_member(zone.branch_a1, name="李重复")
    with pytest.raises(ValidationError) as excinfo:
        meeting(zone.branch_a1, attendance=[*present(member), absent(member)])
    assert messages(excinfo, "attendance") == ["第 2 人 李重复 重复"]


def test_recount_recomputes_the_numbers_after_attendance_rows_are_edited(zone):
    members = [make_member(zone.branch_a1) for _ in range(5)]
    record = meeting(
        zone.branch_a1,
        vote_kind=VoteKind.VOTE,
        attendance=present(*members[:2]) + [absent(m) for m in members[2:]],
    )
    assert record.resolution_valid is False
    MeetingAttendance.objects.filter(meeting=record, member=members[2]).update(
        status="present", present=True, absence_reason=""
    )
    services.meeting_recount(actor=None, meeting=record)
    record.refresh_from_db()
    assert (record.expected_count, record.present_count) == (5, 3)
    assert record.resolution_valid is True
    assert record.resolution_invalid_reason == ""


def test_recount_rejects_a_leave_row_without_a_reason(zone):
    member = make_member(zone.branch_a1, name="王无因")
    record = meeting(zone.branch_a1, attendance=present(member))
    MeetingAttendance.objects.filter(meeting=record).update(status="leave", present=False)
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_recount(actor=None, meeting=record)
    assert messages(excinfo, "attendance") == ["王无因请假，须填写请假原因"]


# -- 党课 and 第一议题 ------------------------------------------------------------------------------
def test_a_party_lecture_records_its_lecturer_and_the_lecturer_role(zone):
    record = meeting(
        zone.branch_a1,
        kind=MeetingKind.LECTURE,
        theme="学习党章",
        lecturer="王书记",
        lecturer_role=LecturerRole.SECRETARY,
    )
    record.refresh_from_db()
    assert (record.lecturer, record.get_lecturer_role_display()) == ("王书记", "党组织书记")


def test_an_unknown_lecturer_role_is_rejected(zone):
    with pytest.raises(ValidationError) as excinfo:
        meeting(zone.branch_a1, kind=MeetingKind.LECTURE, lecturer="张三", lecturer_role="professor")
    assert "lecturer_role" in excinfo.value.message_dict


def test_the_first_topic_is_the_first_agenda_item_of_a_committee_meeting(zone):
    record = meeting(
        zone.branch_a1,
        kind=MeetingKind.COMMITTEE,
        theme="支委会",
        agenda=["研究发展党员", "部署主题党日"],
        first_topic="学习习近平总书记重要讲话精神",
    )
    agenda = [(a.position, a.title, a.is_first_topic) for a in record.agenda.all()]
    assert agenda == [
        (1, "学习习近平总书记重要讲话精神", True),
        (2, "研究发展党员", False),
        (3, "部署主题党日", False),
    ]


def test_an_agenda_without_a_first_topic_has_no_item_marked_first(zone):
    record = meeting(zone.branch_a1, kind=MeetingKind.COMMITTEE, agenda=["研究发展党员"])
    assert [(a.position, a.is_first_topic) for a in record.agenda.all()] == [(1, False)]


def test_changing_the_first_topic_replaces_the_agenda(zone):
    record = meeting(zone.branch_a1, kind=MeetingKind.COMMITTEE, agenda=["甲"], first_topic="旧的第一议题")
    services.meeting_update(actor=None, meeting=record, agenda=["乙"], first_topic="新的第一议题")
    assert [(a.title, a.is_first_topic) for a in record.agenda.all()] == [
        ("新的第一议题", True),
        ("乙", False),
    ]


# -- quorum -------------------------------------------------------------------------------------
QUORUM_EDGES = [
    (VoteKind.VOTE, 5, 3, True),
    (VoteKind.VOTE, 5, 2, False),
    (VoteKind.VOTE, 10, 6, True),
    (VoteKind.VOTE, 10, 5, False),  # exactly half is not more than half
    (VoteKind.ELECTION, 5, 4, True),  # exactly four fifths
    (VoteKind.ELECTION, 5, 3, False),
    (VoteKind.ELECTION, 10, 8, True),
    (VoteKind.ELECTION, 10, 7, False),
]


@pytest.mark.parametrize(("vote_kind", "expected", "present_", "valid"), QUORUM_EDGES)
def test_quorum_at_its_edges_with_entered_numbers(zone, vote_kind, expected, present_, valid):
    record = meeting(zone.branch_a1, vote_kind=vote_kind, expected_count=expected, present_count=present_)
    record.refresh_from_db()
    assert record.resolution_valid is valid
    assert (record.resolution_invalid_reason == "") is valid


@pytest.mark.parametrize(
    ("vote_kind", "present_", "valid"),
    [
        (VoteKind.VOTE, 3, True),
        (VoteKind.VOTE, 2, False),
        (VoteKind.ELECTION, 4, True),
        (VoteKind.ELECTION, 3, False),
    ],
)
def test_quorum_at_its_edges_with_attendance_of_five_members(zone, vote_kind, present_, valid):
    members = [make_member(zone.branch_a1) for _ in range(5)]
    attendance = present(*members[:present_]) + [absent(m, "病假") for m in members[present_:]]
    record = meeting(zone.branch_a1, vote_kind=vote_kind, attendance=attendance)
    assert (record.expected_count, record.present_count) == (5, present_)
    assert record.resolution_valid is valid


def test_a_vote_below_quorum_is_recorded_with_the_reason_it_is_invalid(zone):
    record = meeting(zone.branch_a1, vote_kind=VoteKind.VOTE, expected_count=5, present_count=2)
    stored = Meeting.objects.get(pk=record.pk)
    assert stored.resolution_valid is False
    assert stored.resolution_invalid_reason == "实到 2 人，未超过应到 5 人的半数，表决无效"


def test_an_election_below_quorum_is_recorded_with_the_reason_it_is_invalid(zone):
    record = meeting(zone.branch_a1, vote_kind=VoteKind.ELECTION, expected_count=10, present_count=7)
    stored = Meeting.objects.get(pk=record.pk)
    assert stored.resolution_valid is False
    assert stored.resolution_invalid_reason == "实到 7 人，未达到应到 10 人的五分之四，选举无效"


def test_a_vote_without_numbers_cannot_be_confirmed_valid(zone):
    record = meeting(zone.branch_a1, vote_kind=VoteKind.VOTE)
    assert record.resolution_valid is False
    assert record.resolution_invalid_reason == "未记录应到、实到人数，无法确认会议有效"


def test_a_meeting_without_a_vote_has_no_validity_and_no_rule(zone):
    record = meeting(zone.branch_a1, expected_count=5, present_count=1)
    assert (record.resolution_valid, record.resolution_invalid_reason, record.quorum_rule) == (None, "", None)


def test_the_meeting_records_the_rule_version_it_was_checked_by(zone):
    record = meeting(zone.branch_a1, vote_kind=VoteKind.VOTE, expected_count=5, present_count=3)
    stored = Meeting.objects.get(pk=record.pk)
    assert stored.quorum_rule == rules_for(rules.QUORUM, DAY)
    assert (stored.quorum_rule.key, stored.quorum_rule.version) == (rules.QUORUM, 1)
    assert stored.quorum_rule.values == {"vote": [1, 2, "more_than"], "election": [4, 5, "at_least"]}


def test_updating_the_numbers_checks_the_quorum_again(zone):
    record = meeting(zone.branch_a1, vote_kind=VoteKind.VOTE, expected_count=10, present_count=5)
    assert record.resolution_valid is False
    services.meeting_update(actor=None, meeting=record, present_count=6)
    stored = Meeting.objects.get(pk=record.pk)
    assert (stored.resolution_valid, stored.resolution_invalid_reason) == (True, "")


def test_dropping_the_vote_clears_validity_and_rule(zone):
    record = meeting(zone.branch_a1, vote_kind=VoteKind.VOTE, expected_count=10, present_count=5)
    services.meeting_update(actor=None, meeting=record, vote_kind=VoteKind.NONE)
    stored = Meeting.objects.get(pk=record.pk)
    assert (stored.resolution_valid, stored.resolution_invalid_reason, stored.quorum_rule) == (None, "", None)


@pytest.fixture
def two_thirds_from_2026(db):
    """Version 2 of the quorum rule: a vote needs at least two thirds, from 1 January 2026."""
    rules_for(rules.QUORUM, DAY)  # version 1 exists
    return RuleSet.objects.create(
        key=rules.QUORUM,
        version=2,
        effective_from=D(2026, 1, 1),
        values={"vote": [2, 3, "at_least"], "election": [9, 10, "at_least"]},
        note="测试",
    )


def test_a_new_rule_version_does_not_apply_the_day_before_its_effective_date(zone, two_thirds_from_2026):
    record = meeting(
        zone.branch_a1, vote_kind=VoteKind.VOTE, held_on=D(2025, 12, 31), expected_count=10, present_count=6
    )
    assert record.resolution_valid is True
    assert record.quorum_rule.version == 1


def test_a_new_rule_version_applies_from_its_effective_date(zone, two_thirds_from_2026):
    record = meeting(
        zone.branch_a1, vote_kind=VoteKind.VOTE, held_on=D(2026, 1, 1), expected_count=10, present_count=6
    )
    stored = Meeting.objects.get(pk=record.pk)
    assert stored.quorum_rule == two_thirds_from_2026
    assert stored.resolution_valid is False
    assert stored.resolution_invalid_reason == "实到 6 人，未达到应到 10 人的三分之二，表决无效"


def test_under_the_new_version_two_thirds_passes(zone, two_thirds_from_2026):
    record = meeting(
        zone.branch_a1, vote_kind=VoteKind.VOTE, held_on=D(2026, 3, 1), expected_count=9, present_count=6
    )
    assert (record.resolution_valid, record.quorum_rule.version) == (True, 2)
    election = meeting(
        zone.branch_a1,
        theme="选举",
        vote_kind=VoteKind.ELECTION,
        held_on=D(2026, 3, 1),
        expected_count=10,
        present_count=8,
    )
    assert election.resolution_valid is False
    assert election.resolution_invalid_reason.startswith("实到 8 人，未达到应到 10 人的")
    assert election.resolution_invalid_reason.endswith("选举无效")


def test_a_meeting_keeps_its_old_rule_version_when_a_new_one_is_added(zone):
    record = meeting(
        zone.branch_a1, vote_kind=VoteKind.VOTE, held_on=D(2026, 2, 1), expected_count=10, present_count=6
    )
    RuleSet.objects.create(
        key=rules.QUORUM, version=2, effective_from=D(2026, 1, 1), values={"vote": [2, 3, "at_least"]}
    )
    stored = Meeting.objects.get(pk=record.pk)
    assert (stored.quorum_rule.version, stored.resolution_valid) == (1, True)


# -- scope --------------------------------------------------------------------------------------
def test_a_secretary_records_meetings_in_their_subtree(zone, secretary_a):
    record = meeting(zone.branch_a2, actor=secretary_a)
    assert Meeting.objects.get(pk=record.pk).org_path == zone.branch_a2.path


def test_a_secretary_cannot_record_a_meeting_outside_their_subtree(zone, secretary_a):
    with pytest.raises(PermissionDenied):
        meeting(zone.branch_b, actor=secretary_a)
    assert not Meeting.objects.exists()


def test_a_secretary_cannot_change_or_delete_a_meeting_outside_their_subtree(zone, secretary_a):
    record = meeting(zone.branch_b, theme="乙支部大会")
    with pytest.raises(PermissionDenied):
        services.meeting_update(actor=secretary_a, meeting=record, theme="改了")
    with pytest.raises(PermissionDenied):
        services.meeting_delete(actor=secretary_a, meeting=Meeting.objects.get(pk=record.pk))
    assert Meeting.objects.get(pk=record.pk).theme == "乙支部大会"


def test_a_secretary_cannot_move_a_meeting_out_of_their_subtree(zone, secretary_a):
    record = meeting(zone.branch_a1, actor=secretary_a)
    with pytest.raises(PermissionDenied):
        services.meeting_update(actor=secretary_a, meeting=record, organization=zone.branch_b)
    assert Meeting.objects.get(pk=record.pk).organization == zone.branch_a1


# -- rule versions entered in the back office ------------------------------------------------------
def test_a_quorum_rule_version_without_the_election_numbers_is_refused(zone, zone_admin, client):
    rules_for(rules.QUORUM, DAY)
    client.force_login(zone_admin)
    response = client.post(
        "/admin/core/ruleset/add/",
        {
            "key": rules.QUORUM,
            "effective_from": "2026-01-01",
            "values__vote__0": "2",
            "values__vote__1": "3",
            "values__vote__2": "at_least",
            "note": "",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["values__election__0"] == ["该字段是必填项。"]
    assert RuleSet.objects.filter(key=rules.QUORUM).count() == 1
