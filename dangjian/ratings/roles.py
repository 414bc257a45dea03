"""What the built-in roles may do with the star rating: the zone administrator keeps the rubric
and runs the campaigns and reviews; the leader decides the stars and sees all; a secretary files
their organization's assessment; an enterprise's contact sees its organization's stars."""

from dangjian.accounts.roles import CRUD, VIEW, role_permissions, zone_wide

zone_wide(
    {
        "ratings.rubric": CRUD,
        "ratings.campaign": CRUD,
        "ratings.assessment": ("view", "change"),
        "ratings.starrating": CRUD,
    },
    module=__name__,
)
role_permissions("zone_admin", extra=["ratings.review_assessment"], module=__name__)
role_permissions("leader", extra=["ratings.decide_assessment"], module=__name__)
role_permissions(
    "secretary",
    {"ratings.assessment": ("view", "change"), "ratings.starrating": VIEW},
    module=__name__,
)
role_permissions("enterprise_contact", {"ratings.starrating": VIEW}, module=__name__)
