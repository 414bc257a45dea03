import pytest

from dangjian.core.testing.factories import Zone, make_user


@pytest.fixture
def zone(db):
    return Zone()


@pytest.fixture
def zone_admin(zone):
    return make_user("zone_admin", organization=zone.root)


@pytest.fixture
def secretary_a(zone):
    """Secretary of 甲企业党委: sees 甲企业党委 and its subtree, not 乙企业党支部."""
    return make_user("secretary", organization=zone.committee_a)
