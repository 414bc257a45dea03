"""The enterprises app's part of the scope matrix (dangjian.core.testing.scope_matrix)."""

from decimal import Decimal

from dangjian.core.testing.codes import make_credit_code
from dangjian.core.testing.scope_matrix import ModelSpec, next_number, register_matrix
from dangjian.enterprises import services as enterprise_services
from dangjian.enterprises.models import Enterprise, EnterpriseYear, IndustryCluster


def _enterprise_fields(world, choice):
    return {
        "name": "新企业",
        "credit_code": make_credit_code(next_number() * 7919),
        "cluster": IndustryCluster.objects.get(name="生物医药").pk,
    }


def _years(world):
    z = world.zone
    return {
        "a": enterprise_services.enterprise_year_save(
            actor=None, enterprise=z.enterprise_a, year=2024, revenue=Decimal("1200"), new_jobs=12
        ),
        "b": enterprise_services.enterprise_year_save(
            actor=None, enterprise=z.enterprise_b, year=2024, revenue=Decimal("800"), new_jobs=8
        ),
    }


# The world's enterprises are referred to by other apps' records in it (人才与创新's talents,
# platforms, innovations and experts): the zone administrator's delete is refused with the Chinese
# 409 of a protected delete (the back office shows the message) and changes nothing.
register_matrix(
    table="""
role               model           rec scope list   detail create change delete
zone_admin         enterprise      a   in    seen   200    201    200    409
zone_admin         enterprise      b   in    seen   200    201    200    409
zone_admin         enterpriseyear  a   in    seen   200    201    200    204
zone_admin         enterpriseyear  b   in    seen   200    201    200    204

leader             enterprise      a   in    seen   200    403    403    403
leader             enterprise      b   in    seen   200    403    403    403
leader             enterpriseyear  a   in    seen   200    403    403    403
leader             enterpriseyear  b   in    seen   200    403    403    403

secretary          enterprise      a   in    seen   200    403    403    403
secretary          enterprise      b   out   hidden 404    403    403    403
secretary          enterpriseyear  a   in    seen   200    403    403    403
secretary          enterpriseyear  b   out   hidden 404    403    403    403

cadre              enterprise      a   in    seen   200    403    403    403
cadre              enterprise      b   out   hidden 404    403    403    403
cadre              enterpriseyear  a   in    seen   200    403    403    403
cadre              enterpriseyear  b   out   hidden 404    403    403    403

enterprise_contact enterprise      a   in    seen   200    403    403    403
enterprise_contact enterprise      b   out   hidden 404    403    403    403
enterprise_contact enterpriseyear  a   in    seen   200    403    403    403
enterprise_contact enterpriseyear  b   out   hidden 404    403    403    403

system_admin       enterprise      a   none  403    403    403    403    403
system_admin       enterprise      b   none  403    403    403    403    403
system_admin       enterpriseyear  a   none  403    403    403    403    403
system_admin       enterpriseyear  b   none  403    403    403    403    403

security_admin     enterprise      a   none  403    403    403    403    403
security_admin     enterprise      b   none  403    403    403    403    403
security_admin     enterpriseyear  a   none  403    403    403    403    403
security_admin     enterpriseyear  b   none  403    403    403    403    403

audit_admin        enterprise      a   none  403    403    403    403    403
audit_admin        enterprise      b   none  403    403    403    403    403
audit_admin        enterpriseyear  a   none  403    403    403    403    403
audit_admin        enterpriseyear  b   none  403    403    403    403    403
""",
    specs=[
        ModelSpec(  # an enterprise is created with no organization: no scoped choice
            key="enterprise",
            model=Enterprise,
            admin_name="enterprises_enterprise",
            api_basename="enterprise",
            change_field="note",
            change_value="矩阵修改",
            build=lambda world: {"a": world.zone.enterprise_a, "b": world.zone.enterprise_b},
            api_create=_enterprise_fields,
            admin_create=lambda w, choice: {
                **_enterprise_fields(w, choice),
                "years-TOTAL_FORMS": "0",
                "years-INITIAL_FORMS": "0",
            },
        ),
        ModelSpec(
            key="enterpriseyear",
            model=EnterpriseYear,
            admin_name="enterprises_enterpriseyear",
            api_basename="enterpriseyear",
            change_field="new_jobs",
            change_value=99,
            build=_years,
            api_create=lambda w, choice: {"enterprise": choice.pk, "year": 2025, "new_jobs": 3},
            choice_field="enterprise",
            choices={"a": "enterprise_a", "b": "enterprise_b"},
        ),
    ],
    module=__name__,
)
