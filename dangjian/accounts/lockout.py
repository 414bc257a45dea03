"""Login lockout with django-axes: LOCKOUT_FAILURES failed sign-ins of one user name within
LOCKOUT_WINDOW_MINUTES lock it for LOCKOUT_MINUTES (settings), on every path that calls
`authenticate(request, ...)`: the back office, the phone page, the portal and the API token.

django-axes keeps one row per user name, address and browser (AccessAttempt) with the failures
counted since it began, and a lock ends LOCKOUT_MINUTES after its last failure. The window is this
handler's: before a failure is counted, each row of the user name keeps only the failures of the
window (from the failure log, AccessFailureLog, which has every failure with its time). A success,
or the security administrator's unlock, deletes the rows, and counting begins again.

Failures while locked are refused without being counted (the lock is not prolonged by them); they
are still in the audit log as failed sign-ins."""

import datetime
import math

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.db.models import Max, Sum
from django.http import JsonResponse
from django.utils import timezone


def failure_limit(request=None, credentials=None) -> int:
    """AXES_FAILURE_LIMIT: how many failures lock a user name."""
    return settings.LOCKOUT_FAILURES


def lock_duration(request=None) -> datetime.timedelta:
    """AXES_COOLOFF_TIME: how long a lock lasts."""
    return datetime.timedelta(minutes=settings.LOCKOUT_MINUTES)


def client_address(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the client's address as the API's rate limits take it (DRF with
    NUM_PROXIES = PROXY_COUNT): REMOTE_ADDR, or with proxies in front the address the last of
    them was reached from."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if settings.PROXY_COUNT and forwarded:
        addresses = [a.strip() for a in forwarded.split(",")]
        return addresses[-min(settings.PROXY_COUNT, len(addresses))]
    return request.META.get("REMOTE_ADDR")


def window() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.LOCKOUT_WINDOW_MINUTES)


class WindowedLockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler, counting only the failures of the window."""

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is not None and not request.axes_locked_out:
            self.forget_failures_before_window(request, credentials)
        already_locked = request is not None and request.axes_locked_out
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and request.axes_locked_out and not already_locked:
            # the lock runs from now for every row of the user name (axes ends a lock
            # LOCKOUT_MINUTES after each row's own last failure)
            for attempts in self.filter_user_attempts(request, credentials):
                attempts.update(attempt_time=request.axes_attempt_time)

    def forget_failures_before_window(self, request, credentials):
        """Each row of this user name counts no more failures than its failure log has in the
        window: min(failures since the row began, failures in the window) is the number since the
        later of the two, both ending now."""
        since = request.axes_attempt_time - window()
        limit = get_failure_limit(request, credentials)
        for attempts in self.filter_user_attempts(request, credentials):
            for attempt in attempts.filter(failures_since_start__lt=limit):
                recent = AccessFailureLog.objects.filter(
                    username=attempt.username,
                    ip_address=attempt.ip_address,
                    user_agent=attempt.user_agent,
                    attempt_time__gte=since,
                ).count()
                if recent == 0:
                    attempt.delete()
                elif recent < attempt.failures_since_start:
                    AccessAttempt.objects.filter(pk=attempt.pk).update(failures_since_start=recent)


def locked_until(username, now=None) -> datetime.datetime | None:
    """When the lock of `username` ends, or None if it is not locked."""
    if not username:
        return None
    now = now or timezone.now()
    rows = AccessAttempt.objects.filter(username=username, attempt_time__gte=now - lock_duration())
    totals = rows.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    if (totals["failures"] or 0) < failure_limit():
        return None
    return totals["last"] + lock_duration()


def locked_usernames(now=None):
    """The user names locked now (a queryset of names)."""
    now = now or timezone.now()
    return (
        AccessAttempt.objects.filter(attempt_time__gte=now - lock_duration())
        .values("username")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=failure_limit())
        .values("username")
    )


def lockout_message(until: datetime.datetime, now=None) -> str:
    """登录失败次数过多，账号已锁定，请于 30 分钟后（10:45 之后）再试，或联系安全管理员解锁"""
    now = now or timezone.now()
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    return (
        f"登录失败次数过多，账号已锁定，请于 {minutes} 分钟后（{timezone.localtime(until):%H:%M} 之后）"
        "再试，或联系安全管理员解锁"
    )


def lockout_error(request, username) -> str | None:
    """The message for a sign-in that django-axes refused (or that has just locked the account),
    else None."""
    if request is None or not getattr(request, "axes_locked_out", False):
        return None
    until = locked_until(username) or timezone.now() + lock_duration()
    return lockout_message(until)


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the sign-in pages already answer with their form and the message
    (accounts.forms); any other path that authenticates gets the message as Chinese JSON (429)."""
    if original_response is not None and original_response.status_code == 200:
        return original_response
    username = (credentials or {}).get("username") or request.POST.get("username")
    message = lockout_error(request, username) or lockout_message(timezone.now() + lock_duration())
    return JsonResponse({"detail": message}, status=429)
