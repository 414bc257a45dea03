from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "dangjian.projects"
    label = "projects"
    verbose_name = "项目包抓"

    def ready(self):
        from dangjian.core.paths import register_path_carrier

        from . import rules  # noqa: F401  (registers the default rules)
        from .models import Problem, Project

        for model in (Project, Problem):
            register_path_carrier(model)
