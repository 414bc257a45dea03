"""Login lockout (django-axes, accounts.lockout): 5 failed sign-ins of a user name within 15
minutes lock it for 30, on the back office, the phone page, the portal and the API token; the
locked account is refused even with the right password, told so in Chinese and until when; the
security administrator sees the locks and lifts them, audited; nobody else does."""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from dangjian.audit.models import AuditEntry
from dangjian.core.testing.english import english_words
from dangjian.site.services import unlock_accounts
from dangjian.testing.factories import PASSWORD, make_user

PAGES = ["/admin/login/", "/m/login/", "/portal/login/"]
TOKEN = "/api/v1/auth/token/"
WRONG = "Wrong@2026pass"


@pytest.fixture(autouse=True)
def lockout_rules(settings):
    settings.LOCKOUT_FAILURES = 5
    settings.LOCKOUT_WINDOW_MINUTES = 15
    settings.LOCKOUT_MINUTES = 30


def sign_in(path, username, password, ip="10.0.0.1"):
    client = Client(REMOTE_ADDR=ip)
    return client, client.post(path, {"username": username, "password": password})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(path, username, times, ip="10.0.0.1"):
    for _ in range(times):
        response = sign_in(path, username, WRONG, ip)[1]
    return response


def age(username, minutes):
    """The failures of `username` happened `minutes` earlier (instead of waiting)."""
    earlier = datetime.timedelta(minutes=minutes)
    for model in (AccessAttempt, AccessFailureLog):
        for row in model.objects.filter(username=username):
            model.objects.filter(pk=row.pk).update(attempt_time=row.attempt_time - earlier)


@pytest.mark.parametrize("path", PAGES)
def test_four_failures_then_the_right_password_signs_in(zone, secretary_a, path):
    page = fail(path, secretary_a.username, 4)
    assert "用户名或密码不正确" in page.content.decode()
    client, response = sign_in(path, secretary_a.username, PASSWORD)
    assert response.status_code == 302 and signed_in(client)


@pytest.mark.parametrize("path", PAGES)
def test_the_fifth_failure_locks_the_right_password_is_refused_until_the_lock_ends(zone, secretary_a, path):
    locked = fail(path, secretary_a.username, 5)
    text = locked.content.decode()
    # the sign-in page itself, in Chinese, saying until when
    assert locked.status_code == 200 and 'name="password"' in text
    until = timezone.localtime(AccessAttempt.objects.get(username=secretary_a.username).attempt_time)
    until += datetime.timedelta(minutes=30)
    assert (
        f"登录失败次数过多，账号已锁定，请于 30 分钟后（{until:%H:%M} 之后）再试，或联系安全管理员解锁"
        in text
    )

    client, refused = sign_in(path, secretary_a.username, PASSWORD)
    assert refused.status_code == 200 and not signed_in(client)
    assert "账号已锁定" in refused.content.decode()

    age(secretary_a.username, 29)
    client, still = sign_in(path, secretary_a.username, PASSWORD)
    assert not signed_in(client) and "请于 1 分钟后" in still.content.decode()

    age(secretary_a.username, 2)  # 31 minutes after the lock
    client, response = sign_in(path, secretary_a.username, PASSWORD)
    assert response.status_code == 302 and signed_in(client)


def test_failures_while_locked_do_not_prolong_the_lock(zone, secretary_a):
    fail("/admin/login/", secretary_a.username, 5)
    age(secretary_a.username, 20)
    fail("/admin/login/", secretary_a.username, 3)
    age(secretary_a.username, 11)
    client, response = sign_in("/admin/login/", secretary_a.username, PASSWORD)
    assert response.status_code == 302 and signed_in(client)


def test_only_failures_within_the_window_count(zone, secretary_a):
    fail("/admin/login/", secretary_a.username, 4)
    age(secretary_a.username, 16)  # those four are older than 15 minutes
    page = fail("/admin/login/", secretary_a.username, 1)
    assert "账号已锁定" not in page.content.decode()
    assert sign_in("/admin/login/", secretary_a.username, PASSWORD)[1].status_code == 302


def test_five_failures_just_within_the_window_lock(zone, secretary_a):
    fail("/admin/login/", secretary_a.username, 2)
    age(secretary_a.username, 10)
    fail("/admin/login/", secretary_a.username, 2)
    age(secretary_a.username, 4)  # the first two 14 minutes ago, the next two 4 minutes ago
    assert "账号已锁定" in fail("/admin/login/", secretary_a.username, 1).content.decode()
    client, _ = sign_in("/admin/login/", secretary_a.username, PASSWORD)
    assert not signed_in(client)


def test_a_sliding_window_of_fifteen_minutes(zone, secretary_a):
    """Failures 20 minutes ago have left the window, those 10 minutes ago have not: failures
    never more than 10 minutes apart do not add up beyond the window."""
    fail("/admin/login/", secretary_a.username, 2)
    age(secretary_a.username, 10)
    fail("/admin/login/", secretary_a.username, 2)
    age(secretary_a.username, 10)  # 2 at -20 min, 2 at -10 min
    assert "账号已锁定" not in fail("/admin/login/", secretary_a.username, 2).content.decode()
    assert "账号已锁定" in fail("/admin/login/", secretary_a.username, 1).content.decode()


def test_the_lock_is_by_user_name_from_any_address_and_on_every_path(zone, secretary_a):
    for n, path in enumerate([*PAGES, "/admin/login/", "/m/login/"]):
        fail(path, secretary_a.username, 1, ip=f"10.0.0.{n + 1}")
    client, response = sign_in("/portal/login/", secretary_a.username, PASSWORD, ip="10.9.9.9")
    assert not signed_in(client) and "账号已锁定" in response.content.decode()
    api = APIClient(REMOTE_ADDR="10.9.9.8").post(
        TOKEN, {"username": secretary_a.username, "password": PASSWORD}
    )
    assert api.status_code == 429
    # another account from the same addresses is not locked
    other = make_user("secretary", organization=zone.committee_a)
    assert sign_in("/admin/login/", other.username, PASSWORD, ip="10.0.0.1")[1].status_code == 302


def test_the_recorded_address_ignores_a_forged_forwarded_for_header(zone, secretary_a, settings):
    settings.PROXY_COUNT = 0
    Client(REMOTE_ADDR="10.6.6.6", HTTP_X_FORWARDED_FOR="192.0.2.1").post(
        "/admin/login/", {"username": secretary_a.username, "password": WRONG}
    )
    assert AccessAttempt.objects.get(username=secretary_a.username).ip_address == "10.6.6.6"
    settings.PROXY_COUNT = 1  # behind one proxy: the address it was reached from
    Client(REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR="192.0.2.1, 10.7.7.7").post(
        "/admin/login/", {"username": secretary_a.username, "password": WRONG}
    )
    assert AccessAttempt.objects.filter(username=secretary_a.username, ip_address="10.7.7.7").exists()


def test_a_success_starts_the_count_again(zone, secretary_a):
    fail("/admin/login/", secretary_a.username, 4)
    assert sign_in("/admin/login/", secretary_a.username, PASSWORD)[1].status_code == 302
    fail("/admin/login/", secretary_a.username, 4)
    assert sign_in("/admin/login/", secretary_a.username, PASSWORD)[1].status_code == 302


def test_an_unknown_user_name_is_locked_too_without_saying_it_does_not_exist(zone):
    assert "账号已锁定" in fail("/admin/login/", "nobody", 5).content.decode()


def token(username, password, ip="10.0.0.1"):
    return APIClient(REMOTE_ADDR=ip).post(TOKEN, {"username": username, "password": password})


def test_the_token_endpoint_locks_on_the_fifth_failure_with_a_chinese_429(zone, secretary_a):
    for _ in range(4):
        assert token(secretary_a.username, WRONG).status_code == 400
    locked = token(secretary_a.username, WRONG)
    assert locked.status_code == 429
    assert locked.json()["detail"].startswith("登录失败次数过多，账号已锁定，请于 30 分钟后")
    assert 1700 < int(locked["Retry-After"]) <= 1800
    refused = token(secretary_a.username, PASSWORD)
    assert refused.status_code == 429 and "token" not in refused.json()
    age(secretary_a.username, 31)
    assert "token" in token(secretary_a.username, PASSWORD).json()


def test_four_token_failures_then_the_right_password_gets_a_token(zone, secretary_a):
    for _ in range(4):
        token(secretary_a.username, WRONG)
    assert token(secretary_a.username, PASSWORD).status_code == 200


def test_the_lock_and_every_refusal_are_audited(zone, secretary_a):
    fail("/admin/login/", secretary_a.username, 5)
    sign_in("/admin/login/", secretary_a.username, PASSWORD)
    lock = AuditEntry.objects.get(action=AuditEntry.Action.EVENT, message__contains="已锁定")
    assert lock.actor_label == secretary_a.username and lock.ip == "10.0.0.1"
    assert secretary_a.username in lock.message and "锁定至" in lock.message
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED).count() == 6


# -- the security administrator --------------------------------------------------------------------
LOCKS = "/admin/axes/accessattempt/"


@pytest.fixture
def security_admin(db):
    return make_user("security_admin")


def test_the_security_administrator_sees_the_locks_in_chinese(zone, secretary_a, security_admin):
    fail("/admin/login/", secretary_a.username, 5, ip="10.1.2.3")
    client = Client()
    client.force_login(security_admin)
    page = client.get(LOCKS)
    text = page.content.decode()
    assert page.status_code == 200
    assert secretary_a.username in text and "10.1.2.3" in text and "已锁定，至" in text
    assert "解锁所选账号" in text and "登录锁定" in text and "失败次数" in text
    assert "登录锁定" in client.get("/admin/").content.decode()  # the sidebar entry
    failures = client.get("/admin/axes/accessfailurelog/")
    assert failures.status_code == 200 and "登录失败记录" in failures.content.decode()
    row = AccessAttempt.objects.get(username=secretary_a.username)
    detail = client.get(f"{LOCKS}{row.pk}/change/")
    assert detail.status_code == 302 and detail["Location"] == LOCKS  # no page of its own
    assert f"{LOCKS}{row.pk}/change/" not in text and "后台" in text
    for response in (page, failures):
        assert not english_words(response.content.decode(), {secretary_a.username})
    assert client.get(LOCKS + "?state=locked").content.decode().count(secretary_a.username) >= 1


def test_the_security_administrator_unlocks_and_it_is_audited(zone, secretary_a, security_admin):
    fail("/admin/login/", secretary_a.username, 5)
    client = Client()
    client.force_login(security_admin)
    rows = AccessAttempt.objects.filter(username=secretary_a.username)
    response = client.post(LOCKS, {"action": "unlock", "_selected_action": [r.pk for r in rows]}, follow=True)
    assert f"已解锁：{secretary_a.username}" in response.content.decode()
    assert not AccessAttempt.objects.filter(username=secretary_a.username).exists()
    entry = AuditEntry.objects.get(message__startswith="解除登录锁定")
    assert entry.actor == security_admin and secretary_a.username in entry.message
    assert sign_in("/admin/login/", secretary_a.username, PASSWORD)[1].status_code == 302
    # counting begins again: one failure after the unlock does not lock
    assert "账号已锁定" not in fail("/admin/login/", secretary_a.username, 1).content.decode()


@pytest.mark.parametrize("role", ["system_admin", "audit_admin", "zone_admin"])
def test_other_roles_neither_see_nor_lift_locks(zone, secretary_a, role):
    scope = {"organization": zone.root} if role == "zone_admin" else {}
    other = make_user(role, **scope)
    fail("/admin/login/", secretary_a.username, 5)
    client = Client()
    client.force_login(other)
    assert client.get(LOCKS).status_code == 403
    rows = AccessAttempt.objects.filter(username=secretary_a.username)
    client.post(LOCKS, {"action": "unlock", "_selected_action": [r.pk for r in rows]})
    assert rows.exists()
    assert "登录锁定" not in client.get("/admin/").content.decode()
    with pytest.raises(PermissionDenied):
        unlock_accounts(actor=other, usernames=[secretary_a.username])
    assert rows.exists()
