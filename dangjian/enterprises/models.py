import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from dangjian.core.crypto import EncryptedCharField, keyed_hash, mask_phone
from dangjian.core.paths import path_index
from dangjian.core.scope import ScopeSpec
from dangjian.core.validators import FULLWIDTH, normalize_credit_code, normalize_phone


class IndustryCluster(models.Model):
    """The zone's "3+N" industry clusters: data the zone admin edits, not code."""

    name = models.CharField("产业名称", max_length=50, unique=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "产业集群"
        verbose_name_plural = "产业集群"
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name


class Enterprise(models.Model):
    name = models.CharField("企业名称", max_length=200, db_index=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    cluster = models.ForeignKey(
        IndustryCluster, verbose_name="所属产业", on_delete=models.PROTECT, related_name="enterprises"
    )
    settled_on = models.DateField("入驻日期", null=True, blank=True)
    settled_month_only = models.BooleanField("入驻日期只到月", default=False, editable=False)
    is_high_tech = models.BooleanField("高新技术企业", default=False)
    is_tech_sme = models.BooleanField("科技型中小企业", default=False)
    is_above_scale = models.BooleanField("规模以上企业", default=False)
    is_chain_leader = models.BooleanField("链主企业", default=False)
    is_incubated = models.BooleanField("孵化企业", default=False, help_text="在园区孵化器孵化")
    employees = models.PositiveIntegerField("从业人数", null=True, blank=True)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = EncryptedCharField("联系电话", blank=True, mask=mask_phone)
    contact_phone_hash = models.CharField(
        "联系电话摘要", max_length=64, blank=True, editable=False, db_index=True
    )
    contact_cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="联系干部（一企一人）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_enterprises",
    )
    # path of the highest party organization whose 所在单位 is this enterprise (kept by services)
    org_path = models.CharField("党组织路径", max_length=255, blank=True, default="", editable=False)
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    SCOPE = ScopeSpec(org_path="org_path", enterprise="pk")

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        ordering = ["name", "id"]
        indexes = [
            path_index("enterprise_path_prefix"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # the keyed hash of the (normalized) phone, to find an enterprise by it
        self.contact_phone_hash = keyed_hash(self.contact_phone) if self.contact_phone else ""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "contact_phone" in update_fields:
            kwargs["update_fields"] = {*update_fields, "contact_phone_hash"}
        super().save(*args, **kwargs)

    @property
    def contact_phone_masked(self):
        return mask_phone(self.contact_phone)

    def clean_fields(self, exclude=None):
        # spaces and full-width characters are folded before the length check
        if self.credit_code:
            self.credit_code = re.sub(r"\s+", "", str(self.credit_code).translate(FULLWIDTH)).upper()
        super().clean_fields(exclude)

    def clean(self):
        errors = {}
        if self.credit_code:
            try:
                self.credit_code = normalize_credit_code(self.credit_code)
            except ValidationError as exc:
                errors["credit_code"] = exc.messages
        if self.contact_phone:
            try:
                self.contact_phone = normalize_phone(self.contact_phone)
            except ValidationError as exc:
                errors["contact_phone"] = exc.messages
        if errors:
            raise ValidationError(errors)


class EnterpriseYear(models.Model):
    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="years"
    )
    year = models.PositiveSmallIntegerField("年度")
    revenue = models.DecimalField("营业收入（万元）", max_digits=20, decimal_places=6, null=True, blank=True)
    profit_tax = models.DecimalField("利税（万元）", max_digits=20, decimal_places=6, null=True, blank=True)
    new_jobs = models.PositiveIntegerField("新增就业（人）", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    SCOPE = ScopeSpec(org_path="enterprise__org_path", enterprise="enterprise")

    class Meta:
        verbose_name = "企业年度数据"
        verbose_name_plural = "企业年度数据"
        ordering = ["enterprise_id", "-year"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="enterprise_year_unique")]

    def __str__(self):
        return f"{self.enterprise} {self.year} 年"

    def clean(self):
        if self.year is not None and not 1949 <= self.year <= 2100:
            raise ValidationError({"year": "年度应为四位年份"})
