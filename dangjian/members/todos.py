"""The members app's part of 我的待办: development steps due within a month or overdue, and
members who have not paid last month's dues (or longer), for whoever keeps them."""

import datetime

from django.urls import reverse

from dangjian.core.registry import TodoItem, todo_source
from dangjian.core.rules import rules_for
from dangjian.core.scope import restrict

from . import rules
from .models import DevelopmentCase, DevelopmentStage, Member
from .selectors import next_step, unpaid_streaks
from .services.dues import month_start

DEVELOPMENT_NOTICE_DAYS = 30  # a step due within this many days is on the list


@todo_source("development_due", "发展党员到期步骤", order=30)
def development_due(user, today, limit):
    if not user.has_perm("members.change_developmentcase"):
        return None
    values = rules_for(rules.DEVELOPMENT, today).values
    cases = restrict(user, DevelopmentCase.objects.select_related("organization"), "change").exclude(
        stage__in=[DevelopmentStage.FULL, DevelopmentStage.CANCELLED]
    )
    horizon = today + datetime.timedelta(days=DEVELOPMENT_NOTICE_DAYS)
    items = []
    for case in cases:
        entry = next_step(case, today, values)
        if entry.due is None or entry.due > horizon:
            continue
        when = "已于" if entry.overdue else "应于"
        items.append(
            TodoItem(
                f"{case.name}（{case.organization.name}）：{entry.next_step}，{when} {entry.due:%Y-%m-%d} 前",
                reverse("admin:members_developmentcase_change", args=[case.pk]),
                entry.due,
                entry.overdue,
            )
        )
    return len(items), items, reverse("admin:members_developmentcase_pipeline")


@todo_source("dues_unpaid", "党费欠缴", order=40)
def dues_unpaid(user, today, limit):
    if not user.has_perm("members.change_duesassessment"):
        return None
    last_month = month_start(month_start(today) - datetime.timedelta(days=1))
    members = restrict(user, Member.objects.filter(left_on__isnull=True), "view")
    streaks = {m: s for m, s in unpaid_streaks(members.values("pk"), last_month, most=12).items() if s}
    owing = Member.objects.filter(pk__in=list(streaks)).select_related("organization").order_by("pk")
    ordered = sorted(owing, key=lambda m: -streaks[m.pk])
    items = [
        TodoItem(
            f"{m.name}（{m.organization.name if m.organization else '—'}）：已连续 {streaks[m.pk]} 个月未交清党费",
            f"{reverse('admin:members_dues_ledger')}?organization={m.organization_id}&month={last_month:%Y-%m}",
            last_month,
            True,
        )
        for m in ordered[:limit]
    ]
    return len(streaks), items, reverse("admin:members_dues_ledger")
