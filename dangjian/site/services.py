"""Writes of the site's own pages: lifting a login lockout (the security administrator)."""

from axes.handlers.proxy import AxesProxyHandler
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from dangjian.accounts.lockout import locked_until
from dangjian.audit.services import AuditEntry, audit_record
from dangjian.core.services import service

UNLOCK_PERMISSION = "axes.delete_accessattempt"


@service
def unlock_accounts(*, actor, usernames) -> list[str]:
    """Lift the lockout of each of `usernames` (its failures are forgotten, so counting begins
    again); each one is in the audit log. Returns the names whose lock was lifted."""
    if not actor.has_perm(UNLOCK_PERMISSION):
        raise PermissionDenied("只有安全管理员可以解除登录锁定")
    lifted = []
    for username in sorted({name for name in usernames if name}):
        until = locked_until(username)
        if not AxesProxyHandler.reset_attempts(username=username):
            continue
        note = (
            f"（原锁定至 {timezone.localtime(until):%Y-%m-%d %H:%M}）"
            if until
            else "（未锁定，清除失败计数）"
        )
        audit_record(AuditEntry.Action.EVENT, message=f"解除登录锁定：用户名“{username}”{note}")
        lifted.append(username)
    return lifted


def record_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    """django-axes' user_locked_out: the failure that locks an account is in the audit log with
    the time the lock ends (later refusals while it is locked are failed sign-ins)."""
    if request is None or getattr(request, "axes_failures_since_start", None) is None:
        return  # refused while already locked: not a new lock
    until = locked_until(username)
    end = f"，锁定至 {timezone.localtime(until):%Y-%m-%d %H:%M}" if until else ""
    audit_record(
        AuditEntry.Action.EVENT,
        request=request,
        actor_label=username or "（未填用户名）",
        message=f"登录失败次数过多，账号“{username}”已锁定{end}",
    )
