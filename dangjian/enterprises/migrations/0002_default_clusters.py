from django.db import migrations

DEFAULT_CLUSTERS = ["新材料", "生物医药", "新能源", "绿色食品", "电子信息", "现代服务业"]


def add_clusters(apps, schema_editor):
    IndustryCluster = apps.get_model("enterprises", "IndustryCluster")
    for order, name in enumerate(DEFAULT_CLUSTERS, start=1):
        IndustryCluster.objects.get_or_create(name=name, defaults={"sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]
    operations = [migrations.RunPython(add_clusters, migrations.RunPython.noop)]
