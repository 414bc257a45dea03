"""What the built-in roles may do with key projects."""

from dangjian.accounts.roles import CRUD, VIEW, role_permissions, zone_wide

zone_wide(
    {
        "projects.project": CRUD,
        "projects.problem": CRUD,
        "projects.dailyrecord": VIEW,
        "projects.dispatchmeeting": CRUD,
        "projects.assessmentrun": ("view", "add"),
    },
    module=__name__,
)
# the leaders hold the weekly dispatch and run the yearly assessment
role_permissions(
    "leader",
    {"projects.dispatchmeeting": CRUD, "projects.assessmentrun": ("view", "add")},
    module=__name__,
)
role_permissions("secretary", {"projects.project": VIEW, "projects.problem": VIEW}, module=__name__)
role_permissions(
    "cadre",
    {
        "projects.project": ("view", "change"),
        "projects.problem": ("view", "add", "change"),
        "projects.dailyrecord": ("view", "add", "change"),
        "projects.dispatchmeeting": VIEW,
        "projects.assessmentrun": VIEW,
    },
    module=__name__,
)
