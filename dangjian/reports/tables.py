"""Statistics tables (统计报表): for each domain, its registered figures (columns) for each
organization one level below the scope and for the scope as a whole (rows), over a year, a quarter
or a month. Every cell is a registry figure and opens its records; the same table is the page, the
Excel file, the printout and the API's answer. A domain's figures are those whose code begins
with one of its prefixes, so a figure registered later joins its table by itself."""

import calendar
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from dangjian.core.indicators import Context, Period, all_indicators, json_value
from dangjian.organizations.models import OrgKind
from dangjian.organizations.selectors import organization_list

from .cockpit import records_url
from .figures import Figure


@dataclass(frozen=True)
class TableKind:
    key: str
    title: str
    prefixes: tuple[str, ...]


TABLES = [
    TableKind("organizations", "党组织与党员", ("orgs.", "posts.", "members.")),
    TableKind("partylife", "组织生活、教育与活动", ("meetings.", "trainings.", "activities.", "documents.")),
    TableKind("dues", "党费", ("dues.",)),
    TableKind("ratings", "评星晋级", ("ratings.",)),
    TableKind("projects", "项目包抓与问题", ("projects.", "problems.")),
    TableKind("requests", "企业服务事项", ("requests.",)),
    TableKind("investment", "招商引资", ("investment.",)),
    TableKind("talent", "人才与创新", ("talent.", "platforms.", "innovation.")),
    TableKind("enterprises", "企业", ("enterprises.",)),
]
PERIODS = [
    ("year", "全年"),
    *((f"q{q}", f"第{q}季度") for q in range(1, 5)),
    *((f"m{m}", f"{m}月") for m in range(1, 13)),
]
MAX_ROWS = 60  # organizations one level below the scope shown as rows


def table_kind(key: str) -> TableKind:
    for kind in TABLES:
        if kind.key == key:
            return kind
    raise ValidationError(f"没有这张统计报表：{key}")


def period_of(year: int, part: str = "year") -> Period:
    """全年, a quarter (q1–q4) or a month (m1–m12) of `year`."""
    if part in ("", "year", None):
        return Period.year(year)
    try:
        number = int(part[1:])
    except ValueError:
        number = 0
    if part.startswith("q") and 1 <= number <= 4:
        first, last = 3 * number - 2, 3 * number
    elif part.startswith("m") and 1 <= number <= 12:
        first = last = number
    else:
        raise ValidationError(f"期间应为全年、第1—4季度或1—12月，而不是“{part}”")
    return Period(
        datetime.date(year, first, 1), datetime.date(year, last, calendar.monthrange(year, last)[1])
    )


def columns(kind: TableKind):
    return [ind for ind in all_indicators() if ind.code.startswith(kind.prefixes)]


def row_organizations(user, scope):
    """The scope's organizations one level below it (the user's top organization when none)."""
    visible = organization_list(user=user, include_dissolved=False).exclude(kind=OrgKind.PARTY_GROUP)
    top = scope or visible.order_by("depth", "path").first()
    if top is None:
        return None, []
    below = visible.filter(path__startswith=top.path, depth=top.depth + 1).order_by("path")[:MAX_ROWS]
    return top, list(below)


def statistics_table(key: str, *, user, year: int, part: str = "year", scope=None) -> dict:
    kind = table_kind(key)
    period = period_of(year, part)
    top, below = row_organizations(user, scope)
    indicators = columns(kind)
    link_options = _link_options(part)

    def row(label, organization, total=False):
        cells = []
        for indicator in indicators:
            context = Context(
                period=period, scope=organization if organization is not None else scope, user=user
            )
            value = indicator(context).value
            shown = Figure(indicator.code, indicator.name, indicator.unit, value)
            cells.append(
                {
                    "code": indicator.code,
                    "value": json_value(value),
                    "text": str(shown),
                    "url": records_url(
                        indicator.code,
                        year=year,
                        scope=organization if organization is not None else scope,
                        **link_options,
                    ),
                }
            )
        return {
            "label": label,
            "organization": organization.pk if organization else None,
            "total": total,
            "cells": cells,
        }

    rows = [row(org.name, org) for org in below]
    rows.append(
        row(f"合计（{top.name if top else '全部'}）", scope if scope is not None else None, total=True)
    )
    return {
        "key": kind.key,
        "title": kind.title,
        "year": year,
        "period": part or "year",
        "period_label": dict(PERIODS).get(part or "year", "全年"),
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "scope": scope.pk if scope else None,
        "scope_name": top.name if scope is None and top else (scope.name if scope else "全部"),
        "columns": [{"code": ind.code, "name": ind.name, "unit": ind.unit} for ind in indicators],
        "rows": rows,
    }


def _link_options(part):
    """A cell's records open on the cell's month or quarter of the year."""
    if part and part.startswith("m"):
        return {"month": int(part[1:])}
    if part and part.startswith("q"):
        return {"quarter": int(part[1:])}
    return {}


def table_rows_for_export(table: dict):
    """The table as the Excel file's rows: 单位, then each column's figure."""
    for row in table["rows"]:
        yield [row["label"], *(cell["value"] for cell in row["cells"])]


def export_headers(table: dict) -> list[str]:
    return ["党组织", *(f"{column['name']}（{column['unit']}）" for column in table["columns"])]
