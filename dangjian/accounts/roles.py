"""The built-in roles of DESIGN.md and the permissions each one carries.

Roles are data (accounts.Role) that the security administrator can extend; the built-in ones
are created on migrate and receive any permission listed here that they lack. Permissions
are "app_label.codename"; CRUD is shorthand for view, add, change and delete.
"""

from django.contrib.auth.models import Permission

CRUD = ("view", "add", "change", "delete")
VIEW = ("view",)

BUSINESS_MODELS = {
    "organizations.partyorganization": CRUD,
    "organizations.post": CRUD,
    "members.member": CRUD,
    "members.membership": VIEW,
    "members.developmentcase": CRUD,
    "members.duesassessment": CRUD,
    "enterprises.enterprise": CRUD,
    "enterprises.enterpriseyear": CRUD,
    "enterprises.industrycluster": CRUD,
    "partylife.meeting": CRUD,
    "partylife.training": CRUD,
    "partylife.activity": CRUD,
    "partylife.document": CRUD,
    "partylife.dutylist": CRUD,
    "partylife.standarddutylist": CRUD,
    "core.ruleset": ("view", "add", "change"),
    "core.holiday": CRUD,
    "cadres.cadre": CRUD,
    "projects.project": CRUD,
    "projects.problem": CRUD,
    "projects.dailyrecord": VIEW,
    "projects.dispatchmeeting": CRUD,
    "projects.assessmentrun": ("view", "add"),
    "servicedesk.servicerequest": CRUD,
    "servicedesk.requestcategory": CRUD,
}
# What a secretary runs for their own organization and its subtree.
SECRETARY_MODELS = {
    "organizations.partyorganization": ("view", "add", "change"),
    "organizations.post": CRUD,
    "members.member": CRUD,
    "members.membership": VIEW,
    "members.developmentcase": CRUD,
    "members.duesassessment": CRUD,
    "enterprises.enterprise": VIEW,
    "enterprises.enterpriseyear": VIEW,
    "enterprises.industrycluster": VIEW,
    "partylife.meeting": CRUD,
    "partylife.training": CRUD,
    "partylife.activity": CRUD,
    "partylife.document": VIEW,
    "partylife.dutylist": ("view", "change"),
    "core.ruleset": VIEW,
    "projects.project": VIEW,
    "projects.problem": VIEW,
}
# What a cadre does on the projects and enterprises assigned to them.
CADRE_MODELS = {
    "enterprises.enterprise": VIEW,
    "enterprises.enterpriseyear": VIEW,
    "enterprises.industrycluster": VIEW,
    "organizations.partyorganization": VIEW,
    "cadres.cadre": VIEW,
    "projects.project": ("view", "change"),
    "projects.problem": ("view", "add", "change"),
    "projects.dailyrecord": ("view", "add", "change"),
    "projects.dispatchmeeting": VIEW,
    "projects.assessmentrun": VIEW,
    "servicedesk.servicerequest": ("view", "change"),
    "servicedesk.requestcategory": VIEW,
    "partylife.activity": ("view", "add", "change"),
}


def _expand(spec: dict, extra=()) -> set[str]:
    names = set(extra)
    for label, actions in spec.items():
        app_label, model = label.split(".")
        names.update(f"{app_label}.{action}_{model}" for action in actions)
    return names


def _view_only(spec: dict) -> dict:
    return {label: VIEW for label in spec}


BUILTIN_ROLES = {
    "zone_admin": {
        "name": "党工委管理员",
        "scope_kind": "organization",
        "description": "高新区党工委党建办：维护组织体系、党员、企业、台账与报表，看到全区数据。",
        "permissions": _expand(
            BUSINESS_MODELS,
            ["members.reveal_personal_data", "indicators.view_indicators", "accounts.view_user"],
        ),
    },
    "leader": {
        "name": "领导",
        "scope_kind": "organization",
        "description": "高新区领导：以查看为主，驾驶舱、周调度、考核。",
        "permissions": _expand(
            {
                **_view_only(BUSINESS_MODELS),
                "projects.dispatchmeeting": CRUD,
                "projects.assessmentrun": ("view", "add"),
            },
            ["indicators.view_indicators"],
        ),
    },
    "secretary": {
        "name": "党组织书记",
        "scope_kind": "organization",
        "description": "党组织书记或党务专干：管理本组织及下级组织的党员、阵地与组织生活。",
        "permissions": _expand(
            SECRETARY_MODELS, ["members.reveal_personal_data", "indicators.view_indicators"]
        ),
    },
    "cadre": {
        "name": "包抓干部",
        "scope_kind": "assigned",
        "description": "包抓重点项目和企业的年轻干部：只看到分派给自己的项目和企业。",
        "permissions": _expand(CADRE_MODELS),
    },
    "enterprise_contact": {
        "name": "企业联络员",
        "scope_kind": "enterprise",
        "description": "企业工作人员：只看到本企业，提交诉求并评价办理结果。",
        "permissions": _expand(
            {
                "enterprises.enterprise": VIEW,
                "enterprises.enterpriseyear": VIEW,
                "enterprises.industrycluster": VIEW,
                "servicedesk.servicerequest": ("view", "add"),
                "servicedesk.requestcategory": VIEW,
            }
        ),
    },
    "system_admin": {
        "name": "系统管理员",
        "scope_kind": "global",
        "description": "三员分立之一：管理用户账号，看不到业务数据和审计日志。",
        "permissions": _expand({"accounts.user": ("view", "add", "change")}),
    },
    "security_admin": {
        "name": "安全管理员",
        "scope_kind": "global",
        "description": "三员分立之一：管理角色和授权，看不到业务数据和审计日志。",
        "permissions": _expand(
            {"accounts.role": CRUD, "accounts.grant": CRUD, "accounts.user": VIEW},
            ["auth.view_permission"],
        ),
    },
    "audit_admin": {
        "name": "审计管理员",
        "scope_kind": "global",
        "description": "三员分立之一：只读审计日志。",
        "permissions": _expand({"audit.auditentry": VIEW}),
    },
}


def permissions_for(names) -> list[Permission]:
    wanted = {tuple(name.split(".", 1)) for name in names}
    found = Permission.objects.filter(content_type__app_label__in={a for a, _ in wanted}).select_related(
        "content_type"
    )
    return [p for p in found if (p.content_type.app_label, p.codename) in wanted]


def sync_builtin_roles(sender=None, using="default", **kwargs):
    """Create the built-in roles and add the permissions they lack (never removes any)."""
    from django.apps import apps as global_apps

    Role = global_apps.get_model("accounts", "Role")
    for code, spec in BUILTIN_ROLES.items():
        role, _ = Role.objects.using(using).get_or_create(
            code=code,
            defaults={
                "name": spec["name"],
                "scope_kind": spec["scope_kind"],
                "description": spec["description"],
                "builtin": True,
            },
        )
        missing = [
            p
            for p in permissions_for(spec["permissions"])
            if p.pk not in set(role.permissions.values_list("pk", flat=True))
        ]
        if missing:
            role.permissions.add(*missing)
