from django.apps import AppConfig


class CadresConfig(AppConfig):
    name = "dangjian.cadres"
    label = "cadres"
    verbose_name = "干部"
