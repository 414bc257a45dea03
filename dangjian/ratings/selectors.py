"""Reads of the star rating, through the user's scope."""

from dataclasses import dataclass, field

from django.db.models import Count

from dangjian.core.indicators import Period, compute, get, rate
from dangjian.core.scope import restrict

from .models import Assessment, StarRating, stars_label


def assessment_list(*, user, campaign=None):
    assessments = restrict(user, Assessment.objects.select_related("organization", "campaign"), "view")
    if campaign is not None:
        assessments = assessments.filter(campaign=campaign)
    return assessments.order_by("org_path")


def star_history(*, user, organization):
    """An organization's named stars, newest first (year, stars, score, rubric version)."""
    return restrict(user, StarRating.objects.filter(organization=organization), "view").order_by("-year")


def distribution(*, user, year: int, ratings=None) -> dict[int, int]:
    """How many organizations hold each number of stars for the year (1–5, zeros included)."""
    ratings = ratings if ratings is not None else restrict(user, StarRating.objects.all(), "view")
    counts = dict(
        ratings.filter(year=year).values_list("stars").annotate(n=Count("pk")).values_list("stars", "n")
    )
    return {stars: counts.get(stars, 0) for stars in range(1, 6)}


def movers(*, user, year: int, ratings=None):
    """The organizations rated for the year whose stars went up or down against their last
    rating before it: [(rating, previous rating)], up first."""
    ratings = ratings if ratings is not None else restrict(user, StarRating.objects.all(), "view")
    this_year = list(ratings.filter(year=year).select_related("organization"))
    earlier: dict = {}
    for rating in ratings.filter(
        organization__in=[r.organization_id for r in this_year], year__lt=year
    ).order_by("organization_id", "-year"):
        earlier.setdefault(rating.organization_id, rating)
    moved = [(r, earlier[r.organization_id]) for r in this_year if r.organization_id in earlier]
    moved = [(r, p) for r, p in moved if r.stars != p.stars]
    return sorted(moved, key=lambda pair: (pair[1].stars - pair[0].stars, pair[0].org_path))


def enterprise_stars(*, user, enterprise) -> list[tuple]:
    """The party organizations of an enterprise that hold named stars the user may see:
    [(organization, its ratings newest first)], by the tree's order."""
    ratings = restrict(
        user, StarRating.objects.filter(organization__unit_enterprise=enterprise), "view"
    ).select_related("organization")
    found: dict = {}
    for rating in ratings.order_by("org_path", "-year"):
        found.setdefault(rating.organization, []).append(rating)
    return list(found.items())


@dataclass
class Statistics:
    """评星统计 of a year in a scope: how many hold each number of stars, the two figures of the
    summary, and who went up or down."""

    year: int
    scope: object
    levels: list = field(default_factory=list)  # (stars, label, count, share %)
    total: int = 0
    figures: list = field(default_factory=list)  # (indicator code, name, value, unit)
    up: list = field(default_factory=list)  # (rating, previous rating)
    down: list = field(default_factory=list)


def statistics(*, user, year: int, scope=None) -> Statistics:
    ratings = restrict(user, StarRating.objects.all(), "view")
    if scope is not None:
        ratings = ratings.filter(org_path__startswith=scope.path)
    counts = distribution(user=user, year=year, ratings=ratings)
    total = sum(counts.values())
    result = Statistics(year=year, scope=scope, total=total)
    result.levels = [(n, stars_label(n), counts[n], rate(counts[n], total)) for n in range(5, 0, -1)]
    for code in ("ratings.nonpublic_four_five_star_rate", "ratings.five_star"):
        indicator = get(code)
        value = compute(code, period=Period.year(year), scope=scope, user=user).value
        result.figures.append((code, indicator.name, value, indicator.unit))
    moved = movers(user=user, year=year, ratings=ratings)
    result.up = [(r, p) for r, p in moved if r.stars > p.stars]
    result.down = [(r, p) for r, p in moved if r.stars < p.stars]
    return result
