"""The queries of 招商引资: tranche sums at the period's edges, who was in post on a day (appointed
on it: yes; departed on it: no), the pace of the yearly targets (the share of the year gone on
1 January, 31 December, in a leap year, before and after the year; behind only when the share
done is below it), and the warnings at their limits (30 days without follow-up; 6 months after
signing, month ends included)."""

import datetime
from decimal import Decimal

import pytest

from dangjian.core.indicators import Period
from dangjian.investment import selectors, services
from dangjian.investment.models import (
    AnnualTarget,
    FundTranche,
    InvestmentPerson,
    InvestmentProject,
    PersonRole,
    Stage,
)
from dangjian.investment.tests import factories as f
from dangjian.testing.factories import make_user

pytestmark = pytest.mark.django_db

D = datetime.date


def tranche(project, on, amount):
    return services.tranche_add(actor=None, project=project, received_on=on, amount=Decimal(amount))


# -- tranches --------------------------------------------------------------------------------------
def test_tranche_sums_count_the_first_and_last_day_of_the_period_only():
    p = f.signed("资金项目", on=D(2024, 12, 1))
    for on, amount in (
        (D(2024, 12, 31), "1"),
        (D(2025, 1, 1), "10"),
        (D(2025, 12, 31), "100"),
        (D(2026, 1, 1), "1000"),
    ):
        tranche(p, on, amount)
    in_2025 = selectors.tranches_in(FundTranche.objects.all(), Period.year(2025))
    assert sorted(in_2025.values_list("received_on", flat=True)) == [D(2025, 1, 1), D(2025, 12, 31)]
    assert selectors.tranche_sum(in_2025) == Decimal("110")
    assert selectors.tranche_sum(FundTranche.objects.none()) == Decimal(0)
    assert selectors.funds_of(
        selectors.signed_in(InvestmentProject.objects.all(), Period.year(2024))
    ) == Decimal("1111")
    assert p.funds_total == Decimal("1111")


# -- in post on a day ---------------------------------------------------------------------------------
def test_a_person_appointed_on_the_day_is_in_post_and_one_who_left_on_it_is_not():
    day = D(2025, 6, 30)
    f.person("当天聘任", appointed_on=day)
    f.person("次日聘任", appointed_on=day + datetime.timedelta(days=1))
    left = f.person("当天离任", appointed_on=D(2024, 1, 1))
    services.person_leave(actor=None, person=left, on=day)
    stays = f.person("次日离任", appointed_on=D(2024, 1, 1))
    services.person_leave(actor=None, person=stays, on=day + datetime.timedelta(days=1))
    f.person("顾问", role=PersonRole.ADVISOR, appointed_on=D(2024, 1, 1))
    found = selectors.people_in_post(InvestmentPerson.objects.all(), day, PersonRole.AMBASSADOR)
    assert sorted(found.values_list("name", flat=True)) == sorted(["当天聘任", "次日离任"])
    assert selectors.people_in_post(InvestmentPerson.objects.all(), day).count() == 3
    assert sorted(
        selectors.people_in_post(
            InvestmentPerson.objects.all(), day - datetime.timedelta(days=1)
        ).values_list("name", flat=True)
    ) == sorted(["顾问", "当天离任", "次日离任"])


# -- the share of the year and the pace -------------------------------------------------------------
@pytest.mark.parametrize(
    "today, share",
    [
        (D(2024, 12, 31), "0"),  # before the year
        (D(2025, 1, 1), "0.3"),  # 1 of 365 days
        (D(2025, 2, 28), "16.2"),  # 59 of 365
        (D(2025, 12, 30), "99.7"),
        (D(2025, 12, 31), "100"),
        (D(2026, 3, 1), "100"),  # after the year
    ],
)
def test_the_share_of_the_year_gone(today, share):
    assert selectors.year_share(2025, today) == Decimal(share)


def test_the_share_of_a_leap_year_counts_366_days():
    assert selectors.year_share(2024, D(2024, 2, 29)) == Decimal("16.4")  # 60 of 366
    assert selectors.year_share(2024, D(2024, 7, 1)) == Decimal("50.0")  # 183 of 366
    assert selectors.year_share(2024, D(2024, 1, 1)) == Decimal("0.3")


def rows(user, today, year=2024):
    return {r.label: r for r in selectors.target_pace(user=user, year=year, today=today)}


def test_a_target_is_behind_when_the_share_done_is_below_the_share_of_the_year_not_when_equal(zone_admin):
    AnnualTarget.objects.create(year=2024, events=4, signings=2, funds=Decimal("200"))
    p = f.signed("进度项目", on=D(2024, 3, 1))
    tranche(p, D(2024, 4, 1), "100")
    f.event("进度对接", held_on=D(2024, 5, 1))
    f.event("进度对接二", held_on=D(2024, 5, 2))
    half = rows(zone_admin, D(2024, 7, 1))  # 50.0 % of the year gone
    signings = half["签约项目数"]
    assert (signings.target, signings.done, signings.done_share, signings.year_share) == (
        2,
        1,
        Decimal("50.0"),
        Decimal("50.0"),
    )
    assert signings.behind is False
    assert half["招商对接场次"].done == 2 and half["招商对接场次"].behind is False
    assert half["到位资金"].done == Decimal("100") and half["到位资金"].behind is False
    later = rows(zone_admin, D(2024, 7, 2))  # 50.3 %
    assert all(r.behind for r in later.values())
    assert later["到位资金"].unit == "万元"


def test_without_a_target_nothing_is_behind(zone_admin):
    found = rows(zone_admin, D(2024, 12, 31))
    assert all(r.target is None and r.done_share is None and not r.behind for r in found.values())
    assert found["签约项目数"].year_share == Decimal(100)


def test_the_pace_counts_the_users_scope_only(zone, zone_admin):
    AnnualTarget.objects.create(year=2024, signings=1)
    f.signed("无组织项目", on=D(2024, 3, 1))
    assert rows(zone_admin, D(2024, 6, 1))["签约项目数"].done == 1
    secretary = make_user("secretary", organization=zone.committee_a)  # no investment permission
    assert rows(secretary, D(2024, 6, 1))["签约项目数"].done == 0


# -- warnings --------------------------------------------------------------------------------------
def test_a_lead_30_days_without_follow_up_is_warned_29_days_not(zone_admin):
    p = f.project("待跟进项目", recorded_on=D(2025, 3, 1))
    assert selectors.stale_leads(user=zone_admin, today=D(2025, 3, 30)).count() == 0  # 29 days
    (warning,) = selectors.project_warnings(user=zone_admin, today=D(2025, 3, 31))  # 30 days
    assert (warning.project, warning.code, warning.since) == (p, "stale_lead", D(2025, 3, 1))
    assert warning.message == "“线索”阶段已 30 天未跟进（超过 30 天预警，规则第 1 版）"


def test_a_project_in_negotiation_is_warned_from_its_last_step_a_signed_one_is_not(zone_admin):
    p = f.project("洽谈项目", recorded_on=D(2025, 3, 1))
    services.project_advance(actor=None, project=p, stage=Stage.NEGOTIATING, on=D(2025, 3, 10))
    assert not selectors.stale_leads(user=zone_admin, today=D(2025, 4, 8)).exists()
    assert list(selectors.stale_leads(user=zone_admin, today=D(2025, 4, 9))) == [p]
    f.signed("已签约项目", on=D(2025, 1, 1))
    assert [w.project.name for w in selectors.project_warnings(user=zone_admin, today=D(2025, 4, 9))] == [
        "洽谈项目"
    ]


def test_signed_exactly_6_months_ago_is_warned_one_day_less_not(zone_admin):
    p = f.signed("未开工项目", on=D(2025, 3, 15))
    assert selectors.unstarted(user=zone_admin, today=D(2025, 9, 14)) == []
    assert selectors.unstarted(user=zone_admin, today=D(2025, 9, 15)) == [p]
    codes = [w.code for w in selectors.project_warnings(user=zone_admin, today=D(2025, 9, 15))]
    assert codes == ["not_started"]
    services.project_advance(actor=None, project=p, stage=Stage.STARTED, on=D(2025, 9, 15))
    assert selectors.unstarted(user=zone_admin, today=D(2025, 9, 15)) == []


@pytest.mark.parametrize(
    "signed_on, due",
    [
        (D(2025, 8, 31), D(2026, 2, 28)),  # no 31 February: the month's last day
        (D(2023, 8, 31), D(2024, 2, 29)),  # a leap year's
    ],
)
def test_six_months_from_a_month_end_fall_on_february_s_last_day(zone_admin, signed_on, due):
    p = f.signed("月末签约项目", on=signed_on)
    assert selectors.unstarted(user=zone_admin, today=due - datetime.timedelta(days=1)) == []
    assert selectors.unstarted(user=zone_admin, today=due) == [p]
    (warning,) = [
        w for w in selectors.project_warnings(user=zone_admin, today=due) if w.code == "not_started"
    ]
    assert warning.message == f"{signed_on:%Y-%m-%d} 签约，6 个月仍未开工（规则第 1 版）"


def test_signings_by_cluster_most_first():
    bio = f.cluster("生物医药")
    f.signed("一", on=D(2025, 2, 1), cluster=bio)
    f.signed("二", on=D(2025, 2, 2), cluster=bio)
    f.signed("三", on=D(2025, 2, 3))
    signed = selectors.signed_in(InvestmentProject.objects.all(), Period.year(2025))
    assert selectors.cluster_signings(signed) == [("生物医药", 2), ("未分类", 1)]
