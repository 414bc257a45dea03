"""Shared pieces of the write path. Every domain service validates with `full_clean`, saves,
and then checks the saved row against the acting user's scope inside its transaction."""

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError

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


def protected_by(exc) -> str:
    """The kinds of records that keep a record from being deleted (Django's ProtectedError or
    RestrictedError), in Chinese: 企业、诉求与服务事项."""
    names = []
    for obj in exc.protected_objects if hasattr(exc, "protected_objects") else exc.restricted_objects:
        name = str(obj._meta.verbose_name)
        if name not in names:
            names.append(name)
    return "、".join(names)


@service
def config_save(*, actor, instance):
    """A configuration record (an industry cluster, a request category, a holiday): checked by
    the model's own rules and saved, attributed to `actor` in the audit log."""
    instance.full_clean()
    instance.save()
    return instance


class StillReferenced(ValidationError):
    """A record that others still refer to cannot be deleted (a 409 in the API)."""


def delete_or_explain(instance, hint=""):
    """Delete `instance`; if other records still refer to it, a Chinese ValidationError says
    which kinds (a 409 in the API, a message in the back office) and nothing is deleted."""
    try:
        with transaction.atomic():
            instance.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise StillReferenced(f"“{instance}”还有{protected_by(exc)}引用，不能删除{hint}") from None


@service
def config_delete(*, actor, instance):
    """Delete a configuration record, unless other records still refer to it."""
    delete_or_explain(instance, "；可改为停用")


@dataclass(frozen=True)
class Step:
    """A workflow step as the back office and the API offer it: its Chinese title, the service
    that takes it, and which submitted values it passes on: a name, or (submitted name, the
    service's argument name). A value not submitted is passed as None, so the service's own
    Chinese message says it is needed."""

    title: str
    service: Callable
    arguments: tuple = ()

    def run(self, *, actor, data: dict, **record):
        kwargs = {}
        for argument in self.arguments:
            given, name = (argument, argument) if isinstance(argument, str) else argument
            kwargs[name] = data.get(given)
        return self.service(actor=actor, **record, **kwargs)
