"""SQLite as installed (WAL, transactions that take the write lock when they begin, a busy timeout):
many clients writing at once all succeed, each waiting for the others, where Django's defaults
fail some with "database is locked"."""

import threading
import time

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper


def run_writers(tmp_path, options, writers=8, each=5):
    settings_dict = {
        **connection.settings_dict,
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(tmp_path / "concurrent.sqlite3"),
        "OPTIONS": dict(options),
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
    }
    setup = DatabaseWrapper(settings_dict, alias="concurrent")
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS counter (n INTEGER)")
    setup.close()
    failures = []

    def write():
        connections["concurrent"] = DatabaseWrapper(settings_dict, alias="concurrent")
        try:
            for _ in range(each):
                with transaction.atomic(using="concurrent"), connections["concurrent"].cursor() as cursor:
                    cursor.execute("SELECT COALESCE(MAX(n), 0) FROM counter")  # read, then write
                    (top,) = cursor.fetchone()
                    time.sleep(0.005)
                    cursor.execute("INSERT INTO counter (n) VALUES (%s)", [top + 1])
        except Exception as exc:
            failures.append(str(exc))
        finally:
            connections["concurrent"].close()

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    check = DatabaseWrapper(settings_dict, alias="concurrent")
    with check.cursor() as cursor:
        cursor.execute("SELECT COUNT(*), COUNT(DISTINCT n) FROM counter")
        counts = cursor.fetchone()
    check.close()
    return failures, counts


def test_concurrent_writes_all_succeed_with_the_installed_options(db, tmp_path):
    failures, (rows, distinct) = run_writers(tmp_path, settings.SQLITE_OPTIONS)
    assert failures == []
    assert rows == distinct == 40  # every write kept, none lost to a concurrent read


def test_without_them_writers_collide(db, tmp_path):
    failures, _ = run_writers(tmp_path, {"timeout": 0.05})
    assert any("locked" in failure for failure in failures)
