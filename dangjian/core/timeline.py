"""A record's timeline: the readable events of its workflow (a problem raised, accepted,
escalated; a request returned, resumed, rated; a development step taken), each with its day,
who did it and a note, beside the audit log's before/after. Each app's event model inherits
`TimelineEvent` and adds the foreign key to its record and its kind of event; every step writes
its event with `record_event`; the record's change page shows them with admin_base.TimelineInline."""

from django.conf import settings
from django.db import models

from dangjian.audit.services import current_context


class TimelineEvent(models.Model):
    on = models.DateField("日期")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # who it was at the time (a user renamed later, or the system: a command, an import)
    actor_label = models.CharField("操作人（记录时）", max_length=150, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        abstract = True


def record_event(model, *, actor, on, note="", **fields):
    """One event of `model` (fields name the record and the kind of event), by `actor`, or by
    whoever acts now (the command or import) when there is no actor."""
    label = actor.get_username() if actor is not None else current_context().actor_label
    return model.objects.create(on=on, actor=actor, actor_label=label, note=(note or "")[:300], **fields)
