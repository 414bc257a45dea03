"""堵点难点问题: problems raised from projects, enterprises, visits and meetings, with their timeline."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from dangjian.core.paths import path_index
from dangjian.core.scope import ScopeSpec
from dangjian.core.timeline import TimelineEvent
from dangjian.enterprises.models import Enterprise
from dangjian.organizations.models import OrgRecord

from .projects import Project


class ProblemSource(models.TextChoices):
    PROJECT = "project", "项目包抓"
    VISIT = "visit", "上门问诊"
    REQUEST = "request", "企业诉求"
    FINANCE_MEETING = "finance_meeting", "政银企对接"
    TEMP_BRANCH = "temp_branch", "临时党支部"
    OTHER = "other", "其他"


class ProblemCategory(models.TextChoices):
    FINANCING = "financing", "融资"
    LABOR = "labor", "用工"
    APPROVAL = "approval", "审批"
    SALES = "sales", "产销"
    CONSTRUCTION = "construction", "施工"
    ACCEPTANCE = "acceptance", "验收"
    FACTORS = "factors", "要素保障"
    POLICY = "policy", "政策"
    EMPLOYMENT = "employment", "就业创业"
    OTHER = "other", "其他"


class ProblemStatus(models.TextChoices):
    TODO = "todo", "待办"
    IN_PROGRESS = "in_progress", "办理中"
    SOLVED = "solved", "已办结"
    UNSOLVABLE = "unsolvable", "无法解决"


class Problem(OrgRecord):
    """堵点难点: raised from a project, an enterprise, a visit or a meeting; an owner and a
    deadline; 待办 → 办理中 → 已办结, or 无法解决 with a reason."""

    number = models.CharField("问题编号", max_length=50, unique=True, null=True, blank=True)
    source = models.CharField("问题来源", max_length=20, choices=ProblemSource.choices)
    project = models.ForeignKey(
        Project,
        verbose_name="关联项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="关联企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    category = models.CharField("问题类别", max_length=20, choices=ProblemCategory.choices)
    description = models.TextField("问题描述")
    raised_on = models.DateField("提出日期")
    owner = models.ForeignKey(
        "cadres.Cadre",
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    deadline = models.DateField("办理时限", null=True, blank=True)
    status = models.CharField(
        "办理状态", max_length=20, choices=ProblemStatus.choices, default=ProblemStatus.TODO
    )
    closed_on = models.DateField("办结日期", null=True, blank=True)
    result = models.TextField("办理结果", blank=True)
    unsolvable_reason = models.CharField("无法解决的原因", max_length=300, blank=True)
    organization = None  # counted under the organization of what it belongs to
    source_activity = models.ForeignKey(
        "partylife.Activity",
        verbose_name="来源活动（走访、座谈会等）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems",
    )
    source_record = models.ForeignKey(
        "DailyRecord",
        verbose_name="来源日纪实",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems",
    )
    source_dispatch = models.ForeignKey(
        "DispatchMeeting",
        verbose_name="来源周调度",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems",
    )
    escalated_on = models.DateField("升级日期", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    SCOPE = ScopeSpec(
        org_path="org_path",
        enterprise="enterprise",
        assigned={"projects.project": "project"},
        users=("owner__user", "owner__leader"),
    )

    class Meta:
        verbose_name = "堵点难点问题"
        verbose_name_plural = "堵点难点问题"
        ordering = ["-raised_on", "id"]
        indexes = [
            models.Index(fields=["status", "closed_on"], name="problem_status_closed"),
            path_index("problem_path_closed", then="closed_on"),
        ]

    def __str__(self):
        label = self.number or f"#{self.pk}"
        return f"{label} {self.description[:30]}"

    def organization_path(self):
        """Its project's, or else its enterprise's organization."""
        if self.project_id:
            return self.project.org_path
        return self.stored_path(Enterprise, self.enterprise_id)

    def clean(self):
        errors = {}
        if self.closed_on and self.raised_on and self.closed_on < self.raised_on:
            errors["closed_on"] = "办结日期不能早于提出日期"
        if self.status == ProblemStatus.SOLVED and not self.closed_on:
            errors["closed_on"] = "已办结的问题须填写办结日期"
        if self.status in (ProblemStatus.TODO, ProblemStatus.IN_PROGRESS) and self.closed_on:
            errors["closed_on"] = "未办结的问题不应有办结日期"
        if self.deadline and self.raised_on and self.deadline < self.raised_on:
            errors["deadline"] = "办理时限不能早于提出日期"
        if errors:
            raise ValidationError(errors)

    def is_overdue(self, day=None):
        day = day or timezone.localdate()
        return (
            self.status in (ProblemStatus.TODO, ProblemStatus.IN_PROGRESS)
            and bool(self.deadline)
            and (self.deadline < day)
        )


class ProblemEvent(TimelineEvent):
    class Kind(models.TextChoices):
        RAISED = "raised", "提出"
        ACCEPTED = "accepted", "开始办理"
        PROGRESS = "progress", "办理进展"
        SOLVED = "solved", "办结"
        UNSOLVABLE = "unsolvable", "确认无法解决"
        REOPENED = "reopened", "重新打开"
        ESCALATED = "escalated", "逾期升级"
        REASSIGNED = "reassigned", "更换责任人"
        IMPORTED = "imported", "台账导入"

    problem = models.ForeignKey(Problem, verbose_name="问题", on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事件", max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = "问题办理记录"
        verbose_name_plural = "问题办理记录"
        ordering = ["problem_id", "created_at", "id"]

    def __str__(self):
        return f"{self.on:%Y-%m-%d} {self.get_kind_display()}"
