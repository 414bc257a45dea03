"""The demo zone: every installed app's demo loader in order (core.registry.demo_loader), inside
one transaction, attributed to the load_demo command; and the site's own part, one demo user
for each role. Deterministic: the same data every time."""

import base64
import io
import random

from django.core.management import call_command
from django.db import transaction

from dangjian.accounts import services as account_services
from dangjian.accounts.models import Grant, Role, User
from dangjian.audit.context import audit_context
from dangjian.core import second_factor
from dangjian.core.demo import DEMO_PASSWORD, DemoContext
from dangjian.core.registry import demo_loader, demo_loaders
from dangjian.organizations.demo import ROOT_NAME


@transaction.atomic
def load_demo_zone(*, seed=2026, stdout=None) -> DemoContext:
    demo = DemoContext(rng=random.Random(seed), stdout=stdout)
    with audit_context(source="command", label="命令 load_demo"):
        for loader in demo_loaders():
            loader.load(demo)
        # the demo zone's organization warnings, stored as the daily job stores them
        call_command("refresh_warnings", stdout=stdout or io.StringIO())
    return demo


# The demo administrators' authenticators, with fixed secrets (base32) so that `make run` can print
# them and a newcomer add them to an authenticator app; never used outside the demo zone.
DEMO_TOTP_SECRETS = {
    "zone_admin": "DJZONEADMINDEMOSECRETKEYABCDEFGH",
    "sysadmin": "DJSYSADMINDEMOSECRETKEYABCDEFGHI",
    "secadmin": "DJSECADMINDEMOSECRETKEYABCDEFGHI",
    "auditor": "DJAUDITORDEMOSECRETKEYABCDEFGHIJ",
}


def enrol_demo_authenticator(account, secret: str):
    """Enrol `account` with the authenticator of `secret` through the enrolment's services, giving
    the code an app with that secret shows now."""
    from django_otp.oath import totp

    device = second_factor.second_factor_begin(
        actor=account, user=account, key=base64.b32decode(secret).hex()
    )
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return second_factor.second_factor_confirm(actor=account, user=account, code=f"{code:06d}")[0]


def _user(username, full_name, title, role_code, **scope):
    account = account_services.user_save(
        actor=None, user=User(username=username, full_name=full_name, title=title), password=DEMO_PASSWORD
    )
    account_services.grant_save(
        actor=None, grant=Grant(user=account, role=Role.objects.get(code=role_code), **scope)
    )
    if username in DEMO_TOTP_SECRETS:
        enrol_demo_authenticator(account, DEMO_TOTP_SECRETS[username])
    return account


@demo_loader(
    order=40,
    logins=[
        (1, "zone_admin", "党工委管理员：全区数据、台账、指标"),
        (2, "leader", "领导：全区只读、驾驶舱"),
        (3, "secretary", "党组织书记：陕西香菊药业集团党委及下级"),
        (5, "enterprise", "企业联络员：天士力一家企业；企业服务门户 /portal/"),
        (6, "sysadmin", "系统管理员：用户账号"),
        (7, "secadmin", "安全管理员：角色与授权"),
        (8, "auditor", "审计管理员：审计日志"),
    ],
)
def load_users(demo):
    orgs, enterprises = demo.shared["orgs"], demo.shared["enterprises"]
    root = orgs[ROOT_NAME]
    _user("zone_admin", "王贤锋", "党建办主任", "zone_admin", organization=root)
    _user("leader", "邢俊", "党工委书记", "leader", organization=root)
    _user("secretary", "刘海燕", "香菊集团党委书记", "secretary", organization=orgs["陕西香菊药业集团党委"])
    # the demo cadre 王一博 (login "cadre") is made by the projects loader, with assignments
    _user(
        "enterprise",
        "寇蕾",
        "天士力企业联络员",
        "enterprise_contact",
        enterprise=enterprises["陕西天士力植物药业有限责任公司"],
    )
    _user("sysadmin", "系统管理员", "", "system_admin")
    _user("secadmin", "安全管理员", "", "security_admin")
    _user("auditor", "审计管理员", "", "audit_admin")
