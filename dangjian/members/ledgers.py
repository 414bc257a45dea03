"""党员花名册 (members) ledger — LEDGERS.md."""

from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dangjian.audit.models import AuditEntry
from dangjian.audit.services import audit_record
from dangjian.core.ledgers import cells
from dangjian.core.ledgers.engine import (
    CellError,
    Column,
    Ledger,
    RowError,
    changed_fields,
    choice_label,
    register,
    resolve_one,
)
from dangjian.core.validators import normalize_id_number, normalize_mobile
from dangjian.organizations.models import OrgKind, PartyOrganization

from . import services
from .models import Education, Member, MemberCategory, MembershipStatus, Sex, probation_error


def parse_id_number(raw):
    if cells.is_empty(raw):
        return None
    try:
        return normalize_id_number(cells.clean_text(raw))
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from None


def parse_mobile(raw):
    if cells.is_empty(raw):
        return None
    try:
        return normalize_mobile(cells.clean_text(raw))
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from None


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


@register
class MemberLedger(Ledger):
    name = "members"
    title = "党员花名册"
    model = Member
    key_columns = ("id_number",)
    columns = [
        Column("姓名", "name", required=True, parse=partial(cells.text, max_length=50)),
        Column("性别", "sex", parse=partial(cells.parse_choice, choices=Sex, aliases=SEX_ALIASES)),
        Column("民族", "ethnicity", parse=partial(cells.text, max_length=20)),
        Column("公民身份号码", "id_number", ("身份证号", "身份证号码"), required=True, parse=parse_id_number),
        Column("出生日期", "birth_date", parse=cells.parse_date),
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
        ),
        Column(
            "转正日期",
            "regularized_on",
            ("转为正式党员日期",),
            parse=partial(cells.parse_date, month_ok=True),
        ),
        Column("所在党组织", "organization", ("所在支部", "所在党支部"), required=True),
        Column("所在党小组", "party_group"),
        Column("工作岗位", "position", ("职务",), parse=partial(cells.text, max_length=100)),
        Column("手机号码", "phone", ("联系电话",), parse=parse_mobile),
        Column("党籍状态", "status", parse=partial(cells.parse_choice, choices=MembershipStatus)),
        Column("是否流动党员", "is_mobile", parse=cells.parse_bool),
    ]

    def _organization(self, values, state):
        name = values["organization"]
        cache = state.setdefault("organizations", {})
        if name not in cache:
            try:
                cache[name] = resolve_one(
                    PartyOrganization.objects.filter(name=name), what="党组织", value=name
                )
            except CellError as exc:
                cache[name] = exc
        if isinstance(cache[name], CellError):
            raise RowError([("organization", str(cache[name]))])
        return cache[name]

    def _party_group(self, values, organization):
        name = values.get("party_group")
        if not name:
            return None
        try:
            return resolve_one(
                organization.children().filter(kind=OrgKind.PARTY_GROUP, name=name),
                what=f"“{organization.name}”下的党小组",
                value=name,
            )
        except CellError as exc:
            raise RowError([("party_group", str(exc))]) from None

    def apply(self, values, *, actor, state):
        organization = self._organization(values, state)
        fields = {k: v for k, v in values.items() if k not in ("organization", "party_group")}
        if "party_group" in values:
            fields["party_group"] = self._party_group(values, organization)
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

    # -- export: full ID and phone numbers, so it needs the reveal permission ----------------
    def check_permission(self, user, *, export=False):
        super().check_permission(user, export=export)
        if export and user is not None and not user.has_perm("members.reveal_personal_data"):
            raise PermissionDenied("导出党员花名册含完整身份证号和手机号码，需要查看个人敏感信息的权限")

    def export_queryset(self, user):
        return (
            super()
            .export_queryset(user)
            .filter(left_on__isnull=True)
            .select_related("organization", "party_group")
            .order_by("org_path", "name", "id")
        )

    def export_audit(self, user, count):
        audit_record(
            AuditEntry.Action.REVEAL,
            model=Member,
            user=user,
            message=f"导出党员花名册：{count} 名党员的完整公民身份号码和手机号码",
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
