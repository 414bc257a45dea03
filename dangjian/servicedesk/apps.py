from django.apps import AppConfig


class ServicedeskConfig(AppConfig):
    name = "dangjian.servicedesk"
    label = "servicedesk"
    verbose_name = "企业服务"

    def ready(self):
        from dangjian.projects.selectors import register_assessment_part

        from .selectors import cadre_satisfaction

        # the yearly assessment of cadres counts the ratings of the requests they handled
        register_assessment_part("satisfaction", cadre_satisfaction)
