from django.core.management.base import BaseCommand, CommandError

from dangjian.core.demo import DEMO_PASSWORD
from dangjian.core.registry import demo_logins
from dangjian.organizations.models import PartyOrganization
from dangjian.site.demo import load_demo_zone


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
