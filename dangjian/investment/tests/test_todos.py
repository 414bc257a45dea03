"""招商引资's part of 我的待办: the follower and the team's members are told of a lead not followed
up within 30 days (29 days: not yet; 30: listed) and of a signed project not started 6 months
after signing (one day less: not yet); each item links to the project's page."""

import datetime

import pytest

from dangjian.core.registry import todos
from dangjian.investment import services
from dangjian.investment.models import PersonRole, Stage
from dangjian.investment.tests import factories as f
from dangjian.testing.factories import make_user

pytestmark = pytest.mark.django_db

LEADS, UNSTARTED = "待跟进的招商线索", "签约后未开工的招商项目"


def group(user, today, title):
    found = [g for g in todos(user, today) if g.title == title]
    return found[0] if found else None


@pytest.fixture
def team_world(db):
    team = f.team("跟进小分队")
    leader = f.person("王队长", role=PersonRole.LEADER, team=team, appointed_on=datetime.date(2024, 1, 1))
    member = f.person("李队员", role=PersonRole.MEMBER, team=team, appointed_on=datetime.date(2024, 1, 1))
    return team, leader, member


def test_a_lead_29_days_without_follow_up_is_not_listed_30_days_is(team_world):
    team, leader, member = team_world
    p = f.project("久未跟进项目", recorded_on=datetime.date(2025, 3, 1), team=team, follower=leader)
    day30 = datetime.date(2025, 3, 31)
    assert group(leader.user, day30 - datetime.timedelta(days=1), LEADS) is None
    g = group(leader.user, day30, LEADS)
    assert g.total == 1
    (item,) = g.items
    assert item.title == "久未跟进项目（线索，30 天未跟进）"
    assert item.url == f"/admin/investment/investmentproject/{p.pk}/change/"
    assert (item.due, item.overdue) == (day30, False)
    later = group(leader.user, day30 + datetime.timedelta(days=1), LEADS).items[0]
    assert later.overdue is True
    # the team's member sees it too
    assert group(member.user, day30, LEADS).total == 1
    # a follow-up starts the days again
    services.follow_up_add(actor=None, project=p, on=datetime.date(2025, 3, 20), content="电话联系")
    assert group(leader.user, day30, LEADS) is None


def test_only_the_follower_and_the_team_are_told(team_world, zone):
    team, _leader, member = team_world
    other_team = f.team("其他小分队")
    outsider = f.person(
        "赵队员", role=PersonRole.MEMBER, team=other_team, appointed_on=datetime.date(2024, 1, 1)
    )
    f.project("本队线索", recorded_on=datetime.date(2025, 3, 1), team=team)
    day = datetime.date(2025, 4, 30)
    assert group(member.user, day, LEADS).total == 1
    assert group(outsider.user, day, LEADS) is None
    # the zone administrator sees it among the warnings, not as their own work
    assert group(make_user("zone_admin", organization=zone.root), day, LEADS) is None
    # a member who left the team no longer has it to do
    services.person_leave(actor=None, person=member, on=datetime.date(2025, 4, 1))
    assert group(member.user, day, LEADS) is None


def test_a_signed_project_not_started_after_6_months_is_listed(team_world):
    team, _leader, member = team_world
    p = f.signed("未开工项目", on=datetime.date(2025, 2, 28), team=team, follower=member)
    due = datetime.date(2025, 8, 28)
    assert group(member.user, due - datetime.timedelta(days=1), UNSTARTED) is None
    g = group(member.user, due, UNSTARTED)
    (item,) = g.items
    assert item.title == "未开工项目（2025-02-28 签约，尚未开工）"
    assert (item.due, item.overdue) == (due, False)
    assert item.url.endswith(f"/{p.pk}/change/")
    services.project_advance(actor=None, project=p, stage=Stage.STARTED, on=due)
    assert group(member.user, due, UNSTARTED) is None


def test_the_leader_role_has_no_such_work(zone):
    f.project("领导不办的线索", recorded_on=datetime.date(2025, 1, 1))
    leader = make_user("leader", organization=zone.root)
    assert group(leader, datetime.date(2025, 6, 1), LEADS) is None
    assert group(leader, datetime.date(2025, 6, 1), UNSTARTED) is None
