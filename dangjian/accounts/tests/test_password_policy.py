"""One password policy on every path: at least 8 characters, three of the four kinds of characters,
not like the login name, not a common or all-digit password — in the API, the service and the
back office alike, each refusal in Chinese and nothing changed."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from dangjian.accounts import services
from dangjian.accounts.models import User
from dangjian.testing.factories import make_user


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
