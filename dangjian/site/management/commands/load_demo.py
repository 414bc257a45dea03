from django.core.management.base import BaseCommand, CommandError

from dangjian.accounts.models import User
from dangjian.core.demo import DEMO_PASSWORD
from dangjian.core.registry import demo_logins
from dangjian.core.second_factor import secret_base32, totp_device
from dangjian.organizations.models import PartyOrganization
from dangjian.site.demo import DEMO_TOTP_SECRETS, load_demo_zone


class Command(BaseCommand):
    help = (
        "载入演示园区（商洛高新区党工委）：党组织、阵地、党员、企业，各应用的演示数据和每个角色一个演示账号。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="数据库已有党组织时跳过")

    def handle(self, *args, if_empty, **options):
        if PartyOrganization.objects.exists():
            if if_empty:
                self.stdout.write("数据库已有数据，跳过演示数据载入。")
                self.print_logins()
                return
            raise CommandError("数据库已有党组织；演示数据只能载入空数据库（可加 --if-empty 跳过）")
        load_demo_zone(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("演示园区已载入。"))
        self.print_logins()

    def print_logins(self):
        self.stdout.write("")
        self.stdout.write(
            "访问地址：http://127.0.0.1:8000/admin/    接口文档：http://127.0.0.1:8000/api/v1/docs/"
        )
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, description in demo_logins():
            self.stdout.write(f"  {username:<12} {description}")
        self.print_authenticators()

    def print_authenticators(self):
        accounts = [(u, totp_device(u)) for u in User.objects.filter(username__in=DEMO_TOTP_SECRETS)]
        accounts = [(u, d) for u, d in accounts if d is not None]
        if not accounts:
            return
        self.stdout.write("")
        self.stdout.write(
            "双因素认证：以下账号登录时还须输入认证器应用上的 6 位验证码。"
            "请在手机认证器应用中手动添加密钥（基于时间），或把 otpauth 地址生成二维码后扫描："
        )
        for user, device in sorted(accounts, key=lambda pair: pair[0].username):
            self.stdout.write(f"  {user.username:<12} 密钥 {secret_base32(device)}")
            self.stdout.write(f"  {'':<12} {device.config_url}")
