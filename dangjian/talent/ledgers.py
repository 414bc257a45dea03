"""人才库 (talents), 创新平台 (platforms) and 科技成果 (innovations) ledgers — LEDGERS.md.

What a ledger brings in is the zone's record: confirmed when saved (talent_save and
innovation_save confirm what the talent office enters). A row that names a talent or an
innovation an enterprise submitted and the zone has not confirmed is a row error: the submission
is confirmed or returned on its page, not by a file. The exports write the confirmed records
(the pool and the innovations the figures count) and the platforms not withdrawn."""

from functools import partial

from django.db.models import Case, IntegerField, Value, When

from dangjian.core.ledgers import cells
from dangjian.core.ledgers.engine import (
    Column,
    Ledger,
    RowError,
    choice_label,
    register,
    save_row,
)
from dangjian.core.validators import normalize_id_number
from dangjian.enterprises.ledgers import enterprise_by_name

from . import services
from .models import (
    CooperationUniversity,
    Innovation,
    InnovationKind,
    InnovationLevel,
    Platform,
    PlatformKind,
    PlatformLevel,
    Review,
    Talent,
    TalentCategory,
    TalentSource,
)

parse_id_number = cells.validated(normalize_id_number)


def choice_order(field: str, choices):
    """The records in the order the ledger lists the choices (平台类型, 级别, 类型), not by code."""
    return Case(
        *(When(**{field: value}, then=Value(index)) for index, value in enumerate(choices.values)),
        output_field=IntegerField(),
    )


def _blank(fields: dict, *names):
    """An empty text cell clears the field ('' rather than None)."""
    for name in names:
        if name in fields and fields[name] is None:
            fields[name] = ""


def _not_a_submission(record, column="name"):
    """A row may not settle what an enterprise submitted: that is confirmed or returned on the
    record's page."""
    if record is None or record.review == Review.CONFIRMED:
        return
    label = record._meta.verbose_name
    if record.review == Review.PENDING:
        reason = f"该{label}是企业提交、待确认的记录，请先在{label}页面确认或退回，再导入"
    else:
        reason = f"该{label}是企业提交后被退回的记录，台账不能更新；请由企业修改后重新提交"
    raise RowError([(column, reason)])


@register
class TalentLedger(Ledger):
    name = "talents"
    title = "人才库"
    model = Talent
    # the key is the ID number when the row has one, else 姓名 + 工作单位 (natural_key)
    key_columns = ("name", "id_number", "employer")
    record_columns = ("name",)
    # ID numbers are personal data: the full export needs the reveal permission, a confirmation,
    # and is logged; without them the export writes them masked (export_ledger(masked=True))
    reveals = ("公民身份号码",)
    reveal_permission = "talent.reveal_personal_data"
    columns = [
        Column("姓名", "name", required=True, parse=partial(cells.text, max_length=50)),
        Column(
            "公民身份号码",
            "id_number",
            ("身份证号", "身份证号码"),
            parse=parse_id_number,
            note="填写时按公民身份号码匹配已有的人才；不填时按 姓名 + 工作单位 匹配",
        ),
        Column(
            "人才类别", "category", required=True, parse=partial(cells.parse_choice, choices=TalentCategory)
        ),
        Column("来源", "source", parse=partial(cells.parse_choice, choices=TalentSource)),
        Column("入库日期", "intake_on", required=True, parse=cells.parse_date),
        Column(
            "出库日期",
            "exit_on",
            parse=cells.parse_date,
            note="不早于入库日期；自该日起不在人才库，留空表示仍在库",
        ),
        Column(
            "工作单位",
            "employer",
            parse=partial(cells.text, max_length=200),
            note="与企业名录中某企业名称完全相同时关联该企业",
        ),
        Column("学历", "education", parse=partial(cells.text, max_length=50)),
        Column("职称", "title", parse=partial(cells.text, max_length=100)),
    ]

    def natural_key(self, values):
        if values.get("id_number"):
            return ("id_number", values["id_number"])
        return ("name", values.get("name"), values.get("employer") or "")

    def template_notes(self):
        notes = super().template_notes()
        notes[-1] = (
            "按公民身份号码匹配系统中已有的人才（未填公民身份号码的按 姓名 + 工作单位 匹配）：已有则更新，没有则新增。"
        )
        return notes

    def apply(self, values, *, actor, state):
        fields = dict(values)
        _blank(fields, "id_number", "source", "employer", "education", "title")
        if "id_number" in fields and not fields["id_number"]:
            del fields["id_number"]  # an empty cell does not remove a recorded number
        if "exit_on" in fields and fields["exit_on"] is None:
            fields["exit_reason"] = ""  # back in the pool: no reason for leaving it
        existing = services.find_talent(
            id_number=values.get("id_number") or "",
            name=values["name"],
            employer=values.get("employer") or "",
        )
        _not_a_submission(existing)
        return save_row(
            existing,
            fields,
            create=lambda **f: services.talent_save(actor=actor, **f),
            update=lambda t, changes: services.talent_save(actor=actor, instance=t, **changes),
        )

    def export_queryset(self, user):
        return (
            super().export_queryset(user).filter(review=Review.CONFIRMED).order_by("intake_on", "name", "id")
        )

    def export_values(self, obj, context):
        return {
            "name": obj.name,
            "id_number": obj.id_number or None,
            "category": choice_label(TalentCategory, obj.category),
            "source": choice_label(TalentSource, obj.source),
            "intake_on": obj.intake_on,
            "exit_on": obj.exit_on,
            "employer": obj.employer or None,
            "education": obj.education or None,
            "title": obj.title or None,
        }


@register
class PlatformLedger(Ledger):
    name = "platforms"
    title = "创新平台"
    model = Platform
    key_columns = ("name",)
    columns = [
        Column("平台名称", "name", required=True, parse=partial(cells.text, max_length=200)),
        Column("平台类型", "kind", required=True, parse=partial(cells.parse_choice, choices=PlatformKind)),
        Column("级别", "level", required=True, parse=partial(cells.parse_choice, choices=PlatformLevel)),
        Column(
            "依托单位",
            "host",
            parse=partial(cells.text, max_length=200),
            note="与企业名录中某企业名称完全相同时关联该企业",
        ),
        Column("认定日期", "recognised_on", parse=partial(cells.parse_date, month_ok=True)),
    ]

    def apply(self, values, *, actor, state):
        fields = dict(values)
        _blank(fields, "host")
        if "recognised_on" in fields:
            fields["recognised_month_only"] = bool(getattr(fields["recognised_on"], "month_only", False))
        # zone-wide on purpose: a platform's name is unique in the zone (the key of this ledger)
        existing = Platform.objects.filter(name=values["name"]).first()
        return save_row(
            existing,
            fields,
            create=lambda **f: services.platform_save(actor=actor, **f),
            update=lambda p, changes: services.platform_save(actor=actor, instance=p, **changes),
        )

    def export_queryset(self, user):
        return (
            super()
            .export_queryset(user)
            .filter(withdrawn_on__isnull=True)
            .annotate(
                kind_order=choice_order("kind", PlatformKind),
                level_order=choice_order("level", PlatformLevel),
            )
            .order_by("kind_order", "level_order", "name", "id")
        )

    def export_values(self, obj, context):
        return {
            "name": obj.name,
            "kind": choice_label(PlatformKind, obj.kind),
            "level": choice_label(PlatformLevel, obj.level),
            "host": obj.host or None,
            "recognised_on": cells.format_date(obj.recognised_on, obj.recognised_month_only),
        }


@register
class InnovationLedger(Ledger):
    name = "innovations"
    title = "科技成果"
    model = Innovation
    key_columns = ("name", "kind")
    record_columns = ("name", "kind")
    columns = [
        Column("名称", "name", required=True, parse=partial(cells.text, max_length=300)),
        Column("类型", "kind", required=True, parse=partial(cells.parse_choice, choices=InnovationKind)),
        Column("级别", "level", parse=partial(cells.parse_choice, choices=InnovationLevel)),
        Column("企业名称", "enterprise", note="企业名录中已有的企业"),
        Column(
            "合作高校",
            "universities",
            parse=cells.parse_list,
            note="校地合作必填，其他类型不填；多所高校用顿号、逗号、分号或换行分隔",
        ),
        Column(
            "日期",
            "dated_on",
            ("立项日期", "授权日期", "签约日期"),
            required=True,
            parse=cells.parse_date,
            note="重点科技项目为立项日期，专利为授权日期，校地合作为签约日期",
        ),
    ]

    def apply(self, values, *, actor, state):
        fields = {k: v for k, v in values.items() if k != "universities"}
        _blank(fields, "level")
        if "enterprise" in values:
            fields["enterprise"] = (
                enterprise_by_name(state, values["enterprise"], hint="（请先导入企业名录）")
                if values["enterprise"]
                else None
            )
        universities = services.university_names(values["universities"]) if "universities" in values else None
        # zone-wide on purpose: 名称 + 类型 is one innovation in the zone (the key of this ledger)
        existing = Innovation.objects.filter(name=values["name"], kind=values["kind"]).first()
        _not_a_submission(existing)
        recorded = (
            set(existing.universities.values_list("name", flat=True)) if existing is not None else set()
        )
        differs = universities is not None and set(universities) != recorded
        return save_row(
            existing,
            fields,
            create=lambda **f: services.innovation_save(actor=actor, universities=universities, **f),
            update=lambda i, changes: services.innovation_save(
                actor=actor, instance=i, universities=universities if differs else None, **changes
            ),
            also_changed=differs,
        )

    def export_queryset(self, user):
        return (
            super()
            .export_queryset(user)
            .filter(review=Review.CONFIRMED)
            .select_related("enterprise")
            .annotate(kind_order=choice_order("kind", InnovationKind))
            .order_by("kind_order", "dated_on", "name", "id")
        )

    def export_context(self, objects):
        names = {}
        for university in CooperationUniversity.objects.filter(innovation__in=objects).order_by("id"):
            names.setdefault(university.innovation_id, []).append(university.name)
        return {"universities": names}

    def export_values(self, obj, context):
        return {
            "name": obj.name,
            "kind": choice_label(InnovationKind, obj.kind),
            "level": choice_label(InnovationLevel, obj.level),
            "enterprise": obj.enterprise.name if obj.enterprise_id else None,
            "universities": "、".join(context["universities"].get(obj.pk, [])) or None,
            "dated_on": obj.dated_on,
        }
