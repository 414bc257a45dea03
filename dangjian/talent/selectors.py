"""Reads of talent and innovation. The query of each figure is written once here and used by the
indicators, the pages and the API; only confirmed records count (a submission waiting for the
zone, or sent back, counts nowhere); lists start from the user's scope."""

import datetime

from django.db.models import Count, Q, QuerySet, Sum

from dangjian.core.indicators import Period, in_force_on
from dangjian.core.scope import restrict
from dangjian.projects.models import Project

from .models import (
    PROVINCIAL_OR_ABOVE,
    CooperationUniversity,
    Expert,
    Innovation,
    InnovationKind,
    Platform,
    PolicySupport,
    Review,
    Talent,
    TalentCategory,
)


def confirmed(records: QuerySet) -> QuerySet:
    return records.filter(review=Review.CONFIRMED)


# -- the talent pool ------------------------------------------------------------------------------
def intake_in(talents: QuerySet, period: Period) -> QuerySet:
    """Talents whose 入库日期 is in the period (人才动态入库)."""
    return confirmed(talents).filter(intake_on__gte=period.start, intake_on__lte=period.end)


def in_pool_on(talents: QuerySet, day: datetime.date) -> QuerySet:
    """Talents in the pool on `day`: taken in on or before it and not out by then."""
    return confirmed(talents).filter(in_force_on(day, "intake_on", "exit_on"))


def pool_mix(talents: QuerySet) -> list[tuple[str, int]]:
    """(category's name, count) over `talents`, in the categories' order, every category shown."""
    counts = dict(talents.order_by().values_list("category").annotate(n=Count("pk")))
    return [(label, counts.get(value, 0)) for value, label in TalentCategory.choices]


def supports_paid_in(supports: QuerySet, period: Period) -> QuerySet:
    """Payments under the talent policies dated in the period."""
    return supports.filter(paid_on__gte=period.start, paid_on__lte=period.end)


def support_total(supports: QuerySet):
    return supports.aggregate(total=Sum("amount"))["total"]


def experts_engaged_in(experts: QuerySet, period: Period) -> QuerySet:
    """Experts whose agreement was in force during the period: signed on or before its end (no
    date counts) and not ended before its start (no end counts)."""
    return experts.filter(Q(agreed_on__isnull=True) | Q(agreed_on__lte=period.end)).filter(
        Q(agreed_until__isnull=True) | Q(agreed_until__gte=period.start)
    )


# -- platforms ------------------------------------------------------------------------------------
def platforms_on(platforms: QuerySet, day: datetime.date, *, kind=None, level=None) -> QuerySet:
    """Platforms recognised on or before `day` (no known date counts) and not withdrawn by then,
    of a 平台类型 and a 级别 when given."""
    platforms = platforms.filter(in_force_on(day, "recognised_on", "withdrawn_on"))
    if kind:
        platforms = platforms.filter(kind=kind)
    if level:
        platforms = platforms.filter(level=level)
    return platforms


# -- innovations ----------------------------------------------------------------------------------
def innovations_by(innovations: QuerySet, day: datetime.date, kind) -> QuerySet:
    """Confirmed innovations of `kind` dated on or before `day`."""
    return confirmed(innovations).filter(kind=kind, dated_on__lte=day)


def achievements_by(innovations: QuerySet, day: datetime.date) -> QuerySet:
    """科技成果 of level 省级 or 国家级 dated on or before `day`."""
    return innovations_by(innovations, day, InnovationKind.ACHIEVEMENT).filter(level__in=PROVINCIAL_OR_ABOVE)


def universities_by(innovations: QuerySet, day: datetime.date) -> QuerySet:
    """The distinct 合作高校 (names) over the 校地合作 in `innovations` dated on or before `day`."""
    cooperations = innovations_by(innovations, day, InnovationKind.COOPERATION)
    return (
        CooperationUniversity.objects.filter(innovation__in=cooperations.values("pk"))
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()
    )


# -- an enterprise's records (its page, the portal) -----------------------------------------------
def enterprise_records(user, enterprise) -> dict:
    """What an enterprise has, each list narrowed to what `user` may see: its talents (with
    submissions), platforms, patents and other innovations, experts, the support its talents
    received, and the key projects (重点项目) it owns."""
    return {
        "talents": restrict(user, Talent).filter(enterprise=enterprise).order_by("-intake_on", "name"),
        "platforms": restrict(user, Platform).filter(enterprise=enterprise).order_by("kind", "name"),
        "patents": restrict(user, Innovation)
        .filter(enterprise=enterprise, kind=InnovationKind.PATENT)
        .order_by("-dated_on", "name"),
        "innovations": restrict(user, Innovation)
        .filter(enterprise=enterprise)
        .exclude(kind=InnovationKind.PATENT)
        .prefetch_related("universities")
        .order_by("-dated_on", "name"),
        "experts": restrict(user, Expert).filter(enterprise=enterprise),
        "supports": restrict(user, PolicySupport)
        .filter(talent__enterprise=enterprise)
        .select_related("talent", "policy"),
        "projects": restrict(user, Project).filter(owner_enterprise=enterprise).order_by("name"),
    }


def pending(user) -> dict:
    """Submissions waiting for the zone, in `user`'s scope: talents and innovations."""
    return {
        "talents": restrict(user, Talent, "change")
        .filter(review=Review.PENDING)
        .select_related("enterprise"),
        "innovations": restrict(user, Innovation, "change")
        .filter(review=Review.PENDING)
        .select_related("enterprise"),
    }
