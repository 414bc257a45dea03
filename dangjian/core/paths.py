"""Tables that carry their organization's materialized path (so a scoped count is one indexed
prefix query) register here; when a branch of the tree moves, the tree app calls
`rewrite_paths`, and every carrier's copy is rewritten with the same prefix replacement."""

from django.db.models import Index, Value
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


def path_index(name: str, *, then: str | None = None, first: str | None = None, path: str = "org_path"):
    """The index a scoped list or count walks: `first` (a kind, by equality), the stored path (by
    prefix: varchar_pattern_ops, so `LIKE 'path%'` uses it on PostgreSQL), then `then` (a date,
    for a period)."""
    fields, opclasses = [path], ["varchar_pattern_ops"]
    if first:
        fields, opclasses = [first, *fields], ["text_ops", *opclasses]
    if then:
        fields, opclasses = [*fields, then], [*opclasses, "date_ops"]
    return Index(fields=fields, name=name, opclasses=opclasses)
