"""Tables that carry their organization's materialized path (so a scoped count is one indexed
prefix query) register here; when a branch of the tree moves, the tree app calls
`rewrite_paths`, and every carrier's copy is rewritten with the same prefix replacement."""

from django.db.models import Value
from django.db.models.functions import Concat, Substr

_carriers: list[tuple[type, str]] = []


def register_path_carrier(model, field_name: str = "org_path"):
    if (model, field_name) not in _carriers:
        _carriers.append((model, field_name))
    return model


def path_carriers() -> list[tuple[type, str]]:
    return list(_carriers)


def rewrite_paths(old: str, new: str, using=None):
    for model, name in _carriers:
        manager = model._base_manager.using(using) if using else model._base_manager
        manager.filter(**{f"{name}__startswith": old}).update(
            **{name: Concat(Value(new), Substr(name, len(old) + 1))}
        )
