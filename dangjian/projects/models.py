from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from dangjian.core.scope import ScopeSpec
from dangjian.core.timeline import TimelineEvent
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
    SCOPE = ScopeSpec(org_path="org_path", enterprise="owner_enterprise")

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
            models.Index(
                fields=["org_path", "closed_on"],
                name="problem_path_closed",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
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


class DailyRecord(models.Model):
    """日纪实: what a cadre did on a day, on which projects and enterprises."""

    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name="干部", on_delete=models.CASCADE, related_name="daily_records"
    )
    day = models.DateField("日期")
    content = models.TextField("工作纪实")
    projects = models.ManyToManyField(Project, verbose_name="项目", blank=True, related_name="daily_records")
    enterprises = models.ManyToManyField(
        "enterprises.Enterprise", verbose_name="企业", blank=True, related_name="daily_records"
    )
    is_visit = models.BooleanField("深入现场或企业", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    SCOPE = ScopeSpec(users=("cadre__user", "cadre__leader"), org_path="cadre__org_path")

    class Meta:
        verbose_name = "日纪实"
        verbose_name_plural = "日纪实"
        ordering = ["-day", "cadre_id"]
        constraints = [models.UniqueConstraint(fields=["cadre", "day"], name="daily_record_once")]

    def __str__(self):
        return f"{self.cadre} {self.day:%Y-%m-%d}"


class DailyPhoto(models.Model):
    record = models.ForeignKey(
        DailyRecord, verbose_name="日纪实", on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField("照片", upload_to="daily/%Y/%m/")
    caption = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "现场照片"
        verbose_name_plural = "现场照片"

    def __str__(self):
        return self.caption or self.file.name


class DispatchMeeting(models.Model):
    """周调度: the weekly dispatch meeting, working from the board compiled for its week."""

    week_start = models.DateField("周一", unique=True)
    held_on = models.DateField("召开日期")
    host = models.CharField("主持人", max_length=50, blank=True)
    attendees = models.CharField("参会人员", max_length=500, blank=True)
    minutes = models.TextField("会议纪要", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "周调度会"
        verbose_name_plural = "周调度会"
        ordering = ["-week_start"]

    def __str__(self):
        return f"{self.week_start:%Y-%m-%d} 当周调度会"


class FollowUp(models.Model):
    """A decision of a dispatch meeting with an owner: a task, or a problem to solve."""

    class Kind(models.TextChoices):
        TASK = "task", "任务"
        PROBLEM = "problem", "问题"

    meeting = models.ForeignKey(
        DispatchMeeting, verbose_name="调度会", on_delete=models.CASCADE, related_name="follow_ups"
    )
    text = models.CharField("决定事项", max_length=300)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.TASK)
    owner = models.ForeignKey(
        "cadres.Cadre", verbose_name="责任人", on_delete=models.PROTECT, related_name="follow_ups"
    )
    deadline = models.DateField("完成时限")
    problem = models.OneToOneField(
        Problem,
        verbose_name="形成的问题",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_up",
    )
    done_on = models.DateField("完成日期", null=True, blank=True)

    SCOPE = ScopeSpec(
        users=("owner__user", "owner__leader"),
        org_path="owner__org_path",
        permission_model="projects.dispatchmeeting",
    )

    class Meta:
        verbose_name = "调度事项"
        verbose_name_plural = "调度事项"
        ordering = ["meeting_id", "id"]

    def __str__(self):
        return self.text


class MonthlyNote(models.Model):
    """The cadre's own words on a month's summary."""

    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name="干部", on_delete=models.CASCADE, related_name="monthly_notes"
    )
    month = models.DateField("月份")
    text = models.TextField("本月小结")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    SCOPE = ScopeSpec(
        users=("cadre__user", "cadre__leader"),
        org_path="cadre__org_path",
        permission_model="projects.dailyrecord",
    )

    class Meta:
        verbose_name = "月总结批注"
        verbose_name_plural = "月总结批注"
        constraints = [models.UniqueConstraint(fields=["cadre", "month"], name="monthly_note_once")]

    def __str__(self):
        return f"{self.cadre} {self.month:%Y-%m}"


class AssessmentRun(models.Model):
    """年度考核: scores computed for a year with the weights in force, stored with them."""

    year = models.PositiveSmallIntegerField("年度")
    rule = models.ForeignKey(
        "core.RuleSet", verbose_name="权重版本", on_delete=models.PROTECT, related_name="+"
    )
    weights = models.JSONField("使用的权重")
    created_at = models.DateTimeField("计算时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="计算人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "年度考核"
        verbose_name_plural = "年度考核"
        ordering = ["-year", "-created_at"]

    def __str__(self):
        return f"{self.year} 年度考核（{self.created_at:%Y-%m-%d %H:%M}）"


class AssessmentScore(models.Model):
    run = models.ForeignKey(
        AssessmentRun, verbose_name="考核", on_delete=models.CASCADE, related_name="scores"
    )
    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name="干部", on_delete=models.PROTECT, related_name="scores"
    )
    components = models.JSONField("分项")
    score = models.DecimalField("得分", max_digits=6, decimal_places=2)
    rank = models.PositiveIntegerField("名次")

    SCOPE = ScopeSpec(
        users=("cadre__user", "cadre__leader"),
        org_path="cadre__org_path",
        permission_model="projects.assessmentrun",
    )

    class Meta:
        verbose_name = "考核得分"
        verbose_name_plural = "考核得分"
        ordering = ["run_id", "rank"]

    def __str__(self):
        return f"{self.cadre} {self.score}"
