"""What the built-in roles may do with cadres."""

from dangjian.accounts.roles import CRUD, VIEW, role_permissions, zone_wide

zone_wide({"cadres.cadre": CRUD}, module=__name__)
role_permissions("cadre", {"cadres.cadre": VIEW}, module=__name__)
