"""What the built-in roles may do with the service desk."""

from dangjian.accounts.roles import CRUD, VIEW, role_permissions, zone_wide

zone_wide({"servicedesk.servicerequest": CRUD, "servicedesk.requestcategory": CRUD}, module=__name__)
role_permissions(
    "cadre",
    {"servicedesk.servicerequest": ("view", "change"), "servicedesk.requestcategory": VIEW},
    module=__name__,
)
role_permissions(
    "enterprise_contact",
    {"servicedesk.servicerequest": ("view", "add"), "servicedesk.requestcategory": VIEW},
    module=__name__,
)
