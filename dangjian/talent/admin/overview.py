"""人才与创新概览: a year's figures of talent and innovation, the pool's mix by category at the
year's end, the platforms in force then by type and level, and the page as Excel.

The figures are the registered indicators (core.indicators.compute, through the user's scope);
a figure not registered (yet) is read from talent.selectors, which the indicators also use."""

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied

from dangjian.core import indicators
from dangjian.core.admin_base import admin_page, number_text
from dangjian.core.exports import export_response, wants_xlsx
from dangjian.core.forms import StyledForm
from dangjian.core.indicators import FIRST_YEAR, LAST_YEAR, Period
from dangjian.core.scope import restrict

from .. import selectors
from ..models import (
    Platform,
    PlatformKind,
    PlatformLevel,
    Talent,
)
from .common import today

VIEW_PERMISSIONS = ("talent.view_talent", "talent.view_platform", "talent.view_innovation")


# the figures of the page, as the indicators compute them for the user's scope
FIGURES = (
    "talent.pool_intake",
    "talent.pool_size",
    "platforms.count",
    "innovation.key_projects",
    "innovation.achievements",
    "innovation.patents",
    "innovation.universities",
    "talent.support_paid",
    "talent.experts",
)


def figures(user, period) -> list[tuple[str, str, str]]:
    """(name, value as read, unit) of each figure of the page, for `user` and `period`."""
    rows = []
    for code in FIGURES:
        indicator = indicators.get(code)
        name, unit = indicator.name, indicator.unit
        value = indicators.compute(code, period=period, user=user).value
        if value is None:
            text = "—"
        elif isinstance(value, Decimal):
            text = number_text(value, 2)
        else:
            text = f"{value:,}" if isinstance(value, int) else str(value)
        rows.append((name, text, unit))
    return rows


def platform_grid(user, day) -> tuple[list[str], list[list]]:
    """The platforms in force on `day` by type (rows) and level (columns), with totals."""
    platforms = selectors.platforms_on(restrict(user, Platform), day)
    counts = {}
    for kind, level in platforms.order_by().values_list("kind", "level"):
        counts[kind, level] = counts.get((kind, level), 0) + 1
    levels = PlatformLevel.choices
    rows = []
    for kind, kind_label in PlatformKind.choices:
        cells = [counts.get((kind, level), 0) for level, _label in levels]
        rows.append([kind_label, *cells, sum(cells)])
    totals = [sum(row[i] for row in rows) for i in range(1, len(levels) + 2)]
    rows.append(["合计", *totals])
    return ["平台类型", *(label for _value, label in levels), "合计"], rows


class OverviewForm(StyledForm):
    year = forms.IntegerField(label="年度", min_value=FIRST_YEAR, max_value=LAST_YEAR)


def overview_view(request):
    user = request.user
    if not any(user.has_perm(name) for name in VIEW_PERMISSIONS):
        raise PermissionDenied
    talent_admin = admin.site._registry[Talent]
    form = OverviewForm(request.GET or {"year": today().year})
    context = {"form": form, "query": request.GET.urlencode()}
    if form.is_valid():
        year = form.cleaned_data["year"]
        period = Period.year(year)
        shown = figures(user, period)
        mix = selectors.pool_mix(selectors.in_pool_on(restrict(user, Talent), period.end))
        grid_headers, grid = platform_grid(user, period.end)
        if wants_xlsx(request):
            return export_response(
                user,
                "人才与创新概览",
                ["分组", "项目", "数量", "单位或说明"],
                _export_rows(shown, mix, grid_headers, grid),
                note=f"{year}年（人才与平台截至 {period.end:%Y-%m-%d}）",
            )
        context.update(
            year=year, end=period.end, figures=shown, mix=mix, grid_headers=grid_headers, grid=grid
        )
    return admin_page(talent_admin, request, "admin/talent/overview.html", "人才与创新概览", **context)


def _export_rows(shown, mix, grid_headers, grid):
    for name, value, unit in shown:
        yield ["指标", name, value, unit]
    for label, count in mix:
        yield ["年末在库人才按类别", label, count, "名"]
    levels = grid_headers[1:-1]
    for row in grid[:-1]:
        for level, count in zip(levels, row[1:-1], strict=True):
            if count:
                yield ["创新平台按类型和级别", f"{row[0]}（{level}）", count, "个"]
    yield ["创新平台按类型和级别", "合计", grid[-1][-1], "个"]
