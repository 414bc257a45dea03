"""The star rating's figures (INDICATORS.md)."""

from dangjian.core.indicators import Part, Result, rate, register
from dangjian.organizations.models import UnitNature

from .models import STAR_CHOICES, StarRating


def _ratings(ctx):
    """The ratings for the period's year in the scope."""
    return ctx.records(
        StarRating.objects.filter(year=ctx.period.end.year).select_related("organization"), "org_path"
    ).order_by("org_path")


PARTS = (Part("星级", lambda r: r.stars_label), Part("得分", lambda r: r.score))


@register(
    "ratings.nonpublic_four_five_star_rate",
    "四星级以上非公企业党组织占比",
    "%",
    description="单位性质为非公企业、有本年度评星结果的党组织中，评为四星级或五星级的比例",
    dashboard=75,
)
def nonpublic_four_five_star_rate(ctx):
    rated = _ratings(ctx).filter(organization__unit_nature=UnitNature.NON_PUBLIC)
    high = rated.filter(stars__gte=4)
    return Result(rate(high.count(), rated.count()), high, detail={"rated": rated.count()}, parts=PARTS)


@register("ratings.five_star", "五星级党组织数", "个", description="本年度评为五星级的党组织")
def five_star(ctx):
    records = _ratings(ctx).filter(stars=5)
    return Result(records.count(), records, parts=PARTS)


STARS_FILTER = "星级"


@register(
    "ratings.rated",
    "评定星级党组织数",
    "个",
    description="有本年度评星结果的党组织；可按星级（一星级至五星级，或 1—5）筛选",
    filters=(STARS_FILTER,),
)
def rated(ctx):
    records = _ratings(ctx)
    stars = ctx.filters.get("stars") or ctx.filters.get(STARS_FILTER)
    if stars:
        labels = {label: n for n, label in STAR_CHOICES}
        number = labels.get(str(stars)) or (int(stars) if str(stars).isdigit() else None)
        records = records.filter(stars=number) if number in labels.values() else records.none()
    return Result(records.count(), records, parts=PARTS)
