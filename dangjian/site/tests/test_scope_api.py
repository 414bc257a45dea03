"""The scope matrix (core/testing/scope_matrix.py) through the REST API, and personal data in
the API: masked in lists and details, revealed only with the permission and logged."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from dangjian.accounts.models import Grant, Role
from dangjian.accounts.roles import permissions_for
from dangjian.audit.models import AuditEntry
from dangjian.core.crypto import mask_id_number, mask_phone
from dangjian.core.testing.scope_matrix import MODELS, matrix_params
from dangjian.testing.factories import make_user
from dangjian.testing.matrix import rolled_back_world


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), rolled_back_world() as world:
        yield world


@pytest.fixture
def world(shared_world, db):
    return shared_world


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def list_url(spec):
    return reverse(f"{spec.api_basename}-list")


def detail_url(spec, record):
    return reverse(f"{spec.api_basename}-detail", args=[record.pk])


def listed_ids(client, url) -> set:
    ids, page = set(), url
    while page:
        body = client.get(page).json()
        ids |= {row["id"] for row in body["results"]}
        page = body["next"]
    return ids


matrix = pytest.mark.parametrize("case", matrix_params())


@matrix
def test_api_list_shows_a_record_exactly_when_it_is_in_the_role_scope(world, case):
    spec, record = MODELS[case.model], world.record(case.model, case.record)
    client = api_as(world.user_for(case.role))

    response = client.get(list_url(spec))

    if case.list == "403":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert (record.pk in listed_ids(client, list_url(spec))) is (case.list == "seen")


@matrix
def test_api_detail_is_found_only_within_the_role_scope(world, case):
    spec, record = MODELS[case.model], world.record(case.model, case.record)

    response = api_as(world.user_for(case.role)).get(detail_url(spec, record))

    assert response.status_code == case.detail
    if case.detail == 200:
        assert response.json()["id"] == record.pk


@matrix
def test_api_create_is_allowed_only_with_the_permission_and_a_choice_in_scope(world, case):
    spec = MODELS[case.model]
    payload = spec.api_create_payload(world, case.record)
    client = api_as(world.user_for(case.role))
    before = spec.count()

    response = client.post(list_url(spec), payload, format="json")

    assert response.status_code == case.create, response.content.decode()
    assert spec.count() == before + (1 if case.create == 201 else 0)
    if case.create == 400:
        assert spec.choice_field in response.json()


@matrix
def test_api_change_is_allowed_only_with_the_permission_within_the_role_scope(world, case):
    spec, record = MODELS[case.model], world.record(case.model, case.record)
    client = api_as(world.user_for(case.role))

    response = client.patch(detail_url(spec, record), spec.api_change_payload(), format="json")

    assert response.status_code == case.change, response.content.decode()
    changed = spec.stored_change_value(record) == spec.change_value
    assert changed is (case.change == 200)


@matrix
def test_api_delete_is_allowed_only_with_the_permission_within_the_role_scope(world, case):
    spec, record = MODELS[case.model], world.record(case.model, case.record)
    client = api_as(world.user_for(case.role))

    response = client.delete(detail_url(spec, record))

    assert response.status_code == case.delete, response.content.decode()
    exists = spec.model._default_manager.filter(pk=record.pk).exists()
    assert exists is (case.delete != 204)


# -- personal data ---------------------------------------------------------------------------
def test_api_member_list_shows_id_and_phone_numbers_masked_never_in_full(world):
    member = world.member_a
    response = api_as(world.user_for("secretary")).get(reverse("member-list"))

    assert response.status_code == 200
    row = next(r for r in response.json()["results"] if r["id"] == member.pk)
    assert row["id_number_masked"] == mask_id_number(member.id_number)
    assert row["phone_masked"] == mask_phone(member.phone)
    assert "id_number" not in row and "phone" not in row
    assert member.id_number not in response.content.decode()
    assert member.phone not in response.content.decode()


def test_api_member_detail_shows_id_and_phone_numbers_masked_never_in_full(world):
    member = world.member_a
    response = api_as(world.user_for("zone_admin")).get(reverse("member-detail", args=[member.pk]))

    assert response.status_code == 200
    body = response.json()
    assert body["id_number_masked"] == mask_id_number(member.id_number)
    assert body["id_number_masked"] != member.id_number
    assert body["phone_masked"] == mask_phone(member.phone)
    assert member.id_number not in response.content.decode()
    assert member.phone not in response.content.decode()


def reveal_url(member):
    return reverse("member-reveal", args=[member.pk])


def reveal_entries(member):
    return AuditEntry.objects.filter(action=AuditEntry.Action.REVEAL, object_id=str(member.pk))


def test_api_reveal_returns_full_numbers_and_writes_a_reveal_audit_entry(world):
    secretary = world.user_for("secretary")
    member = world.member_a

    response = api_as(secretary).post(reveal_url(member), {"purpose": "组织关系转接核对"}, format="json")

    assert response.status_code == 200
    assert response.json() == {"id_number": member.id_number, "phone": member.phone}
    entry = reveal_entries(member).get()
    assert entry.actor == secretary
    assert "组织关系转接核对" in entry.message
    assert member.id_number not in entry.message


def test_api_reveal_of_a_member_outside_the_scope_is_not_found_and_not_logged(world):
    response = api_as(world.user_for("secretary")).post(reveal_url(world.member_b), {}, format="json")

    assert response.status_code == 404
    assert world.member_b.id_number not in response.content.decode()
    assert not reveal_entries(world.member_b).exists()


@pytest.mark.parametrize("role", ["leader", "system_admin", "audit_admin"])
def test_api_reveal_without_the_permission_is_forbidden_and_not_logged(world, role):
    response = api_as(world.user_for(role)).post(reveal_url(world.member_a), {}, format="json")

    assert response.status_code == 403
    assert world.member_a.id_number not in response.content.decode()
    assert not reveal_entries(world.member_a).exists()


def _role_with(code, names):
    role = Role.objects.create(code=code, name=code, scope_kind=Role.ScopeKind.ORGANIZATION)
    role.permissions.set(permissions_for(names))
    return role


def test_api_reveal_needs_view_and_reveal_permissions_not_the_add_permission(world):
    """A read-only role that carries members.reveal_personal_data (a checker, say) may reveal."""
    role = _role_with("member_checker", {"members.view_member", "members.reveal_personal_data"})
    user = make_user()
    Grant.objects.create(user=user, role=role, organization=world.zone.committee_a)

    response = api_as(user).post(reveal_url(world.member_a), {}, format="json")

    assert response.status_code == 200
    assert response.json()["id_number"] == world.member_a.id_number
    assert reveal_entries(world.member_a).filter(actor=user).count() == 1


def test_api_reveal_with_every_member_permission_but_reveal_is_forbidden(world):
    role = _role_with(
        "member_clerk",
        {"members.view_member", "members.add_member", "members.change_member", "members.delete_member"},
    )
    user = make_user()
    Grant.objects.create(user=user, role=role, organization=world.zone.committee_a)

    response = api_as(user).post(reveal_url(world.member_a), {}, format="json")

    assert response.status_code == 403
    assert not reveal_entries(world.member_a).exists()


# -- moving a record out of scope -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("basename", "record_attr", "field", "target_attr"),
    [
        ("post", "post_a", "organization", "branch_b"),
        ("organization", "organization_a", "parent", "root"),
    ],
)
def test_api_change_cannot_move_a_record_out_of_the_secretary_scope(
    world, basename, record_attr, field, target_attr
):
    record = getattr(world, record_attr)
    target = getattr(world.zone, target_attr)
    path = type(record).objects.values_list("org_path" if basename == "post" else "path", flat=True)

    response = api_as(world.user_for("secretary")).patch(
        reverse(f"{basename}-detail", args=[record.pk]), {field: target.pk}, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()
    assert path.get(pk=record.pk).startswith(world.zone.committee_a.path)
