"""Reads of the service desk through the user's scope."""

from decimal import Decimal

from django.db.models import Avg, Count, Q

from dangjian.core.scope import restrict

from .models import ServiceRequest


def request_list(*, user, enterprise=None, status=None):
    queryset = restrict(
        user, ServiceRequest.objects.select_related("enterprise", "handler", "category"), "view"
    )
    if enterprise is not None:
        queryset = queryset.filter(enterprise=enterprise)
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def on_time_rates(*, user, start, end, by: str):
    """On-time acceptance and closing per category (`by="category"`) or per cadre
    (`by="handler"`), over requests accepted / closed in [start, end]."""
    key = {"category": "category__name", "handler": "handler__name"}[by]
    requests = restrict(user, ServiceRequest.objects.all(), "view")
    accepted = requests.filter(accepted_on__gte=start, accepted_on__lte=end, accept_due__isnull=False).values(
        key
    )
    accepted = accepted.annotate(total=Count("id"), on_time=Count("id", filter=Q(accepted_late=False)))
    closed = requests.filter(closed_on__gte=start, closed_on__lte=end, close_due__isnull=False).values(key)
    closed = closed.annotate(total=Count("id"), on_time=Count("id", filter=Q(closed_late=False)))
    rows = {}
    for row in accepted:
        rows.setdefault(row[key] or "（未分类）", {})["accept"] = (row["on_time"], row["total"])
    for row in closed:
        rows.setdefault(row[key] or "（未分类）", {})["close"] = (row["on_time"], row["total"])
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
