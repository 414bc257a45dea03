"""The scope matrix: what each built-in role may do with each model's records, inside and
outside its scope, written down as tables and checked against both the back office (/admin/)
and the REST API (/api/v1/) by the site's tests.

Each app contributes its models in its tests/matrix.py with `register_matrix`: a table of rows
and, for each model, a ModelSpec saying how to build its two records and what to post. The
world (`MatrixWorld`) is the test zone (dangjian.testing.factories.Zone) plus, for every model,
a record on the 甲 side (record "a": under 甲企业党委, or of 甲企业) and on the 乙 side (record
"b": under 乙企业党支部, or of 乙企业). Each role gets one user with its usual grant
(ROLE_GRANTS): the secretary over 甲企业党委, the cadre and the enterprise contact over 甲企业,
the zone admin and the leader over the root, the three administrators globally.

Each row says, for a role, a model and a record:

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
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.db import transaction
from django.test import RequestFactory

from dangjian.core.registry import app_label_of, discover, installed


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


def parse_table(table: str) -> list[Case]:
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


_numbers = itertools.count(500)


def next_number() -> int:
    """A fresh number for codes the world makes (ID numbers, credit codes)."""
    return next(_numbers)


@dataclass(frozen=True)
class ModelSpec:
    key: str
    model: type
    admin_name: str  # "organizations_partyorganization"
    api_basename: str  # "organization"
    change_field: str
    change_value: object
    # (world) -> {side: record}: the model's records in the world (built in app order)
    build: Callable
    # (world, choice) -> the data of a new record through the API / the back office form
    api_create: Callable
    admin_create: Callable | None = None
    # the field whose choices are scoped on create, and the zone's choice per side
    choice_field: str | None = None
    choices: dict = field(default_factory=dict)
    # the records in the matrix: both sides for scoped models, one for account data
    sides: tuple = ("a", "b")

    def choice(self, world, side):
        if not self.choice_field:
            return None
        return getattr(world.zone, self.choices[side])

    def count(self):
        return self.model._default_manager.count()

    def api_create_payload(self, world, side) -> dict:
        return self.api_create(world, self.choice(world, side))

    def admin_create_payload(self, world, side) -> dict:
        return (self.admin_create or self.api_create)(world, self.choice(world, side))

    def api_change_payload(self) -> dict:
        return {self.change_field: self.change_value}

    def stored_change_value(self, record):
        return getattr(self.model._default_manager.get(pk=record.pk), self.change_field)


@dataclass(frozen=True)
class MatrixPart:
    specs: tuple
    cases: tuple
    app: str = ""
    role_grants: tuple = ()  # ((role, grant), ...) of roles the app brings


_parts: dict[str, MatrixPart] = {}


def register_matrix(*, table: str, specs: list[ModelSpec], module: str, role_grants: dict | None = None):
    """An app's models in the matrix: its rows (a table as above) and its specs. `role_grants`:
    the grants of roles the app brings (role -> ("assigned", "<world attribute>"): a grant on
    that matrix record, e.g. a team); such a role has no permission on other apps' models, so
    their rows for it are filled in as "none" (403 everywhere)."""
    _parts[module] = MatrixPart(
        tuple(specs), tuple(parse_table(table)), app_label_of(module), tuple((role_grants or {}).items())
    )


def _parts_in_order() -> list[MatrixPart]:
    from django.apps import apps

    discover("tests.matrix")
    order = {config.label: index for index, config in enumerate(apps.get_app_configs())}
    return sorted(installed(_parts.values()), key=lambda part: order[part.app])


def matrix_models() -> dict[str, ModelSpec]:
    return {spec.key: spec for part in _parts_in_order() for spec in part.specs}


def matrix_cases() -> list[Case]:
    parts = _parts_in_order()
    cases = [case for part in parts for case in part.cases]
    listed = {(c.role, c.model, c.record) for c in cases}
    for part in parts:
        for role, _grant in part.role_grants:
            for spec in (spec for other in parts for spec in other.specs):
                for side in spec.sides:
                    if (role, spec.key, side) not in listed:
                        cases.append(Case(role, spec.key, side, "none", "403", 403, 403, 403, 403))
    return cases


def role_grants() -> dict:
    """The grant each role's user gets in the world: the platform's roles' and those apps bring."""
    grants = dict(_BUILTIN_ROLE_GRANTS)
    for part in _parts_in_order():
        grants.update(part.role_grants)
    return grants


def __getattr__(name):
    # MODELS and MATRIX are assembled from the installed apps when first asked for
    if name == "MODELS":
        return matrix_models()
    if name == "MATRIX":
        return matrix_cases()
    if name == "ROLE_GRANTS":
        return role_grants()
    raise AttributeError(name)


def matrix_params():
    """The rows as pytest parameters, named role-model-record."""
    import pytest

    return [pytest.param(case, id=case.id) for case in matrix_cases()]


# -- the world ------------------------------------------------------------------------------
_BUILTIN_ROLE_GRANTS = {
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
    """The test zone plus the records of every matrix model (attributes `<key>_<side>`);
    `make_user(role_code, **scope)` makes the users."""

    def __init__(self, zone, make_user):
        self.zone = zone
        self._make_user = make_user
        for spec in matrix_models().values():
            for side, record in spec.build(self).items():
                setattr(self, f"{spec.key}_{side}", record)

    def user_for(self, role_code: str):
        grant = role_grants()[role_code]
        if grant is None:
            return self._make_user(role_code)
        kind, attr = grant
        if kind == "assigned":  # a grant on one of the world's records
            from django.contrib.contenttypes.models import ContentType

            record = getattr(self, attr)
            return self._make_user(
                role_code, content_type=ContentType.objects.get_for_model(record), object_id=record.pk
            )
        return self._make_user(role_code, **{kind: getattr(self.zone, attr)})

    def record(self, model_key: str, side: str):
        return getattr(self, f"{model_key}_{side}")


FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@contextlib.contextmanager
def rolled_back(build):
    """`build()` inside a transaction that is rolled back at the end: build a world once for a
    module (each test then runs in its own savepoint) instead of once per test."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS), transaction.atomic():
        yield build()
        transaction.set_rollback(True)


# -- back office form data -----------------------------------------------------------------
ADMIN_STATUS = {
    # API code -> what the back office answers for that outcome, by operation
    "create": {201: 302, 400: 200, 403: 403},
    "change": {200: 302, 403: 403, 404: 404},
    "delete": {204: 302, 403: 403, 404: 404, 409: 200},
    "detail": {200: 200, 403: 403, 404: 404},
}


def _superuser_request():
    from django.contrib.auth import get_user_model

    request = RequestFactory().get("/")
    request.user = get_user_model()(username="matrix_root", is_superuser=True, is_active=True)
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
