from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "dangjian.organizations"
    label = "organizations"
    verbose_name = "党组织"

    def ready(self):
        from dangjian.core.paths import register_path_carrier

        from .models import Post

        register_path_carrier(Post)
