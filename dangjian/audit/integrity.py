"""Checking the audit chain, its anchors outside the database, and its archives.

Anchors: one line per anchor appended to settings.AUDIT_ANCHOR_FILE, each signed with the chain's
key (chain.mac), so a line cannot be forged or edited without the key:

    2026-12-02T01:00:00.000000+00:00<TAB>head<TAB>id=812<TAB>seq=812<TAB>hash=…<TAB>mac=…
    2026-12-02T01:05:00.000000+00:00<TAB>archive<TAB>id=400<TAB>seq=400<TAB>hash=…<TAB>file=…<TAB>mac=…

`head` is the newest entry when `audit_anchor` ran (daily); `archive` is the last entry an
archive took out of the database: the chain in the database continues from it.

Archives: gzip-compressed JSON lines, a header, one line per entry with its hashed fields, id,
prev_hash and hash (so the archive verifies by itself, with the key), and an end line with the
count and the last hash, signed."""

import datetime
import gzip
import io
import json
import os
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from . import chain
from .models import AuditEntry

ARCHIVE_FORMAT = "dangjian-audit-archive/1"
CHUNK = 2000
ROW_FIELDS = (
    "id",
    "prev_hash",
    "hash",
    *(f if f not in {"actor", "content_type"} else f + "_id" for f in chain.CANONICAL_FIELDS),
)


class IntegrityError(Exception):
    """An archive or anchor file that cannot be read or does not verify (the message is Chinese)."""


def _rows(queryset):
    for row in queryset.values(*ROW_FIELDS).iterator(chunk_size=CHUNK):
        row["actor"] = row.pop("actor_id")
        row["content_type"] = row.pop("content_type_id")
        yield row


# -- anchors ---------------------------------------------------------------------------------------
def anchor_path() -> Path:
    return Path(settings.AUDIT_ANCHOR_FILE)


def _append_anchor(kind: str, link: chain.Link, **extra) -> str:
    parts = [timezone.now().astimezone(datetime.UTC).isoformat(timespec="microseconds"), kind]
    parts += [f"id={link.id}", f"seq={link.seq}", f"hash={link.hash}"]
    parts += [f"{key}={value}" for key, value in extra.items()]
    text = "\t".join(parts)
    line = f"{text}\tmac={chain.mac(text)}"
    path = anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(line + "\n")
        out.flush()
        os.fsync(out.fileno())
    return line


def anchor_head(using="default") -> chain.Link:
    """Append the chain's head to the anchor file (the daily job)."""
    last = AuditEntry._base_manager.using(using).order_by("-seq").values_list("id", "seq", "hash").first()
    link = chain.Link(*last) if last else chain.Link(0, 0, chain.GENESIS)
    _append_anchor("head", link)
    return link


def read_anchors(path: Path | None = None):
    """(anchors, archive tails, problem): the file's signed lines as Links; a line that is not
    signed with the key is a problem (the file was edited)."""
    path = path or anchor_path()
    anchors, tails = [], []
    if not path.exists():
        return anchors, tails, None
    try:
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                problem = _read_anchor(path, number, line, anchors, tails)
                if problem:
                    return anchors, tails, problem
    except (OSError, UnicodeDecodeError) as exc:
        return anchors, tails, chain.Problem("无法读取锚点文件", f"{path}：{exc}")
    return anchors, tails, None


def _read_anchor(path, number, line, anchors, tails):
    line = line.rstrip("\n")
    if not line.strip():
        return None
    text, _, signature = line.rpartition("\tmac=")
    fields = text.split("\t")
    values = dict(part.split("=", 1) for part in fields[2:] if "=" in part)
    try:
        link = chain.Link(int(values["id"]), int(values["seq"]), values["hash"], f"锚点文件第 {number} 行")
    except (KeyError, ValueError):
        link = None
    if link is None or len(fields) < 2 or signature != chain.mac(text):
        return chain.Problem(
            "锚点不符", f"锚点文件 {path} 第 {number} 行的签名不符（被改动或不是本系统写入）"
        )
    if link.id:
        anchors.append(link)
        if fields[1] == "archive":
            tails.append(link)
    return None


# -- the chain in the database -----------------------------------------------------------------------
def verify_database(using="default", anchor_file: Path | None = None) -> chain.Result:
    """Walk the whole chain in id order, memory bounded, and check it against the anchors."""
    anchors, tails, problem = read_anchors(anchor_file)
    if problem:
        return chain.Result(0, None, None, problem)
    entries = AuditEntry._base_manager.using(using).order_by("id")
    first = entries.values_list("seq", flat=True).first()
    start = None
    if first is not None and first > 1:
        # the chain continues from an archive's tail
        start = next((tail for tail in tails if tail.seq == first - 1), None)
    result = chain.walk(_rows(entries), start=start, anchors=anchors)
    if not result.ok:
        return result
    last_seq = result.last.seq if result.last else 0
    beyond = [anchor for anchor in anchors if anchor.seq > last_seq]
    if beyond:
        anchor = min(beyond, key=lambda a: a.seq)
        detail = (
            f"{anchor.line}记录的第 {anchor.id} 号记录（序号 {anchor.seq}）不在库中："
            f"库中最新一条只到序号 {last_seq}，其后的记录被删除"
        )
        return chain.Result(result.count, result.first, result.last, chain.Problem("缺失", detail))
    return result


# -- archives ----------------------------------------------------------------------------------------
def _jsonable(row):
    return {**row, "at": chain.utc_text(row["at"])}


def write_archive(path: Path, queryset, *, before: datetime.date) -> chain.Result:
    """Write the entries of `queryset` (a prefix of the chain) to `path`; return what was written."""
    tmp = path.with_name(path.name + ".partial")
    count, first, last = 0, None, None
    with tmp.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb") as packed:
        out = io.TextIOWrapper(packed, encoding="utf-8")
        header = {"type": "header", "format": ARCHIVE_FORMAT, "before": before.isoformat()}
        out.write(json.dumps(header, ensure_ascii=False) + "\n")
        for row in _rows(queryset):
            out.write(
                json.dumps({"type": "entry", **_jsonable(row)}, ensure_ascii=False, sort_keys=True) + "\n"
            )
            last = chain.Link(row["id"], row["seq"], row["hash"])
            first = first or last
            count += 1
        end = {"count": count, "last_id": last.id, "last_seq": last.seq, "last_hash": last.hash}
        out.write(
            json.dumps({"type": "end", **end, "mac": chain.mac(json.dumps(end, sort_keys=True))}) + "\n"
        )
        out.flush()
        out.detach()
        packed.close()
        raw.flush()
        os.fsync(raw.fileno())
    os.replace(tmp, path)
    return chain.Result(count, first, last)


def verify_archive(path: Path) -> chain.Result:
    """Check an archive by itself: every entry's hash, the links between them, the signed end
    line."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            header = json.loads(next(lines))
            if header.get("format") != ARCHIVE_FORMAT:
                raise IntegrityError(f"{path} 不是审计日志归档文件")
            end = {}

            def entries():
                for line in lines:
                    record = json.loads(line)
                    if record.pop("type", None) == "end":
                        end.update(record)
                        return
                    yield record

            rows = entries()
            head = next(rows, None)
            if head is None:
                raise IntegrityError(f"{path} 中没有审计记录")
            start = None
            if head["seq"] > 1:
                start = chain.Link(0, head["seq"] - 1, head["prev_hash"])
            result = chain.walk(_chained(head, rows), start=start)
            for _ in rows:  # the rest after a problem, to reach the end line
                pass
    except (OSError, EOFError, ValueError, KeyError, TypeError, StopIteration) as exc:
        raise IntegrityError(f"无法读取归档文件 {path}：{exc}") from exc
    if not result.ok:
        return result
    signature = end.pop("mac", None)
    if not end or signature != chain.mac(json.dumps(end, sort_keys=True)):
        problem = chain.Problem("内容被修改", "归档文件的结尾行缺失或签名不符")
        return chain.Result(result.count, result.first, result.last, problem)
    if end["count"] != result.count or end["last_hash"] != result.last.hash:
        problem = chain.Problem(
            "缺失", f"归档文件结尾记 {end['count']} 条、末条哈希 {end['last_hash']}，实有 {result.count} 条"
        )
        return chain.Result(result.count, result.first, result.last, problem)
    return result


def _chained(head, rows):
    yield head
    yield from rows


def archive(*, before: datetime.date, output: Path, using="default") -> chain.Result:
    """Move the entries older than `before` (local date) to `output`: written, read back and
    verified, the tail anchored, and only then deleted (as the table's owner). The chain's newest
    entry always stays, so the database keeps its head."""
    start_of_day = timezone.make_aware(datetime.datetime.combine(before, datetime.time.min))
    entries = AuditEntry._base_manager.using(using).order_by("id")
    kept = entries.filter(at__gte=start_of_day).values_list("id", flat=True).first()
    if kept is None:
        kept = entries.reverse().values_list("id", flat=True).first()
    if kept is None:
        return chain.Result(0, None, None)
    prefix = entries.filter(id__lt=kept)
    if not prefix.exists():
        return chain.Result(0, None, None)
    written = write_archive(output, prefix, before=before)
    checked = verify_archive(output)
    if not checked.ok or (checked.count, checked.last) != (written.count, written.last):
        raise IntegrityError(f"归档文件 {output} 写入后校验不通过：{checked.problem or '条数或末条不符'}")
    table = AuditEntry._meta.db_table
    connection = connections[using]
    with transaction.atomic(using=using), chain.deleting_permitted(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id <= %s", [written.last.id])
        if cursor.rowcount != written.count:
            raise IntegrityError(
                f"归档文件有 {written.count} 条，库中可删除的却有 {cursor.rowcount} 条：已撤销，未删除任何记录"
            )
        _append_anchor("archive", written.last, file=str(output.resolve()))
    return written


def runs_as_owner(using="default") -> bool:
    """Whether this connection's role owns the audit table (on PostgreSQL; SQLite has no roles)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_has_role(current_user, relowner, 'MEMBER') FROM pg_class WHERE oid = %s::regclass",
            [AuditEntry._meta.db_table],
        )
        return bool(cursor.fetchone()[0])
