from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from dangjian.core.ledgers import export_ledger, get_ledger, ledgers


class Command(BaseCommand):
    help = "导出台账为 .xlsx 或 .csv（按文件扩展名），表头与导入一致，可原样再导入。"

    def add_arguments(self, parser):
        parser.add_argument("ledger", help="台账名称：" + "、".join(lg.name for lg in ledgers()))
        parser.add_argument("file")
        parser.add_argument("--user", help="按该用户的数据范围导出（默认导出全部）")
        parser.add_argument(
            "--reveal",
            "--confirm-reveal",
            action="store_true",
            dest="reveal",
            help="导出完整的身份证号、手机号码等个人敏感信息（记入审计日志）；"
            "不加时这些列脱敏导出（不能原样再导入）",
        )

    def handle(self, *args, ledger, file, user, reveal, **options):
        try:
            masked = bool(get_ledger(ledger).reveals) and not reveal
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
                ledger, user=actor, fmt=fmt, source="command", reveal_confirmed=reveal, masked=masked
            )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        Path(file).write_bytes(data)
        note = "（个人敏感信息已脱敏，不能原样再导入；完整导出请加 --reveal）" if masked else ""
        self.stdout.write(f"已导出到 {file}{note}")
