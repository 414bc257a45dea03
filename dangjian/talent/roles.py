"""What the built-in roles may do with talent and innovation records: the zone's talent office
(人才工作人员) keeps them and confirms what enterprises submit, the zone administrator keeps them
too, the leader reads them, zone-wide; an enterprise contact reads their enterprise's and submits
talents and innovations for the zone to confirm."""

from dangjian.accounts.roles import CRUD, VIEW, role_permissions, zone_wide

MODELS = {
    "talent.talent": CRUD,
    "talent.talentpolicy": CRUD,
    "talent.expert": CRUD,
    "talent.platform": CRUD,
    "talent.innovation": CRUD,
}
CONFIRM = ["talent.confirm_talent", "talent.confirm_innovation", "talent.reveal_personal_data"]

zone_wide(MODELS, module=__name__)
role_permissions("zone_admin", extra=CONFIRM, module=__name__)
# the talent office picks employers and hosts among the zone's enterprises
role_permissions("talent_staff", {**MODELS, "enterprises.enterprise": VIEW}, extra=CONFIRM, module=__name__)
role_permissions(
    "enterprise_contact",
    {
        "talent.talent": ("view", "add"),
        "talent.innovation": ("view", "add"),
        "talent.expert": VIEW,
        "talent.platform": VIEW,
        # the key projects their enterprise owns, read-only, in the portal's 本企业人才与创新
        "projects.project": VIEW,
    },
    module=__name__,
)
