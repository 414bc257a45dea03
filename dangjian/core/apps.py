from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dangjian.core"
    label = "core"
    verbose_name = "基础设施"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .jobs import sync_schedules
        from .rules import sync_default_rules

        post_migrate.connect(sync_default_rules, dispatch_uid="sync_default_rules")
        post_migrate.connect(sync_schedules, sender=self, dispatch_uid="sync_schedules")
