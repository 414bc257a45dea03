"""Key projects (重点项目) with their milestones and approvals."""

from django.core.exceptions import ValidationError
from django.db import models

from dangjian.core.scope import ScopeSpec
from dangjian.enterprises.models import Enterprise
from dangjian.organizations.models import OrgRecord


class ProjectCategory(models.TextChoices):
    INDUSTRIAL = "industrial", "产业项目"
    INFRASTRUCTURE = "infrastructure", "基础设施"
    SOCIAL = "social", "社会事业"
    OTHER = "other", "其他"


class ProjectStatus(models.TextChoices):
    PRELIMINARY = "preliminary", "前期"
    UNDER_CONSTRUCTION = "under_construction", "在建"
    COMPLETED = "completed", "竣工"
    IN_PRODUCTION = "in_production", "投产"


class Project(OrgRecord):
    """A key project (重点项目). Its organization is its temporary party branch, or else the
    owner enterprise's organization."""

    name = models.CharField("项目名称", max_length=200, unique=True)
    category = models.CharField("项目类别", max_length=20, choices=ProjectCategory.choices, blank=True)
    owner_name = models.CharField("业主单位", max_length=200, blank=True)
    owner_enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="业主企业",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    total_investment = models.DecimalField("总投资（万元）", max_digits=20, decimal_places=6)
    annual_investment = models.DecimalField(
        "年度计划投资（万元）", max_digits=20, decimal_places=6, null=True, blank=True
    )
    status = models.CharField("建设状态", max_length=30, choices=ProjectStatus.choices, blank=True)
    started_on = models.DateField("开工日期", null=True, blank=True)
    started_month_only = models.BooleanField("开工日期只到月", default=False, editable=False)
    completed_on = models.DateField("竣工日期", null=True, blank=True)
    completed_month_only = models.BooleanField("竣工日期只到月", default=False, editable=False)
    temp_branch = models.ForeignKey(
        "organizations.PartyOrganization",
        verbose_name="临时党支部",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    organization = None  # counted under the organization of what it belongs to
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    # cadres reach their projects through the grants their assignments carry
    SCOPE = ScopeSpec(org_path="org_path", enterprise="owner_enterprise", enterprise_read_only=True)

    class Meta:
        verbose_name = "重点项目"
        verbose_name_plural = "重点项目"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def organization_path(self):
        """Its temporary party branch's, or else the owner enterprise's organization."""
        if self.temp_branch_id:
            return self.temp_branch.path
        return self.stored_path(Enterprise, self.owner_enterprise_id)

    def clean(self):
        if self.started_on and self.completed_on and self.completed_on < self.started_on:
            raise ValidationError({"completed_on": "竣工日期不能早于开工日期"})
        if self.temp_branch_id and self.temp_branch.kind != "temporary_branch":
            raise ValidationError({"temp_branch": f"“{self.temp_branch.name}”不是临时党支部"})


class Milestone(models.Model):
    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="milestones"
    )
    name = models.CharField("节点", max_length=200)
    planned_on = models.DateField("计划日期")
    actual_on = models.DateField("实际完成日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    SCOPE = ScopeSpec.child_of("project", Project)

    class Meta:
        verbose_name = "项目节点"
        verbose_name_plural = "项目节点"
        ordering = ["project_id", "planned_on", "id"]

    def __str__(self):
        return f"{self.project} · {self.name}"

    def behind_on(self, day):
        """Planned to be done by `day` and not done by then."""
        return self.planned_on < day and (self.actual_on is None or self.actual_on > day)


class Approval(models.Model):
    """审批手续 of a project: submitted and approved, so the days a set of approvals took shows."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="approvals"
    )
    item = models.CharField("审批事项", max_length=200)
    submitted_on = models.DateField("申报日期")
    approved_on = models.DateField("批复日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    SCOPE = ScopeSpec.child_of("project", Project)

    class Meta:
        verbose_name = "审批手续"
        verbose_name_plural = "审批手续"
        ordering = ["project_id", "submitted_on", "id"]

    def __str__(self):
        return f"{self.project} · {self.item}"

    @property
    def days(self):
        """Calendar days from submission to approval, both counted (same day = 1 day)."""
        if not self.approved_on:
            return None
        return (self.approved_on - self.submitted_on).days + 1

    def clean(self):
        if self.approved_on and self.approved_on < self.submitted_on:
            raise ValidationError({"approved_on": "批复日期不能早于申报日期"})
