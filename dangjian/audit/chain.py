"""The audit log's hash chain.

Every entry carries `seq` (its place in the chain, 1, 2, 3, … with no gap), `prev_hash` (the hash
of the entry before it, or GENESIS for the first) and `hash`: the HMAC-SHA256, keyed with
settings.AUDIT_CHAIN_KEY (kept outside the database), of the previous hash and the entry's
canonical content. Changing an entry's content changes its hash; deleting an entry leaves a gap
in `seq` and a `prev_hash` that no longer matches; and without the key no one can compute the
hashes of a rewritten chain.

Canonical content is what the database gives back, whatever the vendor: sorted JSON keys,
integral floats as integers (PostgreSQL's jsonb writes 1e20 as 100000000000000000000), the time
in UTC with microseconds, the IP address as Python's ipaddress writes it.

Writers never fork the chain: `lock` takes a transaction-level advisory lock on PostgreSQL
before the head is read; SQLite transactions already take the write lock when they begin
(settings.SQLITE_OPTIONS). This module imports nothing from dangjian.core."""

import contextlib
import datetime
import hashlib
import hmac
import ipaddress
import json
import math
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import connections
from django.utils import timezone

GENESIS = "0" * 64
# pg_advisory_xact_lock's key: the first 8 bytes of sha256("dangjian.audit.chain"), as a signed bigint
LOCK_KEY = int.from_bytes(hashlib.sha256(b"dangjian.audit.chain").digest()[:8], "big", signed=True)
CANONICAL_FIELDS = (
    "seq",
    "at",
    "action",
    "actor",
    "actor_label",
    "source",
    "ip",
    "content_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "message",
)


TEXT_FIELDS = ("action", "actor_label", "source", "object_id", "object_repr", "message")


def _key() -> bytes:
    return str(settings.AUDIT_CHAIN_KEY).encode()


def _numbers(value):
    """JSON values with integral floats as integers, at any depth."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(k): _numbers(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_numbers(v) for v in value]
    return value


def stored_json(value):
    """A before/after value as the database will give it back: what JSON can hold (tuples become
    lists, keys strings), and a number that is not finite as text (jsonb has no NaN)."""
    if value is None:
        return None

    def finite(v):
        if isinstance(v, float) and not math.isfinite(v):
            return str(v)
        if isinstance(v, dict):
            return {str(k): finite(x) for k, x in v.items()}
        if isinstance(v, list | tuple):
            return [finite(x) for x in v]
        return v

    return json.loads(json.dumps(finite(value), ensure_ascii=False))


def stored_ip(value):
    """An IP address the database can hold, or None (a forwarded header may carry anything)."""
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(str(value).strip()))
    except ValueError:
        return None


def utc_text(at: datetime.datetime) -> str:
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    return at.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def fields_of(entry) -> dict:
    """The hashed fields of an entry (an AuditEntry), as JSON values."""
    return {
        "seq": entry.seq,
        "at": utc_text(entry.at),
        "action": entry.action,
        "actor": entry.actor_id,
        "actor_label": entry.actor_label,
        "source": entry.source,
        "ip": stored_ip(entry.ip),
        "content_type": entry.content_type_id,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "before": entry.before,
        "after": entry.after,
        "message": entry.message,
    }


def canonical(fields: dict) -> str:
    content = {name: fields.get(name) for name in CANONICAL_FIELDS}
    if content["ip"] is not None:
        content["ip"] = stored_ip(content["ip"])
    return json.dumps(
        _numbers(content), sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=True
    )


def entry_hash(prev_hash: str, fields: dict) -> str:
    message = (prev_hash + "\n" + canonical(fields)).encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


def mac(text: str) -> str:
    """The key's signature of a line written outside the database (an anchor, an archive's end)."""
    return hmac.new(_key(), ("dangjian-audit-line\n" + text).encode(), hashlib.sha256).hexdigest()


_delete_permitted: ContextVar[bool] = ContextVar("dangjian_audit_delete_permitted", default=False)


@contextlib.contextmanager
def deleting_permitted():
    """On SQLite, let this thread delete audit entries (the archive, after it wrote them out, and
    `flush`); on PostgreSQL only the table's owner can, whatever this says."""
    token = _delete_permitted.set(True)
    try:
        yield
    finally:
        _delete_permitted.reset(token)


def register_sqlite_guard(sender, connection, **kwargs):
    """connection_created: the function the SQLite delete trigger asks (migration 0005)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "audit_delete_permitted", 0, lambda: int(_delete_permitted.get())
        )


def lock(using: str) -> None:
    """Serialize the chain's writers until the end of the current transaction."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def head(model, using: str):
    """(seq, hash) of the newest entry, or (0, GENESIS) for an empty log."""
    # a statement of its own after the lock: under READ COMMITTED it sees what the last holder committed
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT seq, hash FROM {model._meta.db_table} ORDER BY seq DESC LIMIT 1")
        last = cursor.fetchone()
    return tuple(last) if last else (0, GENESIS)


def seal(model, entries, using: str) -> None:
    """Give new entries their place in the chain and their hashes. Call inside a transaction,
    right before they are inserted."""
    lock(using)
    seq, previous = head(model, using)
    for entry in entries:
        if entry.at is None:
            entry.at = timezone.now()
        for name in TEXT_FIELDS:  # as the database gives them back: text (an object id may come as a number)
            value = getattr(entry, name)
            if value is not None and not isinstance(value, str):
                setattr(entry, name, str(value))
        entry.ip = stored_ip(entry.ip)
        entry.before = stored_json(entry.before)
        entry.after = stored_json(entry.after)
        seq += 1
        entry.seq = seq
        entry.prev_hash = previous
        entry.hash = entry_hash(previous, fields_of(entry))
        previous = entry.hash


@dataclass(frozen=True)
class Problem:
    """The first place where the chain does not hold."""

    reason: str  # 内容被修改 / 前序哈希不符 / 缺失 / 锚点不符
    detail: str
    entry_id: int | None = None
    at: datetime.datetime | None = None

    def __str__(self):
        where = ""
        if self.entry_id is not None:
            when = f"，时间 {timezone.localtime(self.at):%Y-%m-%d %H:%M:%S.%f}" if self.at else ""
            where = f"第 {self.entry_id} 号记录{when}："
        return f"{where}{self.reason}。{self.detail}"


@dataclass(frozen=True)
class Link:
    """One point of the chain: an entry's id, seq and hash (and, for an anchor, where it is written)."""

    id: int
    seq: int
    hash: str
    line: str = ""


@dataclass(frozen=True)
class Result:
    count: int
    first: Link | None
    last: Link | None
    problem: Problem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _check(row, fields, previous, start, anchor):
    """(reason, detail) of what is wrong with one row, or None."""
    if entry_hash(row["prev_hash"], fields) != row["hash"]:
        return "内容被修改", "记录的内容与其哈希不符"
    if previous is None:
        if row["seq"] != 1 and start is None:
            return "缺失", f"库中第一条之前缺失序号 1—{row['seq'] - 1} 的记录（且没有对应的归档）"
        if row["seq"] == 1 and row["prev_hash"] != GENESIS:
            return "前序哈希不符", "链的第一条记录的前序哈希不是起点"
    elif row["seq"] > previous.seq + 1:
        missing = row["seq"] - previous.seq - 1
        where = f"第 {previous.id} 号记录" if previous.id else "归档末条"
        return "缺失", f"{where}之后缺失 {missing} 条记录（序号 {previous.seq + 1}—{row['seq'] - 1}）"
    elif row["seq"] != previous.seq + 1:
        return "前序哈希不符", f"序号 {row['seq']} 不接续前一条记录的序号 {previous.seq}"
    elif row["prev_hash"] != previous.hash:
        where = f"第 {previous.id} 号记录" if previous.id else "归档末条"
        return "前序哈希不符", f"前序哈希与{where}的哈希不符"
    if anchor is not None and (anchor.id, anchor.hash) != (row["id"], row["hash"]):
        return "锚点不符", f"库外锚点（{anchor.line}）记录的该条哈希与库中不同"
    return None


def walk(rows, *, start: Link | None = None, anchors=()):
    """Check rows (dicts of the hashed fields plus id, prev_hash and hash), in chain order, against
    each other, against `start` (the point the rows follow: an archive's tail; None for rows
    that begin at the chain's start) and against `anchors` (Links recorded outside the
    database). Returns a Result naming the first problem."""
    by_seq = {anchor.seq: anchor for anchor in anchors}
    count, first, previous = 0, None, start
    for row in rows:
        at = row.get("at")
        at = datetime.datetime.fromisoformat(at) if isinstance(at, str) else at
        found = _check(row, dict(row, at=utc_text(at)), previous, start, by_seq.get(row["seq"]))
        if found:
            return Result(count, first, previous, Problem(*found, row["id"], at))
        here = Link(row["id"], row["seq"], row["hash"])
        count += 1
        first = first or here
        previous = here
    return Result(count, first, previous)
