"""The health check, /healthz: for nginx, the load balancer, systemd and the operator's monitor.

No sign-in, no personal data, nothing about the machines (no host names, no addresses, no error
text, which may name a server): each part says only whether it answers, in Chinese. The answer is
200 when the database, the cache and the queue's broker all answer, 503 otherwise. Whether a queue
worker (`manage.py qcluster`, on this machine or another) is running is reported beside them but
does not fail the check: the web pages work without one, only background jobs wait.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_q.brokers import get_broker
from django_q.status import Stat

logger = logging.getLogger(__name__)

PATH = "/healthz"
NO_WORKER = "无运行中的任务进程"


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        row = cursor.fetchone()
    if row != (1,):
        raise RuntimeError("SELECT 1 answered something else")
    return {"message": "数据库连接正常"}


def check_cache() -> dict:
    key = f"dangjian:healthz:{uuid.uuid4().hex}"
    value = uuid.uuid4().hex
    cache.set(key, value, timeout=30)
    try:
        if cache.get(key) != value:
            raise RuntimeError("the cache did not give back what was just stored")
    finally:
        cache.delete(key)
    return {"message": "缓存读写正常"}


def check_broker() -> dict:
    """The broker answers (Redis: PING; the database broker: its queue is counted, which a ping of
    django-q2's ORM broker does not do) and says how many tasks wait."""
    broker = get_broker()
    if not broker.ping():
        raise RuntimeError("the broker did not answer its ping")
    waiting = broker.queue_size()
    return {"message": f"任务队列正常，等待中的任务 {waiting} 个", "waiting": waiting}


def check_workers() -> dict:
    """The queue clusters that reported in the last seconds (django-q2 keeps their status in the
    broker, or the cache for the database broker)."""
    clusters = Stat.get_all()
    processes = sum(len(stat.workers or []) for stat in clusters)
    if not clusters:
        return {"ok": False, "message": NO_WORKER, "clusters": 0, "processes": 0}
    return {
        "ok": True,
        "message": f"运行中的任务进程组 {len(clusters)} 个，工作进程 {processes} 个",
        "clusters": len(clusters),
        "processes": processes,
    }


# name, check, what a failure says, whether the answer is 503 when it fails
CHECKS = (
    ("database", check_database, "数据库无法连接", True),
    ("cache", check_cache, "缓存无法读写", True),
    ("queue", check_broker, "任务队列无法连接", True),
    ("workers", check_workers, "无法读取任务进程的状态", False),
)


def run_checks() -> tuple[bool, dict]:
    healthy = True
    results = {}
    for name, check, failure, required in CHECKS:
        try:
            result = {"ok": True, **check()}
        except Exception:  # any failure of a part is that part's answer, never a 500
            logger.exception("health check: %s failed", name)
            result = {"ok": False, "message": failure}
        if required and not result["ok"]:
            healthy = False
        results[name] = result
    return healthy, results


@never_cache
@require_safe
def healthz(request):
    healthy, checks = run_checks()
    body = {
        "status": "ok" if healthy else "error",
        "message": "服务正常"
        if healthy
        else "服务异常："
        + "；".join(
            checks[name]["message"] for name, _, _, required in CHECKS if required and not checks[name]["ok"]
        ),
        "checks": checks,
    }
    return JsonResponse(body, status=200 if healthy else 503, json_dumps_params={"ensure_ascii": False})
