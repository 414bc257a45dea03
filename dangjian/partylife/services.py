"""Writes of party life: meetings (with attendance, agenda and the quorum of their resolution),
trainings, activities, documents and duty lists."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from dangjian.core.rules import rules_for
from dangjian.core.scope import ensure_in_scope, restrict
from dangjian.core.services import assign, save_checked, service
from dangjian.members.models import memberships_on
from dangjian.organizations.models import PartyOrganization

from . import rules
from .models import (
    Activity,
    ActivityParticipant,
    AttendanceStatus,
    Document,
    DutyEvidence,
    DutyItem,
    DutyList,
    DutyProgress,
    DutyStatus,
    Meeting,
    MeetingAgendaItem,
    MeetingAttachment,
    MeetingAttendance,
    MeetingKind,
    StandardDutyList,
    Training,
    TrainingParticipant,
    VoteKind,
)

MEETING_FORM_FIELDS = (
    "organization",
    "kind",
    "held_on",
    "theme",
    "host",
    "lecturer",
    "lecturer_role",
    "expected_count",
    "present_count",
    "minutes",
    "vote_kind",
    "resolution",
)
TRAINING_FORM_FIELDS = (
    "name",
    "kind",
    "host_name",
    "organization",
    "start_on",
    "end_on",
    "attendance_count",
    "hours",
    "note",
)
ACTIVITY_FORM_FIELDS = (
    "name",
    "kind",
    "organizer_name",
    "organization",
    "held_on",
    "participant_count",
    "donation",
    "note",
)
DOCUMENT_FORM_FIELDS = ("number", "title", "issued_on", "category", "organization", "file")
DUTY_ITEM_FIELDS = ("title", "deadline", "owner", "led_by_secretary", "status", "completed_on")


def resolve_organization(name: str):
    """The one organization with this name, or None (a unit outside the tree, or ambiguous)."""
    if not name:
        return None
    # zone-wide on purpose: a name resolves only if it is unique anywhere; the write that uses it
    # is then checked against the actor's scope
    found = list(PartyOrganization.objects.filter(name=name)[:2])
    return found[0] if len(found) == 1 else None


# -- meetings ---------------------------------------------------------------------------------
def quorum_check(meeting: Meeting):
    """Mark the resolution valid or invalid: a vote needs more than half of those entitled to
    attend, an election at least four fifths (versioned rule, recorded on the meeting)."""
    meeting.resolution_valid, meeting.resolution_invalid_reason, meeting.quorum_rule = None, "", None
    if meeting.vote_kind == VoteKind.NONE:
        return
    rule = rules_for(rules.QUORUM, meeting.held_on)
    meeting.quorum_rule = rule
    numerator, denominator, mode = rule.values[meeting.vote_kind]
    expected, present = meeting.expected_count, meeting.present_count
    if expected is None or present is None:
        meeting.resolution_valid = False
        meeting.resolution_invalid_reason = "未记录应到、实到人数，无法确认会议有效"
        return
    enough = (
        present * denominator > expected * numerator
        if mode == "more_than"
        else (present * denominator >= expected * numerator)
    )
    meeting.resolution_valid = enough
    if not enough:
        share = FRACTIONS.get((numerator, denominator), f"{numerator}/{denominator}")
        need = "超过" if mode == "more_than" else "达到"
        what = "表决" if meeting.vote_kind == VoteKind.VOTE else "选举"
        meeting.resolution_invalid_reason = (
            f"实到 {present} 人，未{need}应到 {expected} 人的{share}，{what}无效"
        )


FRACTIONS = {(1, 2): "半数", (2, 3): "三分之二", (4, 5): "五分之四"}


def _belonged(member, meeting: Meeting) -> bool:
    """The member is in the meeting's subtree now, or was on the day (and has moved since)."""
    path = meeting.organization.path
    if (member.org_path or "").startswith(path):
        return True
    return bool(meeting.held_on) and (
        member.memberships.filter(memberships_on(meeting.held_on), org_path__startswith=path).exists()
    )


def attendance_row(row: dict) -> dict:
    """One person's attendance as {member, status, absence_reason}, from `status` (出席, 请假 or
    缺席) or, in the older form, `present` (false is 请假, which needs its reason)."""
    reason = (row.get("absence_reason") or "").strip()
    status = row.get("status") or (
        AttendanceStatus.PRESENT if row.get("present", True) else AttendanceStatus.LEAVE
    )
    if status not in AttendanceStatus.values:
        raise ValidationError({"attendance": [f"{row['member'].name}的出席情况“{status}”无效"]})
    return {"member": row["member"], "status": status, "absence_reason": reason}


def _check_attendance(meeting: Meeting, attendance):
    errors = []
    seen = set()
    for index, row in enumerate(attendance, start=1):
        member = row["member"]
        if member.pk in seen:
            errors.append(f"第 {index} 人 {member.name} 重复")
        seen.add(member.pk)
        belongs = (
            member.party_group_id == meeting.organization_id
            if meeting.kind == MeetingKind.GROUP and meeting.organization.kind == "party_group"
            else _belonged(member, meeting)
        )
        if not belongs:
            errors.append(f"{member.name}不是“{meeting.organization.name}”的党员")
        elif member.left_on is not None and meeting.held_on and member.left_on < meeting.held_on:
            errors.append(f"{member.name}已于 {member.left_on:%Y-%m-%d} 离开，不能计入出席")
        if row["status"] == AttendanceStatus.LEAVE and not row["absence_reason"]:
            errors.append(f"{member.name}请假，须填写请假原因")
    if errors:
        raise ValidationError({"attendance": errors})


def _count_attendance(meeting: Meeting, attendance):
    """应到 is everyone listed (出席, 请假 and 缺席 alike), 实到 those present."""
    meeting.expected_count = len(attendance)
    meeting.present_count = sum(1 for row in attendance if row["status"] == AttendanceStatus.PRESENT)
    meeting.attendance_recorded = True


def _save_meeting(meeting, *, actor, action, agenda, first_topic, attendance):
    if attendance is not None and not attendance:
        # no one listed (any more): 应到 and 实到 are as entered
        if meeting.attendance_recorded:
            meeting.attendance_recorded = False
            meeting.attendance.all().delete()
        attendance = None
    if attendance is not None:
        attendance = [attendance_row(row) for row in attendance]
        _check_attendance(meeting, attendance)
        _count_attendance(meeting, attendance)
    quorum_check(meeting)
    save_checked(meeting, actor=actor, action=action)
    if attendance is not None:
        meeting.attendance.all().delete()
        MeetingAttendance.objects.bulk_create(
            [
                MeetingAttendance(
                    meeting=meeting,
                    member=row["member"],
                    status=row["status"],
                    present=row["status"] == AttendanceStatus.PRESENT,
                    absence_reason=row["absence_reason"],
                )
                for row in attendance
            ]
        )
    if agenda is not None or first_topic is not None:
        items = list(agenda or [])
        meeting.agenda.all().delete()
        if first_topic:
            items.insert(0, first_topic)
        MeetingAgendaItem.objects.bulk_create(
            [
                MeetingAgendaItem(
                    meeting=meeting,
                    position=index,
                    title=title,
                    is_first_topic=bool(first_topic) and index == 1,
                )
                for index, title in enumerate(items, start=1)
            ]
        )
    return meeting


@service
def meeting_create(*, actor, agenda=None, first_topic=None, attendance=None, **fields) -> Meeting:
    """Record a meeting. `attendance` is a list of {member, status, absence_reason} (see
    attendance_row); with it
    应到 and 实到 are computed, without it they are taken as entered. `first_topic` is the 第一议题,
    put first on the agenda."""
    meeting = Meeting()
    assign(meeting, fields, MEETING_FORM_FIELDS)
    return _save_meeting(
        meeting, actor=actor, action="add", agenda=agenda, first_topic=first_topic, attendance=attendance
    )


@service
def meeting_update(
    *, actor, meeting: Meeting, agenda=None, first_topic=None, attendance=None, **fields
) -> Meeting:
    ensure_in_scope(actor, meeting, "change")
    assign(meeting, fields, MEETING_FORM_FIELDS)
    return _save_meeting(
        meeting, actor=actor, action="change", agenda=agenda, first_topic=first_topic, attendance=attendance
    )


@service
def meeting_recount(*, actor, meeting: Meeting) -> Meeting:
    """After attendance rows were edited one by one: check them, recompute 应到 and 实到 from them
    (when there are any) and the validity of the resolution."""
    ensure_in_scope(actor, meeting, "change")
    rows = [
        {"member": a.member, "status": a.status, "absence_reason": a.absence_reason}
        for a in meeting.attendance.select_related("member")
    ]
    if rows:
        _check_attendance(meeting, rows)
        _count_attendance(meeting, rows)
    quorum_check(meeting)
    meeting.save()
    return meeting


@service
def meeting_attachment_save(
    *, actor, meeting: Meeting, instance: MeetingAttachment | None = None, file=None, name: str = ""
) -> MeetingAttachment:
    """Attach a file to a meeting (minutes, sign-in sheet, photos), or rename one."""
    ensure_in_scope(actor, meeting, "change")
    attachment = instance or MeetingAttachment(meeting=meeting)
    if file is not None:
        attachment.file = file
    attachment.name = name or attachment.name or getattr(attachment.file, "name", "")
    attachment.full_clean()
    attachment.save()
    return attachment


@service
def meeting_attachment_delete(*, actor, attachment: MeetingAttachment):
    ensure_in_scope(actor, attachment.meeting, "change")
    attachment.delete()


@service
def meeting_delete(*, actor, meeting: Meeting):
    ensure_in_scope(actor, meeting, "delete")
    meeting.delete()


# -- trainings, activities, documents -------------------------------------------------------------
def _place(record, name_field):
    """A record's organization: the one chosen, or the one whose name the text gives."""
    if record.organization_id is None:
        record.organization = resolve_organization(getattr(record, name_field))
    if record.organization_id and not getattr(record, name_field):
        setattr(record, name_field, record.organization.name)


def _members_in(record, members):
    path = record.organization_path()
    outside = [m.name for m in members if not (m.org_path or "").startswith(path or "\0")]
    if path and outside:
        raise ValidationError({"participants": f"{'、'.join(outside)}不是“{record.organization.name}”的党员"})


@service
def training_save(*, actor, instance: Training | None = None, participants=None, **fields) -> Training:
    """Create or change a training. `participants` is a list of {member, hours}; when given and
    参训人次 is not, 参训人次 is their number."""
    training, action = (Training(), "add") if instance is None else (instance, "change")
    if instance is not None:
        ensure_in_scope(actor, training, "change")
    if participants is not None and fields.get("attendance_count") is None:
        fields["attendance_count"] = len(participants)
    assign(training, fields, TRAINING_FORM_FIELDS)
    _place(training, "host_name")
    if participants is not None:
        _members_in(training, [row["member"] for row in participants])
    save_checked(training, actor=actor, action=action)
    if participants is not None:
        training.participants.all().delete()
        TrainingParticipant.objects.bulk_create(
            [
                TrainingParticipant(training=training, member=row["member"], hours=row.get("hours"))
                for row in participants
            ]
        )
    return training


@service
def activity_save(
    *, actor, instance: Activity | None = None, enterprises=None, participants=None, cadres=None, **fields
) -> Activity:
    """Create or change an activity with its participating enterprises, cadres and members (for
    在职党员进基层: {member, place, content, hours}). Visits and events with enterprises are
    activities too; problems raised there link back to them."""
    activity, action = (Activity(), "add") if instance is None else (instance, "change")
    if instance is not None:
        ensure_in_scope(actor, activity, "change")
    assign(activity, fields, ACTIVITY_FORM_FIELDS)
    _place(activity, "organizer_name")
    if participants is not None:
        _members_in(activity, [row["member"] for row in participants])
    activity.full_clean()
    activity.save()
    if enterprises is not None:
        activity.enterprises.set(enterprises)
    if cadres is not None:
        activity.cadres.set(cadres)
    if participants is not None:
        activity.participants.all().delete()
        ActivityParticipant.objects.bulk_create(
            [
                ActivityParticipant(
                    activity=activity,
                    member=row["member"],
                    place=row.get("place", ""),
                    content=row.get("content", ""),
                    hours=row.get("hours"),
                )
                for row in participants
            ]
        )
    ensure_in_scope(actor, activity, action)
    return activity


@service
def document_save(*, actor, instance: Document | None = None, **fields) -> Document:
    document, action = (Document(), "add") if instance is None else (instance, "change")
    if instance is not None:
        ensure_in_scope(actor, document, "change")
    assign(document, fields, DOCUMENT_FORM_FIELDS)
    return save_checked(document, actor=actor, action=action)


@service
def record_delete(*, actor, record):
    """Delete a training, activity or document within the actor's scope."""
    ensure_in_scope(actor, record, "delete")
    record.delete()


# -- duty lists ---------------------------------------------------------------------------------
def _check_item(item: DutyItem):
    if item.status == DutyStatus.DONE and not item.completed_on:
        raise ValidationError({"completed_on": "已完成的事项须填写完成日期"})
    if item.status != DutyStatus.DONE and item.completed_on:
        raise ValidationError({"completed_on": "事项未完成，不应有完成日期"})
    if item.completed_on and item.completed_on > timezone.localdate():
        raise ValidationError({"completed_on": "完成日期不能晚于今天"})


@service
def duty_list_create(*, actor, organization, year: int, title: str, items=(), standard=None) -> DutyList:
    if DutyList.objects.filter(organization=organization, year=year).exists():
        raise ValidationError({"year": f"“{organization.name}”{year} 年已有责任清单"})
    duty_list = DutyList(organization=organization, year=year, title=title, standard=standard)
    save_checked(duty_list, actor=actor, action="add")
    for fields in items:
        duty_item_save(actor=actor, duty_list=duty_list, **fields)
    return duty_list


@service
def duty_list_rename(*, actor, duty_list: DutyList, title: str) -> DutyList:
    ensure_in_scope(actor, duty_list, "change")
    duty_list.title = title
    return save_checked(duty_list, actor=actor, action="change")


@service
def duty_item_delete(*, actor, item: DutyItem):
    ensure_in_scope(actor, item.duty_list, "change")
    item.delete()


@service
def duty_item_save(*, actor, duty_list: DutyList, instance: DutyItem | None = None, **fields) -> DutyItem:
    ensure_in_scope(actor, duty_list, "change" if instance is not None or duty_list.pk else "add")
    item = instance or DutyItem(duty_list=duty_list)
    assign(item, fields, DUTY_ITEM_FIELDS)
    _check_item(item)
    item.full_clean()
    item.save()
    return item


@service
def duty_item_progress(*, actor, item: DutyItem, text: str, on: datetime.date | None = None) -> DutyProgress:
    """A progress note; the first one moves an item that has not started to 进行中."""
    ensure_in_scope(actor, item.duty_list, "change")
    if not text or not text.strip():
        raise ValidationError({"text": "请填写进展"})
    progress = DutyProgress(item=item, text=text.strip(), noted_on=on or timezone.localdate(), actor=actor)
    progress.full_clean()
    progress.save()
    if item.status == DutyStatus.NOT_STARTED:
        item.status = DutyStatus.IN_PROGRESS
        item.save(update_fields=["status"])
    return progress


@service
def duty_item_complete(*, actor, item: DutyItem, on: datetime.date) -> DutyItem:
    ensure_in_scope(actor, item.duty_list, "change")
    item.status, item.completed_on = DutyStatus.DONE, on
    _check_item(item)
    item.save(update_fields=["status", "completed_on"])
    return item


@service
def duty_evidence_add(*, actor, item: DutyItem, file, name: str = "") -> DutyEvidence:
    ensure_in_scope(actor, item.duty_list, "change")
    evidence = DutyEvidence(item=item, file=file, name=name or getattr(file, "name", ""))
    evidence.full_clean()
    evidence.save()
    return evidence


@service
def duty_evidence_delete(*, actor, evidence: DutyEvidence):
    ensure_in_scope(actor, evidence.item.duty_list, "change")
    evidence.delete()


@service
def standard_list_issue(*, actor, standard: StandardDutyList) -> int:
    """Issue a standard list to every organization of its kind in the actor's scope that does not
    yet have a list for that year; returns how many lists were created."""
    if not standard.items:
        raise ValidationError({"items": "标准清单没有事项"})
    organizations = (
        restrict(actor, PartyOrganization.objects.filter(kind=standard.org_kind), "view")
        if actor
        else (PartyOrganization.objects.filter(kind=standard.org_kind))
    )
    organizations = organizations.exclude(dissolved_on__lt=datetime.date(standard.year, 1, 1))
    have = set(DutyList.objects.filter(year=standard.year).values_list("organization_id", flat=True))
    created = 0
    for organization in organizations.exclude(pk__in=have):
        items = [
            {
                "title": item["title"],
                "deadline": datetime.date.fromisoformat(item["deadline"]),
                "owner": item.get("owner", ""),
                "led_by_secretary": bool(item.get("led_by_secretary")),
            }
            for item in standard.items
        ]
        duty_list_create(
            actor=actor,
            organization=organization,
            year=standard.year,
            title=standard.title,
            items=items,
            standard=standard,
        )
        created += 1
    standard.issued_at = timezone.now()
    standard.save(update_fields=["issued_at"])
    return created
