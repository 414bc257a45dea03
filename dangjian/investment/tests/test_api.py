"""The API of 招商引资: a lead recorded and taken through its stages, the refusals in Chinese
with nothing changed, follow-ups and tranches, the carry into the key projects, the warnings and
the pace; a team member sees only their team's records, the zone administrator all, the leader
reads only."""

import datetime
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from dangjian.investment import services
from dangjian.investment.models import AnnualTarget, InvestmentProject, PersonRole, Stage
from dangjian.investment.tests import factories as f
from dangjian.testing.factories import make_user

pytestmark = pytest.mark.django_db

PROJECTS, EVENTS = "/api/v1/investment-projects/", "/api/v1/investment-events/"
PEOPLE, TEAMS, TARGETS = (
    "/api/v1/investment-people/",
    "/api/v1/investment-teams/",
    "/api/v1/investment-targets/",
)


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def admin_api(zone):
    return api_as(make_user("zone_admin", organization=zone.root))


@pytest.fixture
def leader_api(zone):
    return api_as(make_user("leader", organization=zone.root))


def step(client, project, name, **data):
    return client.post(f"{PROJECTS}{project.pk}/steps/{name}/", data, format="json")


def test_a_lead_is_recorded_advanced_signed_funded_and_carried(admin_api):
    r = admin_api.post(
        PROJECTS,
        {"name": "新材料项目", "investor": "深圳某某有限公司", "recorded_on": "2025-03-01"},
        format="json",
    )
    assert r.status_code == 201, r.content
    project = InvestmentProject.objects.get(pk=r.json()["id"])
    assert r.json()["stage"] == "lead" and r.json()["next_stage"] == "negotiating"
    assert step(admin_api, project, "advance", stage="negotiating", on="2025-03-10").status_code == 200
    r = step(admin_api, project, "advance", stage="signed", on="2025-04-01", signed_amount="5000")
    assert r.status_code == 200, r.content
    assert r.json()["stage"] == "signed" and Decimal(r.json()["signed_amount"]) == Decimal("5000")
    r = admin_api.post(
        f"{PROJECTS}{project.pk}/follow-ups/", {"on": "2025-04-02", "content": "上门拜访"}, format="json"
    )
    assert r.status_code == 201 and r.json()["follow_ups"][0]["content"] == "上门拜访"
    r = admin_api.post(
        f"{PROJECTS}{project.pk}/tranches/", {"received_on": "2025-05-01", "amount": "1200.5"}, format="json"
    )
    assert r.status_code == 201, r.content
    assert Decimal(r.json()["funds_total"]) == Decimal("1200.5")
    r = step(admin_api, project, "carry")
    assert r.status_code == 200, r.content
    project.refresh_from_db()
    assert project.key_project is not None and r.json()["key_project"] == project.key_project_id
    assert project.key_project.name == "新材料项目"
    kinds = [e["label"] for e in r.json()["timeline"]]
    assert kinds[0] == "登记线索" and "资金到位" in kinds and kinds[-1] == "转入重点项目"


def test_advancing_to_a_wrong_stage_is_a_chinese_400_and_nothing_changes(admin_api):
    project = f.project("错步项目", recorded_on=datetime.date(2025, 3, 1))
    r = step(admin_api, project, "advance", stage="signed", on="2025-03-10", signed_amount="10")
    assert r.status_code == 400
    assert r.json() == {"stage": ["项目处于“线索”阶段，下一步只能是“洽谈”或终止"]}
    project.refresh_from_db()
    assert project.stage == Stage.LEAD and project.signed_on is None and project.signed_amount is None
    assert project.events.count() == 1  # the lead recorded, nothing else


def test_signing_without_an_amount_is_refused(admin_api):
    project = f.project("无金额项目", recorded_on=datetime.date(2025, 3, 1))
    services.project_advance(
        actor=None, project=project, stage=Stage.NEGOTIATING, on=datetime.date(2025, 3, 5)
    )
    r = step(admin_api, project, "advance", stage="signed", on="2025-03-10")
    assert r.status_code == 400 and r.json() == {"signed_amount": ["签约须填写签约金额（万元）"]}
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATING and project.signed_on is None


def test_an_unknown_step_is_404_and_a_bad_date_a_chinese_400(admin_api):
    project = f.project("未知步骤项目", recorded_on=datetime.date(2025, 3, 1))
    assert step(admin_api, project, "jump").status_code == 404
    r = step(admin_api, project, "advance", stage="negotiating", on="不是日期")
    assert r.status_code == 400 and "on" in r.json()


def test_terminate_and_resume(admin_api):
    project = f.project("终止项目", recorded_on=datetime.date(2025, 3, 1))
    r = step(admin_api, project, "terminate", on="2025-03-05")
    assert r.status_code == 400 and r.json() == {"termination_reason": ["终止须填写原因"]}
    r = step(admin_api, project, "terminate", on="2025-03-05", reason="投资方放弃")
    assert r.status_code == 200 and r.json()["stage"] == "terminated"
    r = step(admin_api, project, "resume", on="2025-03-06")
    assert r.status_code == 200 and r.json()["stage"] == "lead"


def test_a_tranche_on_a_lead_is_refused(admin_api):
    project = f.project("线索项目", recorded_on=datetime.date(2025, 3, 1))
    r = admin_api.post(
        f"{PROJECTS}{project.pk}/tranches/", {"received_on": "2025-05-01", "amount": "10"}, format="json"
    )
    assert r.status_code == 400 and r.json() == {"project": ["项目处于“线索”阶段，签约后才能登记到位资金"]}
    assert not project.tranches.exists()


def test_a_project_with_funds_cannot_be_deleted(admin_api):
    project = f.signed("有资金项目")
    services.tranche_add(
        actor=None, project=project, received_on=datetime.date(2025, 3, 2), amount=Decimal(1)
    )
    r = admin_api.delete(f"{PROJECTS}{project.pk}/")
    assert r.status_code in (400, 409)
    assert "已登记到位资金" in str(r.json())
    assert InvestmentProject.objects.filter(pk=project.pk).exists()


def test_a_team_referred_to_is_a_409(admin_api):
    team = f.team("被引用小分队")
    f.event("引用活动", team=team)
    r = admin_api.delete(f"{TEAMS}{team.pk}/")
    assert r.status_code == 409 and "不能删除" in str(r.json())


def test_the_warnings_and_the_pace(admin_api):
    stale = f.project("久未跟进项目", recorded_on=datetime.date(2025, 1, 1))
    f.project("刚跟进项目", recorded_on=datetime.date(2025, 1, 20))
    r = admin_api.get(f"{PROJECTS}warnings/", {"today": "2025-01-31"})
    assert r.status_code == 200
    assert [(w["project"], w["code"]) for w in r.json()] == [(stale.pk, "stale_lead")]
    assert "30 天" in r.json()[0]["message"]
    assert admin_api.get(f"{PROJECTS}warnings/", {"today": "昨天"}).status_code == 400
    AnnualTarget.objects.create(year=2025, events=10, signings=4, funds=Decimal("1000"))
    f.signed("进度项目", on=datetime.date(2025, 3, 1))
    r = admin_api.get(f"{TARGETS}pace/", {"year": 2025, "today": "2025-12-31"})
    assert r.status_code == 200
    rows = {row["label"]: row for row in r.json()["rows"]}
    assert r.json()["year_share"] == 100.0
    assert rows["签约项目数"]["done"] == 1 and rows["签约项目数"]["done_share"] == 25.0
    assert rows["签约项目数"]["behind"] is True
    assert admin_api.get(f"{TARGETS}pace/", {"year": "abc"}).status_code == 400


def test_an_event_with_participants_and_an_absent_one_refused(admin_api):
    early = f.person("在任大使", appointed_on=datetime.date(2024, 1, 1))
    late = f.person("晚到大使", appointed_on=datetime.date(2025, 6, 1))
    payload = {"name": "长沙对接会", "held_on": "2025-05-10", "city": "长沙", "form": "matchmaking"}
    r = admin_api.post(EVENTS, {**payload, "participants": [early.pk, late.pk]}, format="json")
    assert r.status_code == 400 and r.json() == {"participants": ["晚到大使在 2025-05-10 不在招商人员任上"]}
    r = admin_api.post(EVENTS, {**payload, "participants": [early.pk]}, format="json")
    assert r.status_code == 201 and r.json()["participants"] == [early.pk] and r.json()["photos"] == []


def test_people_show_the_phone_masked_and_leave(admin_api):
    r = admin_api.post(
        PEOPLE, {"name": "李大使", "role": "ambassador", "phone": "13912345678"}, format="json"
    )
    assert r.status_code == 201, r.content
    assert "phone" not in r.json() and r.json()["phone_masked"] != "13912345678"
    r = admin_api.post(f"{PEOPLE}{r.json()['id']}/leave/", {"on": "2025-06-30"}, format="json")
    assert r.status_code == 200 and r.json()["left_on"] == "2025-06-30"


def test_a_team_member_sees_only_their_teams_records(zone, admin_api):
    ours, theirs = f.team("我队"), f.team("他队")
    me = f.person("队员甲", role=PersonRole.MEMBER, team=ours, appointed_on=datetime.date(2024, 1, 1))
    mine = f.project("我队项目", team=ours)
    other = f.project("他队项目", team=theirs)
    f.event("我队活动", team=ours)
    f.event("他队活动", team=theirs, held_on=datetime.date(2025, 5, 11))
    client = api_as(me.user)
    assert [p["name"] for p in client.get(PROJECTS).json()["results"]] == ["我队项目"]
    assert [e["name"] for e in client.get(EVENTS).json()["results"]] == ["我队活动"]
    assert client.get(f"{PROJECTS}{other.pk}/").status_code == 404
    assert step(client, other, "advance", stage="negotiating", on="2025-02-01").status_code == 404
    r = step(client, mine, "advance", stage="negotiating", on="2025-02-01")
    assert r.status_code == 200 and r.json()["stage"] == "negotiating"
    # a lead recorded for another team is outside their scope: refused, nothing kept
    r = client.post(
        PROJECTS, {"name": "越权项目", "recorded_on": "2025-02-01", "team": theirs.pk}, format="json"
    )
    assert r.status_code in (400, 403)
    assert not InvestmentProject.objects.filter(name="越权项目").exists()
    # all the zone administrator's
    assert len(admin_api.get(PROJECTS).json()["results"]) == 2


def test_the_leader_reads_all_and_writes_nothing(zone, leader_api):
    project = f.project("领导查看项目", team=f.team())
    assert [p["name"] for p in leader_api.get(PROJECTS).json()["results"]] == ["领导查看项目"]
    assert leader_api.get(f"{PROJECTS}{project.pk}/").status_code == 200
    assert step(leader_api, project, "advance", stage="negotiating", on="2025-02-01").status_code == 403
    assert step(leader_api, project, "carry").status_code == 403
    r = leader_api.post(PROJECTS, {"name": "领导新项目", "recorded_on": "2025-02-01"}, format="json")
    assert r.status_code == 403
    assert leader_api.delete(f"{PROJECTS}{project.pk}/").status_code == 403
    project.refresh_from_db()
    assert project.stage == Stage.LEAD
