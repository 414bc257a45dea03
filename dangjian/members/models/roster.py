import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from dangjian.core.crypto import (
    BirthDateField,
    EncryptedCharField,
    keyed_hash,
    mask_birth_date,
    mask_id_number,
    mask_phone,
)
from dangjian.core.paths import ordered_path_index, path_index
from dangjian.core.rules import rules_for
from dangjian.core.scope import ScopeSpec
from dangjian.core.validators import (
    add_months,
    add_years,
    id_birth_date,
    id_sex,
    last_day_of_month,
    normalize_id_number,
    normalize_mobile,
    period_text,
)
from dangjian.members.rules import DEVELOPMENT
from dangjian.organizations.models import OrgRecord


class Sex(models.TextChoices):
    MALE = "男", "男"
    FEMALE = "女", "女"


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", "研究生"
    BACHELOR = "bachelor", "大学本科"
    COLLEGE = "college", "大学专科"
    SECONDARY_VOCATIONAL = "secondary_vocational", "中专"
    HIGH_SCHOOL = "high_school", "高中"
    JUNIOR_OR_BELOW = "junior_or_below", "初中及以下"


class MemberCategory(models.TextChoices):
    FULL = "full", "正式党员"
    PROBATIONARY = "probationary", "预备党员"


class MembershipStatus(models.TextChoices):
    NORMAL = "normal", "正常"
    SUSPENDED = "suspended", "停止党籍"


class Member(OrgRecord):
    name = models.CharField("姓名", max_length=50, db_index=True)
    sex = models.CharField("性别", max_length=2, choices=Sex.choices, blank=True)
    ethnicity = models.CharField("民族", max_length=20, blank=True)
    id_number = EncryptedCharField("公民身份号码", mask=mask_id_number)
    id_number_hash = models.CharField("身份证号摘要", max_length=64, unique=True, editable=False)
    birth_date = BirthDateField("出生日期", null=True, blank=True)
    education = models.CharField("学历", max_length=30, choices=Education.choices, blank=True)
    category = models.CharField("人员类别", max_length=20, choices=MemberCategory.choices)
    joined_on = models.DateField("入党日期")
    joined_month_only = models.BooleanField("入党日期只到月", default=False, editable=False)
    regularized_on = models.DateField("转正日期", null=True, blank=True)
    regularized_month_only = models.BooleanField("转正日期只到月", default=False, editable=False)
    probation_extended = models.BooleanField("延长预备期", default=False)
    organization = models.ForeignKey(
        "organizations.PartyOrganization",
        verbose_name="所在党组织",
        on_delete=models.PROTECT,
        related_name="members",
    )
    party_group = models.ForeignKey(
        "organizations.PartyOrganization",
        verbose_name="所在党小组",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="group_members",
    )
    position = models.CharField("工作岗位", max_length=100, blank=True)
    phone = EncryptedCharField("手机号码", blank=True, mask=mask_phone)
    phone_hash = models.CharField("手机号摘要", max_length=64, blank=True, editable=False, db_index=True)
    status = models.CharField("党籍状态", max_length=20, choices=MembershipStatus.choices, default="normal")
    is_mobile = models.BooleanField("流动党员", default=False)
    left_on = models.DateField("离开日期", null=True, blank=True, editable=False)
    leave_reason = models.CharField("离开原因", max_length=100, blank=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "党员"
        verbose_name_plural = "党员"
        ordering = ["org_path", "name", "id"]
        permissions = [("reveal_personal_data", "查看完整身份证号和手机号码")]
        indexes = [
            path_index("member_path_prefix"),
            # the list's page 1 in its order, for any scope (core.paths.ordered_path_index)
            ordered_path_index("member_list_order", "name", "id"),
            models.Index(fields=["organization", "category"], name="member_org_category"),
        ]

    def __str__(self):
        return self.name

    @property
    def id_number_masked(self):
        return mask_id_number(self.id_number)

    @property
    def birth_date_masked(self):
        return mask_birth_date(self.birth_date)

    @property
    def phone_masked(self):
        return mask_phone(self.phone)

    @property
    def is_current(self):
        return self.left_on is None

    def refresh_hashes(self):
        self.id_number_hash = keyed_hash(self.id_number) if self.id_number else ""
        self.phone_hash = keyed_hash(self.phone) if self.phone else ""

    def clean(self):
        """The roster rules. Dates given only to the month pass when some day of that month
        satisfies the rule."""
        errors = {}
        birth = None
        if self.id_number:
            try:
                self.id_number = normalize_id_number(self.id_number)
            except ValidationError as exc:
                errors["id_number"] = exc.messages
        if self.phone:
            try:
                self.phone = normalize_mobile(self.phone)
            except ValidationError as exc:
                errors["phone"] = exc.messages
        if self.id_number and "id_number" not in errors:
            if not self.birth_date:
                self.birth_date = id_birth_date(self.id_number)
            if not self.sex:
                self.sex = id_sex(self.id_number)
            birth = id_birth_date(self.id_number)
            if self.sex and self.sex != id_sex(self.id_number):
                errors["sex"] = f"与公民身份号码不一致（号码表明为{id_sex(self.id_number)}）"
            if self.birth_date and self.birth_date != birth:
                errors["birth_date"] = f"与公民身份号码不一致（号码表明为 {birth:%Y-%m-%d}）"
        if birth and self.joined_on:
            latest_join = last_day_of_month(self.joined_on) if self.joined_month_only else self.joined_on
            min_age = rules_for(DEVELOPMENT, latest_join).values["min_age"]
            if latest_join < add_years(birth, min_age):
                errors["joined_on"] = f"入党时未满 {min_age} 周岁（出生于 {birth:%Y-%m-%d}）"
        if self.category == MemberCategory.PROBATIONARY and self.regularized_on:
            errors["regularized_on"] = "预备党员不应有转正日期"
        if self.category == MemberCategory.FULL and not self.regularized_on:
            errors["regularized_on"] = "正式党员必须填写转正日期"
        if self.category == MemberCategory.FULL and self.regularized_on and self.joined_on:
            message = probation_error(
                self.joined_on,
                self.regularized_on,
                self.probation_extended,
                month_only=self.joined_month_only or self.regularized_month_only,
            )
            if message:
                errors["regularized_on"] = message
        if errors:
            raise ValidationError(errors)


def probation_error(joined: datetime.date, regularized: datetime.date, extended: bool, month_only=False):
    """转正 comes when the probation (the versioned rule: one year) is over, or — when it was
    extended — later, but no more than the longest extension (one further year). With a
    month-only date the comparison is by month."""
    values = rules_for(DEVELOPMENT, joined).values
    probation = values["probation_years"] * 12
    longest = probation + values["extension_max_months"]
    full, most, extra = (
        period_text(probation),
        period_text(longest),
        period_text(values["extension_max_months"]),
    )
    late = f"转正日期晚于入党满{full}，但未标明延长预备期"
    if month_only:
        months = (regularized.year - joined.year) * 12 + regularized.month - joined.month
        if months == probation:
            return None
        if probation < months <= longest:
            return None if extended else late
        return f"转正日期应在入党满{full}时（延长预备期的最多再延长{extra}）"
    due = add_months(joined, probation)
    exact = {due}
    if joined.month == 2 and joined.day == 29:
        exact.add(due + datetime.timedelta(days=1))
    if regularized in exact:
        return None
    if due < regularized <= add_months(joined, longest):
        return None if extended else late
    if regularized < due:
        return f"转正日期早于入党满{full}（应为 {due:%Y-%m-%d}）"
    return f"转正日期晚于入党满{most}，超过最长预备期"


class Membership(OrgRecord):
    """Which organization a member belonged to when: one row per stay, so the organization on
    any past date is known and scoped counts as of a date are one indexed query.

    `valid_from` is the first day the stay counts. A stay set by a ledger or created in place
    has no known start; it counts from the day the member joined the party (`start_known` is
    false and the date follows 入党日期). `valid_until` is the last day, inclusive (for a move
    within the zone the day before the move; for leaving, the day of leaving)."""

    class Reason(models.TextChoices):
        INITIAL = "initial", "建档"
        TRANSFER = "transfer", "组织关系转接"
        TRANSFER_IN = "transfer_in", "从外单位转入"

    member = models.ForeignKey(
        Member, verbose_name="党员", on_delete=models.CASCADE, related_name="memberships"
    )
    valid_from = models.DateField("起始日期")
    start_known = models.BooleanField("起始日期确定", default=False)
    valid_until = models.DateField("截止日期", null=True, blank=True)
    reason = models.CharField("原因", max_length=20, choices=Reason.choices, default=Reason.INITIAL)
    note = models.CharField("备注", max_length=200, blank=True)

    SCOPE = ScopeSpec(org_path="org_path", permission_model="members.membership")

    class Meta:
        verbose_name = "组织关系记录"
        verbose_name_plural = "组织关系记录"
        ordering = ["member_id", "valid_from", "id"]
        indexes = [
            path_index("membership_path_from", then="valid_from"),
        ]

    def __str__(self):
        until = f"{self.valid_until:%Y-%m-%d}" if self.valid_until else "至今"
        return f"{self.member} · {self.organization} · {self.valid_from:%Y-%m-%d}—{until}"


def memberships_on(day: datetime.date):
    """Q for stays that cover `day`."""
    return Q(valid_from__lte=day) & (Q(valid_until__isnull=True) | Q(valid_until__gte=day))
