"""上次登录: the user's sign-in before the present one, read from the audit log's login entries
(each with its time and IP address), said in Chinese after signing in and on the dashboard."""

from django.utils import timezone

from dangjian.audit.models import AuditEntry


def previous_login(user) -> AuditEntry | None:
    """The user's last sign-in before the present one (the newest login entry is the present one)."""
    if user is None or not getattr(user, "pk", None):
        return None
    entries = AuditEntry.objects.filter(actor_id=user.pk, action=AuditEntry.Action.LOGIN).order_by(
        "-at", "-id"
    )
    return entries[1:2].first()


def previous_login_text(user) -> str:
    """上次登录：2026年12月1日 09:30，IP 10.0.0.5 — or that this is the first sign-in."""
    entry = previous_login(user)
    return "这是您首次登录" if entry is None else login_text(entry)


def login_text(entry: AuditEntry) -> str:
    at = timezone.localtime(entry.at)
    where = f"，IP {entry.ip}" if entry.ip else "，IP 不详"
    return f"上次登录：{at.year}年{at.month}月{at.day}日 {at:%H:%M}{where}"
