from dangjian.core import registry

from . import development, dues, roster  # noqa: F401  (registers the admin pages)

registry.nav_items(
    "organizations",
    {
        "title": "党员花名册",
        "icon": "groups",
        "url": "admin:members_member_changelist",
        "permissions": "members.view_member",
        "order": 10,
    },
    {
        "title": "组织关系记录",
        "icon": "history",
        "url": "admin:members_membership_changelist",
        "permissions": "members.view_membership",
        "order": 11,
    },
    module=__name__,
)
registry.nav_section("development", "发展党员与党费", order=40, module=__name__)
registry.nav_items(
    "development",
    {
        "title": "发展党员",
        "icon": "person_add",
        "url": "admin:members_developmentcase_changelist",
        "permissions": "members.view_developmentcase",
    },
    {
        "title": "发展流程",
        "icon": "linear_scale",
        "url": "admin:members_developmentcase_pipeline",
        "permissions": "members.view_developmentcase",
    },
    {
        "title": "党费台账",
        "icon": "payments",
        "url": "admin:members_dues_ledger",
        "permissions": "members.view_duesassessment",
    },
    {
        "title": "党费交纳",
        "icon": "receipt_long",
        "url": "admin:members_duespayment_changelist",
        "permissions": "members.view_duesassessment",
    },
    {
        "title": "党费基数",
        "icon": "calculate",
        "url": "admin:members_duesbase_changelist",
        "permissions": "members.view_duesassessment",
    },
    module=__name__,
)
