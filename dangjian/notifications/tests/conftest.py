import pytest

from dangjian.projects.tests.factories import make_cadre
from dangjian.servicedesk.tests.factories import designate, make_contact


@pytest.fixture
def cadre(zone):
    """王联系, 甲企业's designated cadre."""
    return designate(zone.enterprise_a, make_cadre("王联系"))


@pytest.fixture
def contact(zone):
    """A contact of 甲企业."""
    return make_contact(zone.enterprise_a)
