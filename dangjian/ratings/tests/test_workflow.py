"""The steps of a campaign and of an assessment: each refused out of turn with a Chinese reason
and nothing changed; the 公示 period in working days; the one-step rule; naming."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.core.models import Holiday
from dangjian.core.registry import todos
from dangjian.notifications.models import Notification
from dangjian.ratings import services
from dangjian.ratings.models import Assessment, AssessmentEvent, RatingSource, StarRating
from dangjian.ratings.tests.factories import OPEN, YEAR, campaign, run_to, score_all
from dangjian.testing.factories import make_user

pytestmark = pytest.mark.django_db


def _assessment(c, organization):
    return Assessment.objects.get(campaign=c, organization=organization)


def test_opening_the_self_assessment_makes_one_per_organization_taking_part(zone):
    c = run_to("self", zone)
    # branches of 非公企业 only: not 甲企业党委 (a 党委), not the party group
    assert {a.organization for a in c.assessments.all()} == {zone.branch_a1, zone.branch_a2, zone.branch_b}
    a = _assessment(c, zone.branch_a1)
    assert a.items.count() == 18 and a.vetoes.count() == c.rubric.vetoes.count()
    assert a.figures.filter(measure="meetings.compliance_rate").exists()
    assert [e.kind for e in a.events.all()] == [AssessmentEvent.Kind.OPENED]


def test_a_campaign_with_nobody_taking_part_does_not_open(zone):
    c = campaign(zone, natures=["social"])
    with pytest.raises(ValidationError, match="没有符合条件的参评组织"):
        services.campaign_open_self_assessment(actor=None, campaign=c, on=OPEN)
    c.refresh_from_db()
    assert c.step == "preparing" and not c.assessments.exists()


def test_the_secretaries_are_told_when_the_self_assessment_opens(zone):
    secretary = make_user("secretary", organization=zone.branch_b)
    run_to("self", zone)
    assert Notification.objects.filter(recipient=secretary, kind="rating_self_assessment").count() == 1


def test_a_self_score_out_of_range_is_refused_and_changes_nothing(zone):
    c = run_to("self", zone)
    a = _assessment(c, zone.branch_b)
    entry = a.items.select_related("item").first()
    with pytest.raises(ValidationError) as error:
        services.assessment_save(
            actor=None, assessment=a, items=[{"item": entry.pk, "self_score": entry.item.points + 1}]
        )
    assert "应在 0 到 5 之间（填写的是 6）" in str(error.value)
    entry.refresh_from_db()
    assert entry.self_score is None


def test_submitting_needs_every_item_scored(zone):
    c = run_to("self", zone)
    a = _assessment(c, zone.branch_b)
    rows = score_all(a, self_score=1)[:-1]
    services.assessment_save(actor=None, assessment=a, items=rows)
    with pytest.raises(ValidationError, match="还有 1 项未自评打分"):
        services.assessment_submit(actor=None, assessment=a, on=OPEN)
    a.refresh_from_db()
    assert a.status == "pending"


def test_a_submitted_assessment_is_read_only_until_the_zone_returns_it(zone, zone_admin):
    c = run_to("self", zone)
    a = _assessment(c, zone.branch_b)
    services.assessment_save(actor=None, assessment=a, items=score_all(a, self_score=1))
    services.assessment_submit(actor=None, assessment=a, on=OPEN)
    assert a.self_score == 100
    with pytest.raises(
        ValidationError, match="乙企业党支部的评星申报已提交，不能再修改；如需修改，请党工委退回"
    ):
        services.assessment_save(actor=None, assessment=a, self_summary="改一改")
    with pytest.raises(ValidationError, match="退回须说明原因"):
        services.assessment_return(actor=zone_admin, assessment=a, reason="  ")
    services.assessment_return(actor=zone_admin, assessment=a, reason="佐证材料不全", on=OPEN)
    a.refresh_from_db()
    assert a.status == "returned" and a.returned_reason == "佐证材料不全"
    services.assessment_save(actor=None, assessment=a, self_summary="已补充")
    services.assessment_submit(actor=None, assessment=a, on=OPEN)
    a.refresh_from_db()
    assert a.status == "submitted" and a.returned_reason == ""
    kinds = list(a.events.values_list("kind", flat=True))
    assert kinds == ["opened", "submitted", "returned", "submitted"]


def test_a_secretary_files_but_does_not_review_return_or_decide(zone, secretary_a):
    c = run_to("review", zone)
    a = _assessment(c, zone.branch_a1)
    with pytest.raises(PermissionDenied):
        services.assessment_return(actor=secretary_a, assessment=a, reason="x")
    with pytest.raises(PermissionDenied):
        services.assessment_review(actor=secretary_a, assessment=a, items=score_all(a, review=1))
    with pytest.raises(PermissionDenied):
        services.campaign_open_decision(actor=secretary_a, campaign=c)


def test_a_secretary_cannot_file_another_organizations_assessment(zone, secretary_a):
    c = run_to("self", zone)
    other = _assessment(c, zone.branch_b)
    with pytest.raises(PermissionDenied):
        services.assessment_save(actor=secretary_a, assessment=other, self_summary="x")
    mine = _assessment(c, zone.branch_a1)
    services.assessment_save(actor=secretary_a, assessment=mine, self_summary="本支部自评")
    mine.refresh_from_db()
    assert mine.self_summary == "本支部自评"


def test_the_review_computes_score_and_stars_by_the_rubric(zone):
    c = run_to("review", zone)
    a = _assessment(c, zone.branch_b)
    services.assessment_review(actor=None, assessment=a, items=score_all(a, review=Decimal("0.8")), on=OPEN)
    a.refresh_from_db()
    assert (a.review_score, a.computed_stars, a.veto, a.status) == (80, 4, False, "reviewed")


def test_a_veto_caps_at_one_star_and_needs_its_finding_written(zone):
    c = run_to("review", zone)
    a = _assessment(c, zone.branch_b)
    a.brand = "红色引擎"
    a.save()
    finding = a.vetoes.first()
    items = score_all(a, review=1)
    with pytest.raises(ValidationError, match="须写明核实情况"):
        services.assessment_review(
            actor=None, assessment=a, items=items, vetoes=[{"finding": finding.pk, "found": True}]
        )
    services.assessment_review(
        actor=None,
        assessment=a,
        items=items,
        vetoes=[{"finding": finding.pk, "found": True, "note": "应急管理局通报"}],
        on=OPEN,
    )
    a.refresh_from_db()
    assert (a.review_score, a.computed_stars, a.veto) == (100, 1, True)


def test_the_decision_waits_for_every_review(zone):
    c = run_to("review", zone)
    with pytest.raises(ValidationError, match="还有组织未完成评审"):
        services.campaign_open_decision(actor=None, campaign=c)
    c.refresh_from_db()
    assert c.step == "review"


def test_the_committee_departs_from_the_rubric_only_with_a_reason_and_never_above_the_veto(zone):
    c = run_to("decision", zone)
    a = _assessment(c, zone.branch_b)
    assert a.computed_stars == 4
    with pytest.raises(ValidationError, match="按标准为四星级，评定为三星级须写明理由"):
        services.assessment_decide(actor=None, assessment=a, stars=3)
    services.assessment_decide(actor=None, assessment=a, stars=3, reason="群众评议较差", on=OPEN)
    a.refresh_from_db()
    assert (a.stars, a.decision_reason, a.status) == (3, "群众评议较差", "decided")
    finding = a.vetoes.first()
    finding.found, finding.note = True, "通报"
    finding.save()
    with pytest.raises(ValidationError, match="一票否决，最高只能评为一星级"):
        services.assessment_decide(actor=None, assessment=a, stars=2, reason="x")


def test_a_jump_of_more_than_one_step_needs_a_reason(zone):
    StarRating.objects.create(organization=zone.branch_b, year=YEAR - 2, stars=2)
    c = run_to("decision", zone)
    a = _assessment(c, zone.branch_b)
    with pytest.raises(ValidationError, match="2023年为二星级，本次评为四星级跨越了 2 级，须写明理由"):
        services.assessment_decide(actor=None, assessment=a)
    with pytest.raises(ValidationError, match="须写明理由"):
        services.campaign_decide_all(actor=None, campaign=c)
    assert not c.assessments.filter(status="decided").exists()  # all or nothing
    services.assessment_decide(
        actor=None, assessment=a, reason="两年来整改成效显著，党委会议研究决定", on=OPEN
    )
    a.refresh_from_db()
    assert (a.stars, a.previous_stars, a.change) == (4, 2, 2)


def test_a_decision_by_someone_without_the_right_is_refused(zone, zone_admin):
    c = run_to("decision", zone)
    with pytest.raises(PermissionDenied):
        services.assessment_decide(actor=zone_admin, assessment=_assessment(c, zone.branch_b))
    leader = make_user("leader", organization=zone.root)
    services.assessment_decide(actor=leader, assessment=_assessment(c, zone.branch_b))


@pytest.mark.parametrize(
    "start, holidays, end",
    [
        (datetime.date(2025, 11, 3), {}, datetime.date(2025, 11, 7)),  # Monday to Friday
        (datetime.date(2025, 11, 5), {}, datetime.date(2025, 11, 11)),  # Wednesday over a weekend
        (datetime.date(2025, 11, 1), {}, datetime.date(2025, 11, 7)),  # a Saturday: from Monday
        # a holiday on Wednesday: the fifth working day is the next Monday
        (datetime.date(2025, 11, 3), {datetime.date(2025, 11, 5): False}, datetime.date(2025, 11, 10)),
        # 国庆: 1–8 October 2025 off, Sunday 28 September and Saturday 11 October worked
        (
            datetime.date(2025, 9, 29),
            {
                **{datetime.date(2025, 10, d): False for d in range(1, 9)},
                datetime.date(2025, 9, 28): True,
                datetime.date(2025, 10, 11): True,
            },
            datetime.date(2025, 10, 11),  # 29, 30 September, 9, 10 and the Saturday 11 October worked
        ),
    ],
)
def test_the_notice_ends_on_its_fifth_working_day(db, start, holidays, end):
    for day, worked in holidays.items():
        Holiday.objects.create(day=day, name="节假日" if not worked else "调休上班", is_workday=worked)
    assert services.notice_end(start)[0] == end


def test_the_stars_are_named_only_after_the_notice_and_every_objection_answered(zone, zone_admin):
    c = run_to("notice", zone)
    c.refresh_from_db()
    assert (c.notice_start, c.notice_end) == (OPEN, datetime.date(2025, 11, 7))
    a = _assessment(c, zone.branch_b)
    with pytest.raises(ValidationError, match="不在公示期内"):
        services.objection_add(
            actor=zone_admin, assessment=a, received_on=datetime.date(2025, 11, 8), content="x"
        )
    objection = services.objection_add(
        actor=zone_admin,
        assessment=a,
        received_on=datetime.date(2025, 11, 7),
        raised_by="匿名",
        content="有欠薪",
    )
    with pytest.raises(ValidationError, match="公示期至 2025-11-07 结束"):
        services.campaign_name(actor=zone_admin, campaign=c, on=datetime.date(2025, 11, 7))
    with pytest.raises(ValidationError, match="1 条公示异议未答复"):
        services.campaign_name(actor=zone_admin, campaign=c, on=datetime.date(2025, 11, 10))
    assert not StarRating.objects.exists()
    services.objection_answer(
        actor=zone_admin,
        objection=objection,
        answered_on=datetime.date(2025, 11, 10),
        answer="经核实已结清",
        upheld=False,
    )
    services.campaign_name(
        actor=zone_admin, campaign=c, on=datetime.date(2025, 11, 10), document_number="高新党工委〔2025〕12号"
    )
    c.refresh_from_db()
    assert (c.step, c.named_on, c.document_number) == (
        "named",
        datetime.date(2025, 11, 10),
        "高新党工委〔2025〕12号",
    )
    rating = StarRating.objects.get(organization=zone.branch_b, year=YEAR)
    assert (rating.stars, rating.score, rating.source, rating.rubric_label) == (
        4,
        100,
        RatingSource.CAMPAIGN,
        "非公企业党组织评星晋级标准（第1版）",
    )


def test_an_objection_upheld_changes_the_stars_decided(zone):
    leader = make_user("leader", organization=zone.root)
    c = run_to("notice", zone)
    a = _assessment(c, zone.branch_b)
    objection = services.objection_add(actor=None, assessment=a, received_on=OPEN, content="发生劳动争议")
    services.objection_answer(
        actor=leader, objection=objection, answered_on=OPEN, answer="经核实属实", upheld=True, stars=3
    )
    a.refresh_from_db()
    assert (a.stars, a.decision_reason) == (3, "经核实属实")


def test_naming_replaces_an_imported_result_and_the_ledger_never_overwrites_a_named_one(zone):
    StarRating.objects.create(organization=zone.branch_b, year=YEAR, stars=2, source=RatingSource.LEDGER)
    run_to("named", zone)
    rating = StarRating.objects.get(organization=zone.branch_b, year=YEAR)
    assert rating.source == RatingSource.CAMPAIGN and rating.stars == 4
    with pytest.raises(ValidationError, match=r"已由评星活动.*命名，不能由台账覆盖"):
        services.rating_import(actor=None, existing=rating, organization=zone.branch_b, year=YEAR, stars=5)
    with pytest.raises(ValidationError, match="不能删除"):
        services.rating_delete(actor=None, rating=rating)


def test_a_used_rubric_is_not_changed_again(zone):
    c = run_to("self", zone)
    with pytest.raises(ValidationError, match=r"已被评星活动.*使用，不能再修改；请复制为新版本"):
        services.rubric_save(actor=None, rubric=c.rubric, name=c.rubric.name, description="改")
    copy = services.rubric_copy(actor=None, rubric=c.rubric)
    assert copy.version == 2 and copy.based_on == c.rubric and copy.items.count() == 18


def test_the_steps_go_in_order(zone):
    c = campaign(zone)
    with pytest.raises(ValidationError, match="目前处于“筹备”环节"):
        services.campaign_open_notice(actor=None, campaign=c)


def test_each_role_finds_its_part_in_my_todos(zone, secretary_a, zone_admin):
    c = run_to("self", zone)
    mine = [g for g in todos(secretary_a, OPEN) if g.title == "待填报的评星自评"]
    assert [i.title for i in mine[0].items] == [
        f"甲一党支部：{c.name}（待自评）",
        f"甲二党支部：{c.name}（待自评）",
    ]
    assert not [g for g in todos(zone_admin, OPEN) if g.title == "待填报的评星自评"]
    services.campaign_open_review(actor=None, campaign=c, on=OPEN)
    waiting = [g for g in todos(zone_admin, OPEN) if g.title == "待评审的评星申报"]
    assert waiting[0].total == 3


@pytest.mark.parametrize(
    "change, message",
    [
        ({"year": YEAR + 1}, "活动已开始，不能更改评定年度"),
        ({"kinds": ["committee"]}, "活动已开始，不能更改参评组织类别"),
        ({"natures": ["state_owned"]}, "活动已开始，不能更改参评单位性质"),
    ],
)
def test_who_takes_part_is_settled_once_the_campaign_is_under_way(zone, change, message):
    c = run_to("self", zone)
    with pytest.raises(ValidationError, match=message):
        services.campaign_save(actor=None, campaign=c, **change)
    c.refresh_from_db()
    assert (c.year, c.kinds, c.natures) == (YEAR, ["branch"], ["non_public"])
    services.campaign_save(actor=None, campaign=c, note="延长自评", self_end=datetime.date(2025, 12, 31))
    c.refresh_from_db()
    assert c.self_end == datetime.date(2025, 12, 31)
