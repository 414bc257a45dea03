from django.db import models


class IndicatorAccess(models.Model):
    """No table: carries the permission to read the registry's figures."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_indicators", "查看指标")]
        verbose_name = "指标"
        verbose_name_plural = "指标"

    def __str__(self):
        return "指标"
