"""三员分立 as a matrix: each of the three administrators × each action, through the service, the
API and the back office alike. An action is done, refused by a rule (a Chinese 400, or the form
or page saying why) or forbidden (no permission: 403); a refused or forbidden action changes
nothing."""

import re
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from dangjian.accounts import services
from dangjian.accounts.models import Grant, Role, User
from dangjian.accounts.roles import BUILTIN_ROLES, builtin_permissions, permissions_for, role_permissions
from dangjian.accounts.separation import ADMIN_ROLES, refused_permission
from dangjian.audit.models import AuditEntry
from dangjian.core.scope import restrict
from dangjian.core.testing.scope_matrix import admin_change_data
from dangjian.members.models import Member
from dangjian.testing.factories import PASSWORD, UserFactory, make_user

OK, REFUSED, FORBIDDEN = "done", "refused", "forbidden"
ADMINS = ("system_admin", "security_admin", "audit_admin")
CJK = re.compile(r"[\u4e00-\u9fff]")


class World:
    def __init__(self, zone, actor_role):
        self.zone = zone
        self.admins = {code: make_user(code) for code in ADMINS}
        self.actor = self.admins[actor_role]
        # another administrator than the actor (the system administrator for the others)
        self.other_admin = self.admins["audit_admin" if actor_role == "system_admin" else "system_admin"]
        self.business = make_user("leader", organization=zone.root)
        self.fresh = UserFactory(username="fresh", full_name="新同事")
        self.leader_role = Role.objects.get(code="leader")

    def role(self, code):
        return Role.objects.get(code=code)


@dataclass
class Action:
    """One action: how the service, the API and the back office take it (None: not on that path),
    and whether it took effect."""

    service: object
    api: object
    admin: object
    done: object


def perm(name):
    return permissions_for({name})[0]


def role_with(w, code, name):
    return [*w.role(code).permissions.all(), perm(name)]


def grant_data(user, role, **scope):
    return {"user": user.pk, "role": role.pk, **{k: v.pk for k, v in scope.items()}}


def admin_grant(client, user, role, **scope):
    data = {**grant_data(user, role, **scope), "valid_from": timezone.localdate().isoformat()}
    return client.post("/admin/accounts/grant/add/", data)


def has_grant(user, code):
    return Grant.objects.filter(user=user, role__code=code).exists()


def admin_role_perms(client, role, permissions):
    data = admin_change_data(role, permissions=[p.pk for p in permissions])
    return client.post(f"/admin/accounts/role/{role.pk}/change/", data)


def api_role_perms(client, role, permissions):
    return None  # roles are kept in the back office only (the API reads them)


ACTIONS = {
    "create_user": Action(
        service=lambda w: services.user_save(
            actor=w.actor, user=User(username="newcomer"), password=PASSWORD
        ),
        api=lambda c, w: c.post("/api/v1/users/", {"username": "newcomer", "password": PASSWORD}),
        admin=lambda c, w: c.post(
            "/admin/accounts/user/add/",
            {"username": "newcomer", "password1": PASSWORD, "password2": PASSWORD, "usable_password": "true"},
        ),
        done=lambda w: User.objects.filter(username="newcomer", must_change_password=True).exists(),
    ),
    "edit_user": Action(
        service=lambda w: services.user_save(actor=w.actor, user=_retitled(w.business)),
        api=lambda c, w: c.patch(f"/api/v1/users/{w.business.pk}/", {"title": "新职务"}, format="json"),
        admin=lambda c, w: c.post(
            f"/admin/accounts/user/{w.business.pk}/change/", admin_change_data(w.business, title="新职务")
        ),
        done=lambda w: User.objects.get(pk=w.business.pk).title == "新职务",
    ),
    "deactivate_user": Action(
        service=lambda w: services.user_save(actor=w.actor, user=_deactivated(w.business)),
        api=lambda c, w: c.patch(f"/api/v1/users/{w.business.pk}/", {"is_active": False}, format="json"),
        admin=lambda c, w: c.post(
            f"/admin/accounts/user/{w.business.pk}/change/", _unticked(w.business, "is_active")
        ),
        done=lambda w: not User.objects.get(pk=w.business.pk).is_active,
    ),
    "set_others_password": Action(
        service=lambda w: services.user_save(actor=w.actor, user=w.business, password="Chosen#2026x"),
        api=lambda c, w: c.patch(
            f"/api/v1/users/{w.business.pk}/", {"password": "Chosen#2026x"}, format="json"
        ),
        admin=None,  # the back office's password page of another user is the reset
        done=lambda w: User.objects.get(pk=w.business.pk).check_password("Chosen#2026x"),
    ),
    "reset_password": Action(
        service=lambda w: services.password_reset(actor=w.actor, user=w.business),
        api=lambda c, w: c.post(f"/api/v1/users/{w.business.pk}/reset-password/", {}),
        admin=lambda c, w: c.post(f"/admin/accounts/user/{w.business.pk}/password/", {}),
        done=lambda w: User.objects.get(pk=w.business.pk).must_change_password,
    ),
    "reset_other_admins_password": Action(
        service=lambda w: services.password_reset(actor=w.actor, user=w.other_admin),
        api=lambda c, w: c.post(f"/api/v1/users/{w.other_admin.pk}/reset-password/", {}),
        admin=lambda c, w: c.post(f"/admin/accounts/user/{w.other_admin.pk}/password/", {}),
        done=lambda w: User.objects.get(pk=w.other_admin.pk).must_change_password,
    ),
    "deactivate_other_admin": Action(
        service=lambda w: services.user_save(actor=w.actor, user=_deactivated(w.other_admin)),
        api=lambda c, w: c.patch(f"/api/v1/users/{w.other_admin.pk}/", {"is_active": False}, format="json"),
        admin=lambda c, w: c.post(
            f"/admin/accounts/user/{w.other_admin.pk}/change/",
            _unticked(w.other_admin, "is_active"),
        ),
        done=lambda w: not User.objects.get(pk=w.other_admin.pk).is_active,
    ),
    "grant_business_role": Action(
        service=lambda w: services.grant_save(
            actor=w.actor, grant=Grant(user=w.business, role=w.role("cadre"), enterprise=w.zone.enterprise_a)
        ),
        api=lambda c, w: c.post(
            "/api/v1/grants/", grant_data(w.business, w.role("cadre"), enterprise=w.zone.enterprise_a)
        ),
        admin=lambda c, w: admin_grant(c, w.business, w.role("cadre"), enterprise=w.zone.enterprise_a),
        done=lambda w: has_grant(w.business, "cadre"),
    ),
    "grant_admin_role_to_newcomer": Action(
        service=lambda w: services.grant_save(
            actor=w.actor, grant=Grant(user=w.fresh, role=w.role("audit_admin"))
        ),
        api=lambda c, w: c.post("/api/v1/grants/", grant_data(w.fresh, w.role("audit_admin"))),
        admin=lambda c, w: admin_grant(c, w.fresh, w.role("audit_admin")),
        done=lambda w: has_grant(w.fresh, "audit_admin"),
    ),
    "grant_to_self": Action(
        service=lambda w: services.grant_save(
            actor=w.actor, grant=Grant(user=w.actor, role=w.leader_role, organization=w.zone.root)
        ),
        api=lambda c, w: c.post(
            "/api/v1/grants/", grant_data(w.actor, w.leader_role, organization=w.zone.root)
        ),
        admin=lambda c, w: admin_grant(c, w.actor, w.leader_role, organization=w.zone.root),
        done=lambda w: has_grant(w.actor, "leader"),
    ),
    "grant_business_role_to_other_admin": Action(
        service=lambda w: services.grant_save(
            actor=w.actor, grant=Grant(user=w.other_admin, role=w.leader_role, organization=w.zone.root)
        ),
        api=lambda c, w: c.post(
            "/api/v1/grants/", grant_data(w.other_admin, w.leader_role, organization=w.zone.root)
        ),
        admin=lambda c, w: admin_grant(c, w.other_admin, w.leader_role, organization=w.zone.root),
        done=lambda w: has_grant(w.other_admin, "leader"),
    ),
    "grant_admin_role_beside_business_role": Action(
        service=lambda w: services.grant_save(
            actor=w.actor, grant=Grant(user=w.business, role=w.role("system_admin"))
        ),
        api=lambda c, w: c.post("/api/v1/grants/", grant_data(w.business, w.role("system_admin"))),
        admin=lambda c, w: admin_grant(c, w.business, w.role("system_admin")),
        done=lambda w: has_grant(w.business, "system_admin"),
    ),
    "revoke_own_grant": Action(
        service=lambda w: services.grant_delete(actor=w.actor, grant=w.actor.grants.get()),
        api=lambda c, w: c.delete(f"/api/v1/grants/{w.actor.grants.get().pk}/"),
        admin=lambda c, w: c.post(
            f"/admin/accounts/grant/{w.actor.grants.get().pk}/delete/", {"post": "yes"}
        ),
        done=lambda w: not w.actor.grants.exists(),
    ),
    "revoke_other_admins_grant": Action(
        service=lambda w: services.grant_delete(actor=w.actor, grant=w.other_admin.grants.get()),
        api=lambda c, w: c.delete(f"/api/v1/grants/{w.other_admin.grants.get().pk}/"),
        admin=lambda c, w: c.post(
            f"/admin/accounts/grant/{w.other_admin.grants.get().pk}/delete/", {"post": "yes"}
        ),
        done=lambda w: not w.other_admin.grants.exists(),
    ),
    "revoke_business_grant": Action(
        service=lambda w: services.grant_delete(actor=w.actor, grant=w.business.grants.get()),
        api=lambda c, w: c.delete(f"/api/v1/grants/{w.business.grants.get().pk}/"),
        admin=lambda c, w: c.post(
            f"/admin/accounts/grant/{w.business.grants.get().pk}/delete/", {"post": "yes"}
        ),
        done=lambda w: not w.business.grants.exists(),
    ),
    # roles: kept in the back office (the API only reads them)
    "business_permission_to_system_admin_role": Action(
        service=lambda w: services.role_save(
            actor=w.actor,
            role=w.role("system_admin"),
            permissions=role_with(w, "system_admin", "members.view_member"),
        ),
        api=None,
        admin=lambda c, w: admin_role_perms(
            c, w.role("system_admin"), role_with(w, "system_admin", "members.view_member")
        ),
        done=lambda w: w.role("system_admin").permissions.filter(codename="view_member").exists(),
    ),
    "reveal_permission_to_own_role": Action(
        service=lambda w: services.role_save(
            actor=w.actor,
            role=w.actor.grants.get().role,
            permissions=role_with(w, w.actor.grants.get().role.code, "members.reveal_personal_data"),
        ),
        api=None,
        admin=lambda c, w: admin_role_perms(
            c,
            w.actor.grants.get().role,
            role_with(w, w.actor.grants.get().role.code, "members.reveal_personal_data"),
        ),
        done=lambda w: w.actor.grants.get().role.permissions.filter(codename="reveal_personal_data").exists(),
    ),
    "audit_permission_to_security_admin_role": Action(
        service=lambda w: services.role_save(
            actor=w.actor,
            role=w.role("security_admin"),
            permissions=role_with(w, "security_admin", "audit.view_auditentry"),
        ),
        api=None,
        admin=lambda c, w: admin_role_perms(
            c, w.role("security_admin"), role_with(w, "security_admin", "audit.view_auditentry")
        ),
        done=lambda w: w.role("security_admin").permissions.filter(codename="view_auditentry").exists(),
    ),
    "grant_permission_to_system_admin_role": Action(
        service=lambda w: services.role_save(
            actor=w.actor,
            role=w.role("system_admin"),
            permissions=role_with(w, "system_admin", "accounts.add_grant"),
        ),
        api=None,
        admin=lambda c, w: admin_role_perms(
            c, w.role("system_admin"), role_with(w, "system_admin", "accounts.add_grant")
        ),
        done=lambda w: w.role("system_admin").permissions.filter(codename="add_grant").exists(),
    ),
    "audit_permission_to_business_role": Action(
        service=lambda w: services.role_save(
            actor=w.actor, role=w.leader_role, permissions=role_with(w, "leader", "audit.view_auditentry")
        ),
        api=None,
        admin=lambda c, w: admin_role_perms(
            c, w.leader_role, role_with(w, "leader", "audit.view_auditentry")
        ),
        done=lambda w: w.leader_role.permissions.filter(codename="view_auditentry").exists(),
    ),
    "business_permission_to_business_role": Action(
        service=lambda w: services.role_save(
            actor=w.actor,
            role=w.leader_role,
            permissions=role_with(w, "leader", "members.reveal_personal_data"),
        ),
        api=None,
        admin=lambda c, w: admin_role_perms(
            c, w.leader_role, role_with(w, "leader", "members.reveal_personal_data")
        ),
        done=lambda w: w.leader_role.permissions.filter(codename="reveal_personal_data").exists(),
    ),
    # reads: the service path is the scope (core.scope.restrict)
    "read_audit_log": Action(
        service=lambda w: _read(w.actor, AuditEntry),
        api=lambda c, w: c.get("/api/v1/audit/"),
        admin=lambda c, w: c.get("/admin/audit/auditentry/"),
        done=None,
    ),
    "read_members": Action(
        service=lambda w: _read(w.actor, Member),
        api=lambda c, w: c.get("/api/v1/members/"),
        admin=lambda c, w: c.get("/admin/members/member/"),
        done=None,
    ),
}

EXPECTED = {
    # action: (system_admin, security_admin, audit_admin)
    "create_user": (OK, FORBIDDEN, FORBIDDEN),
    "edit_user": (OK, FORBIDDEN, FORBIDDEN),
    "deactivate_user": (OK, FORBIDDEN, FORBIDDEN),
    "set_others_password": (REFUSED, FORBIDDEN, FORBIDDEN),
    "reset_password": (OK, FORBIDDEN, FORBIDDEN),
    "reset_other_admins_password": (REFUSED, FORBIDDEN, FORBIDDEN),
    "deactivate_other_admin": (REFUSED, FORBIDDEN, FORBIDDEN),
    "grant_business_role": (FORBIDDEN, OK, FORBIDDEN),
    "grant_admin_role_to_newcomer": (FORBIDDEN, OK, FORBIDDEN),
    "grant_to_self": (FORBIDDEN, REFUSED, FORBIDDEN),
    "grant_business_role_to_other_admin": (FORBIDDEN, REFUSED, FORBIDDEN),
    "grant_admin_role_beside_business_role": (FORBIDDEN, REFUSED, FORBIDDEN),
    "revoke_own_grant": (FORBIDDEN, REFUSED, FORBIDDEN),
    "revoke_other_admins_grant": (FORBIDDEN, REFUSED, FORBIDDEN),
    "revoke_business_grant": (FORBIDDEN, OK, FORBIDDEN),
    "business_permission_to_system_admin_role": (FORBIDDEN, REFUSED, FORBIDDEN),
    "reveal_permission_to_own_role": (FORBIDDEN, REFUSED, FORBIDDEN),
    "audit_permission_to_security_admin_role": (FORBIDDEN, REFUSED, FORBIDDEN),
    "grant_permission_to_system_admin_role": (FORBIDDEN, REFUSED, FORBIDDEN),
    "audit_permission_to_business_role": (FORBIDDEN, REFUSED, FORBIDDEN),
    "business_permission_to_business_role": (FORBIDDEN, OK, FORBIDDEN),
    "read_audit_log": (FORBIDDEN, FORBIDDEN, OK),
    "read_members": (FORBIDDEN, FORBIDDEN, FORBIDDEN),
}


def _unticked(instance, name):
    data = admin_change_data(instance)
    data.pop(name)  # an unticked box is not sent
    return data


def _retitled(user):
    user.title = "新职务"
    return user


def _deactivated(user):
    user.is_active = False
    return user


def _read(user, model):
    if not restrict(user, model, "view").exists() and not user.has_perm(
        f"{model._meta.app_label}.view_{model._meta.model_name}"
    ):
        raise PermissionDenied
    return True


CASES = [
    pytest.param(name, admin, path, EXPECTED[name][ADMINS.index(admin)], id=f"{name}-{admin}-{path}")
    for name, action in ACTIONS.items()
    for admin in ADMINS
    for path in ("service", "api", "admin")
    if getattr(action, path) is not None
]


def test_every_action_has_its_expected_outcomes():
    assert set(ACTIONS) == set(EXPECTED)


@pytest.mark.parametrize(("name", "admin", "path", "expected"), CASES)
def test_the_three_administrators(zone, name, admin, path, expected):
    w = World(zone, admin)
    action = ACTIONS[name]
    if path == "service":
        try:
            action.service(w)
            outcome = OK
        except PermissionDenied:
            outcome = FORBIDDEN
        except ValidationError as exc:
            assert all(CJK.search(m) for m in exc.messages), exc.messages
            outcome = REFUSED
    elif path == "api":
        client = APIClient()
        client.force_authenticate(w.actor)
        response = action.api(client, w)
        outcome = {200: OK, 201: OK, 204: OK, 400: REFUSED, 403: FORBIDDEN}[response.status_code]
        if outcome != OK:
            assert CJK.search(response.content.decode()), response.content.decode()
    else:
        client = Client()
        client.force_login(w.actor)
        response = action.admin(client, w)
        if response.status_code == 403:
            outcome = FORBIDDEN
        else:
            assert response.status_code in (200, 302), response.status_code
            outcome = OK if action.done is None or action.done(w) else REFUSED
            if outcome == REFUSED:
                page = (response.content or b"").decode() + str(
                    [str(m) for m in response.wsgi_request._messages] if response.status_code == 302 else ""
                )
                assert "三员分立" in page or "不能" in page, page[:2000]
    assert outcome == expected
    if action.done is not None and expected != OK:
        assert not action.done(w)  # nothing changed
    if action.done is not None and expected == OK:
        assert action.done(w)


# -- the roles themselves ----------------------------------------------------------------------
@pytest.mark.parametrize("code", ADMINS)
def test_the_administrator_roles_carry_no_business_or_audit_permissions(db, code):
    stored = {
        f"{p.content_type.app_label}.{p.codename}" for p in Role.objects.get(code=code).permissions.all()
    }
    assert stored == builtin_permissions(code)
    assert [name for name in stored if refused_permission(code, name)] == []
    if code == "audit_admin":
        assert stored == {"audit.view_auditentry"}
    else:
        assert not any(name.partition(".")[0] not in ("accounts", "auth") for name in stored)


@pytest.mark.parametrize("code", ADMINS)
def test_no_app_can_give_an_administrator_role_business_data(code):
    with pytest.raises(ValueError):
        role_permissions(code, {"members.member": ("view",)}, module="dangjian.members.roles")


@pytest.mark.parametrize("code", [c for c in BUILTIN_ROLES if c not in ADMIN_ROLES])
def test_no_business_role_carries_the_administrators_powers(db, code):
    stored = {
        f"{p.content_type.app_label}.{p.codename}" for p in Role.objects.get(code=code).permissions.all()
    }
    assert [name for name in stored if refused_permission(code, name)] == []


def test_a_superuser_too_cannot_combine_an_administrator_role_with_another(zone):
    business = make_user("leader", organization=zone.root)
    root = User.objects.create(username="root", is_superuser=True)
    with pytest.raises(ValidationError) as excinfo:
        services.grant_save(actor=root, grant=Grant(user=business, role=Role.objects.get(code="audit_admin")))
    assert excinfo.value.message_dict["role"] == [
        "三员分立：该用户已有“领导”角色，审计管理员不能与其他角色授予同一用户"
    ]
    auditor = make_user("audit_admin")
    with pytest.raises(ValidationError) as excinfo:
        services.grant_save(
            actor=None,
            grant=Grant(user=auditor, role=Role.objects.get(code="leader"), organization=zone.root),
        )
    assert excinfo.value.message_dict["role"] == ["三员分立：该用户是审计管理员，不能再授予其他角色"]
    with pytest.raises(ValidationError):
        services.grant_save(actor=None, grant=Grant(user=auditor, role=Role.objects.get(code="system_admin")))
    assert list(auditor.grants.values_list("role__code", flat=True)) == ["audit_admin"]


def test_the_refusal_names_the_permissions_in_chinese(db):
    security_admin = make_user("security_admin")
    role = Role.objects.get(code="system_admin")
    with pytest.raises(ValidationError) as excinfo:
        services.role_save(
            actor=security_admin,
            role=role,
            permissions=[*role.permissions.all(), perm("members.view_member"), perm("audit.view_auditentry")],
        )
    assert excinfo.value.message_dict["permissions"] == [
        "系统管理员不能拥有业务数据的权限：党员 · 党员 · 查看；"
        "系统管理员不能拥有审计日志的权限：审计日志 · 审计日志 · 查看"
    ]


def test_a_superuser_may_keep_the_administrators(zone):
    root = User.objects.create(username="root", is_superuser=True)
    auditor = make_user("audit_admin")
    new_password = services.password_reset(actor=root, user=auditor)
    auditor.refresh_from_db()
    assert auditor.check_password(new_password) and auditor.must_change_password


def test_the_api_answers_a_refusal_in_chinese_naming_the_reason(zone):
    client = APIClient()
    client.force_authenticate(make_user("security_admin"))
    sysadmin = make_user("system_admin")
    response = client.post(
        "/api/v1/grants/", grant_data(sysadmin, Role.objects.get(code="leader"), organization=zone.root)
    )
    assert response.status_code == 400
    assert response.json() == {
        "user": [
            "不能给超级用户或其他管理员授权或修改其授权（三员分立：超级用户和其他管理员"
            "（系统管理员、安全管理员、审计管理员）的账号只能由超级用户办理）"
        ]
    }


@pytest.mark.parametrize("code", ADMINS)
def test_no_administrator_sets_their_own_password_by_the_path_for_others(db, code):
    admin = make_user(code)
    with pytest.raises((ValidationError, PermissionDenied)):
        services.password_reset(actor=admin, user=admin)
    with pytest.raises((ValidationError, PermissionDenied)):
        services.user_save(actor=admin, user=admin, password="Eigenes#2026ab")
    client = APIClient()
    client.force_authenticate(admin)
    reset = client.post(f"/api/v1/users/{admin.pk}/reset-password/", {"password": "Eigenes#2026ab"})
    patch = client.patch(f"/api/v1/users/{admin.pk}/", {"password": "Eigenes#2026ab"}, format="json")
    assert (reset.status_code, patch.status_code) == ((400, 400) if code == "system_admin" else (403, 403))
    if code == "system_admin":
        assert reset.json()["password"] == [
            "不能重置自己的密码；修改自己的密码请使用“修改密码”页面（需要输入原密码）"
        ]
        assert patch.json()["password"] == ["修改自己的密码请使用“修改密码”页面（需要输入原密码）"]
    assert User.objects.get(pk=admin.pk).check_password(PASSWORD)


def test_the_system_administrator_cannot_deactivate_itself(db):
    admin = make_user("system_admin")
    account = User.objects.get(pk=admin.pk)
    account.is_active = False
    with pytest.raises(ValidationError) as excinfo:
        services.user_save(actor=admin, user=account)
    assert excinfo.value.message_dict == {"is_active": ["不能停用自己的账号"]}
    assert User.objects.get(pk=admin.pk).is_active
