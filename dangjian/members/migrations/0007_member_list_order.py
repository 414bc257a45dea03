from django.db import migrations, models

import dangjian.core.paths

# The paths' statistics at a province's size: with the default 100 histogram entries a county is
# about one entry, and PostgreSQL guesses `org_path LIKE 'county%'` at a hundredth of its rows;
# a thousand entries make it see the county.
PATH_STATISTICS = [("members_member", "org_path"), ("members_membership", "org_path")]


def path_statistics(target):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table, column in PATH_STATISTICS:
            schema_editor.execute(
                f"ALTER TABLE {schema_editor.quote_name(table)} "
                f"ALTER COLUMN {schema_editor.quote_name(column)} SET STATISTICS {int(target)}"
            )

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0006_birth_date_masked"),
        ("organizations", "0002_org_record"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="member",
            index=models.Index(
                dangjian.core.paths.InByteOrder(models.F("org_path")),
                models.F("name"),
                models.F("id"),
                name="member_list_order",
            ),
        ),
        migrations.RunPython(path_statistics(1000), path_statistics(-1)),
    ]
