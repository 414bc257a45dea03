"""Writing the audit log. Model changes arrive through signals (see signals.py); services
call `audit_record` for logins, reveals of personal data, imports, exports and events.

This module is the audit app's one interface to the framework below it (dangjian.core): the
services decorator and the ledger engine use `acting_as`, `audit_context`, `audit_record` and
`AuditEntry` from here, and this module imports nothing from core."""

import datetime
import decimal
import hashlib
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db.models.fields.files import FieldFile

from .chain import deleting_permitted
from .context import acting_as, audit_context, client_ip, current
from .models import AuditEntry

current_context = current  # who is acting now (a request, a command, an import)

__all__ = [
    "AuditEntry",
    "acting_as",
    "audit_context",
    "audit_created",
    "audit_record",
    "audit_reveal",
    "current_context",
    "deleting_permitted",
    "is_audited",
    "snapshot",
]

SKIPPED_FIELDS = {"numchild", "updated_at", "last_login"}


def _json_safe(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return None
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


# secrets besides passwords, by model: an API token's key (a rule's key is its name, not a secret)
SECRET_FIELDS = {("authtoken.token", "key"), ("authtoken.tokenproxy", "key")}


def snapshot(instance) -> dict:
    """The instance's stored values, JSON-safe, with personal data masked and secrets hidden."""
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in SKIPPED_FIELDS:
            continue
        value = getattr(instance, field.attname)
        if callable(getattr(field, "masked", None)):  # personal data (core.crypto.EncryptedCharField)
            value = field.masked(value)
        elif field.name == "password" or (instance._meta.label_lower, field.name) in SECRET_FIELDS:
            value = f"******（摘要 {hashlib.sha256(value.encode()).hexdigest()[:8]}）" if value else ""
        data[field.name] = _json_safe(value)
    return data


AUDITED_PREFIX = "dangjian."
NOT_AUDITED = {"audit"}


def is_audited(model) -> bool:
    """Whether the writes of `model` are audited: every managed model of the project's apps but
    the audit log's own and those that say `AUDITED = False` (rows worked out from other records
    and replaced wholesale, such as the stored organization warnings: the writes they come from
    are audited)."""
    config = model._meta.app_config
    return (
        config is not None
        and config.name.startswith(AUDITED_PREFIX)
        and config.label not in NOT_AUDITED
        and model._meta.managed
        and not model._meta.proxy
        and getattr(model, "AUDITED", True)
    ) or model._meta.label == "authtoken.Token"


def _entry(
    action,
    *,
    obj=None,
    before=None,
    after=None,
    message="",
    user=None,
    request=None,
    actor_label=None,
    model=None,
) -> AuditEntry:
    """The entry `audit_record` writes, not yet saved."""
    ctx = current()
    actor = user if user is not None else ctx.actor
    if actor is not None and not getattr(actor, "pk", None):
        actor = None
    label = actor_label or (ctx.actor_label if user is None else user.get_username())
    ip = client_ip(request) if request is not None else ctx.ip
    content_type = None
    if obj is not None or model is not None:
        # the instance itself, not type(obj): a request's user is a SimpleLazyObject
        content_type = ContentType.objects.get_for_model(model or obj, for_concrete_model=False)
    return AuditEntry(
        action=action,
        actor=actor,
        actor_label=label[:150],
        source=ctx.source if ctx.source in AuditEntry.Source.values else AuditEntry.Source.SYSTEM,
        ip=ip,
        content_type=content_type,
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        before=before,
        after=after,
        message=message,
    )


def audit_record(
    action,
    *,
    obj=None,
    before=None,
    after=None,
    message="",
    user=None,
    request=None,
    actor_label=None,
    model=None,
):
    entry = _entry(
        action,
        obj=obj,
        before=before,
        after=after,
        message=message,
        user=user,
        request=request,
        actor_label=actor_label,
        model=model,
    )
    entry.save(force_insert=True)
    return entry


def audit_created(instances) -> list:
    """The 新增 entries of records written in bulk (bulk_create sends no save signal): for each
    audited instance, in the order given, the entry its save would have written (signals.py),
    sealed into the chain and inserted together."""
    entries = [
        _entry(AuditEntry.Action.CREATE, obj=obj, after=snapshot(obj))
        for obj in instances
        if is_audited(type(obj))
    ]
    return AuditEntry.objects.bulk_create(entries, batch_size=500)


def audit_reveal(*, user, fields: list[str], obj=None, model=None, purpose: str = ""):
    """Record that `user` was shown the full value of `fields` of `obj` (or, for an export, of
    records of `model`)."""
    names = "、".join(fields)
    return audit_record(
        AuditEntry.Action.REVEAL,
        obj=obj,
        model=model,
        user=user,
        message=f"查看完整{names}" + (f"：{purpose}" if purpose else ""),
    )
