from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dangjian.core"
    label = "core"
    verbose_name = "基础设施"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .rules import sync_default_rules

        post_migrate.connect(sync_default_rules, dispatch_uid="sync_default_rules")
