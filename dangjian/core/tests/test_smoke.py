from dangjian.enterprises.models import Enterprise
from dangjian.members.models import Member


def test_zone_fixture_links_enterprises_to_their_highest_organization(zone):
    assert Enterprise.objects.get(pk=zone.enterprise_a.pk).org_path == zone.committee_a.path
    assert Enterprise.objects.get(pk=zone.enterprise_b.pk).org_path == zone.branch_b.path


def test_member_factory_makes_a_valid_member(zone):
    from dangjian.core.testing.factories import make_member

    member = make_member(zone.branch_a1)
    assert Member.objects.get(pk=member.pk).org_path == zone.branch_a1.path
