"""Cadres, projects, assignments and problems for the 项目包抓 tests, made through the services as
the product makes them."""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from dangjian.accounts.backends import forget_grants
from dangjian.cadres import services as cadre_services
from dangjian.cadres.models import Cadre
from dangjian.projects import services
from dangjian.projects.models import ProblemCategory, ProblemSource

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)
LONG_AGO = D(2020, 1, 1)

_seq = itertools.count(1)


def today():
    return timezone.localdate()


def make_cadre(name=None, *, phone=None, leader=None, organization=None, since=LONG_AGO, **fields) -> Cadre:
    """A cadre (and their user). `since` is the day the cadre was set up in Dangjian: days before
    it never count as missing daily records."""
    seq = next(_seq)
    cadre = cadre_services.cadre_save(
        actor=None,
        name=name or f"干部{seq}",
        phone=phone or f"139{seq:08d}",
        leader=leader,
        organization=organization,
        **fields,
    )
    if since is not None:
        set_up_on(cadre, since)
    return cadre


def set_up_on(cadre: Cadre, day: datetime.date) -> Cadre:
    """Pretend the cadre was created at noon (local time) on `day`."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))
    Cadre.objects.filter(pk=cadre.pk).update(created_at=moment)
    cadre.refresh_from_db()
    return cadre


def make_project(name=None, *, cadres=(), on=None, total_investment=Decimal("1000"), **fields):
    """A key project; `cadres` (the first is the lead) assigned from `on` (None: no known start)."""
    project = services.project_save(
        actor=None, name=name or f"重点项目{next(_seq)}", total_investment=total_investment, **fields
    )
    if cadres:
        assign(project, *cadres, on=on)
    return project


def assign(target, *cadres, on=None):
    """Set the cadres in charge of a project or an enterprise (the first is the lead)."""
    from dangjian.projects.models import Project

    kind = "project" if isinstance(target, Project) else "enterprise"
    result = cadre_services.assignment_set(actor=None, cadres=list(cadres), on=on, **{kind: target})
    for cadre in cadres:
        forget_grants(cadre.user)
    return result


def make_problem(
    *,
    project=None,
    enterprise=None,
    raised=None,
    deadline=None,
    owner=None,
    source=ProblemSource.PROJECT,
    category=ProblemCategory.APPROVAL,
    description=None,
    actor=None,
    **fields,
):
    return services.problem_raise(
        actor=actor,
        source=source,
        category=category,
        description=description or f"堵点{next(_seq)}",
        raised_on=raised or today(),
        project=project,
        enterprise=enterprise,
        owner=owner,
        deadline=deadline,
        **fields,
    )


def solved_problem(*, raised, closed, result="已协调解决", **fields):
    problem = make_problem(raised=raised, **fields)
    return services.problem_solve(actor=None, problem=problem, on=closed, result=result)


def user_of(cadre: Cadre):
    """The cadre's user as a request would load it (grants read afresh)."""
    from dangjian.accounts.models import User

    return User.objects.get(pk=cadre.user_id)
