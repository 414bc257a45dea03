from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from dangjian.core.files import ScopedFileField
from dangjian.core.paths import path_index
from dangjian.core.scope import ScopeSpec
from dangjian.core.timeline import TimelineEvent
from dangjian.enterprises.models import Enterprise
from dangjian.organizations.models import OrgRecord


class RequestCategory(models.Model):
    """A category of requests with its own time limits (configuration the zone admin edits);
    a 马上办 category is accepted within one working day."""

    name = models.CharField("类别", max_length=50, unique=True)
    accept_workdays = models.PositiveSmallIntegerField("受理时限（工作日）", default=2)
    close_workdays = models.PositiveSmallIntegerField("办结时限（工作日）", default=15)
    is_immediate = models.BooleanField("马上办", default=False)
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "诉求类别"
        verbose_name_plural = "诉求类别"
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.is_immediate and self.accept_workdays != 1:
            raise ValidationError({"accept_workdays": "“马上办”类别须在 1 个工作日内受理"})
        if self.accept_workdays < 1 or self.close_workdays < 1:
            raise ValidationError("时限至少 1 个工作日")


class RequestKind(models.TextChoices):
    DEMAND = "demand", "诉求"
    APPROVAL = "approval", "审批事项"
    SERVICE = "service", "服务事项"


class Handling(models.TextChoices):
    LEADER = "leader", "领办"
    CADRE = "cadre", "包办"
    PROXY = "proxy", "代办"


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", "已提交"
    ACCEPTED = "accepted", "已受理"
    IN_PROGRESS = "in_progress", "办理中"
    CLOSED = "closed", "已办结"
    RATED = "rated", "已评价"
    RETURNED = "returned", "已退回"
    SUSPENDED = "suspended", "挂起"


OPEN_STATUSES = (
    RequestStatus.SUBMITTED,
    RequestStatus.ACCEPTED,
    RequestStatus.IN_PROGRESS,
    RequestStatus.SUSPENDED,
    RequestStatus.RETURNED,
)


def acceptance_overdue(today) -> models.Q:
    """Waiting for acceptance past its deadline (a request sent back waits on the enterprise)."""
    return models.Q(status=RequestStatus.SUBMITTED, accept_due__lt=today)


def closing_overdue(today) -> models.Q:
    """Accepted, not closed, past its deadline (the clock stops while suspended or sent back)."""
    return models.Q(status__in=(RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS), close_due__lt=today)


class ServiceRequest(OrgRecord):
    """诉求 / 审批事项 / 服务事项 of an enterprise, handled by its designated cadre."""

    number = models.CharField("事项编号", max_length=50, unique=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="企业", on_delete=models.PROTECT, related_name="requests"
    )
    organization = None  # counted under the organization of what it belongs to
    kind = models.CharField(
        "事项类型", max_length=20, choices=RequestKind.choices, default=RequestKind.DEMAND
    )
    title = models.CharField("事项名称", max_length=200)
    category = models.ForeignKey(
        RequestCategory,
        verbose_name="类别",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    description = models.TextField("内容", blank=True)
    handling = models.CharField("办理方式", max_length=10, choices=Handling.choices, blank=True)
    status = models.CharField(
        "办理状态", max_length=20, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED
    )
    submitted_on = models.DateField("提交日期")
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    handler = models.ForeignKey(
        "cadres.Cadre",
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    accept_due = models.DateField("受理期限", null=True, blank=True, editable=False)
    close_due = models.DateField("办结期限", null=True, blank=True, editable=False)
    rule = models.ForeignKey(
        "core.RuleSet",
        verbose_name="时限规则版本",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        editable=False,
        related_name="+",
    )
    transferred_to = models.CharField("转办部门", max_length=100, blank=True)
    suspended_on = models.DateField("挂起日期", null=True, blank=True, editable=False)
    suspend_reason = models.CharField("挂起原因", max_length=200, blank=True, editable=False)
    rating = models.PositiveSmallIntegerField("满意度", null=True, blank=True)
    rating_comment = models.CharField("评价", max_length=300, blank=True)
    confirmed_on = models.DateField("确认日期", null=True, blank=True, editable=False)
    auto_confirmed = models.BooleanField("逾期自动确认", default=False, editable=False)
    escalated_on = models.DateField("升级日期", null=True, blank=True, editable=False)
    accepted_late = models.BooleanField("受理超时", default=False, editable=False)
    closed_late = models.BooleanField("办结超时", default=False, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    SCOPE = ScopeSpec(
        org_path="org_path", enterprise="enterprise", users=("handler__user", "handler__leader")
    )

    class Meta:
        verbose_name = "企业诉求与服务事项"
        verbose_name_plural = "企业诉求与服务事项"
        ordering = ["-submitted_on", "-id"]
        indexes = [
            models.Index(fields=["kind", "closed_on"], name="request_kind_closed"),
            path_index("request_path_closed", then="closed_on"),
            # a city's or county's figures read only its own rows: approvals and services closed in
            # a period (by kind), and the requests accepted in one (on-time acceptance)
            path_index("request_kind_path_closed", first="kind", then="closed_on"),
            path_index("request_path_accepted", then="accepted_on"),
            # the few requests still waiting, for escalation and the overdue part of the on-time rates
            models.Index(
                fields=["accept_due"],
                name="request_waiting_accept",
                condition=models.Q(status=RequestStatus.SUBMITTED),
            ),
            models.Index(
                fields=["close_due"],
                name="request_waiting_close",
                condition=models.Q(status__in=[RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS]),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def organization_path(self):
        """Its enterprise's organization."""
        return self.stored_path(Enterprise, self.enterprise_id)

    def clean(self):
        errors = {}
        if self.rating is not None and not 1 <= self.rating <= 5:
            errors["rating"] = "满意度应为 1 到 5"
        if self.closed_on and self.accepted_on and self.closed_on < self.accepted_on:
            errors["closed_on"] = "办结日期不能早于受理日期"
        if self.accepted_on and self.submitted_on and self.accepted_on < self.submitted_on:
            errors["accepted_on"] = "受理日期不能早于提交日期"
        if errors:
            raise ValidationError(errors)


class RequestEvent(TimelineEvent):
    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "提交"
        ACCEPTED = "accepted", "受理"
        STARTED = "started", "开始办理"
        RETURNED = "returned", "退回补充材料"
        RESUBMITTED = "resubmitted", "补充后重新提交"
        TRANSFERRED = "transferred", "转办"
        TRANSFER_REPLY = "transfer_reply", "转办反馈"
        SUSPENDED = "suspended", "挂起"
        RESUMED = "resumed", "恢复办理"
        CLOSED = "closed", "办结"
        RATED = "rated", "评价"
        AUTO_CONFIRMED = "auto_confirmed", "逾期自动确认"
        ESCALATED = "escalated", "超时升级"
        IMPORTED = "imported", "台账导入"

    request = models.ForeignKey(
        ServiceRequest, verbose_name="事项", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField("事件", max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["request_id", "created_at", "id"]

    def __str__(self):
        return f"{self.on:%Y-%m-%d} {self.get_kind_display()}"


class RequestFile(models.Model):
    SCOPE = ScopeSpec.child_of("request", ServiceRequest)  # its file is reached as the request is

    request = models.ForeignKey(
        ServiceRequest, verbose_name="事项", on_delete=models.CASCADE, related_name="files"
    )
    file = ScopedFileField("附件", upload_to="requests/%Y/%m/")
    name = models.CharField("名称", max_length=200, blank=True)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"

    def __str__(self):
        return self.name or self.file.name
