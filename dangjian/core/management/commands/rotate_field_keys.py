from django.core.management.base import BaseCommand, CommandError

from dangjian.core import crypto
from dangjian.core.key_rotation import rotate_field_keys


class Command(BaseCommand):
    help = (
        "用当前配置的算法（FIELD_CIPHER）的第一个密钥重新加密全部个人敏感信息，并按当前摘要密钥重算检索摘要；"
        "分批进行，每批一个事务，中断后再次运行即可继续。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="每批处理的记录数（默认 500）")

    def handle(self, *args, batch_size, **options):
        if batch_size < 1:
            raise CommandError("每批处理的记录数必须大于 0")
        self.stdout.write(
            f"当前算法：{crypto.cipher_name()}，密钥编号：{crypto.current_prefix().split(':')[1]}"
        )
        try:
            reports = rotate_field_keys(
                batch_size=batch_size,
                progress=lambda r: self.stdout.write(f"  {r.name}：已处理 {r.rows} 条"),
            )
        except ValueError as exc:
            raise CommandError(f"{exc}：请确认旧密钥仍在配置中（解密需要旧密钥）") from None
        for r in reports:
            self.stdout.write(
                f"{r.name}：共 {r.rows} 条，重新加密 {r.reencrypted} 条，重算摘要 {r.rehashed} 条"
            )
        self.stdout.write(self.style.SUCCESS("密钥轮换完成"))
