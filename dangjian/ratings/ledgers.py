"""评星结果 (ratings) ledger — LEDGERS.md: the stars of past years, rated outside Dangjian.
A row for an organization and year that a campaign has named is an error, never an overwrite
(unless it states exactly that result, as the export of it does)."""

import re
from decimal import Decimal

from dangjian.core.ledgers import cells
from dangjian.core.ledgers.engine import Column, Ledger, register
from dangjian.organizations.ledgers import organization_by_name

from . import services
from .models import HUNDRED, StarRating, stars_label

NUMERALS = "一二三四五"
STARS = "★☆⭐✩✭✮✯"


def parse_stars(raw):
    """五星级, 五星, 5, 5星, 5星级, ★★★★★, ５, 4.0 → 1–5."""
    if cells.is_empty(raw):
        return None
    written = cells.clean_text(raw)
    value = re.sub(r"\s+", "", written)
    if value and all(c in STARS for c in value):
        number = len(value)
    else:
        value = value.removesuffix("级").removesuffix("星")
        if len(value) == 1 and value in NUMERALS:
            number = NUMERALS.index(value) + 1
        else:
            try:
                number = cells.parse_int(value, min_value=None)
            except cells.CellError:
                number = None
    if number is None or not 1 <= number <= 5:
        raise cells.CellError(f"“{written}”不是星级（一星级至五星级，或 1～5）")
    return number


parse_stars.describe = "一星级至五星级（也可写 五星、5、5星、★★★★★）"


def parse_score(raw):
    score = cells.parse_decimal(raw, places=1, unit="分")
    if score is not None and not Decimal(0) <= score <= HUNDRED:
        raise cells.CellError(f"得分应在 0 到 100 之间（填写的是 {score:f}）")
    return score


parse_score.describe = "0～100 的数字，最多 1 位小数"


@register
class RatingLedger(Ledger):
    name = "ratings"
    title = "评星结果"
    model = StarRating
    key_columns = ("organization", "year")
    record_columns = ("organization", "year")
    columns = [
        Column("党组织", "organization", required=True, note="系统中已有的党组织名称"),
        Column("年度", "year", ("评定年度",), required=True, parse=cells.parse_year),
        Column("星级", "stars", required=True, parse=parse_stars),
        Column("得分", "score", parse=parse_score),
    ]

    def apply(self, values, *, actor, state):
        organization = organization_by_name(state, values["organization"])
        # zone-wide on purpose: an organization has one result a year, whoever imports it
        existing = StarRating.objects.filter(organization=organization, year=values["year"]).first()
        score = values["score"] if "score" in values else getattr(existing, "score", None)
        if existing is not None and (existing.stars, existing.score) == (values["stars"], score):
            return "unchanged"
        services.rating_import(
            actor=actor,
            existing=existing,
            organization=organization,
            year=values["year"],
            stars=values["stars"],
            score=score,
        )
        return "created" if existing is None else "updated"

    def export_queryset(self, user):
        return super().export_queryset(user).select_related("organization").order_by("-year", "org_path")

    def export_values(self, obj, context):
        return {
            "organization": obj.organization.name,
            "year": obj.year,
            "stars": stars_label(obj.stars),
            "score": obj.score,
        }
