"""What the built-in roles may do with the organization tree and posts."""

from dangjian.accounts.roles import CRUD, VIEW, role_permissions, zone_wide

zone_wide({"organizations.partyorganization": CRUD, "organizations.post": CRUD}, module=__name__)
role_permissions(
    "secretary",
    {"organizations.partyorganization": ("view", "add", "change"), "organizations.post": CRUD},
    module=__name__,
)
role_permissions("cadre", {"organizations.partyorganization": VIEW}, module=__name__)
