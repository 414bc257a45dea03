"""The figures of a report, read only through the indicator registry (core.indicators), and how
the office writes them: counts as they are, money in 亿元 or 万元 as its size suggests, rates to
one decimal. A `Figure` stands for its number in a template (`{{ investment.events }}` → 32), is
false when it has no value (or is 0), and says itself with its unit (`.text` → 8.82亿元)."""

from dataclasses import dataclass, field
from decimal import Decimal

from dangjian.core.indicators import Period, all_indicators, compute, round_half_up

MONEY_UNITS = {"万元", "元"}


def plain(number: Decimal) -> str:
    """A Decimal without trailing zeros: 8.820 → 8.82, 5.00 → 5."""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def money_parts(value, unit: str) -> tuple[str, str]:
    """An amount as the office writes it, in 亿元 or 万元 as its size suggests, to two decimals at
    most: ("8.82", "亿元"), ("3200", "万元"), ("5", "万元"), ("800", "元")."""
    amount = Decimal(value)
    in_yuan = amount * 10000 if unit == "万元" else amount
    if abs(in_yuan) >= Decimal(100_000_000):
        return plain(round_half_up(in_yuan / Decimal(100_000_000), 2)), "亿元"
    if abs(in_yuan) >= Decimal(10000):
        return plain(round_half_up(in_yuan / Decimal(10000), 2)), "万元"
    return plain(round_half_up(in_yuan, 2)), "元"


def money_text(value, unit: str) -> str:
    number, unit = money_parts(value, unit)
    return f"{number}{unit}"


@dataclass(frozen=True)
class Figure:
    code: str
    name: str
    unit: str
    value: object
    filters: dict = field(default_factory=dict)

    def __bool__(self) -> bool:
        return self.value is not None and self.value != 0

    def __str__(self) -> str:
        """The number as the office writes it beside its unit: rates to one decimal, the
        satisfaction score to two."""
        if self.value is None:
            return "—"
        if self.unit == "%":
            return f"{round_half_up(Decimal(self.value), 1):.1f}"
        if self.unit == "分":
            return f"{round_half_up(Decimal(self.value), 2):.2f}"
        if isinstance(self.value, Decimal):
            return plain(self.value)
        return str(self.value)

    @property
    def text(self) -> str:
        """The figure with its unit: 32场, 70.0%, 8.82亿元."""
        if self.value is None:
            return "—"
        if self.unit in MONEY_UNITS:
            return money_text(self.value, self.unit)
        return f"{self}{self.unit}"

    @property
    def number(self):
        return self.value

    @property
    def shown(self) -> str:
        """The number as the text states it (money in 亿元 or 万元): the appendix's 数值."""
        if self.value is not None and self.unit in MONEY_UNITS:
            return money_parts(self.value, self.unit)[0]
        return str(self)

    @property
    def shown_unit(self) -> str:
        if self.value is not None and self.unit in MONEY_UNITS:
            return money_parts(self.value, self.unit)[1]
        return self.unit


def figure(code: str, *, period: Period, scope=None, user=None, today=None, **filters) -> Figure:
    from dangjian.core.indicators import get

    indicator = get(code)
    result = compute(code, period=period, scope=scope, user=user, today=today, **filters)
    return Figure(code, indicator.name, indicator.unit, result.value, filters)


def report_figures(*, period: Period, scope=None, user=None, today=None, progress=None) -> dict[str, Figure]:
    """Every registered figure for the period and scope (as `user` may see them), in the order of
    INDICATORS.md; `progress(done, total)` is told after each."""
    indicators = all_indicators()
    found = {}
    for done, indicator in enumerate(indicators, 1):
        value = indicator.compute(_context(period, scope, user, today)).value
        found[indicator.code] = Figure(indicator.code, indicator.name, indicator.unit, value)
        if progress is not None:
            progress(done, total=len(indicators) + CHART_STEPS)
    return found


# the steps after the figures that a summary's progress counts: the breakdowns and the charts
CHART_STEPS = 8


def _context(period, scope, user, today):
    from dangjian.core.indicators import Context

    return Context(period=period, scope=scope, user=user, today=today)
