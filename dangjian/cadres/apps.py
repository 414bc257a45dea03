from django.apps import AppConfig


class CadresConfig(AppConfig):
    name = "dangjian.cadres"
    label = "cadres"
    verbose_name = "干部"

    def ready(self):
        from dangjian.core.paths import register_path_carrier

        from .models import Cadre

        register_path_carrier(Cadre)
