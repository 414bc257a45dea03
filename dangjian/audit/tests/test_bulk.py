"""bulk_insert: new rows written at once (COPY on PostgreSQL, bulk_create elsewhere), each object
given its key, every kind of value read back as written, the audit entries still a chain."""

import datetime

import pytest

from dangjian.audit.bulk import bulk_insert
from dangjian.audit.integrity import verify_database
from dangjian.audit.models import AuditEntry
from dangjian.audit.services import audit_created
from dangjian.members.models import Member, Membership
from dangjian.testing.factories import make_id_number

pytestmark = pytest.mark.django_db(transaction=False)


def new_member(zone, n, **fields):
    member = Member(
        organization=zone.branch_a1,
        org_path=zone.branch_a1.path,
        name=fields.pop("name", f"批量党员{n}"),
        sex="女",
        id_number=make_id_number(datetime.date(1991, 2, 3), 700 + n, "女"),
        category="full",
        joined_on=datetime.date(2016, 7, 1),
        **fields,
    )
    member.refresh_hashes()
    return member


def test_each_object_gets_its_key_and_reads_back_as_written(zone):
    members = [new_member(zone, n, phone="13800001234" if n else "") for n in range(3)]
    for member in members:
        member.refresh_hashes()
    written = bulk_insert(Member, members)
    assert written == members
    assert all(member.pk for member in members) and len({m.pk for m in members}) == 3
    assert not any(member._state.adding for member in members)
    for member in members:
        again = Member.objects.get(pk=member.pk)
        assert (again.name, again.id_number, again.phone, again.joined_on, again.organization_id) == (
            member.name,
            member.id_number,
            member.phone,
            datetime.date(2016, 7, 1),
            zone.branch_a1.pk,
        )
    stays = bulk_insert(
        Membership,
        [
            Membership(
                member=m, organization=zone.branch_a1, org_path=zone.branch_a1.path, valid_from=m.joined_on
            )
            for m in members
        ],
    )
    assert {s.member_id for s in Membership.objects.filter(pk__in=[s.pk for s in stays])} == {
        m.pk for m in members
    }


def test_nothing_to_write_is_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert bulk_insert(Member, []) == []


def test_a_key_is_never_given_twice_after_an_ordinary_save(zone):
    first = bulk_insert(Member, [new_member(zone, 10)])[0]
    saved = new_member(zone, 11)
    saved.save()
    later = bulk_insert(Member, [new_member(zone, 12)])[0]
    assert len({first.pk, saved.pk, later.pk}) == 3


def test_audit_entries_in_bulk_keep_json_numbers_and_the_chain(zone):
    entries = audit_created([zone.branch_a1, zone.branch_b])
    assert [entry.pk is not None for entry in entries] == [True, True]
    stored = AuditEntry.objects.get(pk=entries[0].pk)
    assert stored.after == entries[0].after and stored.after["name"] == zone.branch_a1.name
    assert stored.action == AuditEntry.Action.CREATE and stored.hash == entries[0].hash
    assert verify_database().ok
