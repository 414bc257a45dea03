"""The indicators registered so far, exactly as INDICATORS.md defines them: period edges,
scope, rounding, and the records behind each value."""

import datetime
from decimal import Decimal

import pytest

from dangjian.core.indicators import Period, compute, get, rate
from dangjian.enterprises import services as enterprise_services
from dangjian.members import services as member_services
from dangjian.members.models import MemberCategory
from dangjian.organizations import services as org_services
from dangjian.organizations.models import OrgKind, PartyOrganization, PostKind
from dangjian.testing.factories import make_enterprise, make_member, make_org

D = datetime.date
Y2023 = Period.year(2023)


def figure(code, scope=None, period=Y2023, **kwargs):
    result = compute(code, period=period, scope=scope, **kwargs)
    if isinstance(result.value, int):
        assert result.records.count() == result.value, code
    return result


def value(code, scope=None, period=Y2023, **kwargs):
    return figure(code, scope, period, **kwargs).value


def names(result):
    return sorted(str(r) for r in result.records)


EXPECTED = {
    "orgs.branches": ("党支部数", "个"),
    "orgs.standardized_rate": ("党支部标准化规范化达标率", "%"),
    "orgs.party_groups": ("党小组数", "个"),
    "posts.responsibility_areas": ("党员责任区数", "个"),
    "posts.model_posts": ("党员示范岗数", "个"),
    "members.total": ("党员总数", "名"),
    "enterprises.high_tech": ("高新技术企业数", "家"),
    "enterprises.tech_smes": ("科技型中小企业数", "家"),
    "enterprises.incubated": ("孵化企业数", "家"),
    "enterprises.revenue_growth": ("营业收入同比增长", "%"),
}


@pytest.mark.parametrize("code", list(EXPECTED))
def test_indicator_is_registered_with_its_name_and_unit(code):
    indicator = get(code)
    assert (indicator.name, indicator.unit) == EXPECTED[code]


# -- orgs.branches ----------------------------------------------------------------------------


def test_branches_count_every_kind_of_branch_and_nothing_else(zone):
    make_org("联合党支部一", OrgKind.JOINT_BRANCH, zone.root)
    make_org("临时党支部一", OrgKind.TEMPORARY_BRANCH, zone.root)
    make_org("党总支一", OrgKind.GENERAL_BRANCH, zone.root)
    result = figure("orgs.branches")
    assert result.value == 5
    assert names(result) == sorted(
        ["甲一党支部", "甲二党支部", "乙企业党支部", "联合党支部一", "临时党支部一"]
    )


def test_branch_founded_on_the_last_day_of_the_year_counts(zone):
    make_org("年末党支部", OrgKind.BRANCH, zone.root, founded_on=D(2023, 12, 31))
    assert "年末党支部" in names(figure("orgs.branches"))
    assert value("orgs.branches") == 4


def test_branch_founded_the_next_day_does_not_count(zone):
    make_org("新年党支部", OrgKind.BRANCH, zone.root, founded_on=D(2024, 1, 1))
    assert value("orgs.branches") == 3
    assert value("orgs.branches", period=Period.year(2024)) == 4


def test_branch_dissolved_on_the_last_day_of_the_year_still_counts(zone):
    org_services.organization_dissolve(
        actor=None, organization=PartyOrganization.objects.get(pk=zone.branch_a2.pk), on=D(2023, 12, 31)
    )
    assert value("orgs.branches") == 3
    assert value("orgs.branches", period=Period.year(2024)) == 2


def test_branch_dissolved_the_day_before_the_last_day_does_not_count(zone):
    org_services.organization_dissolve(
        actor=None, organization=PartyOrganization.objects.get(pk=zone.branch_a2.pk), on=D(2023, 12, 30)
    )
    result = figure("orgs.branches")
    assert result.value == 2
    assert "甲二党支部" not in names(result)


def test_branches_are_counted_within_the_scope_subtree(zone):
    assert value("orgs.branches", zone.committee_a) == 2
    assert value("orgs.branches", zone.branch_b) == 1  # the scope itself is in its subtree
    assert value("orgs.branches", zone.group_a1) == 0
    assert value("orgs.branches", zone.root) == value("orgs.branches") == 3


def test_a_moved_branch_counts_in_its_new_scope(zone):
    org_services.organization_update(
        actor=None, organization=PartyOrganization.objects.get(pk=zone.branch_b.pk), parent=zone.committee_a
    )
    assert value("orgs.branches", PartyOrganization.objects.get(pk=zone.committee_a.pk)) == 3


# -- orgs.standardized_rate -------------------------------------------------------------------


def _set_standardized(*orgs):
    for org in orgs:
        org_services.organization_update(
            actor=None, organization=PartyOrganization.objects.get(pk=org.pk), standardized=True
        )


def test_standardized_rate_is_the_share_of_branches_with_one_decimal(zone):
    _set_standardized(zone.branch_a1)
    result = figure("orgs.standardized_rate")
    assert result.value == Decimal("33.3")
    assert names(result) == ["甲一党支部"]
    _set_standardized(zone.branch_b)
    assert value("orgs.standardized_rate") == Decimal("66.7")


def test_standardized_rate_of_all_branches_is_100(zone):
    _set_standardized(zone.branch_a1, zone.branch_a2, zone.branch_b)
    assert value("orgs.standardized_rate") == Decimal("100.0")


def test_standardized_rate_rounds_half_up(zone):
    committee = make_org("十六支部党委", OrgKind.COMMITTEE, zone.root)
    branches = [make_org(f"第{n}党支部", OrgKind.BRANCH, committee) for n in range(16)]
    _set_standardized(branches[0])
    assert value("orgs.standardized_rate", committee) == Decimal("6.3")  # 6.25; half-even gives 6.2
    assert rate(1, 16) == Decimal("6.3")
    assert rate(1, 8) == Decimal("12.5")


def test_standardized_rate_has_no_value_without_branches(zone):
    committee = make_org("空党委", OrgKind.COMMITTEE, zone.root)
    assert value("orgs.standardized_rate", committee) is None


def test_standardized_rate_counts_only_branches_existing_at_the_period_end(zone):
    _set_standardized(zone.branch_a1, zone.branch_a2)
    make_org("新年党支部", OrgKind.BRANCH, zone.root, founded_on=D(2024, 1, 1))
    org_services.organization_dissolve(
        actor=None, organization=PartyOrganization.objects.get(pk=zone.branch_b.pk), on=D(2023, 6, 30)
    )
    assert value("orgs.standardized_rate") == Decimal("100.0")


def test_standardized_rate_is_scoped(zone):
    _set_standardized(zone.branch_a1)
    assert value("orgs.standardized_rate", zone.committee_a) == Decimal("50.0")
    assert value("orgs.standardized_rate", zone.branch_b) == Decimal("0.0")


# -- orgs.party_groups ------------------------------------------------------------------------


def test_party_groups_count_party_groups_existing_at_the_period_end(zone):
    make_org("年末党小组", OrgKind.PARTY_GROUP, zone.branch_a1, founded_on=D(2023, 12, 31))
    make_org("新年党小组", OrgKind.PARTY_GROUP, zone.branch_a1, founded_on=D(2024, 1, 1))
    make_org("早撤党小组", OrgKind.PARTY_GROUP, zone.branch_b, dissolved_on=D(2023, 12, 30))
    make_org("年末撤党小组", OrgKind.PARTY_GROUP, zone.branch_b, dissolved_on=D(2023, 12, 31))
    result = figure("orgs.party_groups")
    assert names(result) == sorted(["甲一第1党小组", "年末党小组", "年末撤党小组"])
    assert value("orgs.party_groups", period=Period.year(2024)) == 3
    assert value("orgs.party_groups", zone.branch_b) == 1
    assert value("orgs.party_groups", zone.committee_a) == 2
    assert value("orgs.party_groups", zone.branch_a2) == 0


# -- posts ------------------------------------------------------------------------------------


def post(org, name, kind=PostKind.RESPONSIBILITY_AREA, **fields):
    return org_services.post_create(actor=None, name=name, kind=kind, organization=org, **fields)


def test_responsibility_areas_at_the_period_edges(zone):
    post(zone.branch_a1, "未注明日期")
    post(zone.branch_a1, "年末设立", established_on=D(2023, 12, 31))
    post(zone.branch_a1, "新年设立", established_on=D(2024, 1, 1))
    post(zone.branch_b, "年末撤销", established_on=D(2020, 1, 1), revoked_on=D(2023, 12, 31))
    post(zone.branch_b, "提前撤销", established_on=D(2020, 1, 1), revoked_on=D(2023, 12, 30))
    post(zone.branch_b, "示范岗", kind=PostKind.MODEL_POST)
    post(zone.branch_b, "活动室", kind=PostKind.ACTIVITY_ROOM)
    result = figure("posts.responsibility_areas")
    assert names(result) == sorted(["未注明日期", "年末设立", "年末撤销"])
    assert names(figure("posts.responsibility_areas", period=Period.year(2024))) == sorted(
        ["未注明日期", "年末设立", "新年设立"]
    )


def test_model_posts_count_only_model_posts_in_scope(zone):
    post(zone.branch_a1, "甲一示范岗", kind=PostKind.MODEL_POST, established_on=D(2023, 3, 1))
    post(zone.branch_a2, "甲二示范岗", kind=PostKind.MODEL_POST)
    post(zone.branch_b, "乙示范岗", kind=PostKind.MODEL_POST)
    post(zone.branch_b, "乙责任区")
    assert value("posts.model_posts") == 3
    assert names(figure("posts.model_posts", zone.committee_a)) == ["甲一示范岗", "甲二示范岗"]
    assert value("posts.model_posts", zone.branch_a1) == 1
    assert value("posts.model_posts", period=Period.year(2022), scope=zone.branch_a1) == 0


# -- members.total ----------------------------------------------------------------------------


def test_a_member_who_joined_on_the_last_day_of_the_year_counts(zone):
    make_member(zone.branch_a1, name="年末入党", joined=D(2023, 12, 31))
    make_member(zone.branch_a1, name="新年入党", joined=D(2024, 1, 1))
    result = figure("members.total")
    assert names(result) == ["年末入党"]
    assert value("members.total", period=Period.year(2024)) == 2


def test_probationary_members_count(zone):
    make_member(zone.branch_a1, name="正式", joined=D(2015, 7, 1))
    make_member(zone.branch_a1, name="预备", joined=D(2023, 6, 1), category=MemberCategory.PROBATIONARY)
    assert names(figure("members.total")) == ["正式", "预备"]


def test_a_member_who_left_on_the_period_end_still_counts(zone):
    member = make_member(zone.branch_a1, name="年末离开")
    member_services.member_leave(actor=None, member=member, on=D(2023, 12, 31), reason="转出区外")
    assert names(figure("members.total")) == ["年末离开"]
    assert value("members.total", period=Period.year(2024)) == 0


def test_a_member_who_left_before_the_period_end_does_not_count(zone):
    member = make_member(zone.branch_a1, name="提前离开")
    member_services.member_leave(actor=None, member=member, on=D(2023, 12, 30), reason="去世")
    assert value("members.total") == 0
    assert value("members.total", period=Period.year(2022)) == 1


def test_a_member_who_moved_during_the_year_counts_in_the_new_organizations_scope_only(zone):
    member = make_member(zone.branch_a1, name="年中调动")
    member_services.member_transfer(actor=None, member=member, to=zone.branch_b, on=D(2023, 6, 1))
    assert value("members.total", zone.branch_b) == 1
    assert value("members.total", zone.committee_a) == 0
    assert value("members.total", zone.branch_a1) == 0
    assert value("members.total") == 1
    assert value("members.total", zone.committee_a, period=Period.year(2022)) == 1
    assert value("members.total", zone.branch_b, period=Period.year(2022)) == 0


def test_a_member_who_moved_on_the_last_day_counts_in_the_new_organization(zone):
    member = make_member(zone.branch_a1)
    member_services.member_transfer(actor=None, member=member, to=zone.branch_b, on=D(2023, 12, 31))
    assert value("members.total", zone.branch_b) == 1
    assert value("members.total", zone.committee_a) == 0


def test_a_member_who_moved_the_day_after_the_period_counts_in_the_old_organization(zone):
    member = make_member(zone.branch_a1)
    member_services.member_transfer(actor=None, member=member, to=zone.branch_b, on=D(2024, 1, 1))
    assert value("members.total", zone.committee_a) == 1
    assert value("members.total", zone.branch_b) == 0


def test_a_member_transferred_in_from_outside_counts_from_that_day(zone):
    make_member(zone.branch_b, joined=D(2010, 7, 1), transferred_in_on=D(2024, 1, 1))
    assert value("members.total") == 0
    assert value("members.total", period=Period.year(2024)) == 1


def test_members_are_scoped_to_the_subtree(zone):
    make_member(zone.branch_a1)
    make_member(zone.branch_a2)
    make_member(zone.committee_a)
    make_member(zone.branch_b)
    assert value("members.total") == 4
    assert value("members.total", zone.root) == 4
    assert value("members.total", zone.committee_a) == 3
    assert value("members.total", zone.branch_a1) == 1
    assert value("members.total", zone.branch_b) == 1


def test_members_of_a_moved_organization_follow_it(zone):
    make_member(zone.branch_b)
    org_services.organization_update(
        actor=None, organization=PartyOrganization.objects.get(pk=zone.branch_b.pk), parent=zone.committee_a
    )
    assert value("members.total", PartyOrganization.objects.get(pk=zone.committee_a.pk)) == 1


def test_a_deleted_member_does_not_count(zone):
    member = make_member(zone.branch_a1)
    make_member(zone.branch_a1)
    member_services.member_delete(actor=None, member=member)
    assert value("members.total") == 1


def test_members_total_asked_by_a_secretary_counts_only_their_scope(zone, secretary_a):
    make_member(zone.branch_a1)
    make_member(zone.branch_b)
    assert value("members.total", user=secretary_a) == 1


# -- enterprises: flags -----------------------------------------------------------------------


FLAGS = [
    ("enterprises.high_tech", "is_high_tech"),
    ("enterprises.tech_smes", "is_tech_sme"),
    ("enterprises.incubated", "is_incubated"),
]


@pytest.mark.parametrize(("code", "flag"), FLAGS)
def test_flagged_enterprises_settled_by_the_period_end(zone, code, flag):
    make_enterprise("年末入驻", settled_on=D(2023, 12, 31), **{flag: True})
    make_enterprise("新年入驻", settled_on=D(2024, 1, 1), **{flag: True})
    make_enterprise("未注明入驻", **{flag: True})
    make_enterprise("未标记", settled_on=D(2020, 1, 1))
    result = figure(code)
    assert names(result) == sorted(["年末入驻", "未注明入驻"])
    assert value(code, period=Period.year(2024)) == 3


@pytest.mark.parametrize(("code", "flag"), FLAGS)
def test_flagged_enterprises_are_scoped_by_their_party_organization(zone, code, flag):
    for enterprise in (zone.enterprise_a, zone.enterprise_b):
        enterprise_services.enterprise_update(actor=None, enterprise=enterprise, **{flag: True})
    make_enterprise("无党组织企业", **{flag: True})
    assert value(code) == 3
    assert value(code, zone.root) == 3  # records with no organization count at the root
    assert names(figure(code, zone.committee_a)) == ["甲企业"]
    assert names(figure(code, zone.branch_b)) == ["乙企业"]
    # the enterprise's organization is the highest one: 甲企业党委, not its branches
    assert value(code, zone.branch_a1) == 0


# -- enterprises.revenue_growth ---------------------------------------------------------------


def year_figures(enterprise, **revenues):
    for key, revenue in revenues.items():
        enterprise_services.enterprise_year_save(
            actor=None,
            enterprise=enterprise,
            year=int(key[1:]),
            revenue=None if revenue is None else Decimal(revenue),
        )


def test_revenue_growth_is_over_enterprises_with_figures_for_both_years(zone):
    year_figures(zone.enterprise_a, y2022="100", y2023="130")
    year_figures(zone.enterprise_b, y2022="300", y2023="270")
    only_this_year = make_enterprise("仅本年")
    year_figures(only_this_year, y2023="5000")
    only_last_year = make_enterprise("仅上年")
    year_figures(only_last_year, y2022="5000")
    blank_last_year = make_enterprise("上年空白")
    year_figures(blank_last_year, y2022=None, y2023="700")
    result = figure("enterprises.revenue_growth")
    assert result.value == Decimal("0.0")  # (400 - 400) / 400
    assert names(result) == ["乙企业", "甲企业"]


def test_revenue_growth_value(zone):
    year_figures(zone.enterprise_a, y2022="100", y2023="130")
    year_figures(zone.enterprise_b, y2022="300", y2023="400")
    assert value("enterprises.revenue_growth") == Decimal("32.5")  # (530 - 400) / 400


def test_revenue_growth_rounds_half_up(zone):
    year_figures(zone.enterprise_a, y2022="800", y2023="1000.4")  # 25.05 %
    assert value("enterprises.revenue_growth") == Decimal("25.1")


def test_revenue_growth_may_be_negative(zone):
    year_figures(zone.enterprise_a, y2022="100", y2023="80")
    assert value("enterprises.revenue_growth") == Decimal("-20.0")


def test_revenue_growth_is_null_when_last_years_sum_is_zero(zone):
    year_figures(zone.enterprise_a, y2022="0", y2023="130")
    result = figure("enterprises.revenue_growth")
    assert result.value is None
    assert names(result) == ["甲企业"]


def test_revenue_growth_is_null_without_enterprises_with_both_years(zone):
    year_figures(zone.enterprise_a, y2023="130")
    assert value("enterprises.revenue_growth") is None


def test_revenue_growth_scoped_to_an_enterprises_organization_is_that_enterprises_growth(zone):
    year_figures(zone.enterprise_a, y2022="100", y2023="150")
    year_figures(zone.enterprise_b, y2022="100", y2023="110")
    assert value("enterprises.revenue_growth", zone.committee_a) == Decimal("50.0")
    assert value("enterprises.revenue_growth", zone.branch_b) == Decimal("10.0")
    assert value("enterprises.revenue_growth", zone.branch_a1) is None
    assert value("enterprises.revenue_growth") == Decimal("30.0")


def test_revenue_growth_of_an_enterprise_without_organization_counts_only_at_the_root(zone):
    loose = make_enterprise("无党组织企业")
    year_figures(loose, y2022="100", y2023="200")
    assert value("enterprises.revenue_growth") == Decimal("100.0")
    assert value("enterprises.revenue_growth", zone.committee_a) is None


def test_revenue_growth_uses_the_periods_year(zone):
    year_figures(zone.enterprise_a, y2021="50", y2022="100", y2023="130")
    assert value("enterprises.revenue_growth", period=Period.year(2022)) == Decimal("100.0")
    assert value("enterprises.revenue_growth", period=Period.year(2024)) is None
