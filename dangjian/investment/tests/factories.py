"""Investment records for tests: teams, people, events and projects, through the services."""

import datetime
from decimal import Decimal

from dangjian.enterprises.models import IndustryCluster
from dangjian.investment import services
from dangjian.investment.models import PersonRole, Stage


def team(name="第一招商小分队", **fields):
    return services.team_save(actor=None, name=name, **fields)


def person(name, role=PersonRole.AMBASSADOR, **fields):
    return services.person_save(actor=None, name=name, role=role, **fields)


def event(name="深圳生物医药招商对接会", held_on=datetime.date(2025, 5, 10), **fields):
    participants = fields.pop("participants", None)
    return services.event_save(actor=None, name=name, held_on=held_on, participants=participants, **fields)


def cluster(name="生物医药"):
    return IndustryCluster.objects.get_or_create(name=name)[0]


def project(name="年产千吨原料药项目", recorded_on=datetime.date(2025, 1, 6), **fields):
    return services.project_save(actor=None, name=name, recorded_on=recorded_on, **fields)


def signed(name="年产千吨原料药项目", *, on=datetime.date(2025, 3, 1), amount=Decimal("10000"), **fields):
    """A project taken through 洽谈 to 签约 on `on`."""
    p = project(name, recorded_on=fields.pop("recorded_on", on - datetime.timedelta(days=30)), **fields)
    services.project_advance(
        actor=None, project=p, stage=Stage.NEGOTIATING, on=on - datetime.timedelta(days=10)
    )
    services.project_advance(actor=None, project=p, stage=Stage.SIGNED, on=on, signed_amount=amount)
    return p
