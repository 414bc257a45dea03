"""The production configuration starts: the settings load with DANGJIAN_ENV=production and the
documented environment file (deploy/dangjian.env.example, its keys filled in), `check --deploy`
passes, the WSGI application loads, collectstatic works with whitenoise's manifest storage, and
the settings refuse what would not work (a pool on SQLite, an unknown session store).

Each case runs in a subprocess, as gunicorn would start: the settings are read once per process."""

import json
import os
import secrets
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.conf import settings

EXAMPLE = settings.BASE_DIR / "deploy" / "dangjian.env.example"
SECRETS = ("DJANGO_SECRET_KEY", "DANGJIAN_HASH_KEY", "DANGJIAN_AUDIT_KEY", "DANGJIAN_BACKUP_KEY")


def documented_env() -> dict:
    """The example file's settings, each change-me key replaced by a fresh one."""
    values = {}
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
    for name in SECRETS:
        assert values[name].startswith("change-me"), name
        values[name] = secrets.token_hex(32)
    assert values["DANGJIAN_FIELD_KEYS"].startswith("change-me")
    values["DANGJIAN_FIELD_KEYS"] = Fernet.generate_key().decode()
    return values


def run(args, extra, tmp_path, check=True):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DANGJIAN_", "DJANGO_", "DATABASE_"))}
    env.update(extra)
    result = subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert result.returncode == 0, result.stderr[-3000:]
    return result


def local_paths(tmp_path) -> dict:
    """The example's /srv/… folders moved under the test's own folder."""
    return {
        "DANGJIAN_MEDIA_ROOT": str(tmp_path / "media"),
        "DANGJIAN_LEDGER_PENDING_DIR": str(tmp_path / "ledger-pending"),
        "DANGJIAN_AUDIT_ANCHOR_FILE": str(tmp_path / "audit" / "anchor.log"),
        "DANGJIAN_STATIC_ROOT": str(tmp_path / "static"),
    }


READ_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
db = s.DATABASES["default"]
print(json.dumps({
    "debug": s.DEBUG,
    "engine": db["ENGINE"],
    "pool": db.get("OPTIONS", {}).get("pool"),
    "server_options": db.get("OPTIONS", {}).get("options"),
    "conn_max_age": db["CONN_MAX_AGE"],
    "sessions": s.SESSION_ENGINE,
    "cache": s.CACHES["default"]["BACKEND"],
    "broker": "redis" if "redis" in s.Q_CLUSTER else "orm",
    "pending": s.STORAGES["ledger_pending"]["OPTIONS"]["location"],
    "pending_mode": s.STORAGES["ledger_pending"]["OPTIONS"]["file_permissions_mode"],
    "proxy_ssl": list(s.SECURE_PROXY_SSL_HEADER or []),
    "redirect_exempt": s.SECURE_REDIRECT_EXEMPT,
    "forwarded_host": s.USE_X_FORWARDED_HOST,
    "whitenoise": "whitenoise.middleware.WhiteNoiseMiddleware" in s.MIDDLEWARE,
    "static_storage": s.STORAGES["staticfiles"]["BACKEND"],
    "log_stream": s.LOGGING["handlers"]["console"]["stream"],
    "allowed_hosts": s.ALLOWED_HOSTS,
    "csrf_origins": s.CSRF_TRUSTED_ORIGINS,
}))
"""


def read_settings(extra, tmp_path) -> dict:
    result = run(["-c", READ_SETTINGS], {"DJANGO_SETTINGS_MODULE": "config.settings", **extra}, tmp_path)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_documented_environment_gives_the_production_settings(tmp_path):
    values = read_settings(
        {**documented_env(), **local_paths(tmp_path), "DATABASE_CONN_MAX_AGE": "600"}, tmp_path
    )
    assert values["debug"] is False
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["pool"] == {"min_size": 1, "max_size": 4, "timeout": 10.0}
    assert values["conn_max_age"] == 0  # required with the pool, whatever DATABASE_CONN_MAX_AGE says
    assert values["server_options"] == "-c jit=off"
    assert values["sessions"] == "django.contrib.sessions.backends.db"
    assert values["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert values["broker"] == "redis"
    assert values["pending"] == str(tmp_path / "ledger-pending")
    assert values["pending_mode"] == 0o600
    assert values["proxy_ssl"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["redirect_exempt"] == [r"^healthz$"]
    assert values["forwarded_host"] is False
    assert values["whitenoise"] is True
    assert values["static_storage"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert values["log_stream"] == "ext://sys.stdout"
    assert values["allowed_hosts"] == ["dangjian.example.gov.cn", "127.0.0.1", "localhost"]
    assert values["csrf_origins"] == ["https://dangjian.example.gov.cn"]


def test_without_the_pool_and_with_cached_sessions(tmp_path):
    values = read_settings(
        {
            **documented_env(),
            **local_paths(tmp_path),
            "DANGJIAN_DB_POOL": "0",
            "DATABASE_CONN_MAX_AGE": "60",
            "DANGJIAN_SESSIONS": "cached_db",
            "DJANGO_TRUST_X_FORWARDED_PROTO": "0",
            "DJANGO_USE_X_FORWARDED_HOST": "1",
        },
        tmp_path,
    )
    assert values["pool"] is None and values["conn_max_age"] == 60
    assert values["server_options"] == "-c jit=off"
    assert values["sessions"] == "django.contrib.sessions.backends.cached_db"
    assert values["proxy_ssl"] == [] and values["forwarded_host"] is True


def test_check_deploy_passes_with_the_documented_environment(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        {**documented_env(), **local_paths(tmp_path)},
        tmp_path,
    )
    assert "System check identified no issues" in result.stdout


def test_the_wsgi_application_loads_in_production(tmp_path):
    result = run(
        ["-c", "from config.wsgi import application; print(type(application).__name__)"],
        {**documented_env(), **local_paths(tmp_path)},
        tmp_path,
    )
    assert result.stdout.strip() == "WSGIHandler"


def test_collectstatic_writes_the_manifest_whitenoise_serves(tmp_path):
    run(
        ["manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        {**documented_env(), **local_paths(tmp_path)},
        tmp_path,
    )
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["dangjian/site.css"]
    assert hashed != "dangjian/site.css" and (tmp_path / "static" / hashed).exists()
    assert (tmp_path / "static" / (hashed + ".gz")).exists()  # compressed beside it


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"DATABASE_URL": "sqlite:////tmp/x.sqlite3"}, "DANGJIAN_DB_POOL 只能用于 PostgreSQL"),
        ({"DANGJIAN_SESSIONS": "file"}, "DANGJIAN_SESSIONS 只能是 db 或 cached_db"),
    ],
)
def test_settings_that_would_not_work_are_refused_in_chinese(tmp_path, extra, message):
    result = run(
        ["manage.py", "check"], {**documented_env(), **local_paths(tmp_path), **extra}, tmp_path, check=False
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_jit_stays_on_when_asked_for(tmp_path):
    values = read_settings({**documented_env(), **local_paths(tmp_path), "DANGJIAN_PG_JIT": "1"}, tmp_path)
    assert values["server_options"] is None


@pytest.mark.django_db
def test_the_application_connection_has_jit_off():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no JIT")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
