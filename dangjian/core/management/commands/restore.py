from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dangjian.audit.services import AuditEntry, audit_context, audit_record
from dangjian.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "从备份文件恢复：清空本系统数据库的全部数据和上传的文件，换成备份中的内容。"
        "本系统须已执行与备份时相同的迁移。恢复时请先停止网站服务。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="backup 命令写出的备份文件")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive", help="不询问确认"
        )

    def handle(self, *args, file, interactive, **options):
        source = Path(file)
        if not source.is_file():
            raise CommandError(f"备份文件不存在：{source}")
        if interactive:
            answer = input("恢复将清空本系统的全部数据和上传文件，换成备份中的内容。输入 yes 继续：")
            if answer.strip().lower() != "yes":
                raise CommandError("已取消恢复")
        try:
            with open(source, "rb") as src:
                manifest = restore_backup(src, progress=lambda line: self.stdout.write("  " + line))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        with audit_context(source="command", label="命令 restore"):
            audit_record(
                AuditEntry.Action.EVENT,
                message=f"从备份恢复系统：{source.name}（备份时间 {manifest['created_at']}）",
            )
        self.stdout.write(self.style.SUCCESS(f"恢复完成：备份时间 {manifest['created_at']}"))
