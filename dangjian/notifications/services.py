"""The one way anything is told to a user: `notify` stores a site message for each recipient and
hands it to every delivery channel (channels.py); `send_reminders` sends the apps' daily reminders
through it. Reading them: `inbox`, `unread_count`, `mark_read`, `mark_all_read`."""

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from dangjian.audit.services import AuditEntry, audit_record
from dangjian.core.services import service

from .models import Notification
from .registry import channels, reminders

logger = logging.getLogger(__name__)


def _recipients(recipients, actor) -> list:
    """The active users among `recipients` (users or None), each once, in the order given,
    without the acting user: nobody is told of what they did themselves."""
    seen, users = set(), []
    for user in recipients or ():
        if user is None or not user.is_active or user.pk in seen:
            continue
        if actor is not None and user.pk == actor.pk:
            continue
        seen.add(user.pk)
        users.append(user)
    return users


@service
def notify(
    recipients,
    *,
    actor=None,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    key: str = "",
    today: datetime.date | None = None,
) -> list[Notification]:
    """Tell `recipients` (users) that `title` happened, linking to `url` (the record's page):
    a site message for each active recipient, handed to every registered channel. With a
    `key` (a daily reminder), a recipient already reminded of it `today` is skipped.

    Called inside the business write's transaction, so a message exists only if the write
    does; a channel that fails is logged and never undoes the write or the other channels."""
    users = _recipients(recipients, actor)
    day = (today or timezone.localdate()) if key else None
    if key and users:
        already = set(
            Notification.objects.filter(
                recipient__in=[u.pk for u in users], reminder_key=key, reminder_on=day
            ).values_list("recipient_id", flat=True)
        )
        users = [u for u in users if u.pk not in already]
    delivering = channels()
    title = " ".join(str(title).split())[:200]  # one line: it is also an email's subject
    messages = []
    for user in users:
        message = Notification(
            recipient=user,
            kind=kind,
            title=title,
            body=body or "",
            url=url or "",
            actor=actor,
            reminder_key=key,
            reminder_on=day,
        )
        for chosen in delivering:
            try:
                with transaction.atomic():  # a savepoint: a failing channel's writes only are undone
                    chosen.deliver(message)
            except Exception:
                logger.exception("站内消息渠道“%s”投递失败（接收人 %s）", chosen.title, user.pk)
        messages.append(message)
    return messages


def inbox(user):
    """The user's own messages, newest first (never anyone else's, whatever their grants)."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def unread_count(user) -> int:
    return inbox(user).filter(read_at__isnull=True).count()


@service
def mark_read(*, actor, notification: Notification) -> Notification:
    """The recipient has read `notification` (only their own; read once, the time kept)."""
    message = inbox(actor).get(pk=notification.pk)
    if message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
    return message


@service
def mark_all_read(*, actor) -> int:
    """Every unread message of the acting user is read now; returns how many (one audit entry
    for them all, not one per message)."""
    now = timezone.now()
    count = inbox(actor).filter(read_at__isnull=True).update(read_at=now)
    if count:
        audit_record(
            AuditEntry.Action.UPDATE,
            model=Notification,
            after={"read_at": now.isoformat()},
            message=f"全部标为已读（{count} 条）",
        )
    return count


def send_reminders(*, today: datetime.date | None = None) -> int:
    """The daily reminders the apps register (registry.reminder, in their reminders.py) for
    `today`, each sent with its key, so running twice a day reminds no one twice of the same
    thing (`manage.py notify_due`). Returns how many messages were sent."""
    today = today or timezone.localdate()
    sent = 0
    for registered in reminders():
        for due in registered.collect(today):
            sent += len(
                notify(
                    due.recipients,
                    kind=due.kind,
                    title=due.title,
                    body=due.body,
                    url=due.url,
                    key=due.key,
                    today=today,
                )
            )
    return sent
