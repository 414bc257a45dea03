"""评星晋级·争创双强: the rubric (versioned), the campaign of a year, each organization's
assessment (self-assessment from the records, review, decision, 公示 and its objections) and
the named stars (评星结果), also those of past years imported from the ledger."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from dangjian.core.files import ScopedFileField
from dangjian.core.paths import path_index
from dangjian.core.scope import ScopeSpec
from dangjian.core.timeline import TimelineEvent
from dangjian.organizations.models import OrgKind, OrgRecord, UnitNature

STAR_CHOICES = [(n, f"{'一二三四五'[n - 1]}星级") for n in range(1, 6)]
HUNDRED = Decimal(100)


def number(value) -> str:
    """A score or points as people write them: 90, 92.5 (not 90.0)."""
    if value is None:
        return "—"
    return f"{Decimal(value).normalize():f}"


def stars_label(stars) -> str:
    return dict(STAR_CHOICES).get(stars, "—") if stars else "—"


class CheckMethod(models.TextChoices):
    DOCUMENTS = "documents", "查资料"
    LEDGER = "ledger", "查台账"
    SITE = "site", "实地查看"
    INTERVIEW = "interview", "座谈"


def methods_label(codes) -> str:
    names = dict(CheckMethod.choices)
    return "、".join(str(names.get(c, c)) for c in codes or ())


# -- the rubric ---------------------------------------------------------------------------------
class Rubric(models.Model):
    """评星标准: a version of the scheme. A version a campaign uses is never changed again; the
    zone copies it to a new version and edits that."""

    name = models.CharField("标准名称", max_length=100)
    version = models.PositiveSmallIntegerField("版本", default=1)
    based_on = models.ForeignKey(
        "self",
        verbose_name="修订自",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="revisions",
        editable=False,
    )
    description = models.TextField("适用范围与说明", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "评星标准"
        verbose_name_plural = "评星标准"
        ordering = ["name", "-version"]
        constraints = [models.UniqueConstraint(fields=["name", "version"], name="rubric_name_version")]

    def __str__(self):
        return f"{self.name}（第{self.version}版）"

    @property
    def in_use(self) -> bool:
        return self.pk is not None and self.campaigns.exists()

    def total_points(self) -> Decimal:
        return sum((item.points for item in self.items.all()), Decimal(0))

    def areas(self) -> list[tuple[str, Decimal, list]]:
        """(area, its points, its items) in the order of the items."""
        found: dict[str, list] = {}
        for item in self.items.all():
            found.setdefault(item.area, []).append(item)
        return [(area, sum((i.points for i in items), Decimal(0)), items) for area, items in found.items()]


class RubricItem(models.Model):
    """One scored item: its area (评分项目), what is scored, its points, what evidence counts,
    how it is checked, its deductions, and which of Dangjian's figures are brought into the
    self-assessment beside it."""

    rubric = models.ForeignKey(
        Rubric, verbose_name="评星标准", on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveSmallIntegerField("序号")
    area = models.CharField("评分项目", max_length=50)
    name = models.CharField("评分内容", max_length=200)
    points = models.DecimalField(
        "分值", max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.1"))]
    )
    evidence = models.TextField("佐证材料", blank=True)
    methods = models.JSONField("核查方式", default=list, blank=True)  # CheckMethod values
    deductions = models.TextField("扣分规则", blank=True)
    measures = models.JSONField("带入的系统数据", default=list, blank=True)  # ratings.figures keys

    class Meta:
        verbose_name = "评分细则"
        verbose_name_plural = "评分细则"
        ordering = ["rubric_id", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["rubric", "position"], name="rubric_item_position")]

    def __str__(self):
        return f"{self.position}. {self.area}：{self.name}（{number(self.points)}分）"

    def clean(self):
        unknown = [m for m in self.methods or () if m not in CheckMethod.values]
        if unknown:
            raise ValidationError({"methods": f"核查方式“{'、'.join(map(str, unknown))}”不是可选值"})

    @property
    def methods_label(self) -> str:
        return methods_label(self.methods)


class Threshold(models.Model):
    """得分达到多少评为几星；五星级还可要求有命名的创新或品牌。低于最低一档为一星级。"""

    rubric = models.ForeignKey(
        Rubric, verbose_name="评星标准", on_delete=models.CASCADE, related_name="thresholds"
    )
    stars = models.PositiveSmallIntegerField("星级", choices=STAR_CHOICES)
    min_score = models.DecimalField(
        "最低得分",
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(HUNDRED)],
    )
    requires_brand = models.BooleanField("须有命名的创新或品牌", default=False)

    class Meta:
        verbose_name = "星级分数线"
        verbose_name_plural = "星级分数线"
        ordering = ["rubric_id", "-stars"]
        constraints = [models.UniqueConstraint(fields=["rubric", "stars"], name="threshold_stars")]

    def __str__(self):
        brand = "，须有命名的创新或品牌" if self.requires_brand else ""
        return f"{stars_label(self.stars)}：≥{number(self.min_score)}分{brand}"


class VetoItem(models.Model):
    """一票否决情形: found in the period, it caps the organization at `cap_stars` whatever its score."""

    rubric = models.ForeignKey(
        Rubric, verbose_name="评星标准", on_delete=models.CASCADE, related_name="vetoes"
    )
    position = models.PositiveSmallIntegerField("序号")
    name = models.CharField("否决情形", max_length=200)
    cap_stars = models.PositiveSmallIntegerField("最高评定为", choices=STAR_CHOICES, default=1)

    class Meta:
        verbose_name = "一票否决项"
        verbose_name_plural = "一票否决项"
        ordering = ["rubric_id", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["rubric", "position"], name="veto_position")]

    def __str__(self):
        return self.name


# -- the campaign -------------------------------------------------------------------------------
class CampaignStep(models.TextChoices):
    PREPARING = "preparing", "筹备"
    SELF_ASSESSMENT = "self_assessment", "自评申报"
    REVIEW = "review", "评审"
    DECISION = "decision", "评定"
    NOTICE = "notice", "公示"
    NAMED = "named", "已命名"


STEP_ORDER = list(CampaignStep.values)


class Campaign(models.Model):
    """评星晋级活动 of a year: which organizations take part, the rubric version it scores by,
    and the dates of its steps, each opened and closed by the zone."""

    name = models.CharField("活动名称", max_length=200)
    year = models.PositiveSmallIntegerField(
        "评定年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    rubric = models.ForeignKey(
        Rubric, verbose_name="评星标准", on_delete=models.PROTECT, related_name="campaigns"
    )
    period_start = models.DateField(
        "考评期开始", help_text="一票否决情形按此期间核查；自评带入的系统数据按评定年度计"
    )
    period_end = models.DateField("考评期结束")
    kinds = models.JSONField("参评组织类别", default=list, blank=True)  # OrgKind values; none: all
    natures = models.JSONField("参评单位性质", default=list, blank=True)  # UnitNature values; none: all
    self_start = models.DateField("自评申报开始", null=True, blank=True)
    self_end = models.DateField("自评申报截止", null=True, blank=True)
    review_end = models.DateField("评审截止", null=True, blank=True)
    notice_start = models.DateField("公示开始", null=True, blank=True, editable=False)
    notice_end = models.DateField("公示结束", null=True, blank=True, editable=False)
    notice_rule = models.ForeignKey(
        "core.RuleSet",
        verbose_name="公示期规则版本",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        editable=False,
        related_name="+",
    )
    named_on = models.DateField("命名日期", null=True, blank=True, editable=False)
    document_number = models.CharField("命名文号", max_length=100, blank=True)
    step = models.CharField(
        "当前环节",
        max_length=20,
        choices=CampaignStep.choices,
        default=CampaignStep.PREPARING,
        editable=False,
    )
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "评星活动"
        verbose_name_plural = "评星活动"
        ordering = ["-year", "-id"]
        constraints = [models.UniqueConstraint(fields=["year", "name"], name="campaign_year_name")]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = "考评期结束不能早于开始"
        if self.self_start and self.self_end and self.self_end < self.self_start:
            errors["self_end"] = "自评申报截止不能早于开始"
        if self.self_end and self.review_end and self.review_end < self.self_end:
            errors["review_end"] = "评审截止不能早于自评申报截止"
        bad = [k for k in self.kinds or () if k not in OrgKind.values]
        if bad:
            errors["kinds"] = f"组织类别“{'、'.join(map(str, bad))}”不是可选值"
        bad = [n for n in self.natures or () if n not in UnitNature.values]
        if bad:
            errors["natures"] = f"单位性质“{'、'.join(map(str, bad))}”不是可选值"
        if errors:
            raise ValidationError(errors)

    @property
    def kinds_label(self) -> str:
        names = dict(OrgKind.choices)
        return "、".join(str(names.get(k, k)) for k in self.kinds) or "全部"

    @property
    def natures_label(self) -> str:
        names = dict(UnitNature.choices)
        return "、".join(str(names.get(n, n)) for n in self.natures) or "全部"


class CampaignEvent(TimelineEvent):
    class Kind(models.TextChoices):
        CREATED = "created", "创建活动"
        OPENED = "opened", "开启环节"
        NAMED = "named", "命名"

    campaign = models.ForeignKey(
        Campaign, verbose_name="评星活动", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField("事项", max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = "活动进程"
        verbose_name_plural = "活动进程"
        ordering = ["campaign_id", "on", "id"]

    def __str__(self):
        return f"{self.on:%Y-%m-%d} {self.get_kind_display()}"


# -- an organization's assessment ---------------------------------------------------------------
class AssessmentStatus(models.TextChoices):
    PENDING = "pending", "待自评"
    SUBMITTED = "submitted", "已提交"
    RETURNED = "returned", "已退回"
    REVIEWED = "reviewed", "已评审"
    DECIDED = "decided", "已评定"
    NAMED = "named", "已命名"


class Assessment(OrgRecord):
    """评星申报: an organization in a campaign — its self-assessment, the zone's review, the
    committee's decision and the stars named."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="评星活动", on_delete=models.PROTECT, related_name="assessments"
    )
    organization = models.ForeignKey(
        "organizations.PartyOrganization",
        verbose_name="党组织",
        on_delete=models.PROTECT,
        related_name="star_assessments",
    )
    status = models.CharField(
        "状态", max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.PENDING
    )
    brand = models.CharField("创新或品牌名称", max_length=200, blank=True)
    self_summary = models.TextField("自评说明", blank=True)
    self_score = models.DecimalField("自评得分", max_digits=5, decimal_places=1, null=True, blank=True)
    submitted_on = models.DateField("提交日期", null=True, blank=True)
    returned_reason = models.CharField("退回原因", max_length=300, blank=True)
    review_score = models.DecimalField("评审得分", max_digits=5, decimal_places=1, null=True, blank=True)
    review_note = models.TextField("评审意见", blank=True)
    reviewed_on = models.DateField("评审日期", null=True, blank=True)
    veto = models.BooleanField("一票否决", default=False)
    computed_stars = models.PositiveSmallIntegerField(
        "按标准计算星级", choices=STAR_CHOICES, null=True, blank=True
    )
    previous_stars = models.PositiveSmallIntegerField("上次星级", choices=STAR_CHOICES, null=True, blank=True)
    previous_year = models.PositiveSmallIntegerField("上次评定年度", null=True, blank=True)
    stars = models.PositiveSmallIntegerField("评定星级", choices=STAR_CHOICES, null=True, blank=True)
    decision_reason = models.TextField("调整或跨级理由", blank=True)
    decided_on = models.DateField("评定日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "评星申报"
        verbose_name_plural = "评星申报"
        ordering = ["campaign_id", "org_path"]
        constraints = [models.UniqueConstraint(fields=["campaign", "organization"], name="assessment_once")]
        indexes = [path_index("assessment_path")]
        permissions = [
            ("review_assessment", "评审评星申报（评分、退回、一票否决）"),
            ("decide_assessment", "评定星级（党工委会议决定）"),
        ]

    def __str__(self):
        return f"{self.campaign.year}年 {self.organization.name}"

    @property
    def score(self):
        """The score the result rests on: the review's, once reviewed."""
        return self.review_score

    @property
    def change(self) -> int | None:
        """Stars up (+) or down (−) against the last named result."""
        if self.stars is None or self.previous_stars is None:
            return None
        return self.stars - self.previous_stars


class AssessmentItem(models.Model):
    """One rubric item of an assessment: the self score and text, the review's score and notes."""

    SCOPE = ScopeSpec.child_of("assessment", Assessment)

    assessment = models.ForeignKey(
        Assessment, verbose_name="评星申报", on_delete=models.CASCADE, related_name="items"
    )
    item = models.ForeignKey(RubricItem, verbose_name="评分细则", on_delete=models.PROTECT, related_name="+")
    self_score = models.DecimalField("自评分", max_digits=5, decimal_places=1, null=True, blank=True)
    self_note = models.TextField("自评说明", blank=True)
    review_score = models.DecimalField("评审分", max_digits=5, decimal_places=1, null=True, blank=True)
    review_methods = models.JSONField("核查方式", default=list, blank=True)
    review_note = models.TextField("评审意见", blank=True)

    class Meta:
        verbose_name = "评分项"
        verbose_name_plural = "评分项"
        ordering = ["assessment_id", "item__position"]
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="assessment_item_once")]

    def __str__(self):
        return str(self.item)

    def clean(self):
        errors = {}
        points = self.item.points if self.item_id else None
        for name in ("self_score", "review_score"):
            value = getattr(self, name)
            if value is not None and points is not None and not (0 <= value <= points):
                label = self._meta.get_field(name).verbose_name
                errors[name] = (
                    f"“{self.item.name}”的{label}应在 0 到 {number(points)} 之间（填写的是 {number(value)}）"
                )
        unknown = [m for m in self.review_methods or () if m not in CheckMethod.values]
        if unknown:
            errors["review_methods"] = f"核查方式“{'、'.join(map(str, unknown))}”不是可选值"
        if errors:
            raise ValidationError(errors)


class AssessmentFigure(models.Model):
    """A figure from Dangjian's records brought into the self-assessment (taken when the
    self-assessment opens, refreshed on request), with the link to its records."""

    SCOPE = ScopeSpec.child_of("assessment", Assessment)

    assessment = models.ForeignKey(
        Assessment, verbose_name="评星申报", on_delete=models.CASCADE, related_name="figures"
    )
    measure = models.CharField("数据项", max_length=50)
    label = models.CharField("名称", max_length=100)
    value = models.DecimalField("数值", max_digits=20, decimal_places=2, null=True, blank=True)
    unit = models.CharField("单位", max_length=10, blank=True)
    url = models.CharField("记录链接", max_length=300, blank=True)
    taken_on = models.DateField("取数日期")

    class Meta:
        verbose_name = "系统数据"
        verbose_name_plural = "系统数据"
        ordering = ["assessment_id", "id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "measure"], name="figure_once")]

    def __str__(self):
        return f"{self.label}：{self.value_text}"

    @property
    def value_text(self) -> str:
        if self.value is None:
            return "无数据"
        return f"{self.value.normalize():f}{self.unit}"


class FileStage(models.TextChoices):
    SELF = "self", "自评佐证"
    REVIEW = "review", "评审材料"


class AssessmentFile(models.Model):
    SCOPE = ScopeSpec.child_of("assessment", Assessment)

    assessment = models.ForeignKey(
        Assessment, verbose_name="评星申报", on_delete=models.CASCADE, related_name="files"
    )
    item = models.ForeignKey(
        AssessmentItem,
        verbose_name="评分项",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="files",
    )
    stage = models.CharField("类别", max_length=10, choices=FileStage.choices, default=FileStage.SELF)
    file = ScopedFileField("文件", upload_to="ratings/%Y/%m/")
    name = models.CharField("名称", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["assessment_id", "id"]

    def __str__(self):
        return self.name or self.file.name


class VetoFinding(models.Model):
    """The review's finding on one veto item."""

    SCOPE = ScopeSpec.child_of("assessment", Assessment)

    assessment = models.ForeignKey(
        Assessment, verbose_name="评星申报", on_delete=models.CASCADE, related_name="vetoes"
    )
    veto = models.ForeignKey(VetoItem, verbose_name="否决情形", on_delete=models.PROTECT, related_name="+")
    found = models.BooleanField("存在", default=False)
    note = models.CharField("核实情况", max_length=300, blank=True)

    class Meta:
        verbose_name = "一票否决核查"
        verbose_name_plural = "一票否决核查"
        ordering = ["assessment_id", "veto__position"]
        constraints = [models.UniqueConstraint(fields=["assessment", "veto"], name="veto_finding_once")]

    def __str__(self):
        return f"{self.veto}：{'存在' if self.found else '不存在'}"


class Objection(models.Model):
    """An objection received during 公示, and the zone's answer."""

    SCOPE = ScopeSpec.child_of("assessment", Assessment)

    assessment = models.ForeignKey(
        Assessment, verbose_name="评星申报", on_delete=models.CASCADE, related_name="objections"
    )
    received_on = models.DateField("收到日期")
    raised_by = models.CharField("异议人", max_length=100, blank=True, help_text="可匿名")
    content = models.TextField("异议内容")
    answer = models.TextField("答复", blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    upheld = models.BooleanField("异议成立", null=True, blank=True)

    class Meta:
        verbose_name = "公示异议"
        verbose_name_plural = "公示异议"
        ordering = ["assessment_id", "received_on", "id"]

    def __str__(self):
        return f"{self.received_on:%Y-%m-%d} {self.raised_by or '匿名'}"


class AssessmentEvent(TimelineEvent):
    class Kind(models.TextChoices):
        OPENED = "opened", "列入参评"
        FIGURES = "figures", "带入系统数据"
        SAVED = "saved", "填写自评"
        SUBMITTED = "submitted", "提交自评"
        RETURNED = "returned", "退回修改"
        REVIEWED = "reviewed", "评审打分"
        DECIDED = "decided", "评定星级"
        OBJECTION = "objection", "收到异议"
        ANSWERED = "answered", "答复异议"
        NAMED = "named", "命名"

    assessment = models.ForeignKey(
        Assessment, verbose_name="评星申报", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField("事项", max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = "申报进程"
        verbose_name_plural = "申报进程"
        ordering = ["assessment_id", "on", "id"]

    def __str__(self):
        return f"{self.on:%Y-%m-%d} {self.get_kind_display()}"


# -- the named stars ----------------------------------------------------------------------------
class RatingSource(models.TextChoices):
    CAMPAIGN = "campaign", "评星活动"
    LEDGER = "ledger", "台账导入"


class StarRating(OrgRecord):
    """评星结果: the stars an organization holds for a year — named by a campaign, or a past
    year's result imported from the 评星结果 ledger."""

    organization = models.ForeignKey(
        "organizations.PartyOrganization",
        verbose_name="党组织",
        on_delete=models.PROTECT,
        related_name="star_ratings",
    )
    year = models.PositiveSmallIntegerField(
        "评定年度", validators=[MinValueValidator(1949), MaxValueValidator(2100)]
    )
    stars = models.PositiveSmallIntegerField("星级", choices=STAR_CHOICES)
    score = models.DecimalField(
        "得分",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(HUNDRED)],
    )
    rubric_label = models.CharField("评星标准版本", max_length=150, blank=True)
    source = models.CharField(
        "来源", max_length=10, choices=RatingSource.choices, default=RatingSource.LEDGER
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name="评星活动",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="results",
        editable=False,
    )
    assessment = models.OneToOneField(
        Assessment,
        verbose_name="评星申报",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="result",
        editable=False,
    )
    named_on = models.DateField("命名日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    # an enterprise's contacts see the stars of their enterprise's party organizations
    SCOPE = ScopeSpec(org_path="org_path", enterprise="organization__unit_enterprise")

    class Meta:
        verbose_name = "评星结果"
        verbose_name_plural = "评星结果"
        ordering = ["-year", "org_path"]
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="star_rating_once")]
        indexes = [
            path_index("star_rating_path"),
            models.Index(fields=["year", "stars"], name="star_rating_year_stars"),
        ]

    def __str__(self):
        return f"{self.year}年 {self.organization.name}：{stars_label(self.stars)}"

    @property
    def stars_label(self) -> str:
        return stars_label(self.stars)
