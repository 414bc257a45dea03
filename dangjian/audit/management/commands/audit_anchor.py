from django.core.management.base import BaseCommand, CommandError

from dangjian.audit import integrity


class Command(BaseCommand):
    help = "把审计链的链首（最新一条的编号与哈希）追加写入库外的锚点文件（每日定时运行）。"

    def handle(self, *args, **options):
        try:
            link = integrity.anchor_head()
        except OSError as exc:
            raise CommandError(f"无法写入锚点文件 {integrity.anchor_path()}：{exc}") from None
        self.stdout.write(
            f"已写入锚点 {integrity.anchor_path()}：第 {link.id} 号记录（序号 {link.seq}），哈希 {link.hash}"
        )
