from django.core.management.base import BaseCommand

from dangjian.audit.context import audit_context
from dangjian.servicedesk.services import requests_auto_confirm, requests_escalate


class Command(BaseCommand):
    help = "每日运行：超时未受理、未办结的事项升级到承办人的分管领导；办结后逾期未确认的事项自动确认。"

    def handle(self, *args, **options):
        with audit_context(source="command", label="命令 servicedesk_daily"):
            escalated = requests_escalate(actor=None)
            confirmed = requests_auto_confirm(actor=None)
        self.stdout.write(f"升级 {escalated} 个超时事项，自动确认 {confirmed} 个事项")
