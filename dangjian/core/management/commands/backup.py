import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dangjian.audit.services import AuditEntry, audit_context, audit_record
from dangjian.core.backup import BackupError, write_backup


class Command(BaseCommand):
    help = (
        "备份整个系统：数据库全部数据（个人敏感信息保持密文）与上传的文件，"
        "用备份密钥（DANGJIAN_BACKUP_KEY）加密写成一个文件。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="备份文件路径（已存在则不覆盖）")

    def handle(self, *args, output, **options):
        target = Path(output)
        if target.exists():
            raise CommandError(f"文件已存在：{target}（为免覆盖旧备份，请换一个文件名）")
        if not target.parent.is_dir():
            raise CommandError(f"目录不存在：{target.parent}")
        partial = target.with_name(target.name + ".partial")
        try:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise CommandError(f"另一个备份可能正在进行（{partial} 已存在）") from None
        try:
            with os.fdopen(fd, "wb") as out:
                manifest = write_backup(out, progress=lambda line: self.stdout.write("  " + line))
                out.flush()
                os.fsync(out.fileno())
            partial.rename(target)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        finally:
            partial.unlink(missing_ok=True)
        rows = sum(manifest["tables"].values())
        with audit_context(source="command", label="命令 backup"):
            audit_record(
                AuditEntry.Action.EVENT,
                message=f"备份系统：{rows} 条数据、{manifest['files']} 个文件，写入 {target.name}",
            )
        self.stdout.write(
            self.style.SUCCESS(f"备份完成：{target}（{rows} 条数据、{manifest['files']} 个文件）")
        )
