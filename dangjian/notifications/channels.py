"""The delivery channels of notifications (registry.channel): the site message, always; an email
when the recipient has an address and the site a mail server (settings.EMAIL_HOST, from the
environment). An SMS or WeChat channel is one more `@channel(...)` here or in its own app's
channels.py: `deliver(notification)` receives every message after the site message is stored."""

import logging
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from .registry import channel

logger = logging.getLogger(__name__)
SITE_TITLE = "党建引领发展平台"


@channel("site", "站内消息", order=0)
def site_message(notification):
    """The message in the recipient's inbox (the bell, the list, the portal)."""
    notification.save()


def mail_configured() -> bool:
    return bool(getattr(settings, "EMAIL_HOST", ""))


def email_text(notification) -> str:
    lines = [notification.title]
    if notification.body:
        lines += ["", notification.body]
    if notification.url:
        lines += ["", f"查看：{settings.SITE_URL}{notification.url}"]
    lines += ["", f"—— {SITE_TITLE}（本邮件由系统发送，请勿回复）"]
    return "\n".join(lines)


def _send(subject, text, address):
    try:
        send_mail(subject, text, None, [address])
    except Exception:
        logger.exception("站内消息邮件发送失败（%s）", address)


@channel("email", "电子邮件", order=10)
def email(notification):
    """An email to the recipient's address, sent once the business write is committed (a write
    rolled back sends nothing); without an address or a mail server, nothing."""
    address = (notification.recipient.email or "").strip()
    if not address or not mail_configured():
        return
    subject = f"【{SITE_TITLE}】{notification.title}"
    transaction.on_commit(partial(_send, subject, email_text(notification), address), robust=True)
