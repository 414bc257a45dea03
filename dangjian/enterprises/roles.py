"""What the built-in roles may do with enterprises."""

from dangjian.accounts.roles import CRUD, VIEW, role_permissions, zone_wide

MODELS = ("enterprises.enterprise", "enterprises.enterpriseyear", "enterprises.industrycluster")
zone_wide(dict.fromkeys(MODELS, CRUD), module=__name__)
for role in ("secretary", "cadre", "enterprise_contact"):
    role_permissions(role, dict.fromkeys(MODELS, VIEW), module=__name__)
