"""The scope matrix: what each built-in role may do with each model's records, inside and
outside its scope, written down once as a table and checked against both the back office
(/admin/) and the REST API (/api/v1/).

`MatrixWorld` builds the test zone (see factories.Zone) and, for every model, a record on the
甲 side (record "a": under 甲企业党委, or of 甲企业) and on the 乙 side (record "b": under
乙企业党支部, or of 乙企业). Each role gets one user with its usual grant (ROLE_GRANTS): the
secretary over 甲企业党委, the cadre and the enterprise contact over 甲企业, the zone admin and
the leader over the root, the three administrators globally.

Each row of MATRIX says, for a role, a model and a record:

- scope:  in (the role may view the record), out (it may view the model, not this record),
          none (it has no permission on the model at all);
- list:   seen / hidden in the list, or 403;
- detail: 200 / 404 / 403;
- create: 201, 400 (the record's organization/enterprise is not among the user's choices),
          or 403;
- change: 200 / 403 / 404;
- delete: 204 / 403 / 404.

Users, grants and audit entries are not scoped by organization (a role sees all of them or
none), so they have one record, "a".

The codes are the API's. The back office answers a success with a redirect (302) and a
refused choice with the form shown again (200) carrying the error on that field; see
ADMIN_STATUS. Creating a record on side "a" uses side a's organization/enterprise as the
choice, on side "b" side b's.
"""

import contextlib
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.db import transaction
from django.test import RequestFactory
from django.utils import timezone

from dangjian.accounts.models import Grant, Role, User
from dangjian.audit.models import AuditEntry
from dangjian.audit.services import audit_record
from dangjian.core.testing.codes import make_credit_code, make_id_number
from dangjian.core.testing.factories import PASSWORD, UserFactory, Zone, make_member, make_org, make_user
from dangjian.enterprises import services as enterprise_services
from dangjian.enterprises.models import Enterprise, EnterpriseYear, IndustryCluster
from dangjian.members.models import Member
from dangjian.organizations import services as org_services
from dangjian.organizations.models import OrgKind, PartyOrganization, Post, PostKind

MATRIX_TABLE = """
role               model           rec scope list   detail create change delete
zone_admin         organization    a   in    seen   200    201    200    204
zone_admin         organization    b   in    seen   200    201    200    204
zone_admin         post            a   in    seen   200    201    200    204
zone_admin         post            b   in    seen   200    201    200    204
zone_admin         member          a   in    seen   200    201    200    204
zone_admin         member          b   in    seen   200    201    200    204
zone_admin         enterprise      a   in    seen   200    201    200    204
zone_admin         enterprise      b   in    seen   200    201    200    204
zone_admin         enterpriseyear  a   in    seen   200    201    200    204
zone_admin         enterpriseyear  b   in    seen   200    201    200    204
zone_admin         user            a   in    seen   200    403    403    403
zone_admin         grant           a   none  403    403    403    403    403
zone_admin         auditentry      a   none  403    403    403    403    403

leader             organization    a   in    seen   200    403    403    403
leader             organization    b   in    seen   200    403    403    403
leader             post            a   in    seen   200    403    403    403
leader             post            b   in    seen   200    403    403    403
leader             member          a   in    seen   200    403    403    403
leader             member          b   in    seen   200    403    403    403
leader             enterprise      a   in    seen   200    403    403    403
leader             enterprise      b   in    seen   200    403    403    403
leader             enterpriseyear  a   in    seen   200    403    403    403
leader             enterpriseyear  b   in    seen   200    403    403    403
leader             user            a   none  403    403    403    403    403
leader             grant           a   none  403    403    403    403    403
leader             auditentry      a   none  403    403    403    403    403

secretary          organization    a   in    seen   200    201    200    403
secretary          organization    b   out   hidden 404    400    404    403
secretary          post            a   in    seen   200    201    200    204
secretary          post            b   out   hidden 404    400    404    404
secretary          member          a   in    seen   200    201    200    204
secretary          member          b   out   hidden 404    400    404    404
secretary          enterprise      a   in    seen   200    403    403    403
secretary          enterprise      b   out   hidden 404    403    403    403
secretary          enterpriseyear  a   in    seen   200    403    403    403
secretary          enterpriseyear  b   out   hidden 404    403    403    403
secretary          user            a   none  403    403    403    403    403
secretary          grant           a   none  403    403    403    403    403
secretary          auditentry      a   none  403    403    403    403    403

cadre              organization    a   in    seen   200    403    403    403
cadre              organization    b   out   hidden 404    403    403    403
cadre              post            a   none  403    403    403    403    403
cadre              post            b   none  403    403    403    403    403
cadre              member          a   none  403    403    403    403    403
cadre              member          b   none  403    403    403    403    403
cadre              enterprise      a   in    seen   200    403    403    403
cadre              enterprise      b   out   hidden 404    403    403    403
cadre              enterpriseyear  a   in    seen   200    403    403    403
cadre              enterpriseyear  b   out   hidden 404    403    403    403
cadre              user            a   none  403    403    403    403    403
cadre              grant           a   none  403    403    403    403    403
cadre              auditentry      a   none  403    403    403    403    403

enterprise_contact organization    a   none  403    403    403    403    403
enterprise_contact organization    b   none  403    403    403    403    403
enterprise_contact post            a   none  403    403    403    403    403
enterprise_contact post            b   none  403    403    403    403    403
enterprise_contact member          a   none  403    403    403    403    403
enterprise_contact member          b   none  403    403    403    403    403
enterprise_contact enterprise      a   in    seen   200    403    403    403
enterprise_contact enterprise      b   out   hidden 404    403    403    403
enterprise_contact enterpriseyear  a   in    seen   200    403    403    403
enterprise_contact enterpriseyear  b   out   hidden 404    403    403    403
enterprise_contact user            a   none  403    403    403    403    403
enterprise_contact grant           a   none  403    403    403    403    403
enterprise_contact auditentry      a   none  403    403    403    403    403

system_admin       organization    a   none  403    403    403    403    403
system_admin       organization    b   none  403    403    403    403    403
system_admin       post            a   none  403    403    403    403    403
system_admin       post            b   none  403    403    403    403    403
system_admin       member          a   none  403    403    403    403    403
system_admin       member          b   none  403    403    403    403    403
system_admin       enterprise      a   none  403    403    403    403    403
system_admin       enterprise      b   none  403    403    403    403    403
system_admin       enterpriseyear  a   none  403    403    403    403    403
system_admin       enterpriseyear  b   none  403    403    403    403    403
system_admin       user            a   in    seen   200    201    200    403
system_admin       grant           a   none  403    403    403    403    403
system_admin       auditentry      a   none  403    403    403    403    403

security_admin     organization    a   none  403    403    403    403    403
security_admin     organization    b   none  403    403    403    403    403
security_admin     post            a   none  403    403    403    403    403
security_admin     post            b   none  403    403    403    403    403
security_admin     member          a   none  403    403    403    403    403
security_admin     member          b   none  403    403    403    403    403
security_admin     enterprise      a   none  403    403    403    403    403
security_admin     enterprise      b   none  403    403    403    403    403
security_admin     enterpriseyear  a   none  403    403    403    403    403
security_admin     enterpriseyear  b   none  403    403    403    403    403
security_admin     user            a   in    seen   200    403    403    403
security_admin     grant           a   in    seen   200    201    200    204
security_admin     auditentry      a   none  403    403    403    403    403

audit_admin        organization    a   none  403    403    403    403    403
audit_admin        organization    b   none  403    403    403    403    403
audit_admin        post            a   none  403    403    403    403    403
audit_admin        post            b   none  403    403    403    403    403
audit_admin        member          a   none  403    403    403    403    403
audit_admin        member          b   none  403    403    403    403    403
audit_admin        enterprise      a   none  403    403    403    403    403
audit_admin        enterprise      b   none  403    403    403    403    403
audit_admin        enterpriseyear  a   none  403    403    403    403    403
audit_admin        enterpriseyear  b   none  403    403    403    403    403
audit_admin        user            a   none  403    403    403    403    403
audit_admin        grant           a   none  403    403    403    403    403
audit_admin        auditentry      a   in    seen   200    403    403    403
"""


@dataclass(frozen=True)
class Case:
    role: str
    model: str
    record: str
    scope: str
    list: str
    detail: int
    create: int
    change: int
    delete: int

    @property
    def id(self):
        return f"{self.role}-{self.model}-{self.record}"


def _parse(table: str) -> list[Case]:
    lines = [line.split() for line in table.strip().splitlines() if line.strip()]
    header, rows = lines[0], lines[1:]
    cases = []
    for row in rows:
        values = dict(zip(header, row, strict=True))
        cases.append(
            Case(
                role=values["role"],
                model=values["model"],
                record=values["rec"],
                scope=values["scope"],
                list=values["list"],
                detail=int(values["detail"]),
                create=int(values["create"]),
                change=int(values["change"]),
                delete=int(values["delete"]),
            )
        )
    return cases


MATRIX: list[Case] = _parse(MATRIX_TABLE)


def matrix_params():
    """The rows as pytest parameters, named role-model-record."""
    import pytest

    return [pytest.param(case, id=case.id) for case in MATRIX]


# -- the world ------------------------------------------------------------------------------
ROLE_GRANTS = {
    "zone_admin": ("organization", "root"),
    "leader": ("organization", "root"),
    "secretary": ("organization", "committee_a"),
    "cadre": ("enterprise", "enterprise_a"),
    "enterprise_contact": ("enterprise", "enterprise_a"),
    "system_admin": None,
    "security_admin": None,
    "audit_admin": None,
}


class MatrixWorld:
    """The test zone plus one record of every matrix model on each side."""

    def __init__(self):
        self.zone = z = Zone()
        self.cluster = IndustryCluster.objects.get(name="生物医药")
        self.organization_a = make_org("甲三党支部", OrgKind.BRANCH, z.committee_a, unit_name="甲企业")
        self.organization_b = make_org("乙二党支部", OrgKind.BRANCH, z.root, unit_name="乙企业")
        self.post_a = org_services.post_create(
            actor=None, name="甲一党员活动室", kind=PostKind.ACTIVITY_ROOM, organization=z.branch_a1
        )
        self.post_b = org_services.post_create(
            actor=None, name="乙党员示范岗", kind=PostKind.MODEL_POST, organization=z.branch_b
        )
        self.member_a = make_member(z.branch_a1, name="甲党员", phone="13800138001")
        self.member_b = make_member(z.branch_b, name="乙党员", phone="13900139002")
        self.enterprise_a, self.enterprise_b = z.enterprise_a, z.enterprise_b
        self.enterpriseyear_a = enterprise_services.enterprise_year_save(
            actor=None, enterprise=z.enterprise_a, year=2024, revenue=Decimal("1200"), new_jobs=12
        )
        self.enterpriseyear_b = enterprise_services.enterprise_year_save(
            actor=None, enterprise=z.enterprise_b, year=2024, revenue=Decimal("800"), new_jobs=8
        )
        self.user_a = UserFactory(username="matrix_target", full_name="被管理用户")
        self.grant_a = Grant.objects.create(
            user=self.user_a, role=Role.objects.get(code="leader"), organization=z.root
        )
        self.auditentry_a = audit_record(AuditEntry.Action.EVENT, message="矩阵测试用审计记录")

    def user_for(self, role_code: str) -> User:
        grant = ROLE_GRANTS[role_code]
        if grant is None:
            return make_user(role_code)
        kind, attr = grant
        return make_user(role_code, **{kind: getattr(self.zone, attr)})

    def record(self, model_key: str, side: str):
        return getattr(self, f"{model_key}_{side}")


FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@contextlib.contextmanager
def rolled_back_world():
    """A MatrixWorld inside a transaction that is rolled back at the end: build it once for a
    module (each test then runs in its own savepoint) instead of once per test.

        @pytest.fixture(scope="module")
        def shared_world(django_db_setup, django_db_blocker):
            with django_db_blocker.unblock(), rolled_back_world() as world:
                yield world
    """
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS), transaction.atomic():
        yield MatrixWorld()
        transaction.set_rollback(True)


# -- what each model needs for the checks ---------------------------------------------------
_seq = iter(range(500, 10_000))


def _next():
    return next(_seq)


@dataclass(frozen=True)
class ModelSpec:
    key: str
    model: type
    admin_name: str  # "organizations_partyorganization"
    api_basename: str  # "organization"
    change_field: str
    change_value: object
    # the field whose choices are scoped on create, and the world's choice per side
    choice_field: str | None = None
    choices: dict = field(default_factory=dict)
    # the records in the matrix: both sides for scoped models, one for account data
    sides: tuple = ("a", "b")

    def choice(self, world, side):
        if not self.choice_field:
            return None
        zone_attr = self.choices[side]
        return getattr(world.zone, zone_attr)

    def count(self):
        return self.model._default_manager.count()

    def api_create_payload(self, world, side) -> dict:
        return _API_CREATE[self.key](world, self.choice(world, side))

    def admin_create_payload(self, world, side) -> dict:
        return _ADMIN_CREATE[self.key](world, self.choice(world, side))

    def api_change_payload(self) -> dict:
        return {self.change_field: self.change_value}

    def stored_change_value(self, record):
        return getattr(self.model._default_manager.get(pk=record.pk), self.change_field)


def _member_fields(choice):
    birth = datetime.date(1991, 3, 4)
    return {
        "organization": choice.pk,
        "name": "新党员",
        "id_number": make_id_number(birth, _next()),
        "category": "full",
        "joined_on": "2016-07-01",
        "regularized_on": "2017-07-01",
    }


_API_CREATE = {
    "organization": lambda w, choice: {"name": "新党支部", "kind": OrgKind.BRANCH, "parent": choice.pk},
    "post": lambda w, choice: {"name": "新阵地", "kind": PostKind.ACTIVITY_ROOM, "organization": choice.pk},
    "member": lambda w, choice: _member_fields(choice),
    "enterprise": lambda w, choice: {
        "name": "新企业",
        "credit_code": make_credit_code(_next() * 7919),
        "cluster": w.cluster.pk,
    },
    "enterpriseyear": lambda w, choice: {"enterprise": choice.pk, "year": 2025, "new_jobs": 3},
    "user": lambda w, choice: {"username": "newcomer", "full_name": "新用户", "password": PASSWORD},
    "grant": lambda w, choice: {
        "user": w.user_a.pk,
        "role": Role.objects.get(code="cadre").pk,
        "enterprise": w.enterprise_b.pk,
    },
    "auditentry": lambda w, choice: {"action": "event", "message": "伪造的审计记录"},
}

_ADMIN_CREATE = {
    **_API_CREATE,
    "member": lambda w, choice: {
        **_member_fields(choice),
        "status": "normal",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    },
    "enterprise": lambda w, choice: {
        **_API_CREATE["enterprise"](w, choice),
        "years-TOTAL_FORMS": "0",
        "years-INITIAL_FORMS": "0",
    },
    "user": lambda w, choice: {
        "username": "newcomer",
        "full_name": "新用户",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "usable_password": "true",
    },
    "grant": lambda w, choice: {
        **_API_CREATE["grant"](w, choice),
        "valid_from": timezone.localdate().isoformat(),
    },
}

MODELS = {
    spec.key: spec
    for spec in [
        ModelSpec(
            key="organization",
            model=PartyOrganization,
            admin_name="organizations_partyorganization",
            api_basename="organization",
            change_field="note",
            change_value="矩阵修改",
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
            choice_field="organization",
            choices={"a": "branch_a1", "b": "branch_b"},
        ),
        ModelSpec(
            key="member",
            model=Member,
            admin_name="members_member",
            api_basename="member",
            change_field="position",
            change_value="矩阵修改",
            choice_field="organization",
            choices={"a": "branch_a1", "b": "branch_b"},
        ),
        ModelSpec(  # an enterprise is created with no organization: no scoped choice
            key="enterprise",
            model=Enterprise,
            admin_name="enterprises_enterprise",
            api_basename="enterprise",
            change_field="note",
            change_value="矩阵修改",
        ),
        ModelSpec(
            key="enterpriseyear",
            model=EnterpriseYear,
            admin_name="enterprises_enterpriseyear",
            api_basename="enterpriseyear",
            change_field="new_jobs",
            change_value=99,
            choice_field="enterprise",
            choices={"a": "enterprise_a", "b": "enterprise_b"},
        ),
        ModelSpec(
            key="user",
            model=User,
            admin_name="accounts_user",
            api_basename="user",
            change_field="title",
            change_value="矩阵修改",
            sides=("a",),
        ),
        ModelSpec(
            key="grant",
            model=Grant,
            admin_name="accounts_grant",
            api_basename="grant",
            change_field="note",
            change_value="矩阵修改",
            sides=("a",),
        ),
        ModelSpec(
            key="auditentry",
            model=AuditEntry,
            admin_name="audit_auditentry",
            api_basename="auditentry",
            change_field="message",
            change_value="篡改",
            sides=("a",),
        ),
    ]
}


# -- back office form data -----------------------------------------------------------------
ADMIN_STATUS = {
    # API code -> what the back office answers for that outcome, by operation
    "create": {201: 302, 400: 200, 403: 403},
    "change": {200: 302, 403: 403, 404: 404},
    "delete": {204: 302, 403: 403, 404: 404},
    "detail": {200: 200, 403: 403, 404: 404},
}


def _superuser_request():
    request = RequestFactory().get("/")
    request.user = User(username="matrix_root", is_superuser=True, is_active=True)
    return request


def _post_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value)


def admin_change_data(instance, **overrides) -> dict:
    """The POST data of `instance`'s back-office change form, unchanged except `overrides`, as a
    user who sees every choice would submit it (inline formsets sent empty)."""
    model_admin = admin.site._registry[type(instance)]
    request = _superuser_request()
    fieldsets = model_admin.get_fieldsets(request, instance)
    form_class = model_admin.get_form(request, instance, change=True, fields=flatten_fieldsets(fieldsets))
    form = form_class(instance=instance)
    data = {}
    for name in form.fields:
        bound = form[name]
        if bound.field.disabled:
            continue
        value = bound.value()
        widget = bound.field.widget
        if isinstance(widget, forms.MultiWidget) and not isinstance(value, list | tuple):
            for index, part in enumerate(widget.decompress(value)):
                data[f"{name}_{index}"] = _post_value(part)
            continue
        posted = _post_value(value)
        if posted is not None:
            data[name] = posted
    for formset, _inline in model_admin.get_formsets_with_inlines(request, instance):
        prefix = formset.get_default_prefix()
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    for name, value in overrides.items():
        data[name] = _post_value(value)
    data["_save"] = "保存"
    return data
