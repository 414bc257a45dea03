"""Who sees which requests: an enterprise contact only their own enterprise's — by page, API or
export; a cadre the requests of the enterprises assigned to them and those they handle; the
handler's leader the requests of the cadres they lead."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from dangjian.accounts.backends import forget_grants
from dangjian.core.ledgers import export_ledger, import_ledger
from dangjian.core.scope import restrict
from dangjian.core.testing.ledgers import read_export
from dangjian.organizations.models import OrgKind
from dangjian.projects.tests.factories import make_cadre, user_of
from dangjian.servicedesk.models import RequestCategory, RequestKind, RequestStatus, ServiceRequest
from dangjian.testing.factories import make_org, make_user

from .factories import ONE_DAY, accept, close, designate, fresh, make_contact, submit, today

pytestmark = pytest.mark.django_db

REQUESTS = "/api/v1/requests/"


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def visible(user):
    return set(restrict(user, ServiceRequest, "view").values_list("title", flat=True))


@pytest.fixture
def world(zone):
    """王 is 甲企业's designated cadre, led by 邢 (a leader of an unrelated branch); 李 is 乙企业's.
    甲's request is handled by 王; of 乙's two requests, one is handed to 王."""
    elsewhere = make_org("丙党支部", OrgKind.BRANCH, zone.root)
    leader = make_user("leader", organization=elsewhere)
    wang = designate(zone.enterprise_a, make_cadre("王联系", leader=leader))
    li = designate(zone.enterprise_b, make_cadre("李联系"))
    day = today() - ONE_DAY * 10
    mine = submit(zone.enterprise_a, on=day, title="甲的诉求")
    theirs = submit(zone.enterprise_b, on=day, title="乙的诉求")
    handed = submit(zone.enterprise_b, on=day, title="乙交给王的诉求")
    accept(handed, on=day, handler=wang)
    return {
        "leader": leader,
        "wang": wang,
        "li": li,
        "mine": mine,
        "theirs": theirs,
        "handed": handed,
        "contact_a": make_contact(zone.enterprise_a),
        "contact_b": make_contact(zone.enterprise_b),
    }


# -- an enterprise contact -----------------------------------------------------------------------------
def test_a_contact_sees_only_their_enterprises_requests(world):
    assert visible(world["contact_a"]) == {"甲的诉求"}
    assert visible(world["contact_b"]) == {"乙的诉求", "乙交给王的诉求"}


def test_a_contacts_admin_list_shows_only_their_enterprises_requests(client, world):
    client.force_login(world["contact_a"])
    response = client.get(reverse("admin:servicedesk_servicerequest_changelist"))
    assert response.status_code == 200
    text = response.content.decode()
    assert world["mine"].number in text
    assert world["theirs"].number not in text and world["handed"].number not in text


def test_another_enterprises_request_is_not_found_in_the_admin(client, world):
    client.force_login(world["contact_a"])
    assert (
        client.get(reverse("admin:servicedesk_servicerequest_change", args=[world["mine"].pk])).status_code
        == 200
    )
    for other in (world["theirs"], world["handed"]):
        assert (
            client.get(reverse("admin:servicedesk_servicerequest_change", args=[other.pk])).status_code == 404
        )
        step = reverse("admin:servicedesk_request_step", args=[other.pk, "accept"])
        assert client.get(step).status_code == 404


def test_a_contact_cannot_handle_their_own_request_in_the_admin(client, world):
    client.force_login(world["contact_a"])
    step = reverse("admin:servicedesk_request_step", args=[world["mine"].pk, "accept"])
    response = client.post(step, {"on": str(today()), "handling": "cadre"})
    assert response.status_code == 403
    assert fresh(world["mine"]).status == RequestStatus.SUBMITTED


def test_a_contacts_api_list_and_detail_show_only_their_enterprise(world):
    api = api_as(world["contact_a"])
    response = api.get(REQUESTS)
    assert response.status_code == 200
    assert [r["title"] for r in response.json()["results"]] == ["甲的诉求"]
    assert api.get(f"{REQUESTS}{world['mine'].pk}/").status_code == 200
    assert api.get(f"{REQUESTS}{world['theirs'].pk}/").status_code == 404
    assert api.get(f"{REQUESTS}?enterprise={world['theirs'].enterprise_id}").json()["results"] == []


def test_a_contact_cannot_move_another_enterprises_request_through_the_api(world):
    close(world["handed"], on=world["handed"].accepted_on)
    response = api_as(world["contact_a"]).post(
        f"{REQUESTS}{world['handed'].pk}/steps/rate/", {"rating": 5}, format="json"
    )
    assert response.status_code == 404
    assert fresh(world["handed"]).rating is None


def test_a_contact_cannot_accept_their_own_request_through_the_api(world):
    response = api_as(world["contact_a"]).post(
        f"{REQUESTS}{world['mine'].pk}/steps/accept/", {"handling": "cadre"}, format="json"
    )
    assert response.status_code == 403
    assert fresh(world["mine"]).status == RequestStatus.SUBMITTED


def test_a_contact_submits_through_the_api_for_their_enterprise_only(world, zone):
    api = api_as(world["contact_a"])
    category = RequestCategory.objects.get(name="马上办").pk
    data = {"kind": RequestKind.DEMAND, "category": category, "title": "路灯损坏", "description": "请维修"}
    refused = api.post(REQUESTS, {**data, "enterprise": zone.enterprise_b.pk}, format="json")
    assert refused.status_code == 400
    assert "enterprise" in refused.json()
    created = api.post(REQUESTS, {**data, "enterprise": zone.enterprise_a.pk}, format="json")
    assert created.status_code == 201, created.json()
    request = ServiceRequest.objects.get(title="路灯损坏")
    assert (request.enterprise, request.handler, request.submitted_by) == (
        zone.enterprise_a,
        world["wang"],
        world["contact_a"],
    )


def test_a_contacts_ledger_export_holds_only_their_enterprises_requests(world):
    rows = read_export(export_ledger("requests", user=world["contact_a"]))
    assert [r[3] for r in rows[1:]] == ["甲的诉求"]
    assert {r[1] for r in rows[1:]} == {"甲企业"}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_contacts_ledger_export_through_the_api_and_the_admin_holds_only_their_enterprise(
    client, world, fmt
):
    response = api_as(world["contact_a"]).get(f"/api/v1/ledgers/requests/export/?format={fmt}")
    assert response.status_code == 200
    assert [r[3] for r in read_export(response.content, fmt)[1:]] == ["甲的诉求"]
    client.force_login(world["contact_a"])
    response = client.get(reverse("admin:ledger_export", args=["requests"]) + f"?format={fmt}")
    assert response.status_code == 200
    assert [r[3] for r in read_export(response.content, fmt)[1:]] == ["甲的诉求"]


def test_a_contact_cannot_import_the_requests_ledger(world):
    with pytest.raises(PermissionDenied):
        import_ledger("requests", b"", "x.xlsx", actor=world["contact_a"])


def test_a_contacts_portal_never_shows_another_enterprises_request(client, world):
    client.force_login(world["contact_a"])
    home = client.get("/portal/").content.decode()
    assert "甲的诉求" in home and "乙的诉求" not in home and "乙交给王的诉求" not in home
    for other in (world["theirs"], world["handed"]):
        assert client.get(f"/portal/{other.pk}/").status_code == 404


def test_a_contact_whose_grant_ended_sees_nothing(world):
    contact = world["contact_a"]
    contact.grants.update(valid_until=today() - ONE_DAY, valid_from=today() - ONE_DAY * 30)
    forget_grants(contact)
    assert visible(contact) == set()


# -- cadres and their leaders ------------------------------------------------------------------------------
def test_a_cadre_sees_the_requests_of_their_enterprises_and_those_they_handle(world):
    assert visible(user_of(world["wang"])) == {"甲的诉求", "乙交给王的诉求"}
    assert visible(user_of(world["li"])) == {"乙的诉求", "乙交给王的诉求"}


def test_a_cadre_sees_the_same_through_the_api(world):
    response = api_as(user_of(world["wang"])).get(REQUESTS)
    assert sorted(r["title"] for r in response.json()["results"]) == ["乙交给王的诉求", "甲的诉求"]
    assert api_as(user_of(world["wang"])).get(f"{REQUESTS}{world['theirs'].pk}/").status_code == 404


def test_a_cadre_handles_the_requests_they_see_and_not_others(world):
    wang = user_of(world["wang"])
    accept(world["mine"], actor=wang)
    assert fresh(world["mine"]).status == RequestStatus.ACCEPTED
    with pytest.raises(PermissionDenied):
        accept(world["theirs"], actor=wang, handler=world["wang"])
    assert fresh(world["theirs"]).status == RequestStatus.SUBMITTED


def test_the_handlers_leader_sees_the_requests_of_the_cadres_they_lead(world):
    assert visible(world["leader"]) == {"甲的诉求", "乙交给王的诉求"}
    response = api_as(world["leader"]).get(REQUESTS)
    assert sorted(r["title"] for r in response.json()["results"]) == ["乙交给王的诉求", "甲的诉求"]


def test_a_leader_of_no_cadre_sees_only_their_organizations_requests(world, zone):
    assert visible(make_user("leader", organization=zone.branch_b)) == {"乙的诉求", "乙交给王的诉求"}


def test_a_cadres_ledger_export_holds_only_what_they_see(world):
    rows = read_export(export_ledger("requests", user=user_of(world["li"])))
    assert sorted(r[3] for r in rows[1:]) == ["乙交给王的诉求", "乙的诉求"]


def test_a_user_without_the_permission_cannot_export_the_requests_ledger(client, world, secretary_a):
    assert api_as(secretary_a).get("/api/v1/ledgers/requests/export/?format=csv").status_code == 403
    client.force_login(secretary_a)
    assert client.get(reverse("admin:ledger_export", args=["requests"])).status_code == 403


# -- deleting a request entered in error ------------------------------------------------------------------
def test_the_zone_administrator_deletes_a_request_in_the_admin_and_the_deletion_is_audited(
    client, world, zone
):
    from django.contrib.contenttypes.models import ContentType

    from dangjian.audit.models import AuditEntry

    admin_user = make_user("zone_admin", organization=zone.root)
    client.force_login(admin_user)
    pk = world["mine"].pk
    response = client.post(reverse("admin:servicedesk_servicerequest_delete", args=[pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not ServiceRequest.objects.filter(pk=pk).exists()
    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(ServiceRequest),
        object_id=str(pk),
        action=AuditEntry.Action.DELETE,
    )
    assert entry.actor == admin_user


def test_a_cadre_or_a_contact_cannot_delete_a_request_by_page_or_api(client, world):
    for user in (user_of(world["wang"]), world["contact_a"]):
        client.force_login(user)
        url = reverse("admin:servicedesk_servicerequest_delete", args=[world["mine"].pk])
        assert client.post(url, {"post": "yes"}).status_code == 403
        assert api_as(user).delete(f"{REQUESTS}{world['mine'].pk}/").status_code == 403
    assert ServiceRequest.objects.filter(pk=world["mine"].pk).exists()


def test_the_zone_administrator_deletes_through_the_api_only_within_scope(world, zone):
    admin_user = make_user("zone_admin", organization=zone.root)
    assert api_as(admin_user).delete(f"{REQUESTS}{world['theirs'].pk}/").status_code == 204
    assert not ServiceRequest.objects.filter(pk=world["theirs"].pk).exists()
    outsider = make_user("zone_admin", organization=make_org("丁党支部", OrgKind.BRANCH, zone.root))
    assert api_as(outsider).delete(f"{REQUESTS}{world['mine'].pk}/").status_code == 404
    assert ServiceRequest.objects.filter(pk=world["mine"].pk).exists()


# -- the shape of the scope's query (what keeps a province's lists on an index) ---------------------------
def _selects(queryset):
    return str(queryset.query).upper().count("SELECT")


def test_someone_named_on_no_request_is_scoped_by_the_subtree_alone(world, zone):
    office = make_user("zone_admin", organization=zone.committee_a)
    scoped = restrict(office, ServiceRequest, "view")
    assert _selects(scoped) == 1  # no subquery beside the path prefix
    assert set(scoped.values_list("title", flat=True)) == {"甲的诉求"}


def test_a_cadre_and_their_leader_reach_their_requests_by_handler_not_by_a_subquery(world):
    for user in (user_of(world["wang"]), world["leader"]):
        scoped = restrict(user, ServiceRequest, "view")
        assert _selects(scoped) == 1
        assert "乙交给王的诉求" in set(scoped.values_list("title", flat=True))


def test_a_cadre_sees_once_an_activity_they_took_part_in_outside_their_subtree(world, zone):
    from dangjian.partylife import services as partylife_services
    from dangjian.partylife.models import Activity, ActivityKind

    partylife_services.activity_save(
        actor=None,
        name="联合走访",
        kind=ActivityKind.ENTERPRISE_VISIT,
        held_on=today(),
        enterprises=[zone.enterprise_a, zone.enterprise_b],
        cadres=[world["wang"], world["li"]],
    )
    titles = list(restrict(user_of(world["wang"]), Activity, "view").values_list("name", flat=True))
    assert titles.count("联合走访") == 1
    assert "联合走访" not in set(
        restrict(user_of(make_cadre("赵未参加")), Activity, "view").values_list("name", flat=True)
    )
