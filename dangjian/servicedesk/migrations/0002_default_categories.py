from django.db import migrations

CATEGORIES = [
    # name, accept within (working days), close within, 马上办
    ("马上办", 1, 5, True),
    ("政策咨询", 2, 10, False),
    ("审批代办", 2, 20, False),
    ("用工招聘", 2, 15, False),
    ("融资对接", 2, 20, False),
    ("要素保障", 2, 15, False),
    ("其他", 2, 15, False),
]


def add(apps, schema_editor):
    RequestCategory = apps.get_model("servicedesk", "RequestCategory")
    for order, (name, accept, close, immediate) in enumerate(CATEGORIES, start=1):
        RequestCategory.objects.get_or_create(
            name=name,
            defaults={"accept_workdays": accept, "close_workdays": close, "is_immediate": immediate, "sort_order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("servicedesk", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
