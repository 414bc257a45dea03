"""The enterprises' part of 我的待办, for whoever imports the ledgers: last year's 企业年度数据 (营业收入,
利税, 新增就业) not yet recorded for enterprises settled before the year ended, which the revenue
growth figure and the summary need."""

import datetime

from django.urls import reverse

from dangjian.core.ledgers import get_ledger
from dangjian.core.registry import TodoItem, todo_source
from dangjian.core.scope import restrict

from .models import Enterprise


@todo_source("enterprise_years_missing", "待导入的台账", order=100)
def enterprise_years_missing(user, today, limit):
    ledger = get_ledger("enterprise_years")
    if not ledger.may(user):
        return None
    year = today.year - 1
    missing = (
        restrict(user, Enterprise.objects.all(), "view")
        .exclude(settled_on__gt=datetime.date(year, 12, 31))
        .exclude(years__year=year)
    )
    count = missing.count()
    if not count:
        return 0, [], ""
    url = reverse("admin:ledger_import", args=[ledger.name])
    title = f"{year}年企业年度数据（营业收入、利税、新增就业）尚有 {count} 家企业未录入"
    return 1, [TodoItem(title, url)], url
