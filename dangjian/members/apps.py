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

        from dangjian.organizations.selectors import register_warning_provider

        from .selectors import development_warnings, dues_warnings

        register_warning_provider(development_warnings)
        register_warning_provider(dues_warnings)
