"""ID numbers and phone numbers: encrypted at rest, unique and searchable through the keyed
hash, shown masked."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from dangjian.core.crypto import keyed_hash
from dangjian.core.testing.codes import make_id_number
from dangjian.members import services
from dangjian.members.models import Member
from dangjian.testing.factories import make_member

ID_NUMBER = make_id_number(datetime.date(1985, 11, 3), 41, "女")
PHONE = "13891234567"


@pytest.fixture
def member(zone):
    return make_member(zone.branch_a1, name="赵敏", sex="女", id_number=ID_NUMBER, phone=PHONE)


def raw_columns(member):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone, id_number_hash, phone_hash FROM members_member WHERE id = %s",
            [member.pk],
        )
        return cursor.fetchone()


def test_the_id_number_is_stored_encrypted(member):
    raw_id, _, raw_hash, _ = raw_columns(member)
    assert raw_id
    assert ID_NUMBER not in raw_id
    assert ID_NUMBER[6:14] not in raw_id  # not even the birth date part
    assert raw_hash == keyed_hash(ID_NUMBER)
    assert ID_NUMBER not in raw_hash


def test_the_phone_is_stored_encrypted(member):
    _, raw_phone, _, raw_hash = raw_columns(member)
    assert raw_phone
    assert PHONE not in raw_phone
    assert raw_hash == keyed_hash(PHONE)


def test_the_application_reads_the_plain_values(member):
    stored = Member.objects.get(pk=member.pk)
    assert stored.id_number == ID_NUMBER
    assert stored.phone == PHONE


def test_a_changed_phone_is_stored_encrypted_with_a_new_hash(member):
    services.member_update(actor=None, member=member, phone="+86 139-0000-1111")
    _, raw_phone, _, raw_hash = raw_columns(member)
    assert "13900001111" not in raw_phone
    assert raw_hash == keyed_hash("13900001111")
    assert Member.objects.get(pk=member.pk).phone == "13900001111"


def test_an_invalid_mobile_number_is_refused(zone):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as excinfo:
        make_member(zone.branch_a1, phone="0914-2345678")
    assert "phone" in excinfo.value.message_dict


def test_the_hash_column_is_unique_in_the_database(zone, member):
    other = make_member(zone.branch_a1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.filter(pk=other.pk).update(id_number_hash=keyed_hash(ID_NUMBER))


def test_a_member_is_found_by_the_full_id_number(zone, member):
    make_member(zone.branch_a1)
    assert services.find_by_id_number(ID_NUMBER) == member


def test_finding_by_an_unknown_id_number_gives_nothing(member):
    assert services.find_by_id_number(make_id_number(datetime.date(1985, 11, 3), 42, "女")) is None


def test_a_member_is_found_by_an_id_number_written_in_lower_case_or_with_spaces(zone):
    number = next(
        n
        for n in (make_id_number(datetime.date(1979, 1, 9), seq) for seq in range(1, 200))
        if n.endswith("X")
    )
    member = make_member(zone.branch_a1, id_number=number)
    assert services.find_by_id_number(number[:17] + "x") == member
    assert services.find_by_id_number(f" {number} ") == member


def test_the_id_number_and_phone_keep_only_their_last_four(member):
    assert member.id_number_masked == "*" * 14 + ID_NUMBER[-4:]
    assert member.phone_masked == "*******4567"


# -- back office ----------------------------------------------------------------------------------


def test_the_admin_finds_a_member_by_the_full_id_number(client, zone, zone_admin, member):
    make_member(zone.branch_a1, name="钱多多")
    client.force_login(zone_admin)
    response = client.get("/admin/members/member/", {"q": ID_NUMBER})
    page = response.content.decode()
    assert response.status_code == 200
    assert "赵敏" in page
    assert "钱多多" not in page


def test_the_admin_finds_a_member_by_phone_number(client, zone, zone_admin, member):
    make_member(zone.branch_a1, name="钱多多")
    client.force_login(zone_admin)
    page = client.get("/admin/members/member/", {"q": "138 9123 4567"}).content.decode()
    assert "赵敏" in page
    assert "钱多多" not in page


def test_the_admin_list_shows_only_masked_numbers(client, zone_admin, member):
    client.force_login(zone_admin)
    page = client.get("/admin/members/member/").content.decode()
    assert member.id_number_masked in page
    assert ID_NUMBER not in page
    assert PHONE not in page


def test_the_admin_change_page_does_not_show_the_full_numbers(client, zone_admin, member):
    client.force_login(zone_admin)
    page = client.get(f"/admin/members/member/{member.pk}/change/").content.decode()
    assert member.id_number_masked in page
    assert ID_NUMBER not in page
    assert PHONE not in page


def test_finding_by_an_invalid_id_number_gives_nothing(member):
    assert services.find_by_id_number(ID_NUMBER[:17]) is None
