"""API tokens: one sign-in gives a token that lasts API_TOKEN_HOURS, then is refused in Chinese and
replaced at the next sign-in; a changed password ends it; every token sign-in, granted or
refused, is in the audit log."""

import datetime

from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from dangjian.audit.models import AuditEntry
from dangjian.testing.factories import PASSWORD

TOKEN = "/api/v1/auth/token/"


def sign_in(user, password=PASSWORD):
    return APIClient().post(TOKEN, {"username": user.username, "password": password})


def reads(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/v1/organizations/")


def test_a_token_says_when_it_expires_and_is_refused_after(zone, secretary_a, settings):
    settings.API_TOKEN_HOURS = 12
    response = sign_in(secretary_a)
    key = response.json()["token"]
    token = Token.objects.get(key=key)
    expires = datetime.datetime.fromisoformat(response.json()["expires"])
    assert abs((expires - (token.created + datetime.timedelta(hours=12))).total_seconds()) < 1
    assert reads(key).status_code == 200
    Token.objects.filter(pk=key).update(created=timezone.now() - datetime.timedelta(hours=12, seconds=5))
    refused = reads(key)
    assert refused.status_code in (401, 403)
    assert refused.json()["detail"] == "令牌已过期，请重新获取"
    again = sign_in(secretary_a).json()["token"]
    assert again != key and reads(again).status_code == 200


def test_a_token_just_within_its_hours_still_reads(zone, secretary_a, settings):
    settings.API_TOKEN_HOURS = 12
    key = sign_in(secretary_a).json()["token"]
    Token.objects.filter(pk=key).update(created=timezone.now() - datetime.timedelta(hours=11, minutes=59))
    assert reads(key).status_code == 200


def test_a_changed_password_ends_the_token(zone, secretary_a):
    key = sign_in(secretary_a).json()["token"]
    secretary_a.set_password("Another@2026x")
    secretary_a.save()
    assert not Token.objects.filter(key=key).exists()
    assert reads(key).status_code in (401, 403)
    secretary_a.full_name = "改了姓名"
    secretary_a.save()  # other changes keep a new token
    fresh = sign_in(secretary_a, "Another@2026x").json()["token"]
    secretary_a.title = "书记"
    secretary_a.save()
    assert Token.objects.filter(key=fresh).exists()


def test_token_sign_ins_are_audited(zone, secretary_a):
    sign_in(secretary_a)
    sign_in(secretary_a, "wrong-Pass1")
    granted = AuditEntry.objects.filter(
        action=AuditEntry.Action.LOGIN, actor=secretary_a, message="接口令牌登录"
    )
    assert granted.count() == 1 and granted.get().source == AuditEntry.Source.API
    refused = AuditEntry.objects.filter(
        action=AuditEntry.Action.LOGIN_FAILED, message__startswith="接口令牌登录失败"
    )
    assert refused.count() == 1 and refused.get().actor_label == secretary_a.username
