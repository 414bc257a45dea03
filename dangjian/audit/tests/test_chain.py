"""The audit log is tamper-evident: every entry is chained to the one before it with a keyed hash,
`audit_verify` names the first entry that was changed or removed, daily anchors outside the
database catch a cut-off tail, the database itself refuses changes, and entries older than the
retention period leave the database only into an archive that verifies by itself."""

import contextlib
import datetime
import gzip
import hmac
import json
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from dangjian.audit import chain, integrity
from dangjian.audit.models import AuditEntry
from dangjian.audit.services import audit_record
from dangjian.core.tests.test_settings import PRODUCTION, manage

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL only (roles, advisory locks)"
)
TABLE = AuditEntry._meta.db_table


@pytest.fixture(autouse=True)
def anchor_file(settings, tmp_path):
    settings.AUDIT_ANCHOR_FILE = str(tmp_path / "log" / "audit-anchor.log")
    return tmp_path / "log" / "audit-anchor.log"


def verify(*args):
    out = StringIO()
    call_command("audit_verify", *args, stdout=out)
    return out.getvalue()


def verify_fails(*args) -> str:
    with pytest.raises(CommandError) as failure:
        verify(*args)
    assert failure.value.returncode == 2
    return str(failure.value)


@contextlib.contextmanager
def guards_off():
    """What an attacker with the owner's rights could do: set the database's guards aside (inside
    the test's transaction, so they come back afterwards)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign key checks
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_entry_no_update")
    with chain.deleting_permitted():
        yield


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def record(n=1, **fields):
    return [audit_record(AuditEntry.Action.EVENT, message=f"链测试 {i}", **fields) for i in range(n)]


def local(day, *time):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(*time)))


# -- the chain ---------------------------------------------------------------------------------------
def test_each_entry_is_chained_to_the_one_before_it():
    first, second, third = record(3)

    assert (second.seq, third.seq) == (first.seq + 1, first.seq + 2)
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert len({first.hash, second.hash, third.hash}) == 3
    assert AuditEntry.objects.order_by("-seq").first() == third


def test_the_hash_is_keyed_with_the_audit_key(settings):
    entry = record()[0]
    fields = chain.fields_of(AuditEntry.objects.get(pk=entry.pk))

    assert chain.entry_hash(entry.prev_hash, fields) == entry.hash
    settings.AUDIT_CHAIN_KEY = "another key"
    assert chain.entry_hash(entry.prev_hash, fields) != entry.hash


def test_verify_passes_and_prints_the_count_and_the_head_hash():
    *_, last = record(3)

    output = verify()

    count = AuditEntry.objects.count()
    assert f"审计链完整：共 {count} 条记录" in output
    assert f"链头哈希 {last.hash}" in output


def test_what_is_hashed_is_what_the_database_gives_back():
    entry = audit_record(
        AuditEntry.Action.UPDATE,
        before={"b": 1.0, "a": {"z": [1, 2.5, (3, 4)], "y": 1e20, 7: "键是数字"}, "c": 0.1, "d": None},
        after={"金额": 12345678901234567890, "小": 1.5e-7, "nan": float("nan"), "空": "", "真": True},
        message='多行\n说明\t与 "引号" ’',
        actor_label="张三",
    )
    mapped = AuditEntry.objects.create(action=AuditEntry.Action.LOGIN, ip="::FFFF:1.2.3.4", message="IPv6")
    nonsense = AuditEntry.objects.create(
        action=AuditEntry.Action.LOGIN, ip="unknown, 10.0.0.1", message="坏的 IP"
    )
    numbered = AuditEntry.objects.create(action=AuditEntry.Action.EVENT, object_id=42, message="编号是数字")

    for stored in AuditEntry.objects.filter(pk__in=[entry.pk, mapped.pk, nonsense.pk, numbered.pk]):
        assert chain.entry_hash(stored.prev_hash, chain.fields_of(stored)) == stored.hash
    assert AuditEntry.objects.get(pk=nonsense.pk).ip is None
    assert "审计链完整" in verify()


def test_many_entries_at_once_are_chained_in_order():
    head = AuditEntry.objects.order_by("-seq").first()

    AuditEntry.objects.bulk_create(
        [AuditEntry(action=AuditEntry.Action.EVENT, message=f"批量 {i}") for i in range(5)]
    )

    added = list(AuditEntry.objects.filter(message__startswith="批量").order_by("seq"))
    assert [e.seq for e in added] == list(range(head.seq + 1, head.seq + 6))
    assert added[0].prev_hash == head.hash
    assert "审计链完整" in verify()


def test_a_changed_message_is_found_and_named():
    _, changed, _ = record(3)

    with guards_off():
        raw(f"UPDATE {TABLE} SET message = %s WHERE id = %s", ["篡改后的说明", changed.pk])

    message = verify_fails()
    assert f"第 {changed.pk} 号记录" in message
    assert f"{timezone.localtime(changed.at):%Y-%m-%d %H:%M:%S}" in message
    assert "内容被修改" in message


def test_a_recomputed_hash_without_the_key_is_found():
    _, changed, _ = record(3)
    forged = hmac.new(b"guessed key", b"anything", "sha256").hexdigest()

    with guards_off():
        raw(f"UPDATE {TABLE} SET message = %s, hash = %s WHERE id = %s", ["篡改", forged, changed.pk])

    assert f"第 {changed.pk} 号记录" in verify_fails()


def test_a_deleted_entry_in_the_middle_is_found_and_the_next_one_named():
    before, deleted, after = record(3)

    with guards_off():
        raw(f"DELETE FROM {TABLE} WHERE id = %s", [deleted.pk])

    message = verify_fails()
    assert f"第 {after.pk} 号记录" in message
    assert "缺失" in message
    assert f"第 {before.pk} 号记录之后缺失 1 条记录（序号 {deleted.seq}—{deleted.seq}）" in message


def test_an_entry_replaced_by_another_chain_is_found():
    _first, second = record(2)

    with guards_off():
        raw(f"UPDATE {TABLE} SET prev_hash = %s WHERE id = %s", [chain.GENESIS, second.pk])

    assert f"第 {second.pk} 号记录" in verify_fails()


# -- the database refuses ------------------------------------------------------------------------------
def test_the_database_refuses_to_update_an_entry():
    entry = record()[0]

    with pytest.raises(DatabaseError), transaction.atomic():
        raw(f"UPDATE {TABLE} SET message = %s WHERE id = %s", ["篡改", entry.pk])

    assert AuditEntry.objects.get(pk=entry.pk).message == "链测试 0"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="on PostgreSQL the owner may delete (archive)")
def test_sqlite_refuses_to_delete_an_entry_unless_the_archive_is_at_work():
    entry = record()[0]

    with pytest.raises(DatabaseError), transaction.atomic():
        raw(f"DELETE FROM {TABLE} WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()

    with chain.deleting_permitted():
        raw(f"DELETE FROM {TABLE} WHERE id = %s", [entry.pk])
    assert not AuditEntry.objects.filter(pk=entry.pk).exists()


# -- anchors outside the database --------------------------------------------------------------------
def test_audit_anchor_appends_the_head_to_the_anchor_file(anchor_file):
    *_, last = record(2)
    out = StringIO()

    call_command("audit_anchor", stdout=out)
    call_command("audit_anchor", stdout=StringIO())

    lines = anchor_file.read_text().splitlines()
    assert len(lines) == 2
    assert f"id={last.pk}" in lines[0] and f"hash={last.hash}" in lines[0] and "\thead\t" in lines[0]
    assert f"第 {last.pk} 号记录" in out.getvalue()
    assert "审计链完整" in verify()


def test_a_tail_cut_off_after_the_anchor_is_found(anchor_file):
    *_, kept, cut = record(3)
    call_command("audit_anchor", stdout=StringIO())

    with guards_off():
        raw(f"DELETE FROM {TABLE} WHERE id = %s", [cut.pk])

    message = verify_fails()
    assert "缺失" in message and f"第 {cut.pk} 号记录" in message
    assert f"最新一条只到序号 {kept.seq}" in message


def test_verify_says_whether_it_checked_anchors(anchor_file):
    record()
    assert f"未找到锚点文件 {anchor_file}" in verify()

    call_command("audit_anchor", stdout=StringIO())

    assert f"已核对锚点文件 {anchor_file} 中的 1 个锚点" in verify()


def test_an_anchor_file_that_cannot_be_read_or_written_is_a_chinese_error(anchor_file):
    anchor_file.mkdir(parents=True)  # a folder where the file should be

    assert "无法读取锚点文件" in verify_fails()
    with pytest.raises(CommandError, match="无法写入锚点文件"):
        call_command("audit_anchor", stdout=StringIO())


def test_an_anchor_whose_hash_differs_from_the_entry_is_tamper(anchor_file):
    entry = record()[0]
    integrity._append_anchor("head", chain.Link(entry.pk, entry.seq, "f" * 64))

    message = verify_fails()
    assert "锚点不符" in message and f"第 {entry.pk} 号记录" in message


def test_an_edited_anchor_line_is_found(anchor_file):
    record(2)
    call_command("audit_anchor", stdout=StringIO())
    line = anchor_file.read_text()

    anchor_file.write_text(line.replace("\thead\t", "\thead \t"))

    assert "锚点文件" in verify_fails() and "第 1 行" in verify_fails()


def test_the_anchor_of_an_empty_log_is_written_and_verifies(anchor_file):
    with chain.deleting_permitted():
        raw(f"DELETE FROM {TABLE}")

    call_command("audit_anchor", stdout=StringIO())

    assert "id=0\tseq=0" in anchor_file.read_text()
    assert verify().startswith("审计链完整：库中没有审计记录\n已核对锚点文件")


# -- retention and archives ----------------------------------------------------------------------------
@pytest.fixture
def old_log():
    """A log that begins with entries of long ago: two before the boundary, one exactly on it
    (midnight of the day 180 days ago), one of today."""
    with chain.deleting_permitted():
        raw(f"DELETE FROM {TABLE}")
    boundary = timezone.localdate() - datetime.timedelta(days=180)
    entries = [
        AuditEntry.objects.create(
            action="event", message="很久以前", at=local(boundary, 0) - datetime.timedelta(days=400)
        ),
        AuditEntry.objects.create(
            action="event", message="边界前一刻", at=local(boundary, 0) - datetime.timedelta(microseconds=1)
        ),
        AuditEntry.objects.create(action="event", message="恰在边界", at=local(boundary, 0)),
        AuditEntry.objects.create(action="event", message="今天"),
    ]
    return boundary, entries


def archive(day, path):
    out = StringIO()
    call_command("audit_archive", before=day.isoformat(), output=str(path), stdout=out)
    return out.getvalue()


def test_archive_moves_the_entries_before_the_date_and_the_chain_still_verifies(
    old_log, tmp_path, anchor_file
):
    boundary, (oldest, just_before, on_boundary, _today) = old_log
    path = tmp_path / "audit-archive.jsonl.gz"

    output = archive(boundary, path)

    assert f"已归档 2 条审计记录（第 {oldest.pk}—{just_before.pk} 号）" in output
    assert list(AuditEntry.objects.order_by("id").values_list("message", flat=True)) == ["恰在边界", "今天"]
    assert "\tarchive\t" in anchor_file.read_text()
    assert "审计链完整：共 2 条记录" in verify()
    assert "归档文件" in verify("--archive", str(path)) and "共 2 条记录" in verify("--archive", str(path))
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    assert [r["type"] for r in records] == ["header", "entry", "entry", "end"]
    assert records[-1]["count"] == 2 and records[-1]["last_hash"] == just_before.hash == on_boundary.prev_hash


def test_a_second_archive_continues_the_first(old_log, tmp_path):
    boundary, _entries = old_log
    archive(boundary - datetime.timedelta(days=200), tmp_path / "first.gz")
    archive(boundary, tmp_path / "second.gz")

    assert "共 2 条记录" in verify()
    assert "共 1 条记录" in verify("--archive", str(tmp_path / "first.gz"))
    assert "共 1 条记录" in verify("--archive", str(tmp_path / "second.gz"))


def test_without_the_archive_anchor_the_missing_beginning_is_found(old_log, tmp_path, anchor_file):
    boundary, (_, _, on_boundary, _) = old_log
    archive(boundary, tmp_path / "archive.gz")

    anchor_file.unlink()

    message = verify_fails()
    assert "缺失" in message and f"第 {on_boundary.pk} 号记录" in message


def test_the_newest_entry_always_stays_in_the_database(tmp_path):
    with chain.deleting_permitted():
        raw(f"DELETE FROM {TABLE}")
    for message in ("旧一", "旧二"):
        AuditEntry.objects.create(
            action="event", message=message, at=timezone.now() - datetime.timedelta(days=900)
        )

    archive(timezone.localdate() - datetime.timedelta(days=180), tmp_path / "a.gz")

    assert list(AuditEntry.objects.values_list("message", flat=True)) == ["旧二"]
    assert "共 1 条记录" in verify()


@pytest.mark.parametrize("days_ago", [179, 0, -1])
def test_archive_refuses_a_date_within_the_retention_period(old_log, tmp_path, days_ago):
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    count = AuditEntry.objects.count()

    with pytest.raises(CommandError, match="审计记录至少保存 180 天"):
        archive(day, tmp_path / "a.gz")

    assert AuditEntry.objects.count() == count
    assert not (tmp_path / "a.gz").exists()


def test_archive_keeps_the_longer_retention_when_one_is_set(old_log, tmp_path, settings):
    boundary, _ = old_log
    settings.AUDIT_RETENTION_DAYS = 365

    with pytest.raises(CommandError, match="至少保存 365 天"):
        archive(boundary, tmp_path / "a.gz")


@pytest.mark.parametrize("bad", ["2026-13-01", "昨天", ""])
def test_archive_refuses_a_date_it_cannot_read(tmp_path, bad):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("audit_archive", before=bad, output=str(tmp_path / "a.gz"))


def test_archive_does_not_overwrite_a_file(old_log, tmp_path):
    boundary, _ = old_log
    path = tmp_path / "a.gz"
    path.write_text("已有的文件")

    with pytest.raises(CommandError, match="已存在"):
        archive(boundary, path)

    assert path.read_text() == "已有的文件" and AuditEntry.objects.count() == 4


def test_archive_refuses_a_chain_that_does_not_verify(old_log, tmp_path):
    boundary, (oldest, *_) = old_log
    with guards_off():
        raw(f"UPDATE {TABLE} SET message = %s WHERE id = %s", ["篡改", oldest.pk])

    with pytest.raises(CommandError, match="审计链校验未通过"):
        archive(boundary, tmp_path / "a.gz")

    assert AuditEntry.objects.count() == 4 and not (tmp_path / "a.gz").exists()


def test_a_changed_archive_is_found(old_log, tmp_path):
    boundary, (oldest, *_) = old_log
    path = tmp_path / "a.gz"
    archive(boundary, path)
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        text = lines.read()

    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.write(text.replace("很久以前", "改过的"))

    message = verify_fails("--archive", str(path))
    assert "内容被修改" in message and f"第 {oldest.pk} 号记录" in message


def test_an_archive_with_a_line_removed_is_found(old_log, tmp_path):
    boundary, _ = old_log
    path = tmp_path / "a.gz"
    archive(boundary, path)
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        kept = [line for line in lines if "边界前一刻" not in line]

    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.writelines(kept)

    assert "缺失" in verify_fails("--archive", str(path))


def test_a_file_that_is_not_an_archive_is_refused_in_chinese(tmp_path):
    path = tmp_path / "x.gz"
    path.write_bytes(b"not gzip")

    assert "无法读取归档文件" in verify_fails("--archive", str(path))


# -- settings ----------------------------------------------------------------------------------------
def test_retention_shorter_than_180_days_is_refused_at_start():
    result = manage("check", DANGJIAN_AUDIT_RETENTION_DAYS="179")

    assert result.returncode != 0
    assert "DANGJIAN_AUDIT_RETENTION_DAYS 不得少于 180 天" in result.stderr


def test_production_refuses_to_start_without_the_audit_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "DANGJIAN_AUDIT_KEY"}

    result = manage("check", **env)

    assert result.returncode != 0 and "DANGJIAN_AUDIT_KEY" in result.stderr


def test_the_owner_switch_needs_the_owner_url():
    result = manage("check", DANGJIAN_DB_OWNER="1")

    assert result.returncode != 0 and "DATABASE_OWNER_URL" in result.stderr


# -- PostgreSQL: concurrent writers, the application's role ------------------------------------------
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain():
    from django.db import connections

    errors = []

    def write(name):
        try:
            for i in range(15):
                with transaction.atomic():
                    audit_record(AuditEntry.Action.EVENT, message=f"{name} {i}")
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(f"写入者{n}",)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    seqs = list(AuditEntry.objects.order_by("id").values_list("seq", flat=True))
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    assert "审计链完整" in verify()


@pytest.fixture
def app_role(transactional_db):
    """A fresh login role, granted as the application's role, and a psycopg connection as it."""
    import psycopg

    name, password = "dangjian_app_test", "app-role-test-Passw0rd"
    settings_dict = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute(f"DROP ROLE IF EXISTS {name}")
        cursor.execute(f"CREATE ROLE {name} LOGIN PASSWORD '{password}'")
    call_command("db_grant_app_role", role=name, stdout=StringIO())
    app = psycopg.connect(
        host=settings_dict["HOST"] or "127.0.0.1",
        port=settings_dict["PORT"] or 5432,
        dbname=settings_dict["NAME"],
        user=name,
        password=password,
        autocommit=True,
    )
    yield app
    app.close()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP OWNED BY {name}")
        cursor.execute(f"DROP ROLE {name}")


def refused(app, sql, params=()):
    import psycopg

    with pytest.raises(psycopg.Error) as failure:
        app.execute(sql, params)
    return str(failure.value)


@postgres_only
def test_the_application_role_can_only_read_and_append_to_the_audit_log(app_role):
    entry = record()[0]
    count = AuditEntry.objects.count()

    app_role.execute(
        f"INSERT INTO {TABLE} (at, action, actor_label, source, object_id, object_repr, message, seq, prev_hash, hash)"
        " VALUES (now(), 'event', '', 'system', '', '', '应用角色追加', %s, '', '')",
        [entry.seq + 1000],
    )
    assert app_role.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0] == count + 1

    refused(app_role, f"UPDATE {TABLE} SET message = '篡改' WHERE id = %s", [entry.pk])
    refused(app_role, f"DELETE FROM {TABLE} WHERE id = %s", [entry.pk])
    refused(app_role, f"TRUNCATE {TABLE}")
    refused(app_role, f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
    refused(app_role, f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_entry_immutable")
    refused(app_role, "SET session_replication_role = replica")
    refused(app_role, f"DROP TABLE {TABLE}")
    refused(app_role, "CREATE TABLE app_owned (id int)")
    assert AuditEntry.objects.get(pk=entry.pk).message == "链测试 0"


@postgres_only
def test_the_application_role_writes_business_tables(app_role):
    from dangjian.organizations.models import Post

    table = Post._meta.db_table
    added = app_role.execute(
        "INSERT INTO django_content_type (app_label, model) VALUES ('app_role_test', 'row') RETURNING id"
    ).fetchone()[0]
    app_role.execute("UPDATE django_content_type SET model = 'changed' WHERE id = %s", [added])
    app_role.execute("DELETE FROM django_content_type WHERE id = %s", [added])
    app_role.execute(f"UPDATE {table} SET note = note")
    owned = app_role.execute(
        "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = current_user"
    ).fetchone()[0]
    assert owned == 0
    refused(app_role, f"TRUNCATE {table}")


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_grant_refuses_a_superuser_or_a_missing_role():
    with pytest.raises(CommandError, match="不存在"):
        call_command("db_grant_app_role", role="no_such_role_here")
    with pytest.raises(CommandError, match="超级用户"):
        call_command("db_grant_app_role", role="postgres")


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite answer")
def test_the_grant_is_for_postgresql_only():
    with pytest.raises(CommandError, match="只用于 PostgreSQL"):
        call_command("db_grant_app_role", role="dangjian_app")


# -- the back office -----------------------------------------------------------------------------------
@pytest.fixture
def auditor(zone):
    from dangjian.testing.factories import make_user

    return make_user("audit_admin")  # one of the three administrators: installation-wide


def test_the_auditor_checks_the_chain_from_the_audit_log_page(client, auditor):
    from django.urls import reverse

    client.force_login(auditor)
    listing = client.get(reverse("admin:audit_auditentry_changelist"))
    url = reverse("admin:audit_auditentry_verify_chain")
    assert url in listing.content.decode()

    answer = client.get(url, follow=True)

    shown = [str(m) for m in answer.context["messages"]]
    head = AuditEntry.objects.order_by("-seq").first()
    assert any("审计链完整" in m and head.hash in m for m in shown)


def test_the_page_names_the_changed_entry(client, auditor):
    from django.urls import reverse

    changed = record()[0]
    with guards_off():
        raw(f"UPDATE {TABLE} SET message = %s WHERE id = %s", ["篡改", changed.pk])
    client.force_login(auditor)

    answer = client.get(reverse("admin:audit_auditentry_verify_chain"), follow=True)

    shown = [str(m) for m in answer.context["messages"]]
    assert any("审计链校验失败" in m and f"第 {changed.pk} 号记录" in m and "内容被修改" in m for m in shown)


@pytest.mark.parametrize("role", ["zone_admin", "system_admin", "security_admin"])
def test_only_the_auditor_checks_the_chain(client, zone, role):
    from django.urls import reverse

    from dangjian.testing.factories import make_user

    scope = {"organization": zone.root} if role == "zone_admin" else {}
    client.force_login(make_user(role, **scope))

    assert client.get(reverse("admin:audit_auditentry_verify_chain")).status_code == 403


def test_the_api_shows_the_auditor_each_entrys_place_in_the_chain(auditor):
    from django.urls import reverse
    from rest_framework.test import APIClient

    entry = record()[0]
    api = APIClient()
    api.force_login(auditor)

    shown = api.get(reverse("auditentry-detail", args=[entry.pk])).json()

    assert (shown["seq"], shown["prev_hash"], shown["hash"]) == (entry.seq, entry.prev_hash, entry.hash)
