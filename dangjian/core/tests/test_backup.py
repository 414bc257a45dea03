"""`manage.py backup` and `manage.py restore`: one encrypted archive of the database (personal
data still ciphertext inside) and the uploaded files, restored into a freshly migrated
installation with the same rows, figures and files; a wrong key, a changed or cut archive and a
different schema are refused in Chinese and change nothing."""

import datetime
import io
import tarfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from dangjian.audit.models import AuditEntry
from dangjian.core import indicators
from dangjian.core.backup import DecryptingReader, backup_secret, dumped_models
from dangjian.members.models import Member
from dangjian.partylife import services as partylife
from dangjian.partylife.models import AttendanceStatus, MeetingAttachment, MeetingKind
from dangjian.projects.tests.factories import make_cadre
from dangjian.servicedesk.tests.factories import submit
from dangjian.testing.factories import make_member

TODAY = datetime.date.today()
PHOTO = bytes(range(256)) * 40


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BACKUP_KEY = "备份密钥-甲"
    return settings.MEDIA_ROOT


def counts():
    with connection.cursor() as cursor:
        result = {}
        for model in dumped_models():
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(model._meta.db_table)}")
            result[model._meta.db_table] = cursor.fetchone()[0]
        return result


def figures():
    period = indicators.Period.year(TODAY.year)
    return {
        i.code: indicators.compute(i.code, period=period, today=TODAY).value
        for i in indicators.all_indicators()
    }


def raw_members():
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, id_number, phone, id_number_hash FROM members_member ORDER BY id")
        return cursor.fetchall()


def audit_rows():
    return list(AuditEntry.objects.order_by("id").values_list())


def files(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def backup(path):
    call_command("backup", "--output", str(path), stdout=io.StringIO())
    return path


def restore(path):
    out = io.StringIO()
    call_command("restore", str(path), "--noinput", stdout=out)
    return out.getvalue()


@pytest.fixture
def world(zone, media):
    """A small zone with members (ID numbers and phones encrypted), a cadre, a request with a
    file, and a meeting with attendance and two attachments."""
    members = [
        make_member(
            zone.branch_a1, name=f"党员{i}", phone=f"1389123456{i}", joined=datetime.date(2010 + i, 7, 1)
        )
        for i in range(4)
    ]
    make_member(zone.branch_b, name="乙党员", phone="")
    make_cadre("王联系")
    submit(zone.enterprise_a, files=[SimpleUploadedFile("营业执照.pdf", b"%PDF-1.4 licence")])
    meeting = partylife.meeting_create(
        actor=None,
        organization=zone.branch_a1,
        kind=MeetingKind.BRANCH_GENERAL,
        held_on=TODAY,
        theme="支部党员大会",
        attendance=[{"member": m, "status": AttendanceStatus.PRESENT} for m in members],
    )
    for name, content in (("会议记录.pdf", b"%PDF-1.4 minutes"), ("现场照片.jpg", PHOTO)):
        partylife.meeting_attachment_save(
            actor=None, meeting=meeting, file=SimpleUploadedFile(name, content), name=name
        )
    return meeting


def test_a_restore_into_a_fresh_installation_gives_the_same_rows_figures_and_files(world, media, tmp_path):
    before = (counts(), figures(), raw_members(), audit_rows(), files(media))
    archive = backup(tmp_path / "dangjian.backup")

    connection.check_constraints()  # (PostgreSQL truncates after the test's pending deferred checks only)
    call_command("flush", "--noinput")  # a freshly migrated installation: built-in roles only
    (media / "stray.txt").write_text("不属于备份的文件")
    assert Member.objects.count() == 0

    out = restore(archive)
    assert "恢复完成" in out
    after_counts = counts()
    assert (
        after_counts.pop("audit_auditentry") == before[0].pop("audit_auditentry") + 1
    )  # the restore's own entry
    assert after_counts == before[0]
    assert figures() == before[1]
    assert raw_members() == before[2]  # ciphertext as it was, not encrypted again
    assert audit_rows()[:-1] == before[3]  # the audit log's rows exactly as they were
    assert AuditEntry.objects.latest("id").message.startswith("从备份恢复系统：dangjian.backup")
    verified = io.StringIO()
    call_command("audit_verify", anchors=str(tmp_path / "no-anchors.log"), stdout=verified)
    assert "审计链完整" in verified.getvalue()  # the restored chain, and the restore's entry on it
    assert files(media) == before[4]
    # the restored installation works on: new rows get new keys, files are served
    attachment = MeetingAttachment.objects.get(name="现场照片.jpg")
    assert attachment.file.read() == PHOTO
    partylife.meeting_attachment_save(actor=None, meeting=world, file=SimpleUploadedFile("new.txt", b"x"))


def test_a_restore_signs_everyone_out(world, media, tmp_path, client, zone):
    from dangjian.testing.factories import make_user

    client.force_login(make_user("zone_admin", organization=zone.root))
    assert client.get("/admin/").status_code == 200
    archive = backup(tmp_path / "b.backup")  # the session is not archived, and it is emptied
    restore(archive)
    assert client.get("/admin/").status_code == 302


def test_the_archive_holds_no_clear_personal_data_even_inside(world, media, tmp_path):
    archive = backup(tmp_path / "b.backup")
    member = Member.objects.exclude(phone="").first()
    with open(archive, "rb") as src:
        raw = src.read()
    assert member.phone.encode() not in raw and member.name.encode() not in raw
    with open(archive, "rb") as src:
        tar = tarfile.open(fileobj=io.BufferedReader(DecryptingReader(src, backup_secret())), mode="r|")
        dump = b"".join(tar.extractfile(m).read() for m in tar if m.name.startswith("db/"))
    assert member.name.encode() in dump  # the dump is really inside
    assert member.id_number.encode() not in dump
    assert member.phone.encode() not in dump


def test_a_wrong_key_is_refused_in_chinese_and_changes_nothing(world, media, tmp_path, settings):
    archive = backup(tmp_path / "b.backup")
    before = counts()
    settings.BACKUP_KEY = "备份密钥-乙"
    with pytest.raises(CommandError, match="备份密钥不正确"):
        restore(archive)
    assert counts() == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda data: data[:4000] + bytes([data[4000] ^ 1]) + data[4001:], "已损坏或被篡改"),
        (lambda data: data[:-50] + bytes([data[-50] ^ 1]) + data[-49:], "已损坏或被篡改"),
        (lambda data: data[: len(data) // 2], "不完整"),
        (lambda data: data + b"more", "已损坏或被篡改"),
    ],
    ids=["changed-early", "changed-at-the-end", "cut", "extended"],
)
def test_a_tampered_archive_is_refused_and_changes_nothing(world, media, tmp_path, change, message):
    archive = backup(tmp_path / "b.backup")
    archive.write_bytes(change(archive.read_bytes()))
    before, media_before = counts(), files(media)
    with pytest.raises(CommandError, match=message):
        restore(archive)
    assert counts() == before
    assert files(media) == media_before


def test_a_schema_with_other_migrations_is_refused(world, media, tmp_path):
    archive = backup(tmp_path / "b.backup")
    MigrationRecorder(connection).record_unapplied("partylife", "0007_scoped_files")
    before = counts()
    with pytest.raises(CommandError, match=r"数据库结构与本系统不一致.*partylife\.0007_scoped_files"):
        restore(archive)
    assert counts() == before


def test_production_refuses_to_back_up_without_a_key(db, settings, tmp_path):
    settings.PRODUCTION, settings.BACKUP_KEY = True, ""
    with pytest.raises(CommandError, match="DANGJIAN_BACKUP_KEY"):
        backup(tmp_path / "b.backup")
    assert list(tmp_path.iterdir()) == []


def test_an_existing_backup_is_not_overwritten(db, media, tmp_path):
    (tmp_path / "b.backup").write_bytes(b"old")
    with pytest.raises(CommandError, match="文件已存在"):
        backup(tmp_path / "b.backup")
    assert (tmp_path / "b.backup").read_bytes() == b"old"


def test_a_file_that_is_not_a_backup_is_refused(db, media, tmp_path):
    (tmp_path / "x.backup").write_bytes(b"PK\x03\x04 not ours")
    with pytest.raises(CommandError, match="不是本平台的备份文件"):
        restore(tmp_path / "x.backup")
