"""Configuration: production refuses bad settings, SQLite is set for concurrent writers."""

import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, env):
    # The child gets a clean environment: no test-only variables, no database override.
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DJANGO_SECRET_KEY",
            "INTAKE_QUERY_CODE_KEY",
            "ALLOWED_HOSTS",
            "DATABASE_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {"DJANGO_SETTINGS_MODULE": "portal.settings.production"}


def test_production_refuses_to_start_without_secret_key():
    result = manage("check", env={**PRODUCTION, "ALLOWED_HOSTS": "talent.example.cn"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("weak_key", ["short", "dev-" + "x" * 60])
def test_production_refuses_a_weak_secret_key(weak_key):
    result = manage("check", env={**PRODUCTION, "DJANGO_SECRET_KEY": weak_key, "ALLOWED_HOSTS": "talent.example.cn"})
    assert result.returncode != 0
    assert "random value of at least 50 characters" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", env={**PRODUCTION, "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


@pytest.mark.parametrize(
    ("query_code_key", "message"),
    [
        (None, "INTAKE_QUERY_CODE_KEY must be set"),
        ("short", "INTAKE_QUERY_CODE_KEY must be a random value of at least 50 characters"),
        ("same", "other than DJANGO_SECRET_KEY"),
    ],
)
def test_production_refuses_to_start_without_a_query_code_key_of_its_own(query_code_key, message):
    secret_key = secrets.token_urlsafe(50)
    env = {**PRODUCTION, "DJANGO_SECRET_KEY": secret_key, "ALLOWED_HOSTS": "talent.example.cn"}
    if query_code_key:
        env["INTAKE_QUERY_CODE_KEY"] = secret_key if query_code_key == "same" else query_code_key
    result = manage("check", env=env)
    assert result.returncode != 0
    assert message in result.stderr


def test_deploy_check_is_clean_with_example_production_environment(tmp_path):
    env = {
        **PRODUCTION,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "INTAKE_QUERY_CODE_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "talent.example.cn",
        "PORTAL_VAR_DIR": str(tmp_path),
    }
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_embedded_sqlite_uses_wal_and_immediate_transactions(tmp_path):
    env = {"DJANGO_SETTINGS_MODULE": "portal.settings.dev", "PORTAL_VAR_DIR": str(tmp_path)}
    script = (
        "from django.db import connection\n"
        "cursor = connection.cursor()\n"
        "print(cursor.execute('PRAGMA journal_mode').fetchone()[0])\n"
        "print(connection.settings_dict['OPTIONS']['transaction_mode'])\n"
        "print(connection.settings_dict['NAME'])\n"
    )
    result = manage("shell", "-c", script, env=env)
    assert result.returncode == 0, result.stderr
    journal_mode, transaction_mode, name = result.stdout.split()[-3:]
    assert journal_mode == "wal"
    assert transaction_mode == "IMMEDIATE"
    assert Path(name) == tmp_path / "portal.sqlite3"


def test_locale_and_time_zone():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True


def test_request_errors_are_logged_to_the_console():
    logger = logging.getLogger("django.request")
    assert logger.isEnabledFor(logging.ERROR)
    assert any(isinstance(handler, logging.StreamHandler) for handler in logger.handlers)


def test_the_forgeable_client_address_header_setting_is_refused():
    env = {"DJANGO_SETTINGS_MODULE": "portal.settings.dev", "INTAKE_CLIENT_IP_HEADER": "HTTP_X_FORWARDED_FOR"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "set INTAKE_TRUSTED_PROXY_COUNT instead" in result.stderr
