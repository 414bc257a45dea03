import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dangjian.audit import integrity


class Command(BaseCommand):
    help = (
        "把某日以前的审计记录归档到文件（gzip 压缩的 JSON 行，含哈希链，可单独校验），校验无误后才从库中移除。"
        "只能归档保存期（AUDIT_RETENTION_DAYS，至少 180 天）以前的记录；须以数据库属主身份运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, help="归档此日期（YYYY-MM-DD，当地时间）以前的记录")
        parser.add_argument("--output", required=True, help="归档文件（不覆盖已有文件）")

    def handle(self, *args, before, output, **options):
        try:
            day = datetime.date.fromisoformat(before)
        except ValueError:
            raise CommandError(f"--before 应为 YYYY-MM-DD 格式的日期，而不是“{before}”") from None
        retention = max(settings.AUDIT_RETENTION_DAYS, settings.AUDIT_MIN_RETENTION_DAYS)
        latest = timezone.localdate() - datetime.timedelta(days=retention)
        if day > latest:
            raise CommandError(
                f"审计记录至少保存 {retention} 天：--before 不得晚于 {latest:%Y-%m-%d}（今天往前 {retention} 天）"
            )
        path = Path(output)
        if path.exists():
            raise CommandError(f"归档文件 {path} 已存在，不覆盖")
        if not path.parent.is_dir():
            raise CommandError(f"归档文件所在的目录 {path.parent} 不存在")
        if not integrity.runs_as_owner():
            raise CommandError("归档须以数据库属主身份运行：设置 DANGJIAN_DB_OWNER=1 与 DATABASE_OWNER_URL")
        checked = integrity.verify_database()
        if not checked.ok:
            raise CommandError(f"审计链校验未通过，不归档：{checked.problem}", returncode=2)
        try:
            result = integrity.archive(before=day, output=path)
        except integrity.IntegrityError as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(f"归档失败，库中的记录未删除：{exc}") from None
        if not result.count:
            self.stdout.write(f"没有 {day:%Y-%m-%d} 以前可归档的审计记录（最新一条总是留在库中）")
            return
        self.stdout.write(
            f"已归档 {result.count} 条审计记录（第 {result.first.id}—{result.last.id} 号）到 {path}，"
            f"末条哈希 {result.last.hash}；已校验并从库中移除，锚点已记入 {integrity.anchor_path()}"
        )
