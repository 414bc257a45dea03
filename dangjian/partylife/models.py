from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from dangjian.core.files import ScopedFileField
from dangjian.core.paths import path_index
from dangjian.core.scope import ScopeSpec
from dangjian.core.structured import DataSpec
from dangjian.organizations.models import OrgKind, OrgRecord


class MeetingKind(models.TextChoices):
    BRANCH_GENERAL = "branch_general_meeting", "支部党员大会"
    COMMITTEE = "committee_meeting", "支委会"
    GROUP = "group_meeting", "党小组会"
    LECTURE = "party_lecture", "党课"
    THEME_DAY = "theme_day", "主题党日"
    LIFE_MEETING = "life_meeting", "组织生活会"
    MEMBER_REVIEW = "member_review", "民主评议党员"
    DEMOCRATIC_LIFE = "democratic_life_meeting", "民主生活会"
    WORK_CONFERENCE = "work_conference", "党建工作会议"
    FIRST_TOPIC = "first_topic_study", "第一议题学习"


# 三会一课: 支部党员大会, 支委会, 党小组会 and 党课.
SANHUI_YIKE = (MeetingKind.BRANCH_GENERAL, MeetingKind.COMMITTEE, MeetingKind.GROUP, MeetingKind.LECTURE)


class LecturerRole(models.TextChoices):
    COUNTY_LEADER = "county_leader", "县局领导"
    SECRETARY = "secretary", "党组织书记"
    OTHER = "other", "其他"


class VoteKind(models.TextChoices):
    NONE = "none", "无表决事项"
    VOTE = "vote", "表决"
    ELECTION = "election", "选举"


class Meeting(OrgRecord):
    organization = models.ForeignKey(
        "organizations.PartyOrganization",
        verbose_name="党组织",
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    kind = models.CharField("会议类型", max_length=30, choices=MeetingKind.choices)
    held_on = models.DateField("日期")
    theme = models.CharField("主题", max_length=300)
    host = models.CharField("主持人", max_length=50, blank=True)
    lecturer = models.CharField("讲课人", max_length=50, blank=True)
    lecturer_role = models.CharField("讲课人身份", max_length=20, choices=LecturerRole.choices, blank=True)
    expected_count = models.PositiveIntegerField("应到人数", null=True, blank=True)
    present_count = models.PositiveIntegerField("实到人数", null=True, blank=True)
    attendance_recorded = models.BooleanField(
        "按人记录出席", default=False, editable=False, help_text="应到、实到由逐人出席记录计算"
    )
    minutes = models.TextField("会议记录", blank=True)
    vote_kind = models.CharField("表决事项", max_length=20, choices=VoteKind.choices, default=VoteKind.NONE)
    resolution = models.TextField("决议", blank=True)
    resolution_valid = models.BooleanField("决议有效", null=True, blank=True, editable=False)
    resolution_invalid_reason = models.CharField("决议无效原因", max_length=200, blank=True, editable=False)
    quorum_rule = models.ForeignKey(
        "core.RuleSet",
        verbose_name="有效人数规则版本",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "组织生活会议"
        verbose_name_plural = "组织生活会议"
        ordering = ["-held_on", "org_path"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "held_on", "theme"], name="meeting_natural_key"
            )
        ]
        indexes = [
            path_index("meeting_kind_path_date", first="kind", then="held_on"),
            path_index("meeting_path_date", then="held_on"),
        ]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.get_kind_display()}：{self.theme}"

    def clean(self):
        errors = {}
        if (
            self.expected_count is not None
            and self.present_count is not None
            and self.present_count > self.expected_count
        ):
            errors["present_count"] = (
                f"实到人数（{self.present_count}）不能多于应到人数（{self.expected_count}）"
            )
        if errors:
            raise ValidationError(errors)


class MeetingAgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name="会议", on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField("顺序")
    title = models.CharField("议题", max_length=300)
    is_first_topic = models.BooleanField("第一议题", default=False)

    class Meta:
        verbose_name = "议题"
        verbose_name_plural = "议题"
        ordering = ["meeting_id", "position"]
        constraints = [models.UniqueConstraint(fields=["meeting", "position"], name="agenda_position")]

    def __str__(self):
        return self.title


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "出席"
    LEAVE = "leave", "请假"
    ABSENT = "absent", "缺席"


class MeetingAttendance(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name="会议", on_delete=models.CASCADE, related_name="attendance"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name="党员", on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        "出席情况", max_length=10, choices=AttendanceStatus.choices, default=AttendanceStatus.PRESENT
    )
    present = models.BooleanField("出席", default=True, editable=False)  # status == 出席
    absence_reason = models.CharField("请假或缺席原因", max_length=100, blank=True)

    class Meta:
        verbose_name = "出席记录"
        verbose_name_plural = "出席记录"
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once")]

    def __str__(self):
        return f"{self.member}：{self.get_status_display()}"


class MeetingAttachment(models.Model):
    SCOPE = ScopeSpec.child_of("meeting", Meeting)  # its file is reached as the meeting is

    meeting = models.ForeignKey(
        Meeting, verbose_name="会议", on_delete=models.CASCADE, related_name="attachments"
    )
    file = ScopedFileField("文件", upload_to="meetings/%Y/%m/")
    name = models.CharField("名称", max_length=200, blank=True)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "会议附件"
        verbose_name_plural = "会议附件"

    def __str__(self):
        return self.name or self.file.name


class TrainingKind(models.TextChoices):
    CLASS_MEETING = "class_meeting", "主题班会"
    SPECIAL_CLASS = "special_class", "专题培训班"
    LECTURE_HALL = "lecture_hall", "高新大讲堂"
    TALENT = "talent", "人才培训"
    ENTREPRENEURSHIP = "entrepreneurship", "创业培训"
    OTHER = "other", "其他"


class Training(OrgRecord):
    name = models.CharField("培训名称", max_length=200)
    kind = models.CharField("培训类型", max_length=30, choices=TrainingKind.choices)
    host_name = models.CharField("主办党组织", max_length=200, blank=True)
    organization = models.ForeignKey(
        "organizations.PartyOrganization",
        verbose_name="主办党组织（系统内）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trainings",
    )
    start_on = models.DateField("开始日期")
    end_on = models.DateField("结束日期", null=True, blank=True)
    attendance_count = models.PositiveIntegerField("参训人次")
    hours = models.DecimalField("学时", max_digits=8, decimal_places=2, null=True, blank=True)
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "教育培训"
        verbose_name_plural = "教育培训"
        ordering = ["-start_on", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "start_on"], name="training_natural_key")]
        indexes = [path_index("training_path_date", then="start_on")]

    def __str__(self):
        return f"{self.start_on:%Y-%m-%d} {self.name}"

    def clean(self):
        if self.start_on and self.end_on and self.end_on < self.start_on:
            raise ValidationError({"end_on": "结束日期不能早于开始日期"})


class TrainingParticipant(models.Model):
    training = models.ForeignKey(
        Training, verbose_name="培训", on_delete=models.CASCADE, related_name="participants"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name="党员", on_delete=models.CASCADE, related_name="+"
    )
    hours = models.DecimalField("学时", max_digits=8, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = "参训人员"
        verbose_name_plural = "参训人员"
        constraints = [
            models.UniqueConstraint(fields=["training", "member"], name="training_participant_once")
        ]

    def __str__(self):
        return str(self.member)


class ActivityKind(models.TextChoices):
    PRACTICE = "practice", "实践活动"
    PUBLIC_WELFARE = "public_welfare", "公益活动"
    JOINT_BUILDING = "joint_building", "企企联建"
    COMMUNITY_SERVICE = "community_service", "在职党员进基层"
    ENTERPRISE_VISIT = "enterprise_visit", "上门服务"
    ENTREPRENEUR_FORUM = "entrepreneur_forum", "企业家座谈会"
    BREAKFAST = "breakfast", "早餐会"
    DINNER = "dinner", "晚餐会"
    SITE_MEETING = "site_meeting", "项目建设现场会"
    JOINT_MEETING = "joint_meeting", "项目联席会"
    BANK_ENTERPRISE = "bank_enterprise", "银企对接会"
    GOV_BANK_ENTERPRISE = "gov_bank_enterprise", "政银企对接会"
    OTHER = "other", "其他"


class Activity(OrgRecord):
    name = models.CharField("活动名称", max_length=200)
    kind = models.CharField("活动类型", max_length=30, choices=ActivityKind.choices)
    organizer_name = models.CharField("党组织", max_length=200, blank=True)
    organization = models.ForeignKey(
        "organizations.PartyOrganization",
        verbose_name="组织党组织（系统内）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    held_on = models.DateField("日期")
    participant_count = models.PositiveIntegerField("参与人数", null=True, blank=True)
    enterprises = models.ManyToManyField(
        "enterprises.Enterprise", verbose_name="参与企业", blank=True, related_name="activities"
    )
    cadres = models.ManyToManyField(
        "cadres.Cadre", verbose_name="参与干部", blank=True, related_name="activities"
    )
    donation = models.DecimalField("捐款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    # cadres see the visits and events they took part in
    SCOPE = ScopeSpec(org_path="org_path", users=("cadres__user",))

    class Meta:
        verbose_name = "活动"
        verbose_name_plural = "活动"
        ordering = ["-held_on", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "held_on"], name="activity_natural_key")]
        indexes = [
            path_index("activity_kind_path_date", first="kind", then="held_on"),
        ]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.name}"


class ActivityParticipant(models.Model):
    """A member's part in an activity; for 在职党员进基层 the community and what they did."""

    activity = models.ForeignKey(
        Activity, verbose_name="活动", on_delete=models.CASCADE, related_name="participants"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name="党员", on_delete=models.CASCADE, related_name="+"
    )
    place = models.CharField("服务社区（地点）", max_length=200, blank=True)
    content = models.CharField("服务内容", max_length=300, blank=True)
    hours = models.DecimalField("时长（小时）", max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = "参与党员"
        verbose_name_plural = "参与党员"
        constraints = [
            models.UniqueConstraint(fields=["activity", "member"], name="activity_participant_once")
        ]

    def __str__(self):
        return str(self.member)


class DocumentCategory(models.TextChoices):
    GUIDANCE = "guidance", "指导性文件"
    NOTICE = "notice", "通知"
    PLAN = "plan", "方案"
    OTHER = "other", "其他"


class Document(OrgRecord):
    number = models.CharField("文号", max_length=100, unique=True)
    title = models.CharField("标题", max_length=300)
    issued_on = models.DateField("发文日期")
    category = models.CharField("文件类别", max_length=20, choices=DocumentCategory.choices, blank=True)
    organization = models.ForeignKey(
        "organizations.PartyOrganization",
        verbose_name="发文党组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    file = ScopedFileField("文件", upload_to="documents/%Y/", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "发文"
        verbose_name_plural = "发文"
        ordering = ["-issued_on", "number"]
        indexes = [models.Index(fields=["issued_on"], name="document_issued_on")]

    def __str__(self):
        return f"{self.number} {self.title}"


class DutyStatus(models.TextChoices):
    NOT_STARTED = "not_started", "未开始"
    IN_PROGRESS = "in_progress", "进行中"
    DONE = "done", "已完成"


class DutyList(OrgRecord):
    """责任清单: a secretary's duties for a year."""

    organization = models.ForeignKey(
        "organizations.PartyOrganization",
        verbose_name="党组织",
        on_delete=models.CASCADE,
        related_name="duty_lists",
    )
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("清单名称", max_length=200)
    standard = models.ForeignKey(
        "StandardDutyList",
        verbose_name="来源标准清单",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="issued_lists",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "责任清单"
        verbose_name_plural = "责任清单"
        ordering = ["-year", "org_path"]
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="duty_list_per_year")]

    def __str__(self):
        return f"{self.organization} {self.year} 年{self.title}"


class DutyItem(models.Model):
    duty_list = models.ForeignKey(
        DutyList, verbose_name="责任清单", on_delete=models.CASCADE, related_name="items"
    )
    title = models.CharField("事项", max_length=300)
    deadline = models.DateField("完成时限")
    owner = models.CharField("责任人", max_length=50, blank=True)
    led_by_secretary = models.BooleanField("书记领办实事", default=False)
    status = models.CharField(
        "状态", max_length=20, choices=DutyStatus.choices, default=DutyStatus.NOT_STARTED
    )
    completed_on = models.DateField("完成日期", null=True, blank=True)

    SCOPE = ScopeSpec.child_of("duty_list", DutyList)

    class Meta:
        verbose_name = "责任事项"
        verbose_name_plural = "责任事项"
        ordering = ["duty_list_id", "deadline", "id"]

    def __str__(self):
        return self.title

    def state_on(self, day):
        """未开始 / 进行中 / 已完成, or 逾期 when the deadline has passed and it is not done."""
        if self.status == DutyStatus.DONE:
            return DutyStatus.DONE.label
        if self.deadline < day:
            return "逾期"
        return self.get_status_display()

    @property
    def state(self):
        return self.state_on(timezone.localdate())


class DutyProgress(models.Model):
    item = models.ForeignKey(DutyItem, verbose_name="事项", on_delete=models.CASCADE, related_name="progress")
    noted_on = models.DateField("日期", default=timezone.localdate)
    text = models.TextField("进展")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "进展"
        verbose_name_plural = "进展"
        ordering = ["item_id", "noted_on", "id"]

    def __str__(self):
        return f"{self.noted_on:%Y-%m-%d} {self.text[:30]}"


class DutyEvidence(models.Model):
    SCOPE = ScopeSpec.child_of("item", DutyItem)  # its file is reached as the duty item is

    item = models.ForeignKey(DutyItem, verbose_name="事项", on_delete=models.CASCADE, related_name="evidence")
    file = ScopedFileField("佐证材料", upload_to="duties/%Y/")
    name = models.CharField("名称", max_length=200, blank=True)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"

    def __str__(self):
        return self.name or self.file.name


DUTY_ITEMS = DataSpec(labels={"*.title": "事项", "*.deadline": "完成时限", "*.led_by_secretary": "书记领办"})


class StandardDutyList(models.Model):
    """A standard list the zone issues to every organization of a kind in one step."""

    title = models.CharField("清单名称", max_length=200)
    year = models.PositiveSmallIntegerField("年度")
    org_kind = models.CharField("适用组织类别", max_length=30, choices=OrgKind.choices)
    items = models.JSONField(
        "事项", default=list, help_text='[{"title": …, "deadline": "2026-06-30", "led_by_secretary": false}]'
    )
    issued_at = models.DateTimeField("下发时间", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "标准责任清单"
        verbose_name_plural = "标准责任清单"
        ordering = ["-year", "id"]

    def __str__(self):
        return f"{self.year} 年{self.title}"

    def data_spec(self, name):
        """The items read as a table (core.structured)."""
        return DUTY_ITEMS if name == "items" else None

    def clean(self):
        import datetime

        problems = []
        if not isinstance(self.items, list):
            raise ValidationError({"items": "事项应为列表"})
        for index, item in enumerate(self.items, start=1):
            if not isinstance(item, dict) or not str(item.get("title", "")).strip():
                problems.append(f"第 {index} 项缺少事项名称")
                continue
            try:
                datetime.date.fromisoformat(str(item.get("deadline")))
            except ValueError:
                problems.append(f"第 {index} 项的完成时限应为日期（如 2026-06-30）")
        if problems:
            raise ValidationError({"items": problems})
