"""Attendance per person: 出席, 请假 (with its reason) or 缺席; the members who should attend are
listed for the secretary on the meeting's page; 应到 and 实到 follow the rows."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError

from dangjian.core.testing.scope_matrix import admin_change_data
from dangjian.members.services import member_leave, member_transfer
from dangjian.partylife import services
from dangjian.partylife.models import AttendanceStatus, Meeting, MeetingKind
from dangjian.partylife.selectors import expected_members
from dangjian.testing.factories import make_member

DAY = datetime.date(2025, 6, 10)


def meeting(zone, actor=None, **fields):
    return services.meeting_create(
        actor=actor,
        organization=fields.pop("organization", zone.branch_a1),
        kind=fields.pop("kind", MeetingKind.BRANCH_GENERAL),
        held_on=fields.pop("held_on", DAY),
        theme="党员大会",
        **fields,
    )


def test_leave_needs_a_reason_absence_does_not(zone):
    on_leave, away = make_member(zone.branch_a1, name="甲请假"), make_member(zone.branch_a1, name="乙缺席")
    with pytest.raises(ValidationError) as excinfo:
        meeting(zone, attendance=[{"member": on_leave, "status": "leave"}])
    assert excinfo.value.message_dict["attendance"] == ["甲请假请假，须填写请假原因"]
    assert not Meeting.objects.exists()
    record = meeting(
        zone,
        attendance=[
            {"member": on_leave, "status": "leave", "absence_reason": " 病假 "},
            {"member": away, "status": "absent"},
        ],
    )
    rows = {a.member.name: (a.status, a.present, a.absence_reason) for a in record.attendance.all()}
    assert rows == {"甲请假": ("leave", False, "病假"), "乙缺席": ("absent", False, "")}
    assert (record.expected_count, record.present_count) == (2, 0)


def test_the_older_present_flag_still_reads_as_present_or_leave(zone):
    here, gone = make_member(zone.branch_a1), make_member(zone.branch_a1)
    record = meeting(
        zone,
        attendance=[
            {"member": here, "present": True},
            {"member": gone, "present": False, "absence_reason": "出差"},
        ],
    )
    assert sorted(record.attendance.values_list("status", flat=True)) == ["leave", "present"]
    assert (record.expected_count, record.present_count) == (2, 1)


def test_an_unknown_status_is_refused_naming_the_member(zone):
    member = make_member(zone.branch_a1, name="丙党员")
    with pytest.raises(ValidationError) as excinfo:
        meeting(zone, attendance=[{"member": member, "status": "迟到"}])
    assert excinfo.value.message_dict["attendance"] == ["丙党员的出席情况“迟到”无效"]


def test_expected_members_are_those_of_the_organization_on_the_day(zone):
    staying = make_member(zone.branch_a1, name="在册")
    moved_after = make_member(zone.branch_a1, name="会后转出")
    left_before = make_member(zone.branch_a1, name="会前离开")
    make_member(zone.branch_b, name="别的支部")
    member_transfer(actor=None, member=moved_after, to=zone.branch_b, on=DAY + datetime.timedelta(days=1))
    member_leave(actor=None, member=left_before, on=DAY - datetime.timedelta(days=1), reason="出党")
    record = meeting(zone)
    assert [m.name for m in expected_members(record)] == sorted(["在册", "会后转出"])
    assert staying in expected_members(record)


def test_expected_members_of_a_party_group_meeting_are_the_group(zone):
    group = zone.group_a1
    in_group = make_member(zone.branch_a1, name="组员", party_group=group)
    make_member(zone.branch_a1, name="非组员")
    record = meeting(zone, organization=group, kind=MeetingKind.GROUP)
    assert list(expected_members(record)) == [in_group]


def test_the_change_page_lists_the_branch_members_as_present_and_saves_them(client, zone, secretary_a):
    members = [make_member(zone.branch_a1, name=name) for name in ("王一", "王二", "王三")]
    record = meeting(zone, actor=secretary_a)
    client.force_login(secretary_a)
    page = client.get(f"/admin/partylife/meeting/{record.pk}/change/").content.decode()
    for member in members:
        assert member.name in page
    checked = re.findall(r'name="attendance-(\d+)-status" value="present"[^>]*checked', page)
    assert checked == ["0", "1", "2"]
    assert "请假" in page and "缺席" in page
    data = admin_change_data(record)
    data.update(
        {"agenda-TOTAL_FORMS": "0", "agenda-INITIAL_FORMS": "0"},
    )
    data.update({"attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0"})
    rows = [
        {"member": members[0].pk, "status": "present"},
        {"member": members[1].pk, "status": "leave", "absence_reason": "病假"},
        {"member": members[2].pk, "status": "absent"},
    ]
    data.update({"attendance-TOTAL_FORMS": "3", "attendance-INITIAL_FORMS": "0"})
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"attendance-{index}-{key}"] = value
    response = client.post(f"/admin/partylife/meeting/{record.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    record.refresh_from_db()
    assert (record.expected_count, record.present_count, record.attendance_recorded) == (3, 1, True)
    assert record.attendance.get(member=members[1]).status == AttendanceStatus.LEAVE
    again = client.get(f"/admin/partylife/meeting/{record.pk}/change/").content.decode()
    assert "病假" in again
    assert 'name="expected_count"' not in again  # counted from the rows, not typed


def test_a_new_meeting_opens_again_to_record_attendance(client, zone, secretary_a):
    make_member(zone.branch_a1, name="李党员")
    client.force_login(secretary_a)
    data = {
        "organization": zone.branch_a1.pk,
        "kind": MeetingKind.THEME_DAY,
        "held_on": DAY.isoformat(),
        "theme": "主题党日",
        "vote_kind": "none",
        "agenda-TOTAL_FORMS": "0",
        "agenda-INITIAL_FORMS": "0",
        "attendance-TOTAL_FORMS": "0",
        "attendance-INITIAL_FORMS": "0",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
    }
    response = client.post("/admin/partylife/meeting/add/", data, follow=True)
    record = Meeting.objects.get(theme="主题党日")
    assert response.redirect_chain[-1][0] == f"/admin/partylife/meeting/{record.pk}/change/"
    page = response.content.decode()
    assert "请在“出席记录”中登记每位党员的出席、请假或缺席" in page
    assert "李党员" in page
