import importlib

from django.apps import AppConfig, apps


class IndicatorsConfig(AppConfig):
    name = "dangjian.indicators"
    label = "indicators"
    verbose_name = "指标"

    def ready(self):
        # Each domain app contributes its figures in <app>/indicators.py.
        for config in apps.get_app_configs():
            if config.name.startswith("dangjian.") and config.name != self.name:
                try:
                    importlib.import_module(f"{config.name}.indicators")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.indicators":
                        raise
