"""Re-encrypting personal data with the configured algorithm's first key, and recomputing the
keyed hashes beside it (`manage.py rotate_field_keys`).

Every EncryptedCharField of every model is read as stored (raw SQL, so nothing is decrypted on
the way in by the field), decrypted with whichever key and algorithm its prefix names, and written
again with `crypto.encrypt` when it is not already under the current prefix. A `<name>_hash`
column beside the field is recomputed from the clear value with the current hash key and
algorithm: so a new FIELD_HASH_KEY (or the change to HMAC-SM3) needs no old hash key.

Rows go by primary key in batches, each batch in its own transaction; a row already current is
left alone, so a rotation that stops part-way is simply run again (resumable)."""

from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, transaction

from dangjian.audit.services import AuditEntry, acting_as, audit_record

from . import crypto


@dataclass
class ModelReport:
    label: str
    name: str
    rows: int = 0
    reencrypted: int = 0
    rehashed: int = 0
    fields: list = field(default_factory=list)


def encrypted_fields(model) -> list:
    return [f for f in model._meta.concrete_fields if isinstance(f, crypto.EncryptedCharField)]


def encrypted_models() -> list:
    return [m for m in apps.get_models() if not m._meta.proxy and encrypted_fields(m)]


def _hash_column(model, name):
    try:
        hashed = model._meta.get_field(f"{name}_hash")
    except FieldDoesNotExist:  # no keyed-hash column beside this field
        return None
    return hashed.column if hashed.concrete else None


def _rotate_batch(model, columns, after, batch_size, report):
    q = connection.ops.quote_name
    table, pk = q(model._meta.db_table), q(model._meta.pk.column)
    names = [c for pair in columns for c in pair if c]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {pk}, {', '.join(q(c) for c in names)} FROM {table} WHERE {pk} > %s ORDER BY {pk} LIMIT %s",
            [after, batch_size],
        )
        rows = cursor.fetchall()
        prefix = crypto.current_prefix()
        for row in rows:
            stored = dict(zip(names, row[1:], strict=True))
            changes, reencrypted, rehashed = {}, False, False
            for column, hash_column in columns:
                token = stored[column]
                clear = crypto.decrypt(token) if token else token
                if token and not token.startswith(prefix):
                    changes[column], reencrypted = crypto.encrypt(clear), True
                if hash_column:
                    old = stored[hash_column] or ""
                    new = crypto.keyed_hash(clear or "") if (clear or old) else old
                    if new != old:
                        changes[hash_column], rehashed = new, True
            if changes:
                sets = ", ".join(f"{q(c)} = %s" for c in changes)
                cursor.execute(f"UPDATE {table} SET {sets} WHERE {pk} = %s", [*changes.values(), row[0]])
            report.rows += 1
            report.reencrypted += reencrypted
            report.rehashed += rehashed
    return rows[-1][0] if rows else None


def rotate_field_keys(*, batch_size: int = 500, progress=None) -> list[ModelReport]:
    """Rotate every encrypted value; `progress(report)` is called after each batch."""
    reports = []
    with acting_as(None):
        for model in encrypted_models():
            fields = encrypted_fields(model)
            columns = [(f.column, _hash_column(model, f.name)) for f in fields]
            report = ModelReport(model._meta.label_lower, str(model._meta.verbose_name), fields=fields)
            after = 0 if model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField") else ""
            while (after := _rotate_batch(model, columns, after, batch_size, report)) is not None:
                if progress:
                    progress(report)
            reports.append(report)
        audit_record(
            AuditEntry.Action.EVENT,
            actor_label="rotate_field_keys",
            message="轮换个人信息加密密钥："
            + "；".join(
                f"{r.name} {r.rows} 条，重新加密 {r.reencrypted} 条，重算摘要 {r.rehashed} 条"
                for r in reports
            ),
        )
    return reports
