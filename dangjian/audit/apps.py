from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "dangjian.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import chain, signals

        signals.connect()
        connection_created.connect(chain.register_sqlite_guard, dispatch_uid="audit_sqlite_guard")
