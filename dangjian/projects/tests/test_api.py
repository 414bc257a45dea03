"""项目包抓 through the REST API (/api/v1/): problem steps with Chinese 400 errors, a cadre's
scope (404 outside it), daily records posted by a cadre, the weekly board and the yearly
assessment."""

import datetime

import pytest
from rest_framework.test import APIClient

from dangjian.projects import services
from dangjian.projects.models import AssessmentRun, DailyRecord, Problem, ProblemEvent, ProblemStatus
from dangjian.testing.factories import make_user

from .factories import ONE_DAY, make_cadre, make_problem, make_project, today, user_of

pytestmark = pytest.mark.django_db

D = datetime.date
PROBLEMS = "/api/v1/problems/"
PROJECTS = "/api/v1/projects/"
DAILY = "/api/v1/daily-records/"
BOARD = "/api/v1/dispatch-meetings/board/"
ASSESS = "/api/v1/assessments/compute/"


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def step(client, problem, name, **data):
    return client.post(f"{PROBLEMS}{problem.pk}/steps/{name}/", data, format="json")


@pytest.fixture
def world(zone):
    wang, li = make_cadre("王"), make_cadre("李")
    mine = make_project("我的项目", cadres=[wang], on=D(2025, 1, 1))
    theirs = make_project("别人的项目", cadres=[li], on=D(2025, 1, 1))
    raised = today() - ONE_DAY * 20
    return {
        "wang": wang,
        "li": li,
        "mine": mine,
        "theirs": theirs,
        "problem": make_problem(project=mine, raised=raised, deadline=raised + ONE_DAY * 5),
        "other_problem": make_problem(project=theirs, raised=raised),
    }


# -- problem steps --------------------------------------------------------------------------------------
def test_a_problem_goes_through_its_steps_over_the_api(world, zone_admin):
    client, problem = api_as(zone_admin), world["problem"]
    response = step(client, problem, "accept", on=str(problem.raised_on))
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == ProblemStatus.IN_PROGRESS
    response = step(client, problem, "solve", on=str(today()), text="协调办结")
    assert (response.status_code, response.json()["status"], response.json()["result"]) == (
        200,
        ProblemStatus.SOLVED,
        "协调办结",
    )
    response = step(client, problem, "reopen", on=str(today()), text="企业反映未落实")
    assert (response.status_code, response.json()["status"], response.json()["closed_on"]) == (
        200,
        ProblemStatus.IN_PROGRESS,
        None,
    )
    response = step(client, problem, "unsolvable", on=str(today()), text="超出园区权限")
    assert (response.json()["status"], response.json()["unsolvable_reason"]) == (
        ProblemStatus.UNSOLVABLE,
        "超出园区权限",
    )
    kinds = list(ProblemEvent.objects.filter(problem=problem).order_by("id").values_list("kind", flat=True))
    assert kinds == ["raised", "accepted", "solved", "reopened", "unsolvable"]
    assert ProblemEvent.objects.filter(problem=problem).last().actor == zone_admin


@pytest.mark.parametrize(
    ("setup", "name", "data", "errors"),
    [
        (None, "solve", {"on": "TODAY"}, {"result": ["请填写办理结果"]}),
        (None, "solve", {"text": "办结"}, {"closed_on": ["请填写日期"]}),
        (None, "solve", {"on": "BEFORE", "text": "办结"}, {"closed_on": ["办结日期不能早于提出日期"]}),
        (None, "solve", {"on": "TOMORROW", "text": "办结"}, {"closed_on": ["日期不能晚于今天"]}),
        (None, "unsolvable", {"on": "TODAY"}, {"unsolvable_reason": ["请填写无法解决的原因"]}),
        (None, "accept", {"on": "BEFORE"}, {"on": ["开始办理不能早于提出日期"]}),
        (
            "accept",
            "accept",
            {"on": "TODAY"},
            {"status": ["问题目前“办理中”，只有待办的问题可以这样办理"]},
        ),
        (
            None,
            "reopen",
            {"on": "TODAY", "text": "复发"},
            {"status": ["问题目前“待办”，只有已办结、无法解决的问题可以这样办理"]},
        ),
        ("solve", "reopen", {"on": "TODAY"}, {"reason": ["重新打开须填写原因"]}),
        (None, "reassign", {}, {"owner": ["请选择新的责任人"]}),
    ],
)
def test_a_refused_step_is_a_400_with_the_chinese_reason_and_changes_nothing(
    world, zone_admin, setup, name, data, errors
):
    problem = world["problem"]
    dates = {"TODAY": today(), "TOMORROW": today() + ONE_DAY, "BEFORE": problem.raised_on - ONE_DAY}
    if setup == "accept":
        services.problem_accept(actor=None, problem=problem, on=problem.raised_on)
    elif setup == "solve":
        services.problem_solve(actor=None, problem=problem, on=today(), result="办结")
    before = Problem.objects.values().get(pk=problem.pk)
    events = ProblemEvent.objects.count()
    payload = {k: str(dates.get(v, v)) for k, v in data.items()}
    response = step(api_as(zone_admin), problem, name, **payload)
    assert response.status_code == 400
    assert response.json() == errors
    assert Problem.objects.values().get(pk=problem.pk) == before
    assert ProblemEvent.objects.count() == events


def test_an_unknown_step_is_404(world, zone_admin):
    response = step(api_as(zone_admin), world["problem"], "close", on=str(today()))
    assert response.status_code == 404
    assert response.json() == {"detail": "没有这个办理环节"}


def test_reassigning_over_the_api_sets_the_new_owner_and_deadline(world, zone_admin):
    new_deadline = today() + ONE_DAY * 10
    response = step(
        api_as(zone_admin), world["problem"], "reassign", owner=world["li"].pk, deadline=str(new_deadline)
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["owner"], response.json()["deadline"]) == (world["li"].pk, str(new_deadline))


def test_a_cadre_works_the_problems_of_their_project_and_gets_404_for_others(world):
    client = api_as(user_of(world["wang"]))
    assert step(client, world["problem"], "accept", on=str(today())).status_code == 200
    response = step(client, world["other_problem"], "accept", on=str(today()))
    assert response.status_code == 404
    assert Problem.objects.get(pk=world["other_problem"].pk).status == ProblemStatus.TODO
    listed = {p["id"] for p in client.get(PROBLEMS).json()["results"]}
    assert listed == {world["problem"].pk}


def test_a_cadre_raises_a_problem_on_their_project_which_goes_to_the_lead(world):
    response = api_as(user_of(world["wang"])).post(
        PROBLEMS,
        {
            "source": "project",
            "project": world["mine"].pk,
            "category": "construction",
            "description": "施工用水未接通",
            "raised_on": str(today()),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["owner"] == world["wang"].pk


def test_a_cadre_cannot_raise_a_problem_on_a_project_not_theirs(world):
    response = api_as(user_of(world["wang"])).post(
        PROBLEMS,
        {
            "source": "project",
            "project": world["theirs"].pk,
            "category": "construction",
            "description": "越权",
            "raised_on": str(today()),
        },
        format="json",
    )
    assert response.status_code == 400
    assert "project" in response.json()
    assert not Problem.objects.filter(description="越权").exists()


# -- projects -----------------------------------------------------------------------------------------------
def test_a_cadre_sees_their_project_with_its_cadres_and_gets_404_for_an_unassigned_one(world):
    services.milestone_save(actor=None, project=world["mine"], name="开工", planned_on=D(2025, 3, 1))
    services.approval_save(
        actor=None,
        project=world["mine"],
        item="施工许可",
        submitted_on=D(2025, 2, 1),
        approved_on=D(2025, 2, 10),
    )
    client = api_as(user_of(world["wang"]))
    response = client.get(f"{PROJECTS}{world['mine'].pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["cadres"] == [{"cadre": world["wang"].pk, "name": "王", "is_lead": True}]
    assert [m["name"] for m in body["milestones"]] == ["开工"]
    assert (body["approvals"]["count"], body["approvals"]["days"]) == (1, 10)
    assert client.get(f"{PROJECTS}{world['theirs'].pk}/").status_code == 404
    assert [p["name"] for p in client.get(PROJECTS).json()["results"]] == ["我的项目"]


def test_setting_a_projects_cadres_over_the_api_makes_the_first_the_lead(world, zone_admin):
    response = api_as(zone_admin).post(
        f"{PROJECTS}{world['theirs'].pk}/cadres/",
        {"cadres": [world["wang"].pk, world["li"].pk]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert [(c["name"], c["is_lead"]) for c in response.json()["cadres"]] == [("王", True), ("李", False)]
    assert api_as(user_of(world["wang"])).get(f"{PROJECTS}{world['theirs'].pk}/").status_code == 200


# -- daily records --------------------------------------------------------------------------------------------
def test_a_cadre_posts_a_daily_record_and_posting_the_same_day_again_updates_it(world):
    client = api_as(user_of(world["wang"]))
    day = str(today() - ONE_DAY)
    response = client.post(
        DAILY,
        {"day": day, "content": "现场协调", "projects": [world["mine"].pk], "is_visit": True},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["cadre"], body["projects"], body["is_visit"]) == (world["wang"].pk, [world["mine"].pk], True)
    again = client.post(DAILY, {"day": day, "content": "现场协调（补充）"}, format="json")
    assert again.status_code == 201
    assert again.json()["id"] == body["id"]
    assert list(DailyRecord.objects.values_list("content", flat=True)) == ["现场协调（补充）"]


def test_a_daily_record_in_the_future_is_a_400(world):
    response = api_as(user_of(world["wang"])).post(
        DAILY, {"day": str(today() + ONE_DAY), "content": "预写"}, format="json"
    )
    assert (response.status_code, response.json()) == (400, {"day": ["日期不能晚于今天"]})


def test_a_daily_record_on_a_project_not_theirs_is_a_400(world):
    response = api_as(user_of(world["wang"])).post(
        DAILY, {"day": str(today()), "content": "越权", "projects": [world["theirs"].pk]}, format="json"
    )
    assert response.status_code == 400
    assert "projects" in response.json()
    assert not DailyRecord.objects.exists()


def test_a_user_who_is_not_a_cadre_cannot_post_a_daily_record(world, zone_admin):
    response = api_as(zone_admin).post(DAILY, {"day": str(today()), "content": "代写"}, format="json")
    assert response.status_code == 403
    assert not DailyRecord.objects.exists()


def test_a_cadre_lists_only_their_own_daily_records(world):
    for cadre in (world["wang"], world["li"]):
        services.daily_record_save(actor=None, cadre=cadre, day=today(), content=f"{cadre.name}的记录")
    response = api_as(user_of(world["wang"])).get(DAILY)
    assert [r["content"] for r in response.json()["results"]] == ["王的记录"]


# -- board, summary and assessment ------------------------------------------------------------------------------
def test_the_board_endpoint_compiles_the_week_of_the_day_given(world, zone_admin):
    monday = today() - datetime.timedelta(days=today().weekday() + 7)
    fresh = make_problem(project=world["mine"], raised=monday + ONE_DAY, description="上周新问题")
    response = api_as(zone_admin).get(BOARD, {"week": str(monday + ONE_DAY * 3)})
    assert response.status_code == 200
    body = response.json()
    assert (body["week_start"], body["week_end"]) == (str(monday), str(monday + ONE_DAY * 6))
    assert [p["id"] for p in body["new_problems"]] == [fresh.pk]
    overdue = [p["id"] for p in body["overdue_problems"]]
    assert world["problem"].pk in overdue
    assert [c["name"] for c in body["missing_records"]] == ["李", "王"]
    assert len(body["missing_records"][0]["days"]) == 5


def test_the_board_endpoint_refuses_a_bad_week(zone_admin):
    response = api_as(zone_admin).get(BOARD, {"week": "下周"})
    assert (response.status_code, response.json()) == (400, {"week": ["日期格式应为 2026-11-23"]})


def test_the_monthly_summary_endpoint_gives_a_cadre_their_own_row(world):
    services.daily_record_save(
        actor=None, cadre=world["wang"], day=D(2025, 6, 3), content="在岗", is_visit=True
    )
    response = api_as(user_of(world["wang"])).get("/api/v1/monthly-summary/", {"month": "2025-06"})
    assert response.status_code == 200
    rows = response.json()["rows"]
    assert [(r["name"], r["records"], r["visits"]) for r in rows] == [("王", 1, 1)]


def test_computing_the_assessment_over_the_api_stores_the_run_with_its_weights(world, zone_admin):
    response = api_as(zone_admin).post(ASSESS, {"year": 2025}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    run = AssessmentRun.objects.get()
    assert (body["id"], body["year"], body["rule"]) == (run.pk, 2025, run.rule_id)
    assert body["weights"] == {
        "record_completeness": 30,
        "problems_on_time": 30,
        "milestones_met": 20,
        "satisfaction": 20,
    }
    assert sorted(s["name"] for s in body["scores"]) == ["李", "王"]
    assert all(s["rank"] >= 1 for s in body["scores"])


def test_a_cadre_cannot_compute_the_assessment_and_sees_only_their_own_score(world, zone_admin):
    assert api_as(user_of(world["wang"])).post(ASSESS, {"year": 2025}, format="json").status_code == 403
    run = services.assessment_run(actor=zone_admin, year=2025)
    response = api_as(user_of(world["wang"])).get(f"/api/v1/assessments/{run.pk}/")
    assert response.status_code == 200
    assert [s["name"] for s in response.json()["scores"]] == ["王"]


def test_a_leader_computes_the_assessment(world, zone):
    leader = make_user("leader", organization=zone.root)
    assert api_as(leader).post(ASSESS, {"year": 2025}, format="json").status_code == 201
