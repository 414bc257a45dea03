import datetime
from decimal import Decimal

import pytest

from dangjian.investment import services
from dangjian.investment.models import PersonRole, Stage
from dangjian.investment.tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_lead_goes_to_a_signed_project_carried_into_the_key_projects():
    t = f.team()
    leader = f.person("王队长", role=PersonRole.LEADER, team=t, appointed_on=datetime.date(2024, 1, 1))
    assert leader.user and leader.grant and leader.grant.object_id == t.pk
    p = f.signed(team=t, follower=leader)
    services.tranche_add(
        actor=None, project=p, received_on=datetime.date(2025, 4, 1), amount=Decimal("300.5")
    )
    assert p.funds_total == Decimal("300.5")
    key = services.project_carry(actor=None, project=p)
    assert key.investment_project == p and p.stage == Stage.SIGNED
    dup = f.project("年产千吨原料药生产 项目", investor="")
    assert list(dup.possible_duplicates.all()) == [p]
