"""The accounts app's part of the scope matrix (dangjian.core.testing.scope_matrix): users and
grants are not scoped by organization, so each has one record."""

from django.utils import timezone

from dangjian.accounts.models import Grant, Role, User
from dangjian.core.testing.scope_matrix import ModelSpec, register_matrix
from dangjian.testing.factories import PASSWORD, UserFactory


def _users(world):
    return {"a": UserFactory(username="matrix_target", full_name="被管理用户")}


def _grants(world):
    return {
        "a": Grant.objects.create(
            user=world.user_a, role=Role.objects.get(code="leader"), organization=world.zone.root
        )
    }


def _grant_fields(world, choice):
    return {
        "user": world.user_a.pk,
        "role": Role.objects.get(code="cadre").pk,
        "enterprise": world.enterprise_b.pk,
    }


register_matrix(
    table="""
role               model           rec scope list   detail create change delete
zone_admin         user            a   in    seen   200    403    403    403
zone_admin         grant           a   none  403    403    403    403    403

leader             user            a   none  403    403    403    403    403
leader             grant           a   none  403    403    403    403    403

secretary          user            a   none  403    403    403    403    403
secretary          grant           a   none  403    403    403    403    403

cadre              user            a   none  403    403    403    403    403
cadre              grant           a   none  403    403    403    403    403

enterprise_contact user            a   none  403    403    403    403    403
enterprise_contact grant           a   none  403    403    403    403    403

system_admin       user            a   in    seen   200    201    200    403
system_admin       grant           a   none  403    403    403    403    403

security_admin     user            a   in    seen   200    403    403    403
security_admin     grant           a   in    seen   200    201    200    204

audit_admin        user            a   none  403    403    403    403    403
audit_admin        grant           a   none  403    403    403    403    403
""",
    specs=[
        ModelSpec(
            key="user",
            model=User,
            admin_name="accounts_user",
            api_basename="user",
            change_field="title",
            change_value="矩阵修改",
            build=_users,
            api_create=lambda w, choice: {
                "username": "newcomer",
                "full_name": "新用户",
                "password": PASSWORD,
            },
            admin_create=lambda w, choice: {
                "username": "newcomer",
                "full_name": "新用户",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "usable_password": "true",
            },
            sides=("a",),
        ),
        ModelSpec(
            key="grant",
            model=Grant,
            admin_name="accounts_grant",
            api_basename="grant",
            change_field="note",
            change_value="矩阵修改",
            build=_grants,
            api_create=_grant_fields,
            admin_create=lambda w, choice: {
                **_grant_fields(w, choice),
                "valid_from": timezone.localdate().isoformat(),
            },
            sides=("a",),
        ),
    ],
    module=__name__,
)
