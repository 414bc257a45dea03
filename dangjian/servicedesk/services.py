"""The service desk's workflow. Each transition is a service: it checks the state, writes the
dates, computes deadlines in working days, logs an event on the request's timeline and returns
the request. 只进一个门、只找一个人: a request goes to its enterprise's designated cadre. Who it
concerns is told (站内消息): the handler it is assigned to, the enterprise's contacts when it is
returned or closed, the leader and the handler when it is escalated."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.selectors import grant_holders
from dangjian.core.calendar import add_workdays, workdays
from dangjian.core.rules import rules_for
from dangjian.core.scope import ensure_in_scope, in_scope
from dangjian.core.services import Step, save_checked, service
from dangjian.core.timeline import record_event
from dangjian.core.validators import past_day
from dangjian.notifications.models import Kind
from dangjian.notifications.services import notify

from . import rules
from .models import (
    RequestEvent,
    RequestFile,
    RequestKind,
    RequestStatus,
    ServiceRequest,
    acceptance_overdue,
    closing_overdue,
)

# What a request shows (back office and API alike); the enterprise enters the first five, the
# steps set the rest.
REQUEST_FORM_FIELDS = ("enterprise", "kind", "category", "title", "description")
REQUEST_FIELDS = (
    "number",
    *REQUEST_FORM_FIELDS,
    "handling",
    "handler",
    "status",
    "submitted_on",
    "accept_due",
    "accepted_on",
    "close_due",
    "closed_on",
    "transferred_to",
    "suspend_reason",
    "rating",
    "rating_comment",
    "confirmed_on",
    "auto_confirmed",
    "escalated_on",
)

S = RequestStatus


def _event(request, kind, on, *, actor, note=""):
    return record_event(RequestEvent, request=request, kind=kind, on=on, actor=actor, note=note)


# Days the system writes, not steps of the handling: a step may be dated before them.
_SYSTEM_EVENTS = (RequestEvent.Kind.IMPORTED, RequestEvent.Kind.ESCALATED, RequestEvent.Kind.AUTO_CONFIRMED)


def _not_before_last_step(request, on):
    """A step is not dated before the step before it on the timeline."""
    last = request.events.exclude(kind__in=_SYSTEM_EVENTS).order_by("-on", "-id").first()
    if last is not None and on < last.on:
        raise ValidationError(
            {"on": f"日期不能早于上一步“{last.get_kind_display()}”的日期 {last.on:%Y-%m-%d}"}
        )


def _limits(request):
    rule = rules_for(rules.DESK, request.submitted_on)
    accept = request.category.accept_workdays if request.category_id else rule.values["accept_workdays"]
    close = request.category.close_workdays if request.category_id else rule.values["close_workdays"]
    return rule, accept, close


def next_number(day: datetime.date) -> str:
    prefix = f"SQ{day:%Y}-"
    # zone-wide on purpose: request numbers run through the whole installation
    last = ServiceRequest.objects.filter(number__startswith=prefix).aggregate(m=Max("number"))["m"]
    seq = int(last.split("-")[1]) + 1 if last and last.split("-")[1].isdigit() else 1
    return f"{prefix}{seq:04d}"


def _check_contact(actor, request):
    """Confirming, rating and resubmitting are the enterprise's own acts."""
    if actor is None or actor.is_superuser:
        return
    if not actor.grants.filter(enterprise=request.enterprise, role__code="enterprise_contact").exists():
        raise ValidationError("只有本企业的联络员可以确认、评价或补充材料")


def _expect(request, *allowed):
    if request.status not in allowed:
        names = "、".join(S(s).label for s in allowed)
        raise ValidationError(
            {"status": f"事项目前“{request.get_status_display()}”，只有{names}的事项可以这样办理"}
        )


# -- who is told (站内消息): the handler in the back office, the enterprise's contacts on the portal
def _label(request) -> str:
    return f"{request.get_kind_display()}{request.number}“{request.title}”"


def _tell_handler(request, *, actor, body):
    if request.handler_id:
        notify(
            [request.handler.user],
            actor=actor,
            kind=Kind.REQUEST_ASSIGNED,
            title=f"{_label(request)}已分派给您办理",
            body=body,
            url=reverse("admin:servicedesk_servicerequest_change", args=[request.pk]),
        )


def _tell_contacts(request, *, actor, kind, title, body):
    notify(
        grant_holders("enterprise_contact", enterprise=request.enterprise_id),
        actor=actor,
        kind=kind,
        title=title,
        body=body,
        url=reverse("portal-detail", args=[request.pk]),
    )


def _tell_escalated(request, leader, *, actor, note):
    """The leader it went to (or, without one, the zone's administrators who see it) and the handler."""
    if leader is not None:
        above = [leader]
    else:
        above = [user for user in grant_holders("zone_admin") if in_scope(user, request, "view")]
    notify(
        [*above, request.handler.user if request.handler_id else None],
        actor=actor,
        kind=Kind.REQUEST_ESCALATED,
        title=f"{_label(request)}超时升级",
        body=note,
        url=reverse("admin:servicedesk_servicerequest_change", args=[request.pk]),
    )


@service
def request_submit(
    *,
    actor,
    enterprise,
    title: str,
    kind: str = RequestKind.DEMAND,
    category=None,
    description: str = "",
    files=(),
    submitted_on: datetime.date | None = None,
) -> ServiceRequest:
    """An enterprise submits a request; it goes to the enterprise's designated cadre, with the
    deadline to accept it in working days."""
    if not title or not title.strip():
        raise ValidationError({"title": "请填写事项名称"})
    if not (description or "").strip():
        raise ValidationError({"description": "请写明诉求内容"})
    day = past_day(submitted_on or timezone.localdate(), "submitted_on")
    request = ServiceRequest(
        enterprise=enterprise,
        title=title.strip(),
        kind=kind,
        category=category,
        description=description.strip(),
        submitted_on=day,
        number=next_number(day),
        submitted_by=actor,
    )
    cadre = getattr(enterprise.contact_cadre, "cadre", None) if enterprise.contact_cadre_id else None
    request.handler = cadre
    rule, accept, _ = _limits(request)
    request.rule, request.accept_due = rule, add_workdays(day, accept)
    save_checked(request, actor=actor, action="add")
    for upload in files:
        RequestFile.objects.create(request=request, file=upload, name=getattr(upload, "name", ""))
    who = f"，已分派给联系干部{cadre.name}" if cadre else "，本企业尚未指定联系干部，由党工委管理员分派"
    _event(
        request,
        RequestEvent.Kind.SUBMITTED,
        day,
        actor=actor,
        note=f"受理期限 {request.accept_due:%Y-%m-%d}{who}",
    )
    _tell_handler(
        request,
        actor=actor,
        body=f"{request.enterprise.name}于 {day:%Y-%m-%d} 提交，受理期限 {request.accept_due:%Y-%m-%d}",
    )
    return request


@service
def request_accept(*, actor, request: ServiceRequest, on: datetime.date, handling: str, handler=None):
    """已提交 → 已受理: the way it will be handled (领办/包办/代办) and the deadline to close it."""
    ensure_in_scope(actor, request, "change")
    _expect(request, S.SUBMITTED)
    on = past_day(on)
    if on < request.submitted_on:
        raise ValidationError({"on": "受理日期不能早于提交日期"})
    _not_before_last_step(request, on)
    if not handling:
        raise ValidationError({"handling": "请选择办理方式（领办、包办或代办）"})
    before = request.handler_id
    if handler is not None:
        request.handler = handler
    if request.handler_id is None:
        raise ValidationError({"handler": "请指定承办人"})
    _, _, close = _limits(request)
    request.status, request.accepted_on, request.handling = S.ACCEPTED, on, handling
    request.accepted_late = request.accept_due is not None and on > request.accept_due
    request.close_due = add_workdays(on, close)
    request.escalated_on = None  # a new deadline: breaching it escalates again
    save_checked(request, actor=actor, action="change")
    late = "（超过受理期限）" if request.accepted_late else ""
    _event(
        request,
        RequestEvent.Kind.ACCEPTED,
        on,
        actor=actor,
        note=f"{request.get_handling_display()}，承办人{request.handler.name}，办结期限 {request.close_due:%Y-%m-%d}{late}",
    )
    if request.handler_id != before:
        _tell_handler(
            request,
            actor=actor,
            body=f"{on:%Y-%m-%d} 受理，{request.get_handling_display()}，办结期限 {request.close_due:%Y-%m-%d}",
        )
    return request


@service
def request_start(*, actor, request: ServiceRequest, on: datetime.date):
    """已受理 → 办理中."""
    ensure_in_scope(actor, request, "change")
    _expect(request, S.ACCEPTED)
    on = past_day(on)
    _not_before_last_step(request, on)
    request.status = S.IN_PROGRESS
    save_checked(request, actor=actor, action="change")
    _event(request, RequestEvent.Kind.STARTED, on, actor=actor)
    return request


@service
def request_return(*, actor, request: ServiceRequest, on: datetime.date, reason: str):
    """退回补充材料: back to the enterprise, which resubmits."""
    ensure_in_scope(actor, request, "change")
    _expect(request, S.SUBMITTED, S.ACCEPTED, S.IN_PROGRESS)
    if not reason or not reason.strip():
        raise ValidationError({"reason": "请说明需要补充的材料"})
    on = past_day(on)
    _not_before_last_step(request, on)
    request.status = S.RETURNED
    save_checked(request, actor=actor, action="change")
    _event(request, RequestEvent.Kind.RETURNED, on, actor=actor, note=reason.strip())
    _tell_contacts(
        request,
        actor=actor,
        kind=Kind.REQUEST_RETURNED,
        title=f"{_label(request)}被退回，请补充材料",
        body=reason.strip(),
    )
    return request


@service
def request_resubmit(*, actor, request: ServiceRequest, on: datetime.date, note: str = "", files=()):
    """The enterprise resubmits with the missing materials; the acceptance deadline starts again."""
    ensure_in_scope(actor, request, "view")
    _check_contact(actor, request)
    _expect(request, S.RETURNED)
    on = past_day(on)
    _not_before_last_step(request, on)
    rule, accept, _ = _limits(request)
    request.status, request.accepted_on, request.close_due = S.SUBMITTED, None, None
    request.accept_due, request.rule = add_workdays(on, accept), rule
    request.escalated_on = None  # a new deadline: breaching it escalates again
    save_checked(request, actor=actor, action="view")
    for upload in files:
        RequestFile.objects.create(request=request, file=upload, name=getattr(upload, "name", ""))
    _event(
        request,
        RequestEvent.Kind.RESUBMITTED,
        on,
        actor=actor,
        note=(note.strip() + "；" if note.strip() else "") + f"受理期限 {request.accept_due:%Y-%m-%d}",
    )
    return request


@service
def request_transfer(*, actor, request: ServiceRequest, on: datetime.date, department: str, note: str = ""):
    """转办 to a department; the request stays in progress and the transfer is tracked."""
    ensure_in_scope(actor, request, "change")
    _expect(request, S.ACCEPTED, S.IN_PROGRESS)
    if not department or not department.strip():
        raise ValidationError({"department": "请填写转办部门"})
    on = past_day(on)
    _not_before_last_step(request, on)
    request.status, request.transferred_to = S.IN_PROGRESS, department.strip()
    save_checked(request, actor=actor, action="change")
    _event(
        request,
        RequestEvent.Kind.TRANSFERRED,
        on,
        actor=actor,
        note=f"转至{department.strip()}" + (f"：{note.strip()}" if note.strip() else ""),
    )
    return request


@service
def request_transfer_reply(*, actor, request: ServiceRequest, on: datetime.date, reply: str):
    ensure_in_scope(actor, request, "change")
    if not request.transferred_to:
        raise ValidationError({"reply": "该事项没有转办"})
    if not reply or not reply.strip():
        raise ValidationError({"reply": "请填写部门反馈"})
    on = past_day(on)
    _not_before_last_step(request, on)
    _event(
        request,
        RequestEvent.Kind.TRANSFER_REPLY,
        on,
        actor=actor,
        note=f"{request.transferred_to}反馈：{reply.strip()}",
    )
    return request


@service
def request_suspend(*, actor, request: ServiceRequest, on: datetime.date, reason: str):
    """挂起 with a reason: the closing clock stops until it is resumed."""
    ensure_in_scope(actor, request, "change")
    _expect(request, S.ACCEPTED, S.IN_PROGRESS)
    if not reason or not reason.strip():
        raise ValidationError({"reason": "挂起须填写原因"})
    on = past_day(on)
    _not_before_last_step(request, on)
    request.status, request.suspended_on, request.suspend_reason = S.SUSPENDED, on, reason.strip()
    save_checked(request, actor=actor, action="change")
    _event(request, RequestEvent.Kind.SUSPENDED, on, actor=actor, note=reason.strip())
    return request


@service
def request_resume(*, actor, request: ServiceRequest, on: datetime.date):
    """Back to 办理中; the closing deadline moves by the working days it was suspended."""
    ensure_in_scope(actor, request, "change")
    _expect(request, S.SUSPENDED)
    on = past_day(on)
    if on < request.suspended_on:
        raise ValidationError({"on": "恢复日期不能早于挂起日期"})
    _not_before_last_step(request, on)
    paused = len(workdays(request.suspended_on, on - datetime.timedelta(days=1)))
    if request.close_due and paused:
        request.close_due = add_workdays(request.close_due, paused)
    request.status, request.suspended_on = S.IN_PROGRESS, None
    save_checked(request, actor=actor, action="change")
    _event(
        request,
        RequestEvent.Kind.RESUMED,
        on,
        actor=actor,
        note=f"挂起 {paused} 个工作日，办结期限顺延至 {request.close_due:%Y-%m-%d}"
        if request.close_due
        else "",
    )
    return request


@service
def request_close(*, actor, request: ServiceRequest, on: datetime.date, result: str):
    """办结: what was done; the enterprise then confirms and rates it."""
    ensure_in_scope(actor, request, "change")
    _expect(request, S.ACCEPTED, S.IN_PROGRESS)
    if not result or not result.strip():
        raise ValidationError({"result": "请填写办理结果"})
    on = past_day(on)
    if request.accepted_on and on < request.accepted_on:
        raise ValidationError({"on": "办结日期不能早于受理日期"})
    _not_before_last_step(request, on)
    request.status, request.closed_on = S.CLOSED, on
    request.closed_late = request.close_due is not None and on > request.close_due
    save_checked(request, actor=actor, action="change")
    _event(request, RequestEvent.Kind.CLOSED, on, actor=actor, note=result.strip())
    _tell_contacts(
        request,
        actor=actor,
        kind=Kind.REQUEST_CLOSED,
        title=f"{_label(request)}已办结，请确认并评价",
        body=result.strip(),
    )
    return request


@service
def request_rate(
    *, actor, request: ServiceRequest, rating: int, comment: str = "", on: datetime.date | None = None
):
    """The enterprise confirms the result and rates it from 1 to 5."""
    ensure_in_scope(actor, request, "view")
    _check_contact(actor, request)
    _expect(request, S.CLOSED)
    if rating is None or not 1 <= int(rating) <= 5:
        raise ValidationError({"rating": "满意度应为 1 到 5 分"})
    on = past_day(on or timezone.localdate())
    if request.closed_on and on < request.closed_on:
        raise ValidationError({"on": "确认日期不能早于办结日期"})
    _not_before_last_step(request, on)
    request.status, request.rating, request.rating_comment, request.confirmed_on = (
        S.RATED,
        int(rating),
        comment,
        on,
    )
    save_checked(request, actor=actor, action="view")
    _event(
        request,
        RequestEvent.Kind.RATED,
        on,
        actor=actor,
        note=f"{rating} 分" + (f"：{comment}" if comment else ""),
    )
    return request


@service
def requests_auto_confirm(*, actor, today: datetime.date | None = None) -> int:
    """A closed request the enterprise has not confirmed within the configured days confirms
    itself (without a rating)."""
    today = today or timezone.localdate()
    count = 0
    for request in ServiceRequest.objects.filter(status=S.CLOSED, closed_on__isnull=False):
        days = rules_for(rules.DESK, request.closed_on).values["confirm_days"]
        if request.closed_on + datetime.timedelta(days=days) <= today:
            request.status, request.confirmed_on, request.auto_confirmed = S.RATED, today, True
            request.save(update_fields=["status", "confirmed_on", "auto_confirmed", "updated_at"])
            _event(
                request,
                RequestEvent.Kind.AUTO_CONFIRMED,
                today,
                actor=actor,
                note=f"办结后 {days} 天内企业未确认，自动确认（未评分）",
            )
            count += 1
    return count


@service
def requests_escalate(*, actor, today: datetime.date | None = None) -> int:
    """Requests past their acceptance or closing deadline go to the handler's leader (once per
    deadline: accepting or resubmitting starts a new one)."""
    today = today or timezone.localdate()
    count = 0
    late = (
        ServiceRequest.objects.filter(escalated_on__isnull=True)
        .filter(acceptance_overdue(today) | closing_overdue(today))
        .select_related("handler__leader", "handler__user")
        .order_by("pk")
    )
    for request in late:
        if request.status == S.SUBMITTED:
            what = f"超过受理期限 {request.accept_due:%Y-%m-%d}"
        else:
            what = f"超过办结期限 {request.close_due:%Y-%m-%d}"
        leader = request.handler.leader if request.handler_id and request.handler.leader_id else None
        request.escalated_on = today
        request.save(update_fields=["escalated_on", "updated_at"])
        note = f"{what}，已升级至{leader.get_full_name() if leader else '党工委管理员'}"
        _event(request, RequestEvent.Kind.ESCALATED, today, actor=actor, note=note)
        _tell_escalated(request, leader, actor=actor, note=note)
        count += 1
    return count


@service
def request_delete(*, actor, request: ServiceRequest):
    """Delete a request entered in error, with its timeline and files (the audit log keeps it)."""
    ensure_in_scope(actor, request, "delete")
    request.delete()


@service
def request_import(*, actor, existing, **fields) -> ServiceRequest:
    """A 企业诉求与服务事项 ledger row, as the ledger states it."""
    request = existing or ServiceRequest()
    if existing is not None:
        ensure_in_scope(actor, existing, "change")
    for key, value in fields.items():
        setattr(request, key, value)
    if not request.number:
        request.number = next_number(request.submitted_on)
    if request.status in (S.CLOSED, S.RATED) and request.rating is not None:
        request.status = S.RATED
        request.confirmed_on = request.confirmed_on or request.closed_on
    save_checked(request, actor=actor, action="change" if existing else "add")
    _event(
        request,
        RequestEvent.Kind.IMPORTED,
        timezone.localdate(),
        actor=actor,
        note="企业诉求与服务事项台账导入",
    )
    return request


# The steps of a request after it is submitted, as the back office and the API offer them
# (resubmitting and rating are the enterprise's, on the portal and through the API).
REQUEST_STEPS = {
    "accept": Step("受理", request_accept, ("on", "handling", "handler")),
    "start": Step("开始办理", request_start, ("on",)),
    "return": Step("退回补充材料", request_return, ("on", ("text", "reason"))),
    "resubmit": Step("补充后重新提交", request_resubmit, ("on", ("text", "note"))),
    "transfer": Step("转办", request_transfer, ("on", "department", ("text", "note"))),
    "reply": Step("转办反馈", request_transfer_reply, ("on", ("text", "reply"))),
    "suspend": Step("挂起", request_suspend, ("on", ("text", "reason"))),
    "resume": Step("恢复办理", request_resume, ("on",)),
    "close": Step("办结", request_close, ("on", ("text", "result"))),
    "rate": Step("评价", request_rate, ("rating", ("text", "comment"))),
}
