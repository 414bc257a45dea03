"""Reads of the service desk through the user's scope."""

from decimal import Decimal

from django.db.models import Avg, Count, Q
from django.utils import timezone

from dangjian.core.scope import restrict

from .models import ServiceRequest, acceptance_overdue, closing_overdue


def request_list(*, user, enterprise=None, status=None):
    queryset = restrict(
        user, ServiceRequest.objects.select_related("enterprise", "handler", "category"), "view"
    )
    if enterprise is not None:
        queryset = queryset.filter(enterprise=enterprise)
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def acceptance_counted(queryset, start, end, today):
    """The requests an on-time acceptance rate over [start, end] counts, with the condition for
    on time: those accepted in the period against a deadline, and those still waiting whose
    deadline fell in the period and has passed (a breach counts before it is remedied; once
    accepted, the request counts, late, in the period it was accepted)."""
    accepted = Q(accepted_on__gte=start, accepted_on__lte=end, accept_due__isnull=False)
    waiting = acceptance_overdue(today) & Q(accept_due__gte=start, accept_due__lte=end)
    return queryset.filter(accepted | waiting), Q(accepted_on__isnull=False, accepted_late=False)


def closing_counted(queryset, start, end, today):
    """As `acceptance_counted`, for closing: closed in the period against a deadline, or still
    open past a deadline that fell in the period."""
    closed = Q(closed_on__gte=start, closed_on__lte=end, close_due__isnull=False)
    waiting = closing_overdue(today) & Q(close_due__gte=start, close_due__lte=end)
    return queryset.filter(closed | waiting), Q(closed_on__isnull=False, closed_late=False)


def on_time_rates(*, user, start, end, by: str, today=None):
    """On-time acceptance and closing per category (`by="category"`) or per cadre
    (`by="handler"`), counted as `acceptance_counted` and `closing_counted` say."""
    today = today or timezone.localdate()
    key = {"category": "category__name", "handler": "handler__name"}[by]
    requests = restrict(user, ServiceRequest.objects.all(), "view")
    rows = {}
    for part, counted in (("accept", acceptance_counted), ("close", closing_counted)):
        records, on_time = counted(requests, start, end, today)
        grouped = records.values(key).annotate(total=Count("id"), on_time=Count("id", filter=on_time))
        for row in grouped.order_by(key):
            rows.setdefault(row[key] or "（未分类）", {})[part] = (row["on_time"], row["total"])
    return rows


def cadre_satisfaction(cadre, start, end):
    """Mean rating of the requests a cadre closed in [start, end], as a percentage of 5 (for
    the yearly assessment); None without ratings."""
    mean = ServiceRequest.objects.filter(
        handler=cadre, closed_on__gte=start, closed_on__lte=end, rating__isnull=False
    ).aggregate(m=Avg("rating"))["m"]
    if mean is None:
        return None
    return (Decimal(str(mean)) * 20).quantize(Decimal("0.01"))
