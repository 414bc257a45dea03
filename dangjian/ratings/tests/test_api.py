"""The star rating's API: rubrics with their rows, campaigns and their steps, assessments
(self-assessment, review, steps, objections) and the named stars; the same scope and Chinese
messages as the back office, 403 without the permission, 400 naming the field, 409 for a
protected delete."""

import pytest
from rest_framework.test import APIClient

from dangjian.accounts.models import Grant, Role
from dangjian.organizations.models import UnitNature
from dangjian.ratings import services
from dangjian.ratings.models import (
    Assessment,
    AssessmentStatus,
    Campaign,
    CampaignStep,
    Objection,
    RatingSource,
    Rubric,
    StarRating,
)
from dangjian.testing.factories import make_user

from .factories import OPEN, campaign, default_rubric, run_to, score_all

pytestmark = pytest.mark.django_db

RUBRICS, CAMPAIGNS = "/api/v1/rating-rubrics/", "/api/v1/rating-campaigns/"
ASSESSMENTS, RATINGS = "/api/v1/rating-assessments/", "/api/v1/star-ratings/"


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def leader(zone):
    return make_user("leader", organization=zone.root)


def rubric_payload(**changes):
    return {
        "name": "测试评星标准",
        "description": "测试用",
        "items": [
            {"position": 1, "area": "组织建设", "name": "班子健全", "points": "60", "methods": ["documents"]},
            {"position": 2, "area": "作用发挥", "name": "示范带动", "points": "40", "methods": ["site"]},
        ],
        "thresholds": [
            {"stars": 5, "min_score": "90", "requires_brand": True},
            {"stars": 4, "min_score": "80"},
            {"stars": 3, "min_score": "70"},
            {"stars": 2, "min_score": "60"},
        ],
        "vetoes": [{"position": 1, "name": "发生重大安全事故", "cap_stars": 1}],
        **changes,
    }


# -- rubrics ------------------------------------------------------------------------------------
def test_the_zone_administrator_creates_a_rubric_with_its_rows(zone_admin):
    response = api_as(zone_admin).post(RUBRICS, rubric_payload(), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["version"], body["total_points"], body["in_use"]) == (1, "100.0", False)
    assert [i["name"] for i in body["items"]] == ["班子健全", "示范带动"]
    assert [t["stars"] for t in body["thresholds"]] == [5, 4, 3, 2]
    rubric = Rubric.objects.get(name="测试评星标准")
    assert rubric.items.count() == 2 and rubric.vetoes.get().name == "发生重大安全事故"


def test_a_rubric_update_replaces_its_rows_and_keeps_the_rows_named_by_id(zone_admin):
    client = api_as(zone_admin)
    body = client.post(RUBRICS, rubric_payload(), format="json").json()
    first = body["items"][0]
    items = [{**first, "points": "100"}]

    response = client.patch(f"{RUBRICS}{body['id']}/", {"items": items}, format="json")

    assert response.status_code == 200, response.json()
    assert [(i["id"], i["points"]) for i in response.json()["items"]] == [(first["id"], "100.0")]


def test_a_rubric_row_out_of_range_is_a_400_naming_the_field(zone_admin):
    payload = rubric_payload(thresholds=[{"stars": 5, "min_score": "120"}])

    response = api_as(zone_admin).post(RUBRICS, payload, format="json")

    assert response.status_code == 400
    assert "thresholds" in response.json()
    assert not Rubric.objects.filter(name="测试评星标准").exists()


def test_an_unknown_check_method_or_figure_is_a_400_on_the_items(zone_admin):
    for wrong in ({"methods": ["guess"]}, {"measures": ["nothing.known"]}):
        item = {"position": 1, "area": "甲", "name": "一", "points": "100", **wrong}
        response = api_as(zone_admin).post(RUBRICS, rubric_payload(items=[item]), format="json")
        assert response.status_code == 400
        assert "items" in response.json()
    assert not Rubric.objects.filter(name="测试评星标准").exists()


def test_repeated_positions_are_refused_in_chinese_and_nothing_is_saved(zone_admin):
    items = [{"position": 1, "area": "甲", "name": "一", "points": "50"}] * 2

    response = api_as(zone_admin).post(RUBRICS, rubric_payload(items=items), format="json")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["评分细则的序号重复：1"]}
    assert not Rubric.objects.filter(name="测试评星标准").exists()


def test_a_rubric_in_use_is_copied_to_a_new_version_not_changed(zone, zone_admin):
    campaign(zone)
    rubric = default_rubric()
    client = api_as(zone_admin)

    refused = client.patch(f"{RUBRICS}{rubric.pk}/", {"description": "改"}, format="json")
    copied = client.post(f"{RUBRICS}{rubric.pk}/copy/")

    assert refused.status_code == 400
    assert "已被评星活动" in refused.json()["non_field_errors"][0]
    assert copied.status_code == 201
    body = copied.json()
    assert (body["version"], body["based_on"], body["in_use"]) == (2, rubric.pk, False)
    assert len(body["items"]) == rubric.items.count()


def test_deleting_a_rubric_in_use_is_a_409(zone, zone_admin):
    campaign(zone)
    rubric = default_rubric()

    response = api_as(zone_admin).delete(f"{RUBRICS}{rubric.pk}/")

    assert response.status_code == 409
    assert "不能删除" in response.json()["non_field_errors"][0]
    assert Rubric.objects.filter(pk=rubric.pk).exists()


def test_a_secretary_may_read_no_rubric_and_write_none(secretary_a):
    client = api_as(secretary_a)
    assert client.get(RUBRICS).status_code == 403
    assert client.post(RUBRICS, rubric_payload(), format="json").status_code == 403


# -- campaigns ----------------------------------------------------------------------------------
def test_a_campaign_is_created_and_taken_through_its_steps(zone, zone_admin):
    zone.branch_b.unit_nature = UnitNature.NON_PUBLIC
    zone.branch_b.save()
    client = api_as(zone_admin)
    response = client.post(
        CAMPAIGNS,
        {
            "name": "2025年度评星",
            "year": 2025,
            "rubric": default_rubric().pk,
            "kinds": ["branch"],
            "natures": ["non_public"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["step"], body["period_start"], body["period_end"]) == (
        "preparing",
        "2025-01-01",
        "2025-12-31",
    )

    opened = client.post(f"{CAMPAIGNS}{body['id']}/steps/open_self_assessment/", {"on": "2025-11-03"})

    assert opened.status_code == 200, opened.json()
    assert (opened.json()["step"], opened.json()["step_label"]) == ("self_assessment", "自评申报")
    assert sorted(e["label"] for e in opened.json()["events"]) == ["创建活动", "开启环节"]
    assert list(Assessment.objects.values_list("organization", flat=True)) == [zone.branch_b.pk]


def test_a_step_out_of_turn_is_a_chinese_400_and_an_unknown_step_a_404(zone, zone_admin):
    c = campaign(zone)
    client = api_as(zone_admin)

    refused = client.post(f"{CAMPAIGNS}{c.pk}/steps/open_review/")
    unknown = client.post(f"{CAMPAIGNS}{c.pk}/steps/nothing/")

    assert refused.status_code == 400
    assert "目前处于“筹备”环节" in refused.json()["step"][0]
    assert unknown.status_code == 404
    assert Campaign.objects.get(pk=c.pk).step == CampaignStep.PREPARING


def test_a_campaign_with_an_unknown_kind_is_a_400_on_that_field(zone_admin):
    response = api_as(zone_admin).post(
        CAMPAIGNS,
        {"name": "错", "year": 2025, "rubric": default_rubric().pk, "kinds": ["club"]},
        format="json",
    )
    assert response.status_code == 400
    assert "kinds" in response.json()
    assert not Campaign.objects.exists()


def test_the_leader_reads_campaigns_but_does_not_run_them(zone, leader):
    c = campaign(zone)
    client = api_as(leader)

    assert client.get(f"{CAMPAIGNS}{c.pk}/").status_code == 200
    response = client.post(f"{CAMPAIGNS}{c.pk}/steps/open_self_assessment/")

    assert response.status_code == 403
    assert response.json()["detail"] == "您没有组织评星活动的权限"
    assert Campaign.objects.get(pk=c.pk).step == CampaignStep.PREPARING


def test_a_started_campaign_cannot_be_deleted(zone, zone_admin):
    c = run_to("self", zone)
    response = api_as(zone_admin).delete(f"{CAMPAIGNS}{c.pk}/")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["评星活动已开始，不能删除"]}


# -- assessments --------------------------------------------------------------------------------
def assessment_of(c, organization):
    return c.assessments.get(organization=organization)


def test_a_secretary_files_their_self_assessment_and_submits_it(zone, secretary_a):
    c = run_to("self", zone)
    mine = assessment_of(c, zone.branch_a1)
    client = api_as(secretary_a)
    detail = client.get(f"{ASSESSMENTS}{mine.pk}/").json()
    assert detail["organization_name"] == "甲一党支部" and detail["status_label"] == "待自评"
    assert detail["figures"] and all("label" in f for f in detail["figures"])
    rows = [{"item": i["id"], "self_score": i["points"], "self_note": "已落实"} for i in detail["items"]]

    saved = client.post(f"{ASSESSMENTS}{mine.pk}/self/", {"brand": "红色引擎", "items": rows}, format="json")
    submitted = client.post(f"{ASSESSMENTS}{mine.pk}/steps/submit/", {"on": "2025-11-10"})

    assert saved.status_code == 200, saved.json()
    assert (saved.json()["brand"], saved.json()["self_score"]) == ("红色引擎", "100.0")
    assert submitted.status_code == 200, submitted.json()
    assert (submitted.json()["status"], submitted.json()["submitted_on"]) == ("submitted", "2025-11-10")
    again = client.post(f"{ASSESSMENTS}{mine.pk}/self/", {"self_summary": "再改"}, format="json")
    assert again.status_code == 400
    assert "不能再修改" in again.json()["non_field_errors"][0]


def test_a_self_score_above_the_items_points_is_a_400_and_changes_nothing(zone, secretary_a):
    c = run_to("self", zone)
    mine = assessment_of(c, zone.branch_a1)
    entry = mine.items.select_related("item").first()

    response = api_as(secretary_a).post(
        f"{ASSESSMENTS}{mine.pk}/self/",
        {"self_summary": "说明", "items": [{"item": entry.pk, "self_score": str(entry.item.points + 1)}]},
        format="json",
    )

    assert response.status_code == 400
    assert "self_score" in response.json()
    mine.refresh_from_db()
    assert mine.self_summary == "" and mine.items.filter(self_score__isnull=False).count() == 0


def test_patch_writes_the_brand_and_summary_through_the_self_assessment(zone, secretary_a):
    c = run_to("self", zone)
    mine = assessment_of(c, zone.branch_a1)

    response = api_as(secretary_a).patch(
        f"{ASSESSMENTS}{mine.pk}/", {"self_summary": "总体落实"}, format="json"
    )

    assert response.status_code == 200, response.json()
    mine.refresh_from_db()
    assert mine.self_summary == "总体落实"


def test_an_assessment_is_not_created_or_deleted_through_the_api(zone, zone_admin):
    c = run_to("self", zone)
    client = api_as(zone_admin)
    created = client.post(ASSESSMENTS, {"campaign": c.pk, "organization": zone.branch_a1.pk}, format="json")
    deleted = client.delete(f"{ASSESSMENTS}{assessment_of(c, zone.branch_a1).pk}/")
    assert created.status_code == 403
    assert deleted.status_code in (403, 405)
    assert Assessment.objects.count() == 3


def test_the_zone_reviews_with_a_veto_and_the_result_is_capped(zone, zone_admin):
    c = run_to("review", zone)
    target = assessment_of(c, zone.branch_b)
    rows = score_all(target, review=1)
    finding = target.vetoes.first()

    response = api_as(zone_admin).post(
        f"{ASSESSMENTS}{target.pk}/review/",
        {
            "on": "2025-11-20",
            "items": [
                {**r, "review_score": str(r["review_score"]), "review_methods": ["site"]} for r in rows
            ],
            "vetoes": [{"finding": finding.pk, "found": True, "note": "2025年发生安全事故"}],
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["review_score"], body["veto"], body["computed_stars"]) == (
        "reviewed",
        "100.0",
        True,
        1,
    )
    assert [v["found"] for v in body["vetoes"] if v["id"] == finding.pk] == [True]


def test_a_veto_found_without_a_note_is_refused(zone, zone_admin):
    c = run_to("review", zone)
    target = assessment_of(c, zone.branch_b)
    finding = target.vetoes.first()
    response = api_as(zone_admin).post(
        f"{ASSESSMENTS}{target.pk}/review/",
        {"vetoes": [{"finding": finding.pk, "found": True}]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["vetoes"] == [f"认定“{finding.veto}”须写明核实情况"]
    assert Assessment.objects.get(pk=target.pk).status == AssessmentStatus.SUBMITTED


def test_a_secretary_cannot_review_their_own_assessment(zone, secretary_a):
    c = run_to("review", zone)
    mine = assessment_of(c, zone.branch_a1)
    response = api_as(secretary_a).post(
        f"{ASSESSMENTS}{mine.pk}/review/", {"items": score_all(mine, review=1)}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "您没有评审评星申报的权限"
    assert Assessment.objects.get(pk=mine.pk).status == AssessmentStatus.SUBMITTED


def test_the_zone_returns_an_assessment_with_a_reason(zone, zone_admin):
    c = run_to("review", zone)
    target = assessment_of(c, zone.branch_b)
    client = api_as(zone_admin)

    missing = client.post(f"{ASSESSMENTS}{target.pk}/steps/return/", {})
    returned = client.post(f"{ASSESSMENTS}{target.pk}/steps/return/", {"reason": "佐证材料不全"})

    assert missing.status_code == 400 and missing.json() == {"reason": ["退回须说明原因"]}
    assert returned.status_code == 200
    assert (returned.json()["status"], returned.json()["returned_reason"]) == ("returned", "佐证材料不全")


def test_the_leader_decides_a_jump_only_with_a_reason(zone, zone_admin, leader):
    StarRating.objects.create(organization=zone.branch_b, year=2023, stars=2)
    c = run_to("decision", zone)
    target = assessment_of(c, zone.branch_b)
    assert target.computed_stars == 4

    refused = api_as(leader).post(f"{ASSESSMENTS}{target.pk}/steps/decide/", {})
    by_admin = api_as(zone_admin).post(f"{ASSESSMENTS}{target.pk}/steps/decide/", {"reason": "x"})
    decided = api_as(leader).post(f"{ASSESSMENTS}{target.pk}/steps/decide/", {"reason": "整改成效显著"})

    assert refused.status_code == 400
    assert "跨越了 2 级" in refused.json()["reason"][0]
    assert by_admin.status_code == 403
    assert decided.status_code == 200, decided.json()
    assert (decided.json()["stars"], decided.json()["stars_label"]) == (4, "四星级")


def test_objections_are_recorded_and_answered_during_the_notice(zone, zone_admin):
    c = run_to("notice", zone)
    target = assessment_of(c, zone.branch_b)
    client = api_as(zone_admin)

    late = client.post(
        f"{ASSESSMENTS}{target.pk}/objections/", {"received_on": "2026-01-05", "content": "不实"}
    )
    added = client.post(
        f"{ASSESSMENTS}{target.pk}/objections/",
        {"received_on": OPEN.isoformat(), "raised_by": "群众", "content": "材料不实"},
    )

    assert late.status_code == 400 and "不在公示期内" in late.json()["received_on"][0]
    assert added.status_code == 201, added.json()
    objection = Objection.objects.get()
    assert [o["content"] for o in added.json()["objections"]] == ["材料不实"]

    unanswered = client.post(
        f"{ASSESSMENTS}{target.pk}/objections/{objection.pk}/answer/", {"answer": "经核实"}
    )
    answered = client.post(
        f"{ASSESSMENTS}{target.pk}/objections/{objection.pk}/answer/",
        {"answer": "经核实不成立", "upheld": False, "answered_on": OPEN.isoformat()},
        format="json",
    )
    other = assessment_of(c, zone.branch_a1)
    elsewhere = client.post(f"{ASSESSMENTS}{other.pk}/objections/{objection.pk}/answer/", {"answer": "x"})

    assert unanswered.status_code == 400 and unanswered.json() == {"upheld": ["请选择异议是否成立"]}
    assert answered.status_code == 200, answered.json()
    assert answered.json()["objections"][0]["answer"] == "经核实不成立"
    assert elsewhere.status_code == 404
    assert [e["label"] for e in answered.json()["events"]][-2:] == ["收到异议", "答复异议"]


# -- star ratings -------------------------------------------------------------------------------
def test_imported_star_ratings_are_created_changed_and_deleted(zone, zone_admin):
    client = api_as(zone_admin)
    created = client.post(
        RATINGS, {"organization": zone.branch_b.pk, "year": 2023, "stars": 3, "score": "75"}, format="json"
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["stars_label"], body["source"], body["organization_name"]) == (
        "三星级",
        "ledger",
        "乙企业党支部",
    )

    changed = client.patch(f"{RATINGS}{body['id']}/", {"stars": 4}, format="json")
    assert changed.status_code == 200
    assert StarRating.objects.get().stars == 4 and StarRating.objects.get().score == 75

    assert client.delete(f"{RATINGS}{body['id']}/").status_code == 204
    assert not StarRating.objects.exists()


def test_a_star_rating_out_of_range_is_a_400_naming_the_field(zone, zone_admin):
    response = api_as(zone_admin).post(
        RATINGS, {"organization": zone.branch_b.pk, "year": 2023, "stars": 6, "score": "101"}, format="json"
    )
    assert response.status_code == 400
    assert {"stars", "score"} <= set(response.json())
    assert not StarRating.objects.exists()


def test_a_second_result_for_the_same_year_is_a_chinese_400(zone, zone_admin):
    StarRating.objects.create(organization=zone.branch_b, year=2023, stars=3)
    response = api_as(zone_admin).post(
        RATINGS, {"organization": zone.branch_b.pk, "year": 2023, "stars": 4}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["包含 党组织 和 评定年度 的 评星结果 已经存在。"]}
    assert StarRating.objects.get().stars == 3


def test_a_result_named_by_a_campaign_is_neither_changed_nor_deleted(zone, zone_admin):
    run_to("named", zone)
    rating = StarRating.objects.get(organization=zone.branch_b)
    assert rating.source == RatingSource.CAMPAIGN
    client = api_as(zone_admin)

    changed = client.patch(f"{RATINGS}{rating.pk}/", {"stars": 5}, format="json")
    deleted = client.delete(f"{RATINGS}{rating.pk}/")

    assert changed.status_code == 400
    assert "已由评星活动" in changed.json()["year"][0]
    assert deleted.status_code == 400
    assert deleted.json() == {"non_field_errors": ["评星活动命名的结果不能删除"]}
    assert StarRating.objects.get(pk=rating.pk).stars == 4


def test_star_ratings_filter_by_year_stars_and_organization(zone, zone_admin):
    StarRating.objects.create(organization=zone.branch_b, year=2023, stars=3)
    StarRating.objects.create(organization=zone.branch_b, year=2021, stars=2)
    StarRating.objects.create(organization=zone.branch_a1, year=2023, stars=5)
    client = api_as(zone_admin)

    def names(query):
        return sorted(
            (r["organization_name"], r["year"]) for r in client.get(RATINGS + query).json()["results"]
        )

    assert names("?year=2023") == [("乙企业党支部", 2023), ("甲一党支部", 2023)]
    assert names("?stars=5") == [("甲一党支部", 2023)]
    assert names(f"?organization={zone.branch_b.pk}") == [("乙企业党支部", 2021), ("乙企业党支部", 2023)]


def test_a_secretary_reads_the_stars_of_their_subtree_and_writes_none(zone, secretary_a):
    mine = StarRating.objects.create(organization=zone.branch_a1, year=2023, stars=3)
    theirs = StarRating.objects.create(organization=zone.branch_b, year=2023, stars=3)
    client = api_as(secretary_a)

    assert [r["id"] for r in client.get(RATINGS).json()["results"]] == [mine.pk]
    assert client.get(f"{RATINGS}{theirs.pk}/").status_code == 404
    created = client.post(
        RATINGS, {"organization": zone.branch_a1.pk, "year": 2021, "stars": 3}, format="json"
    )
    assert created.status_code == 403
    assert StarRating.objects.count() == 2


def test_the_schema_describes_the_rating_resources(client, zone_admin):
    client.force_login(zone_admin)
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    for path in (
        b"/api/v1/rating-rubrics/{id}/copy/",
        b"/api/v1/rating-campaigns/{id}/steps/{step}/",
        b"/api/v1/rating-assessments/{id}/self/",
        b"/api/v1/rating-assessments/{id}/review/",
        b"/api/v1/rating-assessments/{id}/objections/{objection}/answer/",
        b"/api/v1/star-ratings/",
    ):
        assert path in schema.content


def test_an_upheld_objection_changes_the_stars_and_the_campaign_is_then_named(zone, zone_admin, leader):
    c = run_to("notice", zone)
    target = assessment_of(c, zone.branch_b)
    api_as(zone_admin).post(
        f"{ASSESSMENTS}{target.pk}/objections/", {"received_on": OPEN.isoformat(), "content": "分数偏高"}
    )
    objection = Objection.objects.get()
    early = api_as(leader).post(f"{CAMPAIGNS}{c.pk}/steps/name/", {"on": "2025-11-10"})

    # answering is the reviewer's, changing the stars the committee's: one who holds both
    both = make_user("zone_admin", organization=zone.root)
    Grant.objects.create(user=both, role=Role.objects.get(code="leader"), organization=zone.root)
    answered = api_as(both).post(
        f"{ASSESSMENTS}{target.pk}/objections/{objection.pk}/answer/",
        {
            "answer": "经核实扣分",
            "upheld": True,
            "stars": 3,
            "reason": "经核实扣分",
            "answered_on": "2025-11-05",
        },
        format="json",
    )
    too_soon = api_as(zone_admin).post(f"{CAMPAIGNS}{c.pk}/steps/name/", {"on": c.notice_end.isoformat()})
    named = api_as(zone_admin).post(
        f"{CAMPAIGNS}{c.pk}/steps/name/", {"on": "2025-11-10", "document_number": "党工委〔2025〕8号"}
    )

    assert early.status_code == 403  # the leader decides, the zone names
    assert answered.status_code == 200, answered.json()
    assert (answered.json()["stars"], answered.json()["objections"][0]["upheld"]) == (3, True)
    assert too_soon.status_code == 400 and "命名日期应在其后" in too_soon.json()["on"][0]
    assert named.status_code == 200, named.json()
    assert (named.json()["step"], named.json()["document_number"]) == ("named", "党工委〔2025〕8号")
    assert StarRating.objects.get(organization=zone.branch_b, year=2025).stars == 3


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def evidence(name="会议记录.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4 evidence", content_type="application/pdf")


def test_a_secretary_uploads_evidence_for_an_item_and_deletes_it_while_filing(zone, secretary_a, media):
    c = run_to("self", zone)
    mine = assessment_of(c, zone.branch_a1)
    entry = mine.items.first()
    client = api_as(secretary_a)

    uploaded = client.post(
        f"{ASSESSMENTS}{mine.pk}/files/", {"file": evidence(), "name": "支委会记录", "item": entry.pk}
    )

    assert uploaded.status_code == 201, uploaded.json()
    [row] = uploaded.json()["files"]
    assert (row["name"], row["item"], row["stage_label"]) == ("支委会记录", entry.pk, "自评佐证")
    assert row["url"].startswith("/") and "media" not in row["url"]  # the scoped download, never a media URL
    removed = client.post(f"{ASSESSMENTS}{mine.pk}/files/{row['id']}/delete/")
    assert removed.status_code == 200 and removed.json()["files"] == []


def test_evidence_is_refused_for_another_organization_an_item_elsewhere_or_the_review(
    zone, secretary_a, media
):
    c = run_to("self", zone)
    mine, theirs = assessment_of(c, zone.branch_a1), assessment_of(c, zone.branch_b)
    client = api_as(secretary_a)

    elsewhere = client.post(f"{ASSESSMENTS}{theirs.pk}/files/", {"file": evidence()})
    other_item = client.post(
        f"{ASSESSMENTS}{mine.pk}/files/",
        {"file": evidence(), "item": assessment_of(c, zone.branch_a2).items.first().pk},
    )
    review = client.post(f"{ASSESSMENTS}{mine.pk}/files/", {"file": evidence(), "stage": "review"})

    assert elsewhere.status_code == 404
    assert other_item.status_code == 400 and other_item.json() == {"item": ["评分项不属于这份申报"]}
    assert review.status_code == 403
    assert not mine.files.exists() and not theirs.files.exists()


def test_evidence_is_kept_once_the_self_assessment_is_submitted(zone, secretary_a, media):
    c = run_to("self", zone)
    mine = assessment_of(c, zone.branch_a1)
    client = api_as(secretary_a)
    row = client.post(f"{ASSESSMENTS}{mine.pk}/files/", {"file": evidence()}).json()["files"][0]
    services.assessment_save(actor=None, assessment=mine, items=score_all(mine, self_score=1))
    services.assessment_submit(actor=None, assessment=mine, on=OPEN)

    refused = client.post(f"{ASSESSMENTS}{mine.pk}/files/{row['id']}/delete/")

    assert refused.status_code == 400
    assert "不能再修改" in refused.json()["non_field_errors"][0]
    assert mine.files.count() == 1


def test_the_statistics_of_a_year_through_the_api(zone, zone_admin, secretary_a):
    run_to("named", zone)
    StarRating.objects.create(organization=zone.branch_b, year=2023, stars=2)
    client = APIClient()
    client.force_authenticate(zone_admin)
    data = client.get("/api/v1/star-ratings/statistics/", {"year": 2025}).json()
    assert data["total"] == 3
    assert [(level["label"], level["count"]) for level in data["levels"]][1] == ("四星级", 3)
    assert {f["code"]: f["value"] for f in data["figures"]} == {
        "ratings.nonpublic_four_five_star_rate": 100.0,
        "ratings.five_star": 0,
    }
    assert [m["organization_name"] for m in data["up"]] == ["乙企业党支部"] and data["down"] == []
    client.force_authenticate(secretary_a)
    mine = client.get("/api/v1/star-ratings/statistics/", {"year": 2025}).json()
    assert mine["total"] == 2 and mine["up"] == []
    refused = client.get("/api/v1/star-ratings/statistics/", {"year": 2025, "scope": zone.branch_b.pk})
    assert refused.status_code == 400 and "scope" in refused.json()
    bad = client.get("/api/v1/star-ratings/statistics/", {"year": "去年"})
    assert bad.status_code == 400 and "year" in bad.json()
