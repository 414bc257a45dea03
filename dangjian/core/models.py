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
