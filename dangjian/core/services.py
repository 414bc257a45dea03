"""Shared pieces of the write path. Every domain service validates with `full_clean`, saves,
and then checks the saved row against the acting user's scope inside its transaction."""

import functools

from django.db import transaction

from dangjian.audit.services import acting_as

from .scope import ensure_in_scope


def service(func):
    """A write: atomic, and every change it makes is attributed to its `actor` in the audit log
    (also when it is called outside a request, e.g. from a script or a test)."""

    @functools.wraps(func)
    def wrapper(*args, actor=None, **kwargs):
        with transaction.atomic(), acting_as(actor):
            return func(*args, actor=actor, **kwargs)

    return wrapper


def save_checked(instance, *, actor, action: str, exclude=None):
    """Validate, save and confirm `instance` is within `actor`'s scope for `action`.
    For a change, call `ensure_in_scope(actor, instance, "change")` first, while the stored
    row is still the old one."""
    instance.full_clean(exclude=exclude)
    instance.save()
    ensure_in_scope(actor, instance, action)
    return instance


def assign(instance, fields: dict, allowed):
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(instance, name, value)
