"""Tables that carry their organization's materialized path (so a scoped count is one indexed
prefix query) register here; when a branch of the tree moves, the tree app calls
`rewrite_paths`, and every carrier's copy is rewritten with the same prefix replacement."""

from django.db.models import CharField, F, Func, Index, Value
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


class InByteOrder(Func):
    """A path compared byte by byte (`COLLATE "C"` on PostgreSQL, `BINARY` on SQLite): the tree's
    own order, and on PostgreSQL the collation in which a btree index serves both `LIKE 'path%'`
    (as a range) and `ORDER BY`, so a scoped list's first page reads only its rows from such an
    index (`ordered_path_index`)."""

    template = "%(expressions)s"
    arity = 1

    def __init__(self, expression, **extra):
        super().__init__(expression, output_field=CharField(), **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template='%(expressions)s COLLATE "C"', **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="%(expressions)s COLLATE BINARY", **extra)


def ordered_path_index(name: str, *then: str, path: str = "org_path"):
    """The index a scoped list's page walks in the order (path, *then): see `InByteOrder`; the
    list orders by `path_order(path, *then)`."""
    return Index(InByteOrder(F(path)), *(F(field) for field in then), name=name)


def path_order(*then: str, path: str = "org_path") -> list:
    """The ordering that `ordered_path_index(name, *then, path=path)` gives."""
    return [InByteOrder(F(path)).asc(), *then]
