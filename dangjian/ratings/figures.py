"""The figures of Dangjian's own records that a self-assessment brings in beside the rubric's
items, so a secretary confirms instead of retyping. Each is computed for the organization's
subtree and the campaign's year, by the same indicator the summary states where there is one
(so the self-assessment and the figures page agree), and links to its records."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse

from dangjian.core import indicators
from dangjian.core.indicators import Context, Period, rate
from dangjian.core.rules import rules_for
from dangjian.enterprises.indicators import year_on_year
from dangjian.members import rules as member_rules
from dangjian.members.models import DevelopmentCase, DevelopmentStage
from dangjian.members.selectors import next_step
from dangjian.organizations.models import PartyOrganization
from dangjian.organizations.selectors import warning_counts
from dangjian.partylife.models import DutyItem


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: str
    compute: Callable  # (organization, year, today) -> (value or None, url)


def _indicator_url(code, organization, year):
    return f"{reverse('admin:indicator_records', args=[code])}?{urlencode({'year': year, 'scope': organization.pk})}"


def _from_indicator(code):
    def compute(organization, year, today):
        result = indicators.compute(code, period=Period.year(year), scope=organization, today=today)
        return result.value, _indicator_url(code, organization, year)

    return compute


def _overdue_meetings(organization, year, today):
    result = indicators.compute(
        "meetings.compliance_rate", period=Period.year(year), scope=organization, today=today
    )
    detail = result.detail
    value = detail["required"] - detail["held"] if detail.get("required") else 0
    return value, _indicator_url("meetings.compliance_rate", organization, year)


def _list_url(admin_name, organization, **filters):
    """The back office's list of the records under the organization."""
    query = urlencode({"org_path__startswith": organization.path, **filters})
    return f"{reverse(f'admin:{admin_name}_changelist')}?{query}"


def _subtree(organization):
    return PartyOrganization.objects.filter(path__startswith=organization.path)


def _warnings(organization, year, today):
    found = sum(warning_counts(user=None, organizations=_subtree(organization)).values())
    return found, f"{reverse('admin:warnings')}?{urlencode({'scope': organization.pk})}"


def _development_overdue(organization, year, today):
    values = rules_for(member_rules.DEVELOPMENT, today).values
    cases = DevelopmentCase.objects.filter(org_path__startswith=organization.path).exclude(
        stage__in=[DevelopmentStage.FULL, DevelopmentStage.CANCELLED]
    )
    overdue = sum(1 for case in cases if next_step(case, today, values).overdue)
    return overdue, _list_url("members_developmentcase", organization)


def _duty_completion(organization, year, today):
    counts = DutyItem.objects.filter(
        duty_list__org_path__startswith=organization.path, duty_list__year=year
    ).aggregate(total=Count("pk"), done=Count("pk", filter=Q(status="done")))
    return rate(counts["done"], counts["total"]), _list_url("partylife_dutylist", organization, year=year)


def growth(organization, year, field: str) -> Decimal | None:
    """Growth of `field` of 企业年度数据 under the organization, as enterprises.revenue_growth
    computes revenue's (the same function)."""
    return year_on_year(Context(period=Period.year(year), scope=organization), field)[0]


def _growth(field):
    def compute(organization, year, today):
        return growth(organization, year, field), _list_url("enterprises_enterprise", organization)

    return compute


MEASURES = {
    m.key: m
    for m in [
        Measure(
            "meetings.compliance_rate", "三会一课落实率", "%", _from_indicator("meetings.compliance_rate")
        ),
        Measure("meetings.overdue", "逾期未开的三会一课", "次", _overdue_meetings),
        Measure(
            "orgs.standardized_rate",
            "党支部标准化规范化达标率",
            "%",
            _from_indicator("orgs.standardized_rate"),
        ),
        Measure("orgs.warnings", "组织设置与换届预警", "条", _warnings),
        Measure("dues.collection_rate", "党费收缴率", "%", _from_indicator("dues.collection_rate")),
        Measure("members.newly_developed", "新发展党员", "名", _from_indicator("members.newly_developed")),
        Measure("development.overdue", "发展党员逾期环节", "个", _development_overdue),
        Measure("duties.completion", "履职清单完成率", "%", _duty_completion),
        Measure("activities.practice", "实践活动", "次", _from_indicator("activities.practice")),
        Measure("activities.public_welfare", "公益活动", "次", _from_indicator("activities.public_welfare")),
        Measure(
            "posts.responsibility_areas", "党员责任区", "个", _from_indicator("posts.responsibility_areas")
        ),
        Measure("posts.model_posts", "党员示范岗", "个", _from_indicator("posts.model_posts")),
        Measure(
            "enterprises.revenue_growth",
            "企业营业收入同比增长",
            "%",
            _from_indicator("enterprises.revenue_growth"),
        ),
        Measure("enterprises.tax_growth", "企业利税同比增长", "%", _growth("profit_tax")),
        Measure("enterprises.jobs_growth", "企业新增就业同比增长", "%", _growth("new_jobs")),
        Measure("requests.satisfaction", "企业服务满意度", "分", _from_indicator("requests.satisfaction")),
    ]
}
MEASURE_CHOICES = [(key, m.label) for key, m in MEASURES.items()]


def measure_label(key) -> str:
    measure = MEASURES.get(key)
    return measure.label if measure else key


def take(organization, year: int, today: datetime.date) -> list[tuple[Measure, object, str]]:
    """Every figure for the organization's subtree and the year: (measure, value, url)."""
    taken = []
    for measure in MEASURES.values():
        value, url = measure.compute(organization, year, today)
        taken.append((measure, value, url))
    return taken
