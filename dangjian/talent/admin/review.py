"""企业提交待确认: the talents and innovations enterprises submitted that wait for the zone, in the
user's scope, each with its page and the buttons 确认 and 退回 (with a reason). Shown to a user who
may confirm talents or innovations (the talent office, the zone administrator).

The page is an address of the talent pool's model admin (admin:talent_review), added to the
registered admin's own addresses here, so the model admin's module need not know of it."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse

from dangjian.core.admin_base import admin_page
from dangjian.core.exports import record_url
from dangjian.core.scope import restrict

from .. import services
from ..models import Innovation, Talent
from ..selectors import pending

KINDS = {"talent": Talent, "innovation": Innovation}
ACTIONS = {"confirm": "确认", "return": "退回"}
TITLE = "企业提交待确认"


def may_review(user) -> bool:
    return any(user.has_perm(permission) for permission in services.CONFIRM_PERMISSION.values())


class BadParameter(Exception):
    pass


def _decide(request):
    """Confirm or return the posted submission: (the record, None) when done, (the record, the
    Chinese reason) when the service refused it. A parameter no page sends is a BadParameter;
    a record outside the user's scope is not found."""
    kind, pk, action = (request.POST.get(name, "") for name in ("kind", "pk", "action"))
    model = KINDS.get(kind)
    if model is None:
        raise BadParameter(f"提交的类型“{kind}”不正确，应为人才或科技创新")
    if not pk.isdigit():
        raise BadParameter(f"提交的记录编号“{pk}”不正确")
    if action not in ACTIONS:
        raise BadParameter(f"提交的操作“{action}”不正确，应为确认或退回")
    record = restrict(request.user, model, "change").filter(pk=int(pk)).first()
    if record is None:
        raise Http404("该提交不存在，或超出您的数据授权范围")
    try:
        if action == "confirm":
            services.submission_confirm(actor=request.user, record=record)
        else:
            services.submission_return(
                actor=request.user, record=record, reason=request.POST.get("reason", "")
            )
    except ValidationError as exc:
        record.refresh_from_db()
        return record, "；".join(exc.messages)
    return record, None


def _rows(user, records, refused):
    """(record, its page or '', the refusal shown at its row, the reason typed) for the page."""
    key = (type(refused["record"]), refused["record"].pk) if refused else None
    rows = []
    for record in records:
        here = key == (type(record), record.pk)
        rows.append(
            {
                "record": record,
                "url": record_url(user, record),
                "kind": "talent" if isinstance(record, Talent) else "innovation",
                "error": refused["error"] if here else "",
                "reason": refused["reason"] if here else "",
            }
        )
    return rows


def review_view(request):
    user = request.user
    if not may_review(user):
        raise PermissionDenied("您没有确认企业提交的人才或科技成果的权限")
    refused, status = None, 200
    if request.method == "POST":
        try:
            record, error = _decide(request)
        except BadParameter as exc:
            messages.error(request, str(exc))
            refused, status = None, 400
        else:
            label = f"{record._meta.verbose_name}“{record.name}”"
            if error is None:
                done = ACTIONS[request.POST["action"]]
                messages.success(request, f"已{done}{label}")
                return redirect(reverse("admin:talent_review"))
            messages.error(request, f"{ACTIONS[request.POST['action']]}{label}未成功：{error}")
            refused = {"record": record, "error": error, "reason": request.POST.get("reason", "")}
    queues = pending(user)
    talents = innovations = None
    if user.has_perm(services.CONFIRM_PERMISSION[Talent]):
        talents = _rows(
            user, queues["talents"].select_related("submitted_by").order_by("submitted_at"), refused
        )
    if user.has_perm(services.CONFIRM_PERMISSION[Innovation]):
        innovations = _rows(
            user, queues["innovations"].select_related("submitted_by").order_by("submitted_at"), refused
        )
    response = admin_page(
        admin.site._registry[Talent],
        request,
        "admin/talent/review.html",
        TITLE,
        talents=talents,
        innovations=innovations,
    )
    response.status_code = status
    return response


def with_review_page(model_admin):
    """Add admin:talent_review to the addresses of `model_admin` (the talent pool's)."""
    own_urls = model_admin.get_urls

    def get_urls():
        view = model_admin.admin_site.admin_view(review_view)
        return [path("review/", view, name="talent_review"), *own_urls()]

    model_admin.get_urls = get_urls


with_review_page(admin.site._registry[Talent])
