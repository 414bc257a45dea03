"""The scope matrix (core/testing/scope_matrix.py) through the back office (/admin/), and
personal data in the back office: masked in lists and forms, revealed only with the
permission and logged."""

import pytest
from django.urls import reverse

from dangjian.accounts.models import Grant, Role
from dangjian.accounts.roles import permissions_for
from dangjian.audit.models import AuditEntry
from dangjian.core.crypto import mask_id_number, mask_phone
from dangjian.core.testing.scope_matrix import (
    ADMIN_STATUS,
    MODELS,
    admin_change_data,
    matrix_params,
)
from dangjian.testing.factories import make_user
from dangjian.testing.matrix import rolled_back_world


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), rolled_back_world() as world:
        yield world


@pytest.fixture
def world(shared_world, db):
    return shared_world


def logged_in(client, user):
    client.force_login(user)
    return client


def admin_url(spec, view, *args):
    return reverse(f"admin:{spec.admin_name}_{view}", args=args)


matrix = pytest.mark.parametrize("case", matrix_params())


@matrix
def test_admin_list_shows_a_record_exactly_when_it_is_in_the_role_scope(world, client, case):
    spec, record = MODELS[case.model], world.record(case.model, case.record)
    logged_in(client, world.user_for(case.role))

    response = client.get(admin_url(spec, "changelist"))

    if case.list == "403":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    changelist = response.context["cl"]
    # the list's rows over all its pages (the audit log of the world fills more than one)
    shown = changelist.queryset.filter(pk=record.pk).exists()
    assert shown is (case.list == "seen")


@matrix
def test_admin_detail_is_found_only_within_the_role_scope(world, client, case):
    spec, record = MODELS[case.model], world.record(case.model, case.record)
    logged_in(client, world.user_for(case.role))

    response = client.get(admin_url(spec, "change", record.pk))

    assert response.status_code == ADMIN_STATUS["detail"][case.detail]
    if case.detail == 200:
        assert response.context["original"].pk == record.pk


@matrix
def test_admin_create_is_allowed_only_with_the_permission_and_a_choice_in_scope(world, client, case):
    spec = MODELS[case.model]
    payload = {**spec.admin_create_payload(world, case.record), "_save": "保存"}
    logged_in(client, world.user_for(case.role))
    before = spec.count()

    response = client.post(admin_url(spec, "add"), payload)

    assert response.status_code == ADMIN_STATUS["create"][case.create]
    assert spec.count() == before + (1 if case.create == 201 else 0)
    if case.create == 400:
        form = response.context["adminform"].form
        assert set(form.errors) == {spec.choice_field}


@matrix
def test_admin_change_is_allowed_only_with_the_permission_within_the_role_scope(world, client, case):
    spec, record = MODELS[case.model], world.record(case.model, case.record)
    data = admin_change_data(record, **{spec.change_field: spec.change_value})
    logged_in(client, world.user_for(case.role))

    response = client.post(admin_url(spec, "change", record.pk), data)

    assert response.status_code == ADMIN_STATUS["change"][case.change]
    if case.change == 200:
        assert response.url == admin_url(spec, "changelist")
    changed = spec.stored_change_value(record) == spec.change_value
    assert changed is (case.change == 200)


@matrix
def test_admin_delete_is_allowed_only_with_the_permission_within_the_role_scope(world, client, case):
    spec, record = MODELS[case.model], world.record(case.model, case.record)
    logged_in(client, world.user_for(case.role))

    response = client.post(admin_url(spec, "delete", record.pk), {"post": "yes"})

    assert response.status_code == ADMIN_STATUS["delete"][case.delete]
    exists = spec.model._default_manager.filter(pk=record.pk).exists()
    assert exists is (case.delete != 204)


def test_admin_change_data_resubmitted_unchanged_is_accepted_for_every_matrix_model(
    world, client, admin_user
):
    """The matrix's change form data is what the form would send: a superuser saving it changes
    nothing and is redirected (so a 403/404 in the matrix is the scope, not bad form data)."""
    logged_in(client, admin_user)
    for key, spec in MODELS.items():
        if key == "auditentry":
            continue
        record = world.record(key, "a")
        before = spec.stored_change_value(record)
        response = client.post(admin_url(spec, "change", record.pk), admin_change_data(record))
        assert response.status_code == 302, (key, response.context and response.context["errors"])
        assert spec.stored_change_value(record) == before


# -- personal data ---------------------------------------------------------------------------
def test_admin_member_list_shows_id_and_phone_numbers_masked_never_in_full(world, client):
    member = world.member_a
    logged_in(client, world.user_for("secretary"))

    response = client.get(reverse("admin:members_member_changelist"))

    page = response.content.decode()
    assert response.status_code == 200
    assert mask_id_number(member.id_number) in page
    assert mask_phone(member.phone) in page
    assert member.id_number not in page
    assert member.phone not in page


@pytest.mark.parametrize("role", ["zone_admin", "leader"])  # an editable form and a read-only page
def test_admin_member_page_shows_id_and_phone_numbers_masked_never_in_full(world, client, role):
    member = world.member_a
    logged_in(client, world.user_for(role))

    response = client.get(reverse("admin:members_member_change", args=[member.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert mask_id_number(member.id_number) in page
    assert mask_phone(member.phone) in page
    assert member.id_number not in page
    assert member.phone not in page


def reveal_url(member):
    return reverse("admin:members_member_reveal", args=[member.pk])


def reveal_entries(member):
    return AuditEntry.objects.filter(action=AuditEntry.Action.REVEAL, object_id=str(member.pk))


def test_admin_reveal_page_shows_nothing_in_full_until_confirmed_and_logs_nothing(world, client):
    logged_in(client, world.user_for("secretary"))

    response = client.get(reveal_url(world.member_a))

    assert response.status_code == 200
    assert world.member_a.id_number not in response.content.decode()
    assert not reveal_entries(world.member_a).exists()


def test_admin_reveal_shows_full_numbers_and_writes_a_reveal_audit_entry(world, client):
    secretary = world.user_for("secretary")
    member = world.member_a
    logged_in(client, secretary)

    response = client.post(reveal_url(member), {"purpose": "换届资格审查"})

    page = response.content.decode()
    assert response.status_code == 200
    assert member.id_number in page
    assert member.phone in page
    entry = reveal_entries(member).get()
    assert entry.actor == secretary
    assert entry.source == AuditEntry.Source.WEB
    assert "换届资格审查" in entry.message


def test_admin_reveal_of_a_member_outside_the_scope_is_not_found_and_not_logged(world, client):
    logged_in(client, world.user_for("secretary"))

    response = client.post(reveal_url(world.member_b), {"purpose": "越权"})

    assert response.status_code == 404
    assert world.member_b.id_number not in response.content.decode()
    assert not reveal_entries(world.member_b).exists()


def test_admin_reveal_by_a_role_without_the_permission_is_forbidden_and_not_logged(world, client):
    logged_in(client, world.user_for("leader"))

    response = client.post(reveal_url(world.member_a), {"purpose": "好奇"})

    assert response.status_code == 403
    assert world.member_a.id_number not in response.content.decode()
    assert not reveal_entries(world.member_a).exists()


def test_admin_reveal_needs_view_and_reveal_permissions_not_the_add_permission(world, client):
    role = Role.objects.create(code="member_checker", name="党员信息核查员", scope_kind="organization")
    role.permissions.set(permissions_for({"members.view_member", "members.reveal_personal_data"}))
    user = make_user()
    Grant.objects.create(user=user, role=role, organization=world.zone.committee_a)
    logged_in(client, user)

    response = client.post(reveal_url(world.member_a), {"purpose": "核查"})

    assert response.status_code == 200
    assert world.member_a.id_number in response.content.decode()
    assert reveal_entries(world.member_a).filter(actor=user).count() == 1
