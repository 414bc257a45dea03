"""API rate limits (DRF throttling, settings.REST_FRAMEWORK): per signed-in user, per address when
not signed in, and a tight one for token sign-ins; a throttled request gets a Chinese 429 with the
wait in seconds and changes nothing."""

import pytest
from rest_framework.settings import api_settings
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from dangjian.testing.factories import PASSWORD

TOKEN = "/api/v1/auth/token/"


@pytest.fixture
def rates(monkeypatch):
    """Rates for the test (DRF reads them once, when its throttles are defined)."""

    def set_rates(**rates):
        monkeypatch.setattr(
            SimpleRateThrottle, "THROTTLE_RATES", {**api_settings.DEFAULT_THROTTLE_RATES, **rates}
        )

    return set_rates


def test_the_configured_rates():
    assert set(api_settings.DEFAULT_THROTTLE_RATES) == {"anon", "user", "token"}
    classes = {c.__name__ for c in api_settings.DEFAULT_THROTTLE_CLASSES}
    assert classes == {"AnonRateThrottle", "UserRateThrottle"}


def test_a_user_over_the_rate_gets_a_chinese_429_with_the_wait(zone, secretary_a, rates):
    rates(user="3/minute")
    client = APIClient()
    client.force_authenticate(secretary_a)
    for _ in range(3):
        assert client.get("/api/v1/organizations/").status_code == 200
    throttled = client.get("/api/v1/organizations/")
    assert throttled.status_code == 429
    wait = int(throttled["Retry-After"])
    assert 1 <= wait <= 60
    assert throttled.json() == {"detail": f"请求过于频繁，请 {wait} 秒后再试"}


def test_each_user_has_a_count_of_their_own(zone, secretary_a, zone_admin, rates):
    rates(user="2/minute")
    first, second = APIClient(), APIClient()
    first.force_authenticate(secretary_a)
    second.force_authenticate(zone_admin)
    for _ in range(2):
        first.get("/api/v1/organizations/")
    assert first.get("/api/v1/organizations/").status_code == 429
    assert second.get("/api/v1/organizations/").status_code == 200


def test_anonymous_requests_are_limited_per_address(db, rates):
    """(What needs signing in refuses an anonymous request before counting it; the API's
    documentation page is open.)"""
    rates(anon="2/minute")
    client = APIClient(REMOTE_ADDR="10.3.3.3")
    for _ in range(2):
        assert client.get("/api/v1/docs/").status_code == 200
    throttled = client.get("/api/v1/docs/")
    # a page of the API answers in HTML: the Chinese message in the look of the error pages
    assert throttled.status_code == 429 and "请求过于频繁，请 " in throttled.content.decode()
    assert "党建引领发展平台" in throttled.content.decode()
    assert APIClient(REMOTE_ADDR="10.3.3.4").get("/api/v1/docs/").status_code == 200


def test_token_sign_ins_are_limited_tightly_and_a_throttled_one_signs_nobody_in(zone, secretary_a, rates):
    rates(token="3/minute")
    client = APIClient(REMOTE_ADDR="10.4.4.4")
    for _ in range(3):
        assert client.post(TOKEN, {"username": secretary_a.username, "password": PASSWORD}).status_code == 200
    throttled = client.post(TOKEN, {"username": secretary_a.username, "password": PASSWORD})
    assert throttled.status_code == 429 and "token" not in throttled.json()
    assert throttled.json()["detail"].startswith("请求过于频繁，请 ")


def test_the_default_token_rate_is_tighter_than_the_users():
    def per_minute(rate):
        number, period = rate.split("/")
        return int(number) * {"s": 60, "m": 1, "h": 1 / 60, "d": 1 / 1440}[period[0]]

    defaults = api_settings.DEFAULT_THROTTLE_RATES
    assert per_minute(defaults["token"]) < per_minute(defaults["anon"]) <= per_minute(defaults["user"])


def test_a_forged_forwarded_for_header_does_not_escape_the_limit(zone, secretary_a, rates):
    rates(token="2/minute")
    client = APIClient(REMOTE_ADDR="10.5.5.5")
    answers = [
        client.post(
            TOKEN,
            {"username": secretary_a.username, "password": PASSWORD},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        ).status_code
        for n in range(3)
    ]
    assert answers == [200, 200, 429]
