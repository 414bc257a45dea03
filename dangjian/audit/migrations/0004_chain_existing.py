"""Chain the entries written before the chain existed, in id order (run as the table's owner: on
PostgreSQL the trigger of 0002 is set aside for these updates and put back at once)."""

from django.db import migrations

from dangjian.audit import chain


def forward(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    connection = schema_editor.connection
    table = AuditEntry._meta.db_table
    postgres = connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute(f"ALTER TABLE {table} DISABLE TRIGGER audit_entry_immutable")
    seq, previous = 0, chain.GENESIS
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        seq += 1
        entry.seq, entry.prev_hash = seq, previous
        entry.ip = chain.stored_ip(entry.ip)
        entry.hash = previous = chain.entry_hash(previous, chain.fields_of(entry))
        AuditEntry.objects.filter(pk=entry.pk).update(
            seq=entry.seq, prev_hash=entry.prev_hash, hash=entry.hash, ip=entry.ip
        )
    if postgres:
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute(f"ALTER TABLE {table} ENABLE TRIGGER audit_entry_immutable")


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_chain_fields")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
