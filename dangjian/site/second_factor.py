"""The second factor on the site (core.second_factor holds who needs it and how a code is
checked): the middleware that keeps a signed-in session which has not given its code from every
page and the API, and the back office's two pages, 双因素认证 (enrolment, recovery codes) and the
code asked after the password."""

from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from dangjian.core import second_factor
from dangjian.core.second_factor import (
    ConfirmForm,
    enrolled,
    is_verified,
    mark_verified,
    must_verify,
    qr_svg,
    recovery_codes_left,
    safe_next,
    second_factor_required,
    secret_base32,
    totp_device,
    verify_page,
)

API = "/api/"
# where a session that still owes its code may go: the code's own pages, signing out, static files,
# the health check (never the files of records, /files/, nor media)
OPEN_PATHS = ("/static/", "/api/v1/auth/token/", "/healthz")
OPEN_NAMES = (
    "admin:second_factor_verify",
    "admin:logout",
    "admin:jsi18n",
    "phone-verify",
    "phone-logout",
    "portal-verify",
)
ENROL_NAME = "admin:second_factor"
# the code is asked in the look of the pages the user signed in to
VERIFY_PAGES = (("/m/", "phone-verify"), ("/portal/", "portal-verify"))
VERIFY_DEFAULT = "admin:second_factor_verify"

API_UNVERIFIED = "该账号须通过双因素认证：请先在页面上输入认证器的验证码，或用带验证码（otp）的接口令牌访问"
API_UNENROLLED = "该账号须启用双因素认证：请先登录后台，在“双因素认证”页面完成设置"


def _open_paths():
    return {reverse(name) for name in OPEN_NAMES}


class SecondFactorMiddleware:
    """After django-otp's OTPMiddleware: a signed-in user who must give the second factor and has
    not in this session is sent to give it (or, not yet enrolled, to enrol) before any other page;
    the API answers such a session with a Chinese 403."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        path = request.path_info
        if (
            user is None
            or path.startswith(OPEN_PATHS)  # before the session is read: /healthz without a database
            or not user.is_authenticated
            or path in _open_paths()
            or is_verified(request)
            or not must_verify(user)
        ):
            return self.get_response(request)
        has_device = enrolled(user)
        if not has_device and path == reverse(ENROL_NAME):
            return self.get_response(request)
        if path.startswith(API):
            return JsonResponse({"detail": API_UNVERIFIED if has_device else API_UNENROLLED}, status=403)
        name = ENROL_NAME
        if has_device:
            name = next((n for prefix, n in VERIFY_PAGES if path.startswith(prefix)), VERIFY_DEFAULT)
        target = request.get_full_path() if request.method == "GET" else ""
        return redirect(f"{reverse(name)}?{urlencode({'next': target})}" if target else reverse(name))


def verify(request):
    """/admin/two-factor/verify/: the code after the password, in the look of the sign-in page."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    return verify_page(
        request,
        template_name="admin/second_factor/verify.html",
        default_next="admin:index",
        context=admin.site.each_context(request),
    )


def setup(request):
    """/admin/two-factor/ (双因素认证): set up an authenticator (its QR code and secret, confirmed
    with a first code, then ten recovery codes shown once), or, once set up, new recovery codes
    and, where the user's roles do not require it, switching it off."""
    user = request.user
    next_url = safe_next(request, "admin:index")
    context = {
        **admin.site.each_context(request),
        "title": "双因素认证",
        "required": second_factor_required(user),
        "next": next_url,
    }
    action = request.POST.get("action") if request.method == "POST" else None
    if enrolled(user):
        if action in ("renew", "remove") and not is_verified(request):
            return redirect(reverse(VERIFY_DEFAULT))
        try:
            if action == "renew":
                codes = second_factor.recovery_codes_renew(actor=user, user=user)
                return render(request, "admin/second_factor/codes.html", {**context, "codes": codes})
            if action == "remove":
                second_factor.second_factor_remove(actor=user, user=user)
                messages.success(request, "已停用双因素认证。")
                return redirect(reverse(ENROL_NAME))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        context.update({"device": totp_device(user), "codes_left": recovery_codes_left(user)})
        return render(request, "admin/second_factor/enrolled.html", context)

    form = ConfirmForm(request.POST if action == "confirm" else None)
    if action == "confirm" and form.is_valid():
        try:
            device, codes = second_factor.second_factor_confirm(
                actor=user, user=user, code=form.cleaned_data["otp"]
            )
        except ValidationError as exc:
            form.add_error("otp", exc.message_dict.get("otp", exc.messages))
        else:
            mark_verified(request, device)
            return render(request, "admin/second_factor/codes.html", {**context, "codes": codes})
    device = second_factor.second_factor_begin(actor=user, user=user)
    context.update(
        {
            "form": form,
            "qr": qr_svg(device),
            "secret": secret_base32(device),
            "uri": device.config_url,
        }
    )
    return render(request, "admin/second_factor/setup.html", context, status=400 if form.errors else 200)
