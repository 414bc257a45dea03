"""The organizations app's part of the scope matrix (dangjian.core.testing.scope_matrix)."""

from dangjian.core.testing.scope_matrix import ModelSpec, register_matrix
from dangjian.organizations import services as org_services
from dangjian.organizations.models import OrgKind, PartyOrganization, Post, PostKind
from dangjian.testing.factories import make_org


def _organizations(world):
    z = world.zone
    return {
        "a": make_org("甲三党支部", OrgKind.BRANCH, z.committee_a, unit_name="甲企业"),
        "b": make_org("乙二党支部", OrgKind.BRANCH, z.root, unit_name="乙企业"),
    }


def _posts(world):
    z = world.zone
    return {
        "a": org_services.post_create(
            actor=None, name="甲一党员活动室", kind=PostKind.ACTIVITY_ROOM, organization=z.branch_a1
        ),
        "b": org_services.post_create(
            actor=None, name="乙党员示范岗", kind=PostKind.MODEL_POST, organization=z.branch_b
        ),
    }


register_matrix(
    table="""
role               model           rec scope list   detail create change delete
zone_admin         organization    a   in    seen   200    201    200    204
zone_admin         organization    b   in    seen   200    201    200    204
zone_admin         post            a   in    seen   200    201    200    204
zone_admin         post            b   in    seen   200    201    200    204

leader             organization    a   in    seen   200    403    403    403
leader             organization    b   in    seen   200    403    403    403
leader             post            a   in    seen   200    403    403    403
leader             post            b   in    seen   200    403    403    403

secretary          organization    a   in    seen   200    201    200    403
secretary          organization    b   out   hidden 404    400    404    403
secretary          post            a   in    seen   200    201    200    204
secretary          post            b   out   hidden 404    400    404    404

cadre              organization    a   in    seen   200    403    403    403
cadre              organization    b   out   hidden 404    403    403    403
cadre              post            a   none  403    403    403    403    403
cadre              post            b   none  403    403    403    403    403

enterprise_contact organization    a   none  403    403    403    403    403
enterprise_contact organization    b   none  403    403    403    403    403
enterprise_contact post            a   none  403    403    403    403    403
enterprise_contact post            b   none  403    403    403    403    403

system_admin       organization    a   none  403    403    403    403    403
system_admin       organization    b   none  403    403    403    403    403
system_admin       post            a   none  403    403    403    403    403
system_admin       post            b   none  403    403    403    403    403

security_admin     organization    a   none  403    403    403    403    403
security_admin     organization    b   none  403    403    403    403    403
security_admin     post            a   none  403    403    403    403    403
security_admin     post            b   none  403    403    403    403    403

audit_admin        organization    a   none  403    403    403    403    403
audit_admin        organization    b   none  403    403    403    403    403
audit_admin        post            a   none  403    403    403    403    403
audit_admin        post            b   none  403    403    403    403    403
""",
    specs=[
        ModelSpec(
            key="organization",
            model=PartyOrganization,
            admin_name="organizations_partyorganization",
            api_basename="organization",
            change_field="note",
            change_value="矩阵修改",
            build=_organizations,
            api_create=lambda w, choice: {"name": "新党支部", "kind": OrgKind.BRANCH, "parent": choice.pk},
            choice_field="parent",
            choices={"a": "committee_a", "b": "root"},
        ),
        ModelSpec(
            key="post",
            model=Post,
            admin_name="organizations_post",
            api_basename="post",
            change_field="note",
            change_value="矩阵修改",
            build=_posts,
            api_create=lambda w, choice: {
                "name": "新阵地",
                "kind": PostKind.ACTIVITY_ROOM,
                "organization": choice.pk,
            },
            choice_field="organization",
            choices={"a": "branch_a1", "b": "branch_b"},
        ),
    ],
    module=__name__,
)
