"""Encrypted backups of the whole installation, and their restore (`manage.py backup`,
`manage.py restore`).

An archive is a tar of three kinds of parts, encrypted as a whole:

- `manifest.json`: the format's version, when and from which database engine it was made, the
  applied migrations (a restore refuses a schema that differs) and the rows per table;
- `db/NNNNN.jsonl`: every row of every table (models, many-to-many tables, in dependency order),
  one JSON object a line, in parts of a few megabytes: a logical dump that SQLite and PostgreSQL
  both load. Personal data (EncryptedCharField) is read from the column as stored, so it stays
  ciphertext: the archive holds no clear ID number or phone even before it is encrypted;
- `media/...`: the uploaded files (MEDIA_ROOT).

The tar is encrypted with AES-256-GCM in chunks of 1 MB (memory bounded both ways). The file
starts with a header line naming the format, its version, the algorithm, the chunk size, a
random salt and a check value of the key; the archive key is derived from the backup key
(settings.BACKUP_KEY) and the salt with HKDF-SHA256. Each chunk is authenticated together with
the header, its number and whether it is the last, so a changed, reordered, cut or extended
archive is refused as a whole, and a wrong key is told apart from a damaged file.

A restore decrypts and checks while it loads: the data goes in one transaction (the old rows
removed, the archived ones written as they were, with raw inserts that bypass every model's
save(), so the audit log keeps its content), the files into a folder beside MEDIA_ROOT that takes
its place only when the whole archive has been read and checked; anything wrong undoes it all.
"""

import base64
import hashlib
import hmac
import io
import json
import os
import shutil
import struct
import tarfile
import tempfile
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.core.serializers import sort_dependencies
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.functions import Cast
from django.utils import timezone

from dangjian.audit.services import deleting_permitted

from . import crypto

MAGIC = b"DANGJIAN-BACKUP"
VERSION = 1
ALGORITHM = "AES-256-GCM"
CHUNK = 1024 * 1024
PART_BYTES = 4 * 1024 * 1024
BATCH = 500
RAW = "backup_raw_"  # the annotation that carries an encrypted column as stored


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator, in Chinese."""


# -- the key -------------------------------------------------------------------------------------


def backup_secret() -> bytes:
    key = getattr(settings, "BACKUP_KEY", "")
    if key:
        return key.encode()
    if settings.PRODUCTION:
        raise BackupError("生产环境必须设置备份密钥 DANGJIAN_BACKUP_KEY（不得与数据库或备份文件放在一起）")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"dangjian", info=b"backup").derive(
        settings.SECRET_KEY.encode()
    )


def _keys(secret: bytes, salt: bytes) -> tuple[bytes, str]:
    """(the archive's AES key, the check value that tells a wrong key)."""
    material = HKDF(algorithm=hashes.SHA256(), length=64, salt=salt, info=b"dangjian-backup-v1").derive(
        secret
    )
    return material[:32], hashlib.sha256(material[32:]).hexdigest()[:16]


# -- the encrypted container ---------------------------------------------------------------------


class EncryptingWriter(io.RawIOBase):
    """A write-only file: what is written goes out in authenticated chunks."""

    def __init__(self, out, secret: bytes):
        self.out, self.buffer, self.number = out, bytearray(), 0
        salt = os.urandom(16)
        self.key, check = _keys(secret, salt)
        self.prefix = os.urandom(8)
        header = {
            "version": VERSION,
            "algorithm": ALGORITHM,
            "chunk": CHUNK,
            "salt": base64.b64encode(salt).decode(),
            "nonce_prefix": base64.b64encode(self.prefix).decode(),
            "check": check,
        }
        self.header = MAGIC + b" " + json.dumps(header, sort_keys=True).encode() + b"\n"
        out.write(self.header)

    def writable(self):
        return True

    def write(self, data):
        self.buffer += data
        while len(self.buffer) > CHUNK:  # keep a chunk back: the last one is sealed as last
            self._seal(bytes(self.buffer[:CHUNK]), last=False)
            del self.buffer[:CHUNK]
        return len(data)

    def _seal(self, data: bytes, *, last: bool):
        nonce = self.prefix + struct.pack(">I", self.number)
        aad = self.header + struct.pack(">I?", self.number, last)
        sealed = AESGCM(self.key).encrypt(nonce, data, aad)
        self.out.write(struct.pack(">I", len(sealed)) + sealed)
        self.number += 1

    def finish(self):
        self._seal(bytes(self.buffer), last=True)
        self.buffer.clear()


def _read_header(src, secret: bytes):
    line = src.readline(4096)
    if not line.startswith(MAGIC + b" ") or not line.endswith(b"\n"):
        raise BackupError("不是本平台的备份文件")
    try:
        header = json.loads(line[len(MAGIC) + 1 :])
        salt = base64.b64decode(header["salt"])
        prefix = base64.b64decode(header["nonce_prefix"])
    except (ValueError, KeyError, TypeError):
        raise BackupError("备份文件头已损坏") from None
    if header.get("version") != VERSION or header.get("algorithm") != ALGORITHM:
        raise BackupError(f"不支持的备份格式：版本 {header.get('version')}，算法 {header.get('algorithm')}")
    key, check = _keys(secret, salt)
    if not hmac.compare_digest(check, str(header.get("check", ""))):
        raise BackupError("备份密钥不正确，无法解密该备份")
    return line, key, prefix


class DecryptingReader(io.RawIOBase):
    """A read-only file of the archive's clear bytes; every chunk is checked before it is read,
    and the end of the file must be the chunk sealed as the last."""

    def __init__(self, src, secret: bytes):
        self.src = src
        self.header, self.key, self.prefix = _read_header(src, secret)
        self.number, self.buffer, self.done = 0, b"", False

    def readable(self):
        return True

    def _next(self):
        size = self.src.read(4)
        if len(size) < 4:
            raise BackupError("备份文件不完整（被截断），已放弃恢复")
        (length,) = struct.unpack(">I", size)
        if length > CHUNK + 16:
            raise BackupError("备份文件已损坏或被篡改，已放弃恢复")
        sealed = self.src.read(length)
        if len(sealed) < length:
            raise BackupError("备份文件不完整（被截断），已放弃恢复")
        nonce = self.prefix + struct.pack(">I", self.number)
        for last in (False, True):
            try:
                data = AESGCM(self.key).decrypt(
                    nonce, sealed, self.header + struct.pack(">I?", self.number, last)
                )
            except InvalidTag:
                continue
            self.number += 1
            if last:
                if self.src.read(1):
                    raise BackupError("备份文件已损坏或被篡改，已放弃恢复")
                self.done = True
            return data
        raise BackupError("备份文件已损坏或被篡改，已放弃恢复")

    def readinto(self, target):
        while not self.buffer and not self.done:
            self.buffer = self._next()
        n = min(len(target), len(self.buffer))
        target[:n], self.buffer = self.buffer[:n], self.buffer[n:]
        return n

    def verify_end(self):
        """Read to the end (a tar may stop before the last chunk): all of it must check."""
        while not self.done:
            self._next()


# -- the database as rows ------------------------------------------------------------------------


# emptied by a restore but not archived: a restore signs everyone out (a session of the old
# installation could otherwise belong to another user of the same id after it)
NOT_ARCHIVED = {"sessions"}


def _table_models() -> list:
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and not m._meta.swapped
    ]


def dumped_models() -> list:
    """Every archived table's model (many-to-many tables too), each after those it refers to."""
    chosen = [m for m in _table_models() if m._meta.app_label not in NOT_ARCHIVED]
    by_app = {}
    for model in chosen:
        by_app.setdefault(apps.get_app_config(model._meta.app_label), []).append(model)
    ordered = sort_dependencies(by_app.items(), allow_cycles=True)
    return ordered + [m for m in chosen if m not in ordered]


def _encrypted(field) -> bool:
    return isinstance(field, crypto.EncryptedCharField)


def _rows(model):
    """Each row as {column: JSON value}: personal data as stored (ciphertext), the rest as the
    field writes it (dates in ISO form, decimals as text, JSON as itself)."""
    fields = model._meta.concrete_fields
    secret = [f.name for f in fields if _encrypted(f)]
    queryset = model._base_manager.order_by(model._meta.pk.name)
    if secret:
        queryset = queryset.defer(*secret).annotate(
            **{RAW + name: Cast(name, output_field=models.TextField()) for name in secret}
        )
    for obj in queryset.iterator(chunk_size=2000):
        row = {}
        for field in fields:
            if _encrypted(field):
                row[field.column] = getattr(obj, RAW + field.name)
                continue
            value = field.value_from_object(obj)
            if value is None or isinstance(value, str | int | float | dict | list):  # bool is an int
                row[field.column] = value
            else:
                row[field.column] = field.value_to_string(obj)
        yield row


def applied_migrations(using_connection=None) -> list[list[str]]:
    recorder = MigrationRecorder(using_connection or connection)
    return sorted([app, name] for app, name in recorder.applied_migrations())


def _add(tar, name: str, data: bytes):
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
    tar.addfile(info, io.BytesIO(data))


def write_backup(out, *, progress=None) -> dict:
    """Write the encrypted archive to the binary file `out`; returns the manifest."""
    secret = backup_secret()
    writer = EncryptingWriter(out, secret)
    counts, part, number = {}, io.BytesIO(), 0
    with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:
        schema = {"version": VERSION, "engine": connection.vendor, "migrations": applied_migrations()}
        _add(tar, "schema.json", json.dumps(schema, ensure_ascii=False).encode())

        def flush_part():
            nonlocal part, number
            if part.tell():
                number += 1
                _add(tar, f"db/{number:05d}.jsonl", part.getvalue())
                part = io.BytesIO()

        with transaction.atomic():  # one consistent view of the data (PostgreSQL: one snapshot)
            for model in dumped_models():
                table = model._meta.db_table
                counts[table] = 0
                for row in _rows(model):
                    line = {"t": table, "r": row}
                    part.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode() + b"\n")
                    counts[table] += 1
                    if part.tell() >= PART_BYTES:
                        flush_part()
                if progress:
                    progress(f"{model._meta.verbose_name}（{table}）：{counts[table]} 条")
        flush_part()
        media = Path(settings.MEDIA_ROOT)
        files = 0
        if media.is_dir():
            for path in sorted(p for p in media.rglob("*") if p.is_file() and not p.is_symlink()):
                tar.add(str(path), arcname="media/" + path.relative_to(media).as_posix(), recursive=False)
                files += 1
        manifest = {
            "version": VERSION,
            "created_at": timezone.now().isoformat(),
            "engine": connection.vendor,
            "migrations": schema["migrations"],
            "tables": counts,
            "parts": number,
            "files": files,
        }
        _add(tar, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode())
    writer.finish()
    return manifest


# -- restoring -----------------------------------------------------------------------------------


def _column_fields(model) -> dict:
    return {f.column: f for f in model._meta.concrete_fields}


def _prepared(field, value):
    if value is None or _encrypted(field):
        return value  # personal data goes back as the ciphertext it was
    return field.get_db_prep_save(field.to_python(value), connection)


class _Loader:
    def __init__(self):
        self.tables = {m._meta.db_table: m for m in dumped_models()}
        self.pending, self.counts = {}, {}

    def row(self, line: dict):
        table = line.get("t")
        model = self.tables.get(table)
        if model is None:
            raise BackupError(f"备份中的数据表 {table} 在本系统中不存在")
        self.pending.setdefault(table, []).append(line["r"])
        if len(self.pending[table]) >= BATCH:
            self.write(table)

    def write(self, table):
        rows = self.pending.pop(table, [])
        if not rows:
            return
        model = self.tables[table]
        fields = _column_fields(model)
        columns = list(rows[0])
        unknown = [c for c in columns if c not in fields]
        if unknown:
            raise BackupError(f"备份中的数据表 {table} 有本系统没有的列：{'、'.join(unknown)}")
        q = connection.ops.quote_name
        sql = (
            f"INSERT INTO {q(table)} ({', '.join(q(c) for c in columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )
        params = [[_prepared(fields[c], row.get(c)) for c in columns] for row in rows]
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)
        self.counts[table] = self.counts.get(table, 0) + len(rows)

    def finish(self):
        for table in list(self.pending):
            self.write(table)


def _flush_all():
    if connection.vendor == "postgresql":
        connection.check_constraints()  # PostgreSQL truncates no table with pending deferred checks
    tables = [m._meta.db_table for m in _table_models()]
    statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=True)
    # the audit log is replaced with the archive's entries, chain and all (on PostgreSQL only the
    # tables' owner may empty it: a restore runs as the owner, as migrate does)
    with deleting_permitted(), connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _reset_sequences():
    statements = connection.ops.sequence_reset_sql(no_style(), dumped_models())
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _safe_member(name: str) -> str | None:
    """The path inside MEDIA_ROOT of an archived file, or None for a name that would leave it."""
    relative = name[len("media/") :]
    parts = Path(relative).parts
    if not relative or Path(relative).is_absolute() or ".." in parts:
        return None
    return relative


def _migration_difference(archived, present) -> str:
    archived, present = {tuple(m) for m in archived}, {tuple(m) for m in present}
    missing = sorted(archived - present)
    extra = sorted(present - archived)
    lines = []
    if missing:
        lines.append("本系统未执行的迁移：" + "、".join(f"{a}.{n}" for a, n in missing[:10]))
    if extra:
        lines.append("备份之后新增的迁移：" + "、".join(f"{a}.{n}" for a, n in extra[:10]))
    return "；".join(lines)


def _check_schema(data: bytes):
    schema = json.loads(data)
    difference = _migration_difference(schema["migrations"], applied_migrations())
    if difference:
        raise BackupError(
            "备份的数据库结构与本系统不一致，已放弃恢复（请安装与备份时相同的版本并执行迁移）：" + difference
        )


def restore_backup(src, *, progress=None) -> dict:
    """Replace the database's data and the uploaded files with the archive's; returns the
    manifest. Nothing changes unless the whole archive reads and checks."""
    reader = DecryptingReader(src, backup_secret())
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=media.parent))
    old, swapped = None, False
    try:
        with transaction.atomic():
            loader, schema, manifest, files = _Loader(), False, None, 0
            with tarfile.open(fileobj=io.BufferedReader(reader, CHUNK), mode="r|") as tar:
                for member in tar:
                    if not schema:
                        if member.name != "schema.json":
                            raise BackupError("备份文件缺少数据库结构说明（schema.json），已放弃恢复")
                        _check_schema(tar.extractfile(member).read())
                        _flush_all()  # only now: the archive is ours and fits this schema
                        schema = True
                    elif member.name.startswith("db/") and member.isfile():
                        for raw in tar.extractfile(member):
                            loader.row(json.loads(raw))
                    elif member.name.startswith("media/") and member.isfile():
                        relative = _safe_member(member.name)
                        if relative is None:
                            raise BackupError(f"备份中的文件名不安全：{member.name}")
                        target = staging / relative
                        target.parent.mkdir(parents=True, exist_ok=True)
                        with tar.extractfile(member) as data, open(target, "wb") as out:
                            shutil.copyfileobj(data, out)
                        files += 1
                    elif member.name == "manifest.json":
                        manifest = json.loads(tar.extractfile(member).read())
            reader.verify_end()
            if manifest is None:
                raise BackupError("备份文件缺少清单（manifest.json），已放弃恢复")
            loader.finish()
            if loader.counts != {t: n for t, n in manifest["tables"].items() if n}:
                raise BackupError("备份中的数据行数与清单不符，已放弃恢复")
            connection.check_constraints(table_names=list(loader.tables))
            _reset_sequences()
            # the files last: once they are in place nothing but the commit remains
            if media.exists():
                old = media.with_name(f"{media.name}.before-restore-{timezone.now():%Y%m%d%H%M%S}")
                media.rename(old)
            staging.rename(media)
            swapped = True
            if progress:
                progress(f"已恢复 {sum(loader.counts.values())} 条数据、{files} 个文件")
    except BaseException:
        if swapped:
            media.rename(staging)
        if old is not None:
            old.rename(media)
        raise
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return manifest
