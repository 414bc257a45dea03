"""What an imported row changes in the record it matches: the ledger's own columns, as its export
writes them, before and after the row is applied.

Ledgers find the record a row matches in their own way (LEDGERS.md's natural keys, looked up in
each `apply`). The engine does not repeat that: while a row is applied it watches which record of
the ledger's model is written — the record itself, a record that belongs to it (a project's
cadre assignments), or its many-to-many links (an activity's enterprises) — and exports that
record before the first write and again after the row. The difference, column by column, is what
the row changes; personal data is masked in it."""

import contextvars
import datetime
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save

EMPTY = "（空）"


@dataclass
class Change:
    """One column of a record that a row changes: its header and the old and new value as the
    ledger writes them (personal data masked)."""

    column: str
    old: str
    new: str

    def __str__(self):
        return f"{self.column}：{self.old or EMPTY} → {self.new or EMPTY}"

    def as_dict(self):
        return {"column": self.column, "old": self.old, "new": self.new}


def display(value) -> str:
    """A ledger value as the exported cell reads."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        return value.isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def column_mask(ledger, key):
    """How a column's value is masked where it is shown without being revealed: the mask of its
    national-code check (ID numbers, phones), or of the model field it is stored in (encrypted
    personal data); None for a column that is not personal data."""
    column = next((c for c in ledger.columns if c.key == key), None)
    if column is None:
        return None
    mask = getattr(column.parse, "mask", None)
    if mask is None and ledger.model is not None:
        try:
            model_field = ledger.model._meta.get_field(key)
        except Exception:
            return None
        if callable(getattr(model_field, "masked", None)):
            return model_field.masked
    return mask


def masked(ledger, key, text: str, *, raw=None) -> str:
    """`text` with the column's personal data masked. With `raw` (a cell as written), only a
    valid value is masked: a value the column rejects is shown as written, to be corrected."""
    mask = column_mask(ledger, key) if text else None
    if mask is None:
        return text
    if raw is not None:
        column = next(c for c in ledger.columns if c.key == key)
        try:
            column.parse(raw)
        except Exception:
            return text
    return mask(text)


def snapshot(ledger, pk) -> dict | None:
    """The record's ledger row as its export writes it ({column key: text}), or None."""
    obj = ledger.export_queryset(None).filter(pk=pk).first()
    if obj is None:  # a record the export leaves out (a member who left)
        obj = ledger.model._default_manager.filter(pk=pk).first()
    if obj is None:
        return None
    values = ledger.export_values(obj, ledger.export_context([obj]))
    return {column.key: display(values.get(column.key)) for column in ledger.columns}


def diff(ledger, before: dict, after: dict) -> list[Change]:
    return [
        Change(
            column.header,
            masked(ledger, column.key, before[column.key]),
            masked(ledger, column.key, after[column.key]),
        )
        for column in ledger.columns
        if before.get(column.key) != after.get(column.key)
    ]


@dataclass
class Watch:
    """The records of `ledger.model` that one row writes: {pk: its row before the first write}."""

    ledger: object
    before: dict = field(default_factory=dict)
    created: set = field(default_factory=set)

    def touch(self, pk):
        if pk is None or pk in self.created or pk in self.before:
            return
        self.before[pk] = snapshot(self.ledger, pk)

    def changes(self) -> list[Change]:
        """What the row changed in the record it updated (the first one it wrote)."""
        for pk, before in self.before.items():
            if before is None:
                continue
            after = snapshot(self.ledger, pk)
            if after is not None:
                return diff(self.ledger, before, after)
        return []


_watch: contextvars.ContextVar[Watch | None] = contextvars.ContextVar("ledger_watch", default=None)


@contextmanager
def watching(ledger):
    watch = Watch(ledger)
    token = _watch.set(watch)
    try:
        yield watch
    finally:
        _watch.reset(token)


def _owner_pks(watch, instance):
    """The records of the ledger's model that `instance` is, or belongs to."""
    model = watch.ledger.model
    if isinstance(instance, model):
        return [instance.pk]
    return [
        getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f.many_to_one and isinstance(f.related_model, type) and issubclass(model, f.related_model)
    ]


def _on_write(sender, instance, **kwargs):
    watch = _watch.get()
    if watch is None or kwargs.get("raw"):
        return
    for pk in _owner_pks(watch, instance):
        watch.touch(pk)


def _on_saved(sender, instance, created, **kwargs):
    watch = _watch.get()
    if watch is not None and created and isinstance(instance, watch.ledger.model):
        watch.created.add(instance.pk)


def _on_links(sender, instance, action, model, pk_set, **kwargs):
    watch = _watch.get()
    if watch is None or not action.startswith("pre_"):
        return
    if isinstance(instance, watch.ledger.model):
        watch.touch(instance.pk)
    elif isinstance(model, type) and issubclass(model, watch.ledger.model):
        for pk in pk_set or ():
            watch.touch(pk)


pre_save.connect(_on_write, dispatch_uid="ledger-watch-pre-save", weak=False)
pre_delete.connect(_on_write, dispatch_uid="ledger-watch-pre-delete", weak=False)
post_save.connect(_on_saved, dispatch_uid="ledger-watch-post-save", weak=False)
m2m_changed.connect(_on_links, dispatch_uid="ledger-watch-m2m", weak=False)
