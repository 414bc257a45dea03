from django.conf import settings
from django.db import models


class RuleSet(models.Model):
    """A version of a rule whose numbers can differ between places (meeting frequencies, quorum,
    dues brackets, development time limits). Checks record the version they used."""

    key = models.CharField("规则", max_length=60, db_index=True)
    version = models.PositiveIntegerField("版本")
    effective_from = models.DateField("生效日期")
    values = models.JSONField("规则内容")
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "规则版本"
        verbose_name_plural = "规则版本"
        ordering = ["key", "-version"]
        constraints = [models.UniqueConstraint(fields=["key", "version"], name="ruleset_key_version")]

    def __str__(self):
        from .rules import rule_name

        return f"{rule_name(self.key)} 第 {self.version} 版（{self.effective_from:%Y-%m-%d} 起）"

    def data_spec(self, name):
        """The Chinese names of the values (core.structured), as the rule registers them."""
        from .rules import rule_spec

        return rule_spec(self.key) if name == "values" else None

    def clean(self):
        from django.core.exceptions import ValidationError

        from .rules import rule_problems

        problems = rule_problems(self.key, self.values)
        if problems:
            raise ValidationError({"values": problems})


class Holiday(models.Model):
    """The zone's calendar: public holidays on weekdays, and weekend days made working days
    (调休). Working days are Monday to Friday, minus holidays, plus the made-up days."""

    day = models.DateField("日期", unique=True)
    name = models.CharField("名称", max_length=50)
    is_workday = models.BooleanField("调休上班", default=False, help_text="勾选表示这天虽是周末但要上班")

    class Meta:
        verbose_name = "节假日"
        verbose_name_plural = "节假日"
        ordering = ["day"]

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {self.name}{'（调休上班）' if self.is_workday else ''}"


def job_files():
    """The storage of jobs' files (settings.STORAGES["jobs"]): not the media files."""
    from django.core.files.storage import storages

    return storages["jobs"]


class Job(models.Model):
    """A piece of work done in the background by the job queue (dangjian.core.jobs): a large
    import or export, the yearly summary, a scheduled daily job. Its outcome is kept here; while it
    runs its progress is in the cache. A job that failed keeps its error and may be started again
    (a new job whose `previous` is this one); its work was one transaction, so nothing half-written stays."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("任务类型", max_length=100, db_index=True)
    title = models.CharField("任务", max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
    )
    params = models.JSONField("参数", default=dict, blank=True)
    input_file = models.FileField("上传的文件", upload_to="input/%Y/%m/", storage=job_files, blank=True)
    input_name = models.CharField("上传的文件名", max_length=255, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField("总数", null=True, blank=True)
    done = models.PositiveIntegerField("已处理", default=0)
    errors = models.PositiveIntegerField("错误数", default=0)
    summary = models.CharField("结果", max_length=500, blank=True)
    result = models.JSONField("结果明细", default=dict, blank=True)
    output_file = models.FileField("结果文件", upload_to="output/%Y/%m/", storage=job_files, blank=True)
    output_name = models.CharField("结果文件名", max_length=255, blank=True)
    error = models.TextField("错误", blank=True)
    previous = models.ForeignKey(
        "self",
        verbose_name="前序任务",
        help_text="重试的是哪个任务，或确认的是哪次试导入",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_jobs",
    )
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="job_user_created"),
            models.Index(fields=["kind", "-created_at"], name="job_kind_created"),
        ]
        permissions = [("manage_schedules", "管理定时任务")]

    def __str__(self):
        return f"{self.title}（{self.get_status_display()}）"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
