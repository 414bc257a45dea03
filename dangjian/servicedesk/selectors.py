"""Reads of the service desk through the user's scope."""

from decimal import Decimal

from django.db.models import Avg, Count, Prefetch, Q
from django.utils import timezone

from dangjian.cadres.models import Assignment
from dangjian.cadres.services import assignments_on
from dangjian.core.scope import restrict
from dangjian.partylife.models import Activity
from dangjian.projects.models import Problem

from .models import RequestStatus, ServiceRequest, acceptance_overdue, closing_overdue


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


# -- the desk seen from one enterprise's side ------------------------------------------------------
def enterprise_problems(enterprise):
    """Problems of an enterprise: raised for it, or for a project it owns."""
    return Problem.objects.filter(Q(enterprise=enterprise) | Q(project__owner_enterprise=enterprise))


def enterprise_activities(enterprise, activities=None):
    """Visits and events (上门服务、座谈会、早餐会、对接会……) the enterprise took part in, newest first,
    with the cadres there and the problems this enterprise raised (not those of others at the
    same event)."""
    activities = Activity.objects.all() if activities is None else activities
    own = enterprise_problems(enterprise).select_related("owner").order_by("raised_on", "pk")
    return (
        activities.filter(enterprises=enterprise)
        .prefetch_related("cadres", Prefetch("problems", queryset=own))
        .order_by("-held_on", "-pk")
    )


def enterprise_service_record(*, user, enterprise, start, end, today=None):
    """企业服务档案: one enterprise's requests, visits and events, and problems in [start, end],
    with its designated and assigned cadres and its on-time and satisfaction figures — all of it
    what `user` may see."""
    today = today or timezone.localdate()
    requests = request_list(user=user, enterprise=enterprise)
    in_period = requests.filter(
        Q(submitted_on__gte=start, submitted_on__lte=end)
        | Q(closed_on__gte=start, closed_on__lte=end)
        | Q(status__in=[s for s in RequestStatus if s not in (RequestStatus.CLOSED, RequestStatus.RATED)])
    ).order_by("-submitted_on", "-pk")
    figures = {}
    for part, counted in (("accept", acceptance_counted), ("close", closing_counted)):
        records, on_time = counted(requests, start, end, today)
        figures[part] = records.aggregate(total=Count("id"), on_time=Count("id", filter=on_time))
    rated = requests.filter(closed_on__gte=start, closed_on__lte=end, rating__isnull=False)
    figures["rating"] = rated.aggregate(mean=Avg("rating"), count=Count("id"))
    figures["submitted"] = requests.filter(submitted_on__gte=start, submitted_on__lte=end).count()
    figures["closed"] = requests.filter(closed_on__gte=start, closed_on__lte=end).count()
    activities = enterprise_activities(
        enterprise, restrict(user, Activity.objects.filter(held_on__gte=start, held_on__lte=end), "view")
    )
    problems = (
        restrict(user, enterprise_problems(enterprise), "view")
        .filter(Q(raised_on__gte=start, raised_on__lte=end) | Q(closed_on__isnull=True))
        .select_related("owner", "project", "source_activity")
        .order_by("-raised_on", "-pk")
    )
    cadres = (
        Assignment.objects.filter(assignments_on(today), enterprise=enterprise)
        .select_related("cadre")
        .order_by("-is_lead", "pk")
    )
    return {
        "requests": in_period,
        "figures": figures,
        "activities": activities,
        "problems": problems,
        "assignments": cadres,
    }
