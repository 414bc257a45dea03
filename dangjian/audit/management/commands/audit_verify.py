from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dangjian.audit import integrity

TAMPERED = 2  # the exit status when the chain, an anchor or an archive does not verify


class Command(BaseCommand):
    help = "校验审计日志的哈希链（逐条、按编号顺序）及库外锚点；--archive 校验归档文件。"

    def add_arguments(self, parser):
        parser.add_argument("--archive", action="append", default=[], help="校验此归档文件（可多次）")
        parser.add_argument("--anchors", help="锚点文件（默认 settings.AUDIT_ANCHOR_FILE）")

    def handle(self, *args, archive, anchors, **options):
        for name in archive:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"找不到归档文件 {path}")
            try:
                result = integrity.verify_archive(path)
            except integrity.IntegrityError as exc:
                raise CommandError(str(exc), returncode=TAMPERED) from None
            if not result.ok:
                raise CommandError(f"归档文件 {path} 校验失败：{result.problem}", returncode=TAMPERED)
            self.stdout.write(
                f"归档文件 {path} 完整：共 {result.count} 条记录（第 {result.first.id}—{result.last.id} 号），"
                f"末条哈希 {result.last.hash}"
            )
        if archive:
            return
        anchor_file = Path(anchors) if anchors else integrity.anchor_path()
        result = integrity.verify_database(anchor_file=anchor_file)
        if not result.ok:
            raise CommandError(f"审计链校验失败：{result.problem}", returncode=TAMPERED)
        if result.last is None:
            self.stdout.write("审计链完整：库中没有审计记录")
        else:
            self.stdout.write(
                f"审计链完整：共 {result.count} 条记录（第 {result.first.id}—{result.last.id} 号），"
                f"链头哈希 {result.last.hash}（校验于 {timezone.localtime():%Y-%m-%d %H:%M:%S}）"
            )
        if anchor_file.exists():
            found, _tails, _problem = integrity.read_anchors(anchor_file)
            self.stdout.write(f"已核对锚点文件 {anchor_file} 中的 {len(found)} 个锚点")
        else:
            self.stdout.write(f"未找到锚点文件 {anchor_file}：没有核对库外锚点")
