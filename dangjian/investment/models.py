"""招商引资: ambassadors, advisors and teams (with dated appointments), events, the project
pipeline 线索 → 洽谈 → 签约 → 开工 → 投产 (or 终止), funds in place in tranches, yearly targets.

Investment records are the zone's: their organization is optional, so at the zone's root every
record counts and in a subtree only those that name an organization there. A team member (the
role 招商人员) reaches their team's records through the grant their appointment carries."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Sum

from dangjian.core.crypto import EncryptedCharField, mask_phone
from dangjian.core.files import ScopedFileField
from dangjian.core.indicators import in_force_on
from dangjian.core.paths import path_index
from dangjian.core.scope import ScopeSpec
from dangjian.core.timeline import TimelineEvent
from dangjian.organizations.models import OrgRecord

TEAM = "investment.team"
# records a team member reaches through the grant on their team
TEAM_SCOPE = ScopeSpec(org_path="org_path", assigned={TEAM: "team"})


def optional_organization(verbose_name="党组织"):
    return models.ForeignKey(
        "organizations.PartyOrganization",
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="招商工作属于全区；只有需要计入某个党组织时才填写",
    )


def in_post_on(day: datetime.date, prefix: str = "") -> Q:
    """Appointments in force on `day`: appointed on or before it (no known date counts as
    always) and not departed by then (a departure takes effect on its day)."""
    return in_force_on(day, "appointed_on", "left_on", prefix)


class Team(OrgRecord):
    """招商小分队: a team with a leader (队长) and members, who are appointments of 招商人员."""

    name = models.CharField("小分队名称", max_length=100, unique=True)
    focus = models.CharField("主攻方向", max_length=200, blank=True, help_text="负责的产业或地区")
    established_on = models.DateField("成立日期", null=True, blank=True)
    organization = optional_organization()
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    SCOPE = ScopeSpec(org_path="org_path")  # a team member's grant names the team itself

    class Meta:
        verbose_name = "招商小分队"
        verbose_name_plural = "招商小分队"
        ordering = ["name"]

    def __str__(self):
        return self.name


class PersonRole(models.TextChoices):
    AMBASSADOR = "ambassador", "招商大使"
    ADVISOR = "advisor", "招商顾问"
    MEMBER = "member", "小分队队员"
    LEADER = "leader", "小分队队长"


TEAM_ROLES = (PersonRole.MEMBER, PersonRole.LEADER)


class InvestmentPerson(OrgRecord):
    """招商人员: one appointment of a person in one role (招商大使, 招商顾问, a team's member or
    leader), with its term and dates, so who was in post on any past day can be answered. A team
    member who has a user account reaches the team's records through the grant it carries."""

    name = models.CharField("姓名", max_length=50, db_index=True)
    role = models.CharField("身份", max_length=20, choices=PersonRole.choices)
    team = models.ForeignKey(
        Team,
        verbose_name="招商小分队",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    unit = models.CharField("工作单位及职务", max_length=200, blank=True)
    covers = models.CharField(
        "联系城市或产业", max_length=200, blank=True, help_text="负责对接的城市、地区或产业"
    )
    phone = EncryptedCharField("联系电话", mask=mask_phone, blank=True)
    appointed_on = models.DateField("聘任日期", null=True, blank=True, help_text="不填表示自始在任")
    term_until = models.DateField("聘期截止", null=True, blank=True)
    left_on = models.DateField("离任日期", null=True, blank=True, help_text="自该日起不再在任")
    left_reason = models.CharField("离任原因", max_length=200, blank=True)
    cadre = models.ForeignKey(
        "cadres.Cadre",
        verbose_name="园区干部",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="investment_roles",
        help_text="由园区干部担任时选择，其账号即可查看本小分队的活动和项目",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="investment_roles",
    )
    grant = models.OneToOneField(
        "accounts.Grant",
        verbose_name="授权",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
    )
    organization = optional_organization()
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    SCOPE = ScopeSpec(org_path="org_path", assigned={TEAM: "team"}, users=("user",))

    class Meta:
        verbose_name = "招商人员"
        verbose_name_plural = "招商人员"
        ordering = ["role", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "role"], condition=Q(left_on__isnull=True), name="investment_person_in_post"
            )
        ]
        indexes = [
            models.Index(fields=["role", "appointed_on"]),
            path_index("invperson_path_role", first="role", then="appointed_on"),
        ]

    def __str__(self):
        return f"{self.name}（{self.get_role_display()}）"

    def in_post(self, day: datetime.date) -> bool:
        return (self.appointed_on is None or self.appointed_on <= day) and (
            self.left_on is None or self.left_on > day
        )

    def clean(self):
        if self.role in TEAM_ROLES and not self.team_id:
            raise ValidationError({"team": f"{self.get_role_display()}须填写所在小分队"})
        if self.role not in TEAM_ROLES and self.team_id:
            raise ValidationError({"team": f"{self.get_role_display()}不属于小分队，请留空"})
        if self.appointed_on and self.left_on and self.left_on < self.appointed_on:
            raise ValidationError({"left_on": "离任日期不能早于聘任日期"})
        if self.appointed_on and self.term_until and self.term_until < self.appointed_on:
            raise ValidationError({"term_until": "聘期截止不能早于聘任日期"})
        if self.left_reason and not self.left_on:
            raise ValidationError({"left_on": "填写离任原因时须填写离任日期"})


class EventForm(models.TextChoices):
    MATCHMAKING = "matchmaking", "招商对接"
    STUDY_TOUR = "study_tour", "考察学习"
    PROMOTION = "promotion", "推介会"
    OTHER = "other", "其他"


class InvestmentEvent(OrgRecord):
    """招商活动: a 招商对接, 考察学习, 推介会 or other event, who went and whom they met; the leads
    that came out of it name it as their source."""

    name = models.CharField("活动名称", max_length=200)
    held_on = models.DateField("日期")
    city = models.CharField("城市", max_length=100, blank=True)
    form = models.CharField(
        "活动形式", max_length=20, choices=EventForm.choices, default=EventForm.MATCHMAKING
    )
    team = models.ForeignKey(
        Team,
        verbose_name="招商小分队",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    participants = models.ManyToManyField(
        InvestmentPerson, verbose_name="参加人员", blank=True, related_name="events"
    )
    other_participants = models.CharField("其他参加人员", max_length=500, blank=True)
    met = models.TextField("对接企业或投资方", blank=True, help_text="会见的企业、投资方或机构，一行一个")
    note = models.TextField("活动情况", blank=True)
    organization = optional_organization()
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    SCOPE = TEAM_SCOPE

    class Meta:
        verbose_name = "招商活动"
        verbose_name_plural = "招商活动"
        ordering = ["-held_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["name", "held_on"], name="investment_event_name_day")]
        indexes = [
            models.Index(fields=["form", "held_on"]),
            models.Index(fields=["held_on"]),
            path_index("invevent_path_form_day", first="form", then="held_on"),
        ]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.name}"


class EventPhoto(models.Model):
    SCOPE = ScopeSpec.child_of("event", InvestmentEvent)

    event = models.ForeignKey(
        InvestmentEvent, verbose_name="活动", on_delete=models.CASCADE, related_name="photos"
    )
    file = ScopedFileField("照片或材料", upload_to="investment/events/%Y/%m/")
    caption = models.CharField("说明", max_length=200, blank=True)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "活动照片"
        verbose_name_plural = "活动照片"
        ordering = ["event_id", "id"]

    def __str__(self):
        return self.caption or self.file.name


class Stage(models.TextChoices):
    LEAD = "lead", "线索"
    NEGOTIATING = "negotiating", "洽谈"
    SIGNED = "signed", "签约"
    STARTED = "started", "开工"
    PRODUCING = "producing", "投产"
    TERMINATED = "terminated", "终止"


# the pipeline in order; 终止 leaves it from any stage before 投产
PIPELINE = (Stage.LEAD, Stage.NEGOTIATING, Stage.SIGNED, Stage.STARTED, Stage.PRODUCING)
SIGNED_STAGES = (Stage.SIGNED, Stage.STARTED, Stage.PRODUCING)
OPEN_STAGES = (Stage.LEAD, Stage.NEGOTIATING)
# the date field each stage is entered on
STAGE_DATE = {
    Stage.LEAD: "recorded_on",
    Stage.NEGOTIATING: "negotiating_on",
    Stage.SIGNED: "signed_on",
    Stage.STARTED: "started_on",
    Stage.PRODUCING: "producing_on",
    Stage.TERMINATED: "terminated_on",
}


class InvestmentProject(OrgRecord):
    """招商项目: a lead and where it went. Each move of its stage is a service with its day and a
    timeline event; 签约 needs its date and the agreed investment. Its 到位资金 is the sum of its
    tranches."""

    name = models.CharField("项目名称", max_length=200, unique=True)
    investor = models.CharField("投资方", max_length=200, blank=True)
    # the name and the investor as the duplicate check compares them (services.name_key)
    name_key = models.CharField("名称比对键", max_length=200, blank=True, editable=False)
    investor_key = models.CharField("投资方比对键", max_length=200, blank=True, editable=False, db_index=True)
    cluster = models.ForeignKey(
        "enterprises.IndustryCluster",
        verbose_name="所属产业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="investment_projects",
    )
    planned_investment = models.DecimalField(
        "计划投资（万元）", max_digits=20, decimal_places=6, null=True, blank=True
    )
    content = models.TextField("项目内容", blank=True)
    stage = models.CharField("阶段", max_length=20, choices=Stage.choices, default=Stage.LEAD, editable=False)
    recorded_on = models.DateField("线索日期", help_text="获得线索的日期")
    source_event = models.ForeignKey(
        InvestmentEvent,
        verbose_name="来源活动",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    source_person = models.ForeignKey(
        InvestmentPerson,
        verbose_name="引荐人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="introduced_projects",
        help_text="引荐项目的招商大使、顾问或队员",
    )
    team = models.ForeignKey(
        Team,
        verbose_name="招商小分队",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        help_text="负责跟进的小分队，其队员可以查看和跟进本项目",
    )
    follower = models.ForeignKey(
        InvestmentPerson,
        verbose_name="跟进人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="followed_projects",
    )
    negotiating_on = models.DateField("洽谈日期", null=True, blank=True, editable=False)
    signed_on = models.DateField("签约日期", null=True, blank=True, editable=False)
    signed_amount = models.DecimalField(
        "签约金额（万元）", max_digits=20, decimal_places=6, null=True, blank=True, editable=False
    )
    started_on = models.DateField("开工日期", null=True, blank=True, editable=False)
    producing_on = models.DateField("投产日期", null=True, blank=True, editable=False)
    terminated_on = models.DateField("终止日期", null=True, blank=True, editable=False)
    termination_reason = models.CharField("终止原因", max_length=300, blank=True, editable=False)
    stage_before_termination = models.CharField(
        "终止前阶段", max_length=20, choices=Stage.choices, blank=True, editable=False
    )
    last_activity_on = models.DateField("最近跟进日期", null=True, blank=True, editable=False)
    key_project = models.OneToOneField(
        "projects.Project",
        verbose_name="转入重点项目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="investment_project",
        editable=False,
    )
    possible_duplicates = models.ManyToManyField(
        "self", verbose_name="疑似重复项目", blank=True, symmetrical=False, related_name="+"
    )
    organization = optional_organization()
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    SCOPE = ScopeSpec(org_path="org_path", assigned={TEAM: "team"}, users=("follower__user",))

    class Meta:
        verbose_name = "招商项目"
        verbose_name_plural = "招商项目"
        ordering = ["-recorded_on", "-id"]
        indexes = [
            models.Index(fields=["signed_on"]),
            models.Index(fields=["stage", "last_activity_on"]),
            path_index("invproject_path_signed", then="signed_on"),
            # the duplicate check looks names up by prefix (LIKE 'key%' on PostgreSQL)
            models.Index(fields=["name_key"], name="invproject_name_key", opclasses=["varchar_pattern_ops"]),
        ]
        permissions = [("carry_investmentproject", "可以将签约项目转入重点项目")]

    def __str__(self):
        return self.name

    @property
    def funds_total(self) -> Decimal:
        """到位资金: the sum of the project's tranches (万元)."""
        if not self.pk:
            return Decimal(0)
        return self.tranches.aggregate(total=Sum("amount"))["total"] or Decimal(0)

    def stage_day(self, stage) -> datetime.date | None:
        return getattr(self, STAGE_DATE[stage])

    def clean(self):
        if self.planned_investment is not None and self.planned_investment < 0:
            raise ValidationError({"planned_investment": "计划投资不能为负数"})


class FollowUp(models.Model):
    """跟进记录: a call, a visit or a meeting with the investor."""

    SCOPE = ScopeSpec.child_of("project", InvestmentProject)

    project = models.ForeignKey(
        InvestmentProject, verbose_name="项目", on_delete=models.CASCADE, related_name="follow_ups"
    )
    on = models.DateField("跟进日期")
    way = models.CharField("跟进方式", max_length=50, blank=True, help_text="电话、上门、来访、线上等")
    content = models.TextField("跟进情况")
    next_step = models.CharField("下一步", max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "跟进记录"
        verbose_name_plural = "跟进记录"
        ordering = ["project_id", "-on", "-id"]

    def __str__(self):
        return f"{self.on:%Y-%m-%d} {self.content[:20]}"


class FundTranche(models.Model):
    """一笔到位资金: its day, amount (万元) and evidence. A period's funds are the tranches dated in it."""

    SCOPE = ScopeSpec.child_of("project", InvestmentProject)

    project = models.ForeignKey(
        InvestmentProject, verbose_name="项目", on_delete=models.CASCADE, related_name="tranches"
    )
    received_on = models.DateField("到位日期")
    amount = models.DecimalField("金额（万元）", max_digits=20, decimal_places=6)
    evidence = ScopedFileField("佐证材料", upload_to="investment/funds/%Y/", blank=True)
    evidence_note = models.CharField("佐证说明", max_length=300, blank=True, help_text="银行回单、验资报告等")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "到位资金"
        verbose_name_plural = "到位资金"
        ordering = ["project_id", "received_on", "id"]
        indexes = [models.Index(fields=["received_on"])]

    def __str__(self):
        return f"{self.received_on:%Y-%m-%d} {self.amount.normalize():f} 万元"

    def clean(self):
        if self.amount is not None and self.amount <= 0:
            raise ValidationError({"amount": "到位资金金额应大于 0"})


class ProjectEventKind(models.TextChoices):
    RECORDED = "recorded", "登记线索"
    STAGE = "stage", "阶段变更"
    FOLLOW_UP = "follow_up", "跟进"
    FUNDS = "funds", "资金到位"
    CARRIED = "carried", "转入重点项目"
    DUPLICATE = "duplicate", "疑似重复"
    IMPORTED = "imported", "台账导入"


class ProjectEvent(TimelineEvent):
    project = models.ForeignKey(
        InvestmentProject, verbose_name="项目", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField("事件", max_length=20, choices=ProjectEventKind.choices)
    stage = models.CharField("阶段", max_length=20, choices=Stage.choices, blank=True)

    SCOPE = ScopeSpec.child_of("project", InvestmentProject)

    class Meta:
        verbose_name = "项目进展"
        verbose_name_plural = "项目进展"
        ordering = ["project_id", "on", "id"]

    def __str__(self):
        return f"{self.on:%Y-%m-%d} {self.get_kind_display()}"


class AnnualTarget(models.Model):
    """年度招商目标: the zone's targets for a year, against which the pace page compares."""

    year = models.PositiveIntegerField("年度", unique=True)
    events = models.PositiveIntegerField("招商对接场次目标", null=True, blank=True)
    signings = models.PositiveIntegerField("签约项目数目标", null=True, blank=True)
    funds = models.DecimalField(
        "到位资金目标（万元）", max_digits=20, decimal_places=6, null=True, blank=True
    )
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "年度招商目标"
        verbose_name_plural = "年度招商目标"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}年招商目标"

    def clean(self):
        if self.year is not None and not 2000 <= self.year <= 2100:
            raise ValidationError({"year": "年度应为 2000 至 2100 之间的年份"})
        if self.funds is not None and self.funds < 0:
            raise ValidationError({"funds": "到位资金目标不能为负数"})
