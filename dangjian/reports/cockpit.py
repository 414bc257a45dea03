"""The cockpit (驾驶舱) and the big screen (大屏): the year's key figures as cards against last year
and the year's target, the charts (trends by month, comparison by subtree, stars, problems by
source, requests on time, the investment funnel and funds, talent intake) and the warnings by
group — every number from the indicator registry for the user's scope, every card and chart point
with the address of its records. Computed once per scope, year, the user's grants and the data
version (the newest audit entry of a change: every change is one), and then read from the cache."""

import hashlib
import json
from urllib.parse import urlencode

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.backends import active_grants
from dangjian.audit.models import AuditEntry
from dangjian.core.indicators import Period, get, target_for
from dangjian.organizations.models import OrgKind, PartyOrganization
from dangjian.organizations.selectors import organization_list
from dangjian.organizations.warnings import warning_groups

from .charts import months
from .figures import Figure, figure, plain
from .summary import scope_name

# the cards, in order
KEY_FIGURES = [
    "members.total",
    "members.newly_developed",
    "orgs.branches",
    "meetings.compliance_rate",
    "ratings.five_star",
    "projects.key_projects",
    "problems.solved",
    "requests.satisfaction",
    "investment.events",
    "investment.signed_projects",
    "investment.funds_received",
    "talent.pool_intake",
    "innovation.patents",
]
SUBTREE_FIGURES = ["members.total", "problems.solved"]  # counts, on one axis
MONTH_FIGURES = [
    ("meetings", ["meetings.theme_days", "meetings.work_conferences", "meetings.lectures_by_leaders"]),
    ("funds", ["investment.funds_received"]),
    ("talent", ["talent.pool_intake"]),
    ("requests", ["requests.on_time_acceptance", "requests.on_time_closing"]),
]
FUNNEL = ["线索", "洽谈", "签约", "开工", "投产"]
STARS = ["一星级", "二星级", "三星级", "四星级", "五星级"]
CACHE_SECONDS = 6 * 3600
MAX_SUBTREES = 12


def _registered(code):
    try:
        get(code)
    except KeyError:
        return False
    return True


def records_url(code, *, year, scope=None, month=None, quarter=None, **filters) -> str:
    """The drill-down of a figure: its records for the year (or a month or quarter of it) and the
    scope."""
    query = {"year": year}
    if month:
        query["month"] = month
    if quarter:
        query["quarter"] = quarter
    if scope is not None:
        query["scope"] = scope.pk
    query.update(filters)
    return f"{reverse('admin:indicator_records', args=[code])}?{urlencode(query)}"


# the audit actions that change records (not sign-ins, reveals or exports)
CHANGES = [
    AuditEntry.Action.CREATE,
    AuditEntry.Action.UPDATE,
    AuditEntry.Action.DELETE,
    AuditEntry.Action.IMPORT,
    AuditEntry.Action.EVENT,
]


def data_version() -> int:
    """Grows with every change of records (each is an audit entry), so a cached cockpit is never
    stale; a sign-in, a reveal or an export leaves it. The newest change found by a backward walk
    of the entries' key, which stops at the first change."""
    newest = AuditEntry.objects.filter(action__in=CHANGES).order_by("-id").values_list("id", flat=True)
    return newest.first() or 0


def _grants_key(user) -> str:
    grants = sorted(
        (grant.role_id, grant.organization_id or 0, grant.enterprise_id or 0, grant.object_id or 0)
        for grant in active_grants(user)
    )
    return hashlib.sha1(json.dumps(grants).encode()).hexdigest()[:16]


def cockpit(*, user, year: int, scope=None, today=None) -> dict:
    """The cockpit's figures for the user (cached); see module doc."""
    today = today or timezone.localdate()
    key = f"cockpit:{data_version()}:{year}:{scope.pk if scope else 0}:{_grants_key(user)}:{today}"
    found = cache.get(key)
    if found is None:
        found = compute_cockpit(user=user, year=year, scope=scope, today=today)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _card(code, *, user, year, scope, today):
    period = Period.year(year)
    now = figure(code, period=period, scope=scope, user=user, today=today)
    before = figure(code, period=Period.year(year - 1), scope=scope, user=user, today=today)
    target = target_for(code, year, scope)
    change = None
    if now.value is not None and before.value is not None:
        difference = now.value - before.value
        change = ("+" if difference > 0 else "") + (
            f"{plain(difference)}个百分点" if now.unit == "%" else Figure(code, "", now.unit, difference).text
        )
    share = None
    if target:
        share = round(float(now.value or 0) * 100 / float(target), 1)
    return {
        "code": code,
        "name": now.name,
        "unit": now.unit,
        "value": _json(now.value),
        "text": now.text,
        "last_year": before.text,
        "change": change,
        "target": Figure(code, "", now.unit, target).text if target else None,
        "target_share": share,
        "url": records_url(code, year=year, scope=scope),
    }


def _json(value):
    if value is None:
        return None
    return float(value) if not isinstance(value, int) else value


def _series(code, values, urls, name=None):
    return {"name": name or get(code).name, "code": code, "data": [_json(v) for v in values], "urls": urls}


def compute_cockpit(*, user, year: int, scope=None, today=None) -> dict:
    options = {"user": user, "today": today}
    period = Period.year(year)
    charts = {}
    for name, codes in MONTH_FIGURES:
        series = []
        for code in [c for c in codes if _registered(c)]:
            values, urls = [], []
            for number, month in enumerate(months(year), 1):
                values.append(figure(code, period=month, scope=scope, **options).value)
                urls.append(records_url(code, year=year, scope=scope, month=number))
            series.append(_series(code, values, urls))
        if series:
            charts[name] = {"labels": [f"{m}月" for m in range(1, 13)], "series": series}
    charts.update(_breakdowns(period, year, scope, options))
    subtrees = _subtrees(user, scope)
    if subtrees:
        charts["subtrees"] = {
            "labels": [org.name for org in subtrees],
            "series": [
                _series(
                    code,
                    [figure(code, period=period, scope=org, **options).value for org in subtrees],
                    [records_url(code, year=year, scope=org) for org in subtrees],
                )
                for code in SUBTREE_FIGURES
                if _registered(code)
            ],
        }
    return {
        "year": year,
        "scope": scope.pk if scope else None,
        "scope_name": scope_name(scope),
        "cards": [
            _card(code, year=year, scope=scope, **options) for code in KEY_FIGURES if _registered(code)
        ],
        "charts": charts,
        "warnings": _warnings(user, scope),
        "computed_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    }


def _breakdowns(period, year, scope, options):
    charts = {}
    for name, code, filter_name, labels in (
        ("stars", "ratings.rated", "星级", STARS),
        ("funnel", "investment.pipeline", "阶段", FUNNEL),
        ("problems", "problems.solved", "问题来源", _problem_sources()),
        ("problem_states", "problems.raised", "状态", _problem_states()),
    ):
        if not _registered(code) or not labels:
            continue
        values = [
            figure(code, period=period, scope=scope, **options, **{filter_name: label}).value
            for label in labels
        ]
        urls = [records_url(code, year=year, scope=scope, **{filter_name: label}) for label in labels]
        charts[name] = {"labels": labels, "series": [_series(code, values, urls)]}
    return charts


def _problem_sources():
    if not _registered("problems.solved"):
        return []
    from dangjian.projects.models import ProblemSource

    return list(ProblemSource.labels)


def _problem_states():
    if not _registered("problems.raised"):
        return []
    from dangjian.projects.models import ProblemStatus

    return list(ProblemStatus.labels)


def _subtrees(user, scope):
    """The organizations one level below the scope (the user's top organization when none), to
    compare: committees and general branches first, at most MAX_SUBTREES."""
    visible = organization_list(user=user, include_dissolved=False).exclude(kind=OrgKind.PARTY_GROUP)
    top = scope or visible.order_by("depth", "path").first()
    if top is None:
        return []
    return list(
        visible.filter(path__startswith=top.path, depth=top.depth + 1).order_by("path")[:MAX_SUBTREES]
    )


def _warnings(user, scope):
    from dangjian.organizations.selectors import warning_counts

    labels = warning_groups()
    counts = warning_counts(user=user, root=scope)
    return [
        {"group": group, "label": label, "count": counts.get(group, 0), "url": _warnings_url(group, scope)}
        for group, label in labels.items()
    ]


def _warnings_url(group, scope):
    query = {"group": group}
    if scope is not None:
        query["scope"] = scope.pk
    return f"{reverse('admin:warnings')}?{urlencode(query)}"


def scope_choices(user):
    """The organizations the cockpit may be shown for: the user's, and two levels below."""
    visible = organization_list(user=user, include_dissolved=False).exclude(kind=OrgKind.PARTY_GROUP)
    top = visible.order_by("depth").values_list("depth", flat=True).first() or 1
    return visible.filter(depth__lte=top + 2)


def scope_of(user, pk) -> PartyOrganization | None:
    """The organization `pk` if the user may see it (None: the user's whole scope)."""
    if not pk:
        return None
    try:
        number = int(pk)
    except (TypeError, ValueError):
        return None
    organization = scope_choices(user).filter(pk=number).first()
    return organization if organization is None or organization.depth > 1 else None
