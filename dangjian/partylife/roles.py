"""What the built-in roles may do with party life."""

from dangjian.accounts.roles import CRUD, VIEW, role_permissions, zone_wide

zone_wide(
    {
        "partylife.meeting": CRUD,
        "partylife.training": CRUD,
        "partylife.activity": CRUD,
        "partylife.document": CRUD,
        "partylife.dutylist": CRUD,
        "partylife.standarddutylist": CRUD,
    },
    module=__name__,
)
role_permissions(
    "secretary",
    {
        "partylife.meeting": CRUD,
        "partylife.training": CRUD,
        "partylife.activity": CRUD,
        "partylife.document": VIEW,
        "partylife.dutylist": ("view", "change"),
    },
    module=__name__,
)
# cadres record the visits and events they take part in
role_permissions("cadre", {"partylife.activity": ("view", "add", "change")}, module=__name__)
