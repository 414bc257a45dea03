"""The writes that change stored organization warnings: each provider names the models it reads
(`warning_provider(..., watches=...)`); a save or delete of one of their rows marks the
organizations it concerns, before and after (a member or meeting moved to another organization
changes both), and they are refreshed once when the transaction commits
(services.warnings_changed). Connected by model label when the apps are ready, so this app
imports none of the apps above it."""

from django.apps import apps
from django.db.models.signals import post_save, pre_delete, pre_save

from .warnings import EVERY_ORGANIZATION, watched_models

# model → the ways its rows find their organizations (WarningProvider.watches)
_finders: dict = {}


def _local_field(model, lookup):
    """The model's own foreign key (or pk) that `lookup` names, or None for a lookup through
    other records."""
    if lookup == "pk":
        return model._meta.pk
    if "__" in lookup:
        return None
    field = model._meta.get_field(lookup)
    return field if field.concrete else None


def _stored(model, pk, lookup, using):
    """The organization ids the stored row `pk` reaches through `lookup`."""
    return set(model._base_manager.using(using).filter(pk=pk).values_list(lookup, flat=True))


def _organizations_of(model, instance, using) -> set | object:
    """The organizations the row concerns as it is now (in hand, or stored for a lookup through
    other records), or EVERY_ORGANIZATION."""
    found = set()
    for finder in _finders.get(model, ()):
        if callable(finder):
            result = finder(instance)
            if result is EVERY_ORGANIZATION:
                return EVERY_ORGANIZATION
            found |= set(result)
            continue
        field = _local_field(model, finder)
        if field is not None:
            found.add(getattr(instance, field.attname))
        elif instance.pk is not None:
            found |= _stored(model, instance.pk, finder, using)
    found.discard(None)
    return found


def _before_save(sender, instance, raw=False, using=None, update_fields=None, **kwargs):
    """The organizations the stored row concerned before this save (a row moved to another
    organization leaves the old one's warnings changed too)."""
    if raw or instance.pk is None or instance._state.adding:
        return
    before = set()
    for finder in _finders.get(sender, ()):
        if callable(finder) or finder == "pk":
            continue
        first = finder.split("__")[0]
        if update_fields is not None:
            field = sender._meta.get_field(first)
            if field.name not in update_fields and field.attname not in update_fields:
                continue
        before |= _stored(sender, instance.pk, finder, using)
    instance._warning_organizations_before = before


def _after_save(sender, instance, raw=False, using=None, **kwargs):
    if raw:
        return
    from .services import warnings_changed

    now = _organizations_of(sender, instance, using)
    if now is EVERY_ORGANIZATION:
        warnings_changed(EVERY_ORGANIZATION, using=using)
        return
    before = instance.__dict__.pop("_warning_organizations_before", set())
    warnings_changed(now | before, using=using)


def _before_delete(sender, instance, using=None, **kwargs):
    """Before the row is gone (and the records it reaches its organization through)."""
    from .services import warnings_changed

    warnings_changed(_organizations_of(sender, instance, using), using=using)


def connect():
    """Connect the receivers to every model an installed provider watches."""
    _finders.clear()
    for label, finders in watched_models().items():
        model = apps.get_model(label)
        _finders[model] = finders
        uid = f"stored_warnings:{model._meta.label}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=uid)
        post_save.connect(_after_save, sender=model, dispatch_uid=uid)
        pre_delete.connect(_before_delete, sender=model, dispatch_uid=uid)
