from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "dangjian.projects"
    label = "projects"
    verbose_name = "项目包抓"
