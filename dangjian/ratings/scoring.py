"""The arithmetic of a rating, by the rubric version a campaign uses: the score, the stars it
reaches, the veto's cap, and the one-step rule."""

import itertools
from decimal import Decimal

from .models import HUNDRED, STAR_CHOICES, number, stars_label


def total(scores) -> Decimal:
    return sum((Decimal(s) for s in scores if s is not None), Decimal(0))


def stars_for(score, thresholds, *, has_brand: bool, cap: int | None = None) -> int:
    """The stars a score reaches: the highest level whose minimum it meets (a level that needs a
    named innovation or brand only with one), one star below every level; a veto caps it."""
    stars = 1
    for level, minimum, needs_brand in sorted(thresholds, key=lambda t: t[0], reverse=True):
        if Decimal(score) >= Decimal(minimum) and (has_brand or not needs_brand):
            stars = level
            break
    if cap is not None:
        stars = min(stars, cap)
    return stars


def thresholds_of(rubric) -> list[tuple[int, Decimal, bool]]:
    return [(t.stars, t.min_score, t.requires_brand) for t in rubric.thresholds.all()]


def is_jump(previous: int | None, stars: int) -> bool:
    """Stars normally move one step at a time from the last named result."""
    return previous is not None and abs(stars - previous) > 1


def rubric_problems(rubric) -> list[str]:
    """What keeps a rubric version from being used: its points must make 100, each star level's
    minimum must rise with the stars, and it needs a line for every level above one."""
    problems = []
    items = list(rubric.items.all())
    if not items:
        problems.append("评星标准还没有评分细则")
    points = total(i.points for i in items)
    if items and points != HUNDRED:
        problems.append(f"各项分值之和应为 100 分（现为 {number(points)} 分）")
    levels = sorted(thresholds_of(rubric))
    missing = [stars_label(n) for n, _ in STAR_CHOICES if n > 1 and n not in {t[0] for t in levels}]
    if missing:
        problems.append(f"缺少{'、'.join(missing)}的分数线")
    for (low, low_min, _), (high, high_min, _) in itertools.pairwise(levels):
        if high_min <= low_min:
            problems.append(
                f"{stars_label(high)}的最低得分（{number(high_min)}）应高于{stars_label(low)}（{number(low_min)}）"
            )
    return problems
