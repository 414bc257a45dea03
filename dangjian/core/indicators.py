"""The registry of every figure the summary states (INDICATORS.md); each app registers its
own in its indicators.py.

An indicator is a code, a Chinese name, a unit and a function of (period, scope) that returns
the value and the records behind it. The dashboard, exports, API and the Word summary read
figures only from here, so a number on paper can always be opened as its records.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone

from dangjian.core.registry import app_label_of, discover, installed
from dangjian.core.scope import restrict, subtree_q

# the years a figure may be asked for (the pages' and the API's year)
FIRST_YEAR, LAST_YEAR = 1949, 2100


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @property
    def label(self):
        if self.start == datetime.date(self.start.year, 1, 1) and self.end == datetime.date(
            self.start.year, 12, 31
        ):
            return f"{self.start.year}年"
        return f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"

    def previous_year(self) -> "Period":
        return Period.year(self.start.year - 1)


@dataclass
class Context:
    """What an indicator is computed for: a period, a scope (an organization's subtree, or the
    whole installation when None or a root) and, when a person asks, their data scope."""

    period: Period
    scope: object = None  # PartyOrganization or None
    user: object = None
    filters: dict = field(default_factory=dict)
    today: datetime.date | None = None  # the day a figure that depends on "now" is taken; None: today

    @property
    def as_of(self) -> datetime.date:
        return self.today or timezone.localdate()

    @property
    def at_root(self):
        return self.scope is None or self.scope.depth == 1

    def records(self, queryset: QuerySet, path_lookup: str | None) -> QuerySet:
        """`queryset` limited to the scope's subtree (by the records' organization path) and,
        if a user asks, to what the user may see."""
        if not self.at_root:
            if path_lookup is None:
                queryset = queryset.none()
            else:
                queryset = queryset.filter(subtree_q(path_lookup, self.scope.path, include_unassigned=False))
        if self.user is not None:
            queryset = restrict(self.user, queryset, "view")
        return queryset

    def in_period(self, lookup: str) -> Q:
        return Q(**{f"{lookup}__gte": self.period.start, f"{lookup}__lte": self.period.end})


@dataclass(frozen=True)
class Part:
    """A column of the drill-down: what one record contributes to the figure (应开 and 已开 of an
    organization, the 参训人次 of a training, the amount of a donation)."""

    label: str
    value: Callable  # record -> its value


@dataclass
class Result:
    value: object  # int, Decimal, or None where the figure has no value
    records: QuerySet | None = None
    detail: dict = field(default_factory=dict)
    parts: tuple = ()  # Part columns shown beside each record; none: each record counts once


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    unit: str
    compute: Callable[[Context], Result]
    description: str = ""
    app: str = ""
    filters: tuple = ()  # names of optional filters (e.g. 问题来源)
    dashboard: int | None = None  # position of its card on the dashboard, if it has one
    do_not_call_in_templates = True

    def __call__(self, context: Context) -> Result:
        return self.compute(context)


_registry: dict[str, Indicator] = {}

# The order of the table in INDICATORS.md; figures registered later by other issues follow it.
DOCUMENT_ORDER = [
    "documents.issued",
    "meetings.work_conferences",
    "meetings.theme_days",
    "meetings.lectures_by_leaders",
    "trainings.sessions",
    "trainings.attendance",
    "trainings.talent_sessions",
    "trainings.talent_attendance",
    "activities.practice",
    "activities.public_welfare",
    "activities.donations",
    "activities.entrepreneur_forums",
    "activities.business_meals",
    "activities.site_and_finance_meetings",
    "activities.enterprise_visits",
    "orgs.branches",
    "orgs.standardized_rate",
    "orgs.party_groups",
    "posts.responsibility_areas",
    "posts.model_posts",
    "members.total",
    "members.newly_developed",
    "ratings.nonpublic_four_five_star_rate",
    "ratings.five_star",
    "projects.key_projects",
    "projects.cadres",
    "problems.solved",
    "problems.solved_by_finance_meetings",
    "problems.solved_by_visits",
    "requests.approvals_done",
    "requests.services_done",
    "requests.satisfaction",
    "investment.ambassadors",
    "investment.advisors",
    "investment.teams",
    "investment.events",
    "investment.signed_projects",
    "investment.funds_in_place",
    "talent.pool_intake",
    "platforms.count",
    "innovation.key_projects",
    "innovation.achievements",
    "innovation.patents",
    "innovation.universities",
    "enterprises.high_tech",
    "enterprises.tech_smes",
    "enterprises.incubated",
    "enterprises.revenue_growth",
]


def in_force_on(day: datetime.date, start: str, end: str, prefix: str = "") -> Q:
    """Records in force on `day` (an appointment, a talent in the pool, a platform's
    recognition): started on or before it, no known start counting as always, and not ended by
    then, an end taking effect on its own day."""
    return (Q(**{f"{prefix}{start}__isnull": True}) | Q(**{f"{prefix}{start}__lte": day})) & (
        Q(**{f"{prefix}{end}__isnull": True}) | Q(**{f"{prefix}{end}__gt": day})
    )


def register(code, name, unit, *, description="", filters=(), dashboard=None):
    """Register a figure (in an app's indicators.py); `dashboard`: the position of its card on
    the dashboard, if it has one."""

    def decorator(func):
        if code in _registry:
            raise ValueError(f"indicator {code} registered twice")
        _registry[code] = Indicator(
            code=code,
            name=name,
            unit=unit,
            compute=func,
            description=description,
            app=app_label_of(func.__module__),
            filters=tuple(filters),
            dashboard=dashboard,
        )
        return func

    return decorator


_targets: dict[str, tuple[Callable, str]] = {}


def register_target(code: str):
    """Register `func(year, scope) -> value or None`, the year's target of the figure `code` (the
    zone's annual investment targets, say), in the app that keeps the targets."""

    def decorator(func):
        _targets[code] = (func, app_label_of(func.__module__))
        return func

    return decorator


def target_for(code: str, year: int, scope=None):
    """The year's target of a figure for a scope, or None where nobody set one."""
    discover("indicators")
    entry = _targets.get(code)
    if entry is None or entry[1] not in {config.label for config in apps.get_app_configs()}:
        return None
    return entry[0](year, scope)


def all_indicators() -> list[Indicator]:
    discover("indicators")
    position = {code: index for index, code in enumerate(DOCUMENT_ORDER)}
    return sorted(installed(_registry.values()), key=lambda ind: position.get(ind.code, len(position)))


def dashboard_indicators() -> list[Indicator]:
    """The figures shown as cards on the dashboard, in their order."""
    return sorted((i for i in all_indicators() if i.dashboard is not None), key=lambda i: i.dashboard)


def get(code: str) -> Indicator:
    discover("indicators")
    indicator = _registry[code]
    if indicator not in installed([indicator]):
        raise KeyError(code)
    return indicator


def round_half_up(value: Decimal, places: int) -> Decimal:
    """Rounded half up (四舍五入) to `places` decimals."""
    return value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def rate(part: int, whole: int, places: int = 1):
    """A percentage rounded half up to `places` decimals, or None without a base."""
    if not whole:
        return None
    return round_half_up(Decimal(part) * 100 / Decimal(whole), places)


def json_value(value):
    """Values as JSON numbers: counts as ints, rates and money as floats, None as null."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    return value


def compute(code: str, *, period: Period, scope=None, user=None, today=None, **filters) -> Result:
    return get(code)(Context(period=period, scope=scope, user=user, filters=filters, today=today))
