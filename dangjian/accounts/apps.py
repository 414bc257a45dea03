from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dangjian.accounts"
    label = "accounts"
    verbose_name = "用户与授权"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import signals  # noqa: F401 — registers the receivers
        from .roles import sync_builtin_roles

        # after every app: permissions of apps migrated later exist only then
        post_migrate.connect(sync_builtin_roles, dispatch_uid="sync_builtin_roles")
