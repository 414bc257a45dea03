"""Session limits: a signed-in user is signed out after SESSION_IDLE_MINUTES without a request
(sliding) and SESSION_MAX_HOURS after signing in whatever the activity (settings). The next
request then signs them out (audited as a sign-out with its reason) and leads to the sign-in page
of where they were (the back office, the phone page, the portal) with a Chinese message; the API
answers 401 in Chinese.

The pages load dangjian/idle.js, which asks `session_status` (which is no activity) how long is
left, warns SESSION_IDLE_WARNING_MINUTES before, and its 继续使用 posts to `session_keepalive`."""

import time
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

STARTED = "dangjian_session_started"
SEEN = "dangjian_session_seen"
# where each part of the site signs in (the rest is the back office)
LOGIN_PAGES = (("/m/", "phone-login"), ("/portal/", "portal-login"))
HEALTH = "/healthz"  # the health check reads no session (it answers even without a database)


def idle_seconds() -> int:
    return settings.SESSION_IDLE_MINUTES * 60


def max_seconds() -> int:
    return settings.SESSION_MAX_HOURS * 3600


def mark_sign_in(sender, request, user, **kwargs):
    """user_logged_in: the session's limits run from now."""
    session = getattr(request, "session", None)
    if session is not None:
        now = time.time()
        session[STARTED] = now
        session[SEEN] = now


def time_left(session, now=None) -> tuple[float, float]:
    """Seconds until the idle limit and until the absolute limit."""
    now = now or time.time()
    started = session.get(STARTED, now)
    seen = session.get(SEEN, started)
    return idle_seconds() - (now - seen), max_seconds() - (now - started)


def expiry_message(reason: str) -> str:
    if reason == "idle":
        return f"您已超过 {settings.SESSION_IDLE_MINUTES} 分钟未操作，已自动退出，请重新登录"
    return f"登录已满 {settings.SESSION_MAX_HOURS} 小时，已自动退出，请重新登录"


def login_page(path: str) -> str:
    for prefix, name in LOGIN_PAGES:
        if path.startswith(prefix):
            return reverse(name)
    return reverse("admin:login")


class SessionLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if session is None or user is None or request.path == HEALTH or not user.is_authenticated:
            return self.get_response(request)
        now = time.time()
        if STARTED not in session:  # a session from before these limits: they run from now
            session[STARTED] = session[SEEN] = now
        idle_left, absolute_left = time_left(session, now)
        if absolute_left < 0:
            return self.expire(request, "absolute")
        if idle_left < 0:
            return self.expire(request, "idle")
        # asking how long is left is no activity; anything else is (written at most once a second)
        if request.path != reverse("session-status") and now - session.get(SEEN, now) >= 1:
            session[SEEN] = now
        return self.get_response(request)

    def expire(self, request, reason):
        message = expiry_message(reason)
        request.logout_reason = message  # the audit log's sign-out entry says why
        logout(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=401)
        messages.warning(request, message)
        if request.path == reverse("session-status"):
            return JsonResponse({"authenticated": False, "expired": True})
        return redirect(f"{login_page(request.path)}?next={quote(request.get_full_path())}")


def _status(request):
    if not request.user.is_authenticated:
        return JsonResponse({"authenticated": False})
    idle_left, absolute_left = time_left(request.session)
    return JsonResponse(
        {
            "authenticated": True,
            "idle_seconds_left": int(idle_left),
            "absolute_seconds_left": int(absolute_left),
            "warning_seconds": settings.SESSION_IDLE_WARNING_MINUTES * 60,
        }
    )


@require_GET
def session_status(request):
    """How long the session has left (asking is no activity)."""
    return _status(request)


@require_POST
def session_keepalive(request):
    """继续使用: a request, so the idle limit runs from now (the middleware)."""
    return _status(request)
