"""The figures a self-assessment brings in are the indicators' own, for the organization's
subtree and the campaign's year."""

import datetime
from decimal import Decimal

import pytest

from dangjian.core import indicators
from dangjian.core.indicators import Period
from dangjian.enterprises.models import EnterpriseYear
from dangjian.organizations.models import Post, PostKind
from dangjian.ratings import figures, services
from dangjian.ratings.models import Assessment
from dangjian.ratings.tests.factories import OPEN, YEAR, run_to

pytestmark = pytest.mark.django_db


def _link_enterprise(zone):
    zone.branch_b.unit_enterprise = zone.enterprise_b
    zone.branch_b.save()
    zone.enterprise_b.refresh_from_db()
    assert zone.enterprise_b.org_path == zone.branch_b.path


def _records(zone):
    _link_enterprise(zone)
    for name, kind in (("责任区一", PostKind.RESPONSIBILITY_AREA), ("示范岗一", PostKind.MODEL_POST)):
        Post.objects.create(
            organization=zone.branch_b, name=name, kind=kind, established_on=datetime.date(2024, 5, 1)
        )
    Post.objects.create(
        organization=zone.branch_a1,
        name="责任区甲",
        kind=PostKind.RESPONSIBILITY_AREA,
        established_on=datetime.date(2024, 5, 1),
    )
    for year, revenue, tax, jobs in ((YEAR - 1, 1000, 100, 20), (YEAR, 1250, 90, 25)):
        EnterpriseYear.objects.create(
            enterprise=zone.enterprise_b,
            year=year,
            revenue=Decimal(revenue),
            profit_tax=Decimal(tax),
            new_jobs=jobs,
        )


def test_each_figure_from_an_indicator_equals_the_indicator_for_the_same_scope_and_year(zone):
    _records(zone)
    c = run_to("self", zone)
    a = Assessment.objects.get(campaign=c, organization=zone.branch_b)
    taken = {f.measure: f for f in a.figures.all()}
    assert set(taken) == set(figures.MEASURES)
    compared = 0
    for key in figures.MEASURES:
        try:
            indicator = indicators.get(key)
        except KeyError:
            continue
        value = indicator(indicators.Context(period=Period.year(YEAR), scope=zone.branch_b, today=OPEN)).value
        expected = None if value is None else Decimal(value)
        assert taken[key].value == expected, key
        assert taken[key].url.startswith(f"/admin/indicators/{key}/?year={YEAR}&scope={zone.branch_b.pk}")
        compared += 1
    assert compared >= 10
    assert taken["posts.responsibility_areas"].value == 1 and taken["posts.model_posts"].value == 1
    assert taken["enterprises.revenue_growth"].value == Decimal("25.0")
    assert taken["enterprises.tax_growth"].value == Decimal("-10.0")
    assert taken["enterprises.jobs_growth"].value == Decimal("25.0")


def test_growth_is_computed_as_the_revenue_indicator_computes_it(zone):
    _records(zone)
    for scope in (zone.branch_b, zone.root):
        expected = indicators.compute(
            "enterprises.revenue_growth", period=Period.year(YEAR), scope=scope
        ).value
        assert figures.growth(scope, YEAR, "revenue") == expected


def test_a_figure_without_data_says_so(zone):
    c = run_to("self", zone)
    a = Assessment.objects.get(campaign=c, organization=zone.branch_a2)
    figure = a.figures.get(measure="enterprises.tax_growth")
    assert figure.value is None and figure.value_text == "无数据"


def test_the_figures_are_taken_again_on_request(zone):
    c = run_to("self", zone)
    a = Assessment.objects.get(campaign=c, organization=zone.branch_b)
    assert a.figures.get(measure="posts.model_posts").value == 0
    Post.objects.create(
        organization=zone.branch_b, name="示范岗新", kind=PostKind.MODEL_POST, established_on=OPEN
    )
    services.assessment_refresh_figures(actor=None, assessment=a, on=OPEN)
    assert a.figures.get(measure="posts.model_posts").value == 1
    assert a.events.filter(kind="figures").count() == 1
