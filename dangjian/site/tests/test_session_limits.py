"""Session limits (site.sessions): signed out after 30 minutes without a request (sliding) and 12
hours after signing in whatever the activity, back to the sign-in page of where the user was with
a Chinese message, the sign-out audited; the API via the session answers 401 in Chinese; the
warning script is served and on every kind of page."""

import pytest
from django.conf import settings as django_settings
from django.test import Client

from dangjian.audit.models import AuditEntry
from dangjian.projects.tests.factories import make_cadre
from dangjian.site.sessions import SEEN, STARTED
from dangjian.testing.factories import PASSWORD


@pytest.fixture(autouse=True)
def limits(settings):
    settings.SESSION_IDLE_MINUTES = 30
    settings.SESSION_IDLE_WARNING_MINUTES = 2
    settings.SESSION_MAX_HOURS = 12


def signed_in_client(user):
    client = Client()
    client.force_login(user)
    return client


def idle(client, minutes, *, since_sign_in=None):
    """The last request was `minutes` ago (and the sign-in `since_sign_in` minutes ago)."""
    session = client.session
    session[SEEN] -= minutes * 60
    if since_sign_in is not None:
        session[STARTED] -= since_sign_in * 60
    session.save()


def test_29_minutes_idle_still_works_31_signs_out_to_the_login_page(zone, secretary_a):
    client = signed_in_client(secretary_a)
    idle(client, 29)
    assert client.get("/admin/").status_code == 200
    idle(client, 31)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == "/admin/login/?next=/admin/"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert "您已超过 30 分钟未操作，已自动退出，请重新登录" in page.content.decode()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGOUT)
    assert entry.actor == secretary_a and entry.message == "您已超过 30 分钟未操作，已自动退出，请重新登录"


def test_the_idle_limit_slides_with_each_request(zone, secretary_a):
    client = signed_in_client(secretary_a)
    for _ in range(3):
        idle(client, 25)
        assert client.get("/admin/").status_code == 200


def test_the_absolute_limit_signs_out_whatever_the_activity(zone, secretary_a):
    client = signed_in_client(secretary_a)
    idle(client, 0, since_sign_in=11 * 60 + 59)
    assert client.get("/admin/").status_code == 200
    idle(client, 0, since_sign_in=2)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert "登录已满 12 小时，已自动退出，请重新登录" in client.get(response["Location"]).content.decode()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOGOUT, message__contains="12 小时").exists()


def test_the_phone_page_and_the_portal_sign_out_to_their_own_login(zone):
    cadre = make_cadre()
    client = signed_in_client(cadre.user)
    assert client.get("/m/daily/").status_code == 200
    idle(client, 31)
    response = client.get("/m/daily/")
    assert response["Location"] == "/m/login/?next=/m/daily/"
    assert "未操作，已自动退出" in client.get(response["Location"]).content.decode()

    from dangjian.servicedesk.tests.factories import make_contact
    from dangjian.testing.factories import make_enterprise

    contact = make_contact(make_enterprise("甲公司"))
    client = signed_in_client(contact)
    assert client.get("/portal/").status_code == 200
    idle(client, 31)
    response = client.get("/portal/")
    assert response["Location"] == "/portal/login/?next=/portal/"
    assert "未操作，已自动退出" in client.get(response["Location"]).content.decode()


def test_the_api_through_the_session_answers_401_in_chinese(zone, secretary_a):
    client = signed_in_client(secretary_a)
    assert client.get("/api/v1/organizations/").status_code == 200
    idle(client, 31)
    response = client.get("/api/v1/organizations/")
    assert response.status_code == 401
    assert response.json()["detail"] == "您已超过 30 分钟未操作，已自动退出，请重新登录"


def test_asking_the_status_is_no_activity_and_keepalive_is(zone, secretary_a):
    client = signed_in_client(secretary_a)
    idle(client, 29)
    status = client.get("/session/status/").json()
    assert status["authenticated"] and 50 <= status["idle_seconds_left"] <= 60
    assert status["warning_seconds"] == 120 and status["absolute_seconds_left"] > 11 * 3600
    assert 50 <= client.get("/session/status/").json()["idle_seconds_left"] <= 60  # not extended
    kept = client.post("/session/keepalive/").json()
    assert kept["idle_seconds_left"] >= 30 * 60 - 2
    idle(client, 29)
    assert client.get("/admin/").status_code == 200


def test_the_status_of_an_expired_session_signs_out(zone, secretary_a):
    client = signed_in_client(secretary_a)
    idle(client, 31)
    assert client.get("/session/status/").json() == {"authenticated": False, "expired": True}
    assert "_auth_user_id" not in client.session
    assert Client().get("/session/status/").json() == {"authenticated": False}
    assert Client().get("/session/keepalive/").status_code == 405


def test_a_fresh_sign_in_starts_both_limits(zone, secretary_a):
    client = Client()
    client.post("/admin/login/", {"username": secretary_a.username, "password": PASSWORD})
    status = client.get("/session/status/").json()
    assert status["idle_seconds_left"] >= 30 * 60 - 2 and status["absolute_seconds_left"] >= 12 * 3600 - 2


def test_the_cookie_lasts_no_longer_than_the_absolute_limit():
    assert django_settings.SESSION_COOKIE_AGE == django_settings.SESSION_MAX_HOURS * 3600


def test_the_warning_script_is_served_and_on_every_kind_of_page(zone, secretary_a):
    script = Client().get("/static/dangjian/idle.js")
    assert script.status_code == 200
    source = b"".join(script.streaming_content).decode() if script.streaming else script.content.decode()
    assert "您已长时间未操作，将于 " in source and "继续使用" in source and "/session/keepalive/" in source
    for path in ["/admin/login/", "/m/login/", "/portal/login/"]:
        assert "/static/dangjian/idle.js" in Client().get(path).content.decode(), path
    assert "/static/dangjian/idle.js" in signed_in_client(secretary_a).get("/admin/").content.decode()
