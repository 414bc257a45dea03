"""The lockout, session and rate-limit settings come from the environment (README), and django-axes
sits where it must: its backend first, its middleware last, its lockout answer in Chinese."""

import json

from django.conf import settings
from django.test import RequestFactory

from dangjian.accounts.lockout import lockout_response
from dangjian.core.tests.test_settings import manage

PRINT = (
    "from django.conf import settings as s; import json; from rest_framework.settings import api_settings as a; "
    "print(json.dumps([s.LOCKOUT_FAILURES, s.LOCKOUT_WINDOW_MINUTES, s.LOCKOUT_MINUTES, s.SESSION_IDLE_MINUTES, "
    "s.SESSION_MAX_HOURS, s.SESSION_COOKIE_AGE, a.DEFAULT_THROTTLE_RATES, s.CACHES['default']['BACKEND'], "
    "a.NUM_PROXIES]))"
)


def test_the_limits_come_from_the_environment():
    result = manage(
        "shell",
        "-c",
        PRINT,
        DANGJIAN_LOCKOUT_FAILURES="3",
        DANGJIAN_LOCKOUT_WINDOW_MINUTES="10",
        DANGJIAN_LOCKOUT_MINUTES="60",
        DANGJIAN_IDLE_MINUTES="20",
        DANGJIAN_SESSION_MAX_HOURS="8",
        DANGJIAN_API_USER_RATE="100/minute",
        DANGJIAN_API_ANON_RATE="20/minute",
        DANGJIAN_API_TOKEN_RATE="5/minute",
        DANGJIAN_REDIS_URL="redis://127.0.0.1:6379/1",
        DANGJIAN_PROXY_COUNT="1",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == [
        3,
        10,
        60,
        20,
        8,
        8 * 3600,
        {"anon": "20/minute", "user": "100/minute", "token": "5/minute"},
        "django.core.cache.backends.redis.RedisCache",
        1,
    ]


def test_axes_backend_first_and_its_middleware_last():
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert "dangjian.accounts.backends.GrantBackend" in settings.AUTHENTICATION_BACKENDS
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


def test_a_lockout_elsewhere_than_a_sign_in_page_answers_chinese_json(db):
    request = RequestFactory().post("/somewhere/", {"username": "someone"})
    request.axes_locked_out = True
    response = lockout_response(request, None, {"username": "someone"})
    assert response.status_code == 429
    assert json.loads(response.content)["detail"].startswith("登录失败次数过多，账号已锁定，请于 30 分钟后")
