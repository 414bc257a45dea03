import time

from django.core.management.base import BaseCommand
from django.db.models import Count
from django.utils import timezone

from dangjian.audit.context import audit_context
from dangjian.organizations.models import OrganizationWarning, PartyOrganization
from dangjian.organizations.services import refresh_warnings
from dangjian.organizations.warnings import warning_groups


class Command(BaseCommand):
    help = (
        "每日运行：重新计算全部党组织的组织预警并保存（任期届满、月份与季度结束等随日期变化的预警由此更新）。"
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        today = timezone.localdate()
        with audit_context(source="command", label="命令 refresh_warnings"):
            stored = refresh_warnings(today=today)
        organizations = PartyOrganization.objects.count()
        flagged = OrganizationWarning.objects.values("organization").distinct().count()
        counts = dict(OrganizationWarning.objects.order_by().values_list("group").annotate(n=Count("pk")))
        by_group = "，".join(f"{label} {counts.get(key, 0)} 条" for key, label in warning_groups().items())
        self.stdout.write(
            f"{today:%Y-%m-%d} 组织预警已刷新：{organizations} 个党组织，{flagged} 个有预警，共 {stored} 条"
            f"（{by_group}），用时 {time.monotonic() - started:.1f} 秒"
        )
