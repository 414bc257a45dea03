from decimal import Decimal

from django.db import migrations

from dangjian.ratings import default_rubric


def load(apps, schema_editor):
    Rubric = apps.get_model("ratings", "Rubric")
    if Rubric.objects.filter(name=default_rubric.NAME).exists():
        return
    rubric = Rubric.objects.create(name=default_rubric.NAME, version=1, description=default_rubric.DESCRIPTION)
    RubricItem = apps.get_model("ratings", "RubricItem")
    for position, (area, name, points, evidence, methods, deductions, measures) in enumerate(
        default_rubric.ITEMS, start=1
    ):
        RubricItem.objects.create(
            rubric=rubric,
            position=position,
            area=area,
            name=name,
            points=Decimal(points),
            evidence=evidence,
            methods=methods,
            deductions=deductions,
            measures=measures,
        )
    Threshold = apps.get_model("ratings", "Threshold")
    for stars, (minimum, brand) in default_rubric.THRESHOLDS.items():
        Threshold.objects.create(rubric=rubric, stars=stars, min_score=Decimal(minimum), requires_brand=brand)
    VetoItem = apps.get_model("ratings", "VetoItem")
    for position, name in enumerate(default_rubric.VETOES, start=1):
        VetoItem.objects.create(rubric=rubric, position=position, name=name, cap_stars=1)


class Migration(migrations.Migration):
    dependencies = [("ratings", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
