"""周调度: the weekly dispatch meeting and the follow-ups it decides."""

from django.db import models

from dangjian.core.scope import ScopeSpec

from .problems import Problem


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
