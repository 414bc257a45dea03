from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "dangjian.members"
    label = "members"
    verbose_name = "党员"

    def ready(self):
        from dangjian.core.paths import register_path_carrier

        from .models import Member, Membership

        register_path_carrier(Member)
        register_path_carrier(Membership)
