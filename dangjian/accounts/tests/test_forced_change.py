"""A password that an administrator set (a new account, a reset) is changed at the first sign-in:
until then every page — the back office, the phone pages, the portal — leads to 修改密码, the API
answers a Chinese 403 saying why, and only 修改密码, signing out and the static files are reached.
The reset itself: a temporary password shown once, the API tokens ended, the change in the audit
log with the password as a digest only."""

import html
import json
import re

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from dangjian.accounts import services
from dangjian.accounts.models import User
from dangjian.audit.models import AuditEntry
from dangjian.core.testing.english import english_words
from dangjian.projects.tests.factories import make_cadre
from dangjian.servicedesk.tests.factories import make_contact
from dangjian.testing.factories import PASSWORD, make_user

REASON = "管理员为您新建了账号或重置了密码，请先修改密码后再使用系统"
NEW = "Selbst#Gewaehlt26"


@pytest.fixture
def reset_user(zone):
    """A secretary whose password the system administrator has just reset; and that password."""
    user = make_user("secretary", organization=zone.committee_a)
    temporary = services.password_reset(actor=make_user("system_admin"), user=user)
    return User.objects.get(pk=user.pk), temporary


def shown_temporary(text):
    start = text.index('id="temporary-password">') + len('id="temporary-password">')
    return html.unescape(text[start : text.index("<", start)])


def signed_in(user, password):
    client = Client()
    assert client.login(username=user.username, password=password)
    return client


def test_a_reset_gives_a_temporary_password_that_must_be_changed(reset_user):
    user, temporary = reset_user
    assert user.check_password(temporary) and not user.check_password(PASSWORD)
    assert user.must_change_password


@pytest.mark.parametrize("page", ["/admin/", "/admin/members/member/", "/admin/todos/", "/media/x.pdf"])
def test_every_back_office_page_leads_to_the_password_change(reset_user, page):
    client = signed_in(*reset_user)
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"] == "/admin/password_change/"


def test_the_phone_pages_and_the_portal_lead_there_too(zone):
    cadre = make_cadre("王一博")
    contact = make_contact(zone.enterprise_a)
    admin = make_user("system_admin")
    for user, page in ((cadre.user, "/m/daily/"), (contact, "/portal/")):
        temporary = services.password_reset(actor=admin, user=user)
        response = signed_in(user, temporary).get(page)
        assert (response.status_code, response["Location"]) == (302, "/admin/password_change/")


def test_the_api_answers_a_chinese_403_with_the_reason(reset_user):
    user, temporary = reset_user
    response = signed_in(user, temporary).get("/api/v1/organizations/")
    assert response.status_code == 403
    assert response.json() == {"detail": REASON}


def test_an_api_token_is_refused_with_the_reason(reset_user):
    user, temporary = reset_user
    got = APIClient().post("/api/v1/auth/token/", {"username": user.username, "password": temporary})
    assert got.status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {got.json()['token']}")
    response = client.get("/api/v1/organizations/")
    assert response.status_code == 403
    assert response.json() == {"detail": REASON}


def test_the_change_page_says_why_and_sign_out_and_static_files_pass(reset_user):
    client = signed_in(*reset_user)
    page = client.get("/admin/password_change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert REASON in text and "修改密码" in text
    assert client.get("/static/dangjian/site.css").status_code == 200
    assert client.post("/admin/logout/").status_code in (200, 302)
    assert client.get("/admin/").status_code == 302  # signed out: the sign-in page
    assert "_auth_user_id" not in client.session


def test_changing_it_releases_the_user_but_not_to_the_temporary_password(reset_user):
    user, temporary = reset_user
    client = signed_in(user, temporary)
    same = client.post(
        "/admin/password_change/",
        {"old_password": temporary, "new_password1": temporary, "new_password2": temporary},
    )
    assert same.status_code == 200
    assert "新密码不能与最近 5 次使用过的密码相同" in same.content.decode()
    assert client.get("/admin/").status_code == 302
    done = client.post(
        "/admin/password_change/", {"old_password": temporary, "new_password1": NEW, "new_password2": NEW}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password(NEW)
    assert client.get("/admin/").status_code == 200  # still signed in, now free
    assert client.get("/api/v1/organizations/").status_code == 200


def test_an_account_made_by_the_system_administrator_is_changed_first(zone):
    client = APIClient()
    client.force_authenticate(make_user("system_admin"))
    made = client.post(
        "/api/v1/users/", {"username": "newcomer", "full_name": "新同事", "password": PASSWORD}
    )
    assert made.status_code == 201 and made.json()["must_change_password"] is True


def test_a_reset_ends_the_api_tokens_and_is_in_the_audit_log(zone):
    user = make_user("secretary", organization=zone.committee_a)
    Token.objects.create(user=user)
    admin = make_user("system_admin")
    client = APIClient()
    client.force_authenticate(admin)
    response = client.post(f"/api/v1/users/{user.pk}/reset-password/", {})
    assert response.status_code == 200
    temporary = response.json()["temporary_password"]
    assert response["Cache-Control"] == "no-store"
    assert User.objects.get(pk=user.pk).check_password(temporary)
    assert not Token.objects.filter(user=user).exists()
    entry = AuditEntry.objects.filter(
        action=AuditEntry.Action.UPDATE, object_id=str(user.pk), actor=admin
    ).latest("id")
    assert entry.after["must_change_password"] is True
    assert entry.after["password"].startswith("******")
    assert temporary not in json.dumps(entry.after, ensure_ascii=False)


def test_the_back_office_shows_the_temporary_password_once_and_never_caches_it(zone):
    user = make_user("secretary", organization=zone.committee_a)
    client = Client()
    client.force_login(make_user("system_admin"))
    form = client.get(f"/admin/accounts/user/{user.pk}/password/")
    assert form.status_code == 200 and "留空则生成随机临时密码" in form.content.decode()
    response = client.post(f"/admin/accounts/user/{user.pk}/password/", {})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    temporary = shown_temporary(response.content.decode())
    assert User.objects.get(pk=user.pk).check_password(temporary)
    again = client.get(f"/admin/accounts/user/{user.pk}/password/").content.decode()
    assert temporary not in again


def test_one_s_own_password_page_is_the_change_with_the_old_one(zone):
    admin = make_user("system_admin")
    client = Client()
    client.force_login(admin)
    response = client.get(f"/admin/accounts/user/{admin.pk}/password/")
    assert (response.status_code, response["Location"]) == (302, "/admin/password_change/")


def test_mismatched_passwords_are_said_in_chinese(zone):
    user = make_user("secretary", organization=zone.committee_a)
    client = Client()
    client.force_login(make_user("system_admin"))
    response = client.post(
        f"/admin/accounts/user/{user.pk}/password/",
        {"password1": "Erste#2026ab", "password2": "Zweite#2026ab"},
    )
    assert "两次输入的密码不一致" in response.content.decode()
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


def test_the_reset_and_change_pages_are_in_chinese(reset_user):
    user, temporary = reset_user
    pages = {"change": signed_in(user, temporary).get("/admin/password_change/")}
    admin = Client()
    admin.force_login(make_user("system_admin"))
    pages["reset"] = admin.get(f"/admin/accounts/user/{user.pk}/password/")
    pages["reset-done"] = admin.post(f"/admin/accounts/user/{user.pk}/password/", {})
    pages["user"] = admin.get(f"/admin/accounts/user/{user.pk}/change/")
    found = {}
    for name, response in pages.items():
        assert response.status_code == 200, name
        text = response.content.decode()
        allowed = {user.username, "IP"}
        if name == "reset-done":  # the temporary password's letters
            allowed |= set(re.findall(r"[A-Za-z]+", shown_temporary(text)))
        words = english_words(text, allowed=allowed)
        if words:
            found[name] = words
    assert found == {}
