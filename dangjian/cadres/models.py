"""The zone's cadres (干部): people who take charge of key projects and enterprises (包抓), handle
enterprise requests and take part in visits, each also a user whose scope is what they are
assigned; and their assignments, each carrying the grant that gives that scope."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from dangjian.core.crypto import BirthDateField, EncryptedCharField, keyed_hash, mask_birth_date, mask_phone
from dangjian.core.scope import ScopeSpec
from dangjian.organizations.models import OrgRecord


class Cadre(OrgRecord):
    """A young cadre who takes charge of key projects and enterprises (包抓干部); also a user with
    the cadre role, whose scope is what they are assigned."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.PROTECT, related_name="cadre"
    )
    name = models.CharField("姓名", max_length=50, db_index=True)
    birth_date = BirthDateField("出生日期", null=True, blank=True)
    birth_month_only = models.BooleanField("出生日期只到月", default=False, editable=False)
    title = models.CharField("职务", max_length=100, blank=True)
    phone = EncryptedCharField("手机号码", mask=mask_phone)
    phone_hash = models.CharField("手机号摘要", max_length=64, editable=False, db_index=True)
    organization = models.ForeignKey(
        "organizations.PartyOrganization",
        verbose_name="所在党组织",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cadres",
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="分管领导",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_cadres",
    )
    is_active = models.BooleanField("在岗", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    SCOPE = ScopeSpec(org_path="org_path", users=("user", "leader"))

    class Meta:
        verbose_name = "包抓干部"
        verbose_name_plural = "包抓干部"
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["name", "phone_hash"], name="cadre_name_phone")]

    def __str__(self):
        return self.name

    @property
    def birth_date_masked(self):
        return mask_birth_date(self.birth_date)

    @property
    def phone_masked(self):
        return mask_phone(self.phone)

    def refresh_hash(self):
        self.phone_hash = keyed_hash(self.phone) if self.phone else ""


class Assignment(models.Model):
    """包抓: a cadre in charge of a project or an enterprise, from a date (unknown when set by a
    ledger) until a date; one cadre of each project or enterprise is the lead."""

    cadre = models.ForeignKey(
        Cadre, verbose_name="干部", on_delete=models.CASCADE, related_name="assignments"
    )
    # a project is the projects app's (above this one), named by its label
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="项目",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    is_lead = models.BooleanField("牵头干部", default=False)
    start_on = models.DateField("起始日期", null=True, blank=True, help_text="空表示台账导入、起始不详")
    end_on = models.DateField("结束日期", null=True, blank=True)
    grant = models.OneToOneField(
        "accounts.Grant",
        verbose_name="授权",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="assignment",
    )
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    SCOPE = ScopeSpec(
        org_path="project__org_path",
        enterprise="enterprise",
        assigned={"projects.project": "project"},
        users=("cadre__user",),
        permission_model="projects.project",
    )

    class Meta:
        verbose_name = "包抓关系"
        verbose_name_plural = "包抓关系"
        ordering = ["-is_lead", "start_on", "id"]

    def __str__(self):
        target = self.project or self.enterprise
        return f"{self.cadre} 包抓 {target}{'（牵头）' if self.is_lead else ''}"

    def clean(self):
        if bool(self.project_id) == bool(self.enterprise_id):
            raise ValidationError("包抓对象应为一个项目或一家企业")
        if self.start_on and self.end_on and self.end_on < self.start_on:
            raise ValidationError({"end_on": "结束日期不能早于起始日期"})
