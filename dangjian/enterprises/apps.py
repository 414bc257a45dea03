from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "dangjian.enterprises"
    label = "enterprises"
    verbose_name = "企业"

    def ready(self):
        from dangjian.core.paths import register_path_carrier

        from .models import Enterprise

        register_path_carrier(Enterprise)
