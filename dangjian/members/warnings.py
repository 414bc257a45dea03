"""Warnings the members app adds to organizations: branch sizes out of the rules, development
steps past their limit, and unpaid dues (see dangjian.organizations.warnings)."""

import datetime
from collections import defaultdict

from django.db.models import Count, Q

from dangjian.core.rules import rules_for
from dangjian.core.validators import add_months, chinese_number
from dangjian.organizations.models import BRANCH_KINDS, OrgKind, PartyOrganization
from dangjian.organizations.warnings import OrgWarning, rule_versions, warning_group, warning_provider

from . import rules
from .models import DevelopmentCase, DevelopmentStage, Member, MemberCategory
from .selectors import next_step, unpaid_streaks
from .services.dues import month_start


@warning_provider(
    "development",
    watches={
        "members.DevelopmentCase": "organization",
        "members.DevelopmentEvent": "case__organization",
        "core.RuleSet": rule_versions(rules.DEVELOPMENT),
    },
)
def development_warnings(organizations, today):
    values = rules_for(rules.DEVELOPMENT, today).values
    cases = DevelopmentCase.objects.filter(
        organization__in=organizations,
        stage__in=[DevelopmentStage.APPLICANT, DevelopmentStage.PROBATIONARY],
    ).select_related("organization")
    warnings = []
    for case in cases:
        entry = next_step(case, today, values)
        if not entry.overdue:
            continue
        if case.stage == DevelopmentStage.APPLICANT:
            talk = chinese_number(values["talk_within_months"])
            message = f"{case.name}递交入党申请已超过{talk}个月（{entry.due:%Y-%m-%d} 前）尚未谈话"
        elif not case.approved_on:
            redo = add_months(case.admitted_on, values["approval_redo_months"])
            message = (
                f"{case.name}支部大会接收已超过{chinese_number(values['approval_redo_months'])}个月未审批，"
                "须重新履行接收手续"
                if today > redo
                else f"{case.name}支部大会接收已超过{chinese_number(values['approval_warning_months'])}个月，"
                "上级党委尚未审批"
            )
        else:
            message = f"{case.name}预备期已于 {entry.due:%Y-%m-%d} 届满，尚未讨论转正"
        warnings.append(OrgWarning(case.organization, "development", message))
    return warnings


@warning_provider(
    "dues",
    watches={
        "members.Member": "organization",
        "members.DuesAssessment": "member__organization",
        "members.DuesPayment": "member__organization",
        "core.RuleSet": rule_versions(rules.DUES),
    },
)
def dues_warnings(organizations, today):
    """Members who have not paid for some months (3 by default: a warning) or more (6 by default:
    for the branch to review), counted over the months that have ended."""
    values = rules_for(rules.DUES, today).values
    last_month = month_start(month_start(today) - datetime.timedelta(days=1))
    members = Member.objects.filter(organization__in=organizations, left_on__isnull=True).select_related(
        "organization"
    )
    streaks = unpaid_streaks(
        members.values("pk"),
        last_month,
        most=max(values["unpaid_warning_months"], values["unpaid_review_months"]),
    )
    by_org = defaultdict(lambda: {"warn": [], "review": []})
    for member in members.filter(
        pk__in=[m for m, s in streaks.items() if s >= values["unpaid_warning_months"]]
    ).order_by("pk"):
        bucket = "review" if streaks[member.pk] >= values["unpaid_review_months"] else "warn"
        by_org[member.organization]["warn" if bucket == "warn" else "review"].append(member.name)
    warnings = []
    for organization, groups in by_org.items():
        if groups["review"]:
            warnings.append(
                OrgWarning(
                    organization,
                    "dues_review",
                    f"连续 {values['unpaid_review_months']} 个月以上未交党费，提请支部审查：{'、'.join(groups['review'])}",
                )
            )
        if groups["warn"]:
            warnings.append(
                OrgWarning(
                    organization,
                    "dues_unpaid",
                    f"连续 {values['unpaid_warning_months']} 个月以上未交党费：{'、'.join(groups['warn'])}",
                )
            )
    return warnings


# Rules from 《中国共产党支部工作条例（试行）》: fewer than 3 full members → a joint branch;
# 7 or more full members → a branch committee; a branch of more than 50 members should be
# divided (or become a general branch).
MIN_FULL_MEMBERS = 3


COMMITTEE_FROM_FULL_MEMBERS = 7


MAX_BRANCH_MEMBERS = 50


def _branches_to_warn(branches):
    """(organization, members, full members) of the branches whose size is out of the rules:
    the members counted in one grouped pass, not once per branch, and only the branches to warn
    about loaded whole."""
    counts = {
        row["organization"]: (row["n"], row["full"])
        for row in Member.objects.filter(left_on__isnull=True, organization__in=branches.values("pk"))
        .values("organization")
        .annotate(n=Count("pk"), full=Count("pk", filter=Q(category=MemberCategory.FULL)))
        .order_by()
    }
    flagged = {}
    for pk, kind, has_committee in branches.values_list("pk", "kind", "has_committee"):
        count, full = counts.get(pk, (0, 0))
        if (
            (kind == OrgKind.BRANCH and full < MIN_FULL_MEMBERS)
            or count > MAX_BRANCH_MEMBERS
            or (full >= COMMITTEE_FROM_FULL_MEMBERS and not has_committee)
        ):
            flagged[pk] = (count, full)
    loaded = PartyOrganization.objects.in_bulk(list(flagged))
    return [(loaded[pk], *flagged[pk]) for pk in flagged]


@warning_provider(
    "setup", watches={"organizations.PartyOrganization": "pk", "members.Member": "organization"}
)
def branch_size_warnings(organizations, today):
    """Branches with fewer than 3 full members, more than 50 members, or 7 or more full members
    but no committee."""
    warnings = []
    for org, count, full in _branches_to_warn(organizations.filter(kind__in=BRANCH_KINDS)):
        if org.kind == OrgKind.BRANCH and full < MIN_FULL_MEMBERS:
            warnings.append(
                OrgWarning(
                    org,
                    "too_few_full_members",
                    f"正式党员 {full} 人，不足 {MIN_FULL_MEMBERS} 人，应成立联合党支部",
                )
            )
        if count > MAX_BRANCH_MEMBERS:
            warnings.append(
                OrgWarning(
                    org,
                    "too_many_members",
                    f"党员 {count} 人，超过 {MAX_BRANCH_MEMBERS} 人，应分设党支部或成立党总支",
                )
            )
        if full >= COMMITTEE_FROM_FULL_MEMBERS and not org.has_committee:
            warnings.append(
                OrgWarning(
                    org,
                    "no_committee",
                    f"正式党员 {full} 人，达到 {COMMITTEE_FROM_FULL_MEMBERS} 人，应设立支部委员会",
                )
            )
    return warnings


warning_group("development", "发展党员", order=40, module=__name__)
warning_group("dues", "党费", order=50, module=__name__)
