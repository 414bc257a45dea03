"""The investment figures as INDICATORS.md defines them, at the 1 January and 31 December edges:
people in post at the period end, teams with a member then, 招商对接 events in the period,
projects signed in the period and not 终止, their 到位资金 (every tranche), and the funds received
in the period (tranches dated in it). At the zone's root every record counts; in a subtree only
those with an organization there."""

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from dangjian.core.indicators import Period, compute, get, json_value
from dangjian.investment import services
from dangjian.investment.models import EventForm, PersonRole
from dangjian.investment.tests import factories as f

pytestmark = pytest.mark.django_db

Y = 2025
PERIOD = Period.year(Y)
DEC31, JAN1 = datetime.date(Y, 12, 31), datetime.date(Y + 1, 1, 1)
CODES = (
    "investment.ambassadors",
    "investment.advisors",
    "investment.teams",
    "investment.events",
    "investment.signed_projects",
    "investment.funds_in_place",
    "investment.funds_received",
)


def value(code, period=PERIOD, **options):
    return compute(code, period=period, **options).value


def names(code, period=PERIOD, **options):
    return sorted(str(r) for r in compute(code, period=period, **options).records)


def tranche(project, on, amount):
    return services.tranche_add(actor=None, project=project, received_on=on, amount=Decimal(amount))


def test_the_figures_are_registered_with_their_names_and_units_in_the_documents_order():
    assert [(get(c).name, get(c).unit) for c in CODES] == [
        ("招商大使人数", "名"),
        ("招商顾问人数", "名"),
        ("招商小分队数", "个"),
        ("招商对接场次", "场"),
        ("签约项目数", "个"),
        ("到位资金", "万元"),
        ("到位资金（当期到账）", "万元"),
    ]
    from dangjian.core.indicators import all_indicators

    codes = [i.code for i in all_indicators()]
    positions = [codes.index(c) for c in CODES]
    assert positions == sorted(positions)
    assert get("investment.signed_projects").filters == ("所属产业",)
    assert get("investment.funds_in_place").dashboard is not None


# -- people --------------------------------------------------------------------------------------
def test_an_ambassador_appointed_on_31_december_counts_for_that_year_and_on_1_january_not(db):
    f.person("甲大使", appointed_on=DEC31)
    f.person("乙大使", appointed_on=JAN1)
    f.person("丙大使")  # no known date: always in post
    assert value("investment.ambassadors") == 2
    assert names("investment.ambassadors") == ["丙大使（招商大使）", "甲大使（招商大使）"]
    assert value("investment.ambassadors", Period.year(Y + 1)) == 3
    assert value("investment.ambassadors", Period.year(Y - 1)) == 1


def test_a_departure_on_or_before_31_december_is_not_counted_as_of_31_december(db):
    start = datetime.date(Y - 1, 3, 1)
    on_dec31 = f.person("甲顾问", role=PersonRole.ADVISOR, appointed_on=start)
    services.person_leave(actor=None, person=on_dec31, on=DEC31)
    before = f.person("乙顾问", role=PersonRole.ADVISOR, appointed_on=start)
    services.person_leave(actor=None, person=before, on=datetime.date(Y, 6, 30))
    after = f.person("丙顾问", role=PersonRole.ADVISOR, appointed_on=start)
    services.person_leave(actor=None, person=after, on=JAN1)  # still in post on 31 December
    f.person("丁大使", appointed_on=start)  # another role
    assert names("investment.advisors") == ["丙顾问（招商顾问）"]
    assert value("investment.advisors", Period.year(Y - 1)) == 3


def test_teams_count_those_with_a_member_in_post_at_the_period_end(db):
    early, late, gone = f.team("一队"), f.team("二队"), f.team("三队")
    f.team("空队")  # no member at all
    f.person("甲", role=PersonRole.LEADER, team=early, appointed_on=DEC31)
    f.person("乙", role=PersonRole.MEMBER, team=late, appointed_on=JAN1)
    member = f.person("丙", role=PersonRole.MEMBER, team=gone, appointed_on=datetime.date(Y, 1, 1))
    services.person_leave(actor=None, person=member, on=DEC31)
    assert names("investment.teams") == ["一队"]
    assert names("investment.teams", Period.year(Y + 1)) == ["一队", "二队"]


# -- events --------------------------------------------------------------------------------------
def test_matchmaking_events_count_on_31_december_and_1_january_of_the_year_only(db):
    f.event("年初对接", held_on=datetime.date(Y, 1, 1))
    f.event("年末对接", held_on=DEC31)
    f.event("次年对接", held_on=JAN1)
    f.event("上年对接", held_on=datetime.date(Y - 1, 12, 31))
    f.event("考察", held_on=datetime.date(Y, 5, 1), form=EventForm.STUDY_TOUR)
    assert value("investment.events") == 2
    assert names("investment.events") == [f"{Y}-01-01 年初对接", f"{Y}-12-31 年末对接"]


# -- signings and funds ----------------------------------------------------------------------------
def test_signed_projects_count_a_signing_on_31_december_not_one_on_1_january(db):
    f.signed("年末签约项目", on=DEC31)
    f.signed("次年签约项目", on=JAN1)
    f.signed("年初签约项目", on=datetime.date(Y, 1, 1))
    f.project("仍是线索项目", recorded_on=datetime.date(Y, 3, 1))
    assert names("investment.signed_projects") == ["年初签约项目", "年末签约项目"]
    assert names("investment.signed_projects", Period.year(Y + 1)) == ["次年签约项目"]


def test_terminated_signed_projects_are_excluded(db):
    kept = f.signed("保留项目", on=datetime.date(Y, 4, 1))
    dropped = f.signed("终止项目", on=datetime.date(Y, 4, 2))
    tranche(kept, datetime.date(Y, 5, 1), "100")
    tranche(dropped, datetime.date(Y, 5, 1), "40")
    services.project_terminate(actor=None, project=dropped, on=datetime.date(Y, 6, 1), reason="投资方撤资")
    assert value("investment.signed_projects") == 1
    assert value("investment.funds_in_place") == Decimal("100")
    assert names("investment.funds_in_place") == ["保留项目"]


def test_funds_in_place_are_all_tranches_of_the_projects_signed_in_the_year(db):
    """A project signed in the year whose money comes the next year: its funds count for the
    year of signing (all tranches), and as received in the year each tranche came."""
    p = f.signed("跨年到位项目", on=datetime.date(Y, 11, 1), amount=Decimal("50000"))
    tranche(p, DEC31, "30000.5")
    tranche(p, JAN1, "58199.5")
    earlier = f.signed("上年签约项目", on=datetime.date(Y - 1, 6, 1))
    tranche(earlier, datetime.date(Y, 2, 1), "7")  # received this year, signed the year before
    r = compute("investment.funds_in_place", period=PERIOD)
    assert r.value == Decimal("88200")
    assert json_value(r.value) == 88200.0
    assert [part.label for part in r.parts] == ["签约日期", "到位资金（万元）"]
    (record,) = r.records
    assert [part.value(record) for part in r.parts] == [datetime.date(Y, 11, 1), Decimal("88200")]
    assert value("investment.funds_in_place", Period.year(Y + 1)) == 0
    assert value("investment.funds_in_place", Period.year(Y - 1)) == Decimal("7")


def test_funds_received_are_the_tranches_dated_in_the_period_at_its_edges(db):
    p = f.signed("到账项目", on=datetime.date(Y - 1, 12, 1))
    tranche(p, datetime.date(Y - 1, 12, 31), "1")
    tranche(p, datetime.date(Y, 1, 1), "10")
    tranche(p, DEC31, "100")
    tranche(p, JAN1, "1000")
    r = compute("investment.funds_received", period=PERIOD)
    assert r.value == Decimal("110")
    assert [part.label for part in r.parts] == ["项目", "到位日期", "金额（万元）"]
    assert [[part.value(t) for part in r.parts] for t in r.records] == [
        ["到账项目", datetime.date(Y, 1, 1), Decimal("10")],
        ["到账项目", DEC31, Decimal("100")],
    ]
    assert value("investment.funds_received", Period.year(Y + 1)) == Decimal("1000")
    assert value("investment.funds_received", Period.year(Y + 2)) == 0


def test_signings_by_cluster_are_a_filter_and_the_detail(db):
    bio, energy = f.cluster("生物医药"), f.cluster("新能源")
    f.signed("医药一", on=datetime.date(Y, 2, 1), cluster=bio)
    f.signed("医药二", on=datetime.date(Y, 3, 1), cluster=bio)
    f.signed("光伏一", on=datetime.date(Y, 4, 1), cluster=energy)
    f.signed("未分类一", on=datetime.date(Y, 5, 1))
    f.signed("上年医药", on=datetime.date(Y - 1, 5, 1), cluster=bio)
    r = compute("investment.signed_projects", period=PERIOD)
    assert r.detail["by_cluster"] == [("生物医药", 2), ("新能源", 1), ("未分类", 1)]
    assert value("investment.signed_projects", 所属产业="生物医药") == 2
    assert value("investment.signed_projects", 所属产业=str(energy.pk)) == 1
    assert value("investment.signed_projects", 所属产业="未分类") == 1
    assert names("investment.signed_projects", cluster="新能源") == ["光伏一"]


# -- scope ---------------------------------------------------------------------------------------
def test_at_the_root_every_record_counts_in_a_subtree_only_those_with_an_organization_there(zone):
    day = datetime.date(Y, 3, 1)
    f.person("无组织大使", appointed_on=day)
    f.person("甲大使", appointed_on=day, organization=zone.branch_a1)
    f.person("乙大使", appointed_on=day, organization=zone.branch_b)
    f.event("无组织对接", held_on=day)
    f.event("甲对接", held_on=day, organization=zone.committee_a)
    plain = f.signed("无组织项目", on=day)
    mine = f.signed("甲项目", on=day, organization=zone.branch_a1)
    tranche(plain, day, "5")
    tranche(mine, day, "7")
    assert value("investment.ambassadors", scope=zone.root) == 3
    assert value("investment.ambassadors", scope=zone.committee_a) == 1
    assert names("investment.ambassadors", scope=zone.committee_a) == ["甲大使（招商大使）"]
    assert value("investment.events", scope=zone.root) == 2
    assert value("investment.events", scope=zone.committee_a) == 1
    assert value("investment.events", scope=zone.branch_b) == 0
    assert value("investment.signed_projects", scope=zone.committee_a) == 1
    assert value("investment.funds_in_place", scope=zone.root) == Decimal("12")
    assert value("investment.funds_in_place", scope=zone.committee_a) == Decimal("7")
    assert value("investment.funds_received", scope=zone.committee_a) == Decimal("7")
    assert value("investment.funds_received", scope=zone.branch_b) == 0


def test_a_team_member_asking_sees_the_figures_of_their_team_only(zone):
    day = datetime.date(Y, 3, 1)
    ours, theirs = f.team("我队"), f.team("他队")
    me = f.person("队员甲", role=PersonRole.MEMBER, team=ours, appointed_on=datetime.date(Y - 1, 1, 1))
    f.event("我队对接", held_on=day, team=ours)
    f.event("他队对接", held_on=day, team=theirs)
    f.signed("我队项目", on=day, team=ours)
    f.signed("他队项目", on=day, team=theirs)
    assert value("investment.events", user=me.user) == 1
    assert names("investment.signed_projects", user=me.user) == ["我队项目"]


def test_the_indicators_command_prints_them_as_json(db):
    p = f.signed("命令项目", on=datetime.date(Y, 6, 1))
    tranche(p, datetime.date(Y, 7, 1), "88200")
    f.event("命令对接", held_on=datetime.date(Y, 6, 2))
    out = StringIO()
    call_command("indicators", "--year", str(Y), "--json", stdout=out)
    figures = json.loads(out.getvalue())["indicators"]
    assert figures["investment.signed_projects"] == {"name": "签约项目数", "unit": "个", "value": 1}
    assert figures["investment.funds_in_place"]["value"] == 88200.0
    assert figures["investment.funds_received"]["value"] == 88200.0
    assert figures["investment.events"]["value"] == 1
    assert figures["investment.ambassadors"]["value"] == 0
