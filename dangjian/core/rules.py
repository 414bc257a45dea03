"""Versioned rules. An app registers a rule's key, Chinese name and default values; the default
becomes version 1 on migrate. A later version (entered by the zone admin) applies from its
effective date; `rules_for(key, on)` gives the version in force on a day."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

_defaults: dict[str, tuple[str, dict]] = {}
DEFAULT_EFFECTIVE_FROM = datetime.date(2000, 1, 1)


def register_rules(key: str, name: str, defaults: dict):
    _defaults[key] = (name, defaults)


def registered_rules() -> dict[str, str]:
    """key → Chinese name of every registered rule."""
    return {key: name for key, (name, _) in _defaults.items()}


def rule_name(key: str) -> str:
    return _defaults.get(key, (key, None))[0]


def rules_for(key: str, on: datetime.date | None = None):
    from .models import RuleSet

    on = on or timezone.localdate()
    found = (
        RuleSet.objects.filter(key=key, effective_from__lte=on)
        .order_by("-effective_from", "-version")
        .first()
    )
    if found is None:
        found = ensure_default(key)
    return found


def ensure_default(key: str):
    from .models import RuleSet

    _name, defaults = _defaults[key]
    existing = RuleSet.objects.filter(key=key, version=1).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return RuleSet.objects.create(
                key=key, version=1, effective_from=DEFAULT_EFFECTIVE_FROM, values=defaults, note="默认规则"
            )
    except IntegrityError:
        return RuleSet.objects.get(key=key, version=1)


def sync_default_rules(sender=None, **kwargs):
    for key in _defaults:
        ensure_default(key)
