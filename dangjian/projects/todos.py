"""项目包抓's part of 我的待办, for a cadre: working days of the past week and today without a 日纪实,
and the problems they own that are due within three days or overdue."""

import datetime

from django.urls import reverse

from dangjian.cadres.models import Cadre
from dangjian.core.calendar import workdays
from dangjian.core.registry import TodoItem, todo_source
from dangjian.core.scope import restrict

from .models import DailyRecord, Problem, ProblemStatus
from .selectors import missing_days

ONE_DAY = datetime.timedelta(days=1)

PROBLEM_NOTICE_DAYS = 3


def _cadre(user):
    return Cadre.objects.filter(user=user, is_active=True).first() if user.is_authenticated else None


DAILY_LOOKBACK_DAYS = 7


@todo_source("daily_record", "未记录日纪实的工作日", order=50)
def daily_record(user, today, limit):
    """Today, if it is a working day, and the working days of the week before without a record."""
    cadre = _cadre(user)
    if cadre is None:
        return None
    days = missing_days(cadre, today - datetime.timedelta(days=DAILY_LOOKBACK_DAYS), today - ONE_DAY)
    if workdays(today, today) and not DailyRecord.objects.filter(cadre=cadre, day=today).exists():
        days.append(today)
    url = reverse("daily")
    items = [
        TodoItem(
            f"今天（{day:%m月%d日}）的日纪实还没有记录" if day == today else f"{day:%m月%d日}的日纪实未记录",
            f"{url}?day={day:%Y-%m-%d}",
            day,
            day < today,
        )
        for day in days
    ]
    return len(items), items, url


@todo_source("problems_due", "到期或逾期的问题", order=60)
def problems_due(user, today, limit):
    cadre = _cadre(user)
    if cadre is None:
        return None
    horizon = today + datetime.timedelta(days=PROBLEM_NOTICE_DAYS)
    due = (
        restrict(user, Problem.objects.filter(owner=cadre, deadline__lte=horizon), "view")
        .exclude(status__in=[ProblemStatus.SOLVED, ProblemStatus.UNSOLVABLE])
        .order_by("deadline", "pk")
    )
    items = [
        TodoItem(
            f"{problem.number or '问题'}：{problem.description[:40]}（{problem.deadline:%Y-%m-%d} "
            f"{'已逾期' if problem.deadline < today else '到期'}）",
            reverse("admin:projects_problem_change", args=[problem.pk]),
            problem.deadline,
            problem.deadline < today,
        )
        for problem in due[:limit]
    ]
    return due.count(), items, reverse("admin:projects_problem_changelist")
