from django.core.management.base import BaseCommand

from dangjian.audit.context import audit_context
from dangjian.projects.services import problems_escalate


class Command(BaseCommand):
    help = "把超过办理时限的问题升级到责任人的分管领导（每个问题只升级一次）。可每日定时运行。"

    def handle(self, *args, **options):
        with audit_context(source="command", label="命令 escalate_problems"):
            count = problems_escalate(actor=None)
        self.stdout.write(f"已升级 {count} 个逾期问题")
