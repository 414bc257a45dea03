"""One password policy on every path: at least 8 characters, three of the four kinds of characters,
not like the login name, not a common or all-digit password — in the API, the service and the
back office alike, each refusal in Chinese and nothing changed."""

import datetime

import pytest
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from dangjian.accounts import services
from dangjian.accounts.models import User
from dangjian.accounts.passwords import password_change_reason, temporary_password
from dangjian.testing.factories import PASSWORD, make_user


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("Abcdef1!", True),  # 8 characters, four kinds
        ("abcdef12", False),  # two kinds
        ("abcdef1!", True),  # three kinds
        ("Abc1!xy", False),  # 7 characters
        ("12345678", False),  # digits only
        ("Password1", False),  # common
    ],
)
def test_each_rule_at_its_edge(db, password, ok):
    user = User(username="zhangsan")
    if ok:
        validate_password(password, user)
    else:
        with pytest.raises(ValidationError):
            validate_password(password, user)


def test_too_few_kinds_is_said_in_chinese(db):
    with pytest.raises(ValidationError) as excinfo:
        validate_password("abcdefgh12", User(username="x"))
    assert excinfo.value.messages == ["密码须包含大写字母、小写字母、数字、符号中的至少 3 种"]


def test_the_api_refuses_a_weak_password_and_creates_no_user(zone):
    admin = make_user("system_admin")
    client = APIClient()
    client.force_authenticate(admin)
    response = client.post(
        "/api/v1/users/", {"username": "weak", "full_name": "弱密码", "password": "123456"}
    )
    assert response.status_code == 400, response.content.decode()
    assert response.json()["password"] == [
        "密码太短，至少需要 8 个字符。",
        "这个密码太常见了。",
        "密码只包含数字。",
        "密码须包含大写字母、小写字母、数字、符号中的至少 3 种",
    ]
    assert not User.objects.filter(username="weak").exists()


def test_the_service_refuses_a_password_like_the_login_name(db):
    with pytest.raises(ValidationError) as excinfo:
        services.user_save(actor=None, user=User(username="wangxiaoming"), password="Wangxiaoming1")
    assert "password" in excinfo.value.message_dict
    assert not User.objects.filter(username="wangxiaoming").exists()


# -- each rule at its edge, on every path -------------------------------------------------------
NEW_NAME = "zhangwei"
EDGES = [
    pytest.param("Abc1!xy", False, id="7-characters"),
    pytest.param("Abc1!xyz", True, id="8-characters"),
    pytest.param("abcdefg1", False, id="2-kinds"),
    pytest.param("abcdef1!", True, id="3-kinds"),
    # long enough for Django's likeness check to let it pass: only containing the name refuses it
    pytest.param("Xy#9zhangWEI2026", False, id="contains-login-name"),
    pytest.param("Xy#9zhangwe2026", True, id="not-the-login-name"),
]


def _sysadmin_api():
    client = APIClient()
    client.force_authenticate(make_user("system_admin"))
    return client


def _sysadmin_admin():
    client = Client()
    client.force_login(make_user("system_admin"))
    return client


def create_by_service(password):
    try:
        services.user_save(actor=None, user=User(username=NEW_NAME), password=password)
    except ValidationError as exc:
        assert exc.message_dict["password"]
    return User.objects.filter(username=NEW_NAME).exists()


def create_by_api(password):
    response = _sysadmin_api().post("/api/v1/users/", {"username": NEW_NAME, "password": password})
    assert response.status_code in (201, 400), response.content
    return response.status_code == 201


def create_in_back_office(password):
    response = _sysadmin_admin().post(
        "/admin/accounts/user/add/",
        {"username": NEW_NAME, "password1": password, "password2": password, "usable_password": "true"},
    )
    assert response.status_code in (200, 302)
    return User.objects.filter(username=NEW_NAME).exists()


def create_by_command(password, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", password)
    try:
        call_command("createsuperuser", interactive=False, username=NEW_NAME, email="", verbosity=0)
    except CommandError as exc:
        assert "密码" in str(exc)
    return User.objects.filter(username=NEW_NAME, is_superuser=True).exists()


def reset_by_service(user, password):
    try:
        services.password_reset(actor=None, user=user, password=password)
    except ValidationError as exc:
        assert exc.message_dict["password"]
    return User.objects.get(pk=user.pk).check_password(password)


def reset_by_api(user, password):
    response = _sysadmin_api().post(f"/api/v1/users/{user.pk}/reset-password/", {"password": password})
    assert response.status_code in (200, 400), response.content
    if response.status_code == 200:
        assert response.json() == {"temporary_password": None, "must_change_password": True}
    return User.objects.get(pk=user.pk).check_password(password)


def reset_in_back_office(user, password):
    response = _sysadmin_admin().post(
        f"/admin/accounts/user/{user.pk}/password/", {"password1": password, "password2": password}
    )
    assert response.status_code == 200
    return User.objects.get(pk=user.pk).check_password(password)


def change_own(user, password, old=PASSWORD):
    client = Client()
    client.force_login(user)
    client.post(
        "/admin/password_change/",
        {"old_password": old, "new_password1": password, "new_password2": password},
    )
    return User.objects.get(pk=user.pk).check_password(password)


def save_by_service(user, password):
    """user_save of an existing account without an acting user (a script, the demo loader)."""
    try:
        services.user_save(actor=None, user=User.objects.get(pk=user.pk), password=password)
    except ValidationError as exc:
        assert exc.message_dict["password"]
    return User.objects.get(pk=user.pk).check_password(password)


CREATE_PATHS = [create_by_service, create_by_api, create_in_back_office]
CHANGE_PATHS = [reset_by_service, reset_by_api, reset_in_back_office, change_own, save_by_service]


@pytest.mark.parametrize("path", CREATE_PATHS, ids=lambda p: p.__name__)
@pytest.mark.parametrize(("password", "ok"), EDGES)
def test_a_new_account_s_password_at_each_edge(zone, path, password, ok):
    assert path(password) is ok


@pytest.mark.parametrize(("password", "ok"), EDGES)
def test_createsuperuser_obeys_the_policy_also_without_input(db, monkeypatch, password, ok):
    assert create_by_command(password, monkeypatch) is ok


@pytest.mark.parametrize("path", CHANGE_PATHS, ids=lambda p: p.__name__)
@pytest.mark.parametrize(("password", "ok"), EDGES)
def test_a_changed_password_at_each_edge(zone, path, password, ok):
    user = make_user("leader", organization=zone.root)
    user.username = NEW_NAME
    user.save()
    assert path(user, password) is ok


PASSWORDS = [f"Passwort#{n}x" for n in range(1, 7)]


@pytest.mark.parametrize("path", CHANGE_PATHS, ids=lambda p: p.__name__)
@pytest.mark.parametrize(("reused", "ok"), [(PASSWORDS[1], False), (PASSWORDS[0], True)], ids=["5th", "6th"])
def test_none_of_the_last_five_passwords_again(zone, path, reused, ok):
    user = make_user("leader", organization=zone.root)
    for password in PASSWORDS:  # the sixth is the present one; the second the fifth last
        services.password_reset(actor=None, user=user, password=password)
    assert user.password_history.count() == 5
    if path is change_own:
        assert change_own(user, reused, old=PASSWORDS[-1]) is ok
    else:
        assert path(user, reused) is ok


def test_the_history_length_is_a_setting(zone, settings):
    settings.PASSWORD_HISTORY = 2
    user = make_user("leader", organization=zone.root)
    for password in PASSWORDS[:3]:
        services.password_reset(actor=None, user=user, password=password)
    assert user.password_history.count() == 2
    assert reset_by_service(user, PASSWORDS[0])


def test_the_history_keeps_hashes_only(zone):
    user = make_user("leader", organization=zone.root)
    services.password_reset(actor=None, user=user, password="Passwort#9x")
    stored = user.password_history.first().password
    assert "Passwort#9x" not in stored and check_password("Passwort#9x", stored)


def test_the_history_refusal_is_said_in_chinese(zone):
    user = make_user("leader", organization=zone.root)
    with pytest.raises(ValidationError) as excinfo:
        services.password_reset(actor=None, user=user, password=PASSWORD)  # the present one
    assert excinfo.value.message_dict["password"] == ["新密码不能与最近 5 次使用过的密码相同"]


# -- the password's age -------------------------------------------------------------------------
@pytest.mark.parametrize(("days", "due"), [(89, False), (90, True)])
def test_a_password_is_due_after_the_maximum_age(zone, settings, days, due):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    user = make_user("leader", organization=zone.root)
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - datetime.timedelta(days=days))
    user.refresh_from_db()
    reason = password_change_reason(user)
    assert (reason == "密码已使用超过 90 天，请先修改密码后再使用系统") is due
    assert due or reason is None
    client = Client()
    client.force_login(user)
    response = client.get("/admin/?dashboard=1")  # the leader's dashboard (the cockpit is its first page)
    assert response.status_code == (302 if due else 200)
    if due:
        assert response.url.startswith("/admin/password_change/")


def test_a_maximum_age_of_zero_never_expires(zone, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 0
    user = make_user("leader", organization=zone.root)
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - datetime.timedelta(days=3650))
    user.refresh_from_db()
    assert password_change_reason(user) is None


def test_a_new_password_restarts_the_age(zone):
    user = make_user("leader", organization=zone.root)
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - datetime.timedelta(days=400))
    user.refresh_from_db()
    assert password_change_reason(user)
    assert change_own(user, "Brandneu#2026")
    assert password_change_reason(User.objects.get(pk=user.pk)) is None


def test_the_test_users_are_not_due(zone):
    assert password_change_reason(make_user("leader", organization=zone.root)) is None


def test_a_temporary_password_passes_the_policy(zone):
    user = make_user("leader", organization=zone.root)
    for _ in range(20):
        validate_password(temporary_password(user), user)
