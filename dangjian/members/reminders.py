"""The daily reminders of 发展党员 (dangjian.notifications, `manage.py notify_due`): a step with a
time limit (the talk with an applicant, the higher committee's approval, the end of the
probation) reminds the secretaries who keep the person's organization, from the days before the
limit that the rule says until the step is taken."""

import datetime

from django.urls import reverse

from dangjian.accounts.selectors import grant_holders
from dangjian.core.rules import rules_for
from dangjian.notifications.models import Kind
from dangjian.notifications.registry import Due, reminder
from dangjian.organizations.models import PartyOrganization

from . import rules
from .models import DevelopmentCase, DevelopmentStage
from .selectors import next_step


def secretaries(organization) -> list:
    """The users holding the secretary role (书记、党务专干) on the organization itself, or else on
    the nearest organization above it that has any."""
    above = PartyOrganization.objects.get_ancestors(organization).order_by("-depth")
    for org in [organization, *above]:
        users = list(grant_holders("secretary", organization=org))
        if users:
            return users
    return []


@reminder
def development_steps_due(today):
    values = rules_for(rules.DEVELOPMENT, today).values
    ahead = datetime.timedelta(days=rules_for(rules.REMINDERS, today).values["days_before_due"])
    cases = (
        DevelopmentCase.objects.filter(stage__in=[DevelopmentStage.APPLICANT, DevelopmentStage.PROBATIONARY])
        .select_related("organization")
        .order_by("pk")
    )
    found = {}
    for case in cases:
        entry = next_step(case, today, values)
        if entry.due is None or entry.due - ahead > today:
            continue
        if case.organization_id not in found:
            found[case.organization_id] = secretaries(case.organization)
        state = f"，已逾期 {(today - entry.due).days} 天" if entry.overdue else ""
        yield Due(
            # a new limit (the next step) is a new reminder
            key=f"development:{case.pk}:{case.stage}:{entry.due:%Y%m%d}",
            recipients=found[case.organization_id],
            kind=Kind.DEVELOPMENT_DUE,
            title=f"{case.name}的“{entry.next_step}”期限为 {entry.due:%Y-%m-%d}{state}",
            body=f"{case.organization.name} · {case.get_stage_display()}",
            url=reverse("admin:members_developmentcase_change", args=[case.pk]),
        )
