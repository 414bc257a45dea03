"""A signed-in user whose password must be changed (accounts.passwords.password_change_reason)
reaches only the 修改密码 page, signing out and the static files: every other page leads to
修改密码, and an API request is a Chinese 403 that says why. (A user signed in with an API token
is refused by the token's authentication, site.api_tokens.)"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse

from .passwords import password_change_reason

PASSWORD_CHANGE = "admin:password_change"
ALLOWED = (
    PASSWORD_CHANGE,
    "admin:password_change_done",
    "admin:logout",
    "admin:jsi18n",
    "phone-logout",
    # the second factor comes first (site.second_factor, the middleware before this one)
    "admin:second_factor",
    "admin:second_factor_verify",
    "phone-verify",
    "portal-verify",
)
HEALTH = "/healthz"  # the site's health check (dangjian.site.health): no data, no sign-in


def allowed_paths() -> set[str]:
    paths = set()
    for name in ALLOWED:
        try:
            paths.add(reverse(name))
        except NoReverseMatch:  # an app that is not installed
            continue
    return paths


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTH:  # before the session is read: it answers without a database
            return self.get_response(request)
        user = getattr(request, "user", None)
        reason = password_change_reason(user) if user is not None and user.is_authenticated else None
        if reason is None or self.passes(request.path_info):
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": reason}, status=403, json_dumps_params={"ensure_ascii": False})
        return redirect(PASSWORD_CHANGE)

    def passes(self, path: str) -> bool:
        static = settings.STATIC_URL or "/static/"
        return path.startswith(static) or path in allowed_paths()
