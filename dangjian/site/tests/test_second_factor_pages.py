"""The second factor on the pages and the API: after the password, an administrator without an
authenticator enrols before anything else, one with it gives the code (or a recovery code); until
then every page leads to that and the API refuses in Chinese; the phone and the portal ask an
enrolled user in their own look; the token sign-in wants `otp` of those who need it."""

import re

import pytest
from rest_framework.test import APIClient

from dangjian.audit.models import AuditEntry
from dangjian.core.second_factor import enrolled
from dangjian.core.testing.english import english_words
from dangjian.projects.tests.factories import make_cadre, make_project
from dangjian.servicedesk.tests.factories import make_contact
from dangjian.site.second_factor import API_UNENROLLED, API_UNVERIFIED
from dangjian.testing.factories import PASSWORD, make_user
from dangjian.testing.second_factor import authenticator, current_code

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
SETUP = "/admin/two-factor/"
VERIFY = "/admin/two-factor/verify/"
TOKEN = "/api/v1/auth/token/"


def sign_in(client, user, path=LOGIN):
    response = client.post(path, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()
    return response


def text(response):
    return response.content.decode()


def test_an_administrator_without_an_authenticator_enrols_before_anything_else(client, zone, zone_admin):
    sign_in(client, zone_admin)
    response = client.get("/admin/warnings/")
    assert (response.status_code, response["Location"]) == (302, f"{SETUP}?next=%2Fadmin%2Fwarnings%2F")
    api = client.get("/api/v1/organizations/")
    assert (api.status_code, api.json()) == (403, {"detail": API_UNENROLLED})

    page = client.get(response["Location"])
    assert page.status_code == 200
    body = text(page)
    assert "<svg" in body and "必须使用双因素认证" in body
    secret = re.search(r'id="second-factor-secret"[^>]*>([A-Z2-7 ]+)<', body).group(1)
    assert not english_words(body, {zone_admin.username, *secret.split()})

    wrong = client.post(SETUP, {"action": "confirm", "otp": "12345", "next": "/admin/warnings/"})
    assert wrong.status_code == 400 and "验证码为 6 位数字" in text(wrong)
    assert not enrolled(zone_admin)

    device = zone_admin.totpdevice_set.get()
    # the secret shown is the device's, as an authenticator app would read it
    assert secret.replace(" ", "") in device.config_url
    done = client.post(SETUP, {"action": "confirm", "otp": current_code(device), "next": "/admin/warnings/"})
    assert done.status_code == 200
    codes = re.findall(r"<li[^>]*>([a-z2-7]{8})</li>", text(done))
    assert len(codes) == 10
    assert 'href="/admin/warnings/"' in text(done)
    # enrolling is proving the authenticator: the session counts
    assert client.get("/admin/warnings/").status_code == 200
    assert client.get("/api/v1/organizations/").status_code == 200


def test_an_enrolled_administrator_gives_the_code_before_any_page(client, zone, zone_admin):
    device = authenticator(zone_admin)
    sign_in(client, zone_admin)
    response = client.get("/admin/warnings/")
    assert (response.status_code, response["Location"]) == (302, f"{VERIFY}?next=%2Fadmin%2Fwarnings%2F")
    assert client.get(SETUP)["Location"].startswith(VERIFY)  # no new authenticator without the code
    api = client.get("/api/v1/organizations/")
    assert (api.status_code, api.json()) == (403, {"detail": API_UNVERIFIED})

    page = client.get(response["Location"])
    assert page.status_code == 200 and 'name="otp"' in text(page)
    assert not english_words(text(page), {zone_admin.username})
    wrong = client.post(VERIFY, {"otp": "000000", "next": "/admin/warnings/"})
    assert wrong.status_code == 400 and "验证码不正确或已经用过" in text(wrong)
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.LOGIN_FAILED, actor=zone_admin, message="登录：双因素认证验证码错误"
    ).exists()
    assert client.get("/admin/").status_code == 302

    device.throttling_failure_count = 0  # the wait after a failure is its own test
    device.save()
    right = client.post(VERIFY, {"otp": current_code(device), "next": "/admin/warnings/"})
    assert (right.status_code, right["Location"]) == (302, "/admin/warnings/")
    assert client.get("/admin/warnings/").status_code == 200
    assert client.get("/api/v1/organizations/").status_code == 200


def test_after_a_wrong_code_the_next_must_wait(client, zone, zone_admin):
    device = authenticator(zone_admin)
    sign_in(client, zone_admin)
    client.post(VERIFY, {"otp": "000000"})
    refused = client.post(VERIFY, {"otp": current_code(device)})
    assert refused.status_code == 400 and "秒后再试" in text(refused)
    assert client.get("/admin/").status_code == 302


def test_a_recovery_code_lets_in_once_and_warns(client, zone, zone_admin):
    from dangjian.core import second_factor as services

    device = services.second_factor_begin(actor=zone_admin, user=zone_admin)
    _, codes = services.second_factor_confirm(actor=zone_admin, user=zone_admin, code=current_code(device))
    sign_in(client, zone_admin)
    response = client.post(VERIFY, {"otp": codes[0]}, follow=True)
    assert response.status_code == 200
    assert "还剩 9 个" in text(response)
    client.post("/admin/logout/")
    sign_in(client, zone_admin)
    again = client.post(VERIFY, {"otp": codes[0]})
    assert again.status_code == 400


def test_the_code_page_goes_on_only_within_the_site(client, zone, zone_admin):
    device = authenticator(zone_admin)
    sign_in(client, zone_admin)
    response = client.post(VERIFY, {"otp": current_code(device), "next": "https://evil.example.com/"})
    assert response["Location"] == "/admin/"


def test_signing_out_is_open_before_the_code(client, zone, zone_admin):
    authenticator(zone_admin)
    sign_in(client, zone_admin)
    assert client.post("/admin/logout/").status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_user_who_need_not_enrol_goes_straight_in_and_may_enrol(client, zone, secretary_a):
    sign_in(client, secretary_a)
    assert client.get("/admin/").status_code == 200
    page = client.get(SETUP)
    assert page.status_code == 200 and "必须使用" not in text(page)
    device = secretary_a.totpdevice_set.get()
    client.post(SETUP, {"action": "confirm", "otp": current_code(device)})
    assert enrolled(secretary_a)
    enrolled_page = client.get(SETUP)
    assert "停用双因素认证" in text(enrolled_page) and 'id="recovery-codes-left"' in text(enrolled_page)
    renewed = client.post(SETUP, {"action": "renew"})
    assert len(re.findall(r"<li[^>]*>([a-z2-7]{8})</li>", text(renewed))) == 10
    client.post(SETUP, {"action": "remove"})
    assert not enrolled(secretary_a)


def test_an_administrator_may_not_switch_it_off(client, zone, zone_admin):
    client.force_login(zone_admin)
    page = client.get(SETUP)
    assert "停用双因素认证" not in text(page)
    response = client.post(SETUP, {"action": "remove"})
    assert "不能停用" in text(response)
    assert enrolled(zone_admin)


def test_an_enrolled_cadre_gives_the_code_on_the_phone(client, zone):
    cadre = make_cadre("王双因")
    make_project("秦岭数据中心", cadres=[cadre])
    cadre.user.set_password(PASSWORD)
    cadre.user.save()
    device = authenticator(cadre.user)
    sign_in(client, cadre.user, "/m/login/")
    response = client.get("/m/daily/")
    assert response["Location"] == "/m/verify/?next=%2Fm%2Fdaily%2F"
    page = client.get(response["Location"])
    assert 'name="otp"' in text(page) and "认证器" in text(page)
    assert not english_words(text(page), {cadre.user.username})
    right = client.post("/m/verify/", {"otp": current_code(device), "next": "/m/daily/"})
    assert right["Location"] == "/m/daily/"
    assert client.get("/m/daily/").status_code == 200


def test_a_cadre_who_did_not_enrol_is_not_asked(client, zone):
    cadre = make_cadre("王单因")
    make_project("秦岭数据中心", cadres=[cadre])
    cadre.user.set_password(PASSWORD)
    cadre.user.save()
    sign_in(client, cadre.user, "/m/login/")
    assert client.get("/m/daily/").status_code == 200


def test_an_enrolled_contact_gives_the_code_on_the_portal(client, zone):
    contact = make_contact(zone.enterprise_a)
    device = authenticator(contact)
    sign_in(client, contact, "/portal/login/")
    response = client.get("/portal/")
    assert response["Location"] == "/portal/verify/?next=%2Fportal%2F"
    page = client.get(response["Location"])
    assert 'name="otp"' in text(page) and "企业服务" in text(page)
    right = client.post("/portal/verify/", {"otp": current_code(device), "next": "/portal/"})
    assert right["Location"] == "/portal/"
    assert client.get("/portal/").status_code == 200


# -- the token sign-in ----------------------------------------------------------------------------------
def token(user, **extra):
    return APIClient().post(TOKEN, {"username": user.username, "password": PASSWORD, **extra})


def test_a_token_for_an_administrator_wants_the_code(zone, zone_admin):
    device = authenticator(zone_admin)
    missing = token(zone_admin)
    assert missing.status_code == 400
    assert "otp" in missing.json() and "双因素认证" in missing.json()["otp"][0]
    wrong = token(zone_admin, otp="000000")
    assert wrong.status_code == 400 and wrong.json() == {"otp": ["验证码不正确或已经用过"]}
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.LOGIN_FAILED, actor=zone_admin, message="接口令牌登录：双因素认证验证码错误"
    ).exists()
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.save()
    granted = token(zone_admin, otp=current_code(device))
    assert granted.status_code == 200 and granted.json()["token"]


def test_an_administrator_without_an_authenticator_gets_no_token(zone, zone_admin):
    response = token(zone_admin)
    assert response.status_code == 403
    assert "须启用双因素认证" in response.json()["detail"]


def test_a_token_for_others_needs_no_code(zone, secretary_a):
    assert token(secretary_a).status_code == 200


def test_the_devices_have_no_admin_pages_of_their_own(client, zone):
    from dangjian.testing.factories import UserFactory

    superuser = UserFactory(is_superuser=True)
    client.force_login(superuser)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/otp_static/staticdevice/").status_code == 404


def test_a_grant_s_record_kinds_are_the_product_s_not_the_devices(client, zone):
    client.force_login(make_user("security_admin"))
    page = client.get("/admin/accounts/grant/add/")
    assert page.status_code == 200
    assert "TOTP device" not in text(page) and "static token" not in text(page)
    assert "党组织" in text(page)


def test_an_administrator_who_must_change_the_password_first_enrols_then_changes_it(client, zone, zone_admin):
    zone_admin.must_change_password = True  # as after a reset by the system administrator
    zone_admin.save()
    sign_in(client, zone_admin)
    response = client.get("/admin/")
    assert response["Location"].startswith(SETUP)
    assert client.get(response["Location"]).status_code == 200
    device = zone_admin.totpdevice_set.get()
    done = client.post(SETUP, {"action": "confirm", "otp": current_code(device), "next": "/admin/"})
    assert done.status_code == 200
    assert client.get("/admin/")["Location"] == "/admin/password_change/"


def test_no_record_s_file_before_the_code(client, zone, zone_admin):
    authenticator(zone_admin)
    sign_in(client, zone_admin)
    for path in ("/files/partylife.meeting/1/minutes/", "/media/anything.pdf"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(VERIFY)
