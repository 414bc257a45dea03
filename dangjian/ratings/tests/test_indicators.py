"""ratings.nonpublic_four_five_star_rate and ratings.five_star exactly as INDICATORS.md defines
them: among organizations whose 单位性质 is 非公企业 that have a rating for the period's year,
the share rated 四星级 or 五星级 (one decimal); and the organizations rated 五星级 for the year.
Organizations without a rating for the year and other years do not count; the scope is a
subtree; the drill-down records are the counted ones; no base, no value."""

from decimal import Decimal

import pytest

from dangjian.core.indicators import Period, compute, get
from dangjian.organizations.models import UnitNature
from dangjian.ratings.models import StarRating
from dangjian.testing.factories import make_org, make_user

from .factories import YEAR, non_public, run_to

pytestmark = pytest.mark.django_db

RATE, FIVE = "ratings.nonpublic_four_five_star_rate", "ratings.five_star"
Y2024, Y2025 = Period.year(2024), Period.year(YEAR)


def rated(org, stars, year=2024):
    return StarRating.objects.create(organization=org, year=year, stars=stars)


def result(code, period=Y2024, **options):
    return compute(code, period=period, **options)


def counted(code, period=Y2024, **options):
    return sorted(r.organization.name for r in result(code, period, **options).records)


def test_both_figures_are_registered_with_their_names_and_units():
    assert (get(RATE).name, get(RATE).unit) == ("四星级以上非公企业党组织占比", "%")
    assert (get(FIVE).name, get(FIVE).unit) == ("五星级党组织数", "个")


def test_the_rate_counts_non_public_organizations_rated_for_the_year_only(zone):
    non_public(zone)  # 甲一、甲二、乙 are 非公企业
    rated(zone.branch_a1, 5)
    rated(zone.branch_a2, 3)
    rated(zone.branch_b, 4)
    rated(zone.committee_a, 5)  # not 非公企业: neither in the base nor counted
    r = result(RATE)
    assert r.value == Decimal("66.7")  # 2 of 3, one decimal, rounded half up
    assert r.detail["rated"] == 3
    assert counted(RATE) == ["乙企业党支部", "甲一党支部"]


def test_organizations_without_a_rating_for_the_year_are_not_in_the_base(zone):
    non_public(zone)
    rated(zone.branch_a1, 4)
    rated(zone.branch_a2, 2, year=2023)  # another year only
    assert result(RATE).value == Decimal("100.0")
    assert result(RATE).detail["rated"] == 1


def test_other_years_are_excluded(zone):
    non_public(zone)
    rated(zone.branch_a1, 5, year=2023)
    rated(zone.branch_a1, 2, year=2024)
    rated(zone.branch_b, 5, year=2025)
    assert result(RATE).value == Decimal("0.0")
    assert counted(RATE) == []
    assert result(FIVE).value == 0
    assert result(FIVE, Period.year(2023)).value == 1
    assert counted(FIVE, Period.year(2025)) == ["乙企业党支部"]


def test_the_rates_edges_one_decimal_half_up(zone):
    non_public(zone)
    extra = [make_org(f"丙{i}党支部", parent=zone.root, unit_nature=UnitNature.NON_PUBLIC) for i in range(5)]
    for org, stars in zip(
        [zone.branch_a1, zone.branch_a2, zone.branch_b, *extra], [5, 4, 3, 3, 3, 3, 3, 3], strict=True
    ):
        rated(org, stars)
    assert result(RATE).value == Decimal("25.0")  # 2 of 8
    rated(make_org("丁党支部", parent=zone.root, unit_nature=UnitNature.NON_PUBLIC), 4)
    assert result(RATE).value == Decimal("33.3")  # 3 of 9


def test_without_a_base_the_rate_has_no_value(zone):
    rated(zone.committee_a, 5)  # rated, but not 非公企业
    assert result(RATE).value is None
    assert result(RATE, Period.year(2030)).value is None


def test_five_star_counts_every_organization_rated_five_stars_for_the_year(zone):
    non_public(zone)
    rated(zone.committee_a, 5)  # any 单位性质
    rated(zone.branch_a1, 5)
    rated(zone.branch_b, 4)
    assert result(FIVE).value == 2
    assert counted(FIVE) == ["甲一党支部", "甲企业党委"]


def test_both_figures_are_scoped_by_subtree(zone):
    non_public(zone)
    rated(zone.branch_a1, 5)
    rated(zone.branch_a2, 3)
    rated(zone.branch_b, 5)
    assert result(RATE, scope=zone.committee_a).value == Decimal("50.0")
    assert counted(RATE, scope=zone.committee_a) == ["甲一党支部"]
    assert result(RATE, scope=zone.branch_b).value == Decimal("100.0")
    assert result(FIVE, scope=zone.committee_a).value == 1
    assert result(FIVE, scope=zone.root).value == 2
    assert result(FIVE, scope=zone.group_a1).value == 0


def test_a_user_asking_sees_the_figures_of_their_scope(zone, secretary_a):
    non_public(zone)
    rated(zone.branch_a1, 5)
    rated(zone.branch_b, 5)
    assert result(FIVE, user=secretary_a).value == 1
    assert counted(FIVE, user=make_user("enterprise_contact", enterprise=zone.enterprise_b)) == [
        "乙企业党支部"
    ]


def test_the_drill_down_records_are_the_counted_ones_with_their_stars(zone):
    non_public(zone)
    rated(zone.branch_a1, 4)
    rated(zone.branch_b, 2)
    r = result(RATE)
    assert r.value == Decimal("50.0")
    assert len(r.records) == 1
    [record] = r.records
    assert [(part.label, part.value(record)) for part in r.parts] == [("星级", "四星级"), ("得分", None)]


def test_results_named_by_a_campaign_count_like_imported_ones(zone):
    # the campaign rates 甲一、甲二、乙 (all 非公企业 branches) for 2025: full marks without a
    # brand is four stars; 乙 scores 55% and is one star
    run_to("named", zone, scores={zone.branch_b: Decimal("0.55")})
    rated(zone.branch_a1, 5, year=2024)
    assert result(RATE, Y2025).value == Decimal("66.7")
    assert counted(RATE, Y2025) == ["甲一党支部", "甲二党支部"]
    assert result(FIVE, Y2025).value == 0
    assert result(FIVE, Y2024).value == 1
    assert result(RATE, Y2025, scope=zone.branch_b).value == Decimal("0.0")
