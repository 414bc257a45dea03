"""The service desk's part of 我的待办: for a handler, requests to accept and to close; for an
enterprise contact, requests sent back for more material and those closed awaiting a rating."""

from django.urls import reverse

from dangjian.cadres.models import Cadre
from dangjian.core.registry import TodoItem, todo_source
from dangjian.core.scope import restrict

from .models import RequestStatus, ServiceRequest
from .portal import contact_enterprises


def _handled(user, statuses, due_field):
    cadres = Cadre.objects.filter(user=user, is_active=True)
    requests = ServiceRequest.objects.filter(handler__in=cadres, status__in=statuses)
    return restrict(user, requests, "change").select_related("enterprise").order_by(due_field, "pk")


def _mine(user, today, limit, statuses, due_field, verb):
    if not user.has_perm("servicedesk.change_servicerequest"):
        return None
    requests = _handled(user, statuses, due_field)
    items = []
    for r in requests[:limit]:
        due = getattr(r, due_field)
        late = due is not None and due < today
        when = f"，{due:%Y-%m-%d} 前{verb}" if due else ""
        items.append(
            TodoItem(
                f"{r.number} {r.enterprise.name}：{r.title}{when}{'（已超时）' if late else ''}",
                reverse("admin:servicedesk_servicerequest_change", args=[r.pk]),
                due,
                late,
            )
        )
    return requests.count(), items, reverse("admin:servicedesk_servicerequest_changelist")


@todo_source("requests_to_accept", "待受理的企业事项", order=70)
def requests_to_accept(user, today, limit):
    return _mine(user, today, limit, [RequestStatus.SUBMITTED], "accept_due", "受理")


@todo_source("requests_to_close", "待办结的企业事项", order=80)
def requests_to_close(user, today, limit):
    return _mine(user, today, limit, [RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS], "close_due", "办结")


@todo_source("requests_for_contact", "待本企业处理的事项", order=90)
def requests_for_contact(user, today, limit):
    enterprises = contact_enterprises(user)
    if not enterprises.exists():
        return None
    waiting = (
        ServiceRequest.objects.filter(
            enterprise__in=enterprises, status__in=[RequestStatus.RETURNED, RequestStatus.CLOSED]
        )
        .select_related("enterprise")
        .order_by("closed_on", "pk")
    )
    items = [
        TodoItem(
            f"{r.number} {r.title}："
            + (
                "已退回，请补充材料后重新提交"
                if r.status == RequestStatus.RETURNED
                else "已办结，请确认并评价"
            ),
            reverse("portal-detail", args=[r.pk]),
            r.closed_on,
        )
        for r in waiting[:limit]
    ]
    return waiting.count(), items, reverse("portal-home")
