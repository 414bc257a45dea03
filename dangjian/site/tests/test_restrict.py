"""restrict() and ensure_in_scope() (core/scope.py) directly: what each grant reaches, and the
check after every write that keeps records from being created in or moved out of scope."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from dangjian.accounts.models import Grant, Role, User
from dangjian.accounts.roles import BUILTIN_ROLES
from dangjian.audit.models import AuditEntry
from dangjian.core.scope import OUT_OF_SCOPE, ensure_in_scope, restrict
from dangjian.core.testing.codes import make_id_number
from dangjian.core.testing.scope_matrix import MATRIX, MODELS, ROLE_GRANTS, matrix_params
from dangjian.enterprises import services as enterprise_services
from dangjian.enterprises.models import Enterprise, EnterpriseYear, IndustryCluster
from dangjian.members import services as member_services
from dangjian.members.models import Member, Membership
from dangjian.organizations import services as org_services
from dangjian.organizations.models import OrgKind, PartyOrganization, Post
from dangjian.testing.factories import make_enterprise, make_user
from dangjian.testing.matrix import rolled_back_world


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), rolled_back_world() as world:
        yield world


@pytest.fixture
def world(shared_world, db):
    return shared_world


def pks(queryset):
    return set(queryset.values_list("pk", flat=True))


def today():
    return timezone.localdate()


# -- the matrix's scope column is what restrict() says ----------------------------------------
def test_matrix_has_one_row_per_builtin_role_model_and_record():
    rows = [(c.role, c.model, c.record) for c in MATRIX]
    assert len(rows) == len(set(rows))
    assert {c.role for c in MATRIX} == set(BUILTIN_ROLES) == set(ROLE_GRANTS)
    assert {c.model for c in MATRIX} == set(MODELS)
    for role in BUILTIN_ROLES:
        for model in MODELS:
            sides = {c.record for c in MATRIX if c.role == role and c.model == model}
            assert sides == set(MODELS[model].sides), (role, model)


@pytest.mark.parametrize("case", matrix_params())
def test_matrix_scope_column_agrees_with_restrict(world, case):
    spec, record = MODELS[case.model], world.record(case.model, case.record)
    user = world.user_for(case.role)

    visible = restrict(user, spec.model).filter(pk=record.pk).exists()

    assert visible is (case.scope == "in")
    assert user.has_perm(f"{spec.model._meta.app_label}.view_{spec.model._meta.model_name}") is (
        case.scope != "none"
    )


# -- what a grant reaches ---------------------------------------------------------------------
def test_secretary_sees_own_organization_and_its_subtree_and_nothing_else(world):
    z = world.zone
    secretary = world.user_for("secretary")

    assert pks(restrict(secretary, PartyOrganization)) == {
        z.committee_a.pk,
        z.branch_a1.pk,
        z.group_a1.pk,
        z.branch_a2.pk,
        world.organization_a.pk,
    }
    assert pks(restrict(secretary, Member)) == {world.member_a.pk}
    assert pks(restrict(secretary, Post)) == {world.post_a.pk}


def test_grant_on_a_branch_does_not_reach_its_parent_or_siblings(world):
    z = world.zone
    user = make_user("secretary", organization=z.branch_a1)

    assert pks(restrict(user, PartyOrganization)) == {z.branch_a1.pk, z.group_a1.pk}
    assert pks(restrict(user, Enterprise)) == set()  # 甲企业 hangs on 甲企业党委, above the branch


def test_grants_add_up_each_reaching_its_own_subtree(world):
    z = world.zone
    user = make_user("secretary", organization=z.branch_a1)
    Grant.objects.create(user=user, role=Role.objects.get(code="secretary"), organization=z.branch_b)

    assert pks(restrict(user, Member)) == {world.member_a.pk, world.member_b.pk}
    assert z.branch_a2.pk not in pks(restrict(user, PartyOrganization))


def test_restrict_is_per_action_the_leader_views_everything_and_may_change_nothing(world):
    leader = world.user_for("leader")

    assert pks(restrict(leader, Member, "view")) == pks(Member.objects.all())
    for action in ("add", "change", "delete"):
        assert not restrict(leader, Member, action).exists()


def test_enterprise_contact_sees_own_enterprise_and_its_years_only(world):
    contact = world.user_for("enterprise_contact")

    assert pks(restrict(contact, Enterprise)) == {world.enterprise_a.pk}
    assert pks(restrict(contact, EnterpriseYear)) == {world.enterpriseyear_a.pk}
    assert not restrict(contact, PartyOrganization).exists()
    assert not restrict(contact, Member).exists()


def test_cadre_assigned_an_enterprise_sees_it_and_the_organizations_in_it(world):
    z = world.zone
    cadre = world.user_for("cadre")

    assert pks(restrict(cadre, Enterprise)) == {world.enterprise_a.pk}
    assert pks(restrict(cadre, PartyOrganization)) == {
        z.committee_a.pk,
        z.branch_a1.pk,
        z.branch_a2.pk,
        world.organization_a.pk,
    }  # 甲一第1党小组 names no unit, so it is not 甲企业's
    assert not restrict(cadre, Member).exists()


def test_a_model_without_a_scope_is_seen_in_full_by_any_grant_with_its_permission(world):
    contact = world.user_for("enterprise_contact")

    assert pks(restrict(contact, IndustryCluster)) == pks(IndustryCluster.objects.all())
    assert not restrict(world.user_for("audit_admin"), IndustryCluster).exists()


@pytest.mark.parametrize("role", ["system_admin", "security_admin", "audit_admin"])
def test_the_three_administrators_see_no_business_data(world, role):
    user = world.user_for(role)

    for model in (PartyOrganization, Post, Member, Membership, Enterprise, EnterpriseYear):
        assert not restrict(user, model).exists(), model


def test_only_the_audit_administrator_reaches_the_audit_log(world):
    reach = {role: restrict(world.user_for(role), AuditEntry).exists() for role in BUILTIN_ROLES}

    assert reach == {role: role == "audit_admin" for role in BUILTIN_ROLES}


def test_anonymous_and_inactive_users_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    inactive = make_user("zone_admin", organization=world.zone.root)
    User.objects.filter(pk=inactive.pk).update(is_active=False)
    inactive.refresh_from_db()

    assert not restrict(AnonymousUser(), Member).exists()
    assert not restrict(None, Member).exists()
    assert not restrict(inactive, Member).exists()


def test_a_superuser_sees_everything(world):
    root = User.objects.create(username="root_matrix", is_superuser=True)

    assert pks(restrict(root, Member)) == pks(Member.objects.all())
    assert pks(restrict(root, AuditEntry)) == pks(AuditEntry.objects.all())


def test_restrict_narrows_a_given_queryset_and_keeps_its_filters(world):
    secretary = world.user_for("secretary")

    narrowed = restrict(secretary, Member.objects.filter(name="乙党员"))

    assert not narrowed.exists()
    assert pks(restrict(secretary, Member.objects.filter(name="甲党员"))) == {world.member_a.pk}


# -- grant validity ----------------------------------------------------------------------------
def test_an_expired_grant_gives_nothing(world):
    user = make_user(
        "zone_admin",
        organization=world.zone.root,
        valid_from=today() - datetime.timedelta(days=30),
        valid_until=today() - datetime.timedelta(days=1),
    )

    assert not restrict(user, Member).exists()
    assert not restrict(user, PartyOrganization).exists()
    assert not user.has_perm("members.view_member")
    with pytest.raises(PermissionDenied):
        ensure_in_scope(user, world.member_a, "view")


def test_an_expired_grant_gives_no_back_office_and_no_api(world, client):
    from rest_framework.test import APIClient

    user = make_user(
        "zone_admin",
        organization=world.zone.root,
        valid_from=today() - datetime.timedelta(days=30),
        valid_until=today() - datetime.timedelta(days=1),
    )
    api = APIClient()
    api.force_authenticate(user)
    client.force_login(user)

    assert api.get("/api/v1/members/").status_code == 403
    response = client.get("/admin/members/member/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_a_grant_valid_until_today_still_counts(world):
    user = make_user(
        "zone_admin",
        organization=world.zone.root,
        valid_from=today() - datetime.timedelta(days=30),
        valid_until=today(),
    )

    assert pks(restrict(user, Member)) == pks(Member.objects.all())


def test_a_grant_starting_tomorrow_gives_nothing_yet(world):
    user = make_user(
        "zone_admin", organization=world.zone.root, valid_from=today() + datetime.timedelta(days=1)
    )

    assert not restrict(user, Member).exists()


# -- records without an organization -----------------------------------------------------------
def test_a_grant_on_the_root_includes_records_with_no_organization(world):
    loose = make_enterprise("丙企业（无党组织）")
    year = enterprise_services.enterprise_year_save(actor=None, enterprise=loose, year=2024, new_jobs=1)
    assert Enterprise.objects.get(pk=loose.pk).org_path == ""

    for role in ("zone_admin", "leader"):
        user = world.user_for(role)
        assert loose.pk in pks(restrict(user, Enterprise)), role
        assert year.pk in pks(restrict(user, EnterpriseYear)), role


def test_a_grant_on_a_subtree_does_not_include_records_with_no_organization(world):
    loose = make_enterprise("丙企业（无党组织）")
    year = enterprise_services.enterprise_year_save(actor=None, enterprise=loose, year=2024, new_jobs=1)
    secretary = world.user_for("secretary")

    assert loose.pk not in pks(restrict(secretary, Enterprise))
    assert year.pk not in pks(restrict(secretary, EnterpriseYear))
    assert pks(restrict(secretary, Enterprise)) == {world.enterprise_a.pk}


# -- ensure_in_scope ----------------------------------------------------------------------------
def test_ensure_in_scope_passes_a_record_in_scope_and_refuses_one_outside(world):
    secretary = world.user_for("secretary")

    ensure_in_scope(secretary, world.member_a, "change")
    with pytest.raises(PermissionDenied, match=OUT_OF_SCOPE):
        ensure_in_scope(secretary, world.member_b, "change")


def test_ensure_in_scope_checks_the_action(world):
    leader = world.user_for("leader")

    ensure_in_scope(leader, world.member_a, "view")
    with pytest.raises(PermissionDenied):
        ensure_in_scope(leader, world.member_a, "change")


def test_ensure_in_scope_lets_the_system_itself_write(world):
    ensure_in_scope(None, world.member_b, "delete")


# -- every write is checked after it is saved, inside the transaction ---------------------------
def written_counts():
    return (
        Member.objects.count(),
        Membership.objects.count(),
        PartyOrganization.objects.count(),
        Post.objects.count(),
        AuditEntry.objects.count(),
    )


def test_secretary_cannot_create_a_member_outside_the_subtree_and_nothing_is_written(world):
    secretary = world.user_for("secretary")
    number = make_id_number(datetime.date(1992, 8, 9), 901)
    before = written_counts()

    with pytest.raises(PermissionDenied, match=OUT_OF_SCOPE):
        member_services.member_create(
            actor=secretary,
            organization=world.zone.branch_b,
            name="越权新增",
            id_number=number,
            category="full",
            joined_on=datetime.date(2016, 7, 1),
            regularized_on=datetime.date(2017, 7, 1),
        )

    assert written_counts() == before
    assert member_services.find_by_id_number(number) is None


def test_secretary_creates_a_member_inside_the_subtree(world):
    secretary = world.user_for("secretary")

    member = member_services.member_create(
        actor=secretary,
        organization=world.zone.branch_a2,
        name="本支部新增",
        id_number=make_id_number(datetime.date(1992, 8, 9), 903),
        category="full",
        joined_on=datetime.date(2016, 7, 1),
        regularized_on=datetime.date(2017, 7, 1),
    )

    assert Member.objects.get(pk=member.pk).org_path == world.zone.branch_a2.path


def test_secretary_cannot_move_a_member_out_of_the_subtree_and_nothing_is_written(world):
    secretary = world.user_for("secretary")
    member = Member.objects.get(pk=world.member_a.pk)
    stays = list(member.memberships.values_list("pk", "organization_id", "valid_until"))
    before = written_counts()

    with pytest.raises(PermissionDenied, match=OUT_OF_SCOPE):
        member_services.member_transfer(actor=secretary, member=member, to=world.zone.branch_b, on=today())

    stored = Member.objects.get(pk=member.pk)
    assert (stored.organization_id, stored.org_path) == (world.zone.branch_a1.pk, world.zone.branch_a1.path)
    assert list(stored.memberships.values_list("pk", "organization_id", "valid_until")) == stays
    assert written_counts() == before


def test_secretary_moves_a_member_within_the_subtree(world):
    secretary = world.user_for("secretary")
    member = Member.objects.get(pk=world.member_a.pk)

    member_services.member_transfer(actor=secretary, member=member, to=world.zone.branch_a2, on=today())

    assert Member.objects.get(pk=member.pk).org_path == world.zone.branch_a2.path


def test_secretary_cannot_change_a_member_outside_the_subtree(world):
    secretary = world.user_for("secretary")
    member = Member.objects.get(pk=world.member_b.pk)

    with pytest.raises(PermissionDenied):
        member_services.member_update(actor=secretary, member=member, position="越权修改")

    assert Member.objects.get(pk=member.pk).position == ""


def test_secretary_cannot_move_an_organization_out_of_the_subtree_and_nothing_is_written(world):
    secretary = world.user_for("secretary")
    org = PartyOrganization.objects.get(pk=world.zone.branch_a2.pk)
    path = org.path
    before = written_counts()

    with pytest.raises(PermissionDenied, match=OUT_OF_SCOPE):
        org_services.organization_update(actor=secretary, organization=org, parent=world.zone.root)

    stored = PartyOrganization.objects.get(pk=org.pk)
    assert stored.path == path
    assert stored.parent.pk == world.zone.committee_a.pk
    assert written_counts() == before


def test_secretary_cannot_create_an_organization_outside_the_subtree(world):
    secretary = world.user_for("secretary")
    before = written_counts()

    with pytest.raises(PermissionDenied, match=OUT_OF_SCOPE):
        org_services.organization_create(
            actor=secretary, parent=world.zone.root, name="越权党支部", kind=OrgKind.BRANCH
        )

    assert written_counts() == before
    assert not PartyOrganization.objects.filter(name="越权党支部").exists()


def test_secretary_cannot_move_a_post_out_of_the_subtree(world):
    secretary = world.user_for("secretary")
    post = Post.objects.get(pk=world.post_a.pk)
    before = written_counts()

    with pytest.raises(PermissionDenied, match=OUT_OF_SCOPE):
        org_services.post_update(actor=secretary, post=post, organization=world.zone.branch_b)

    stored = Post.objects.get(pk=post.pk)
    assert (stored.organization_id, stored.org_path) == (world.zone.branch_a1.pk, world.zone.branch_a1.path)
    assert written_counts() == before


def test_zone_admin_moves_a_member_anywhere_in_the_zone(world):
    zone_admin = world.user_for("zone_admin")
    member = Member.objects.get(pk=world.member_a.pk)

    member_services.member_transfer(actor=zone_admin, member=member, to=world.zone.branch_b, on=today())

    assert Member.objects.get(pk=member.pk).org_path == world.zone.branch_b.path
