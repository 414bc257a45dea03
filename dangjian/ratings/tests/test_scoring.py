"""The arithmetic of a rating at its edges: the star lines, the brand needed for five stars, the
veto's cap, the one-step rule, and what keeps a rubric version from being used."""

from decimal import Decimal

import pytest

from dangjian.ratings import scoring
from dangjian.ratings.services import rubric_copy, rubric_save
from dangjian.ratings.tests.factories import default_rubric

# the default rubric's lines: ≥90 five (with a brand), ≥80 four, ≥70 three, ≥60 two, else one
LINES = [(5, Decimal(90), True), (4, Decimal(80), False), (3, Decimal(70), False), (2, Decimal(60), False)]


@pytest.mark.parametrize(
    "score, brand, stars",
    [
        ("0", False, 1),
        ("59.9", False, 1),
        ("60", False, 2),
        ("69.9", False, 2),
        ("70", False, 3),
        ("79.9", False, 3),
        ("80", False, 4),
        ("89.9", True, 4),
        ("90", True, 5),
        ("90", False, 4),  # five stars need a named innovation or brand
        ("100", False, 4),
        ("100", True, 5),
    ],
)
def test_the_stars_a_score_reaches(score, brand, stars):
    assert scoring.stars_for(Decimal(score), LINES, has_brand=brand) == stars


@pytest.mark.parametrize("cap, stars", [(1, 1), (3, 3), (5, 5), (None, 5)])
def test_a_veto_caps_the_stars_whatever_the_score(cap, stars):
    assert scoring.stars_for(Decimal(100), LINES, has_brand=True, cap=cap) == stars


def test_a_cap_above_the_score_changes_nothing():
    assert scoring.stars_for(Decimal(65), LINES, has_brand=False, cap=3) == 2


@pytest.mark.parametrize(
    "previous, stars, jump",
    [(None, 5, False), (3, 4, False), (4, 3, False), (3, 3, False), (3, 5, True), (5, 3, True), (1, 5, True)],
)
def test_one_step_at_a_time(previous, stars, jump):
    assert scoring.is_jump(previous, stars) is jump


@pytest.mark.django_db
def test_the_default_rubric_is_the_shaanxi_scheme():
    rubric = default_rubric()
    areas = [(area, points, len(items)) for area, points, items in rubric.areas()]
    assert areas == [
        ("党组织班子", 20, 4),
        ("党员队伍", 20, 4),
        ("生产经营", 20, 2),
        ("企业文化", 15, 3),
        ("劳动关系", 10, 2),
        ("社会评价", 15, 3),
    ]
    assert rubric.total_points() == 100
    assert scoring.rubric_problems(rubric) == []
    assert rubric.vetoes.count() >= 5
    assert [(t.stars, t.min_score, t.requires_brand) for t in rubric.thresholds.all()] == [
        (5, 90, True),
        (4, 80, False),
        (3, 70, False),
        (2, 60, False),
        (1, 0, False),
    ]


@pytest.mark.django_db
def test_what_keeps_a_rubric_from_being_used():
    copy = rubric_copy(actor=None, rubric=default_rubric())
    assert copy.version == 2 and scoring.rubric_problems(copy) == []
    first = copy.items.order_by("position").first()
    rows = [
        {"id": i.pk, **{f: getattr(i, f) for f in ("position", "area", "name", "points")}}
        for i in copy.items.all()
    ]
    rows[0]["points"] = first.points + Decimal("0.5")
    thresholds = [
        {"stars": 5, "min_score": Decimal(90), "requires_brand": True},
        {"stars": 4, "min_score": Decimal(90), "requires_brand": False},
        {"stars": 2, "min_score": Decimal(60), "requires_brand": False},
    ]
    rubric_save(actor=None, rubric=copy, name=copy.name, items=rows, thresholds=thresholds)
    assert scoring.rubric_problems(copy) == [
        "各项分值之和应为 100 分（现为 100.5 分）",
        "缺少三星级的分数线",
        "五星级的最低得分（90）应高于四星级（90）",
    ]
