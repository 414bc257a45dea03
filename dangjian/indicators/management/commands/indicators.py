import json

from django.core.management.base import BaseCommand, CommandError

from dangjian.core.indicators import Period, all_indicators, compute, json_value
from dangjian.organizations.models import PartyOrganization


def _format(value):
    return "—" if value is None else str(value)


class Command(BaseCommand):
    help = "打印全部已登记指标在某年度、某范围内的数值。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="年度，如 2023")
        parser.add_argument("--scope", help="党组织全称（默认为根组织，即全区）")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args, year, scope, json: bool, **options):
        if scope:
            found = list(PartyOrganization.objects.filter(name=scope)[:2])
            if not found:
                raise CommandError(f"找不到党组织“{scope}”")
            if len(found) > 1:
                raise CommandError(f"名为“{scope}”的党组织有多个，无法确定范围")
            organization = found[0]
        else:
            roots = list(PartyOrganization.objects.roots()[:2])
            organization = roots[0] if len(roots) == 1 else None
        scope_name = organization.name if organization else "全部"
        period = Period.year(year)
        values = {}
        for indicator in all_indicators():
            result = compute(indicator.code, period=period, scope=organization)
            values[indicator.code] = (indicator, result.value)
        if json:
            self.stdout.write(_dumps(year, scope_name, values))
            return
        self.stdout.write(f"{year}年 · {scope_name}")
        width = max(len(code) for code in values) if values else 0
        for code, (indicator, value) in values.items():
            self.stdout.write(f"{code.ljust(width)}  {indicator.name}：{_format(value)} {indicator.unit}")


def _dumps(year, scope_name, values):
    payload = {
        "year": year,
        "scope": scope_name,
        "indicators": {
            code: {"name": indicator.name, "unit": indicator.unit, "value": json_value(value)}
            for code, (indicator, value) in values.items()
        },
    }
    return json.dumps(payload, ensure_ascii=False)
