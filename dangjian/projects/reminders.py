"""The daily reminders of 项目包抓 (dangjian.notifications, `manage.py notify_due`): a problem past
its deadline reminds its owner each day until it is closed."""

from django.urls import reverse

from dangjian.notifications.models import Kind
from dangjian.notifications.registry import Due, reminder

from .models import Problem, ProblemStatus


@reminder
def overdue_problems(today):
    late = (
        Problem.objects.filter(
            status__in=[ProblemStatus.TODO, ProblemStatus.IN_PROGRESS],
            deadline__lt=today,
            owner__isnull=False,
        )
        .select_related("owner__user")
        .order_by("deadline", "pk")
    )
    for problem in late:
        days = (today - problem.deadline).days
        yield Due(
            key=f"problem:{problem.pk}:overdue",
            recipients=[problem.owner.user],
            kind=Kind.PROBLEM_OVERDUE,
            title=f"问题“{problem.description[:40]}”已逾期 {days} 天",
            body=f"办理时限 {problem.deadline:%Y-%m-%d}，目前{problem.get_status_display()}",
            url=reverse("admin:projects_problem_change", args=[problem.pk]),
        )
