"""The summary's charts as PNG pictures, drawn by matplotlib from registry figures with a CJK font
(Noto Sans CJK, which `make` installs from Debian's fonts-noto-cjk; DANGJIAN_CJK_FONT names
another): members by year, 组织生活 by month, the stars distribution, problems solved by source,
funds in place by month. Without a CJK font no chart is drawn with boxes: the summary says why."""

import calendar
import io
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

from dangjian.core.indicators import Period, get

from .figures import figure

FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)
COLOURS = ("#c8161d", "#e0a100", "#1f5fa8", "#3d8b37", "#7a4fa3")


def cjk_font() -> str:
    """The path of the font the charts are drawn with."""
    configured = getattr(settings, "CJK_FONT", "")
    for path in ([configured] if configured else []) + list(FONT_CANDIDATES):
        if path and Path(path).is_file():
            return path
    raise ValidationError(
        "未找到中文字体，无法绘制综述中的图表：请安装 fonts-noto-cjk（make 会尝试安装），"
        "或用 DANGJIAN_CJK_FONT 指明字体文件"
    )


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager, pyplot

    path = cjk_font()
    font_manager.fontManager.addfont(path)
    name = font_manager.FontProperties(fname=path).get_name()
    pyplot.rcParams.update(
        {"font.family": [name], "axes.unicode_minus": False, "font.size": 11, "figure.dpi": 150}
    )
    return pyplot


def _png(pyplot, fig) -> bytes:
    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png")
    pyplot.close(fig)
    return buffer.getvalue()


def months(year: int) -> list[Period]:
    import datetime

    return [
        Period(datetime.date(year, m, 1), datetime.date(year, m, calendar.monthrange(year, m)[1]))
        for m in range(1, 13)
    ]


def _registered(code: str) -> bool:
    try:
        get(code)
    except KeyError:
        return False
    return True


def bar_chart(title: str, labels, series: dict[str, list], unit: str, *, horizontal=False) -> bytes:
    """Bars (stacked where there are several series) with their values written on them."""
    pyplot = _pyplot()
    fig, axes = pyplot.subplots(figsize=(7.5, 3.6))
    bottom = [0] * len(labels)
    for index, (name, values) in enumerate(series.items()):
        numbers = [float(v or 0) for v in values]
        colour = COLOURS[index % len(COLOURS)]
        if horizontal:
            bars = axes.barh(labels, numbers, left=bottom, color=colour, label=name)
        else:
            bars = axes.bar(labels, numbers, bottom=bottom, color=colour, label=name)
        if len(series) == 1:
            axes.bar_label(bars, labels=[_number(v) if v else "" for v in numbers], padding=2, fontsize=9)
        bottom = [b + n for b, n in zip(bottom, numbers, strict=True)]
    axes.set_title(title)
    if horizontal:
        axes.set_xlabel(unit)
    else:
        axes.set_ylabel(unit, rotation=0, labelpad=14)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if len(series) > 1:
        axes.legend(frameon=False, fontsize=9)
    return _png(pyplot, fig)


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")


def summary_charts(*, period: Period, scope=None, user=None, today=None) -> dict[str, bytes]:
    """The summary's charts for the period's year, each from registry figures, by name."""
    year = period.end.year
    options = {"scope": scope, "user": user, "today": today}
    drawn = {}
    if _registered("members.total"):
        years = list(range(year - 4, year + 1))
        drawn["members_by_year"] = bar_chart(
            "党员总数（各年末）",
            [f"{y}年" for y in years],
            {"党员总数": [figure("members.total", period=Period.year(y), **options).value for y in years]},
            "名",
        )
    meeting_codes = [
        c
        for c in ("meetings.theme_days", "meetings.work_conferences", "meetings.lectures_by_leaders")
        if _registered(c)
    ]
    if meeting_codes:
        series = {}
        for code in meeting_codes:
            series[get(code).name.removesuffix("次数")] = [
                figure(code, period=month, **options).value for month in months(year)
            ]
        drawn["meetings_by_month"] = bar_chart(
            f"{year}年组织生活（按月）", [f"{m}月" for m in range(1, 13)], series, "次"
        )
    if _registered("ratings.rated"):
        levels = ["一星级", "二星级", "三星级", "四星级", "五星级"]
        drawn["stars"] = bar_chart(
            f"{year}年评星结果分布",
            levels,
            {
                "党组织": [
                    figure("ratings.rated", period=period, 星级=level, **options).value for level in levels
                ]
            },
            "个",
        )
    if _registered("problems.solved"):
        from dangjian.projects.models import ProblemSource

        sources = list(ProblemSource.labels)
        drawn["problems_by_source"] = bar_chart(
            f"{year}年解决问题（按来源）",
            sources,
            {
                "解决问题": [
                    figure("problems.solved", period=period, 问题来源=s, **options).value for s in sources
                ]
            },
            "个",
            horizontal=True,
        )
    if _registered("investment.funds_received"):
        drawn["funds_by_month"] = bar_chart(
            f"{year}年招商到位资金（按到账月份）",
            [f"{m}月" for m in range(1, 13)],
            {
                "到位资金": [
                    figure("investment.funds_received", period=month, **options).value
                    for month in months(year)
                ]
            },
            "万元",
        )
    return drawn
