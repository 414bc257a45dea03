from django.apps import AppConfig


class PartylifeConfig(AppConfig):
    name = "dangjian.partylife"
    label = "partylife"
    verbose_name = "组织生活"

    def ready(self):
        from dangjian.core.paths import register_path_carrier

        from . import rules  # noqa: F401  (registers the default rules)
        from .models import Activity, Document, DutyList, Meeting, Training

        for model in (Meeting, Training, Activity, Document, DutyList):
            register_path_carrier(model)
