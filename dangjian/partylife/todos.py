"""Party life's part of 我的待办: 组织生活 due this period or overdue this year, and duty-list items
past their deadline, for whoever records them."""

import datetime
from urllib.parse import urlencode

from django.urls import reverse

from dangjian.core.registry import TodoItem, todo_source
from dangjian.core.scope import restrict
from dangjian.organizations.models import PartyOrganization

from .models import DutyItem, DutyList, DutyStatus
from .selectors import compliance


@todo_source("meetings_due", "待开的组织生活", order=10)
def meetings_due(user, today, limit):
    if not user.has_perm("partylife.add_meeting"):
        return None
    organizations = restrict(user, PartyOrganization.objects.all(), "change")
    result = compliance(
        organizations=organizations, start=datetime.date(today.year, 1, 1), end=today, today=today
    )
    add = reverse("admin:partylife_meeting_add")
    items = []
    for r in result.requirements:
        record = f"{add}?{urlencode({'organization': r.organization.pk, 'kind': r.kind})}"
        for slot in r.overdue:
            items.append(
                TodoItem(
                    f"{r.organization.name}：{r.kind_label}（{slot.label}）逾期未开", record, slot.end, True
                )
            )
        if r.current and not r.current_held:
            items.append(
                TodoItem(
                    f"{r.organization.name}：{r.kind_label}（{r.current.label}）待开", record, r.current.end
                )
            )
    more = f"{reverse('admin:partylife_compliance')}?year={today.year}"
    return len(items), items, more


@todo_source("duties_overdue", "逾期的责任清单事项", order=20)
def duties_overdue(user, today, limit):
    if not user.has_perm("partylife.change_dutylist"):
        return None
    lists = restrict(user, DutyList.objects.all(), "change")
    overdue = (
        DutyItem.objects.filter(duty_list__in=lists, deadline__lt=today)
        .exclude(status=DutyStatus.DONE)
        .select_related("duty_list__organization")
        .order_by("deadline", "pk")
    )
    items = [
        TodoItem(
            f"{item.duty_list.organization.name}：{item.title}（{item.deadline:%Y-%m-%d} 到期）",
            reverse("admin:partylife_dutylist_change", args=[item.duty_list_id]),
            item.deadline,
            True,
        )
        for item in overdue[:limit]
    ]
    return overdue.count(), items, reverse("admin:partylife_dutylist_changelist")
