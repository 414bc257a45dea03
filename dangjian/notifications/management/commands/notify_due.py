import datetime

from django.core.management.base import BaseCommand, CommandError

from dangjian.audit.context import audit_context
from dangjian.notifications.services import send_reminders


class Command(BaseCommand):
    help = "每日运行：提醒逾期未办结的问题、即将到期或已到期的发展党员环节（同一事项每人每天最多提醒一次）。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按哪一天提醒（YYYY-MM-DD），默认今天")

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("日期格式应为 YYYY-MM-DD")
        with audit_context(source="command", label="命令 notify_due"):
            sent = send_reminders(today=today)
        self.stdout.write(f"发送 {sent} 条到期提醒")
