from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from dangjian.core.ledgers import RevealNotConfirmed, export_ledger, get_ledger, ledgers


class Command(BaseCommand):
    help = "导出台账为 .xlsx 或 .csv（按文件扩展名），表头与导入一致，可原样再导入。"

    def add_arguments(self, parser):
        parser.add_argument("ledger", help="台账名称：" + "、".join(lg.name for lg in ledgers()))
        parser.add_argument("file")
        parser.add_argument("--user", help="按该用户的数据范围导出（默认导出全部）")
        parser.add_argument(
            "--confirm-reveal",
            action="store_true",
            help="确认导出完整身份证号（含完整公民身份号码的台账必须加此项；导出记入审计日志）",
        )

    def handle(self, *args, ledger, file, user, confirm_reveal, **options):
        try:
            get_ledger(ledger)
        except KeyError:
            raise CommandError(
                f"没有名为 {ledger} 的台账；可用：{'、'.join(lg.name for lg in ledgers())}"
            ) from None
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"没有可用的用户 {user}")
        fmt = "csv" if file.lower().endswith(".csv") else "xlsx"
        try:
            data = export_ledger(
                ledger, user=actor, fmt=fmt, source="command", reveal_confirmed=confirm_reveal
            )
        except RevealNotConfirmed as exc:
            raise CommandError(f"{exc}：请加 --confirm-reveal 确认导出完整身份证号") from None
        Path(file).write_bytes(data)
        self.stdout.write(f"已导出到 {file}")
