"""Warnings party life adds to organizations: overdue 组织生活 and overdue duty-list items (see
dangjian.organizations.warnings)."""

import datetime

from dangjian.organizations.warnings import OrgWarning, rule_versions, warning_group, warning_provider

from . import rules
from .models import DutyItem, DutyStatus
from .selectors import compliance

warning_group("meetings", "组织生活", order=20, module=__name__)
warning_group("duties", "责任清单", order=30, module=__name__)


@warning_provider(
    "meetings",
    watches={
        "organizations.PartyOrganization": "pk",
        "partylife.Meeting": "organization",
        "core.RuleSet": rule_versions(rules.FREQUENCY),
    },
)
def meeting_warnings(organizations, today):
    """Overdue 组织生活 since 1 January of last year (so that last year's December, fourth quarter
    and yearly meetings are warned about in the new year), one warning per organization and type."""
    start = datetime.date(today.year - 1, 1, 1)
    result = compliance(organizations=organizations, start=start, end=today, today=today)
    warnings = []
    for requirement in result.requirements:
        overdue = requirement.overdue
        if overdue:
            labels = "、".join(slot.label for slot in overdue[-3:])
            more = f"等 {len(overdue)} 次" if len(overdue) > 3 else ""
            warnings.append(
                OrgWarning(
                    requirement.organization,
                    f"overdue_{requirement.kind}",
                    f"{requirement.kind_label}（{requirement.frequency_label}）逾期未开：{labels}{more}",
                )
            )
    return warnings


@warning_provider(
    "duties",
    watches={"partylife.DutyList": "organization", "partylife.DutyItem": "duty_list__organization"},
)
def duty_warnings(organizations, today):
    """Duty-list items past their deadline and not done, one warning per organization."""
    overdue = (
        DutyItem.objects.filter(duty_list__organization__in=organizations, deadline__lt=today)
        .exclude(status=DutyStatus.DONE)
        .select_related("duty_list__organization")
        .order_by("deadline", "pk")
    )
    by_org = {}
    for item in overdue:
        by_org.setdefault(item.duty_list.organization, []).append(item.title)
    return [
        OrgWarning(
            org,
            "duty_overdue",
            f"责任清单逾期未完成 {len(titles)} 项：{'、'.join(titles[:3])}"
            + ("等" if len(titles) > 3 else ""),
        )
        for org, titles in by_org.items()
    ]
