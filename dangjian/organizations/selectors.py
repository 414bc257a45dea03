"""Reads of the organization tree, always through the user's scope."""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from dangjian.core.scope import restrict
from dangjian.core.validators import add_years

from .models import BRANCH_KINDS, TERM_YEARS, OrgKind, PartyOrganization, Post

# Rules from 《中国共产党支部工作条例（试行）》: fewer than 3 full members → a joint branch;
# 7 or more full members → a branch committee; a branch of more than 50 members should be
# divided (or become a general branch).
MIN_FULL_MEMBERS = 3
COMMITTEE_FROM_FULL_MEMBERS = 7
MAX_BRANCH_MEMBERS = 50


_warning_providers = []


def register_warning_provider(provider):
    """Other apps add warnings on organizations (overdue meetings, unpaid dues, …): a provider
    takes a queryset of organizations and today's date and returns a list of OrgWarning."""
    _warning_providers.append(provider)
    return provider


# Warnings come in groups, by the start of their code, for filtering and counting.
WARNING_GROUPS = {
    "setup": "组织设置与换届",
    "meetings": "组织生活",
    "duties": "责任清单",
    "development": "发展党员",
    "dues": "党费",
}
_GROUP_OF_PREFIX = {"overdue_": "meetings", "duty_": "duties", "development": "development", "dues_": "dues"}


@dataclass
class OrgWarning:
    organization: PartyOrganization
    code: str
    message: str

    @property
    def group(self) -> str:
        return next((g for prefix, g in _GROUP_OF_PREFIX.items() if self.code.startswith(prefix)), "setup")

    @property
    def group_label(self) -> str:
        return WARNING_GROUPS[self.group]


def organization_list(*, user, root=None, include_dissolved=True):
    queryset = restrict(user, PartyOrganization.objects.all(), "view")
    if root is not None:
        queryset = queryset.filter(path__startswith=root.path)
    if not include_dissolved:
        queryset = queryset.filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=timezone.localdate()))
    return queryset.order_by("path")


def with_member_counts(queryset):
    """Annotate current member counts (all, and full members) held directly by each organization."""
    from dangjian.members.models import Member, MemberCategory

    def count(extra):
        return Coalesce(
            Subquery(
                Member.objects.filter(organization=OuterRef("pk"), left_on__isnull=True, **extra)
                .order_by()
                .values("organization")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        )

    return queryset.annotate(
        member_count=count({}), full_member_count=count({"category": MemberCategory.FULL})
    )


def _branches_to_warn(branches):
    """(organization, members, full members) of the branches whose size is out of the rules:
    the members counted in one grouped pass, not once per branch, and only the branches to warn
    about loaded whole."""
    from dangjian.members.models import Member, MemberCategory

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


def organization_warnings(*, user, organizations=None) -> list[OrgWarning]:
    """Warnings for the organizations in the user's scope (or the given queryset): branches
    with fewer than 3 full members, more than 50 members, 7 or more full members but no
    committee; and overdue elections."""
    today = timezone.localdate()
    base = organizations if organizations is not None else organization_list(user=user)
    base = base.filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=today))
    warnings = []
    for org, count, full in _branches_to_warn(base.filter(kind__in=BRANCH_KINDS)):
        if org.kind == OrgKind.BRANCH and full < MIN_FULL_MEMBERS:
            warnings.append(
                OrgWarning(org, "too_few_full_members", f"正式党员 {full} 人，不足 3 人，应成立联合党支部")
            )
        if count > MAX_BRANCH_MEMBERS:
            warnings.append(
                OrgWarning(org, "too_many_members", f"党员 {count} 人，超过 50 人，应分设党支部或成立党总支")
            )
        if full >= COMMITTEE_FROM_FULL_MEMBERS and not org.has_committee:
            warnings.append(
                OrgWarning(org, "no_committee", f"正式党员 {full} 人，达到 7 人，应设立支部委员会")
            )
    overdue = Q()
    for kind, years in TERM_YEARS.items():
        overdue |= Q(kind=kind, term_started_on__lte=add_years(today, -years))
    for org in base.filter(overdue):
        due = org.next_election_due
        if due is not None and due < today:
            warnings.append(
                OrgWarning(org, "election_overdue", f"换届逾期：本届任期应于 {due:%Y-%m-%d} 届满")
            )
    for provider in _warning_providers:
        warnings.extend(provider(base, today))
    warnings.sort(key=lambda w: (w.organization.path, w.code))
    return warnings


def post_list(*, user, organization=None):
    queryset = restrict(user, Post.objects.select_related("organization"), "view")
    if organization is not None:
        queryset = queryset.filter(org_path__startswith=organization.path)
    return queryset
