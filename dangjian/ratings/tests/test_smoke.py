import pytest

from dangjian.ratings.models import StarRating
from dangjian.ratings.tests.factories import run_to

pytestmark = pytest.mark.django_db


def test_a_campaign_runs_to_named_stars(zone):
    campaign = run_to("named", zone)
    assert campaign.step == "named"
    ratings = StarRating.objects.filter(year=2025).order_by("org_path")
    assert [r.organization for r in ratings] == [zone.branch_a1, zone.branch_a2, zone.branch_b]
    # full marks, but no brand: the five-star line needs a named innovation or brand
    assert {r.stars for r in ratings} == {4}
    assert all(r.score == 100 for r in ratings)
