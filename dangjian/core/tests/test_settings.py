import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION = {
    "DANGJIAN_ENV": "production",
    "DJANGO_SECRET_KEY": "k" * 20 + "Production-Secret-Key-For-The-Deploy-Check-0123456789",
    "DJANGO_ALLOWED_HOSTS": "dangjian.example.cn",
    "DANGJIAN_FIELD_KEYS": "yNPTUvq6zcrKJoZP1V1tqJm9Xmm2lyIAF8ag2TvzmYc=",
    "DANGJIAN_HASH_KEY": "a-separate-key-for-the-keyed-hash",
    "DANGJIAN_AUDIT_KEY": "the-key-of-the-audit-log-hash-chain",
    "DATABASE_URL": "sqlite:////tmp/dangjian-deploy-check.sqlite3",
}


def manage(*args, **env):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DANGJIAN_"))}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True
    )


def test_deploy_check_passes_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "DANGJIAN_FIELD_KEYS", "DANGJIAN_HASH_KEY", "DANGJIAN_AUDIT_KEY"]
)
def test_production_refuses_to_start_without_its_secrets(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = manage("check", **env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_with_sm4_needs_sm4_keys_and_starts_with_them():
    refused = manage("check", **PRODUCTION, DANGJIAN_FIELD_CIPHER="sm4")
    assert refused.returncode != 0
    assert "DANGJIAN_SM4_KEYS" in refused.stderr
    started = manage(
        "check",
        **PRODUCTION,
        DANGJIAN_FIELD_CIPHER="sm4",
        DANGJIAN_SM4_KEYS="0123456789abcdeffedcba9876543210",
    )
    assert started.returncode == 0, started.stderr


def test_an_unknown_field_cipher_is_refused():
    result = manage("check", DANGJIAN_FIELD_CIPHER="aes")
    assert result.returncode != 0
    assert "DANGJIAN_FIELD_CIPHER 只能是 fernet 或 sm4" in result.stderr
