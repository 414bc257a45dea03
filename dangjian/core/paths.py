"""Tables that carry their organization's materialized path (so a scoped count is one
indexed prefix query) register here; when treebeard rewrites a branch's paths, every
carrier's copy is rewritten with the same prefix replacement."""

from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.dispatch import receiver
from treebeard.mp_tree import path_updated

_carriers: list[tuple[type, str]] = []


def register_path_carrier(model, field_name: str = "org_path"):
    _carriers.append((model, field_name))
    return model


def rewrite_paths(old: str, new: str, using=None):
    for model, name in _carriers:
        manager = model._base_manager.using(using) if using else model._base_manager
        manager.filter(**{f"{name}__startswith": old}).update(
            **{name: Concat(Value(new), Substr(name, len(old) + 1))}
        )


@receiver(path_updated)
def _on_path_updated(sender, old_path, new_path, using=None, **kwargs):
    from dangjian.organizations.models import PartyOrganization

    if issubclass(sender, PartyOrganization):
        rewrite_paths(old_path, new_path, using)
