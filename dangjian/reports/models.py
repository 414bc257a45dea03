from django.conf import settings
from django.db import models


class SummaryTemplate(models.Model):
    """A Word template of the yearly summary the office edited and uploaded (docxtpl placeholders
    by indicator code). The one in use writes every summary; with none in use, the default
    template (reports.default_template) does."""

    name = models.CharField("模板名称", max_length=100)
    file = models.FileField("模板文件", upload_to="reports/templates/%Y/")
    note = models.CharField("说明", max_length=200, blank=True)
    in_use = models.BooleanField("正在使用", default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "综述模板"
        verbose_name_plural = "综述模板"
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["in_use"], condition=models.Q(in_use=True), name="summarytemplate_one_in_use"
            )
        ]
        permissions = [
            ("generate_summary", "生成年度综述"),
            ("view_cockpit", "查看驾驶舱和大屏"),
            ("cockpit_home", "登录后首页为驾驶舱"),
        ]

    def __str__(self):
        return self.name
