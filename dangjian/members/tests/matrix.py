"""The members app's part of the scope matrix (dangjian.core.testing.scope_matrix)."""

import datetime

from dangjian.core.testing.codes import make_id_number
from dangjian.core.testing.scope_matrix import ModelSpec, next_number, register_matrix
from dangjian.members.models import Member
from dangjian.testing.factories import make_member


def _members(world):
    z = world.zone
    return {
        "a": make_member(z.branch_a1, name="甲党员", phone="13800138001"),
        "b": make_member(z.branch_b, name="乙党员", phone="13900139002"),
    }


def _member_fields(world, choice):
    birth = datetime.date(1991, 3, 4)
    return {
        "organization": choice.pk,
        "name": "新党员",
        "id_number": make_id_number(birth, next_number()),
        "category": "full",
        "joined_on": "2016-07-01",
        "regularized_on": "2017-07-01",
    }


register_matrix(
    table="""
role               model           rec scope list   detail create change delete
zone_admin         member          a   in    seen   200    201    200    204
zone_admin         member          b   in    seen   200    201    200    204

leader             member          a   in    seen   200    403    403    403
leader             member          b   in    seen   200    403    403    403

secretary          member          a   in    seen   200    201    200    204
secretary          member          b   out   hidden 404    400    404    404

cadre              member          a   none  403    403    403    403    403
cadre              member          b   none  403    403    403    403    403

enterprise_contact member          a   none  403    403    403    403    403
enterprise_contact member          b   none  403    403    403    403    403

system_admin       member          a   none  403    403    403    403    403
system_admin       member          b   none  403    403    403    403    403

security_admin     member          a   none  403    403    403    403    403
security_admin     member          b   none  403    403    403    403    403

audit_admin        member          a   none  403    403    403    403    403
audit_admin        member          b   none  403    403    403    403    403
""",
    specs=[
        ModelSpec(
            key="member",
            model=Member,
            admin_name="members_member",
            api_basename="member",
            change_field="position",
            change_value="矩阵修改",
            build=_members,
            api_create=_member_fields,
            admin_create=lambda w, choice: {
                **_member_fields(w, choice),
                "status": "normal",
                "memberships-TOTAL_FORMS": "0",
                "memberships-INITIAL_FORMS": "0",
            },
            choice_field="organization",
            choices={"a": "branch_a1", "b": "branch_b"},
        ),
    ],
    module=__name__,
)
