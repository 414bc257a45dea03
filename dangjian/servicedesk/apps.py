from django.apps import AppConfig


class ServicedeskConfig(AppConfig):
    name = "dangjian.servicedesk"
    label = "servicedesk"
    verbose_name = "企业服务"

    def ready(self):
        from dangjian.core.paths import register_path_carrier

        from . import rules  # noqa: F401  (registers the default rules)
        from .models import ServiceRequest

        register_path_carrier(ServiceRequest)

        from dangjian.projects.selectors import register_assessment_part

        from .selectors import cadre_satisfaction

        # the yearly assessment of cadres counts the ratings of the requests they handled
        register_assessment_part("satisfaction", cadre_satisfaction)
