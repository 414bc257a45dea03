"""组织生活 (meetings), 教育培训 (trainings), 活动 (activities) and 发文 (documents) ledgers —
LEDGERS.md."""

from decimal import Decimal
from functools import partial

from dangjian.core.ledgers import cells
from dangjian.core.ledgers.engine import (
    Column,
    Ledger,
    RowError,
    changed_fields,
    choice_label,
    register,
    save_row,
)
from dangjian.enterprises.ledgers import enterprise_by_name
from dangjian.organizations.ledgers import organization_by_name

from . import services
from .models import (
    Activity,
    ActivityKind,
    Document,
    DocumentCategory,
    LecturerRole,
    Meeting,
    MeetingKind,
    Training,
    TrainingKind,
)


def _blank(fields, *names):
    for name in names:
        if name in fields and fields[name] is None:
            fields[name] = ""
    return fields


@register
class MeetingLedger(Ledger):
    name = "meetings"
    title = "组织生活"
    model = Meeting
    key_columns = ("organization", "kind", "held_on", "theme")
    record_columns = ("organization", "held_on", "theme")
    columns = [
        Column("党组织", "organization", ("组织名称",), required=True, note="系统中已有的党组织名称"),
        Column(
            "会议类型",
            "kind",
            ("类型",),
            required=True,
            parse=partial(cells.parse_choice, choices=MeetingKind),
        ),
        Column("日期", "held_on", ("会议日期", "开展日期"), required=True, parse=cells.parse_date),
        Column("主题", "theme", ("会议主题",), required=True, parse=partial(cells.text, max_length=300)),
        Column("应到人数", "expected_count", parse=cells.parse_int),
        Column("实到人数", "present_count", parse=cells.parse_int, note="不大于应到人数"),
        Column("主持人", "host", parse=partial(cells.text, max_length=50)),
        Column("讲课人", "lecturer", ("授课人",), parse=partial(cells.text, max_length=50), note="党课填写"),
        Column(
            "讲课人身份",
            "lecturer_role",
            parse=partial(cells.parse_choice, choices=LecturerRole),
            note="党课填写",
        ),
    ]

    def apply(self, values, *, actor, state):
        name = values["organization"]
        organization = organization_by_name(state, name)
        fields = _blank({**values, "organization": organization}, "host", "lecturer", "lecturer_role")
        existing = Meeting.objects.filter(
            organization=organization, kind=values["kind"], held_on=values["held_on"], theme=values["theme"]
        ).first()
        if existing is not None and existing.attendance_recorded:
            self._keep_counted(existing, fields)
        return save_row(
            existing,
            fields,
            create=lambda **f: services.meeting_create(actor=actor, **f),
            update=lambda m, changes: services.meeting_update(actor=actor, meeting=m, **changes),
        )

    def _keep_counted(self, meeting, fields):
        """应到 and 实到 of a meeting with attendance per member come from that attendance: an
        empty cell keeps them, a different number is a row error."""
        errors = []
        for key in ("expected_count", "present_count"):
            if fields.get(key) is None:
                fields.pop(key, None)
            elif fields[key] != getattr(meeting, key):
                label = self.column(key).header
                errors.append(
                    (
                        key,
                        f"该会议已逐人登记出席，{label}由出席记录计算为 {getattr(meeting, key)}，"
                        f"不能改为 {fields[key]}",
                    )
                )
        if errors:
            raise RowError(errors)

    def export_queryset(self, user):
        return (
            super().export_queryset(user).select_related("organization").order_by("held_on", "org_path", "id")
        )

    def export_values(self, obj, context):
        return {
            "organization": obj.organization.name,
            "kind": choice_label(MeetingKind, obj.kind),
            "held_on": obj.held_on,
            "theme": obj.theme,
            "expected_count": obj.expected_count,
            "present_count": obj.present_count,
            "host": obj.host,
            "lecturer": obj.lecturer,
            "lecturer_role": choice_label(LecturerRole, obj.lecturer_role),
        }


@register
class TrainingLedger(Ledger):
    name = "trainings"
    title = "教育培训"
    model = Training
    key_columns = ("name", "start_on")
    columns = [
        Column("培训名称", "name", ("班次名称",), required=True, parse=partial(cells.text, max_length=200)),
        Column("培训类型", "kind", required=True, parse=partial(cells.parse_choice, choices=TrainingKind)),
        Column(
            "主办党组织",
            "host_name",
            ("主办单位",),
            parse=partial(cells.text, max_length=200),
            note="党组织或单位名称",
        ),
        Column("开始日期", "start_on", required=True, parse=cells.parse_date),
        Column("结束日期", "end_on", parse=cells.parse_date, note="不早于开始日期"),
        Column("参训人次", "attendance_count", ("培训人次",), required=True, parse=cells.parse_int),
        Column("学时", "hours", parse=partial(cells.parse_decimal, places=2, min_value=Decimal(0))),
    ]

    def apply(self, values, *, actor, state):
        fields = _blank(dict(values), "host_name")
        if "host_name" in fields:
            fields["organization"] = services.resolve_organization(fields["host_name"])
        existing = Training.objects.filter(name=values["name"], start_on=values["start_on"]).first()
        return save_row(
            existing,
            fields,
            create=lambda **f: services.training_save(actor=actor, **f),
            update=lambda t, changes: services.training_save(actor=actor, instance=t, **changes),
        )

    def export_values(self, obj, context):
        return {
            "name": obj.name,
            "kind": choice_label(TrainingKind, obj.kind),
            "host_name": obj.host_name,
            "start_on": obj.start_on,
            "end_on": obj.end_on,
            "attendance_count": obj.attendance_count,
            "hours": obj.hours,
        }


@register
class ActivityLedger(Ledger):
    name = "activities"
    title = "活动"
    model = Activity
    key_columns = ("name", "held_on")
    columns = [
        Column("活动名称", "name", required=True, parse=partial(cells.text, max_length=200)),
        Column("活动类型", "kind", required=True, parse=partial(cells.parse_choice, choices=ActivityKind)),
        Column(
            "党组织",
            "organizer_name",
            ("组织单位",),
            parse=partial(cells.text, max_length=200),
            note="党组织或单位名称",
        ),
        Column("日期", "held_on", ("活动日期",), required=True, parse=cells.parse_date),
        Column("参与人数", "participant_count", parse=cells.parse_int),
        Column("参与企业", "enterprises", parse=cells.parse_list, note="系统中已有的企业名称"),
        Column(
            "捐款金额（元）",
            "donation",
            parse=partial(cells.parse_decimal, places=2, unit="元", min_value=Decimal(0)),
        ),
    ]

    def _enterprises(self, names, state):
        found, errors = [], []
        for name in dict.fromkeys(names):
            try:
                found.append(enterprise_by_name(state, name, "enterprises"))
            except RowError as exc:
                errors.extend(message for _, message in exc.errors)
        if errors:
            raise RowError([("enterprises", "；".join(errors))])
        return found

    def apply(self, values, *, actor, state):
        fields = _blank({k: v for k, v in values.items() if k != "enterprises"}, "organizer_name")
        if "organizer_name" in fields:
            fields["organization"] = services.resolve_organization(fields["organizer_name"])
        enterprises = self._enterprises(values["enterprises"], state) if "enterprises" in values else None
        existing = Activity.objects.filter(name=values["name"], held_on=values["held_on"]).first()
        if existing is not None and enterprises is not None:
            if {e.pk for e in enterprises} != set(existing.enterprises.values_list("pk", flat=True)):
                services.activity_save(
                    actor=actor,
                    instance=existing,
                    enterprises=enterprises,
                    **changed_fields(existing, fields),
                )
                return "updated"
        return save_row(
            existing,
            fields,
            create=lambda **f: services.activity_save(actor=actor, enterprises=enterprises, **f),
            update=lambda a, changes: services.activity_save(actor=actor, instance=a, **changes),
        )

    def export_context(self, objects):
        names = {}
        for activity in Activity.objects.filter(pk__in=[o.pk for o in objects]).prefetch_related(
            "enterprises"
        ):
            names[activity.pk] = "、".join(e.name for e in activity.enterprises.all())
        return {"enterprises": names}

    def export_values(self, obj, context):
        return {
            "name": obj.name,
            "kind": choice_label(ActivityKind, obj.kind),
            "organizer_name": obj.organizer_name,
            "held_on": obj.held_on,
            "participant_count": obj.participant_count,
            "enterprises": context["enterprises"].get(obj.pk) or None,
            "donation": obj.donation,
        }


@register
class DocumentLedger(Ledger):
    name = "documents"
    title = "发文"
    model = Document
    key_columns = ("number",)
    record_columns = ("number", "title")
    columns = [
        Column("文号", "number", ("发文字号",), required=True, parse=partial(cells.text, max_length=100)),
        Column("标题", "title", ("文件标题",), required=True, parse=partial(cells.text, max_length=300)),
        Column("发文日期", "issued_on", ("印发日期",), required=True, parse=cells.parse_date),
        Column("文件类别", "category", parse=partial(cells.parse_choice, choices=DocumentCategory)),
    ]

    def apply(self, values, *, actor, state):
        fields = _blank(dict(values), "category")
        existing = Document.objects.filter(number=values["number"]).first()
        return save_row(
            existing,
            fields,
            create=lambda **f: services.document_save(actor=actor, **f),
            update=lambda d, changes: services.document_save(actor=actor, instance=d, **changes),
        )

    def export_values(self, obj, context):
        return {
            "number": obj.number,
            "title": obj.title,
            "issued_on": obj.issued_on,
            "category": choice_label(DocumentCategory, obj.category),
        }
