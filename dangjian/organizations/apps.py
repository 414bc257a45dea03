from django.apps import AppConfig


def _on_path_updated(sender, old_path, new_path, using=None, **kwargs):
    """treebeard rewrote a branch's paths: every table that carries a copy follows."""
    from dangjian.core.paths import rewrite_paths

    from .models import PartyOrganization

    if issubclass(sender, PartyOrganization):
        rewrite_paths(old_path, new_path, using)


class OrganizationsConfig(AppConfig):
    name = "dangjian.organizations"
    label = "organizations"
    verbose_name = "党组织"

    def ready(self):
        from django.apps import apps
        from treebeard.mp_tree import path_updated

        from dangjian.core.paths import register_path_carrier

        from .models import OrgRecord

        # every record that carries its organization's path follows the tree when it moves
        for model in apps.get_models():
            if issubclass(model, OrgRecord):
                register_path_carrier(model)
        path_updated.connect(_on_path_updated, dispatch_uid="organization_path_updated")

        from . import signals

        # the writes to what the warning providers read refresh the stored warnings
        signals.connect()
