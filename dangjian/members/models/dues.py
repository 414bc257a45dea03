from django.conf import settings
from django.db import models

from dangjian.core.paths import path_index
from dangjian.core.scope import ScopeSpec
from dangjian.organizations.models import OrgRecord


class DuesCategory(models.TextChoices):
    EMPLOYED = "employed", "在职（按税后月收入）"
    RETIRED = "retired", "离退休（按养老金）"
    STUDENT = "student", "学生"
    UNEMPLOYED = "unemployed", "下岗失业"
    RELIEF = "relief", "享受最低生活保障"
    FARMER = "farmer", "农民"


class DuesBase(models.Model):
    """What a member's dues are computed from, from a month on (income after tax or pension,
    or the amount a branch sets for a farmer)."""

    member = models.ForeignKey(
        "members.Member", verbose_name="党员", on_delete=models.CASCADE, related_name="dues_bases"
    )
    effective_from = models.DateField("起始月份", help_text="该月 1 日")
    category = models.CharField("交纳类别", max_length=20, choices=DuesCategory.choices)
    income = models.DecimalField(
        "月收入/养老金（元）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    fixed_amount = models.DecimalField(
        "支部核定金额（元）", max_digits=6, decimal_places=2, null=True, blank=True
    )
    note = models.CharField("备注", max_length=200, blank=True)

    SCOPE = ScopeSpec(org_path="member__org_path", permission_model="members.duesassessment")

    class Meta:
        verbose_name = "党费基数"
        verbose_name_plural = "党费基数"
        ordering = ["member_id", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["member", "effective_from"], name="dues_base_per_month")
        ]

    def __str__(self):
        return f"{self.member} {self.effective_from:%Y-%m} 起 {self.get_category_display()}"


class DuesAssessment(OrgRecord):
    """应缴: a member's dues for a month, with the base and the rule version it was computed by."""

    member = models.ForeignKey(
        "members.Member", verbose_name="党员", on_delete=models.CASCADE, related_name="dues_assessments"
    )
    month = models.DateField("月份")
    category = models.CharField("交纳类别", max_length=20, choices=DuesCategory.choices)
    income = models.DecimalField("计算基数（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    payable = models.DecimalField("应缴（元）", max_digits=10, decimal_places=2)
    rule = models.ForeignKey(
        "core.RuleSet", verbose_name="标准版本", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("计算时间", auto_now_add=True)

    class Meta:
        verbose_name = "党费应缴"
        verbose_name_plural = "党费应缴"
        ordering = ["-month", "org_path", "member_id"]
        constraints = [models.UniqueConstraint(fields=["member", "month"], name="dues_assessment_per_month")]
        indexes = [path_index("dues_path_month", then="month")]

    def __str__(self):
        return f"{self.member} {self.month:%Y-%m} 应缴 {self.payable}"


class DuesPayment(OrgRecord):
    """实缴: one payment for a month; voluntary extra payments are marked as such."""

    member = models.ForeignKey(
        "members.Member", verbose_name="党员", on_delete=models.CASCADE, related_name="dues_payments"
    )
    month = models.DateField("所属月份")
    amount = models.DecimalField("金额（元）", max_digits=10, decimal_places=2)
    paid_on = models.DateField("交纳日期")
    voluntary = models.BooleanField("自愿多交", default=False)
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    SCOPE = ScopeSpec(org_path="org_path", permission_model="members.duesassessment")

    class Meta:
        verbose_name = "党费交纳"
        verbose_name_plural = "党费交纳"
        ordering = ["-month", "org_path", "member_id", "id"]
        indexes = [
            path_index("dues_payment_path_month", then="month"),
            # what a member paid for a month (dues.collection_rate asks it of every assessment),
            # read from the index alone on PostgreSQL
            models.Index(
                fields=["member", "month"], include=["amount", "voluntary"], name="dues_payment_member_month"
            ),
        ]

    def __str__(self):
        return f"{self.member} {self.month:%Y-%m} 交纳 {self.amount}"
