"""上次登录: right after signing in, and on the dashboard, the time and IP address of the sign-in
before this one (from the audit log's login entries); the first sign-in says so."""

import datetime

from django.test import Client
from django.utils import timezone

from dangjian.audit.models import AuditEntry
from dangjian.site.selectors import login_text, previous_login
from dangjian.testing.factories import PASSWORD, make_user


def sign_in(user, ip):
    client = Client(REMOTE_ADDR=ip)
    response = client.post(
        "/admin/login/?next=/admin/", {"username": user.username, "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    return client, response.content.decode()


def test_the_first_sign_in_says_so(zone):
    user = make_user("secretary", organization=zone.committee_a)
    _client, page = sign_in(user, "10.0.0.4")
    assert "这是您首次登录" in page


def test_the_next_sign_in_shows_the_previous_time_and_ip(zone):
    user = make_user("secretary", organization=zone.committee_a)
    sign_in(user, "10.0.0.5")
    first = AuditEntry.objects.filter(actor=user, action=AuditEntry.Action.LOGIN).get()
    at = timezone.localtime(first.at)
    expected = f"上次登录：{at.year}年{at.month}月{at.day}日 {at:%H:%M}，IP 10.0.0.5"

    client, page = sign_in(user, "10.0.0.6")
    assert page.count(expected) == 2  # the message after signing in, and the dashboard's line
    assert "IP 10.0.0.6" not in page  # this sign-in is not the previous one
    dashboard = client.get("/admin/").content.decode()
    assert f'id="previous-login">{expected}<' in dashboard
    assert dashboard.count(expected) == 1  # the message was shown once


def test_the_previous_sign_in_is_the_one_before_the_newest(zone):
    user, other = make_user("leader", organization=zone.root), make_user("leader", organization=zone.root)
    for ip in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        AuditEntry.objects.create(action=AuditEntry.Action.LOGIN, actor=user, ip=ip)
    AuditEntry.objects.create(action=AuditEntry.Action.LOGIN, actor=other, ip="10.9.9.9")
    AuditEntry.objects.create(action=AuditEntry.Action.LOGIN_FAILED, actor=user, ip="10.8.8.8")
    assert previous_login(user).ip == "10.0.0.2"


def test_the_format_is_chinese():
    at = timezone.make_aware(datetime.datetime(2026, 12, 1, 9, 30))
    assert login_text(AuditEntry(at=at, ip="10.0.0.5")) == "上次登录：2026年12月1日 09:30，IP 10.0.0.5"
    assert login_text(AuditEntry(at=at, ip=None)) == "上次登录：2026年12月1日 09:30，IP 不详"
