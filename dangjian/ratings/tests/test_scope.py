"""Who sees and does what in the star rating: a secretary sees and files only their own
organizations' assessments (back-office list, page and list export, API list and detail) and
never reviews, returns or decides; a reviewer reaches only their subtree; an enterprise's
contact sees the named stars of its enterprise's party organizations only."""

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from rest_framework.test import APIClient

from dangjian.ratings import selectors, services
from dangjian.ratings.models import AssessmentStatus, StarRating
from dangjian.testing.factories import make_user

from .factories import run_to, score_all

pytestmark = pytest.mark.django_db

ADMIN = "/admin/ratings/assessment/"
API = "/api/v1/rating-assessments/"


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def self_campaign(zone):
    return run_to("self", zone)


@pytest.fixture
def review_campaign(zone):
    return run_to("review", zone)


def of(campaign, organization):
    return campaign.assessments.get(organization=organization)


# -- a secretary sees only their own organizations' assessments ----------------------------------
def test_the_back_office_list_shows_a_secretary_only_their_subtrees_assessments(
    client, zone, secretary_a, self_campaign
):
    client.force_login(secretary_a)
    response = client.get(ADMIN)
    assert response.status_code == 200
    shown = {a.organization for a in response.context["cl"].result_list}
    assert shown == {zone.branch_a1, zone.branch_a2}


def test_the_back_office_page_of_another_organizations_assessment_is_not_found(
    client, zone, secretary_a, self_campaign
):
    client.force_login(secretary_a)
    theirs = of(self_campaign, zone.branch_b)
    assert client.get(f"{ADMIN}{theirs.pk}/change/").status_code == 404
    assert client.get(f"{ADMIN}{of(self_campaign, zone.branch_a1).pk}/change/").status_code == 200


def test_the_list_export_holds_only_the_secretarys_assessments(client, zone, secretary_a, self_campaign):
    client.force_login(secretary_a)
    response = client.get(f"{ADMIN}export/")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = {str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None}
    assert {"甲一党支部", "甲二党支部"} <= cells
    assert not any("乙企业党支部" in c for c in cells)


def test_the_api_lists_and_shows_a_secretary_only_their_subtrees_assessments(
    zone, secretary_a, self_campaign
):
    client = api_as(secretary_a)
    listed = {row["organization"] for row in client.get(API).json()["results"]}
    assert listed == {zone.branch_a1.pk, zone.branch_a2.pk}
    theirs = of(self_campaign, zone.branch_b)
    assert client.get(f"{API}{theirs.pk}/").status_code == 404
    assert client.get(f"{API}?organization={zone.branch_b.pk}").json()["results"] == []


def test_a_secretary_cannot_file_another_organizations_self_assessment(zone, secretary_a, self_campaign):
    theirs = of(self_campaign, zone.branch_b)
    response = api_as(secretary_a).post(f"{API}{theirs.pk}/self/", {"self_summary": "代填"}, format="json")
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.assessment_save(actor=secretary_a, assessment=theirs, self_summary="代填")
    theirs.refresh_from_db()
    assert theirs.self_summary == ""


def test_selectors_read_through_the_scope(zone, secretary_a, self_campaign):
    assert {a.organization for a in selectors.assessment_list(user=secretary_a)} == {
        zone.branch_a1,
        zone.branch_a2,
    }


# -- a secretary never reviews, returns or decides ------------------------------------------------
def test_a_secretary_cannot_review_their_own_assessment(zone, secretary_a, review_campaign):
    mine = of(review_campaign, zone.branch_a1)
    with pytest.raises(PermissionDenied, match="您没有评审评星申报的权限"):
        services.assessment_review(actor=secretary_a, assessment=mine, items=score_all(mine, review=1))
    response = api_as(secretary_a).post(f"{API}{mine.pk}/review/", {"items": []}, format="json")
    assert response.status_code == 403
    mine.refresh_from_db()
    assert (mine.status, mine.review_score) == (AssessmentStatus.SUBMITTED, None)


def test_a_secretary_cannot_return_an_assessment(zone, secretary_a, review_campaign):
    mine = of(review_campaign, zone.branch_a1)
    with pytest.raises(PermissionDenied):
        services.assessment_return(actor=secretary_a, assessment=mine, reason="自己退回")
    response = api_as(secretary_a).post(f"{API}{mine.pk}/steps/return/", {"reason": "自己退回"})
    assert response.status_code == 403
    assert of(review_campaign, zone.branch_a1).status == AssessmentStatus.SUBMITTED


def test_a_secretary_cannot_decide_the_stars(zone, secretary_a):
    campaign = run_to("decision", zone)
    mine = of(campaign, zone.branch_a1)
    with pytest.raises(PermissionDenied, match="您没有评定星级的权限"):
        services.assessment_decide(actor=secretary_a, assessment=mine, stars=5, reason="自评")
    response = api_as(secretary_a).post(f"{API}{mine.pk}/steps/decide/", {"stars": 5, "reason": "自评"})
    assert response.status_code == 403
    mine.refresh_from_db()
    assert (mine.status, mine.stars) == (AssessmentStatus.REVIEWED, None)


def test_a_secretary_cannot_take_the_campaigns_steps(zone, secretary_a, self_campaign):
    response = api_as(secretary_a).post(f"/api/v1/rating-campaigns/{self_campaign.pk}/steps/open_review/")
    assert response.status_code == 403
    self_campaign.refresh_from_db()
    assert self_campaign.step == "self_assessment"


def test_a_reviewer_over_a_subtree_cannot_review_outside_it(zone, review_campaign):
    reviewer = make_user("zone_admin", organization=zone.committee_a)
    theirs = of(review_campaign, zone.branch_b)
    with pytest.raises(PermissionDenied):
        services.assessment_review(actor=reviewer, assessment=theirs, items=score_all(theirs, review=1))
    response = api_as(reviewer).post(f"{API}{theirs.pk}/review/", {"items": []}, format="json")
    assert response.status_code == 404
    assert of(review_campaign, zone.branch_b).review_score is None


# -- an enterprise's contact sees its organizations' named stars only -----------------------------
@pytest.fixture
def ratings(zone):
    return {
        org: StarRating.objects.create(organization=org, year=2023, stars=stars)
        for org, stars in ((zone.branch_a1, 4), (zone.committee_a, 5), (zone.branch_b, 3))
    }


@pytest.fixture
def contact_a(zone):
    return make_user("enterprise_contact", enterprise=zone.enterprise_a)


def test_an_enterprise_contact_sees_the_stars_of_its_enterprises_organizations_only(zone, contact_a, ratings):
    client = api_as(contact_a)
    listed = {row["organization"] for row in client.get("/api/v1/star-ratings/").json()["results"]}
    assert listed == {zone.branch_a1.pk, zone.committee_a.pk}
    assert client.get(f"/api/v1/star-ratings/{ratings[zone.branch_b].pk}/").status_code == 404
    assert list(selectors.star_history(user=contact_a, organization=zone.branch_b)) == []
    assert [r.stars for r in selectors.star_history(user=contact_a, organization=zone.branch_a1)] == [4]


def test_an_enterprise_contact_sees_no_assessment_and_changes_no_star(
    zone, contact_a, ratings, self_campaign
):
    client = api_as(contact_a)
    assert client.get(API).status_code == 403
    mine = ratings[zone.branch_a1]
    assert client.patch(f"/api/v1/star-ratings/{mine.pk}/", {"stars": 5}, format="json").status_code == 403
    assert StarRating.objects.get(pk=mine.pk).stars == 4


def test_the_back_office_star_list_of_an_enterprise_contact(client, zone, contact_a, ratings):
    client.force_login(contact_a)
    response = client.get("/admin/ratings/starrating/")
    assert response.status_code == 200
    assert {r.organization for r in response.context["cl"].result_list} == {zone.branch_a1, zone.committee_a}
