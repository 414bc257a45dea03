"""Personal data that cannot be rebuilt from what is shown (issue 11): without an audited reveal,
an ID number shows only its last four characters, a birth date only its year, a phone only its
last four digits, for every role, on the list, the change page, the API, the list export and the
audit log; ledger exports with full values need the reveal permission and a confirmation, the
export command a flag; `dumpdata` carries ciphertext only; every phone is encrypted at rest; a
cadre's login name is not their phone."""

import datetime
import importlib
import io
import json
import re

import pytest
from django.apps import apps as global_apps
from django.core.management import call_command
from django.db import connection
from rest_framework.test import APIClient

from dangjian.audit.models import AuditEntry
from dangjian.cadres.models import Cadre
from dangjian.core.crypto import keyed_hash, mask_birth_date, mask_id_number, mask_phone
from dangjian.core.testing.codes import make_id_number
from dangjian.core.testing.ledgers import read_export
from dangjian.enterprises.models import Enterprise
from dangjian.members.models import Member
from dangjian.projects.tests.factories import make_cadre
from dangjian.testing.factories import make_member, make_user

BIRTH = datetime.date(1985, 11, 3)
ID_NUMBER = make_id_number(BIRTH, 41, "女", region="611021")
PHONE = "13891234567"
CADRE_PHONE = "13987654321"
CADRE_BIRTH = datetime.date(1991, 7, 19)
CONTACT_PHONE = "13711112222"

# every way a full birth date (or the part of an ID number before its last four) could be written
BIRTH_FORMS = ("1985-11-03", "19851103", "1985年11月3日", "1985年11月03日", "1985/11/03", "1985.11.03")
CADRE_BIRTH_FORMS = ("1991-07-19", "19910719", "1991年7月19日", "1991年07月19日", "1991.07")


@pytest.fixture
def world(zone):
    member = make_member(
        zone.branch_a1,
        name="赵敏",
        sex="女",
        id_number=ID_NUMBER,
        phone=PHONE,
        joined=datetime.date(2015, 7, 1),
    )
    cadre = make_cadre("钱干部", phone=CADRE_PHONE, birth_date=CADRE_BIRTH)
    enterprise = zone.enterprise_a
    enterprise.contact_phone = CONTACT_PHONE
    enterprise.save()
    return member, cadre, enterprise


def role_users(zone, cadre):
    return {
        "zone_admin": make_user("zone_admin", organization=zone.root),
        "leader": make_user("leader", organization=zone.root),
        "secretary": make_user("secretary", organization=zone.committee_a),
        "cadre": cadre.user,
        "enterprise_contact": make_user("enterprise_contact", enterprise=zone.enterprise_a),
        "system_admin": make_user("system_admin"),
        "security_admin": make_user("security_admin"),
        "audit_admin": make_user("audit_admin"),
    }


ROLES = (
    "zone_admin",
    "leader",
    "secretary",
    "cadre",
    "enterprise_contact",
    "system_admin",
    "security_admin",
    "audit_admin",
)


def assert_nothing_rebuildable(text: str):
    """No full ID number, no part of it before the last four, no full birth date, no phone."""
    assert ID_NUMBER not in text
    assert ID_NUMBER[:6] not in text  # the region
    assert ID_NUMBER[6:14] not in text  # the birth date
    for written in (*BIRTH_FORMS, *CADRE_BIRTH_FORMS):
        assert written not in text, written
    for phone in (PHONE, CADRE_PHONE, CONTACT_PHONE):
        assert phone not in text
        assert phone[:7] not in text


def pages(client, member, cadre, enterprise):
    """What a signed-in user can reach about these records: back-office lists, change pages and
    their Excel exports, the API's lists and records, and the audit log."""
    urls = [
        "/admin/members/member/",
        f"/admin/members/member/{member.pk}/change/",
        "/admin/members/member/export/",
        "/admin/members/developmentcase/",
        "/admin/cadres/cadre/",
        f"/admin/cadres/cadre/{cadre.pk}/change/",
        "/admin/cadres/cadre/export/",
        "/admin/enterprises/enterprise/",
        f"/admin/enterprises/enterprise/{enterprise.pk}/change/",
        "/admin/enterprises/enterprise/export/",
        "/admin/audit/auditentry/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 302, 403, 404), (url, response.status_code)
        yield url, response
    entry = AuditEntry.objects.filter(object_id=str(member.pk)).first()
    if entry is not None:
        yield "audit entry", client.get(f"/admin/audit/auditentry/{entry.pk}/change/")


def api_pages(user, member, cadre, enterprise):
    api = APIClient()
    api.force_authenticate(user)
    for url in (
        "/api/v1/members/",
        f"/api/v1/members/{member.pk}/",
        "/api/v1/development/",
        "/api/v1/cadres/",
        f"/api/v1/cadres/{cadre.pk}/",
        "/api/v1/enterprises/",
        f"/api/v1/enterprises/{enterprise.pk}/",
    ):
        response = api.get(url)
        assert response.status_code in (200, 403, 404), (url, response.status_code)
        yield url, response


def content_text(response) -> str:
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        return json.dumps(read_export(response.content), ensure_ascii=False, default=str)
    return response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_no_role_sees_personal_data_that_could_be_rebuilt_without_a_reveal(client, zone, world, role):
    member, cadre, enterprise = world
    services_audit = AuditEntry.objects.count()
    assert services_audit  # the records' creation was logged (and is shown masked below)
    user = role_users(zone, cadre)[role]
    client.force_login(user)
    for url, response in [
        *pages(client, member, cadre, enterprise),
        *api_pages(user, member, cadre, enterprise),
    ]:
        text = content_text(response)
        try:
            assert_nothing_rebuildable(text)
        except AssertionError as exc:
            raise AssertionError(f"{role} {url}: {exc}") from None


def test_the_roster_shows_the_masks_where_it_shows_personal_data(client, zone, world):
    member, cadre, enterprise = world
    leader = make_user("leader", organization=zone.root)
    client.force_login(leader)
    page = client.get(f"/admin/members/member/{member.pk}/change/").content.decode()
    assert "*" * 14 + ID_NUMBER[-4:] in page
    assert "1985年" in page
    assert "*******4567" in page
    listed = client.get("/admin/members/member/").content.decode()
    assert "*" * 14 + ID_NUMBER[-4:] in listed
    api = APIClient()
    api.force_authenticate(leader)
    body = api.get(f"/api/v1/members/{member.pk}/").json()
    assert body["id_number_masked"] == "*" * 14 + ID_NUMBER[-4:]
    assert body["birth_date_masked"] == "1985年"
    assert body["phone_masked"] == "*******4567"
    assert "birth_date" not in body and "id_number" not in body and "phone" not in body
    zone_admin = make_user("zone_admin", organization=zone.root)
    api.force_authenticate(zone_admin)
    assert api.get(f"/api/v1/enterprises/{enterprise.pk}/").json()["contact_phone_masked"] == "*******2222"
    cadre_body = api.get(f"/api/v1/cadres/{cadre.pk}/").json()
    assert (cadre_body["phone_masked"], cadre_body["birth_date_masked"]) == ("*******4321", "1991年")


def test_the_issues_attack_leaves_many_candidate_id_numbers(client, zone, world):
    """The issue rebuilt every full ID from the first three and last four digits and the birth
    date. Now a leader reaches the last four and the year only: with the zone's few county codes
    and the check digit, a number is still one of a hundred or so."""
    member, _cadre, _enterprise = world
    api = APIClient()
    api.force_authenticate(make_user("leader", organization=zone.root))
    body = api.get(f"/api/v1/members/{member.pk}/").json()
    last_four, year = body["id_number_masked"][-4:], int(body["birth_date_masked"][:4])
    assert set(body["id_number_masked"][:-4]) == {"*"}
    candidates = []
    day = datetime.date(year, 1, 1)
    while day.year == year:
        for region in ("611002", "611021", "611022"):
            first17 = f"{region}{day:%Y%m%d}{last_four[:3]}"
            weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
            check = "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights, strict=True)) % 11]
            if check == last_four[3]:
                candidates.append(first17 + check)
        day += datetime.timedelta(days=1)
    assert ID_NUMBER in candidates
    assert len(candidates) > 50


def test_a_reveal_still_shows_the_full_values_and_is_logged(client, zone, world):
    member, _cadre, _enterprise = world
    secretary = make_user("secretary", organization=zone.committee_a)
    client.force_login(secretary)
    response = client.post(f"/admin/members/member/{member.pk}/reveal/", {"purpose": "核对档案"})
    page = response.content.decode()
    assert ID_NUMBER in page and PHONE in page
    assert AuditEntry.objects.filter(action=AuditEntry.Action.REVEAL, actor=secretary).exists()


def test_the_audit_log_keeps_the_masks_of_birth_dates_ids_and_phones(zone, world):
    member, cadre, enterprise = world
    for obj in (member, cadre, enterprise):
        entry = AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, object_id=str(obj.pk)).filter(
            content_type__model=obj._meta.model_name
        )
        after = entry.latest("pk").after if entry.exists() else None
        if after is None:
            continue
        assert_nothing_rebuildable(json.dumps(after, ensure_ascii=False))
    after = (
        AuditEntry.objects.filter(content_type__model="member", object_id=str(member.pk)).latest("pk").after
    )
    assert after["birth_date"] == "1985年"
    assert after["id_number"] == "*" * 14 + ID_NUMBER[-4:]


def test_the_masks_keep_at_most_the_last_four():
    assert mask_id_number("61100219851103123X") == "**************123X"
    assert mask_phone("13891234567") == "*******4567"
    assert mask_phone("0914-2345678") == "********5678"
    assert mask_phone("1234") == "****"
    assert mask_birth_date(BIRTH) == "1985年"
    assert mask_birth_date("1985.11") == "1985年"
    assert mask_birth_date(None) == ""


# -- at rest and in dumps -----------------------------------------------------------------------------


def raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def test_every_phone_is_encrypted_at_rest(world):
    member, cadre, enterprise = world
    stored_phone, stored_hash = raw(
        "SELECT contact_phone, contact_phone_hash FROM enterprises_enterprise WHERE id = %s", [enterprise.pk]
    )
    assert CONTACT_PHONE not in stored_phone and CONTACT_PHONE[-4:] not in stored_phone
    assert stored_hash == keyed_hash(CONTACT_PHONE)
    assert Enterprise.objects.get(pk=enterprise.pk).contact_phone == CONTACT_PHONE
    assert CADRE_PHONE not in raw("SELECT phone FROM cadres_cadre WHERE id = %s", [cadre.pk])[0]
    assert PHONE not in raw("SELECT phone FROM members_member WHERE id = %s", [member.pk])[0]


def test_enterprises_and_cadres_are_found_by_phone_through_the_keyed_hash(client, zone, world):
    _member, cadre, enterprise = world
    other = make_cadre("郑干部", phone="13900005555")
    client.force_login(make_user("zone_admin", organization=zone.root))
    found = client.get("/admin/enterprises/enterprise/", {"q": "137 1111 2222"}).content.decode()
    assert enterprise.name in found and zone.enterprise_b.name not in found
    found = client.get("/admin/cadres/cadre/", {"q": "+86 139-8765-4321"}).content.decode()
    assert cadre.name in found and other.name not in found
    assert other.name in client.get("/admin/cadres/cadre/", {"q": "郑干部"}).content.decode()


def test_dumpdata_carries_no_clear_id_number_or_phone_and_loads_back(world, tmp_path):
    member, _cadre, enterprise = world
    out = io.StringIO()
    call_command("dumpdata", "members.member", "cadres.cadre", "enterprises.enterprise", stdout=out)
    dump = out.getvalue()
    for secret in (ID_NUMBER, PHONE, CADRE_PHONE, CONTACT_PHONE):
        assert secret not in dump
    assert '"id_number": "encrypted:' in dump
    path = tmp_path / "dump.json"
    path.write_text(dump, encoding="utf-8")
    Member.objects.filter(pk=member.pk).update(phone="13800000000")
    Enterprise.objects.filter(pk=enterprise.pk).update(contact_phone="13800000000")
    call_command("loaddata", str(path), stdout=io.StringIO())
    assert Member.objects.get(pk=member.pk).phone == PHONE
    assert Member.objects.get(pk=member.pk).id_number == ID_NUMBER
    assert Enterprise.objects.get(pk=enterprise.pk).contact_phone == CONTACT_PHONE
    assert PHONE not in raw("SELECT phone FROM members_member WHERE id = %s", [member.pk])[0]


# -- exports --------------------------------------------------------------------------------------------


def test_the_export_command_masks_personal_data_unless_revealed(world, tmp_path):
    path = tmp_path / "members.csv"
    out = io.StringIO()
    call_command("export_ledger", "members", str(path), stdout=out)
    assert "已脱敏" in out.getvalue()
    assert_nothing_rebuildable(path.read_text(encoding="utf-8-sig"))
    assert "*" * 14 + ID_NUMBER[-4:] in path.read_text(encoding="utf-8-sig")
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.REVEAL).exists()
    call_command("export_ledger", "members", str(path), "--reveal", stdout=io.StringIO())
    assert ID_NUMBER in path.read_text(encoding="utf-8-sig")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.REVEAL).exists()
    for ledger in ("cadres", "enterprises"):
        call_command("export_ledger", ledger, str(path), stdout=io.StringIO())
        assert_nothing_rebuildable(path.read_text(encoding="utf-8-sig"))


@pytest.mark.parametrize("ledger", ["cadres", "enterprises"])
def test_ledgers_with_phones_export_only_with_the_permission_and_a_confirmation(client, zone, world, ledger):
    contact = make_user("enterprise_contact", enterprise=zone.enterprise_a)
    client.force_login(contact)
    if ledger == "enterprises":  # the contact may view the enterprise but not reveal its phone
        assert client.get(f"/admin/ledgers/{ledger}/export/").status_code == 403
    client.force_login(make_user("zone_admin", organization=zone.root))
    asked = client.get(f"/admin/ledgers/{ledger}/export/")
    assert asked.status_code == 200 and "确认导出完整的" in asked.content.decode()
    exported = client.post(f"/admin/ledgers/{ledger}/export/", {"format": "csv", "confirm_reveal": "on"})
    text = exported.content.decode("utf-8-sig")
    assert (CADRE_PHONE if ledger == "cadres" else CONTACT_PHONE) in text
    assert AuditEntry.objects.filter(action=AuditEntry.Action.REVEAL).exists()


def test_a_list_export_masks_a_personal_field_it_lists(rf, zone, world):
    """A back-office list that listed a personal field itself would export its mask."""
    from django.contrib import admin as django_admin

    from dangjian.core.exports import changelist_table
    from dangjian.members.admin.roster import MemberAdmin

    class Listing(MemberAdmin):
        list_display = ["name", "id_number", "birth_date", "phone"]

    request = rf.get("/admin/members/member/")
    request.user = make_user("zone_admin", organization=zone.root)
    _changelist, _headers, rows = changelist_table(Listing(Member, django_admin.site), request)
    assert list(rows) == [["赵敏", "*" * 14 + ID_NUMBER[-4:], "1985年", "*******4567"]]


# -- cadres' login names --------------------------------------------------------------------------------


def test_a_cadre_signs_in_with_a_generated_login_name_not_the_phone(zone):
    first = make_cadre("孙干部", phone="13900001111")
    second = make_cadre("李干部", phone="13900002222")
    assert re.fullmatch(r"gb\d{4}", first.user.username)
    assert int(second.user.username[2:]) == int(first.user.username[2:]) + 1
    assert "13900001111" not in first.user.username


def test_the_migration_renames_cadres_whose_login_name_is_their_phone(zone):
    cadre = make_cadre("周干部", phone="13900003333")
    kept = make_cadre("吴干部", phone="13900004444")
    user = cadre.user
    user.username = "13900003333-2"
    user.save()
    migration = importlib.import_module("dangjian.cadres.migrations.0004_login_names")
    migration.rename_phone_logins(global_apps, None)
    user.refresh_from_db()
    assert re.fullmatch(r"gb\d{4}", user.username)
    assert Cadre.objects.get(pk=cadre.pk).user_id == user.pk
    assert Cadre.objects.get(pk=kept.pk).user.username == kept.user.username


def test_a_dry_run_shows_a_changed_birth_date_and_phone_masked(world):
    """A ledger dry run names each changed column old → new: a birth date by its year only."""
    from dangjian.core.testing.ledgers import import_rows

    header = ["姓名", "出生日期", "职务", "手机号码", "所在党组织"]
    report = import_rows("cadres", [header, ["钱干部", "1992-02-20", "", CADRE_PHONE, ""]], dry_run=True)
    (row,) = report.rows
    changes = {change.column: (change.old, change.new) for change in row.changes}
    assert changes["出生日期"] == ("1991年", "1992年")
    assert_nothing_rebuildable(str(report.rows))
    assert "1992-02-20" not in str(report.rows)


def management_forms(page: str) -> dict:
    """The inlines' management form fields of a change page, as it shows them."""
    pattern = r'name="([^"]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)"[^>]*value="(\d*)"'
    return dict(re.findall(pattern, page))


def test_editing_a_cadre_without_retyping_the_phone_and_birth_date_keeps_them(client, zone, world):
    _member, cadre, _enterprise = world
    Cadre.objects.filter(pk=cadre.pk).update(birth_month_only=True)
    client.force_login(make_user("zone_admin", organization=zone.root))
    url = f"/admin/cadres/cadre/{cadre.pk}/change/"
    form = client.get(url).content.decode()
    assert "当前：1991年" in form and "当前：*******4321" in form
    data = {"name": "钱干部", "birth_date": "", "title": "科长", "phone": "", "is_active": "on"}
    data.update(management_forms(form))
    response = client.post(url, data)
    assert response.status_code == 302, re.findall(
        r"errorlist[^>]*>(.*?)</ul>", response.content.decode(), re.S
    )
    cadre.refresh_from_db()
    assert (cadre.title, cadre.phone, cadre.birth_date, cadre.birth_month_only) == (
        "科长",
        CADRE_PHONE,
        CADRE_BIRTH,
        True,
    )


def test_editing_an_enterprise_without_retyping_the_contact_phone_keeps_it(client, zone, world):
    _member, _cadre, enterprise = world
    client.force_login(make_user("zone_admin", organization=zone.root))
    url = f"/admin/enterprises/enterprise/{enterprise.pk}/change/"
    form = client.get(url).content.decode()
    assert "当前：*******2222" in form and CONTACT_PHONE not in form
    data = {
        "name": enterprise.name,
        "credit_code": enterprise.credit_code,
        "cluster": enterprise.cluster_id,
        "contact_name": "新联系人",
        "contact_phone": "",
        **management_forms(form),
    }
    response = client.post(url, data)
    assert response.status_code == 302, re.findall(
        r"errorlist[^>]*>(.*?)</ul>", response.content.decode(), re.S
    )
    enterprise.refresh_from_db()
    assert (enterprise.contact_name, enterprise.contact_phone) == ("新联系人", CONTACT_PHONE)
    assert enterprise.contact_phone_hash == keyed_hash(CONTACT_PHONE)
