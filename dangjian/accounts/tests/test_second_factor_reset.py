"""重置双因素认证 (a lost phone): the system administrator resets a business user's authenticator and
recovery codes from the user's page, after confirming; never their own here, nor another
administrator's (三员分立: only a superuser); the user then enrols again. Audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangjian.accounts import services
from dangjian.audit.models import AuditEntry
from dangjian.core.second_factor import enrolled
from dangjian.testing.factories import make_user
from dangjian.testing.second_factor import authenticator

pytestmark = pytest.mark.django_db


@pytest.fixture
def sysadmin(zone):
    return make_user("system_admin")


@pytest.fixture
def lost_phone(zone):
    """A zone administrator (who must use the factor) with an authenticator and recovery codes."""
    user = make_user("zone_admin", organization=zone.root)
    authenticator(user)
    StaticDevice.objects.create(user=user, name="恢复码", confirmed=True).token_set.create(token="abcd1234")
    return user


def test_the_system_administrator_resets_it_and_the_user_enrols_again(sysadmin, lost_phone):
    services.second_factor_reset(actor=sysadmin, user=lost_phone)
    assert not enrolled(lost_phone)
    assert not TOTPDevice.objects.filter(user=lost_phone).exists()
    assert not StaticDevice.objects.filter(user=lost_phone).exists()
    entry = AuditEntry.objects.filter(object_id=str(lost_phone.pk), message__contains="双因素认证").latest(
        "id"
    )
    assert entry.actor == sysadmin


def test_not_ones_own_here(sysadmin):
    authenticator(sysadmin)
    with pytest.raises(ValidationError, match="双因素认证"):
        services.second_factor_reset(actor=sysadmin, user=sysadmin)
    assert enrolled(sysadmin)


def test_not_another_administrator_s(sysadmin):
    auditor = make_user("audit_admin")
    authenticator(auditor)
    with pytest.raises(ValidationError, match="三员分立"):
        services.second_factor_reset(actor=sysadmin, user=auditor)
    assert enrolled(auditor)


def test_not_by_who_does_not_manage_accounts(zone, lost_phone):
    for role in ("security_admin", "audit_admin"):
        with pytest.raises(PermissionDenied):
            services.second_factor_reset(actor=make_user(role), user=lost_phone)
    assert enrolled(lost_phone)


def test_the_user_page_shows_it_and_resets_after_confirming(client, sysadmin, lost_phone):
    client.force_login(sysadmin)
    page = client.get(f"/admin/accounts/user/{lost_phone.pk}/change/").content.decode()
    assert "已启用" in page and f"/admin/accounts/user/{lost_phone.pk}/second-factor/" in page

    confirm = client.get(f"/admin/accounts/user/{lost_phone.pk}/second-factor/")
    assert confirm.status_code == 200 and "确认重置双因素认证" in confirm.content.decode()
    assert enrolled(lost_phone)  # a visit changes nothing

    done = client.post(f"/admin/accounts/user/{lost_phone.pk}/second-factor/")
    assert done.status_code == 200 and "已重置" in done.content.decode()
    assert not enrolled(lost_phone)
    assert "未启用" in client.get(f"/admin/accounts/user/{lost_phone.pk}/change/").content.decode()


def test_the_page_refuses_in_chinese_and_changes_nothing(client, sysadmin):
    auditor = make_user("audit_admin")
    authenticator(auditor)
    client.force_login(sysadmin)
    answer = client.post(f"/admin/accounts/user/{auditor.pk}/second-factor/")
    assert answer.status_code == 400 and "三员分立" in answer.content.decode()
    assert enrolled(auditor)


def test_who_may_not_reset_sees_the_state_without_the_link(client, lost_phone):
    client.force_login(make_user("security_admin"))
    page = client.get(f"/admin/accounts/user/{lost_phone.pk}/change/").content.decode()
    assert "已启用" in page and "/second-factor/" not in page
