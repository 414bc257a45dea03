"""Enterprise contact phones are encrypted at rest (core.crypto.EncryptedCharField) with a keyed
hash to find an enterprise by its phone. Existing clear values are encrypted in place (read and
written as raw SQL, the model field would try to decrypt them); a value already encrypted is left
as it is, so the migration may run again. Reversed, the values are decrypted back."""

from django.db import migrations, models

import dangjian.core.crypto
from dangjian.core.crypto import decrypt, encrypt, keyed_hash


def _rows(schema_editor, table):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT id, contact_phone FROM {table} WHERE contact_phone <> ''")  # noqa: S608
        return cursor.fetchall()


def _plain(value):
    try:
        return decrypt(value)
    except ValueError:
        return None


def encrypt_phones(apps, schema_editor):
    table = apps.get_model("enterprises", "Enterprise")._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        for pk, value in _rows(schema_editor, table):
            plain = _plain(value)
            if plain is None:
                plain, value = value, encrypt(value)
            cursor.execute(
                f"UPDATE {table} SET contact_phone = %s, contact_phone_hash = %s WHERE id = %s",  # noqa: S608
                [value, keyed_hash(plain), pk],
            )


def decrypt_phones(apps, schema_editor):
    table = apps.get_model("enterprises", "Enterprise")._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        for pk, value in _rows(schema_editor, table):
            plain = _plain(value)
            if plain is not None:
                cursor.execute(f"UPDATE {table} SET contact_phone = %s WHERE id = %s", [plain, pk])  # noqa: S608


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0002_default_clusters"),
    ]

    operations = [
        migrations.AddField(
            model_name="enterprise",
            name="contact_phone_hash",
            field=models.CharField(
                blank=True, db_index=True, editable=False, max_length=64, verbose_name="联系电话摘要"
            ),
        ),
        migrations.AlterField(
            model_name="enterprise",
            name="contact_phone",
            field=dangjian.core.crypto.EncryptedCharField(blank=True, verbose_name="联系电话"),
        ),
        migrations.RunPython(encrypt_phones, decrypt_phones),
    ]
