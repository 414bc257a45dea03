from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dangjian.core"
    label = "core"
    verbose_name = "基础设施"

    def ready(self):
        from . import paths  # noqa: F401  (connects the tree path-rewrite signal)
