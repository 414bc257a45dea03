from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from dangjian.core.ledgers import get_ledger, import_ledger, ledgers


class Command(BaseCommand):
    help = "导入台账（.xlsx 或 .csv）：全部成功才写入，任何一行有错则不写入并列出全部错误。"

    def add_arguments(self, parser):
        parser.add_argument("ledger", help="台账名称：" + "、".join(lg.name for lg in ledgers()))
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="试导入：只检查并报告，不写入")
        parser.add_argument("--user", help="以该用户的身份和数据范围导入（默认以系统身份）")

    def handle(self, *args, ledger, file, dry_run, user, **options):
        try:
            get_ledger(ledger)
        except KeyError:
            raise CommandError(
                f"没有名为 {ledger} 的台账；可用：{'、'.join(lg.name for lg in ledgers())}"
            ) from None
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件 {file}")
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"没有可用的用户 {user}")
        report = import_ledger(
            ledger,
            path.read_bytes(),
            path.name,
            actor=actor,
            dry_run=dry_run,
            source="command",
            label=f"命令 import_ledger {ledger}",
        )
        if report.unknown_columns:
            self.stdout.write(f"未识别的列（已忽略）：{'、'.join(report.unknown_columns)}")
        if not report.ok:
            for error in report.errors:
                self.stderr.write(error)
            if report.errors_left_out:
                self.stderr.write(f"……另有 {report.errors_left_out} 个错误未列出")
            raise CommandError(report.summary())
        self.stdout.write(report.summary())
