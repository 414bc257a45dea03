"""Stored organization warnings (models.OrganizationWarning): after every kind of write that
changes them they equal what the providers find when run directly; the day passing is caught by
the daily refresh; they are read through the scope and counted per group.

Each write runs inside `django_capture_on_commit_callbacks(execute=True)`, so the refresh that
runs when the write's transaction commits is the one tested, and the stored rows are read from
the table itself (`stored`), not through the selectors (which refresh the current transaction's
pending writes first)."""

import datetime
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dangjian.core.rules import rule_version_add, rules_for
from dangjian.core.validators import add_months, add_years
from dangjian.members import services as member_services
from dangjian.members.models import Member, MemberCategory
from dangjian.members.services import development as development_services
from dangjian.members.services import dues as dues_services
from dangjian.organizations import services
from dangjian.organizations.models import OrganizationWarning, OrgKind, PartyOrganization
from dangjian.organizations.selectors import warning_counts, warning_rows
from dangjian.organizations.warnings import EVERY_ORGANIZATION, organization_warnings, warning_providers
from dangjian.partylife import services as partylife_services
from dangjian.partylife.models import DutyItem, MeetingKind
from dangjian.testing.factories import make_member, make_org

ONE_DAY = datetime.timedelta(days=1)


def computed_warnings(orgs=None, today=None) -> set:
    """(organization, group, code, message) of what every provider finds, run directly over the
    organizations (all of them by default) that exist on `today`."""
    today = today or timezone.localdate()
    base = PartyOrganization.objects.all() if orgs is None else PartyOrganization.objects.filter(pk__in=orgs)
    base = base.filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=today))
    return {
        (w.organization.pk, provider.group, w.code, w.message)
        for provider in warning_providers()
        for w in provider.provide(base, today)
    }


def stored() -> set:
    return set(OrganizationWarning.objects.values_list("organization_id", "group", "code", "message"))


def codes_of(org) -> list:
    return sorted(OrganizationWarning.objects.filter(organization_id=org.pk).values_list("code", flat=True))


def assert_in_step(today=None):
    """The stored warnings are the computed ones, and each row carries its organization's path."""
    assert stored() == computed_warnings(today=today)
    paths = dict(PartyOrganization.objects.values_list("pk", "path"))
    for org_id, org_path in OrganizationWarning.objects.values_list("organization_id", "org_path"):
        assert org_path == paths[org_id]


@pytest.fixture
def world(zone):
    """The test zone with its warnings stored, as the daily job leaves them."""
    services.refresh_warnings()
    assert_in_step()
    return zone


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """A block whose writes are committed: the refresh on commit runs at its end. (The test's
    writes before it are refreshed first, as if they had been committed before.)"""

    def block():
        services.apply_pending_warnings()
        return django_capture_on_commit_callbacks(execute=True)

    return block


def three_full(org):
    return [make_member(org) for _ in range(3)]


# -- organizations ---------------------------------------------------------------------------------
def test_a_new_branch_gets_its_warnings_when_its_transaction_commits(world, committed):
    with committed():
        branch = make_org("新建党支部", OrgKind.BRANCH, world.root)
        # not yet: the refresh waits for the commit
        assert not OrganizationWarning.objects.filter(organization=branch).exists()
    assert "too_few_full_members" in codes_of(branch)
    assert_in_step()


def test_a_change_of_kind_committee_and_term_refreshes_the_organization(world, committed):
    branch = world.branch_b
    with committed():
        three_full(branch)
    with committed():
        services.organization_update(
            actor=None, organization=branch, term_started_on=add_years(timezone.localdate(), -3) - ONE_DAY
        )
    assert "election_overdue" in codes_of(branch)
    assert_in_step()
    with committed():
        for _ in range(4):
            make_member(branch)
    assert "no_committee" in codes_of(branch)
    with committed():
        services.organization_update(actor=None, organization=branch, has_committee=True)
    assert "no_committee" not in codes_of(branch)
    assert "overdue_committee_meeting" in codes_of(branch)  # a committee meets monthly
    assert_in_step()
    joint = make_org("联合党支部甲", OrgKind.BRANCH, world.root)
    with committed():
        services.organization_update(actor=None, organization=joint, kind=OrgKind.JOINT_BRANCH)
    assert "too_few_full_members" not in codes_of(joint)
    assert_in_step()


def test_a_dissolved_organization_keeps_no_warnings(world, committed):
    assert codes_of(world.branch_a2)
    with committed():
        services.organization_dissolve(actor=None, organization=world.branch_a2, on=timezone.localdate())
    assert codes_of(world.branch_a2) == []
    assert_in_step()


def test_a_moved_organization_keeps_its_warnings_under_its_new_path(world, committed):
    before = codes_of(world.branch_a2)
    with committed():
        services.organization_update(actor=None, organization=world.branch_a2, parent=world.root)
    world.branch_a2.refresh_from_db()
    assert codes_of(world.branch_a2) == before
    assert set(
        OrganizationWarning.objects.filter(organization=world.branch_a2).values_list("org_path", flat=True)
    ) == {world.branch_a2.path}
    assert_in_step()
    secretary_scope = {
        w.organization.pk
        for w in warning_rows(
            user=None, root=world.committee_a, organizations=PartyOrganization.objects.all()
        )
    }
    assert world.branch_a2.pk not in secretary_scope


def test_a_deleted_organization_takes_its_warnings_with_it(world, committed):
    branch = make_org("待删党支部", OrgKind.BRANCH, world.root)
    services.refresh_warnings([branch.pk])
    assert codes_of(branch)
    with committed():
        services.organization_delete(actor=None, organization=branch)
    assert not OrganizationWarning.objects.filter(organization_id=branch.pk).exists()
    assert_in_step()


# -- members -----------------------------------------------------------------------------------------
def test_members_joining_leaving_moving_and_changing_category(world, committed):
    a1, b = world.branch_a1, world.branch_b
    with committed():
        first = three_full(a1)
    assert "too_few_full_members" not in codes_of(a1)
    assert_in_step()
    with committed():
        member_services.member_leave(actor=None, member=first[0], on=timezone.localdate(), reason="转出区外")
    assert "too_few_full_members" in codes_of(a1)
    assert_in_step()
    with committed():
        three_full(b)
    assert "too_few_full_members" not in codes_of(b)
    # a transfer changes both the old and the new organization
    with committed():
        member_services.member_transfer(
            actor=None, member=Member.objects.get(pk=first[1].pk), to=b, on=timezone.localdate()
        )
    assert_in_step()
    with committed():
        make_member(a1)
        make_member(a1)
    assert "too_few_full_members" not in codes_of(a1)  # three full members again
    with committed():
        newest = Member.objects.filter(organization=a1, left_on__isnull=True).last()
        member_services.member_update(
            actor=None, member=newest, category=MemberCategory.PROBATIONARY, regularized_on=None
        )
    assert "too_few_full_members" in codes_of(a1)
    assert_in_step()


def test_a_member_deleted_refreshes_the_organization(world, committed):
    with committed():
        members = three_full(world.branch_b)
    assert "too_few_full_members" not in codes_of(world.branch_b)
    with committed():
        member_services.member_delete(actor=None, member=members[0])
    assert "too_few_full_members" in codes_of(world.branch_b)
    assert_in_step()


# -- development -------------------------------------------------------------------------------------
def test_a_development_case_and_its_steps_refresh_the_organization(world, committed):
    from dangjian.core.testing.codes import make_id_number

    applied = add_months(timezone.localdate(), -3)
    with committed():
        case = development_services.development_apply(
            actor=None,
            organization=world.branch_a1,
            name="申请人甲",
            id_number=make_id_number(datetime.date(1998, 3, 4), 77, "女"),
            applied_on=applied,
        )
    assert "development" in codes_of(world.branch_a1)
    assert_in_step()
    with committed():
        development_services.development_talk(actor=None, case=case, on=timezone.localdate())
    assert "development" not in codes_of(world.branch_a1)
    assert_in_step()
    with committed():
        development_services.development_delete(actor=None, case=case)
    assert_in_step()


# -- dues ----------------------------------------------------------------------------------------------
def test_dues_assessed_paid_and_a_payment_deleted(world, committed):
    from decimal import Decimal

    member = make_member(world.branch_a1, name="孙欠费")
    dues_services.dues_base_set(
        actor=None,
        member=member,
        effective_from=datetime.date(2020, 1, 1),
        category="employed",
        income=Decimal("4000.00"),
        fixed_amount=None,
    )
    this_month = timezone.localdate().replace(day=1)
    with committed():
        for back in (3, 2, 1):
            dues_services.dues_assess(
                actor=None, organization=world.branch_a1, month=add_months(this_month, -back)
            )
    assert "dues_unpaid" in codes_of(world.branch_a1)
    assert_in_step()
    with committed():
        payment = dues_services.dues_pay(
            actor=None,
            member=member,
            month=add_months(this_month, -1),
            amount=Decimal("40.00"),
            paid_on=timezone.localdate(),
        )
    assert "dues_unpaid" not in codes_of(world.branch_a1)
    assert_in_step()
    with committed():
        dues_services.dues_payment_delete(actor=None, payment=payment)
    assert "dues_unpaid" in codes_of(world.branch_a1)
    assert_in_step()


# -- meetings ------------------------------------------------------------------------------------------
def _last_month():
    return add_months(timezone.localdate().replace(day=1), -1)


def test_meetings_held_moved_and_deleted(world, committed):
    a1, b = world.branch_a1, world.branch_b
    message = {w[3] for w in stored() if w[0] == a1.pk and w[2] == "overdue_theme_day"}
    with committed():
        meeting = partylife_services.meeting_create(
            actor=None,
            organization=a1,
            kind=MeetingKind.THEME_DAY,
            held_on=_last_month() + ONE_DAY,
            theme="主题党日",
        )
    changed = {w[3] for w in stored() if w[0] == a1.pk and w[2] == "overdue_theme_day"}
    assert changed != message
    assert_in_step()
    # moved to another organization: both change
    b_before = {w for w in stored() if w[0] == b.pk}
    with committed():
        partylife_services.meeting_update(actor=None, meeting=meeting, organization=b)
    assert {w[3] for w in stored() if w[0] == a1.pk and w[2] == "overdue_theme_day"} == message
    assert {w for w in stored() if w[0] == b.pk} != b_before
    assert_in_step()
    with committed():
        partylife_services.meeting_delete(actor=None, meeting=meeting)
    assert {w for w in stored() if w[0] == b.pk} == b_before
    assert_in_step()


# -- duty lists --------------------------------------------------------------------------------------
def test_duty_lists_and_items(world, committed):
    year = timezone.localdate().year
    with committed():
        duty_list = partylife_services.duty_list_create(
            actor=None,
            organization=world.branch_b,
            year=year,
            title="责任清单",
            items=[
                {"title": "建强支部班子", "deadline": timezone.localdate() - ONE_DAY},
                {"title": "落实三会一课", "deadline": timezone.localdate() - ONE_DAY},
            ],
        )
    assert "duty_overdue" in codes_of(world.branch_b)
    assert_in_step()
    first, second = DutyItem.objects.filter(duty_list=duty_list).order_by("pk")
    with committed():
        partylife_services.duty_item_complete(actor=None, item=first, on=timezone.localdate())
    assert_in_step()
    with committed():
        partylife_services.duty_item_delete(actor=None, item=second)
    assert "duty_overdue" not in codes_of(world.branch_b)
    assert_in_step()
    with committed():
        partylife_services.duty_item_save(
            actor=None, duty_list=duty_list, title="新增事项", deadline=timezone.localdate() - ONE_DAY
        )
    assert "duty_overdue" in codes_of(world.branch_b)
    assert_in_step()


# -- rules ---------------------------------------------------------------------------------------------
def test_a_new_rule_version_refreshes_every_organization(world, committed):
    committee_monthly = {**rules_for("partylife.frequency").values, "party_lecture": "month"}
    with committed():
        rule_version_add(
            actor=None,
            key="partylife.frequency",
            effective_from=datetime.date(2020, 1, 1),
            values=committee_monthly,
        )
    assert any("党课（每月）" in w[3] for w in stored())
    assert_in_step()


def test_a_rule_that_no_provider_reads_refreshes_nothing(world, committed, monkeypatch):
    calls = []
    monkeypatch.setattr(services, "refresh_warnings", lambda *a, **k: calls.append((a, k)))
    with committed():
        rule_version_add(
            actor=None,
            key="partylife.quorum",
            effective_from=datetime.date(2020, 1, 1),
            values=rules_for("partylife.quorum").values,
        )
    assert calls == []


# -- the transaction ---------------------------------------------------------------------------------
def test_the_writes_of_one_transaction_refresh_once_all_their_organizations(world, committed, monkeypatch):
    calls = []
    real = services.refresh_warnings
    monkeypatch.setattr(
        services, "refresh_warnings", lambda ids=None, **k: calls.append(ids) or real(ids, **k)
    )
    with committed(), transaction.atomic():
        three_full(world.branch_a1)
        three_full(world.branch_b)
        assert calls == []
    assert calls == [{world.branch_a1.pk, world.branch_b.pk}]
    assert_in_step()


def test_a_rolled_back_write_leaves_the_stored_warnings(world, committed):
    before = stored()
    with committed():
        with pytest.raises(RuntimeError), transaction.atomic():
            three_full(world.branch_a1)
            raise RuntimeError("rolled back")
    assert stored() == before


def test_a_read_in_the_writing_transaction_sees_its_writes(world):
    three_full(world.branch_a1)  # not committed (the test's transaction)
    codes = [
        w.code
        for w in organization_warnings(
            user=None, organizations=PartyOrganization.objects.filter(pk=world.branch_a1.pk)
        )
    ]
    assert "too_few_full_members" not in codes
    assert_in_step()


def test_bulk_writes_mark_their_organizations_explicitly(world, committed):
    three_full(world.branch_a1)
    services.refresh_warnings()
    with committed():
        # a queryset update bypasses the signals: the writer says what it touched
        Member.objects.filter(organization=world.branch_a1).update(category=MemberCategory.PROBATIONARY)
        assert "too_few_full_members" not in codes_of(world.branch_a1)
        services.warnings_changed([world.branch_a1.pk])
    assert "too_few_full_members" in codes_of(world.branch_a1)
    assert_in_step()
    with committed():
        services.warnings_changed(EVERY_ORGANIZATION)
    assert_in_step()


# -- the day passing -----------------------------------------------------------------------------------
def test_a_term_running_out_is_caught_by_the_daily_refresh(world):
    today = timezone.localdate()
    start = add_years(today, -3)
    if add_years(start, 3) != today:
        pytest.skip("no three-year term falls due today")
    branch = make_org("今日换届党支部", OrgKind.BRANCH, world.root, term_started_on=start)
    three_full(branch)
    services.refresh_warnings(today=today)
    assert "election_overdue" not in codes_of(branch)
    services.refresh_warnings(today=today + ONE_DAY)
    assert "election_overdue" in codes_of(branch)
    assert_in_step(today=today + ONE_DAY)


def test_a_month_ending_is_caught_by_the_daily_refresh(world):
    today = timezone.localdate()
    first_of_next = add_months(today.replace(day=1), 1)
    branch = make_org("本月成立党支部", OrgKind.BRANCH, world.root, founded_on=today.replace(day=1))
    three_full(branch)
    services.refresh_warnings(today=today)
    assert not any(code.startswith("overdue_") for code in codes_of(branch))
    services.refresh_warnings(today=first_of_next)
    assert "overdue_theme_day" in codes_of(branch)  # monthly: this month has ended unheld
    assert_in_step(today=first_of_next)


def test_the_command_refreshes_everything_and_says_so(world):
    OrganizationWarning.objects.all().delete()
    out = __import__("io").StringIO()
    call_command("refresh_warnings", stdout=out)
    assert "组织预警已刷新" in out.getvalue()
    assert f"{PartyOrganization.objects.count()} 个党组织" in out.getvalue()
    assert f"共 {OrganizationWarning.objects.count()} 条" in out.getvalue()
    assert_in_step()


def test_a_refresh_in_chunks_stores_the_same(world, monkeypatch):
    monkeypatch.setattr(services, "REFRESH_CHUNK", 2)
    OrganizationWarning.objects.all().delete()
    assert services.refresh_warnings() == len(computed_warnings())
    assert_in_step()


# -- reading -------------------------------------------------------------------------------------------
def test_a_county_user_sees_only_their_subtree(world, secretary_a, zone_admin):
    mine = list(warning_rows(user=secretary_a))
    assert mine
    assert {w.org_path[: len(world.committee_a.path)] for w in mine} == {world.committee_a.path}
    inside = {
        w for w in stored() if PartyOrganization.objects.get(pk=w[0]).path.startswith(world.committee_a.path)
    }
    assert {(w.organization_id, w.group, w.code, w.message) for w in mine} == inside
    assert world.branch_b.pk not in {w.organization.pk for w in organization_warnings(user=secretary_a)}
    assert len(organization_warnings(user=zone_admin)) == len(stored())


def test_the_group_counts_equal_the_list(world, secretary_a, zone_admin):
    for user in (secretary_a, zone_admin):
        listed = Counter(w.group for w in organization_warnings(user=user))
        assert warning_counts(user=user) == dict(listed)
    assert warning_counts(user=zone_admin, root=world.branch_b) == dict(
        Counter(w.group for w in warning_rows(user=zone_admin, root=world.branch_b))
    )


def test_the_list_is_ordered_by_the_tree_then_the_code(world, zone_admin):
    found = organization_warnings(user=zone_admin)
    assert [(w.organization.path, w.code) for w in found] == sorted(
        (w.organization.path, w.code) for w in found
    )
    assert {w.group_label for w in found} <= {"组织设置与换届", "组织生活", "责任清单", "发展党员", "党费"}


# -- a ledger import -----------------------------------------------------------------------------------
def test_a_roster_import_refreshes_the_organizations_it_filled(world, committed):
    from dangjian.core.testing.codes import make_id_number
    from dangjian.core.testing.ledgers import import_rows

    header = ["姓名", "公民身份号码", "人员类别", "入党日期", "转正日期", "所在党组织"]
    rows = [
        [
            f"导入党员{i}",
            make_id_number(datetime.date(1990, 5, 6), 900 + i, "男"),
            "正式党员",
            "2015-07-01",
            "2016-07-01",
            "乙企业党支部",
        ]
        for i in range(3)
    ]
    assert "too_few_full_members" in codes_of(world.branch_b)
    with committed():
        report = import_rows("members", [header, *rows], "xlsx")
    assert report.ok, report.errors
    assert "too_few_full_members" not in codes_of(world.branch_b)
    assert_in_step()


# -- the pages read what is stored -----------------------------------------------------------------------
def test_the_pages_the_api_and_the_count_read_the_stored_warnings_without_the_providers(
    world, zone_admin, client, monkeypatch
):
    from rest_framework.test import APIClient

    from dangjian.organizations import warnings as warnings_module

    def refused(*args, **kwargs):
        raise AssertionError("the providers ran on a read")

    monkeypatch.setattr(warnings_module, "compute_warnings", refused)
    monkeypatch.setattr(services, "compute_warnings", refused)
    total = OrganizationWarning.objects.count()
    client.force_login(zone_admin)
    page = client.get("/admin/warnings/")
    assert page.status_code == 200
    assert f"共 {total} 条预警" in page.content.decode()
    assert client.get("/admin/warnings/count/").json() == {"count": total}
    change = client.get(f"/admin/organizations/partyorganization/{world.branch_a2.pk}/change/")
    assert "正式党员 0 人，不足 3 人" in change.content.decode()
    api = APIClient()
    api.force_authenticate(zone_admin)
    assert api.get("/api/v1/organizations/warnings/").json()["count"] == total


@pytest.mark.parametrize("grant", ["zone", "committee", "branch", "enterprise"])
def test_whoever_sees_an_organization_sees_its_stored_warnings(world, grant):
    from dangjian.core.scope import restrict
    from dangjian.testing.factories import make_user

    user = {
        "zone": lambda: make_user("zone_admin", organization=world.root),
        "committee": lambda: make_user("secretary", organization=world.committee_a),
        "branch": lambda: make_user("secretary", organization=world.branch_b),
        "enterprise": lambda: make_user("cadre", enterprise=world.enterprise_a),
    }[grant]()
    visible = set(restrict(user, PartyOrganization.objects.all(), "view").values_list("pk", flat=True))
    expected = {w for w in stored() if w[0] in visible}
    found = {(w.organization_id, w.group, w.code, w.message) for w in warning_rows(user=user)}
    assert found == expected
    assert found  # every one of these grants sees some warning in the test zone
