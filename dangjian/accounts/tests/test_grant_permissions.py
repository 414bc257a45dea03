"""A user's permissions come from the roles of their grants in force, read in two queries however
many permissions the roles hold."""

import datetime

import pytest
from django.utils import timezone

from dangjian.accounts.backends import active_grants, forget_grants
from dangjian.accounts.models import Grant, Role
from dangjian.testing.factories import make_user

pytestmark = pytest.mark.django_db


def test_each_grant_carries_exactly_its_roles_permissions(zone):
    user = make_user("secretary", organization=zone.branch_a1)
    Grant.objects.create(user=user, role=Role.objects.get(code="leader"), organization=zone.root)
    forget_grants(user)
    for grant in active_grants(user):
        expected = {f"{p.content_type.app_label}.{p.codename}" for p in grant.role.permissions.all()}
        assert expected, grant.role.code
        assert grant.permission_names == expected
    assert user.has_perm("members.view_member")
    assert not user.has_perm("accounts.add_role")


def test_two_queries_however_many_permissions(zone, django_assert_num_queries):
    user = make_user("zone_admin", organization=zone.root)
    assert Role.objects.get(code="zone_admin").permissions.count() > 100
    forget_grants(user)
    with django_assert_num_queries(2):
        active_grants(user)
    with django_assert_num_queries(0):
        active_grants(user)  # once per request: kept on the user object


def test_a_role_without_permissions_and_a_grant_not_yet_in_force_give_nothing(zone):
    user = make_user()
    empty = Role.objects.create(code="empty_role", name="空角色")
    Grant.objects.create(user=user, role=empty, organization=zone.root)
    Grant.objects.create(
        user=user,
        role=Role.objects.get(code="zone_admin"),
        organization=zone.root,
        valid_from=timezone.localdate() + datetime.timedelta(days=1),
    )
    forget_grants(user)
    grants = active_grants(user)
    assert [grant.role.code for grant in grants] == ["empty_role"]
    assert grants[0].permission_names == frozenset()
    assert not user.has_perm("members.view_member")
