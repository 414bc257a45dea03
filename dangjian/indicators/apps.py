from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    """The figures as a whole: the permission to read them and the `indicators` command. The
    registry is core's (dangjian.core.indicators); each app registers its figures there."""

    name = "dangjian.indicators"
    label = "indicators"
    verbose_name = "指标"
