from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "dangjian.members"
    label = "members"
    verbose_name = "党员"

    def ready(self):
        from dangjian.core.paths import register_path_carrier

        from . import rules  # noqa: F401  (registers the default rules)
        from .models import DevelopmentCase, DuesAssessment, DuesPayment, Member, Membership

        for model in (Member, Membership, DevelopmentCase, DuesAssessment, DuesPayment):
            register_path_carrier(model)
