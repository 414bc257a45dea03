"""人才与创新: the talent pool (动态入库: who is in it on any day) and the support paid under the
zone's talent policies, experts engaged with enterprises, innovation platforms and the
enterprises their incubators incubate, and innovations (重点科技项目, 科技成果, 专利, 校地合作).

A record with an enterprise is counted under the enterprise's organization and reached through
the enterprise (its contact sees it); one without counts at the zone's root only. An enterprise
contact may submit a talent or an innovation; it waits for the zone to confirm it (待确认) and
counts in no figure until then."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from dangjian.core.crypto import EncryptedCharField, keyed_hash, mask_id_number, mask_phone
from dangjian.core.files import ScopedFileField
from dangjian.core.scope import ScopeSpec

# reached through its enterprise (the contact sees it) and counted under the enterprise's
# organization; without an enterprise, at the zone's root only
ENTERPRISE_SCOPE = ScopeSpec(org_path="enterprise__org_path", enterprise="enterprise")


def optional_enterprise(verbose_name="企业", related_name="+", help_text=""):
    return models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name=related_name,
        help_text=help_text,
    )


class Review(models.TextChoices):
    PENDING = "pending", "待确认"
    CONFIRMED = "confirmed", "已确认"
    RETURNED = "returned", "已退回"


class Submitted(models.Model):
    """A record an enterprise may submit: it counts once the zone has confirmed it. Records the
    zone enters itself are confirmed when saved."""

    review = models.CharField(
        "确认状态", max_length=20, choices=Review.choices, default=Review.CONFIRMED, db_index=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    reviewed_at = models.DateTimeField("确认时间", null=True, blank=True, editable=False)
    review_note = models.CharField("确认意见", max_length=300, blank=True, editable=False)

    class Meta:
        abstract = True


# -- the talent pool ------------------------------------------------------------------------------
class TalentCategory(models.TextChoices):
    LEADING = "leading", "产业领军人才"
    SCARCE = "scarce", "紧缺高层次人才"
    YOUNG = "young", "青年英才"
    SKILLED = "skilled", "技能人才"
    OTHER = "other", "其他"


class TalentSource(models.TextChoices):
    INTRODUCED = "introduced", "引进"
    TRAINED = "trained", "培养"


class Talent(Submitted):
    """人才库: one talent, in the pool from the 入库日期 until the day before the 出库日期.
    Matched by the ID number where there is one, else by 姓名 + 工作单位."""

    name = models.CharField("姓名", max_length=50, db_index=True)
    id_number = EncryptedCharField("公民身份号码", mask=mask_id_number, blank=True)
    id_number_hash = models.CharField("身份证号摘要", max_length=64, blank=True, editable=False)
    phone = EncryptedCharField("联系电话", mask=mask_phone, blank=True)
    category = models.CharField("人才类别", max_length=20, choices=TalentCategory.choices)
    source = models.CharField("来源", max_length=20, choices=TalentSource.choices, blank=True)
    enterprise = optional_enterprise("所在企业", "talents", "工作单位是园区企业时选择")
    employer = models.CharField("工作单位", max_length=200, blank=True)
    education = models.CharField("学历", max_length=50, blank=True)
    title = models.CharField("职称", max_length=100, blank=True)
    field = models.CharField("专业领域", max_length=200, blank=True)
    intake_on = models.DateField("入库日期")
    exit_on = models.DateField("出库日期", null=True, blank=True, help_text="自该日起不在人才库")
    exit_reason = models.CharField("出库原因", max_length=200, blank=True)
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    SCOPE = ENTERPRISE_SCOPE

    class Meta:
        verbose_name = "人才"
        verbose_name_plural = "人才库"
        ordering = ["-intake_on", "name", "id"]
        permissions = [
            ("reveal_personal_data", "查看人才完整身份证号和手机号码"),
            ("confirm_talent", "确认企业提交的人才"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"], condition=~Q(id_number_hash=""), name="talent_id_number_unique"
            )
        ]
        indexes = [
            models.Index(fields=["review", "intake_on"], name="talent_review_intake"),
            models.Index(fields=["name", "employer"], name="talent_name_employer"),
        ]

    def __str__(self):
        return self.name

    def refresh_hashes(self):
        self.id_number_hash = keyed_hash(self.id_number) if self.id_number else ""

    def in_pool_on(self, day: datetime.date) -> bool:
        return self.intake_on <= day and (self.exit_on is None or self.exit_on > day)

    def clean(self):
        if self.exit_on and self.intake_on and self.exit_on < self.intake_on:
            raise ValidationError({"exit_on": "出库日期不能早于入库日期"})
        if self.exit_reason and not self.exit_on:
            raise ValidationError({"exit_on": "填写了出库原因，请同时填写出库日期"})


class TalentPolicy(models.Model):
    """A talent policy of the zone (人才政策), under which support is paid."""

    name = models.CharField("政策名称", max_length=100, unique=True)
    description = models.TextField("政策内容", blank=True)
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "人才政策"
        verbose_name_plural = "人才政策"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class PolicySupport(models.Model):
    """人才政策兑现: one payment to a talent under a policy, in 元."""

    talent = models.ForeignKey(Talent, verbose_name="人才", on_delete=models.PROTECT, related_name="supports")
    policy = models.ForeignKey(
        TalentPolicy, verbose_name="人才政策", on_delete=models.PROTECT, related_name="supports"
    )
    paid_on = models.DateField("兑现日期")
    amount = models.DecimalField("兑现金额（元）", max_digits=14, decimal_places=2)
    evidence = ScopedFileField("佐证材料", upload_to="talent/support/%Y/", blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    SCOPE = ScopeSpec.child_of("talent", Talent)

    class Meta:
        verbose_name = "人才政策兑现"
        verbose_name_plural = "人才政策兑现"
        ordering = ["-paid_on", "-id"]
        indexes = [models.Index(fields=["paid_on"], name="support_paid_on")]

    def __str__(self):
        return f"{self.policy} {self.paid_on:%Y-%m-%d}"

    def clean(self):
        if self.amount is not None and self.amount <= 0:
            raise ValidationError({"amount": "兑现金额应大于 0"})


class Expert(models.Model):
    """院士专家 engaged with an enterprise of the zone: who, the enterprise, the agreement's
    dates and its topic."""

    name = models.CharField("姓名", max_length=50)
    honour = models.CharField("称号", max_length=100, blank=True, help_text="如中国工程院院士、长江学者")
    institution = models.CharField("所在单位", max_length=200, blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="合作企业", on_delete=models.PROTECT, related_name="experts"
    )
    topic = models.CharField("合作内容", max_length=300)
    agreed_on = models.DateField("协议签订日期", null=True, blank=True)
    agreed_until = models.DateField("协议截止日期", null=True, blank=True)
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    SCOPE = ENTERPRISE_SCOPE

    class Meta:
        verbose_name = "院士专家"
        verbose_name_plural = "院士专家"
        ordering = ["-agreed_on", "name", "id"]

    def __str__(self):
        return f"{self.name}（{self.enterprise}）"

    def clean(self):
        if self.agreed_on and self.agreed_until and self.agreed_until < self.agreed_on:
            raise ValidationError({"agreed_until": "协议截止日期不能早于签订日期"})


# -- innovation platforms -------------------------------------------------------------------------
class PlatformKind(models.TextChoices):
    RESEARCH = "research", "研发平台"
    INCUBATOR = "incubator", "孵化器"
    MAKERSPACE = "makerspace", "众创空间"
    STARTUP_BASE = "startup_base", "创业孵化基地"
    CULTURE_TECH = "culture_tech", "文化和科技融合示范基地"
    TALENT_BASE = "talent_base", "人才创新创业基地"
    SCIENCE_PARK = "science_park", "大学科技园"
    PROMOTION_CENTER = "promotion_center", "创新促进中心"


# the platforms that incubate enterprises
INCUBATING_KINDS = (
    PlatformKind.INCUBATOR,
    PlatformKind.MAKERSPACE,
    PlatformKind.STARTUP_BASE,
    PlatformKind.SCIENCE_PARK,
)


class PlatformLevel(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    MUNICIPAL = "municipal", "市级"


class Platform(models.Model):
    """创新平台: a platform of a type and level, recognised on a day (only the month may be known)
    and withdrawn on a later one, hosted by an enterprise of the zone or another institution."""

    name = models.CharField("平台名称", max_length=200, unique=True)
    kind = models.CharField("平台类型", max_length=30, choices=PlatformKind.choices)
    level = models.CharField("级别", max_length=20, choices=PlatformLevel.choices)
    host = models.CharField("依托单位", max_length=200, blank=True)
    enterprise = optional_enterprise("依托企业", "platforms", "依托单位是园区企业时选择")
    recognised_on = models.DateField("认定日期", null=True, blank=True)
    recognised_month_only = models.BooleanField("认定日期只到月", default=False, editable=False)
    withdrawn_on = models.DateField("撤销日期", null=True, blank=True, help_text="自该日起不再计入")
    withdrawn_reason = models.CharField("撤销原因", max_length=200, blank=True)
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    SCOPE = ENTERPRISE_SCOPE

    class Meta:
        verbose_name = "创新平台"
        verbose_name_plural = "创新平台"
        ordering = ["kind", "level", "name"]
        indexes = [models.Index(fields=["kind", "level", "recognised_on"], name="platform_kind_level")]

    def __str__(self):
        return self.name

    @property
    def incubates(self) -> bool:
        return self.kind in INCUBATING_KINDS

    def clean(self):
        if self.withdrawn_on and self.recognised_on and self.withdrawn_on < self.recognised_on:
            raise ValidationError({"withdrawn_on": "撤销日期不能早于认定日期"})
        if self.withdrawn_reason and not self.withdrawn_on:
            raise ValidationError({"withdrawn_on": "填写了撤销原因，请同时填写撤销日期"})


class Incubation(models.Model):
    """An enterprise incubated in one of the zone's incubating platforms, from its entry until it
    left (毕业或出孵). An enterprise with an incubation is flagged 孵化企业."""

    platform = models.ForeignKey(
        Platform, verbose_name="孵化平台", on_delete=models.PROTECT, related_name="incubations"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="在孵企业",
        on_delete=models.PROTECT,
        related_name="incubations",
    )
    entered_on = models.DateField("入孵日期", null=True, blank=True)
    left_on = models.DateField("出孵日期", null=True, blank=True, help_text="毕业或迁出的日期")
    note = models.CharField("备注", max_length=300, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    SCOPE = ScopeSpec.child_of("platform", Platform)

    class Meta:
        verbose_name = "在孵企业"
        verbose_name_plural = "在孵企业"
        ordering = ["-entered_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "enterprise"], name="incubation_platform_enterprise")
        ]

    def __str__(self):
        return f"{self.enterprise}（{self.platform}）"

    def clean(self):
        if self.platform_id and not self.platform.incubates:
            raise ValidationError(
                {"platform": f"“{self.platform.name}”是{self.platform.get_kind_display()}，不孵化企业"}
            )
        if self.entered_on and self.left_on and self.left_on < self.entered_on:
            raise ValidationError({"left_on": "出孵日期不能早于入孵日期"})


# -- innovations ----------------------------------------------------------------------------------
class InnovationKind(models.TextChoices):
    KEY_PROJECT = "key_project", "重点科技项目"
    ACHIEVEMENT = "achievement", "科技成果"
    PATENT = "patent", "专利"
    COOPERATION = "cooperation", "校地合作"


class InnovationLevel(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    MUNICIPAL = "municipal", "市级"
    OTHER = "other", "其他"


PROVINCIAL_OR_ABOVE = (InnovationLevel.NATIONAL, InnovationLevel.PROVINCIAL)


class PatentKind(models.TextChoices):
    INVENTION = "invention", "发明"
    UTILITY = "utility", "实用新型"
    DESIGN = "design", "外观设计"


class CooperationForm(models.TextChoices):
    RESEARCH_CENTER = "research_center", "研发中心"
    LABORATORY = "laboratory", "实验室"
    PROJECT = "project", "合作项目"
    OTHER = "other", "其他"


# the meaning of the one date of each kind (the ledger's 日期 and its synonyms)
DATE_NAMES = {
    InnovationKind.KEY_PROJECT: "立项日期",
    InnovationKind.ACHIEVEMENT: "获得日期",
    InnovationKind.PATENT: "授权日期",
    InnovationKind.COOPERATION: "签约日期",
}


class Innovation(Submitted):
    """One innovation, dated: a 重点科技项目 (立项日期, its end and funding), a 科技成果 (its level),
    a 专利 (kind, number, 授权日期, holder) or a 校地合作 (the universities and what was set up).
    Matched by 名称 + 类型."""

    name = models.CharField("名称", max_length=300)
    kind = models.CharField("类型", max_length=20, choices=InnovationKind.choices)
    level = models.CharField("级别", max_length=20, choices=InnovationLevel.choices, blank=True)
    enterprise = optional_enterprise("企业", "innovations")
    dated_on = models.DateField(
        "日期", help_text="重点科技项目为立项日期，专利为授权日期，校地合作为签约日期"
    )
    # 重点科技项目
    ends_on = models.DateField("结题日期", null=True, blank=True)
    funding = models.DecimalField("项目经费（万元）", max_digits=16, decimal_places=4, null=True, blank=True)
    # 专利
    patent_kind = models.CharField("专利类型", max_length=20, choices=PatentKind.choices, blank=True)
    patent_number = models.CharField("专利号", max_length=50, blank=True)
    holder = models.CharField("专利权人", max_length=200, blank=True)
    # 校地合作
    form = models.CharField("合作形式", max_length=20, choices=CooperationForm.choices, blank=True)
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    SCOPE = ENTERPRISE_SCOPE

    class Meta:
        verbose_name = "科技创新"
        verbose_name_plural = "科技创新"
        ordering = ["-dated_on", "kind", "name", "id"]
        permissions = [("confirm_innovation", "确认企业提交的专利等科技成果")]
        constraints = [models.UniqueConstraint(fields=["name", "kind"], name="innovation_name_kind")]
        indexes = [models.Index(fields=["kind", "review", "dated_on"], name="innovation_kind_date")]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.name}"

    @property
    def date_name(self) -> str:
        return DATE_NAMES.get(self.kind, "日期")

    def clean(self):
        errors = {}
        kind = self.kind
        if kind != InnovationKind.PATENT:
            for name in ("patent_kind", "patent_number", "holder"):
                if getattr(self, name):
                    errors[name] = f"只有专利填写{self._meta.get_field(name).verbose_name}"
        if kind != InnovationKind.KEY_PROJECT:
            if self.ends_on:
                errors["ends_on"] = "只有重点科技项目填写结题日期"
            if self.funding is not None:
                errors["funding"] = "只有重点科技项目填写项目经费"
        if kind != InnovationKind.COOPERATION and self.form:
            errors["form"] = "只有校地合作填写合作形式"
        if self.ends_on and self.dated_on and self.ends_on < self.dated_on:
            errors["ends_on"] = "结题日期不能早于立项日期"
        if self.funding is not None and self.funding < 0:
            errors["funding"] = "项目经费不能为负数"
        if errors:
            raise ValidationError(errors)


class CooperationUniversity(models.Model):
    """A university of a 校地合作 (合作高校); a cooperation may name several."""

    innovation = models.ForeignKey(
        Innovation, verbose_name="校地合作", on_delete=models.CASCADE, related_name="universities"
    )
    name = models.CharField("合作高校", max_length=200)

    SCOPE = ScopeSpec.child_of("innovation", Innovation)

    class Meta:
        verbose_name = "合作高校"
        verbose_name_plural = "合作高校"
        ordering = ["innovation", "id"]
        constraints = [models.UniqueConstraint(fields=["innovation", "name"], name="cooperation_university")]
        indexes = [models.Index(fields=["name"], name="cooperation_university_name")]

    def __str__(self):
        return self.name
