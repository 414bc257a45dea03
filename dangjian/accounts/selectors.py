"""Who holds a role: the users to tell of something (an enterprise's contacts, the secretaries of
an organization), read from the grants in force."""

import datetime

from django.db.models import Q
from django.utils import timezone

from .models import User


def grant_holders(role: str, *, day: datetime.date | None = None, **scope):
    """Active users with a grant of the role coded `role` in force on `day` (today), over
    `scope` when given (organization=…, enterprise=…): the grant names exactly that
    organization or enterprise. Zone-wide on purpose: whom to notify, not what a user sees."""
    day = day or timezone.localdate()
    grants = Q(grants__role__code=role, grants__valid_from__lte=day) & (
        Q(grants__valid_until__isnull=True) | Q(grants__valid_until__gte=day)
    )
    for name, value in scope.items():
        grants &= Q(**{f"grants__{name}": value})
    return User.objects.filter(grants, is_active=True).distinct().order_by("pk")
