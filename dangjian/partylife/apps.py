from django.apps import AppConfig


class PartylifeConfig(AppConfig):
    name = "dangjian.partylife"
    label = "partylife"
    verbose_name = "组织生活"
