"""deploy/up's profile on plain http at 127.0.0.1: the one settings flag it needs, and where it is refused."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOW = (
    "from django.conf import settings as s; import json; print(json.dumps({"
    "'session': s.SESSION_COOKIE_SECURE, 'csrf': s.CSRF_COOKIE_SECURE, "
    "'upgrade': 'upgrade-insecure-requests' in s.CONTENT_SECURITY_POLICY['DIRECTIVES'], "
    "'admin_upgrade': 'upgrade-insecure-requests' in s.ADMIN_CONTENT_SECURITY_POLICY}))"
)


def production(tmp_path, **env):
    """The production settings' values in a child process with the given environment."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SHOW],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "INTAKE_QUERY_CODE_KEY": secrets.token_urlsafe(50),
            "PORTAL_VAR_DIR": str(tmp_path),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result


def test_production_keeps_secure_cookies_and_upgrades_without_the_flag(tmp_path):
    result = production(tmp_path, ALLOWED_HOSTS="127.0.0.1,localhost")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "session": True,
        "csrf": True,
        "upgrade": True,
        "admin_upgrade": True,
    }


def test_the_local_profile_flag_lets_a_browser_sign_in_over_plain_http_on_the_loopback(tmp_path):
    result = production(tmp_path, ALLOWED_HOSTS="127.0.0.1,localhost", PORTAL_PLAIN_HTTP_ON_LOOPBACK="true")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "session": False,
        "csrf": False,
        "upgrade": False,
        "admin_upgrade": False,
    }


def test_the_local_profile_flag_is_refused_for_a_real_host_name(tmp_path):
    result = production(tmp_path, ALLOWED_HOSTS="127.0.0.1,talent.laibin.gov.cn", PORTAL_PLAIN_HTTP_ON_LOOPBACK="true")
    assert result.returncode != 0
    assert "PORTAL_PLAIN_HTTP_ON_LOOPBACK is only for ALLOWED_HOSTS=127.0.0.1,localhost" in result.stderr
