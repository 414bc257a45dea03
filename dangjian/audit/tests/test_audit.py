"""The audit log: every change of a record (who, when, what, before and after, personal data
masked), logins, imports; entries that nothing in the application can change or delete; and
only the audit administrator reads them."""

import datetime
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from dangjian.accounts.models import Role, User
from dangjian.accounts.roles import permissions_for
from dangjian.audit.context import audit_context
from dangjian.audit.models import AuditEntry, ImmutableError
from dangjian.core.crypto import mask_id_number, mask_phone
from dangjian.core.testing.codes import make_credit_code, make_id_number
from dangjian.core.testing.scope_matrix import admin_change_data
from dangjian.enterprises.models import Enterprise
from dangjian.members import services as member_services
from dangjian.members.models import Member
from dangjian.organizations import services as org_services
from dangjian.organizations.models import Post, PostKind
from dangjian.testing.factories import PASSWORD
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
    client.force_login(user)
    return client


def entries_for(obj, action=None):
    queryset = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
    )
    return queryset.filter(action=action) if action else queryset


def new_member_payload(world, **fields):
    return {
        "organization": world.zone.branch_a1.pk,
        "name": "审计新党员",
        "id_number": make_id_number(datetime.date(1993, 2, 3), 611),
        "phone": "13712345678",
        "category": "full",
        "joined_on": "2017-07-01",
        "regularized_on": "2018-07-01",
        **fields,
    }


# -- every change of a record --------------------------------------------------------------------
def test_create_through_the_api_writes_an_entry_with_actor_time_object_and_after(world):
    secretary = world.user_for("secretary")
    start = timezone.now()

    response = api_as(secretary).post(reverse("member-list"), new_member_payload(world), format="json")

    assert response.status_code == 201
    member = Member.objects.get(pk=response.json()["id"])
    entry = entries_for(member, AuditEntry.Action.CREATE).get()
    assert entry.actor == secretary
    assert entry.actor_label == secretary.username
    assert entry.source == AuditEntry.Source.API
    assert start <= entry.at <= timezone.now()
    assert entry.object_repr == "审计新党员"
    assert entry.before is None
    assert entry.after["name"] == "审计新党员"
    assert entry.after["organization"] == world.zone.branch_a1.pk


def test_change_through_the_api_writes_the_changed_fields_before_and_after(world):
    secretary = world.user_for("secretary")
    member = world.member_a

    response = api_as(secretary).patch(
        reverse("member-detail", args=[member.pk]), {"position": "车间主任"}, format="json"
    )

    assert response.status_code == 200
    entry = entries_for(member, AuditEntry.Action.UPDATE).get()
    assert entry.actor == secretary
    assert entry.before == {"position": ""}
    assert entry.after == {"position": "车间主任"}


def test_delete_through_the_api_writes_an_entry_with_the_record_as_it_was(world):
    zone_admin = world.user_for("zone_admin")
    post = world.post_b

    response = api_as(zone_admin).delete(reverse("post-detail", args=[post.pk]))

    assert response.status_code == 204
    assert not Post.objects.filter(pk=post.pk).exists()
    entry = entries_for(post, AuditEntry.Action.DELETE).get()
    assert entry.actor == zone_admin
    assert entry.object_repr == post.name
    assert entry.before["name"] == post.name
    assert entry.before["organization"] == world.zone.branch_b.pk
    assert entry.after is None


def test_change_in_the_back_office_writes_an_entry_with_the_web_user(world, client):
    secretary = world.user_for("secretary")
    client.force_login(secretary)
    post = world.post_a

    response = client.post(
        reverse("admin:organizations_post_change", args=[post.pk]), admin_change_data(post, note="已挂牌")
    )

    assert response.status_code == 302
    entry = entries_for(post, AuditEntry.Action.UPDATE).get()
    assert (entry.actor, entry.source) == (secretary, AuditEntry.Source.WEB)
    assert (entry.before, entry.after) == ({"note": ""}, {"note": "已挂牌"})


def test_a_service_called_inside_an_audit_context_is_attributed_to_that_user(world):
    zone_admin = world.user_for("zone_admin")

    with audit_context(source="system", label="测试", user=zone_admin):
        post = org_services.post_create(
            actor=zone_admin, name="上下文阵地", kind=PostKind.SERVICE_CENTER, organization=world.zone.root
        )

    entry = entries_for(post, AuditEntry.Action.CREATE).get()
    assert entry.actor == zone_admin


def test_a_service_called_outside_a_request_attributes_the_change_to_its_actor(world):
    zone_admin = world.user_for("zone_admin")

    post = org_services.post_create(
        actor=zone_admin, name="无上下文阵地", kind=PostKind.SERVICE_CENTER, organization=world.zone.root
    )

    entry = entries_for(post, AuditEntry.Action.CREATE).get()
    assert entry.actor == zone_admin


def test_changes_to_users_and_grants_are_logged_with_the_administrator(world):
    system_admin = world.user_for("system_admin")
    security_admin = world.user_for("security_admin")

    made = api_as(system_admin).post(
        reverse("user-list"), {"username": "audited_newcomer", "password": PASSWORD}, format="json"
    )
    granted = api_as(security_admin).post(
        reverse("grant-list"),
        {
            "user": made.json()["id"],
            "role": Role.objects.get(code="leader").pk,
            "organization": world.zone.root.pk,
        },
        format="json",
    )

    assert (made.status_code, granted.status_code) == (201, 201)
    newcomer = User.objects.get(username="audited_newcomer")
    user_entry = entries_for(newcomer, AuditEntry.Action.CREATE).get()
    assert user_entry.actor == system_admin
    assert newcomer.password not in json.dumps(user_entry.after)
    grant = newcomer.grants.get()
    assert entries_for(grant, AuditEntry.Action.CREATE).get().actor == security_admin


def test_adding_a_permission_to_a_role_is_logged(world):
    security_admin = world.user_for("security_admin")
    role = Role.objects.get(code="leader")
    permission = permissions_for({"members.reveal_personal_data"})[0]
    last = AuditEntry.objects.order_by("-pk").first().pk

    with audit_context(source="web", user=security_admin):
        role.permissions.add(permission)

    entry = entries_for(role, AuditEntry.Action.UPDATE).filter(pk__gt=last).get()
    assert entry.actor == security_admin
    assert entry.after == {"permissions": {"新增": [permission.pk]}}


# -- personal data in the log ------------------------------------------------------------------
def test_personal_data_is_masked_in_before_and_after_and_never_written_in_full(world):
    secretary = world.user_for("secretary")
    api = api_as(secretary)
    old_number, old_phone = make_id_number(datetime.date(1993, 2, 3), 613), "13712345670"
    new_number, new_phone = make_id_number(datetime.date(1993, 2, 3), 615), "13812345671"

    created = api.post(
        reverse("member-list"),
        new_member_payload(world, id_number=old_number, phone=old_phone),
        format="json",
    )
    member = Member.objects.get(pk=created.json()["id"])
    changed = api.patch(
        reverse("member-detail", args=[member.pk]),
        {"id_number": new_number, "phone": new_phone},
        format="json",
    )
    removed = api.delete(reverse("member-detail", args=[member.pk]))

    assert (created.status_code, changed.status_code, removed.status_code) == (201, 200, 204)
    assert entries_for(member, AuditEntry.Action.CREATE).get().after["id_number"] == mask_id_number(
        old_number
    )
    update = entries_for(member, AuditEntry.Action.UPDATE).get()
    assert update.before["id_number"] == mask_id_number(old_number)
    assert update.after["id_number"] == mask_id_number(new_number)
    assert (update.before["phone"], update.after["phone"]) == (mask_phone(old_phone), mask_phone(new_phone))
    assert entries_for(member, AuditEntry.Action.DELETE).get().before["id_number"] == mask_id_number(
        new_number
    )
    every_row = json.dumps(
        list(AuditEntry.objects.values("before", "after", "message", "object_repr")), ensure_ascii=False
    )
    for secret in (old_number, new_number, old_phone, new_phone):
        assert secret not in every_row


def test_the_audit_log_page_shows_personal_data_masked(world, client):
    member = world.member_a
    entry = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Member), object_id=str(member.pk)
    ).first()
    client.force_login(world.user_for("audit_admin"))

    response = client.get(reverse("admin:audit_auditentry_change", args=[entry.pk]))

    assert response.status_code == 200
    assert mask_id_number(member.id_number) in response.content.decode()
    assert member.id_number not in response.content.decode()


# -- a save that changes nothing ---------------------------------------------------------------
def test_a_service_save_that_changes_nothing_writes_nothing(world):
    member = Member.objects.get(pk=world.member_a.pk)
    org = world.zone.branch_a1
    secretary = world.user_for("secretary")
    before = AuditEntry.objects.count()

    member_services.member_update(actor=secretary, member=member, position=member.position)
    org_services.organization_update(actor=secretary, organization=org, note=org.note)

    assert AuditEntry.objects.count() == before


def test_an_api_change_to_the_same_values_writes_nothing(world):
    api = api_as(world.user_for("zone_admin"))
    enterprise = world.enterprise_a
    before = AuditEntry.objects.count()

    response = api.patch(
        reverse("enterprise-detail", args=[enterprise.pk]),
        {"name": enterprise.name, "note": enterprise.note},
        format="json",
    )

    assert response.status_code == 200
    assert AuditEntry.objects.count() == before


def test_a_back_office_form_saved_unchanged_writes_nothing(world, client):
    client.force_login(world.user_for("zone_admin"))
    before = AuditEntry.objects.count()

    for record, name in (
        (world.member_a, "members_member"),
        (world.organization_a, "organizations_partyorganization"),
    ):
        response = client.post(reverse(f"admin:{name}_change", args=[record.pk]), admin_change_data(record))
        assert response.status_code == 302

    assert AuditEntry.objects.count() == before


# -- logins ------------------------------------------------------------------------------------
def test_login_is_logged_with_the_user_and_address(world, client):
    user = world.user_for("secretary")

    response = client.post(reverse("admin:login"), {"username": user.username, "password": PASSWORD})

    assert response.status_code == 302
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN).get()
    assert (entry.actor, entry.actor_label) == (user, user.username)
    assert entry.ip == "127.0.0.1"
    assert entry.source == AuditEntry.Source.WEB


def test_failed_login_is_logged_with_the_name_tried_and_no_password(world, client):
    user = world.user_for("secretary")

    response = client.post(reverse("admin:login"), {"username": user.username, "password": "wrong-Pass1"})

    assert response.status_code == 200
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED).get()
    assert entry.actor is None
    assert entry.actor_label == user.username
    assert user.username in entry.message
    assert "wrong-Pass1" not in json.dumps([entry.message, entry.before, entry.after], ensure_ascii=False)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN).exists()


def test_logout_is_logged(world, client):
    user = world.user_for("secretary")
    client.post(reverse("admin:login"), {"username": user.username, "password": PASSWORD})

    response = client.post(reverse("admin:logout"))

    assert response.status_code == 200
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.LOGOUT).get()
    assert entry.actor == user


# -- entries cannot be changed or deleted --------------------------------------------------------
def test_an_entry_cannot_be_saved_again(world):
    entry = world.auditentry_a
    entry.message = "篡改"

    with pytest.raises(ImmutableError):
        entry.save()

    assert AuditEntry.objects.get(pk=entry.pk).message == "矩阵测试用审计记录"


def test_an_entry_cannot_be_deleted(world):
    with pytest.raises(ImmutableError):
        AuditEntry.objects.get(pk=world.auditentry_a.pk).delete()

    assert AuditEntry.objects.filter(pk=world.auditentry_a.pk).exists()


def test_entries_cannot_be_updated_or_deleted_in_bulk(world):
    entries = AuditEntry.objects.filter(pk=world.auditentry_a.pk)
    entry = entries.get()
    entry.message = "篡改"

    with pytest.raises(ImmutableError):
        entries.update(message="篡改")
    with pytest.raises(ImmutableError):
        AuditEntry.objects.all().delete()
    with pytest.raises(ImmutableError), transaction.atomic():  # bulk_update marks it for rollback
        AuditEntry.objects.bulk_update([entry], ["message"])

    assert AuditEntry.objects.get(pk=entry.pk).message == "矩阵测试用审计记录"


def test_the_back_office_offers_no_add_change_or_delete_of_entries(world, client):
    entry = world.auditentry_a
    client.force_login(world.user_for("audit_admin"))

    add = client.post(reverse("admin:audit_auditentry_add"), {"action": "event", "message": "伪造"})
    change = client.post(reverse("admin:audit_auditentry_change", args=[entry.pk]), {"message": "篡改"})
    delete = client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"})
    bulk = client.post(
        reverse("admin:audit_auditentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )

    assert (add.status_code, change.status_code, delete.status_code) == (403, 403, 403)
    assert bulk.status_code == 200  # the list again: there is no such action
    action_form = bulk.context["action_form"]
    offered = [name for name, _label in action_form.fields["action"].choices] if action_form else []
    assert "delete_selected" not in offered
    assert AuditEntry.objects.get(pk=entry.pk).message == "矩阵测试用审计记录"
    assert not AuditEntry.objects.filter(message="伪造").exists()


@pytest.mark.parametrize(("who", "status"), [("audit_admin", 403), ("superuser", 405)])
def test_the_api_is_read_only(world, who, status):
    entry = world.auditentry_a
    user = (
        world.user_for("audit_admin")
        if who == "audit_admin"
        else User.objects.create(username="api_root", is_superuser=True)
    )
    api = api_as(user)
    url = reverse("auditentry-detail", args=[entry.pk])

    answers = [
        api.post(reverse("auditentry-list"), {"action": "event", "message": "伪造"}, format="json"),
        api.put(url, {"action": "event", "message": "篡改"}, format="json"),
        api.patch(url, {"message": "篡改"}, format="json"),
        api.delete(url),
    ]

    assert [r.status_code for r in answers] == [status] * 4
    assert api.get(url).status_code == 200
    assert AuditEntry.objects.get(pk=entry.pk).message == "矩阵测试用审计记录"
    assert not AuditEntry.objects.filter(message="伪造").exists()


# -- who reads the log ---------------------------------------------------------------------------
READERS = [
    ("audit_admin", 200),
    ("system_admin", 403),
    ("security_admin", 403),
    ("zone_admin", 403),
    ("leader", 403),
]


@pytest.mark.parametrize(("role", "status"), READERS)
def test_only_the_audit_administrator_sees_the_audit_log_in_the_back_office(world, client, role, status):
    client.force_login(world.user_for(role))

    listing = client.get(reverse("admin:audit_auditentry_changelist"))
    detail = client.get(reverse("admin:audit_auditentry_change", args=[world.auditentry_a.pk]))

    assert (listing.status_code, detail.status_code) == (status, status)
    if status == 200:
        assert world.auditentry_a in listing.context["cl"].result_list


@pytest.mark.parametrize(("role", "status"), READERS)
def test_only_the_audit_administrator_sees_the_audit_log_in_the_api(world, role, status):
    api = api_as(world.user_for(role))

    listing = api.get(reverse("auditentry-list"))
    detail = api.get(reverse("auditentry-detail", args=[world.auditentry_a.pk]))

    assert (listing.status_code, detail.status_code) == (status, status)
    if status == 200:
        assert world.auditentry_a.pk in every_id(api, listing.json())


def every_id(api, page):
    """The ids of a listing's rows over all its pages, following the `next` links."""
    ids = {row["id"] for row in page["results"]}
    while page["next"]:
        page = api.get(page["next"]).json()
        ids |= {row["id"] for row in page["results"]}
    return ids


# -- imports from the command line -------------------------------------------------------------
def enterprise_csv(tmp_path, name="命令导入企业"):
    code = make_credit_code(424242)
    path = tmp_path / "enterprises.csv"
    path.write_text(f"企业名称,统一社会信用代码,所属产业\n{name},{code},生物医药\n", encoding="utf-8")
    return path, code


def test_import_ledger_command_logs_its_changes_with_the_command_as_actor(world, tmp_path):
    path, code = enterprise_csv(tmp_path)

    call_command("import_ledger", "enterprises", str(path))

    enterprise = Enterprise.objects.get(credit_code=code)
    entry = entries_for(enterprise, AuditEntry.Action.CREATE).get()
    assert entry.actor is None
    assert entry.actor_label == "命令 import_ledger enterprises"
    assert entry.source == AuditEntry.Source.COMMAND
    assert entry.after["name"] == "命令导入企业"
    summary = AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).get()
    assert (summary.actor_label, summary.source) == ("命令 import_ledger enterprises", "command")
    assert "enterprises.csv" in summary.message


def test_import_ledger_command_with_a_user_logs_the_user_and_the_command(world, tmp_path):
    zone_admin = world.user_for("zone_admin")
    path, code = enterprise_csv(tmp_path)

    call_command("import_ledger", "enterprises", str(path), user=zone_admin.username)

    entry = entries_for(Enterprise.objects.get(credit_code=code), AuditEntry.Action.CREATE).get()
    assert entry.actor == zone_admin
    assert entry.actor_label == f"{zone_admin.username}（命令 import_ledger enterprises）"
    assert entry.source == AuditEntry.Source.COMMAND


def test_import_ledger_dry_run_writes_neither_records_nor_audit_entries(world, tmp_path):
    path, code = enterprise_csv(tmp_path)
    before = AuditEntry.objects.count()

    call_command("import_ledger", "enterprises", str(path), dry_run=True)

    assert not Enterprise.objects.filter(credit_code=code).exists()
    assert AuditEntry.objects.count() == before
