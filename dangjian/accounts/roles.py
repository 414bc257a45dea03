"""The built-in roles of DESIGN.md and the permissions each one carries.

Roles are data (accounts.Role) that the security administrator can extend; the built-in ones
are created on migrate and receive any permission they lack. Each app says what the built-in
roles may do with its models in its own roles.py (`role_permissions`); the three separated
administrators' permissions are the platform's, here. Permissions are "app_label.codename";
CRUD is shorthand for view, add, change and delete.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Permission

from dangjian.core.registry import app_label_of, discover, installed

from .separation import refused_permission

CRUD = ("view", "add", "change", "delete")
VIEW = ("view",)


def _expand(spec: dict, extra=()) -> set[str]:
    names = set(extra)
    for label, actions in spec.items():
        app_label, model = label.split(".")
        names.update(f"{app_label}.{action}_{model}" for action in actions)
    return names


@dataclass(frozen=True)
class RolePermissions:
    role: str
    permissions: frozenset
    app: str = ""


_contributed: list[RolePermissions] = []


def role_permissions(role: str, models: dict | None = None, *, extra=(), module: str):
    """What the built-in role `role` may do with an app's models ({"app.model": actions}) and
    any other permissions of that app (`extra`), declared in the app's roles.py."""
    if role not in BUILTIN_ROLES:
        raise KeyError(f"no built-in role {role}")
    names = frozenset(_expand(models or {}, extra))
    refused = sorted(name for name in names if refused_permission(role, name))
    if refused:  # 三员分立: no app gives an administrator role business data or the audit log
        raise ValueError(f"the built-in role {role} may not carry {refused}")
    _contributed.append(RolePermissions(role, names, app_label_of(module)))


def zone_wide(models: dict, *, module: str):
    """Business models of an app that the zone administrator keeps (with `models`' actions)
    and the leader reads, zone-wide."""
    role_permissions("zone_admin", models, module=module)
    role_permissions("leader", {label: VIEW for label in models}, module=module)


def builtin_permissions(role: str) -> set[str]:
    """Every permission of the built-in role: the platform's and those the installed apps give."""
    discover("roles")
    names = set(BUILTIN_ROLES[role]["permissions"])
    for entry in installed(_contributed):
        if entry.role == role:
            names |= entry.permissions
    return names


BUILTIN_ROLES = {
    "zone_admin": {
        "name": "党工委管理员",
        "scope_kind": "organization",
        "description": "高新区党工委党建办：维护组织体系、党员、企业、台账与报表，看到全区数据。",
        # rules and the calendar are the framework's (core); users are the platform's
        "permissions": _expand(
            {"accounts.user": VIEW, "core.ruleset": ("view", "add", "change"), "core.holiday": CRUD}
        )
        | {"core.manage_schedules"},
    },
    "leader": {
        "name": "领导",
        "scope_kind": "organization",
        "description": "高新区领导：以查看为主，驾驶舱、周调度、考核。",
        "permissions": _expand({"core.ruleset": VIEW, "core.holiday": VIEW}),
    },
    "secretary": {
        "name": "党组织书记",
        "scope_kind": "organization",
        "description": "党组织书记或党务专干：管理本组织及下级组织的党员、阵地与组织生活。",
        "permissions": _expand({"core.ruleset": VIEW}),
    },
    "cadre": {
        "name": "包抓干部",
        "scope_kind": "assigned",
        "description": "包抓重点项目和企业的年轻干部：只看到分派给自己的项目和企业。",
        "permissions": set(),
    },
    "investment_staff": {
        "name": "招商人员",
        "scope_kind": "assigned",
        "description": "招商小分队的队长和队员：只看到本小分队的招商活动和招商项目。",
        "permissions": set(),
    },
    "talent_staff": {
        "name": "人才工作人员",
        "scope_kind": "organization",
        "description": "人才办工作人员：维护人才库、人才政策兑现、院士专家、创新平台和科技创新，确认企业提交的人才和专利。",
        "permissions": set(),
    },
    "enterprise_contact": {
        "name": "企业联络员",
        "scope_kind": "enterprise",
        "description": "企业工作人员：只看到本企业，提交诉求并评价办理结果。",
        "permissions": set(),
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
            {
                "accounts.role": CRUD,
                "accounts.grant": CRUD,
                "accounts.user": VIEW,
                # login lockouts (django-axes): sees them and lifts them (dangjian.site.admin)
                "axes.accessattempt": ("view", "delete"),
                "axes.accessfailurelog": VIEW,
            },
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
            for p in permissions_for(builtin_permissions(code))
            if p.pk not in set(role.permissions.values_list("pk", flat=True))
        ]
        if missing:
            role.permissions.add(*missing)
