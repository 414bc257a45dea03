from django.conf import settings
from django.db import models

from dangjian.core.crypto import (
    BirthDateField,
    EncryptedCharField,
    keyed_hash,
    mask_birth_date,
    mask_id_number,
)
from dangjian.core.paths import path_index
from dangjian.core.timeline import TimelineEvent
from dangjian.organizations.models import OrgRecord


class DevelopmentStage(models.TextChoices):
    APPLICANT = "applicant", "入党申请人"
    ACTIVIST = "activist", "入党积极分子"
    CANDIDATE = "candidate", "发展对象"
    PROBATIONARY = "probationary", "预备党员"
    FULL = "full", "正式党员"
    CANCELLED = "cancelled", "取消预备党员资格"


class DevelopmentCase(OrgRecord):
    """One person on the way into the party (发展党员), from the application to full membership."""

    name = models.CharField("姓名", max_length=50)
    sex = models.CharField("性别", max_length=2, blank=True)
    id_number = EncryptedCharField("公民身份号码", mask=mask_id_number)
    id_number_hash = models.CharField("身份证号摘要", max_length=64, unique=True, editable=False)
    birth_date = BirthDateField("出生日期", null=True, blank=True, editable=False)
    organization = models.ForeignKey(
        "organizations.PartyOrganization",
        verbose_name="所在党组织",
        on_delete=models.PROTECT,
        related_name="development_cases",
    )
    stage = models.CharField(
        "阶段", max_length=20, choices=DevelopmentStage.choices, default=DevelopmentStage.APPLICANT
    )
    applied_on = models.DateField("申请入党日期")
    talked_on = models.DateField("谈话日期", null=True, blank=True)
    activist_on = models.DateField("确定积极分子日期", null=True, blank=True)
    candidate_on = models.DateField("确定发展对象日期", null=True, blank=True)
    training_completed_on = models.DateField("集中培训结业日期", null=True, blank=True)
    training_days = models.DecimalField("集中培训天数", max_digits=5, decimal_places=1, null=True, blank=True)
    training_hours = models.DecimalField(
        "集中培训学时", max_digits=6, decimal_places=1, null=True, blank=True
    )
    admitted_on = models.DateField(
        "接收预备党员日期", null=True, blank=True, help_text="支部大会讨论接收的日期"
    )
    approved_on = models.DateField("上级党委审批日期", null=True, blank=True)
    introducer_names = models.CharField("入党介绍人", max_length=100, blank=True)
    introducers = models.ManyToManyField(
        "members.Member", verbose_name="入党介绍人（党员）", blank=True, related_name="introduced_cases"
    )
    extended_months = models.PositiveSmallIntegerField("延长预备期（月）", null=True, blank=True)
    extended_on = models.DateField("延长预备期决定日期", null=True, blank=True)
    regularized_on = models.DateField("转正日期", null=True, blank=True)
    cancelled_on = models.DateField("取消资格日期", null=True, blank=True)
    cancel_reason = models.CharField("取消原因", max_length=200, blank=True)
    member = models.OneToOneField(
        "members.Member",
        verbose_name="党员档案",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="development_case",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "发展党员"
        verbose_name_plural = "发展党员"
        ordering = ["org_path", "applied_on", "id"]
        indexes = [
            path_index("development_path_admitted", then="admitted_on"),
        ]

    def __str__(self):
        return f"{self.name}（{self.get_stage_display()}）"

    @property
    def birth_date_masked(self):
        return mask_birth_date(self.birth_date)

    @property
    def id_number_masked(self):
        return mask_id_number(self.id_number)

    def refresh_hash(self):
        self.id_number_hash = keyed_hash(self.id_number)


class DevelopmentStep(models.TextChoices):
    APPLY = "apply", "递交入党申请"
    TALK = "talk", "谈话"
    ACTIVIST = "activist", "确定为入党积极分子"
    CANDIDATE = "candidate", "确定为发展对象"
    TRAINING = "training", "集中培训结业"
    ADMIT = "admit", "支部大会接收为预备党员"
    APPROVE = "approve", "上级党委审批"
    EXTEND = "extend", "延长预备期"
    REGULARIZE = "regularize", "转为正式党员"
    CANCEL = "cancel", "取消预备党员资格"
    CORRECT = "correct", "更正日期"
    IMPORT = "import", "台账导入"


class DevelopmentEvent(TimelineEvent):
    case = models.ForeignKey(
        DevelopmentCase, verbose_name="发展对象", on_delete=models.CASCADE, related_name="events"
    )
    step = models.CharField("环节", max_length=20, choices=DevelopmentStep.choices)
    rule = models.ForeignKey(
        "core.RuleSet",
        verbose_name="规则版本",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "发展环节"
        verbose_name_plural = "发展环节"
        ordering = ["case_id", "on", "id"]

    def __str__(self):
        return f"{self.on:%Y-%m-%d} {self.get_step_display()}"


class DateCorrection(models.Model):
    """A date of a development case changed after it was recorded: the old and new value and why."""

    case = models.ForeignKey(
        DevelopmentCase, verbose_name="发展对象", on_delete=models.CASCADE, related_name="corrections"
    )
    field = models.CharField("字段", max_length=50)
    old_value = models.DateField("原日期", null=True, blank=True)
    new_value = models.DateField("新日期", null=True, blank=True)
    reason = models.CharField("更正原因", max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更正人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("更正时间", auto_now_add=True)

    class Meta:
        verbose_name = "日期更正"
        verbose_name_plural = "日期更正"
        ordering = ["case_id", "at"]

    def __str__(self):
        return f"{self.field}：{self.old_value} → {self.new_value}"
