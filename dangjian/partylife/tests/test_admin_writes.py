"""The back office writes a meeting's agenda, attendance and attachments, a training's and an
activity's participants and a duty item's evidence through the services: counts follow the
attendance, the changes are attributed to the user, and a row the rules refuse changes nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.audit.models import AuditEntry
from dangjian.core.testing.scope_matrix import admin_change_data
from dangjian.partylife import services
from dangjian.partylife.models import (
    Activity,
    ActivityKind,
    DutyEvidence,
    Meeting,
    MeetingAttachment,
    MeetingKind,
    Training,
    TrainingKind,
)
from dangjian.testing.factories import make_member

DAY = datetime.date(2025, 6, 10)


def inline(prefix, rows, initial=0):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial)}
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


def empty(*prefixes):
    data = {}
    for prefix in prefixes:
        data.update(inline(prefix, []))
    return data


@pytest.fixture
def branch_meeting(zone, zone_admin):
    return services.meeting_create(
        actor=zone_admin,
        organization=zone.branch_a1,
        kind=MeetingKind.BRANCH_GENERAL,
        held_on=DAY,
        theme="党员大会",
    )


def post(client, obj, data):
    url = f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"
    return client.post(url, data)


def test_the_meeting_page_saves_agenda_and_attendance_through_the_service(
    client, zone, zone_admin, branch_meeting
):
    members = [make_member(zone.branch_a1) for _ in range(3)]
    client.force_login(zone_admin)
    data = admin_change_data(branch_meeting)
    data.update(
        inline(
            "agenda",
            [
                {"position": "2", "title": "发展党员", "is_first_topic": ""},
                {"position": "1", "title": "学习总书记重要讲话", "is_first_topic": "on"},
            ],
        )
    )
    data.update(
        inline(
            "attendance",
            [
                {"member": members[0].pk, "status": "present", "absence_reason": ""},
                {"member": members[1].pk, "status": "present", "absence_reason": ""},
                {"member": members[2].pk, "status": "leave", "absence_reason": "出差"},
            ],
        )
    )
    data.update(empty("attachments"))
    response = post(client, branch_meeting, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = Meeting.objects.get(pk=branch_meeting.pk)
    assert (meeting.expected_count, meeting.present_count, meeting.attendance_recorded) == (3, 2, True)
    assert [(a.title, a.is_first_topic) for a in meeting.agenda.order_by("position")] == [
        ("学习总书记重要讲话", True),
        ("发展党员", False),
    ]
    counted = AuditEntry.objects.filter(
        action=AuditEntry.Action.UPDATE, object_id=str(meeting.pk), actor=zone_admin, after__present_count=2
    )
    assert counted.exists()


def test_a_member_on_leave_without_a_reason_is_refused_and_nothing_is_saved(
    client, zone, zone_admin, branch_meeting
):
    member = make_member(zone.branch_a1)
    client.force_login(zone_admin)
    data = admin_change_data(branch_meeting, theme="改过的主题")
    data.update(empty("agenda", "attachments"))
    data.update(inline("attendance", [{"member": member.pk, "status": "leave", "absence_reason": ""}]))
    response = client.post(f"/admin/partylife/meeting/{branch_meeting.pk}/change/", data, follow=True)
    assert "请假，须填写请假原因" in response.content.decode()
    meeting = Meeting.objects.get(pk=branch_meeting.pk)
    assert (meeting.theme, meeting.attendance.count()) == ("党员大会", 0)


def test_removing_every_attendance_row_returns_to_the_counts_as_entered(client, zone, zone_admin):
    members = [make_member(zone.branch_a1) for _ in range(2)]
    meeting = services.meeting_create(
        actor=zone_admin,
        organization=zone.branch_a1,
        kind=MeetingKind.BRANCH_GENERAL,
        held_on=DAY,
        theme="党员大会",
        attendance=[{"member": m, "present": True} for m in members],
    )
    client.force_login(zone_admin)
    data = admin_change_data(meeting, expected_count=10, present_count=8)
    data.update(empty("agenda", "attachments"))
    rows = [
        {"id": a.pk, "meeting": meeting.pk, "member": a.member_id, "status": "present", "DELETE": "on"}
        for a in meeting.attendance.all()
    ]
    data.update(inline("attendance", rows, initial=len(rows)))
    assert post(client, meeting, data).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.attendance.count(), meeting.attendance_recorded) == (0, False)
    # the counts were read-only while they came from the rows; now they are typed again
    assert (meeting.expected_count, meeting.present_count) == (2, 2)
    data = admin_change_data(meeting, expected_count=10, present_count=8)
    data.update(empty("agenda", "attachments", "attendance"))
    assert post(client, meeting, data).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.expected_count, meeting.present_count) == (10, 8)


def test_attachments_are_added_and_removed_through_the_service(client, zone, zone_admin, branch_meeting):
    client.force_login(zone_admin)
    data = admin_change_data(branch_meeting)
    data.update(empty("agenda", "attendance"))
    data.update(
        inline("attachments", [{"name": "签到表", "file": SimpleUploadedFile("签到表.pdf", b"%PDF-1.4")}])
    )
    assert post(client, branch_meeting, data).status_code == 302
    attachment = MeetingAttachment.objects.get(meeting=branch_meeting)
    assert attachment.name == "签到表"
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.CREATE, object_id=str(attachment.pk), actor=zone_admin
    ).exists()
    data = admin_change_data(branch_meeting)
    data.update(empty("agenda", "attendance"))
    data.update(
        inline(
            "attachments",
            [{"id": attachment.pk, "meeting": branch_meeting.pk, "name": "签到表", "DELETE": "on"}],
            initial=1,
        )
    )
    assert post(client, branch_meeting, data).status_code == 302
    assert not MeetingAttachment.objects.filter(meeting=branch_meeting).exists()


def test_training_participants_are_saved_and_the_entered_count_is_kept(client, zone, zone_admin):
    members = [make_member(zone.branch_a1) for _ in range(2)]
    training = services.training_save(
        actor=zone_admin,
        organization=zone.branch_a1,
        name="党务培训",
        kind=TrainingKind.SPECIAL_CLASS,
        start_on=DAY,
        attendance_count=40,
    )
    client.force_login(zone_admin)
    data = admin_change_data(training)
    data.update(inline("participants", [{"member": m.pk, "hours": "3"} for m in members]))
    assert post(client, training, data).status_code == 302
    training = Training.objects.get(pk=training.pk)
    assert training.participants.count() == 2
    assert training.attendance_count == 40


def test_an_activity_participant_from_another_organization_is_refused(client, zone, zone_admin):
    outsider = make_member(zone.branch_b)
    activity = services.activity_save(
        actor=zone_admin, organization=zone.branch_a1, name="进社区", kind=ActivityKind.PRACTICE, held_on=DAY
    )
    client.force_login(zone_admin)
    data = admin_change_data(activity)
    data.update(
        inline("participants", [{"member": outsider.pk, "place": "社区", "content": "服务", "hours": ""}])
    )
    response = client.post(f"/admin/partylife/activity/{activity.pk}/change/", data, follow=True)
    assert "不是“甲一党支部”的党员" in response.content.decode()
    assert not Activity.objects.get(pk=activity.pk).participants.exists()


def test_the_secretary_sees_and_edits_the_attendance_of_a_meeting_of_their_branch(
    client, zone, secretary_a, branch_meeting
):
    member = make_member(zone.branch_a1, name="出席的党员")
    services.meeting_update(
        actor=None, meeting=branch_meeting, attendance=[{"member": member, "present": True}]
    )
    client.force_login(secretary_a)
    page = client.get(f"/admin/partylife/meeting/{branch_meeting.pk}/change/").content.decode()
    assert "出席的党员" in page
    assert 'name="attendance-TOTAL_FORMS"' in page


def test_the_leader_sees_the_attendance_read_only(client, zone, branch_meeting):
    from dangjian.testing.factories import make_user

    member = make_member(zone.branch_a1, name="出席的党员")
    services.meeting_update(
        actor=None, meeting=branch_meeting, attendance=[{"member": member, "present": True}]
    )
    client.force_login(make_user("leader", organization=zone.root))
    page = client.get(f"/admin/partylife/meeting/{branch_meeting.pk}/change/").content.decode()
    assert "出席的党员" in page
    assert 'name="attendance-0-member"' not in page  # shown, not offered for editing


def test_duty_evidence_is_added_through_the_service(client, zone, zone_admin):
    duty_list = services.duty_list_create(
        actor=zone_admin,
        organization=zone.branch_a1,
        year=2025,
        title="书记抓党建责任清单",
        items=[{"title": "建强支部班子", "deadline": datetime.date(2025, 12, 31)}],
    )
    item = duty_list.items.get()
    client.force_login(zone_admin)
    data = admin_change_data(item)
    data.update(empty("progress"))
    data.update(inline("evidence", [{"name": "会议纪要", "file": SimpleUploadedFile("纪要.docx", b"PK")}]))
    assert post(client, item, data).status_code == 302
    assert DutyEvidence.objects.get(item=item).name == "会议纪要"
