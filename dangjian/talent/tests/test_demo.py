"""The demo zone's talent and innovation (the run's shared demo zone): last year's
figures are the seed article's — 动态入库 175 人, the 44 platforms of its list by type and level,
48 重点科技项目, 4 省级以上科技成果, 75 专利, 11 合作高校, 5 院士专家 — read through the selectors, with
the edges of the year (1 January, 31 December, a withdrawal's and an exit's day); the demo
enterprise's pending patent counts nowhere; the demo login of 人才工作人员 sees the whole zone and has
the submission waiting. The same figures through the indicators."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core.demo import DEMO_PASSWORD
from dangjian.core.indicators import Period
from dangjian.core.registry import demo_logins
from dangjian.core.scope import restrict
from dangjian.core.validators import normalize_id_number
from dangjian.enterprises.models import Enterprise
from dangjian.notifications.models import Notification
from dangjian.organizations.models import PartyOrganization
from dangjian.talent import selectors
from dangjian.talent.models import (
    Expert,
    Incubation,
    Innovation,
    InnovationKind,
    InnovationLevel,
    PatentKind,
    Platform,
    PlatformKind,
    PlatformLevel,
    PolicySupport,
    Review,
    Talent,
    TalentCategory,
    TalentSource,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def seed_year():
    return timezone.localdate().year - 1


def end():
    return D(seed_year(), 12, 31)


def test_175_talents_taken_into_the_pool_in_the_seed_year(demo_zone):
    year, talents = seed_year(), Talent.objects.all()
    intake = selectors.intake_in(talents, Period.year(year))
    assert intake.count() == 175
    # 1 January and 31 December are in the year; 31 December of the year before is not
    assert intake.filter(intake_on=D(year, 1, 1)).exists() and intake.filter(intake_on=end()).exists()
    assert talents.filter(intake_on=D(year - 1, 12, 31)).exists()
    assert selectors.intake_in(talents, Period.year(year - 1)).filter(intake_on=D(year - 1, 12, 31)).exists()
    # all five categories, 产业领军人才 and 紧缺高层次人才 among them, both sources
    mix = dict(selectors.pool_mix(intake))
    assert set(mix) == {label for _, label in TalentCategory.choices} and all(mix.values())
    assert sum(mix.values()) == 175
    assert {t.source for t in intake} == {TalentSource.INTRODUCED, TalentSource.TRAINED}
    # every talent is confirmed, at a demo enterprise or at a unit outside them
    assert not talents.exclude(review=Review.CONFIRMED).exists()
    at_enterprises = intake.filter(enterprise__isnull=False)
    assert at_enterprises.count() > 120 and intake.filter(enterprise__isnull=True).exists()
    assert all(t.employer == t.enterprise.name for t in at_enterprises.select_related("enterprise"))
    assert {"商洛学院", "商洛市中心医院"} & set(
        intake.filter(enterprise__isnull=True).values_list("employer", flat=True)
    )


def test_some_talents_have_a_valid_id_number_and_some_none(demo_zone):
    talents = Talent.objects.all()
    with_id = [t for t in talents if t.id_number]
    assert 60 <= len(with_id) < talents.count()
    # each a valid GB 11643 number (check digit, birth date), and one talent each
    assert all(normalize_id_number(t.id_number) == t.id_number for t in with_id)
    assert len({t.id_number_hash for t in with_id}) == len(with_id)
    # those without one are one talent each by 姓名 + 工作单位
    without = talents.filter(id_number_hash="")
    assert without.exists()
    assert len(set(without.values_list("name", "employer"))) == without.count()


def test_the_pool_at_the_years_end_counts_who_left_on_their_exit_day_no_longer(demo_zone):
    talents, year = Talent.objects.all(), seed_year()
    left = talents.filter(exit_on__isnull=False)
    assert left.count() >= 5 and all(t.exit_reason for t in left)
    # the earlier talent who left on 31 December: in the pool on the 30th, not on the 31st
    leaver = talents.get(exit_on=end(), intake_on__lt=D(year, 1, 1))
    assert selectors.in_pool_on(talents, D(year, 12, 30)).filter(pk=leaver.pk).exists()
    assert not selectors.in_pool_on(talents, end()).filter(pk=leaver.pk).exists()
    # the pool on 31 December: everyone taken in by then and not out by then
    expected = [t for t in talents if t.in_pool_on(end())]
    pool = selectors.in_pool_on(talents, end())
    assert pool.count() == len(expected) > 175
    # three of the seed year's intakes left in the seed year and still count as its intakes
    seed_leavers = selectors.intake_in(talents, Period.year(year)).filter(exit_on__year=year)
    assert seed_leavers.count() == 3


def test_policy_support_is_paid_in_yuan_to_talents_in_the_pool(demo_zone):
    year = seed_year()
    paid = selectors.supports_paid_in(PolicySupport.objects.all(), Period.year(year))
    assert paid.count() >= 40
    total = selectors.support_total(paid)
    assert Decimal(1_000_000) < total < Decimal(20_000_000)
    assert {s.policy.name for s in paid.select_related("policy")} >= {
        "高层次人才安家补贴",
        "青年英才生活补贴",
    }
    for support in PolicySupport.objects.select_related("talent"):
        assert support.talent.intake_on <= support.paid_on <= timezone.localdate()
        assert support.amount > 0


def test_the_44_platforms_of_the_seed_by_type_and_level(demo_zone):
    platforms = Platform.objects.all()
    day = end()
    assert selectors.platforms_on(platforms, day).count() == 44
    by = {
        (PlatformKind.RESEARCH, PlatformLevel.PROVINCIAL): 9,
        (PlatformKind.RESEARCH, PlatformLevel.MUNICIPAL): 30,
        (PlatformKind.INCUBATOR, PlatformLevel.PROVINCIAL): 1,
        (PlatformKind.MAKERSPACE, PlatformLevel.PROVINCIAL): 2,
        (PlatformKind.STARTUP_BASE, PlatformLevel.PROVINCIAL): 1,
        (PlatformKind.CULTURE_TECH, PlatformLevel.PROVINCIAL): 1,
    }
    for (kind, level), count in by.items():
        assert selectors.platforms_on(platforms, day, kind=kind, level=level).count() == count, (kind, level)
    assert selectors.platforms_on(platforms, day, kind=PlatformKind.RESEARCH).count() == 39
    assert selectors.platforms_on(platforms, day, level=PlatformLevel.PROVINCIAL).count() == 14
    # hosted by demo enterprises and by institutions (商洛学院)
    counted = selectors.platforms_on(platforms, day)
    assert counted.filter(enterprise__isnull=False).count() > 30
    assert counted.filter(enterprise__isnull=True, host="商洛学院").exists()


def test_a_platform_counts_from_its_recognition_and_not_from_its_withdrawal(demo_zone):
    year, platforms = seed_year(), Platform.objects.all()
    municipal = {"kind": PlatformKind.RESEARCH, "level": PlatformLevel.MUNICIPAL}
    # the last 市级研发平台 recognised on 31 December: 30 on that day, 29 on the 30th
    assert platforms.filter(recognised_on=end(), **municipal).count() == 1
    assert selectors.platforms_on(platforms, D(year, 12, 30), **municipal).count() == 29
    withdrawn = platforms.get(withdrawn_on__isnull=False)
    assert withdrawn.withdrawn_on == D(year, 6, 30) and withdrawn.withdrawn_reason
    assert selectors.platforms_on(platforms, D(year, 6, 29), **municipal).filter(pk=withdrawn.pk).exists()
    assert not selectors.platforms_on(platforms, D(year, 6, 30), **municipal).filter(pk=withdrawn.pk).exists()
    # this year's 人才创新创业基地 and 创新促进中心 are not in the seed year's 44
    later = platforms.filter(kind__in=[PlatformKind.TALENT_BASE, PlatformKind.PROMOTION_CENTER])
    assert later.count() == 2 and all(p.recognised_on.year == seed_year() + 1 for p in later)
    assert selectors.platforms_on(platforms, timezone.localdate()).count() == 46


def test_the_incubated_enterprises_are_flagged_and_the_enterprises_figure_is_unchanged(demo_zone):
    incubator = Platform.objects.get(kind=PlatformKind.INCUBATOR)
    assert incubator.incubations.count() == 5
    incubated = Enterprise.objects.filter(incubations__isnull=False).distinct()
    assert incubated.count() == 7 and all(e.is_incubated for e in incubated)
    # the eight the enterprises' demo flags, as before (商洛美瑞 runs the incubator)
    assert Enterprise.objects.filter(is_incubated=True).count() == 8
    graduated = Incubation.objects.get(left_on__isnull=False)
    assert graduated.left_on == D(seed_year(), 9, 30) and graduated.enterprise.is_incubated


def test_48_key_projects_4_achievements_and_75_patents(demo_zone):
    innovations, day = Innovation.objects.all(), end()
    projects = selectors.innovations_by(innovations, day, InnovationKind.KEY_PROJECT)
    assert projects.count() == 48
    assert projects.filter(dated_on=day).exists()
    assert all(p.funding and p.ends_on > p.dated_on for p in projects)
    assert {"秦创原“科学家+工程师”队伍建设项目（天士力）", "改性磷酸铁锂正极材料及储能电池项目"} <= {
        p.name for p in projects
    }
    # 省级以上: four; the three 市级 ones are 科技成果 that do not count
    assert selectors.achievements_by(innovations, day).count() == 4
    municipal = selectors.innovations_by(innovations, day, InnovationKind.ACHIEVEMENT).filter(
        level=InnovationLevel.MUNICIPAL
    )
    assert municipal.count() == 3
    patents = selectors.innovations_by(innovations, day, InnovationKind.PATENT)
    assert patents.count() == 75
    kinds = {kind: patents.filter(patent_kind=kind).count() for kind in PatentKind.values}
    assert kinds == {PatentKind.INVENTION: 18, PatentKind.UTILITY: 42, PatentKind.DESIGN: 15}
    assert all(re.fullmatch(r"ZL\d{4}[123]\d{7}\.[\dX]", p.patent_number) for p in patents)
    assert all(p.holder == p.enterprise.name for p in patents.select_related("enterprise"))
    # granted on 31 December counts in the seed year; granted on 1 January of this year does not
    assert patents.filter(dated_on=day).exists()
    first_of_year = innovations.get(kind=InnovationKind.PATENT, dated_on=D(seed_year() + 1, 1, 1))
    assert first_of_year not in patents


def test_eleven_universities_over_more_cooperations(demo_zone):
    innovations = Innovation.objects.all()
    universities = list(selectors.universities_by(innovations, end()))
    assert len(universities) == 11
    assert {"西安交通大学", "西北大学", "西安理工大学", "西安邮电大学"} <= set(universities)
    cooperations = selectors.innovations_by(innovations, end(), InnovationKind.COOPERATION)
    assert cooperations.count() > 11
    assert cooperations.filter(universities__name="西安交通大学").count() >= 2
    assert all(c.form for c in cooperations)


def test_five_experts_with_the_zones_enterprises(demo_zone):
    experts = Expert.objects.select_related("enterprise")
    assert experts.count() == 5
    assert all(e.agreed_on.year == seed_year() and e.agreed_until > e.agreed_on for e in experts)
    assert sum("院士" in e.honour for e in experts) == 4


def test_the_enterprise_contacts_patent_waits_and_counts_nowhere(demo_zone):
    contact = User.objects.get(username="enterprise")
    pending = Innovation.objects.get(review=Review.PENDING)
    assert pending.kind == InnovationKind.PATENT and pending.submitted_by == contact
    assert pending.enterprise.name == "陕西天士力植物药业有限责任公司"
    assert pending.dated_on.year == seed_year()
    patents = selectors.innovations_by(Innovation.objects.all(), end(), InnovationKind.PATENT)
    assert pending not in patents and patents.count() == 75
    # the contact sees it among their enterprise's records, and only their enterprise's
    seen = restrict(contact, Innovation.objects.all(), "view")
    assert pending in seen and set(seen.values_list("enterprise__name", flat=True)) == {
        pending.enterprise.name
    }


def test_the_talent_login_keeps_the_whole_zone_and_has_the_submission_waiting(demo_zone):
    text = "人才工作人员：全区人才库、创新平台和科技创新，确认企业提交的人才和专利"
    assert ("talent", text) in demo_logins()
    user = User.objects.get(username="talent")
    assert user.check_password(DEMO_PASSWORD)
    grant = user.grants.get()
    assert grant.role.code == "talent_staff" and grant.organization == PartyOrganization.objects.get(depth=1)
    assert restrict(user, Talent.objects.all()).count() == Talent.objects.count()
    assert restrict(user, Platform.objects.all()).count() == Platform.objects.count()
    waiting = selectors.pending(user)
    assert list(waiting["innovations"]) == [Innovation.objects.get(review=Review.PENDING)]
    assert Notification.objects.filter(recipient=user, kind="submission_pending").count() == 1


def test_the_seed_years_figures_are_the_seed_articles(demo_zone):
    """The figures of the summary, as the indicators compute them for last year at the zone's
    root."""
    from dangjian.core.indicators import all_indicators, compute

    assert "talent.pool_intake" in {indicator.code for indicator in all_indicators()}
    period = Period.year(seed_year())
    seed = {
        "talent.pool_intake": 175,
        "platforms.count": 44,
        "innovation.key_projects": 48,
        "innovation.achievements": 4,
        "innovation.patents": 75,
        "innovation.universities": 11,
    }
    assert {code: compute(code, period=period).value for code in seed} == seed
    by = {("研发平台", "省级"): 9, ("研发平台", "市级"): 30, ("孵化器", "省级"): 1, ("众创空间", "省级"): 2}
    by |= {("创业孵化基地", "省级"): 1, ("文化和科技融合示范基地", "省级"): 1}
    for (kind, level), count in by.items():
        assert compute("platforms.count", period=period, **{"平台类型": kind, "级别": level}).value == count
