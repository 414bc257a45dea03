"""/healthz: the database, the cache and the queue's broker, 200 when they answer and 503 when one
does not; the queue workers reported beside them. No sign-in, no personal data, never a 500."""

from types import SimpleNamespace

import pytest
from django.db import OperationalError, connections

from dangjian.site import health
from dangjian.testing.factories import PASSWORD

pytestmark = pytest.mark.django_db


def get(client):
    response = client.get("/healthz")
    assert response["Content-Type"].startswith("application/json")
    assert "no-cache" in response["Cache-Control"]
    return response, response.json()


def test_all_parts_answering_is_200_and_says_no_worker_is_running(client):
    response, body = get(client)
    assert response.status_code == 200
    assert body["status"] == "ok" and body["message"] == "服务正常"
    checks = body["checks"]
    assert set(body) == {"status", "message", "checks"}
    assert set(checks) == {"database", "cache", "queue", "workers"}
    assert checks["database"] == {"ok": True, "message": "数据库连接正常"}
    assert checks["cache"] == {"ok": True, "message": "缓存读写正常"}
    assert checks["queue"] == {"ok": True, "message": "任务队列正常，等待中的任务 0 个", "waiting": 0}
    # no `manage.py qcluster` in a test: reported, and still 200 (pages work without one)
    assert checks["workers"] == {"ok": False, "message": "无运行中的任务进程", "clusters": 0, "processes": 0}


def test_the_waiting_tasks_are_counted_in_the_database_broker(client):
    from django_q.brokers import get_broker

    broker = get_broker()
    broker.enqueue("a task package")
    broker.enqueue("another")
    _, body = get(client)
    assert body["checks"]["queue"]["waiting"] == 2
    assert body["checks"]["queue"]["message"] == "任务队列正常，等待中的任务 2 个"


def test_running_workers_are_counted(client, monkeypatch):
    clusters = [SimpleNamespace(workers=[101, 102]), SimpleNamespace(workers=[201, 202, 203])]
    monkeypatch.setattr(health.Stat, "get_all", staticmethod(lambda broker=None: clusters))
    response, body = get(client)
    assert response.status_code == 200
    assert body["checks"]["workers"] == {
        "ok": True,
        "message": "运行中的任务进程组 2 个，工作进程 5 个",
        "clusters": 2,
        "processes": 5,
    }


def test_a_broken_cache_is_503_without_the_error_text(client, settings):
    # a Redis nobody listens on: connecting is refused at once
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }
    response, body = get(client)
    assert response.status_code == 503
    assert body["status"] == "error"
    assert body["checks"]["cache"] == {"ok": False, "message": "缓存无法读写"}
    assert body["message"] == "服务异常：缓存无法读写"
    assert body["checks"]["database"]["ok"] is True
    assert "127.0.0.1" not in response.content.decode() and "Error" not in response.content.decode()


def test_a_database_that_does_not_answer_is_503_even_for_a_signed_in_visitor(client, zone_admin, monkeypatch):
    client.force_login(zone_admin)  # a session cookie: the middlewares must not read the session

    def refused(*args, **kwargs):
        raise OperationalError("connection to server at 10.0.0.5 failed")

    monkeypatch.setattr(connections["default"], "cursor", refused)
    response, body = get(client)
    assert response.status_code == 503
    assert body["checks"]["database"] == {"ok": False, "message": "数据库无法连接"}
    assert "数据库无法连接" in body["message"]
    assert "10.0.0.5" not in response.content.decode()


def test_a_broker_that_does_not_answer_is_503(client, monkeypatch):
    class Down:
        def ping(self):
            raise ConnectionError("Error 111 connecting to redis:6379")

    monkeypatch.setattr(health, "get_broker", lambda: Down())
    response, body = get(client)
    assert response.status_code == 503
    assert body["checks"]["queue"] == {"ok": False, "message": "任务队列无法连接"}
    assert body["message"] == "服务异常：任务队列无法连接"


def test_workers_whose_status_cannot_be_read_do_not_fail_the_check(client, monkeypatch):
    def unreadable(broker=None):
        raise ConnectionError("no status")

    monkeypatch.setattr(health.Stat, "get_all", staticmethod(unreadable))
    response, body = get(client)
    assert response.status_code == 200
    assert body["checks"]["workers"] == {"ok": False, "message": "无法读取任务进程的状态"}


def test_only_get_and_head(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_a_session_that_owes_its_code_or_a_new_password_still_gets_the_check(client, zone_admin):
    # signed in with the password only: every page asks for the authenticator's code first
    signed_in = client.post("/admin/login/", {"username": zone_admin.username, "password": PASSWORD})
    assert signed_in.status_code == 302
    assert client.get("/admin/")["Location"].startswith("/admin/two-factor/")
    response, body = get(client)
    assert response.status_code == 200 and body["status"] == "ok"
    zone_admin.must_change_password = True
    zone_admin.save(update_fields=["must_change_password"])
    client.force_login(zone_admin)
    assert client.get("/admin/")["Location"] == "/admin/password_change/"
    response, body = get(client)
    assert response.status_code == 200 and body["status"] == "ok"
