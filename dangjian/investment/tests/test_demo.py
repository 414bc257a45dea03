"""The demo zone's investment attraction (loaded once for the module and rolled back): last
year's figures are the seed article's — 10 招商大使 and 9 招商顾问, 8 teams, 32 招商对接, 6 signed
projects with 8.82 亿元 in place — read through the selectors; both warnings show; the demo login
of 招商人员 sees its own team only."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core.demo import DEMO_PASSWORD
from dangjian.core.indicators import Period
from dangjian.core.registry import demo_logins
from dangjian.core.scope import restrict
from dangjian.investment import selectors
from dangjian.investment.models import (
    AnnualTarget,
    EventForm,
    FundTranche,
    InvestmentEvent,
    InvestmentPerson,
    InvestmentProject,
    PersonRole,
    Stage,
    Team,
)

pytestmark = pytest.mark.django_db


def seed_year():
    return timezone.localdate().year - 1


def test_the_people_in_post_on_31_december_are_the_seeds(demo_zone):
    year = seed_year()
    people = InvestmentPerson.objects.all()
    end = datetime.date(year, 12, 31)
    assert selectors.people_in_post(people, end, PersonRole.AMBASSADOR).count() == 10
    assert selectors.people_in_post(people, end, PersonRole.ADVISOR).count() == 9
    # "as of" matters: the ambassador who left on 30 September counted the day before, not after
    assert selectors.people_in_post(people, datetime.date(year, 9, 29), PersonRole.AMBASSADOR).count() == 10
    assert selectors.people_in_post(people, datetime.date(year, 9, 30), PersonRole.AMBASSADOR).count() == 9
    # and the last ambassador appointed on 31 December counts on that day, not on the 30th
    assert selectors.people_in_post(people, datetime.date(year, 12, 30), PersonRole.AMBASSADOR).count() == 9
    assert people.filter(role=PersonRole.AMBASSADOR).count() == 11


def test_eight_teams_each_with_a_cadre_leader_and_two_or_three_members(demo_zone):
    end = datetime.date(seed_year(), 12, 31)
    assert selectors.teams_with_members(Team.objects.all(), end).count() == 8
    for team in Team.objects.all():
        leaders = team.people.filter(role=PersonRole.LEADER)
        assert leaders.count() == 1 and leaders.get().cadre is not None
        assert 2 <= team.people.filter(role=PersonRole.MEMBER).count() <= 3


def test_thirty_two_matchmakings_and_the_study_tours_are_not_among_them(demo_zone):
    period = Period.year(seed_year())
    events = InvestmentEvent.objects.all()
    assert selectors.events_in(events, period, EventForm.MATCHMAKING).count() == 32
    tours = selectors.events_in(events, period, EventForm.STUDY_TOUR)
    assert {e.city for e in tours} == {"西安", "长沙", "深圳", "湖南", "北京"}
    assert selectors.events_in(events, period, EventForm.PROMOTION).count() == 1
    cities = set(selectors.events_in(events, period, EventForm.MATCHMAKING).values_list("city", flat=True))
    assert {"西安", "长沙", "深圳", "北京", "上海", "杭州", "成都"} <= cities
    matchmaking = selectors.events_in(events, period, EventForm.MATCHMAKING)
    assert all(e.participants.exists() and e.met for e in matchmaking)


def test_six_signed_projects_with_8_82_yi_in_place(demo_zone):
    period = Period.year(seed_year())
    signed = selectors.signed_in(InvestmentProject.objects.all(), period)
    assert signed.count() == 6
    assert selectors.funds_of(signed) == Decimal(88200)
    # every tranche of the six is dated in the seed year, on or after its signing
    tranches = FundTranche.objects.filter(project__in=signed)
    assert selectors.tranche_sum(selectors.tranches_in(tranches, period)) == Decimal(88200)
    assert all(t.received_on >= t.project.signed_on for t in tranches.select_related("project"))
    assert all(p.tranches.count() >= 2 for p in signed)
    # a project signed that year and then terminated is not among them
    terminated = InvestmentProject.objects.filter(stage=Stage.TERMINATED, signed_on__year=seed_year()).get()
    assert terminated.termination_reason and terminated not in signed
    # in the clusters of "3+N", one carried into the key projects
    assert all(p.cluster is not None for p in signed)
    assert signed.filter(key_project__isnull=False).count() == 1


def test_leads_at_every_stage(demo_zone):
    stages = set(InvestmentProject.objects.values_list("stage", flat=True))
    assert stages == set(Stage.values)
    assert InvestmentProject.objects.filter(follow_ups__isnull=False).distinct().count() >= 5


def test_both_warnings_show(demo_zone):
    today = timezone.localdate()
    admin = User.objects.get(username="zone_admin")
    codes = {(w.code, w.project.name) for w in selectors.project_warnings(user=admin, today=today)}
    assert codes == {("stale_lead", "冷链物流分拨中心项目"), ("not_started", "中药配方颗粒智能工厂项目")}


def test_this_year_has_its_first_records_and_both_years_have_targets(demo_zone):
    today = timezone.localdate()
    this_year = Period.year(today.year)
    assert selectors.signed_in(InvestmentProject.objects.all(), this_year).count() == 1
    assert set(AnnualTarget.objects.values_list("year", flat=True)) == {today.year - 1, today.year}
    if today >= datetime.date(today.year, 1, 16):
        assert selectors.events_in(InvestmentEvent.objects.all(), this_year, EventForm.MATCHMAKING).exists()


def test_the_investment_login_is_a_first_team_member_who_sees_its_team_only(demo_zone):
    assert ("investment", "招商人员（第一小分队）：本小分队的招商活动和招商项目") in demo_logins()
    user = User.objects.get(username="investment")
    assert user.check_password(DEMO_PASSWORD)
    person = InvestmentPerson.objects.get(user=user)
    assert person.role == PersonRole.MEMBER and person.team.name == "第一招商小分队"
    assert person.grant.role.code == "investment_staff"
    events = restrict(user, InvestmentEvent.objects.all(), "view")
    assert events.exists() and set(events.values_list("team__name", flat=True)) == {"第一招商小分队"}
    projects = restrict(user, InvestmentProject.objects.all(), "view")
    assert projects.exists() and projects.count() < InvestmentProject.objects.count()


def test_the_seed_years_figures_are_the_seed_articles(demo_zone):
    """The figures of the summary, as the indicators compute them for last year at the zone."""
    from dangjian.core.indicators import compute

    period = Period.year(seed_year())
    seed = {
        "investment.ambassadors": 10,
        "investment.advisors": 9,
        "investment.teams": 8,
        "investment.events": 32,
        "investment.signed_projects": 6,
        "investment.funds_in_place": Decimal(88200),
    }
    assert {code: compute(code, period=period).value for code in seed} == seed
