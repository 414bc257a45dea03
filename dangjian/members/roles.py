"""What the built-in roles may do with members, development and dues."""

from dangjian.accounts.roles import CRUD, VIEW, role_permissions, zone_wide

MODELS = {
    "members.member": CRUD,
    "members.membership": VIEW,
    "members.developmentcase": CRUD,
    "members.duesassessment": CRUD,
}
zone_wide(MODELS, module=__name__)
# who keeps the roster may see ID and phone numbers in full (each reveal is logged)
role_permissions("zone_admin", extra=["members.reveal_personal_data"], module=__name__)
role_permissions("secretary", MODELS, extra=["members.reveal_personal_data"], module=__name__)
