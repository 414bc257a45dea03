"""Versioned rules. An app registers a rule's key, Chinese name and default values in its
rules.py (found by name, see core.registry); the default becomes version 1 on migrate. A later version (entered by the zone admin) applies from its
effective date; `rules_for(key, on)` gives the version in force on a day."""

import contextlib
import datetime
from contextvars import ContextVar

from django.db import IntegrityError, transaction
from django.utils import timezone

from .registry import discover
from .services import service
from .structured import NO_SPEC, DataSpec

_defaults: dict[str, tuple[str, dict]] = {}
_validators: dict = {}
_specs: dict[str, DataSpec] = {}
DEFAULT_EFFECTIVE_FROM = datetime.date(2000, 1, 1)


def register_rules(key: str, name: str, defaults: dict, validate=None, spec: DataSpec | None = None):
    """`validate(values)` may add checks beyond the shape of the defaults; it returns a list of
    Chinese problems. `spec` names the rule's values in Chinese (core.structured), so a version
    reads as a table and is entered in a form."""
    _defaults[key] = (name, defaults)
    if validate is not None:
        _validators[key] = validate
    if spec is not None:
        _specs[key] = spec


def _shape_problems(expected, given, where="") -> list[str]:
    """A new version must have the shape of the defaults: the same keys, lists of the same
    shape, numbers where numbers are, text (or null) where text is."""
    label = where or "规则"
    if isinstance(expected, dict):
        if not isinstance(given, dict):
            return [f"{label}应为对象（{{…}}）"]
        problems = [f"缺少“{key}”" for key in expected if key not in given]
        problems += [f"多出未知的“{key}”" for key in given if key not in expected]
        for key in expected:
            if key in given:
                problems += _shape_problems(expected[key], given[key], f"“{key}”")
        return problems
    if isinstance(expected, list):
        if not isinstance(given, list) or not given:
            return [f"{label}应为非空列表"]
        problems = []
        for index, item in enumerate(given):
            problems += _shape_problems(
                expected[min(index, len(expected) - 1)], item, f"{label}第 {index + 1} 项"
            )
        return problems
    if isinstance(expected, bool):
        return [] if isinstance(given, bool) else [f"{label}应为 true 或 false"]
    if isinstance(expected, int | float):
        return [] if isinstance(given, int | float) and not isinstance(given, bool) else [f"{label}应为数字"]
    if isinstance(expected, str) or expected is None:
        return [] if given is None or isinstance(given, str | int | float) else [f"{label}应为文字或数字"]
    return []


def rule_problems(key: str, values) -> list[str]:
    """Why `values` cannot be a version of rule `key` (empty when it can)."""
    discover("rules")
    if key not in _defaults:
        return ["未知的规则"]
    problems = _shape_problems(_defaults[key][1], values)
    if not problems and key in _validators:
        problems = _validators[key](values)
    return problems


def registered_rules() -> dict[str, str]:
    """key → Chinese name of every registered rule."""
    discover("rules")
    return {key: name for key, (name, _) in _defaults.items()}


def default_values(key: str) -> dict:
    discover("rules")
    return _defaults[key][1]


def rule_name(key: str) -> str:
    discover("rules")
    return _defaults.get(key, (key, None))[0]


def rule_spec(key: str) -> DataSpec:
    """The Chinese names of rule `key`'s values (core.structured)."""
    discover("rules")
    return _specs.get(key, NO_SPEC)


# the versions of each rule read once for a long write (a ledger import): {key: [versions, newest first]}
_held: ContextVar[dict | None] = ContextVar("dangjian_rules_held", default=None)


@contextlib.contextmanager
def rules_held():
    """Within the block, `rules_for` reads each rule's versions once and answers every day from
    them, as its query would: for a write of many rows (a ledger import) that does not change
    rules itself."""
    token = _held.set({})
    try:
        yield
    finally:
        _held.reset(token)


def rules_for(key: str, on: datetime.date | None = None):
    from .models import RuleSet

    on = on or timezone.localdate()
    held = _held.get()
    if held is not None:
        if key not in held:
            versions = list(RuleSet.objects.filter(key=key).order_by("-effective_from", "-version"))
            held[key] = (versions, [])
        versions, default = held[key]
        found = next((v for v in versions if v.effective_from <= on), None)
        if found is None:
            if not default:
                default.append(ensure_default(key))
            found = default[0]
        return found
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

    discover("rules")
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
    discover("rules")
    for key in _defaults:
        ensure_default(key)


@service
def rule_version_add(*, actor, key: str, effective_from: datetime.date, values: dict, note: str = ""):
    """A new version of a rule, applying from `effective_from`; versions are never edited, since
    checks record the version they used."""
    from .models import RuleSet

    latest = RuleSet.objects.filter(key=key).order_by("-version").first()
    version = RuleSet(
        key=key,
        version=(latest.version + 1) if latest else 1,
        effective_from=effective_from,
        values=values,
        note=note,
    )
    version.full_clean()
    version.save()
    return version
