"""Reads of the organization tree, always through the user's scope."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from dangjian.core.scope import restrict

from .models import PartyOrganization, Post


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
