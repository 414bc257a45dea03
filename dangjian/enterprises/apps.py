from django.apps import AppConfig


def _units_changed(sender, enterprise_ids, **kwargs):
    from .services import enterprise_sync_org_path

    enterprise_sync_org_path(enterprise_ids)


class EnterprisesConfig(AppConfig):
    name = "dangjian.enterprises"
    label = "enterprises"
    verbose_name = "企业"

    def ready(self):
        from dangjian.core.paths import register_path_carrier
        from dangjian.organizations.services import units_changed

        from .models import Enterprise

        register_path_carrier(Enterprise)
        # an enterprise's organization is the highest whose 所在单位 it is
        units_changed.connect(_units_changed, dispatch_uid="enterprise_sync_org_path")
