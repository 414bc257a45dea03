"""grant_holders: the users to tell, from the grants in force, each grant judged by itself."""

import datetime

import pytest
from django.utils import timezone

from dangjian.accounts.models import Grant, Role
from dangjian.accounts.selectors import grant_holders
from dangjian.testing.factories import make_user

pytestmark = pytest.mark.django_db
ONE_DAY = datetime.timedelta(days=1)


def test_the_active_holders_of_a_role_over_exactly_that_organization(zone):
    here = make_user("secretary", organization=zone.branch_a1)
    above = make_user("secretary", organization=zone.committee_a)
    other_role = make_user("zone_admin", organization=zone.branch_a1)
    gone = make_user("secretary", organization=zone.branch_a1)
    gone.is_active = False
    gone.save()
    assert list(grant_holders("secretary", organization=zone.branch_a1)) == [here]
    assert list(grant_holders("secretary", organization=zone.committee_a)) == [above]
    assert set(grant_holders("secretary")) == {here, above}
    assert other_role not in grant_holders("secretary")


def test_an_expired_grant_does_not_count_even_beside_one_in_force_elsewhere(zone):
    today = timezone.localdate()
    user = make_user("secretary", organization=zone.branch_b)
    Grant.objects.create(
        user=user,
        role=Role.objects.get(code="secretary"),
        organization=zone.branch_a1,
        valid_from=today - ONE_DAY * 30,
        valid_until=today - ONE_DAY,
    )
    starting = make_user()
    Grant.objects.create(
        user=starting,
        role=Role.objects.get(code="secretary"),
        organization=zone.branch_a1,
        valid_from=today + ONE_DAY,
    )
    assert list(grant_holders("secretary", organization=zone.branch_a1)) == []
    assert list(grant_holders("secretary", organization=zone.branch_b)) == [user]
    assert list(grant_holders("secretary", organization=zone.branch_a1, day=today - ONE_DAY)) == [user]
    assert list(grant_holders("secretary", organization=zone.branch_a1, day=today + ONE_DAY)) == [starting]
