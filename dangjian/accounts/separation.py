"""三员分立 (DESIGN.md): the system administrator keeps the accounts, the security administrator
the roles and grants, the audit administrator reads the audit log. What each administrator role
may carry, and who counts as an administrator; accounts.services enforces it on every path."""

ADMIN_ROLES = {
    "system_admin": "系统管理员",
    "security_admin": "安全管理员",
    "audit_admin": "审计管理员",
}
# the platform's own permissions (accounts, Django's permission list, sign-in lockouts and second
# factors); anything else is business data, or the audit log
PLATFORM_APPS = ("accounts", "auth", "axes")
PLATFORM_PREFIXES = ("otp_",)
AUDIT_APP = "audit"


def _parts(name: str) -> tuple[str, str, str]:
    app_label, _, codename = name.partition(".")
    action, _, model = codename.partition("_")
    return app_label, action, model


def is_platform(name: str) -> bool:
    app_label = name.partition(".")[0]
    return app_label in PLATFORM_APPS or app_label.startswith(PLATFORM_PREFIXES)


def _management(name: str, models: set[str]) -> bool:
    """A permission that writes accounts' `models` (adding, changing, deleting)."""
    app_label, action, model = _parts(name)
    return app_label == "accounts" and model in models and action != "view"


def refused_permission(role_code: str, name: str) -> str | None:
    """Why the role coded `role_code` may not carry the permission "app_label.codename", or None."""
    role_name = ADMIN_ROLES.get(role_code)
    if role_code == "audit_admin":
        return (
            None if name.partition(".")[0] == AUDIT_APP else f"{role_name}只能查看审计日志，不能拥有其他权限"
        )
    if role_name is not None:
        if not is_platform(name):
            what = "审计日志" if name.startswith(f"{AUDIT_APP}.") else "业务数据"
            return f"{role_name}不能拥有{what}的权限"
        if role_code == "system_admin" and _management(name, {"role", "grant"}):
            return "系统管理员不能管理角色和授权"
        if role_code == "security_admin" and _management(name, {"user"}):
            return "安全管理员不能管理用户账号"
        return None
    # a business role: none of the administrators' powers, nor the audit log
    if name.startswith(f"{AUDIT_APP}."):
        return "业务角色不能拥有审计日志的权限"
    if is_platform(name) and name != "accounts.view_user":
        return "业务角色不能拥有用户、角色、授权等系统管理权限"
    return None


def refused_permissions(role_code: str, permissions) -> str | None:
    """Why the role may not carry some of `permissions` (Permission objects), naming them in
    Chinese, or None."""
    from .forms import permission_label

    reasons: dict[str, list[str]] = {}
    for permission in permissions:
        reason = refused_permission(role_code, f"{permission.content_type.app_label}.{permission.codename}")
        if reason:
            reasons.setdefault(reason, []).append(permission_label(permission))
    return "；".join(f"{reason}：{'、'.join(found)}" for reason, found in reasons.items()) or None


def administrator_grants(user):
    """The user's grants of the three administrator roles (in force or not)."""
    return user.grants.filter(role__code__in=ADMIN_ROLES)


def is_administrator(user) -> bool:
    """A superuser, or a holder of a grant (in force or not) of one of the three administrator roles."""
    return bool(user.is_superuser or (user.pk and administrator_grants(user).exists()))
