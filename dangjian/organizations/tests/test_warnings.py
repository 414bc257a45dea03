"""Organization warnings (selectors.organization_warnings) at their edges, and where the back
office shows them."""

import datetime

import pytest
from django.utils import timezone

from dangjian.core.validators import add_years
from dangjian.members import services as member_services
from dangjian.members.models import MemberCategory
from dangjian.organizations import services
from dangjian.organizations.models import OrgKind, PartyOrganization
from dangjian.organizations.warnings import organization_warnings
from dangjian.testing.factories import make_member, make_org

ONE_DAY = datetime.timedelta(days=1)


def structural(org):
    """The structural warnings of one organization (overdue meetings are tested in partylife)."""
    found = organization_warnings(user=None, organizations=PartyOrganization.objects.filter(pk=org.pk))
    return [w for w in found if not w.code.startswith("overdue_")]


def codes(org):
    return sorted(w.code for w in structural(org))


def new_branch(zone, name="测试党支部", kind=OrgKind.BRANCH, **fields):
    return make_org(name, kind, zone.root, **fields)


def add_members(org, full=0, probationary=0):
    members = [make_member(org) for _ in range(full)]
    members += [
        make_member(org, category=MemberCategory.PROBATIONARY, joined=datetime.date(2026, 1, 5))
        for _ in range(probationary)
    ]
    return members


def start_for_due(due, years):
    """A term start whose election falls due on `due` (None where no start gives that day,
    e.g. a due date of 29 February for a term that started in a common year)."""
    guess = add_years(due, -years)
    for offset in range(-3, 4):
        start = guess + datetime.timedelta(days=offset)
        if add_years(start, years) == due:
            return start
    return None


# -- too few full members --------------------------------------------------------------------


def test_a_branch_with_two_full_members_warns(zone):
    branch = new_branch(zone)
    add_members(branch, full=2)
    assert codes(branch) == ["too_few_full_members"]
    (warning,) = structural(branch)
    assert "2 人" in warning.message
    assert "联合党支部" in warning.message


def test_a_branch_with_three_full_members_does_not_warn(zone):
    branch = new_branch(zone)
    add_members(branch, full=3)
    assert codes(branch) == []


def test_probationary_members_do_not_count_as_full_members(zone):
    branch = new_branch(zone)
    add_members(branch, full=2, probationary=5)
    assert codes(branch) == ["too_few_full_members"]


def test_members_who_left_do_not_count(zone):
    branch = new_branch(zone)
    leaving, *_ = add_members(branch, full=3)
    member_services.member_leave(actor=None, member=leaving, on=datetime.date(2025, 3, 1), reason="转出区外")
    assert codes(branch) == ["too_few_full_members"]


@pytest.mark.parametrize("kind", [OrgKind.JOINT_BRANCH, OrgKind.TEMPORARY_BRANCH])
def test_joint_and_temporary_branches_may_have_fewer_than_three_full_members(zone, kind):
    branch = new_branch(zone, kind=kind)
    add_members(branch, full=1)
    assert codes(branch) == []


# -- too many members ------------------------------------------------------------------------


def test_a_branch_of_fifty_members_does_not_warn(zone):
    branch = new_branch(zone, has_committee=True)
    add_members(branch, full=40, probationary=10)
    assert codes(branch) == []


def test_a_branch_of_fifty_one_members_warns(zone):
    branch = new_branch(zone, has_committee=True)
    add_members(branch, full=40, probationary=11)
    assert codes(branch) == ["too_many_members"]
    (warning,) = structural(branch)
    assert "51 人" in warning.message


# -- committee -------------------------------------------------------------------------------


def test_six_full_members_without_a_committee_do_not_warn(zone):
    branch = new_branch(zone)
    add_members(branch, full=6, probationary=3)
    assert codes(branch) == []


def test_seven_full_members_without_a_committee_warn(zone):
    branch = new_branch(zone)
    add_members(branch, full=7)
    assert codes(branch) == ["no_committee"]


def test_seven_full_members_with_a_committee_do_not_warn(zone):
    branch = new_branch(zone, has_committee=True)
    add_members(branch, full=7)
    assert codes(branch) == []


# -- elections -------------------------------------------------------------------------------


def _branch_due_on(zone, due, kind=OrgKind.BRANCH, name="换届党支部"):
    years = {OrgKind.BRANCH: 3, OrgKind.COMMITTEE: 5}[kind]
    start = start_for_due(due, years)
    if start is None:
        pytest.skip(f"no term start of {years} years falls due on {due}")
    org = make_org(name, kind, zone.root, term_started_on=start)
    if kind == OrgKind.BRANCH:
        add_members(org, full=3)
    assert org.next_election_due == due
    return org


@pytest.mark.parametrize("kind", [OrgKind.BRANCH, OrgKind.COMMITTEE])
def test_an_election_due_today_is_not_overdue(zone, kind):
    org = _branch_due_on(zone, timezone.localdate(), kind)
    assert codes(org) == []


@pytest.mark.parametrize("kind", [OrgKind.BRANCH, OrgKind.COMMITTEE])
def test_an_election_is_overdue_the_day_after_it_falls_due(zone, kind):
    due = timezone.localdate() - ONE_DAY
    org = _branch_due_on(zone, due, kind)
    assert codes(org) == ["election_overdue"]
    (warning,) = structural(org)
    assert f"{due:%Y-%m-%d}" in warning.message


def test_an_election_due_tomorrow_is_not_overdue(zone):
    org = _branch_due_on(zone, timezone.localdate() + ONE_DAY)
    assert codes(org) == []


def test_a_temporary_branch_never_has_an_overdue_election(zone):
    org = new_branch(zone, kind=OrgKind.TEMPORARY_BRANCH, term_started_on=datetime.date(2010, 1, 1))
    assert codes(org) == []


# -- dissolved -------------------------------------------------------------------------------


def test_a_dissolved_organization_gives_no_warnings(zone):
    branch = new_branch(zone, term_started_on=datetime.date(2015, 1, 1))
    add_members(branch, full=1)
    assert codes(branch) == ["election_overdue", "too_few_full_members"]
    services.organization_dissolve(actor=None, organization=branch, on=timezone.localdate())
    assert codes(branch) == []


def test_the_zone_list_leaves_out_dissolved_organizations(zone, zone_admin):
    services.organization_dissolve(
        actor=None,
        organization=PartyOrganization.objects.get(pk=zone.branch_a2.pk),
        on=datetime.date(2025, 1, 1),
    )
    flagged = {w.organization.pk for w in organization_warnings(user=zone_admin)}
    assert zone.branch_a1.pk in flagged  # no members: too few full members
    assert zone.branch_a2.pk not in flagged


def test_warnings_follow_the_users_scope(zone, secretary_a):
    flagged = {
        w.organization.pk
        for w in organization_warnings(user=secretary_a)
        if not w.code.startswith("overdue_")
    }
    assert flagged == {zone.branch_a1.pk, zone.branch_a2.pk}


# -- back office -----------------------------------------------------------------------------


def test_the_warnings_page_lists_the_warnings(client, zone, zone_admin):
    branch = new_branch(zone, name="七人无委员会党支部")
    add_members(branch, full=7)
    client.force_login(zone_admin)
    response = client.get("/admin/warnings/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "七人无委员会党支部" in page
    assert "正式党员 7 人，达到 7 人，应设立支部委员会" in page
    assert "甲二党支部" in page
    assert "正式党员 0 人，不足 3 人" in page


def test_the_organization_change_page_shows_its_warnings(client, zone, zone_admin):
    branch = new_branch(zone, name="两人党支部")
    add_members(branch, full=2)
    client.force_login(zone_admin)
    response = client.get(f"/admin/organizations/partyorganization/{branch.pk}/change/")
    assert response.status_code == 200
    assert "正式党员 2 人，不足 3 人，应成立联合党支部" in response.content.decode()


def test_the_change_page_of_a_sound_branch_shows_no_warning(client, zone, zone_admin):
    branch = new_branch(zone, name="健全党支部", founded_on=timezone.localdate())  # no meeting due yet
    add_members(branch, full=3)
    client.force_login(zone_admin)
    response = client.get(f"/admin/organizations/partyorganization/{branch.pk}/change/")
    assert response.status_code == 200
    assert "⚠" not in response.content.decode()


# -- the warnings page: filtered, counted by group, a page at a time; the dashboard's count --------------
def _page(client, **params):
    response = client.get("/admin/warnings/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_every_warning_provider_belongs_to_a_declared_group_and_the_groups_keep_their_order():
    from dangjian.organizations.warnings import warning_groups, warning_providers

    assert warning_groups() == {
        "setup": "组织设置与换届",
        "meetings": "组织生活",
        "duties": "责任清单",
        "development": "发展党员",
        "dues": "党费",
    }
    assert {p.provide.__name__: p.group for p in warning_providers()} == {
        "election_warnings": "setup",
        "branch_size_warnings": "setup",
        "meeting_warnings": "meetings",
        "duty_warnings": "duties",
        "development_warnings": "development",
        "dues_warnings": "dues",
    }


def test_a_warning_is_counted_in_the_group_of_its_provider(zone):
    from dangjian.organizations.warnings import organization_warnings

    branch = new_branch(zone, name="七人无委员会党支部")
    add_members(branch, full=7)
    found = organization_warnings(user=None, organizations=PartyOrganization.objects.filter(pk=branch.pk))
    groups = {w.code: (w.group, w.group_label) for w in found}
    assert groups["no_committee"] == ("setup", "组织设置与换届")
    # a branch that has held no meeting yet is also behind on its 组织生活
    assert groups["overdue_branch_general_meeting"] == ("meetings", "组织生活")


def test_the_warnings_page_counts_by_group_and_shows_one_group(client, zone, zone_admin):
    branch = new_branch(zone, name="七人无委员会党支部")
    add_members(branch, full=7)
    client.force_login(zone_admin)
    everything = organization_warnings(user=zone_admin)
    setup = [w for w in everything if w.group == "setup"]
    meetings = [w for w in everything if w.group == "meetings"]
    page = _page(client)
    assert f"共 {len(everything)} 条预警" in page
    assert f"组织设置与换届 {len(setup)}" in page
    assert f"组织生活 {len(meetings)}" in page
    only_setup = _page(client, group="setup")
    assert "正式党员 7 人，达到 7 人，应设立支部委员会" in only_setup
    assert f"当前显示 {len(setup)} 条" in only_setup
    assert "逾期未开" not in only_setup


def test_the_warnings_page_narrows_to_a_part_of_the_scope(client, zone, zone_admin):
    inside = make_org("甲委下属党支部", OrgKind.BRANCH, zone.committee_a)
    add_members(inside, full=1)
    outside = new_branch(zone, name="区直两人党支部")
    add_members(outside, full=2)
    client.force_login(zone_admin)
    table = _page(client, scope=zone.committee_a.pk, group="setup").split("<table")[1]
    assert "甲委下属党支部" in table
    assert "区直两人党支部" not in table
    assert "区直两人党支部" in _page(client, group="setup").split("<table")[1]


def test_a_scope_outside_the_users_grant_is_refused_and_shows_only_their_own(client, zone, secretary_a):
    client.force_login(secretary_a)
    page = _page(client, scope=zone.branch_b.pk)
    assert "选择一个有效的选项" in page
    assert zone.branch_b.name not in page.split("<table")[1]


def test_the_warnings_page_shows_a_hundred_at_a_time(client, zone, zone_admin):
    from dangjian.site.views import WARNINGS_PER_PAGE

    for i in range(WARNINGS_PER_PAGE + 1):
        new_branch(zone, name=f"空支部{i:03d}", founded_on=timezone.localdate())  # 0 full members
    client.force_login(zone_admin)
    setup = [w for w in organization_warnings(user=zone_admin) if w.group == "setup"]
    assert len(setup) > WARNINGS_PER_PAGE
    first = _page(client, group="setup")
    assert first.count("⚠") == WARNINGS_PER_PAGE
    assert "第 1 / 2 页" in first
    assert "group=setup&amp;page=2" in first
    second = _page(client, group="setup", page=2)
    assert second.count("⚠") == len(setup) - WARNINGS_PER_PAGE


def test_the_dashboard_loads_the_warning_count_after_it_is_shown(client, zone, zone_admin):
    branch = new_branch(zone, name="两人党支部")
    add_members(branch, full=2)
    client.force_login(zone_admin)
    dashboard = client.get("/admin/").content.decode()
    assert 'data-url="/admin/warnings/count/"' in dashboard
    response = client.get("/admin/warnings/count/")
    assert response.status_code == 200
    assert response.json() == {"count": len(organization_warnings(user=zone_admin))}
    assert response.json()["count"] > 0


def test_the_warning_count_is_refused_without_the_organization_view(client, zone):
    from dangjian.testing.factories import make_user

    client.force_login(make_user("audit_admin"))
    assert client.get("/admin/warnings/count/").status_code == 403
    assert 'data-url="/admin/warnings/count/"' not in client.get("/admin/").content.decode()


# -- the warnings through the API ----------------------------------------------------------------------
def _api(user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_serves_the_warnings_a_page_at_a_time_with_their_group(zone, zone_admin):
    branch = new_branch(zone, name="两人党支部")
    add_members(branch, full=2)
    everything = organization_warnings(user=zone_admin)
    body = _api(zone_admin).get("/api/v1/organizations/warnings/").json()
    assert body["count"] == len(everything)
    assert len(body["results"]) == min(50, len(everything))
    mine = [r for r in body["results"] if r["organization_name"] == "两人党支部"]
    assert {(r["group"], r["group_label"]) for r in mine if r["code"] == "too_few_full_members"} == {
        ("setup", "组织设置与换届")
    }
    assert {r["group"] for r in mine if r["code"].startswith("overdue_")} <= {"meetings"}


def test_the_api_narrows_the_warnings_to_a_part_of_the_scope_and_a_group(zone, zone_admin):
    inside = make_org("甲委下属党支部", OrgKind.BRANCH, zone.committee_a)
    add_members(inside, full=1)
    add_members(new_branch(zone, name="区直两人党支部"), full=2)
    body = (
        _api(zone_admin)
        .get("/api/v1/organizations/warnings/", {"scope": zone.committee_a.pk, "group": "setup"})
        .json()
    )
    names = {r["organization_name"] for r in body["results"]}
    assert "甲委下属党支部" in names
    assert "区直两人党支部" not in names
    assert {r["group"] for r in body["results"]} == {"setup"}


def test_the_api_refuses_a_scope_outside_the_grant_and_an_unknown_group(zone, secretary_a):
    client = _api(secretary_a)
    assert client.get("/api/v1/organizations/warnings/", {"scope": zone.branch_b.pk}).status_code == 404
    response = client.get("/api/v1/organizations/warnings/", {"group": "other"})
    assert response.status_code == 400
    assert "group 应为" in response.content.decode()
    assert client.get("/api/v1/organizations/warnings/", {"scope": "甲"}).status_code == 400
