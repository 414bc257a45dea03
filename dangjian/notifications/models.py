"""站内消息: what the system tells one user (a request assigned to them, a problem overdue, a
development step due), with a link to the record, read or not. Each message is also handed to the
other delivery channels (email, later SMS or WeChat; see channels.py)."""

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    """What a message is about. The domains name their events here (a new kind is a new choice
    and its migration); the platform only stores and shows them."""

    REQUEST_ASSIGNED = "request_assigned", "诉求分派"
    REQUEST_RETURNED = "request_returned", "诉求退回"
    REQUEST_ESCALATED = "request_escalated", "诉求超时升级"
    REQUEST_CLOSED = "request_closed", "诉求办结"
    PROBLEM_ASSIGNED = "problem_assigned", "问题交办"
    PROBLEM_OVERDUE = "problem_overdue", "问题逾期"
    DEVELOPMENT_DUE = "development_due", "发展党员到期"
    RATING_SELF_ASSESSMENT = "rating_self_assessment", "评星自评申报"
    RATING_RETURNED = "rating_returned", "评星申报退回"
    SUBMISSION_PENDING = "submission_pending", "企业提交待确认"
    SUBMISSION_CONFIRMED = "submission_confirmed", "企业提交已确认"
    SUBMISSION_RETURNED = "submission_returned", "企业提交被退回"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField("类别", max_length=30, choices=Kind.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    # a daily reminder (an overdue problem, a development step due) is sent at most once a day
    # for the same thing: what it is about, and the day it was sent
    reminder_key = models.CharField("提醒事项", max_length=100, blank=True, editable=False)
    reminder_on = models.DateField("提醒日期", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "站内消息"
        verbose_name_plural = "站内消息"
        ordering = ["-created_at", "-id"]
        # a user's own messages are read by recipient only, never through grants: no permissions
        default_permissions = ()
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_inbox")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "reminder_key", "reminder_on"],
                condition=~models.Q(reminder_key=""),
                name="notification_reminder_once_a_day",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
