"""招商引资's part of 我的待办, for the person following a project and the members of its team: a
lead (or a project in 洽谈) not followed up within the rule's days, and a signed project not
started the rule's months after signing. The warnings are the selectors'; here only whose work
they are."""

import datetime
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse

from dangjian.core.registry import TodoItem, todo_source
from dangjian.core.rules import rules_for
from dangjian.core.validators import add_months

from . import rules, selectors
from .models import TEAM_ROLES, InvestmentPerson, InvestmentProject, Stage, in_post_on


def _own(user, today):
    """The projects that are the user's work: they follow it, or are in post in its team."""
    if not user.is_authenticated or not user.has_perm("investment.change_investmentproject"):
        return None
    teams = InvestmentPerson.objects.filter(in_post_on(today), user=user, role__in=TEAM_ROLES).values(
        "team_id"
    )
    return Q(follower__user=user) | Q(team__in=teams)


def _page(project):
    return reverse("admin:investment_investmentproject_change", args=[project.pk])


def _more(stage):
    return f"{reverse('admin:investment_investmentproject_changelist')}?{urlencode({'stage': stage})}"


@todo_source("investment_stale_leads", "待跟进的招商线索", order=65)
def stale_leads(user, today, limit):
    own = _own(user, today)
    if own is None:
        return None
    days = rules_for(rules.FOLLOW_UP, today).values["days"]
    waiting = selectors.stale_leads(user=user, today=today).filter(own).order_by("last_activity_on", "pk")
    total = waiting.count()
    if not total:
        return None
    items = []
    for project in waiting[:limit]:
        due = project.last_activity_on + datetime.timedelta(days=days)
        items.append(
            TodoItem(
                f"{project.name}（{project.get_stage_display()}，{(today - project.last_activity_on).days} 天未跟进）",
                _page(project),
                due,
                due < today,
            )
        )
    return total, items, _more(Stage.LEAD)


@todo_source("investment_not_started", "签约后未开工的招商项目", order=66)
def not_started(user, today, limit):
    own = _own(user, today)
    if own is None:
        return None
    months = rules_for(rules.START, today).values["months"]
    # the selector has read through the user's scope; this only keeps the user's own of them
    mine = set(InvestmentProject.objects.filter(own).values_list("pk", flat=True))
    waiting = [p for p in selectors.unstarted(user=user, today=today) if p.pk in mine]
    if not waiting:
        return None
    waiting.sort(key=lambda p: (p.signed_on, p.pk))
    items = []
    for project in waiting[:limit]:
        due = add_months(project.signed_on, months)
        items.append(
            TodoItem(
                f"{project.name}（{project.signed_on:%Y-%m-%d} 签约，尚未开工）",
                _page(project),
                due,
                due < today,
            )
        )
    return len(waiting), items, _more(Stage.SIGNED)
