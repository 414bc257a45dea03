"""The star rating's back office: each page opens for whom it is for, a secretary reaches only
their own organization's assessment, self scores are saved through the work page (and a score
out of range is refused in Chinese, nothing changed), the steps work and a refused step says why."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.core.testing.english import english_words
from dangjian.organizations.models import OrgKind, UnitNature
from dangjian.ratings import figures, services
from dangjian.ratings.models import (
    Assessment,
    AssessmentFile,
    AssessmentStatus,
    Campaign,
    CampaignStep,
    Objection,
    RatingSource,
    Rubric,
    StarRating,
    number,
)
from dangjian.testing.factories import make_user

from .factories import OPEN, default_rubric, run_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(zone):
    return make_user("leader", organization=zone.root)


def signed_in(client, user):
    client.force_login(user)
    return client


def page(client, url, status=200):
    """The page at `url` (its text when it opens: no English on it)."""
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    if status != 200:
        return response
    text = response.content.decode()
    assert not english_words(text), (url, english_words(text))
    return text


def work_data(assessment, **values):
    """The work page's fields as shown, with `values` ({name: value}) changed."""
    data = {"brand": assessment.brand, "self_summary": assessment.self_summary}
    for entry in assessment.items.all():
        data[f"self_score-{entry.pk}"] = "" if entry.self_score is None else str(entry.self_score)
        data[f"self_note-{entry.pk}"] = entry.self_note
    data.update(values)
    return data


def review_data(assessment, share=1, **values):
    data = {"brand": assessment.brand, "review_note": "材料齐全"}
    for entry in assessment.items.select_related("item"):
        data[f"review_score-{entry.pk}"] = str((entry.item.points * Decimal(share)).quantize(Decimal("0.1")))
        data[f"review_methods-{entry.pk}"] = ["documents", "site"]
        data[f"review_note-{entry.pk}"] = "属实"
    for finding in assessment.vetoes.all():
        data[f"found-{finding.pk}"] = ""
        data[f"finding_note-{finding.pk}"] = ""
    data.update(values)
    return data


def url(name, *args):
    from django.urls import reverse

    return reverse(f"admin:{name}", args=args)


# -- pages open ---------------------------------------------------------------------------------
def test_the_pages_open_for_the_zone_admin_and_the_leader(client, zone, zone_admin, leader):
    campaign = run_to("named", zone)
    assessment = campaign.assessments.first()
    rating = StarRating.objects.first()
    rubric = campaign.rubric
    for user in (zone_admin, leader):
        signed_in(client, user)
        for address in (
            url("ratings_rubric_changelist"),
            url("ratings_rubric_change", rubric.pk),
            url("ratings_campaign_changelist"),
            url("ratings_campaign_change", campaign.pk),
            url("ratings_campaign_notice", campaign.pk),
            url("ratings_assessment_changelist"),
            url("ratings_assessment_change", assessment.pk),
            url("ratings_starrating_changelist"),
            url("ratings_starrating_change", rating.pk),
            url("organizations_partyorganization_change", zone.branch_a1.pk),
        ):
            page(client, address)
    signed_in(client, leader)
    client_copy = services.rubric_copy(actor=None, rubric=rubric)
    text = page(client, url("ratings_rubric_change", client_copy.pk))  # unused, but read-only to the leader
    assert "查资料" in text and 'name="items-0-points"' not in text
    signed_in(client, zone_admin)
    page(client, url("ratings_rubric_add"))
    page(client, url("ratings_campaign_add"))
    assert client.get(url("ratings_starrating_export")).status_code == 200


def test_the_sidebar_has_the_star_rating_for_each_role(client, zone, zone_admin, secretary_a):
    text = page(signed_in(client, zone_admin), "/admin/")
    assert "评星晋级" in text
    for title in ("评星申报", "评星活动", "评星结果", "评星标准"):
        assert title in text
    text = page(signed_in(client, secretary_a), "/admin/")
    assert "评星申报" in text and "评星结果" in text
    assert "评星标准" not in text and "评星活动" not in text


def test_a_secretary_sees_only_their_own_assessments(client, zone, secretary_a):
    campaign = run_to("self", zone)
    mine = Assessment.objects.get(campaign=campaign, organization=zone.branch_a1)
    other = Assessment.objects.get(campaign=campaign, organization=zone.branch_b)
    signed_in(client, secretary_a)
    text = page(client, url("ratings_assessment_changelist"))
    assert "甲一党支部" in text and "甲二党支部" in text and "乙企业党支部" not in text
    text = page(client, url("ratings_assessment_change", mine.pk))
    assert "系统数据" in text and "查看记录" in text and "保存自评" in text and "提交自评" in text
    assert "/step/return/" not in text and "/step/decide/" not in text
    page(client, url("ratings_assessment_change", other.pk), 404)
    page(client, url("ratings_assessment_step", other.pk, "submit"), 404)
    for address in (
        url("ratings_rubric_changelist"),
        url("ratings_rubric_change", campaign.rubric.pk),
        url("ratings_campaign_changelist"),
        url("ratings_campaign_change", campaign.pk),
        url("ratings_campaign_notice", campaign.pk),
    ):
        page(client, address, 403)


# -- the secretary's work page -------------------------------------------------------------------
def test_a_secretary_saves_self_scores_on_the_work_page(client, zone, secretary_a):
    campaign = run_to("self", zone)
    assessment = Assessment.objects.get(campaign=campaign, organization=zone.branch_a1)
    first, second = assessment.items.select_related("item")[:2]
    signed_in(client, secretary_a)
    response = client.post(
        url("ratings_assessment_change", assessment.pk),
        work_data(
            assessment,
            brand="红色引擎",
            **{
                f"self_score-{first.pk}": "3",
                f"self_note-{first.pk}": "班子健全",
                f"self_score-{second.pk}": "2.5",
            },
        ),
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assessment.refresh_from_db()
    assert (first.self_score, first.self_note) == (Decimal(3), "班子健全")
    assert assessment.self_score == Decimal("5.5") and assessment.brand == "红色引擎"
    assert assessment.status == AssessmentStatus.PENDING  # a draft until submitted


def test_an_out_of_range_self_score_is_refused_in_chinese_and_nothing_changes(client, zone, secretary_a):
    campaign = run_to("self", zone)
    assessment = Assessment.objects.get(campaign=campaign, organization=zone.branch_a1)
    first, second = assessment.items.select_related("item")[:2]
    signed_in(client, secretary_a)
    response = client.post(
        url("ratings_assessment_change", assessment.pk),
        work_data(assessment, **{f"self_score-{first.pk}": "1", f"self_score-{second.pk}": "999"}),
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert f"“{second.item.name}”的自评分应在 0 到 {number(second.item.points)} 之间（填写的是 999）" in text
    assert 'value="999"' in text  # what was entered is kept on the page
    first.refresh_from_db()
    assert first.self_score is None


def test_a_secretary_submits_and_the_page_turns_read_only(client, zone, secretary_a):
    campaign = run_to("self", zone)
    assessment = Assessment.objects.get(campaign=campaign, organization=zone.branch_a1)
    signed_in(client, secretary_a)
    # a refused step shows the service's Chinese reason on the step's form
    response = client.post(url("ratings_assessment_step", assessment.pk, "submit"), {"on": "2025-11-10"})
    assert response.status_code == 200
    assert f"还有 {assessment.items.count()} 项未自评打分" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.PENDING
    data = work_data(assessment, **{f"self_score-{e.pk}": "1" for e in assessment.items.all()})
    assert client.post(url("ratings_assessment_change", assessment.pk), data).status_code == 302
    response = client.post(url("ratings_assessment_step", assessment.pk, "submit"), {"on": "2025-11-10"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    text = page(client, url("ratings_assessment_change", assessment.pk))
    assert "保存自评" not in text and "/step/submit/" not in text and "上传材料" not in text
    assert client.post(url("ratings_assessment_change", assessment.pk), data).status_code == 403


def test_a_secretary_refreshes_the_figures_and_uploads_evidence(
    client, zone, secretary_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    campaign = run_to("self", zone)
    assessment = Assessment.objects.get(campaign=campaign, organization=zone.branch_a1)
    signed_in(client, secretary_a)
    assert (
        client.post(
            url("ratings_assessment_step", assessment.pk, "refresh"), {"on": "2025-11-12"}
        ).status_code
        == 302
    )
    assert set(assessment.figures.values_list("taken_on", flat=True)) == {datetime.date(2025, 11, 12)}
    entry = assessment.items.first()
    response = client.post(
        url("ratings_assessment_file", assessment.pk),
        {
            "file": SimpleUploadedFile("班子会议记录.pdf", b"%PDF-1.4"),
            "name": "班子会议记录",
            "item": entry.pk,
        },
    )
    assert response.status_code == 302
    record = AssessmentFile.objects.get()
    assert (record.item, record.stage, record.uploaded_by) == (entry, "self", secretary_a)
    text = page(client, url("ratings_assessment_change", assessment.pk))
    assert record.file.url in text and "班子会议记录" in text
    assert client.get(record.file.url).status_code == 200
    delete = url("ratings_assessment_file_delete", assessment.pk, record.pk)
    assert delete in text
    assert client.post(delete).status_code == 302
    assert not AssessmentFile.objects.exists()


# -- review, decision, 公示 ------------------------------------------------------------------------
def test_the_zone_admin_reviews_returns_and_the_leader_decides(client, zone, zone_admin, leader):
    campaign = run_to("review", zone)
    assessment = Assessment.objects.get(campaign=campaign, organization=zone.branch_a1)
    signed_in(client, zone_admin)
    text = page(client, url("ratings_assessment_change", assessment.pk))
    assert (
        "保存评审" in text
        and "/step/return/" in text
        and "一票否决核查" in text
        and "/step/submit/" not in text
    )
    # returning needs a reason
    response = client.post(
        url("ratings_assessment_step", assessment.pk, "return"), {"on": "2025-11-20", "reason": ""}
    )
    assert "退回须说明原因" in response.content.decode()
    response = client.post(
        url("ratings_assessment_change", assessment.pk), review_data(assessment, share="1")
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.status, assessment.review_score, assessment.computed_stars) == (
        "reviewed",
        Decimal(100),
        4,
    )
    entry = assessment.items.first()
    assert entry.review_methods == ["documents", "site"] and entry.review_note == "属实"
    for other in campaign.assessments.exclude(pk=assessment.pk):
        services.assessment_review(
            actor=None,
            assessment=other,
            items=[{"item": e.pk, "review_score": e.item.points} for e in other.items.select_related("item")],
        )
    text = page(client, url("ratings_campaign_change", campaign.pk))
    assert "结束评审，提交评定" in text and "按标准评定全部" not in text  # the leader's
    assert (
        client.post(
            url("ratings_campaign_step", campaign.pk, "open_decision"), {"on": "2025-11-25"}
        ).status_code
        == 302
    )
    campaign.refresh_from_db()
    assert campaign.step == CampaignStep.DECISION
    # the zone administrator does not decide: no button, and the step is refused
    assert "/step/decide/" not in page(client, url("ratings_assessment_change", assessment.pk))
    assert client.get(url("ratings_assessment_step", assessment.pk, "decide")).status_code == 403

    signed_in(client, leader)
    text = page(client, url("ratings_assessment_change", assessment.pk))
    assert "/step/decide/" in text and "保存评审" not in text and "/step/return/" not in text
    # a result other than the computed one needs its reason
    response = client.post(
        url("ratings_assessment_step", assessment.pk, "decide"), {"on": "2025-11-26", "stars": "5"}
    )
    assert "按标准为四星级，评定为五星级须写明理由" in response.content.decode()
    response = client.post(
        url("ratings_assessment_step", assessment.pk, "decide"), {"on": "2025-11-26", "stars": "4"}
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.status, assessment.stars) == ("decided", 4)
    text = page(client, url("ratings_campaign_change", campaign.pk))
    assert "按标准评定全部" in text and "开始公示" not in text
    assert (
        client.post(
            url("ratings_campaign_step", campaign.pk, "open_notice"), {"on": "2025-11-27"}
        ).status_code
        == 403
    )


def test_a_refused_campaign_step_shows_the_chinese_reason(client, zone, zone_admin):
    campaign = run_to("review", zone)
    signed_in(client, zone_admin)
    response = client.post(url("ratings_campaign_step", campaign.pk, "open_decision"), {"on": "2025-11-25"})
    assert response.status_code == 200
    assert "还有组织未完成评审" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.step == CampaignStep.REVIEW


def test_objections_are_recorded_and_answered_during_the_notice(client, zone, zone_admin, leader):
    campaign = run_to("notice", zone)
    assessment = Assessment.objects.get(campaign=campaign, organization=zone.branch_a1)
    signed_in(client, zone_admin)
    text = page(client, url("ratings_campaign_notice", campaign.pk))
    assert "甲一党支部" in text and "四星级" in text and "异议数" in text
    assert "登记异议" in page(client, url("ratings_assessment_change", assessment.pk))
    response = client.post(
        url("ratings_objection_add", assessment.pk),
        {"received_on": "2025-01-01", "raised_by": "", "content": "活动台账不全"},
    )
    assert "不在公示期内" in response.content.decode()
    response = client.post(
        url("ratings_objection_add", assessment.pk),
        {"received_on": f"{campaign.notice_start:%Y-%m-%d}", "raised_by": "", "content": "活动台账不全"},
    )
    assert response.status_code == 302
    objection = Objection.objects.get()
    text = page(client, url("ratings_assessment_change", assessment.pk))
    assert "活动台账不全" in text and url("ratings_objection_answer", assessment.pk, objection.pk) in text
    # naming waits for the answer
    named_on = f"{campaign.notice_end + datetime.timedelta(days=1):%Y-%m-%d}"
    response = client.post(url("ratings_campaign_step", campaign.pk, "name"), {"on": named_on})
    assert "条公示异议未答复" in response.content.decode()
    answer = url("ratings_objection_answer", assessment.pk, objection.pk)
    assert 'name="stars"' not in page(client, answer)  # changing the stars is the leader's
    response = client.post(
        answer,
        {"answered_on": f"{campaign.notice_start:%Y-%m-%d}", "answer": "经核实台账齐全", "upheld": "0"},
    )
    assert response.status_code == 302
    objection.refresh_from_db()
    assert (objection.upheld, objection.answer) == (False, "经核实台账齐全")
    response = client.post(
        url("ratings_campaign_step", campaign.pk, "name"),
        {"on": named_on, "document_number": "高新党工委〔2025〕8号"},
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.step, campaign.document_number) == ("named", "高新党工委〔2025〕8号")
    signed_in(client, leader)
    assert "登记异议" not in page(client, url("ratings_assessment_change", assessment.pk))


def test_the_leader_answers_an_objection_and_changes_the_stars(client, zone, leader):
    campaign = run_to("notice", zone)
    assessment = Assessment.objects.get(campaign=campaign, organization=zone.branch_a1)
    objection = services.objection_add(
        actor=None, assessment=assessment, received_on=campaign.notice_start, content="安全生产事故未如实报告"
    )
    signed_in(client, leader)
    answer = url("ratings_objection_answer", assessment.pk, objection.pk)
    assert answer in page(client, url("ratings_assessment_change", assessment.pk))
    assert 'name="stars"' in page(client, answer)
    response = client.post(
        answer,
        {
            "answered_on": f"{campaign.notice_start:%Y-%m-%d}",
            "answer": "经核实异议成立",
            "upheld": "1",
            "stars": "3",
            "reason": "",
        },
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.stars == 3 and assessment.decision_reason == "经核实异议成立"


def test_the_word_documents_download(client, zone, zone_admin):
    campaign = run_to("named", zone)
    signed_in(client, zone_admin)
    page = client.get(url("ratings_campaign_change", campaign.pk)).content.decode()
    assert "公示通知（Word）" in page and "命名文件（Word）" in page
    for name in ("ratings_notice_document", "ratings_naming_document"):
        response = client.get(url(name, campaign.pk))
        assert response.status_code == 200
        assert ".docx" in response["Content-Disposition"]
        assert response.content[:2] == b"PK"


def test_a_document_not_yet_due_is_neither_offered_nor_served(client, zone, zone_admin):
    campaign = run_to("notice", zone)
    signed_in(client, zone_admin)
    page = client.get(url("ratings_campaign_change", campaign.pk)).content.decode()
    assert "公示通知（Word）" in page and "命名文件（Word）" not in page
    response = client.get(url("ratings_naming_document", campaign.pk), follow=True)
    assert response.status_code == 200
    assert "尚未命名，不能生成命名文件" in response.content.decode()


# -- rubrics --------------------------------------------------------------------------------------
def rubric_form(rubric, **changes):
    """The rubric's change form as shown, as POST data."""
    data = {"name": rubric.name, "description": rubric.description}
    for prefix, rows, names in (
        ("items", rubric.items.all(), ("position", "area", "name", "points", "evidence", "deductions")),
        ("thresholds", rubric.thresholds.all(), ("stars", "min_score")),
        ("vetoes", rubric.vetoes.all(), ("position", "name", "cap_stars")),
    ):
        rows = list(rows)
        data.update({f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": len(rows)})
        for i, row in enumerate(rows):
            data[f"{prefix}-{i}-id"] = row.pk
            data[f"{prefix}-{i}-rubric"] = rubric.pk
            for name in names:
                data[f"{prefix}-{i}-{name}"] = getattr(row, name)
            if prefix == "items":
                data[f"{prefix}-{i}-methods"] = row.methods
                data[f"{prefix}-{i}-measures"] = row.measures
            if prefix == "thresholds" and row.requires_brand:
                data[f"{prefix}-{i}-requires_brand"] = "on"
    data.update(changes)
    return data


def test_a_rubric_is_edited_as_tables_and_a_used_one_is_copied(client, zone, zone_admin):
    rubric = default_rubric()
    signed_in(client, zone_admin)
    copy_url = url("ratings_rubric_copy", rubric.pk)
    response = client.post(copy_url)
    copy = Rubric.objects.get(name=rubric.name, version=2)
    assert response.status_code == 302 and response.url == url("ratings_rubric_change", copy.pk)
    text = page(client, url("ratings_rubric_change", copy.pk))
    assert "评分细则" in text and "星级分数线" in text and "一票否决项" in text and "查资料" in text
    assert "可用于评星活动" in text and "合计" in text
    first = copy.items.order_by("position").first()
    data = rubric_form(copy, **{"items-0-points": str(first.points + 1), "items-0-methods": ["site"]})
    response = client.post(url("ratings_rubric_change", copy.pk), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    first.refresh_from_db()
    assert first.points == rubric.items.order_by("position").first().points + 1 and first.methods == ["site"]
    text = page(client, url("ratings_rubric_change", copy.pk))
    assert "各项分值之和应为 100 分" in text
    # in use: read-only, the copy button offered
    run_to("self", zone, rubric=rubric)
    text = page(client, url("ratings_rubric_change", rubric.pk))
    assert "复制为新版本" in text and "不能再修改" in text and 'name="items-0-points"' not in text


def test_a_rubric_row_out_of_rule_is_refused_and_nothing_changes(client, zone, zone_admin):
    signed_in(client, zone_admin)
    client.post(url("ratings_rubric_copy", default_rubric().pk))
    copy = Rubric.objects.get(version=2)
    before = list(copy.items.values_list("points", flat=True))
    data = rubric_form(copy, **{"items-0-points": "5", "items-1-position": "1"})
    response = client.post(url("ratings_rubric_change", copy.pk), data, follow=True)
    assert "序号" in response.content.decode()
    assert list(copy.items.values_list("points", flat=True)) == before


# -- campaigns, results ---------------------------------------------------------------------------
def test_a_campaign_is_added_with_kinds_and_natures_as_boxes(client, zone, zone_admin):
    signed_in(client, zone_admin)
    text = page(client, url("ratings_campaign_add"))
    assert 'type="checkbox"' in text and "非公企业" in text
    response = client.post(
        url("ratings_campaign_add"),
        {
            "name": "2026年度评星晋级",
            "year": 2026,
            "rubric": default_rubric().pk,
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "kinds": [OrgKind.BRANCH],
            "natures": [UnitNature.NON_PUBLIC],
            "events-TOTAL_FORMS": 0,
            "events-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    campaign = Campaign.objects.get()
    assert (campaign.kinds, campaign.natures) == ([OrgKind.BRANCH], [UnitNature.NON_PUBLIC])
    assert campaign.events.count() == 1


def test_named_stars_show_on_the_organization_page_and_stay(client, zone, zone_admin, secretary_a):
    run_to("named", zone)
    imported = services.rating_import(actor=None, organization=zone.branch_a1, year=2023, stars=3, score=75)
    signed_in(client, secretary_a)
    text = page(client, url("organizations_partyorganization_change", zone.branch_a1.pk))
    assert "评星结果（历年）" in text and "四星级" in text and "2023" in text and "台账导入" in text
    signed_in(client, zone_admin)
    named = StarRating.objects.get(year=2025, organization=zone.branch_a1)
    assert named.source == RatingSource.CAMPAIGN
    page(client, url("ratings_starrating_delete", named.pk), 403)
    assert client.post(url("ratings_starrating_delete", imported.pk), {"post": "yes"}).status_code == 302
    assert not StarRating.objects.filter(pk=imported.pk).exists()
    text = page(client, url("ratings_starrating_changelist") + "?year=2025")
    assert "甲一党支部" in text
    assert OPEN  # the factories' dates


def test_the_step_and_objection_pages_open_in_chinese(client, zone, zone_admin, leader, secretary_a):
    self_campaign = run_to("self", zone)
    filing = Assessment.objects.get(campaign=self_campaign, organization=zone.branch_a1)
    signed_in(client, secretary_a)
    for name in ("submit", "refresh"):
        assert "日期" in page(client, url("ratings_assessment_step", filing.pk, name))
    signed_in(client, zone_admin)
    assert "开启评审" in page(client, url("ratings_campaign_step", self_campaign.pk, "open_review"))
    decision = run_to("decision", zone, year=2026)
    deciding = Assessment.objects.get(campaign=decision, organization=zone.branch_a1)
    signed_in(client, leader)
    text = page(client, url("ratings_assessment_step", deciding.pk, "decide"))
    assert "评定星级" in text and "调整或跨级理由" in text
    assert "按标准评定全部" in page(client, url("ratings_campaign_step", decision.pk, "decide_all"))
    notice = run_to("notice", zone, year=2027)
    noticed = Assessment.objects.get(campaign=notice, organization=zone.branch_a1)
    signed_in(client, zone_admin)
    assert "命名文号" in page(client, url("ratings_campaign_step", notice.pk, "name"))
    assert "异议内容" in page(client, url("ratings_objection_add", noticed.pk))
    objection = services.objection_add(
        actor=None, assessment=noticed, received_on=notice.notice_start, content="台账不全"
    )
    assert "异议是否成立" in page(client, url("ratings_objection_answer", noticed.pk, objection.pk))


def test_a_new_rubric_is_added_with_its_rows(client, zone, zone_admin):
    signed_in(client, zone_admin)
    data = {
        "name": "机关党组织评星标准",
        "description": "",
        "items-TOTAL_FORMS": 2,
        "items-INITIAL_FORMS": 0,
        "items-0-position": 1,
        "items-0-area": "组织设置",
        "items-0-name": "按期换届",
        "items-0-points": "60",
        "items-0-methods": ["documents", "ledger"],
        "items-0-measures": ["orgs.warnings"],
        "items-1-position": 2,
        "items-1-area": "活动开展",
        "items-1-name": "三会一课",
        "items-1-points": "40",
        "thresholds-TOTAL_FORMS": 1,
        "thresholds-INITIAL_FORMS": 0,
        "thresholds-0-stars": 5,
        "thresholds-0-min_score": "90",
        "vetoes-TOTAL_FORMS": 1,
        "vetoes-INITIAL_FORMS": 0,
        "vetoes-0-position": 1,
        "vetoes-0-name": "发生重大安全事故",
        "vetoes-0-cap_stars": 1,
    }
    response = client.post(url("ratings_rubric_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    rubric = Rubric.objects.get(name="机关党组织评星标准")
    assert rubric.version == 1
    items = list(rubric.items.order_by("position"))
    assert [(i.name, i.points, i.methods, i.measures) for i in items] == [
        ("按期换届", 60, ["documents", "ledger"], ["orgs.warnings"]),
        ("三会一课", 40, [], []),
    ]
    assert [(t.stars, t.min_score) for t in rubric.thresholds.all()] == [(5, 90)]
    assert [v.name for v in rubric.vetoes.all()] == ["发生重大安全事故"]
    text = page(client, url("ratings_rubric_change", rubric.pk))
    assert "缺少二星级、三星级、四星级的分数线" in text and "组织设置" in text


def test_the_structured_data_reads_in_chinese_never_as_json(client, zone, zone_admin, leader):
    from dangjian.site.tests.test_structured_pages import json_in

    campaign = run_to("named", zone)
    assessment = Assessment.objects.get(campaign=campaign, organization=zone.branch_a1)
    entry = assessment.items.first()
    entry.review_methods = ["documents", "interview"]
    entry.save()
    codes = {"documents", "ledger", "site", "interview", "branch", "non_public", "orgs.warnings"}
    for user in (zone_admin, leader):
        signed_in(client, user)
        for address in (
            url("ratings_rubric_change", campaign.rubric.pk),
            url("ratings_campaign_change", campaign.pk),
            url("ratings_assessment_change", assessment.pk),
        ):
            text = page(client, address)
            assert json_in(text, codes) == [], (user, address)
    assert "查资料、座谈" in text


def test_a_returned_assessment_shows_why_and_opens_again_for_the_secretary(
    client, zone, zone_admin, secretary_a
):
    campaign = run_to("review", zone)
    assessment = Assessment.objects.get(campaign=campaign, organization=zone.branch_a1)
    signed_in(client, zone_admin)
    response = client.post(
        url("ratings_assessment_step", assessment.pk, "return"),
        {"on": "2025-11-20", "reason": "佐证材料不全"},
    )
    assert response.status_code == 302
    signed_in(client, secretary_a)
    text = page(client, url("ratings_assessment_change", assessment.pk))
    assert "已退回修改：佐证材料不全" in text and "保存自评" in text and "/step/submit/" in text


def test_the_reviewer_uploads_review_material_and_the_leader_decides_all(
    client, zone, zone_admin, leader, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    campaign = run_to("review", zone)
    assessment = Assessment.objects.get(campaign=campaign, organization=zone.branch_a1)
    signed_in(client, zone_admin)
    response = client.post(
        url("ratings_assessment_file", assessment.pk),
        {"file": SimpleUploadedFile("现场查看记录.jpg", b"jpeg"), "name": "现场查看记录"},
    )
    assert response.status_code == 302
    review_file = AssessmentFile.objects.get()
    assert review_file.stage == "review"
    # the secretary's files are theirs: the reviewer may not remove them
    own = services.file_add(
        actor=None,
        assessment=assessment,
        file=SimpleUploadedFile("自评.pdf", b"%PDF"),
        name="自评材料",
        stage="review",
    )
    text = page(client, url("ratings_assessment_change", assessment.pk))
    assert url("ratings_assessment_file_delete", assessment.pk, own.pk) in text
    own.stage = "self"
    own.save()
    assert client.post(url("ratings_assessment_file_delete", assessment.pk, own.pk)).status_code == 403
    own.delete()
    for a in campaign.assessments.all():
        services.assessment_review(
            actor=None,
            assessment=a,
            items=[{"item": e.pk, "review_score": e.item.points} for e in a.items.select_related("item")],
        )
    services.campaign_open_decision(actor=None, campaign=campaign)
    signed_in(client, leader)
    response = client.post(url("ratings_campaign_step", campaign.pk, "decide_all"), {"on": "2025-11-26"})
    assert response.status_code == 302
    assert set(campaign.assessments.values_list("status", "stars")) == {("decided", 4)}


def test_a_past_result_is_added_and_corrected_by_hand_a_named_one_stays(client, zone, zone_admin):
    run_to("named", zone)
    signed_in(client, zone_admin)
    response = client.post(
        url("ratings_starrating_add"),
        {"organization": zone.branch_b.pk, "year": 2021, "stars": 3, "score": "72", "_save": "保存"},
    )
    assert response.status_code == 302
    rating = StarRating.objects.get(organization=zone.branch_b, year=2021)
    assert (rating.stars, rating.score, rating.source) == (3, 72, RatingSource.LEDGER)
    response = client.post(
        url("ratings_starrating_change", rating.pk), {"stars": 4, "score": "81", "_save": "保存"}
    )
    assert response.status_code == 302
    rating.refresh_from_db()
    assert (rating.stars, rating.score) == (4, 81)
    named = StarRating.objects.get(organization=zone.branch_b, year=2025)
    text = page(client, url("ratings_starrating_change", named.pk))
    assert 'name="stars"' not in text
    assert client.post(url("ratings_starrating_change", named.pk), {"stars": 1}).status_code == 403
    named.refresh_from_db()
    assert named.stars == 4


def test_the_statistics_page_counts_the_stars_of_a_year_and_who_moved(client, zone, zone_admin):
    run_to("named", zone, scores={zone.branch_a2: Decimal("0.65")})  # 2025: a1 four, a2 two, b four
    StarRating.objects.create(organization=zone.branch_a1, year=2023, stars=3)
    StarRating.objects.create(organization=zone.branch_a2, year=2023, stars=3)
    signed_in(client, zone_admin)
    page = client.get(url("ratings_statistics"), {"year": 2025}).content.decode()
    assert "共 3 个党组织" in page
    levels = page.split('id="levels"')[1].split("</table>")[0]
    assert '四星级</td>\n                    <td class="px-3 py-2"><a' in levels and ">2</a>" in levels
    up = page.split('id="up"')[1].split("</table>")[0]
    down = page.split('id="down"')[1].split("</table>")[0]
    assert "甲一党支部" in up and "2023年三星级" in up and "甲二党支部" not in up
    assert "甲二党支部" in down and "二星级" in down
    assert "66.7%" in page  # 四星级以上非公企业党组织占比: 2 of 3
    sheet = client.get(url("ratings_statistics"), {"year": 2025, "format": "xlsx"})
    assert sheet.status_code == 200 and sheet.content[:2] == b"PK"


def test_the_statistics_of_a_secretary_are_their_subtree(client, zone, secretary_a):
    run_to("named", zone)
    signed_in(client, secretary_a)
    page = client.get(url("ratings_statistics"), {"year": 2025}).content.decode()
    assert "共 2 个党组织" in page and "乙企业党支部" not in page
    bad = client.get(url("ratings_statistics"), {"year": "abc"})
    assert bad.status_code == 200 and "输入整数。" in bad.content.decode()


@pytest.mark.parametrize("role", ["secretary", "zone_admin", "leader"])
def test_every_figure_link_shown_on_the_work_page_opens_for_the_role(client, zone, role):
    campaign = run_to("self", zone)
    user = make_user(role, organization=zone.committee_a if role == "secretary" else zone.root)
    assessment = Assessment.objects.get(campaign=campaign, organization=zone.branch_a1)
    signed_in(client, user)
    page = client.get(url("ratings_assessment_change", assessment.pk)).content.decode()
    shown = [f for f in assessment.figures.all() if f'href="{f.url.replace("&", "&amp;")}"' in page]
    assert len(shown) == len(figures.MEASURES), "every figure links to its records"
    for figure in shown:
        response = client.get(figure.url)
        assert response.status_code == 200, (figure.label, figure.url, response.status_code)
        assert "?e=1" not in response.get("Location", "")
