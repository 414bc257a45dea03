from django.db import migrations


def move_content_types(apps, schema_editor):
    """The content types (and with them the permissions roles hold, the grants and the audit
    entries that name them) of cadres and assignments move from the projects app to this one."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    for model in ("cadre", "assignment"):
        old = ContentType.objects.using(db).filter(app_label="projects", model=model).first()
        if old is None:
            continue  # a new database: post_migrate makes them under this app
        new = ContentType.objects.using(db).filter(app_label="cadres", model=model).first()
        if new is not None:
            Permission.objects.using(db).filter(content_type=new).delete()
            new.delete()
        old.app_label = "cadres"
        old.save(update_fields=["app_label"])


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    ContentType.objects.using(db).filter(app_label="cadres", model__in=["cadre", "assignment"]).update(
        app_label="projects"
    )


class Migration(migrations.Migration):

    dependencies = [
        ("cadres", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("projects", "0002_cadres_moved"),
    ]

    operations = [
        migrations.AlterModelTable(name="assignment", table=None),
        migrations.AlterModelTable(name="cadre", table=None),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
