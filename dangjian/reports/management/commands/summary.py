from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dangjian.organizations.models import PartyOrganization
from dangjian.reports.services import template_in_use
from dangjian.reports.summary import summary_document, summary_filename


class Command(BaseCommand):
    help = "由记录生成某年度（全区或某党组织及其下级）的党建工作综述 Word 文档。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="年度，如 2023")
        parser.add_argument("--scope", help="党组织全称（默认为全区）")
        parser.add_argument("--output", help="输出文件（默认为“〈范围〉〈年度〉年党建工作综述.docx”）")
        parser.add_argument("--template", help="用这个 Word 模板（默认为正在使用的模板，没有则用默认模板）")

    def handle(self, *args, year, scope, output, template, **options):
        organization = None
        if scope:
            found = list(PartyOrganization.objects.filter(name=scope)[:2])
            if not found:
                raise CommandError(f"找不到党组织“{scope}”")
            if len(found) > 1:
                raise CommandError(f"名为“{scope}”的党组织有多个，无法确定范围")
            organization = found[0] if found[0].depth > 1 else None
        if template:
            try:
                data = Path(template).read_bytes()
            except OSError as exc:
                raise CommandError(f"无法读取模板 {template}：{exc.strerror}") from None
        else:
            data = template_in_use()
        target = Path(output or summary_filename(year, organization))
        try:
            document = summary_document(year=year, scope=organization, template=data)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        target.write_bytes(document)
        self.stdout.write(f"已生成 {target}（{len(document) // 1024 + 1} KB）")
