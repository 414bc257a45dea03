"""Moves between organizations (member_transfer) keep history; leaving (member_leave)."""

import datetime
from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dangjian.members import services
from dangjian.members.models import Member, Membership, memberships_on
from dangjian.organizations import services as org_services
from dangjian.organizations.models import OrgKind
from dangjian.testing.factories import make_member, make_org

D = datetime.date


@contextmanager
def refused(field):
    with pytest.raises(ValidationError) as excinfo:
        yield excinfo
    assert field in excinfo.value.message_dict, excinfo.value.message_dict


def organization_on(member, day):
    stays = list(Membership.objects.filter(member=member).filter(memberships_on(day)))
    assert len(stays) <= 1, stays
    return stays[0].organization if stays else None


def transfer(member, to, on, **kwargs):
    return services.member_transfer(
        actor=None, member=Member.objects.get(pk=member.pk), to=to, on=on, **kwargs
    )


@pytest.fixture
def member(zone):
    return make_member(zone.branch_a1, joined=D(2015, 7, 1), party_group=zone.group_a1)


def test_the_organization_on_any_past_date_is_answerable_after_a_move(zone, member):
    transfer(member, zone.branch_b, D(2020, 3, 1))
    assert organization_on(member, D(2015, 6, 30)) is None  # before joining
    assert organization_on(member, D(2015, 7, 1)) == zone.branch_a1
    assert organization_on(member, D(2020, 2, 29)) == zone.branch_a1
    assert organization_on(member, D(2020, 3, 1)) == zone.branch_b
    assert organization_on(member, timezone.localdate()) == zone.branch_b


def test_the_previous_stay_ends_the_day_before_the_move(zone, member):
    transfer(member, zone.branch_b, D(2020, 3, 1), note="工作调动")
    first, second = Membership.objects.filter(member=member).order_by("valid_from")
    assert (first.organization, first.valid_from, first.valid_until) == (
        zone.branch_a1,
        D(2015, 7, 1),
        D(2020, 2, 29),
    )
    assert (second.organization, second.valid_from, second.valid_until) == (
        zone.branch_b,
        D(2020, 3, 1),
        None,
    )
    assert second.reason == Membership.Reason.TRANSFER
    assert second.note == "工作调动"
    assert second.org_path == zone.branch_b.path


def test_a_move_changes_the_members_organization_and_stored_path(zone, member):
    transfer(member, zone.branch_b, D(2020, 3, 1))
    stored = Member.objects.get(pk=member.pk)
    assert stored.organization == zone.branch_b
    assert stored.org_path == zone.branch_b.path
    assert stored.party_group is None


def test_two_moves_keep_every_stay(zone, member):
    transfer(member, zone.branch_b, D(2020, 3, 1))
    transfer(member, zone.branch_a2, D(2022, 9, 15))
    assert organization_on(member, D(2019, 1, 1)) == zone.branch_a1
    assert organization_on(member, D(2022, 9, 14)) == zone.branch_b
    assert organization_on(member, D(2022, 9, 15)) == zone.branch_a2
    assert Membership.objects.filter(member=member).count() == 3


def test_a_move_into_a_dissolved_organization_is_refused(zone, member):
    dissolved = make_org("已撤销党支部", OrgKind.BRANCH, zone.root)
    org_services.organization_dissolve(actor=None, organization=dissolved, on=D(2023, 1, 1))
    with refused("organization") as excinfo:
        transfer(member, dissolved, D(2023, 6, 1))
    assert "撤销" in excinfo.value.message_dict["organization"][0]
    with refused("organization"):
        transfer(member, dissolved, D(2023, 1, 1))
    assert Member.objects.get(pk=member.pk).organization == zone.branch_a1
    assert Membership.objects.filter(member=member).count() == 1


def test_a_move_dated_before_the_current_stay_began_is_refused(zone, member):
    transfer(member, zone.branch_b, D(2020, 3, 1))
    with refused("on"):
        transfer(member, zone.branch_a2, D(2020, 2, 29))
    assert Member.objects.get(pk=member.pk).organization == zone.branch_b
    assert Membership.objects.filter(member=member).count() == 2


def test_a_move_dated_before_joining_the_party_is_refused(zone, member):
    with refused("on"):
        transfer(member, zone.branch_b, D(2015, 6, 30))
    assert Membership.objects.get(member=member).valid_until is None


def test_a_move_dated_in_the_future_is_refused(zone, member):
    with refused("on"):
        transfer(member, zone.branch_b, timezone.localdate() + datetime.timedelta(days=1))


def test_a_move_to_the_same_organization_is_refused(zone, member):
    with refused("organization"):
        transfer(member, zone.branch_a1, D(2020, 3, 1))


def test_a_move_into_an_organization_that_holds_no_members_is_refused(zone, member):
    with refused("organization"):
        transfer(member, zone.group_a1, D(2020, 3, 1))


def test_a_second_move_on_the_same_day_corrects_the_organization(zone, member):
    transfer(member, zone.branch_b, D(2020, 3, 1))
    transfer(member, zone.branch_a2, D(2020, 3, 1))
    stays = list(Membership.objects.filter(member=member).order_by("valid_from"))
    assert [s.organization for s in stays] == [zone.branch_a1, zone.branch_a2]
    assert organization_on(member, D(2020, 3, 1)) == zone.branch_a2


def test_a_move_on_the_day_of_joining_corrects_the_first_organization(zone, member):
    transfer(member, zone.branch_b, D(2015, 7, 1))
    stays = list(Membership.objects.filter(member=member))
    assert [(s.organization, s.valid_from, s.valid_until) for s in stays] == [
        (zone.branch_b, D(2015, 7, 1), None)
    ]
    assert organization_on(member, D(2015, 7, 1)) == zone.branch_b
    assert not Membership.objects.filter(organization=zone.branch_a1).exists()


def test_the_party_group_is_set_with_the_move(zone):
    member = make_member(zone.branch_b)
    transfer(member, zone.branch_a1, D(2021, 1, 4), party_group=zone.group_a1)
    assert Member.objects.get(pk=member.pk).party_group == zone.group_a1


def test_a_member_transferred_in_from_outside_counts_from_that_day(zone):
    member = make_member(zone.branch_b, joined=D(2010, 7, 1), transferred_in_on=D(2019, 4, 1))
    stay = Membership.objects.get(member=member)
    assert (stay.valid_from, stay.start_known, stay.reason) == (
        D(2019, 4, 1),
        True,
        Membership.Reason.TRANSFER_IN,
    )
    assert organization_on(member, D(2019, 3, 31)) is None
    assert organization_on(member, D(2019, 4, 1)) == zone.branch_b


def test_correcting_the_joining_date_moves_the_start_of_an_unknown_first_stay(zone, member):
    services.member_update(
        actor=None,
        member=Member.objects.get(pk=member.pk),
        joined_on=D(2014, 7, 1),
        regularized_on=D(2015, 7, 1),
    )
    assert Membership.objects.get(member=member).valid_from == D(2014, 7, 1)


def test_correcting_the_joining_date_to_the_day_of_the_first_move_is_refused(zone, member):
    transfer(member, zone.branch_b, D(2020, 3, 1))
    with refused("joined_on") as excinfo:
        services.member_update(
            actor=None,
            member=Member.objects.get(pk=member.pk),
            joined_on=D(2020, 3, 1),
            regularized_on=D(2021, 3, 1),
        )
    assert "2020-03-01" in excinfo.value.message_dict["joined_on"][0]
    assert Membership.objects.get(member=member, organization=zone.branch_a1).valid_from == D(2015, 7, 1)


def test_correcting_the_joining_date_to_after_the_transfer_in_is_refused(zone):
    member = make_member(zone.branch_b, joined=D(2010, 7, 1), transferred_in_on=D(2019, 4, 1))
    with refused("joined_on"):
        services.member_update(
            actor=None, member=member, joined_on=D(2019, 4, 2), regularized_on=D(2020, 4, 2)
        )
    assert Member.objects.get(pk=member.pk).joined_on == D(2010, 7, 1)


# -- leaving --------------------------------------------------------------------------------------


def test_a_member_who_leaves_counts_up_to_the_day_of_leaving(zone, member):
    services.member_leave(actor=None, member=member, on=D(2024, 8, 31), reason="转出至区外党组织")
    stored = Member.objects.get(pk=member.pk)
    assert (stored.left_on, stored.leave_reason) == (D(2024, 8, 31), "转出至区外党组织")
    assert not stored.is_current
    assert organization_on(member, D(2024, 8, 31)) == zone.branch_a1
    assert organization_on(member, D(2024, 9, 1)) is None


def test_leaving_needs_a_reason(zone, member):
    with refused("leave_reason"):
        services.member_leave(actor=None, member=member, on=D(2024, 8, 31), reason="")
    assert Member.objects.get(pk=member.pk).left_on is None


def test_leaving_in_the_future_is_refused(zone, member):
    with refused("left_on"):
        services.member_leave(
            actor=None, member=member, on=timezone.localdate() + datetime.timedelta(days=1), reason="去世"
        )


def test_leaving_before_the_current_stay_began_is_refused(zone, member):
    transfer(member, zone.branch_b, D(2020, 3, 1))
    with refused("left_on"):
        services.member_leave(
            actor=None, member=Member.objects.get(pk=member.pk), on=D(2020, 2, 1), reason="去世"
        )
    assert Member.objects.get(pk=member.pk).left_on is None


def test_a_member_who_left_cannot_be_moved(zone, member):
    services.member_leave(actor=None, member=member, on=D(2024, 8, 31), reason="去世")
    with refused("organization"):
        transfer(member, zone.branch_b, D(2024, 10, 1))
