"""日纪实 and 月总结: the daily records cadres keep, with photos, and their monthly notes."""

from django.db import models

from dangjian.core.files import ScopedFileField
from dangjian.core.scope import ScopeSpec

from .projects import Project


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
    SCOPE = ScopeSpec.child_of("record", DailyRecord)  # its file is reached as the record is

    record = models.ForeignKey(
        DailyRecord, verbose_name="日纪实", on_delete=models.CASCADE, related_name="photos"
    )
    file = ScopedFileField("照片", upload_to="daily/%Y/%m/")
    caption = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "现场照片"
        verbose_name_plural = "现场照片"

    def __str__(self):
        return self.caption or self.file.name


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
