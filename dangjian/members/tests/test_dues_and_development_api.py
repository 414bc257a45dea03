"""Development steps and dues through the REST API: Chinese errors as 400, the user's scope
(out of scope is 404), the pipeline and the monthly dues ledger."""

import datetime
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from dangjian.members import services
from dangjian.members.models import (
    DevelopmentCase,
    DevelopmentStage,
    DuesAssessment,
    DuesCategory,
    DuesPayment,
)
from dangjian.testing.factories import make_member, make_user

from .development_cases import CANDIDATE, case_at, fresh, full_members, id_for

D = datetime.date
CASES = "/api/v1/development/"


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def step(client, case, name, **data):
    return client.post(f"{CASES}{case.pk}/steps/{name}/", data, format="json")


@pytest.fixture
def leader(zone):
    return make_user("leader", organization=zone.root)


# -- development -----------------------------------------------------------------------------------
def test_posting_a_case_is_the_application_and_shows_the_id_number_masked(zone, secretary_a):
    number = id_for()
    response = api_as(secretary_a).post(
        CASES,
        {
            "name": "刘申请",
            "id_number": number,
            "organization": zone.branch_a1.pk,
            "applied_on": "2022-03-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["stage"] == "applicant"
    assert "id_number" not in body
    masked = body["id_number_masked"]
    assert number not in str(body)
    assert masked == "*" * 14 + number[-4:]
    case = DevelopmentCase.objects.get(pk=body["id"])
    assert case.events.get().actor == secretary_a


def test_an_application_before_the_18th_birthday_is_a_400_in_chinese(zone, secretary_a):
    response = api_as(secretary_a).post(
        CASES,
        {
            "name": "未成年",
            "id_number": id_for(D(2004, 3, 1)),
            "organization": zone.branch_a1.pk,
            "applied_on": "2022-02-28",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"applied_on": ["申请入党时未满 18 周岁（出生于 2004-03-01）"]}
    assert not DevelopmentCase.objects.exists()


def test_a_step_that_breaks_a_rule_is_a_400_with_the_chinese_reason(zone, secretary_a):
    case = case_at(zone.branch_a1, "activist")  # 积极分子 since 2022-04-01
    response = step(api_as(secretary_a), case, "candidate", on="2023-03-31")
    assert response.status_code == 400
    assert response.json() == {"candidate_on": ["确定发展对象应在列为积极分子满 1 年之后（最早 2023-04-01）"]}
    assert fresh(case).stage == DevelopmentStage.ACTIVIST


def test_a_step_within_the_rules_returns_the_updated_case(zone, secretary_a):
    case = case_at(zone.branch_a1, "activist")
    response = step(api_as(secretary_a), case, "candidate", on="2023-04-01", note="支委会研究")
    assert response.status_code == 200, response.json()
    assert (response.json()["stage"], response.json()["candidate_on"]) == ("candidate", "2023-04-01")
    event = fresh(case).events.get(step="candidate")
    assert (event.actor, event.note) == (secretary_a, "支委会研究")


def test_a_step_out_of_order_is_a_400_in_chinese(zone, secretary_a):
    case = case_at(zone.branch_a1, "talked")
    response = step(api_as(secretary_a), case, "admit", on="2023-06-01")
    assert response.status_code == 400
    assert "目前是入党申请人" in response.json()["non_field_errors"][0]


def test_admission_with_one_introducer_is_a_400_and_with_two_full_members_creates_the_member(
    zone, secretary_a
):
    case = case_at(zone.branch_a1, "trained")
    people = full_members(zone.branch_a1)
    client = api_as(secretary_a)

    refused = step(client, case, "admit", on="2023-06-01", introducers=[people[0].pk])
    assert refused.status_code == 400
    assert refused.json() == {"introducers": ["须有 2 名入党介绍人（现有 1 名）"]}

    admitted = step(client, case, "admit", on="2023-06-01", introducers=[p.pk for p in people])
    assert admitted.status_code == 200, admitted.json()
    case = fresh(case)
    assert admitted.json()["member"] == case.member_id
    assert (case.member.joined_on, case.member.category) == (D(2023, 6, 1), "probationary")


def test_an_introducer_outside_the_secretarys_subtree_cannot_be_chosen(zone, secretary_a):
    case = case_at(zone.branch_a1, "trained")
    inside, outside = full_members(zone.branch_a1, 1)[0], full_members(zone.branch_b, 1)[0]
    response = step(api_as(secretary_a), case, "admit", on="2023-06-01", introducers=[inside.pk, outside.pk])
    assert response.status_code == 400
    assert "introducers" in response.json()
    assert fresh(case).stage == DevelopmentStage.CANDIDATE


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("extend", {"on": "2024-05-01", "months": 13}, {"months": ["延长预备期应为 6 至 12 个月"]}),
        ("extend", {"on": "2024-05-01", "months": 5}, {"months": ["延长预备期应为 6 至 12 个月"]}),
        (
            "regularize",
            {"on": "2024-05-31"},
            {"regularized_on": ["转正日期应为预备期满之日 2024-06-01"]},
        ),
        ("cancel", {"on": "2024-02-01", "reason": ""}, {"cancel_reason": ["请填写取消原因"]}),
        (
            "correct",
            {"field": "talked_on", "value": "2022-03-18", "reason": ""},
            {"reason": ["更正日期须填写原因"]},
        ),
        ("approve", {"on": "2023-08-01"}, {"approved_on": ["已于 2023-07-20 审批"]}),
    ],
)
def test_the_later_steps_refuse_with_chinese_errors(zone, secretary_a, name, data, expected):
    case = case_at(zone.branch_a1, "approved")
    before = fresh(case)
    response = step(api_as(secretary_a), case, name, **data)
    assert response.status_code == 400
    assert response.json() == expected
    after = fresh(case)
    assert (after.stage, after.extended_months, after.talked_on, after.regularized_on) == (
        before.stage,
        before.extended_months,
        before.talked_on,
        before.regularized_on,
    )


def test_a_date_correction_with_a_reason_through_the_api_is_kept(zone, secretary_a):
    case = case_at(zone.branch_a1, "approved")
    response = step(
        api_as(secretary_a), case, "correct", field="talked_on", value="2022-03-18", reason="以谈话记录为准"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["talked_on"] == "2022-03-18"
    correction = fresh(case).corrections.get()
    assert (correction.old_value, correction.new_value, correction.actor) == (
        D(2022, 3, 20),
        D(2022, 3, 18),
        secretary_a,
    )


@pytest.mark.parametrize("method", ["patch", "put"])
def test_dates_cannot_be_changed_by_editing_the_case(zone, zone_admin, method):
    case = case_at(zone.branch_a1, "activist")
    response = getattr(api_as(zone_admin), method)(
        f"{CASES}{case.pk}/", {"talked_on": "2022-03-18", "applied_on": "2022-02-01"}, format="json"
    )
    assert response.status_code == 405
    assert (fresh(case).talked_on, fresh(case).applied_on) == (D(2022, 3, 20), D(2022, 3, 1))


def test_an_unknown_step_is_a_404(zone, secretary_a):
    case = case_at(zone.branch_a1)
    response = step(api_as(secretary_a), case, "promote", on="2022-04-01")
    assert response.status_code == 404
    assert response.json()["detail"] == "没有这个办理环节"


def test_a_secretary_can_neither_see_nor_act_on_a_case_outside_their_subtree(zone, secretary_a):
    other = case_at(zone.branch_b, "activist", name="乙企业积极分子")
    mine = case_at(zone.branch_a2, "activist", name="甲二积极分子")
    client = api_as(secretary_a)

    assert client.get(f"{CASES}{other.pk}/").status_code == 404
    assert step(client, other, "candidate", on="2023-04-01").status_code == 404
    assert (
        step(client, other, "correct", field="activist_on", value="2022-04-02", reason="试").status_code
        == 404
    )
    assert client.delete(f"{CASES}{other.pk}/").status_code == 404
    assert fresh(other).stage == DevelopmentStage.ACTIVIST
    assert not fresh(other).corrections.exists()
    listed = {row["id"] for row in client.get(CASES).json()["results"]}
    assert listed == {mine.pk}


def test_a_secretary_cannot_file_an_application_outside_their_subtree(zone, secretary_a):
    response = api_as(secretary_a).post(
        CASES,
        {"name": "越权", "id_number": id_for(), "organization": zone.branch_b.pk, "applied_on": "2022-03-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "organization" in response.json()
    assert not DevelopmentCase.objects.exists()


def test_a_leader_who_may_only_view_cannot_record_a_step(zone, leader):
    case = case_at(zone.branch_a1, "activist")
    client = api_as(leader)
    assert client.get(f"{CASES}{case.pk}/").status_code == 200
    assert step(client, case, "candidate", on=CANDIDATE.isoformat()).status_code == 403
    assert fresh(case).stage == DevelopmentStage.ACTIVIST


def test_the_pipeline_endpoint_lists_the_users_cases_with_their_next_step(zone, secretary_a):
    case_at(zone.branch_b, name="他处申请人")
    activist = case_at(zone.branch_a1, "activist", name="本处积极分子")
    response = api_as(secretary_a).get(f"{CASES}pipeline/")
    assert response.status_code == 200
    columns = {c["stage"]: c for c in response.json()}
    assert list(columns) == ["applicant", "activist", "candidate", "probationary"]
    assert columns["applicant"]["entries"] == []
    assert columns["activist"]["entries"] == [
        {
            "case": activist.pk,
            "name": "本处积极分子",
            "organization": "甲一党支部",
            "next_step": "确定为发展对象（最早）",
            "due": "2023-04-01",
            "overdue": False,
        }
    ]


def test_a_case_with_a_member_record_cannot_be_deleted(zone, zone_admin):
    case = case_at(zone.branch_a1, "admitted")
    response = api_as(zone_admin).delete(f"{CASES}{case.pk}/")
    assert response.status_code == 403
    assert DevelopmentCase.objects.filter(pk=case.pk).exists()


# -- dues ------------------------------------------------------------------------------------------
LEDGER = "/api/v1/dues/assessments/ledger/"


@pytest.fixture
def march(zone):
    """March 2025 in 甲一党支部: one member paid 40 of 40 (and 5 voluntary), one 30 of 90."""
    paid, partly = make_member(zone.branch_a1, name="甲全交"), make_member(zone.branch_a1, name="乙少交")
    outside = make_member(zone.branch_b, name="丙他处")
    for member, income in ((paid, "4000.00"), (partly, "6000.00"), (outside, "4000.00")):
        services.dues_base_set(
            actor=None,
            member=member,
            effective_from=D(2025, 1, 1),
            category=DuesCategory.EMPLOYED,
            income=Decimal(income),
        )
    services.dues_assess(actor=None, organization=zone.root, month=D(2025, 3, 1))
    for member, amount, voluntary in ((paid, "40.00", False), (paid, "5.00", True), (partly, "30.00", False)):
        services.dues_pay(
            actor=None,
            member=member,
            month=D(2025, 3, 1),
            amount=Decimal(amount),
            paid_on=D(2025, 3, 10),
            voluntary=voluntary,
        )
    return {"paid": paid, "partly": partly, "outside": outside}


def test_the_dues_ledger_endpoint_gives_payable_paid_and_owed_for_the_month(zone, secretary_a, march):
    response = api_as(secretary_a).get(LEDGER, {"organization": zone.branch_a1.pk, "month": "2025-03"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["organization"], body["month"]) == ("甲一党支部", "2025-03")
    totals = {k: Decimal(str(body[k])) for k in ("payable", "paid", "owed", "voluntary")}
    assert totals == {
        "payable": Decimal("130"),
        "paid": Decimal("70"),
        "owed": Decimal("60"),
        "voluntary": Decimal("5"),
    }
    rows = {
        r["name"]: (Decimal(str(r["payable"])), Decimal(str(r["owed"])), r["unpaid_months"])
        for r in body["rows"]
    }
    assert rows == {"甲全交": (Decimal("40"), Decimal("0"), 0), "乙少交": (Decimal("90"), Decimal("60"), 1)}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"month": "2025/03"}, {"month": ["月份格式应为 2026-10"]}),
        ({"month": ""}, {"month": ["月份格式应为 2026-10"]}),
    ],
)
def test_the_dues_ledger_endpoint_refuses_a_malformed_month(zone, secretary_a, march, params, expected):
    response = api_as(secretary_a).get(LEDGER, {"organization": zone.branch_a1.pk, **params})
    assert response.status_code == 400
    assert response.json() == expected


def test_the_dues_ledger_of_an_organization_outside_the_users_scope_is_refused(zone, secretary_a, march):
    response = api_as(secretary_a).get(LEDGER, {"organization": zone.branch_b.pk, "month": "2025-03"})
    assert response.status_code == 400
    assert response.json() == {"organization": ["请选择您范围内的党组织"]}


def test_a_payment_through_the_api_that_is_not_positive_is_a_400_in_chinese(zone, secretary_a, march):
    response = api_as(secretary_a).post(
        "/api/v1/dues/payments/",
        {"member": march["paid"].pk, "month": "2025-04-01", "amount": "0.00", "paid_on": "2025-04-05"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"amount": ["金额应大于 0"]}


def test_a_payment_through_the_api_is_recorded_only_for_a_member_in_scope(zone, secretary_a, march):
    client = api_as(secretary_a)
    before = DuesPayment.objects.count()
    outside = client.post(
        "/api/v1/dues/payments/",
        {"member": march["outside"].pk, "month": "2025-03-01", "amount": "40.00", "paid_on": "2025-03-15"},
        format="json",
    )
    assert outside.status_code == 400
    assert "member" in outside.json()
    inside = client.post(
        "/api/v1/dues/payments/",
        {"member": march["partly"].pk, "month": "2025-03-01", "amount": "60.00", "paid_on": "2025-03-15"},
        format="json",
    )
    assert inside.status_code == 201, inside.json()
    assert DuesPayment.objects.count() == before + 1
    ledger = client.get(LEDGER, {"organization": zone.branch_a1.pk, "month": "2025-03"}).json()
    assert Decimal(str(ledger["owed"])) == Decimal("0")


def test_the_assess_endpoint_assesses_the_month_once(zone, secretary_a, leader, march):
    client = api_as(secretary_a)
    response = client.post(
        "/api/v1/dues/assessments/assess/",
        {"organization": zone.branch_a1.pk, "month": "2025-04-15"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["created"], response.json()["existing"], response.json()["missing_base"]) == (
        2,
        0,
        [],
    )
    again = client.post(
        "/api/v1/dues/assessments/assess/",
        {"organization": zone.branch_a1.pk, "month": "2025-04-01"},
        format="json",
    )
    assert (again.json()["created"], again.json()["existing"]) == (0, 2)
    assert DuesAssessment.objects.filter(month=D(2025, 4, 1)).count() == 2
    refused = api_as(leader).post(
        "/api/v1/dues/assessments/assess/",
        {"organization": zone.branch_a1.pk, "month": "2025-05-01"},
        format="json",
    )
    assert refused.status_code == 403
    assert not DuesAssessment.objects.filter(month=D(2025, 5, 1)).exists()


def test_the_assessment_list_is_limited_to_the_users_scope(zone, secretary_a, march):
    rows = api_as(secretary_a).get("/api/v1/dues/assessments/").json()["results"]
    assert {r["member"] for r in rows} == {march["paid"].pk, march["partly"].pk}


def test_dues_for_a_branch_outside_the_secretarys_scope_cannot_be_assessed(zone, secretary_a):
    response = api_as(secretary_a).post(
        "/api/v1/dues/assessments/assess/",
        {"organization": zone.branch_b.pk, "month": "2025-04-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "organization" in response.json()
