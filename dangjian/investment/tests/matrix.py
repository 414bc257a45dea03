"""招商引资's part of the scope matrix (dangjian.core.testing.scope_matrix): people, events and
projects, on the 甲 side (organization 甲一党支部, team 甲) and the 乙 side (乙企业党支部, team 乙).
The zone administrator keeps them and the leader reads them, zone-wide; a team member (the role
招商人员, a grant on team 甲) reads team 甲's people and works on its events and projects; the
other roles have no permission on them. Teams themselves are not rows: every record here names
one, so a team is never free to delete (the API's tests cover teams)."""

import datetime

from dangjian.core.testing.scope_matrix import ModelSpec, next_number, register_matrix
from dangjian.investment import services
from dangjian.investment.models import InvestmentEvent, InvestmentPerson, InvestmentProject, PersonRole

DAY = datetime.date(2025, 5, 10)
SIDES = {"a": "branch_a1", "b": "branch_b"}


def _teams(world):
    if not hasattr(world, "investment_team_a"):
        for side, org in SIDES.items():
            team = services.team_save(
                actor=None, name=f"矩阵小分队{side}", organization=getattr(world.zone, org)
            )
            setattr(world, f"investment_team_{side}", team)
    return {side: getattr(world, f"investment_team_{side}") for side in SIDES}


def _people(world):
    teams = _teams(world)
    return {
        side: services.person_save(
            actor=None,
            name=f"矩阵队员{side}",
            role=PersonRole.MEMBER,
            team=teams[side],
            appointed_on=datetime.date(2024, 1, 1),
            organization=getattr(world.zone, org),
        )
        for side, org in SIDES.items()
    }


def _events(world):
    teams = _teams(world)
    return {
        side: services.event_save(
            actor=None,
            name=f"矩阵招商对接{side}",
            held_on=DAY,
            team=teams[side],
            organization=getattr(world.zone, org),
        )
        for side, org in SIDES.items()
    }


def _projects(world):
    teams = _teams(world)
    return {
        side: services.project_save(
            actor=None,
            name=f"矩阵招商项目{side}",
            recorded_on=DAY,
            team=teams[side],
            organization=getattr(world.zone, org),
        )
        for side, org in SIDES.items()
    }


ROWS = """
role               model              rec scope list   detail create change delete
zone_admin         investmentperson   a   in    seen   200    201    200    204
zone_admin         investmentperson   b   in    seen   200    201    200    204
zone_admin         investmentevent    a   in    seen   200    201    200    204
zone_admin         investmentevent    b   in    seen   200    201    200    204
zone_admin         investmentproject  a   in    seen   200    201    200    204
zone_admin         investmentproject  b   in    seen   200    201    200    204

leader             investmentperson   a   in    seen   200    403    403    403
leader             investmentperson   b   in    seen   200    403    403    403
leader             investmentevent    a   in    seen   200    403    403    403
leader             investmentevent    b   in    seen   200    403    403    403
leader             investmentproject  a   in    seen   200    403    403    403
leader             investmentproject  b   in    seen   200    403    403    403

investment_staff   investmentperson   a   in    seen   200    403    403    403
investment_staff   investmentperson   b   out   hidden 404    403    403    403
investment_staff   investmentevent    a   in    seen   200    400    200    403
investment_staff   investmentevent    b   out   hidden 404    400    404    403
investment_staff   investmentproject  a   in    seen   200    400    200    403
investment_staff   investmentproject  b   out   hidden 404    400    404    403
"""

# the roles with no permission on investment records
NONE_ROLES = ("secretary", "cadre", "enterprise_contact", "system_admin", "security_admin", "audit_admin")
TABLE = ROWS + "\n".join(
    f"{role} {model} {side} none 403 403 403 403 403"
    for role in NONE_ROLES
    for model in ("investmentperson", "investmentevent", "investmentproject")
    for side in ("a", "b")
)


register_matrix(
    table=TABLE,
    specs=[
        ModelSpec(
            key="investmentperson",
            model=InvestmentPerson,
            admin_name="investment_investmentperson",
            api_basename="investmentperson",
            change_field="note",
            change_value="矩阵修改",
            build=_people,
            api_create=lambda w, choice: {
                "name": f"矩阵大使{next_number()}",
                "role": PersonRole.AMBASSADOR,
                "organization": choice.pk,
            },
            choice_field="organization",
            choices=SIDES,
        ),
        ModelSpec(
            key="investmentevent",
            model=InvestmentEvent,
            admin_name="investment_investmentevent",
            api_basename="investmentevent",
            change_field="note",
            change_value="矩阵修改",
            build=_events,
            api_create=lambda w, choice: {
                "name": f"矩阵新活动{next_number()}",
                "held_on": DAY.isoformat(),
                "form": "matchmaking",
                "organization": choice.pk,
            },
            admin_create=lambda w, choice: {
                "name": f"矩阵新活动{next_number()}",
                "held_on": DAY.isoformat(),
                "form": "matchmaking",
                "organization": choice.pk,
                "photos-TOTAL_FORMS": "0",
                "photos-INITIAL_FORMS": "0",
            },
            choice_field="organization",
            choices=SIDES,
        ),
        ModelSpec(
            key="investmentproject",
            model=InvestmentProject,
            admin_name="investment_investmentproject",
            api_basename="investmentproject",
            change_field="note",
            change_value="矩阵修改",
            build=_projects,
            api_create=lambda w, choice: {
                "name": f"矩阵新项目{next_number()}",
                "recorded_on": DAY.isoformat(),
                "organization": choice.pk,
            },
            choice_field="organization",
            choices=SIDES,
        ),
    ],
    role_grants={"investment_staff": ("assigned", "investment_team_a")},
    module=__name__,
)
