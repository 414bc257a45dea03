"""党员花名册 (members) ledger — LEDGERS.md."""

from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dangjian.core.crypto import keyed_hash
from dangjian.core.ledgers import cells
from dangjian.core.ledgers.engine import (
    ONE_BY_ONE,
    CellError,
    Column,
    Ledger,
    RowError,
    changed_fields,
    choice_label,
    one_of,
    register,
    resolve_one,
)
from dangjian.core.rules import rules_for
from dangjian.core.validators import normalize_id_number, normalize_mobile, period_text
from dangjian.organizations.ledgers import organization_by_name, organization_prefetch
from dangjian.organizations.models import OrgKind, PartyOrganization

from . import services
from .models import (
    DevelopmentCase,
    DuesPayment,
    Education,
    Member,
    MemberCategory,
    MembershipStatus,
    Sex,
    probation_error,
)
from .rules import DEVELOPMENT

parse_id_number = cells.validated(normalize_id_number)


parse_mobile = cells.validated(normalize_mobile)


EDUCATION_ALIASES = {
    "博士": "研究生",
    "博士研究生": "研究生",
    "硕士": "研究生",
    "硕士研究生": "研究生",
    "本科": "大学本科",
    "大学": "大学本科",
    "大专": "大学专科",
    "专科": "大学专科",
    "中等专科": "中专",
    "中技": "中专",
    "技校": "中专",
    "职高": "中专",
    "初中": "初中及以下",
    "小学": "初中及以下",
}
CATEGORY_ALIASES = {"正式": "正式党员", "预备": "预备党员"}
SEX_ALIASES = {"男性": "男", "女性": "女"}


def _extended(joined, regularized) -> bool:
    """The roster has no column for an extended probation: a 转正日期 that is valid only with
    an extension (more than one year, at most two after 入党) means it was extended."""
    if not joined or not regularized:
        return False
    month_only = getattr(joined, "month_only", False) or getattr(regularized, "month_only", False)
    return (
        probation_error(joined, regularized, False, month_only=month_only) is not None
        and probation_error(joined, regularized, True, month_only=month_only) is None
    )


def _rule_note(text):
    """A column's note worded with today's development rules (members.rules): {min_age},
    {introducers}, and the periods {probation}, {extension} and {activist} as rules word them."""
    values = rules_for(DEVELOPMENT, timezone.localdate()).values
    return text.format(
        **values,
        probation=period_text(values["probation_years"] * 12),
        extension=period_text(values["extension_max_months"]),
        activist=period_text(values["activist_min_years"] * 12),
    )


def resolve_organization(values, state):
    """The 所在党组织 of a row, by name."""
    return organization_by_name(state, values["organization"])


def _group_what(organization) -> str:
    return f"“{organization.name}”下的党小组"


def _party_groups(names) -> dict:
    """{name: [party groups of that name]} in one query: those a batch of rows names."""
    groups: dict = {}
    if names:
        for group in PartyOrganization.objects.filter(kind=OrgKind.PARTY_GROUP, name__in=names):
            groups.setdefault(group.name, []).append(group)
    return groups


def _group_in(groups: dict, organization, name):
    """The one party group of this name right under `organization` (its children, as
    `MemberLedger._party_group` reads them), from `_party_groups`; a row error otherwise."""
    if not name:
        return None
    found = [
        g
        for g in groups.get(name, [])
        if g.depth == organization.depth + 1 and g.path.startswith(organization.path)
    ]
    try:
        return one_of(found[:2], what=_group_what(organization), value=name)
    except CellError as exc:
        raise RowError([("party_group", str(exc))]) from None


class RevealOnExport:
    """Ledgers whose export carries full ID numbers: exporting needs the reveal permission, an
    explicit confirmation, and is logged as a reveal of personal data (the engine, `reveals`)."""

    reveals = ("公民身份号码",)
    reveal_permission = "members.reveal_personal_data"


@register
class MemberLedger(RevealOnExport, Ledger):
    reveals = ("公民身份号码", "手机号码")  # and the birth date, part of the ID number
    name = "members"
    title = "党员花名册"
    model = Member
    key_columns = ("id_number",)
    columns = [
        Column("姓名", "name", required=True, parse=partial(cells.text, max_length=50)),
        Column(
            "性别",
            "sex",
            parse=partial(cells.parse_choice, choices=Sex, aliases=SEX_ALIASES),
            note="须与公民身份号码一致",
        ),
        Column("民族", "ethnicity", parse=partial(cells.text, max_length=20)),
        Column("公民身份号码", "id_number", ("身份证号", "身份证号码"), required=True, parse=parse_id_number),
        Column(
            "出生日期",
            "birth_date",
            parse=cells.parse_date,
            note="须与公民身份号码一致；不填时按公民身份号码填写",
        ),
        Column(
            "学历",
            "education",
            parse=partial(cells.parse_choice, choices=Education, aliases=EDUCATION_ALIASES),
        ),
        Column(
            "人员类别",
            "category",
            ("党员类别",),
            required=True,
            parse=partial(cells.parse_choice, choices=MemberCategory, aliases=CATEGORY_ALIASES),
        ),
        Column(
            "入党日期",
            "joined_on",
            ("加入党组织日期", "入党时间"),
            required=True,
            parse=partial(cells.parse_date, month_ok=True),
            note=partial(_rule_note, "入党时须年满 {min_age} 周岁"),
        ),
        Column(
            "转正日期",
            "regularized_on",
            ("转为正式党员日期",),
            parse=partial(cells.parse_date, month_ok=True),
            note=partial(
                _rule_note,
                "正式党员必填，预备党员不填；应在入党满{probation}时（延长预备期的最多再延长{extension}）",
            ),
        ),
        Column(
            "所在党组织",
            "organization",
            ("所在支部", "所在党支部"),
            required=True,
            note="系统中已有、可以有党员的党组织（不能是党工委或党小组）",
        ),
        Column("所在党小组", "party_group", note="所在党组织下的党小组"),
        Column("工作岗位", "position", ("职务",), parse=partial(cells.text, max_length=100)),
        Column("手机号码", "phone", ("联系电话",), parse=parse_mobile),
        Column(
            "党籍状态",
            "status",
            parse=partial(cells.parse_choice, choices=MembershipStatus),
            note="不填为正常",
        ),
        Column("是否流动党员", "is_mobile", parse=cells.parse_bool),
    ]

    def _party_group(self, values, organization):
        name = values.get("party_group")
        if not name:
            return None
        try:
            return resolve_one(
                organization.children().filter(kind=OrgKind.PARTY_GROUP, name=name),
                what=_group_what(organization),
                value=name,
            )
        except CellError as exc:
            raise RowError([("party_group", str(exc))]) from None

    def _fields(self, values, party_group) -> dict:
        """The roster fields a row sets (all but the organization, which a move changes)."""
        fields = {k: v for k, v in values.items() if k not in ("organization", "party_group")}
        if "party_group" in values:
            fields["party_group"] = party_group
        for name in ("sex", "ethnicity", "education", "position", "phone"):
            if name in fields and fields[name] is None:
                fields[name] = ""
        if "status" in fields and fields["status"] is None:
            fields["status"] = MembershipStatus.NORMAL
        if "is_mobile" in fields and fields["is_mobile"] is None:
            fields["is_mobile"] = False
        fields["joined_month_only"] = bool(getattr(values.get("joined_on"), "month_only", False))
        if "regularized_on" in fields:
            fields["regularized_month_only"] = bool(
                getattr(values.get("regularized_on"), "month_only", False)
            )
            fields["probation_extended"] = _extended(values.get("joined_on"), values.get("regularized_on"))
        return fields

    def apply(self, values, *, actor, state):
        organization = resolve_organization(values, state)
        party_group = self._party_group(values, organization) if "party_group" in values else None
        fields = self._fields(values, party_group)

        existing = services.find_by_id_number(values["id_number"])
        if existing is None:
            services.member_create(actor=actor, organization=organization, **fields)
            return "created"
        status = "unchanged"
        if existing.organization_id != organization.pk:
            services.member_transfer(
                actor=actor,
                member=existing,
                to=organization,
                on=timezone.localdate(),
                party_group=fields.pop("party_group", None),
                note="台账导入变更所在党组织",
            )
            status = "updated"
        changes = changed_fields(existing, fields)
        if changes:
            services.member_update(actor=actor, member=existing, **changes)
            status = "updated"
        return status

    def apply_many(self, rows, *, actor, state):
        """A batch of rows: the organizations, party groups and registered members they name are
        read in one query each; a new member is checked by `services.member_new` and the batch's
        new members written by `services.member_create_many`; a registered member the row leaves
        as it is needs no write; one it changes goes through `apply` (a move, an update)."""
        organization_prefetch(state, {row.values["organization"] for row in rows})
        groups = _party_groups({row.values.get("party_group") for row in rows} - {None, ""})
        registered = services.members_by_id_number({row.values["id_number"] for row in rows})
        today = timezone.localdate()
        outcomes: list = []
        new: list = []  # (index in outcomes, member)
        for row in rows:
            values = row.values
            try:
                organization = resolve_organization(values, state)
                party_group = None
                if "party_group" in values:
                    party_group = _group_in(groups, organization, values.get("party_group"))
                fields = self._fields(values, party_group)
                existing = registered.get(values["id_number"])
                if existing is None:
                    member = services.member_new(
                        organization=organization, on=today, references_read=True, **fields
                    )
                    new.append((len(outcomes), member))
                    outcomes.append("created")
                elif existing.organization_id == organization.pk and not changed_fields(existing, fields):
                    outcomes.append("unchanged")
                else:
                    outcomes.append(ONE_BY_ONE)
            except (RowError, CellError, ValidationError, PermissionDenied) as exc:
                outcomes.append(exc)
        if new:
            failures = services.member_create_many(actor=actor, members=[member for _, member in new])
            for position, error in failures.items():
                outcomes[new[position][0]] = error
        return outcomes

    # -- export: full ID and phone numbers, so it needs the reveal permission ----------------
    def export_queryset(self, user):
        return (
            super()
            .export_queryset(user)
            .filter(left_on__isnull=True)
            .select_related("organization", "party_group")
            .order_by("org_path", "name", "id")
        )

    def export_values(self, obj, context):
        return {
            "name": obj.name,
            "sex": obj.sex,
            "ethnicity": obj.ethnicity,
            "id_number": obj.id_number,
            "birth_date": obj.birth_date,
            "education": choice_label(Education, obj.education),
            "category": choice_label(MemberCategory, obj.category),
            "joined_on": cells.format_date(obj.joined_on, obj.joined_month_only),
            "regularized_on": cells.format_date(obj.regularized_on, obj.regularized_month_only),
            "organization": obj.organization.name,
            "party_group": obj.party_group.name if obj.party_group_id else None,
            "position": obj.position,
            "phone": obj.phone,
            "status": choice_label(MembershipStatus, obj.status),
            "is_mobile": obj.is_mobile,
        }


@register
class DevelopmentLedger(RevealOnExport, Ledger):
    name = "development"
    title = "发展党员"
    model = DevelopmentCase
    key_columns = ("id_number",)
    columns = [
        Column("姓名", "name", required=True, parse=partial(cells.text, max_length=50)),
        Column("公民身份号码", "id_number", ("身份证号",), required=True, parse=parse_id_number),
        Column("所在党组织", "organization", ("所在支部",), required=True, note="系统中已有的党组织名称"),
        Column(
            "申请入党日期",
            "applied_on",
            ("递交申请书日期",),
            required=True,
            parse=cells.parse_date,
            note=partial(_rule_note, "申请时须年满 {min_age} 周岁"),
        ),
        Column(
            "确定积极分子日期",
            "activist_on",
            ("确定为入党积极分子日期",),
            parse=cells.parse_date,
            note="在申请入党日期之后",
        ),
        Column(
            "确定发展对象日期",
            "candidate_on",
            parse=cells.parse_date,
            note=partial(_rule_note, "确定积极分子满{activist}之后"),
        ),
        Column(
            "接收预备党员日期",
            "admitted_on",
            ("支部大会接收日期",),
            parse=cells.parse_date,
            note="在确定发展对象日期之后；填写后即为党员花名册中的党员",
        ),
        Column(
            "转正日期",
            "regularized_on",
            ("预备党员转正日期",),
            parse=cells.parse_date,
            note=partial(_rule_note, "接收预备党员满{probation}时（延长预备期的最多再延长{extension}）"),
        ),
        Column(
            "入党介绍人",
            "introducer_names",
            ("介绍人",),
            parse=cells.parse_list,
            note=partial(_rule_note, "{introducers} 名入党介绍人的姓名"),
        ),
    ]
    field_columns = {"talked_on": "applied_on"}

    def apply(self, values, *, actor, state):
        organization = resolve_organization(values, state)
        names = values.get("introducer_names") or []
        if names and len(names) != 2:
            raise RowError([("introducer_names", f"应为两名入党介绍人，实际 {len(names)} 名")])
        existing = DevelopmentCase.objects.filter(id_number_hash=keyed_hash(values["id_number"])).first()
        fields = {
            "name": values["name"],
            "organization": organization,
            "applied_on": values["applied_on"],
            "activist_on": values.get("activist_on"),
            "candidate_on": values.get("candidate_on"),
            "admitted_on": values.get("admitted_on"),
            "regularized_on": values.get("regularized_on"),
            "introducer_names": "、".join(names),
        }
        if existing is not None:
            for column in self.columns:  # a column the file lacks keeps what is stored
                if column.key not in values and column.key in fields:
                    fields[column.key] = getattr(existing, column.key)
            unchanged = all(getattr(existing, k) == v for k, v in fields.items())
            member_ok = not existing.admitted_on or (
                existing.member_id and existing.member.joined_on == existing.admitted_on
            )
            if unchanged and member_ok:
                return "unchanged"
        services.development_import(actor=actor, id_number=values["id_number"], existing=existing, **fields)
        return "created" if existing is None else "updated"

    def export_queryset(self, user):
        return (
            super()
            .export_queryset(user)
            .select_related("organization")
            .order_by("org_path", "applied_on", "id")
        )

    def export_values(self, obj, context):
        return {
            "name": obj.name,
            "id_number": obj.id_number,
            "organization": obj.organization.name,
            "applied_on": obj.applied_on,
            "activist_on": obj.activist_on,
            "candidate_on": obj.candidate_on,
            "admitted_on": obj.admitted_on,
            "regularized_on": obj.regularized_on,
            "introducer_names": obj.introducer_names or None,
        }


def parse_month(raw):
    value = cells.parse_date(raw, month_ok=True)
    return value.replace(day=1) if value else None


parse_month.describe = "月份，如 2025.03、2025年3月、2025-03（填到日的日期取其所在月份）"


@register
class DuesPaymentLedger(RevealOnExport, Ledger):
    name = "dues_payments"
    title = "党费交纳"
    model = DuesPayment
    key_columns = ("id_number", "month", "voluntary")
    record_columns = ("name", "month")

    def record_label(self, raw):
        """The member's name as written (else the ID number, masked) and the month."""
        keys = None if cells.written(raw.get("name")) else ("id_number", "month")
        return super().record_label(raw, keys)

    columns = [
        Column(
            "公民身份号码",
            "id_number",
            ("身份证号",),
            required=True,
            parse=parse_id_number,
            note="党员花名册中已有的党员",
        ),
        Column("姓名", "name", parse=partial(cells.text, max_length=50)),
        Column("所属月份", "month", ("月份",), required=True, parse=parse_month),
        Column(
            "金额（元）",
            "amount",
            ("交纳金额（元）", "实缴金额（元）"),
            required=True,
            parse=partial(cells.parse_decimal, places=2, unit="元"),
        ),
        Column("交纳日期", "paid_on", ("缴纳日期",), required=True, parse=cells.parse_date),
        Column("自愿多交", "voluntary", ("是否自愿多交",), parse=cells.parse_bool, note="不填为否"),
    ]

    def apply(self, values, *, actor, state):
        member = services.find_by_id_number(values["id_number"])
        if member is None:
            raise RowError([("id_number", "找不到这名党员（请先导入党员花名册）")])
        if values.get("name") and values["name"] != member.name:
            raise RowError([("name", f"与公民身份号码登记的姓名“{member.name}”不一致")])
        _, status = services.dues_payment_record(
            actor=actor,
            member=member,
            month=values["month"],
            amount=values["amount"],
            paid_on=values["paid_on"],
            voluntary=bool(values.get("voluntary")),
        )
        return status

    def export_queryset(self, user):
        return (
            super().export_queryset(user).select_related("member").order_by("month", "org_path", "member_id")
        )

    def export_values(self, obj, context):
        return {
            "id_number": obj.member.id_number,
            "name": obj.member.name,
            "month": cells.format_date(obj.month, True),
            "amount": obj.amount,
            "paid_on": obj.paid_on,
            "voluntary": obj.voluntary,
        }
