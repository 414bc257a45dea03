"""Reads of the organization tree, always through the user's scope."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from dangjian.core.scope import restrict

from .models import OrganizationWarning, PartyOrganization, Post


def organization_list(*, user, root=None, include_dissolved=True):
    queryset = restrict(user, PartyOrganization.objects.all(), "view")
    if root is not None:
        queryset = queryset.filter(path__startswith=root.path)
    if not include_dissolved:
        queryset = queryset.filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=timezone.localdate()))
    return queryset.order_by("path")


def with_member_counts(queryset):
    """Annotate the number of current members each organization holds directly, one subquery per
    row of the page. Members belong to the members app, which sits above this one: they are
    reached through the relation that app declares on organizations (Member.organization,
    related name "members"), never by importing it."""
    members = PartyOrganization.members.rel.related_model._base_manager
    return queryset.annotate(
        member_count=Coalesce(
            Subquery(
                members.filter(organization=OuterRef("pk"), left_on__isnull=True)
                .order_by()
                .values("organization")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        )
    )


def post_list(*, user, organization=None):
    queryset = restrict(user, Post.objects.select_related("organization"), "view")
    if organization is not None:
        queryset = queryset.filter(org_path__startswith=organization.path)
    return queryset


def warning_rows(*, user, root=None, group=None, organizations=None):
    """The stored warnings (models.OrganizationWarning) of the organizations in the user's scope,
    or under `root` within it, or of the given queryset of organizations (whoever asks), of one
    group or all, with their organization, in the order of the tree and then of the code: a
    queryset, so a page reads one page. The writes of the current transaction are refreshed
    first, so a read sees them."""
    from .services import apply_pending_warnings  # services reads the providers, which read here

    apply_pending_warnings()
    if organizations is not None:
        rows = OrganizationWarning.objects.filter(organization__in=organizations.values("pk"))
    else:
        rows = restrict(user, OrganizationWarning.objects.all(), "view")
    if root is not None:
        rows = rows.filter(org_path__startswith=root.path)
    if group:
        rows = rows.filter(group=group)
    return rows.select_related("organization").order_by("org_path", "code", "id")


def warning_counts(*, user, root=None, organizations=None) -> dict[str, int]:
    """The number of stored warnings per group (one GROUP BY), for the same rows as
    `warning_rows`; a group without warnings is left out."""
    rows = warning_rows(user=user, root=root, organizations=organizations)
    return dict(rows.order_by().values_list("group").annotate(n=Count("*")).values_list("group", "n"))
