"""The demo zone's star rating (loaded once for the module and rolled back): last year's named
campaign meets the seed's 70% of non-public organizations at four or five stars with two
five-star brands; this year's is in self-assessment, a few filed and one returned."""

import pytest

from dangjian.accounts.models import User
from dangjian.core.indicators import Period, compute
from dangjian.organizations.models import PartyOrganization
from dangjian.ratings import selectors
from dangjian.ratings.models import (
    AssessmentStatus,
    Campaign,
    CampaignStep,
    Objection,
    RatingSource,
    StarRating,
)

pytestmark = pytest.mark.django_db


def test_last_years_campaign_meets_the_seed(demo_zone):
    root = PartyOrganization.objects.get(depth=1)
    period = Period.year(2025)
    assert compute("ratings.nonpublic_four_five_star_rate", period=period, scope=root).value == 70.0
    assert compute("ratings.five_star", period=period, scope=root).value == 2
    campaign = Campaign.objects.get(year=2025)
    assert campaign.step == CampaignStep.NAMED and campaign.document_number
    assert campaign.assessments.count() == 30
    assert set(campaign.assessments.values_list("status", flat=True)) == {AssessmentStatus.NAMED}
    five = StarRating.objects.filter(year=2025, stars=5).select_related("organization")
    assert {r.organization.name for r in five} == {
        "陕西香菊药业集团党委",
        "陕西天士力植物药业有限责任公司党支部",
    }
    assert all(r.organization.brand for r in five)
    # one objection in the 公示, answered
    objection = Objection.objects.get(assessment__campaign=campaign)
    assert objection.answered_on and objection.answer and objection.upheld is False


def test_history_shows_stars_moving_from_the_imported_2023_results(demo_zone):
    assert StarRating.objects.filter(year=2023, source=RatingSource.LEDGER).count() >= 2
    zone_admin = User.objects.get(username="zone_admin")
    moved = {r.organization.name: r.stars - p.stars for r, p in selectors.movers(user=zone_admin, year=2025)}
    assert moved["陕西天士力植物药业有限责任公司党支部"] == 1
    assert moved["商洛比亚迪实业有限公司党支部"] == -1


def test_this_years_campaign_is_in_self_assessment_with_a_few_filed_and_one_returned(demo_zone):
    campaign = Campaign.objects.get(year=2026)
    assert campaign.step == CampaignStep.SELF_ASSESSMENT
    statuses = list(campaign.assessments.values_list("status", flat=True))
    assert 2 <= statuses.count(AssessmentStatus.SUBMITTED) <= 6
    assert statuses.count(AssessmentStatus.RETURNED) == 1
    assert (
        statuses.count(AssessmentStatus.PENDING)
        == len(statuses) - statuses.count(AssessmentStatus.SUBMITTED) - 1
    )
    assert campaign.assessments.get(status=AssessmentStatus.RETURNED).returned_reason


def test_the_demo_contact_sees_tianshilis_five_stars_in_the_portal(demo_zone, client):
    client.force_login(User.objects.get(username="enterprise"))
    page = client.get("/portal/stars/").content.decode()
    assert "陕西天士力植物药业有限责任公司党支部" in page and "五星级" in page
    assert "陕西香菊药业集团党委" not in page
