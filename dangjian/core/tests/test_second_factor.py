"""The second factor's rules: who must give it, the enrolment (a first code confirms the
authenticator, ten recovery codes once), the check of a code (±1 step, never the same code
twice, a recovery code once, each failure and recovery code in the audit log) and who may switch
it off."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangjian.accounts.models import Grant, Role
from dangjian.audit.models import AuditEntry
from dangjian.core import second_factor as services
from dangjian.core.second_factor import (
    check_code,
    enrolled,
    must_verify,
    recovery_codes_left,
    second_factor_required,
    secret_base32,
)
from dangjian.testing.factories import UserFactory, make_user
from dangjian.testing.second_factor import authenticator, current_code


@pytest.mark.parametrize(
    ("role", "required"),
    [
        ("zone_admin", True),
        ("system_admin", True),
        ("security_admin", True),
        ("audit_admin", True),
        ("leader", False),
        ("secretary", False),
    ],
)
def test_the_administrators_must_give_it_the_others_may(zone, role, required):
    scope = {"organization": zone.root} if role in ("zone_admin", "leader", "secretary") else {}
    user = make_user(role, **scope)
    assert second_factor_required(user) is required
    assert must_verify(user) is required


def test_a_superuser_must_give_it(db):
    assert second_factor_required(UserFactory(is_superuser=True))


def test_a_grant_no_longer_in_force_does_not_require_it(zone):
    user = make_user()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Grant.objects.create(
        user=user,
        role=Role.objects.get(code="zone_admin"),
        organization=zone.root,
        valid_from=yesterday - datetime.timedelta(days=30),
        valid_until=yesterday,
    )
    assert not second_factor_required(user)


def test_a_user_who_enrolled_of_their_own_accord_must_give_it(zone, secretary_a):
    authenticator(secretary_a)
    assert not second_factor_required(secretary_a)
    assert must_verify(secretary_a)


def test_enrolment_is_confirmed_by_a_first_code_and_gives_ten_recovery_codes_once(zone, zone_admin):
    device = services.second_factor_begin(actor=zone_admin, user=zone_admin)
    assert not device.confirmed and not enrolled(zone_admin)
    assert len(secret_base32(device).replace(" ", "")) == 32
    # the page shown again keeps the same secret until it is confirmed
    assert services.second_factor_begin(actor=zone_admin, user=zone_admin).pk == device.pk
    with pytest.raises(ValidationError) as excinfo:
        services.second_factor_confirm(actor=zone_admin, user=zone_admin, code="000000")
    assert "otp" in excinfo.value.message_dict and not enrolled(zone_admin)
    confirmed, codes = services.second_factor_confirm(
        actor=zone_admin, user=zone_admin, code=current_code(device)
    )
    assert confirmed.pk == device.pk and enrolled(zone_admin)
    assert len(codes) == 10 == len(set(codes)) == recovery_codes_left(zone_admin)
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.EVENT, actor=zone_admin, message__startswith="启用双因素认证"
    ).exists()


def test_a_new_enrolment_replaces_the_old_authenticator_and_codes(zone, zone_admin):
    old = authenticator(zone_admin)
    device = services.second_factor_begin(actor=zone_admin, user=zone_admin)
    services.second_factor_confirm(actor=zone_admin, user=zone_admin, code=current_code(device))
    assert list(TOTPDevice.objects.filter(user=zone_admin)) == [device]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert StaticDevice.objects.filter(user=zone_admin).count() == 1


@pytest.mark.parametrize("steps", [-1, 0, 1])
def test_a_code_of_this_step_or_one_either_way_is_accepted(zone, zone_admin, steps):
    device = authenticator(zone_admin)
    assert check_code(zone_admin, current_code(device, steps=steps)) == device


def test_the_same_code_is_never_accepted_twice(zone, zone_admin):
    device = authenticator(zone_admin)
    code = current_code(device)
    assert check_code(zone_admin, code) == device
    assert check_code(zone_admin, code) is None


def test_two_steps_away_is_refused(zone, zone_admin):
    device = authenticator(zone_admin)
    assert check_code(zone_admin, current_code(device, steps=2)) is None
    assert check_code(zone_admin, current_code(device, steps=-2)) is None


def test_a_failure_is_audited(zone, zone_admin):
    authenticator(zone_admin)
    assert check_code(zone_admin, "12345x") is None
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN_FAILED, actor=zone_admin)
    assert entry.message == "登录：双因素认证验证码错误"


def test_a_recovery_code_works_once_and_its_use_is_audited(zone, zone_admin):
    device = services.second_factor_begin(actor=zone_admin, user=zone_admin)
    _, codes = services.second_factor_confirm(actor=zone_admin, user=zone_admin, code=current_code(device))
    used = check_code(zone_admin, codes[3].upper())  # as typed, in capitals
    assert isinstance(used, StaticDevice)
    assert recovery_codes_left(zone_admin) == 9
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.EVENT, message="登录：使用恢复码通过双因素认证，剩余 9 个恢复码"
    ).exists()
    assert check_code(zone_admin, codes[3]) is None


def test_renewed_recovery_codes_replace_the_old(zone, zone_admin):
    device = services.second_factor_begin(actor=zone_admin, user=zone_admin)
    _, old = services.second_factor_confirm(actor=zone_admin, user=zone_admin, code=current_code(device))
    new = services.recovery_codes_renew(actor=zone_admin, user=zone_admin)
    assert isinstance(check_code(zone_admin, new[0]), StaticDevice)
    assert check_code(zone_admin, old[0]) is None


def test_renewing_without_an_authenticator_is_refused(zone, secretary_a):
    with pytest.raises(ValidationError) as excinfo:
        services.recovery_codes_renew(actor=secretary_a, user=secretary_a)
    assert excinfo.value.message_dict == {"otp": ["尚未启用双因素认证，不能生成恢复码"]}


def test_an_administrator_cannot_switch_their_own_off_an_optional_user_can(zone, zone_admin, secretary_a):
    authenticator(zone_admin)
    with pytest.raises(ValidationError) as excinfo:
        services.second_factor_remove(actor=zone_admin, user=zone_admin)
    assert excinfo.value.message_dict == {"otp": ["您的角色必须使用双因素认证，不能停用"]}
    assert enrolled(zone_admin)
    authenticator(secretary_a)
    services.second_factor_remove(actor=secretary_a, user=secretary_a)
    assert not enrolled(secretary_a) and not must_verify(secretary_a)


def test_only_who_manages_accounts_resets_anothers(zone, zone_admin, secretary_a):
    authenticator(zone_admin)
    with pytest.raises(ValidationError):
        services.second_factor_remove(actor=secretary_a, user=zone_admin)
    assert enrolled(zone_admin)
    system_admin = make_user("system_admin")
    services.second_factor_remove(actor=system_admin, user=zone_admin)
    assert not enrolled(zone_admin)
