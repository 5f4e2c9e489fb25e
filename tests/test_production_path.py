"""The README's two paths, run as their users run them, in fresh folders and a fresh database:
the production steps end on the real site with an administrator who can sign in, and
`bin/serve` serves the demo at the address it announces, then stops everything it started."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from contextlib import contextmanager, suppress
from pathlib import Path

import dj_database_url
import psycopg

from base.demo import DEMO_ADMIN_USERNAME

ROOT = Path(__file__).resolve().parent.parent
# What the test run itself sets, which a person at a shell would not have.
TEST_ONLY_VARIABLES = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "PYTEST_XDIST_WORKER"}


def clean_environment(**extra):
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_VARIABLES}
    return {**env, **extra}


@contextmanager
def fresh_database():
    """A database URL for a new, empty database on the server under test (a new SQLite file by default)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield ""
        return
    config = dj_database_url.parse(url)
    name = f"portal_setup_{uuid.uuid4().hex[:12]}"
    server = {
        "host": config["HOST"],
        "port": config["PORT"] or 5432,
        "user": config["USER"],
        "password": config["PASSWORD"],
        "dbname": "postgres",
    }
    with psycopg.connect(**server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(**server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(*args, env, timeout=300):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result


# Signs in as the administrator the way a browser does (over HTTPS, as behind the proxy).
SIGN_IN = """
from django.test import Client
client = Client(HTTP_HOST="talent.example.cn")
home = client.get("/", secure=True)
assert home.status_code == 200, home.status_code
assert "尊重人才" in home.content.decode()
for url in ["/contact/", "/contact/track/", "/about/", "/privacy/", "/experts/", "/search/?q=专家"]:
    assert client.get(url, secure=True).status_code == 200, url
# The page cache stores in the database cache table that migrate made.
assert client.get("/about/", secure=True)["X-Page-Cache"] == "hit"
signed_in = client.post("/admin/login/", {"username": "chief", "password": "A-long-pass-2026!"}, secure=True)
assert signed_in.status_code == 302, signed_in.status_code
# A superuser's first visit: enrol in two-factor sign-in with the key the page shows, as an app would.
import re, time
from base64 import b32decode
from django_otp.oath import TOTP
first = client.get("/admin/", secure=True)
assert first.status_code == 302 and first["Location"].startswith("/admin/security/two-factor/"), first
enrol = client.get(first["Location"], secure=True).content.decode()
key = re.search(r'id="two-factor-key">([A-Z2-7 ]+)<', enrol).group(1).replace(" ", "")
totp = TOTP(b32decode(key + "=" * (-len(key) % 8)))
totp.time = time.time()
codes = client.post(first["Location"], {"code": f"{totp.token():06d}", "next": "/admin/"}, secure=True)
assert codes.status_code == 200 and codes.content.decode().count("<li><code>") == 10
dashboard = client.get("/admin/", secure=True)
assert dashboard.status_code == 200 and "chief" in dashboard.content.decode()
# Passwords are hashed with Argon2 here.
from django.contrib.auth.models import User
assert User.objects.get(username="chief").password.startswith("argon2$")
print("signed in")
"""


def test_the_readme_production_steps_end_on_the_real_site_with_an_administrator(tmp_path):
    with fresh_database() as database_url:
        env = clean_environment(
            DJANGO_SETTINGS_MODULE="portal.settings.production",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            INTAKE_QUERY_CODE_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="talent.example.cn",
            DATABASE_URL=database_url,
            PORTAL_VAR_DIR=str(tmp_path / "var"),
            MEDIA_ROOT=str(tmp_path / "media"),
            STATIC_ROOT=str(tmp_path / "static"),
            INTAKE_ATTACHMENT_ROOT=str(tmp_path / "private"),
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        )
        (tmp_path / "var").mkdir()
        run("migrate", "--no-input", env=env)
        run("collectstatic", "--no-input", "-v", "0", env=env)
        run("check", "--deploy", "--fail-level", "WARNING", env=env)
        run("setup_site", env=env)
        run(
            "createsuperuser",
            "--no-input",
            "--username",
            "chief",
            "--email",
            "chief@example.cn",
            env={**env, "DJANGO_SUPERUSER_PASSWORD": "A-long-pass-2026!"},
        )
        result = run("shell", "--no-imports", "-c", SIGN_IN, env=env)
        assert "signed in" in result.stdout

        # The demo, with its published password, is refused on this server.
        demo = subprocess.run(
            [sys.executable, "manage.py", "load_demo_content"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert demo.returncode != 0
        assert "--allow-demo-without-debug" in demo.stderr
        users = run(
            "shell",
            "--no-imports",
            "-c",
            "from django.contrib.auth.models import User; print(User.objects.count())",
            env=env,
        )
        assert users.stdout.strip().splitlines()[-1] == "1"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def descendants(pid):
    """Every process below `pid`, read from /proc."""
    children = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, pending = [], [pid]
    while pending:
        for child in children.get(pending.pop(), []):
            found.append(child)
            pending.append(child)
    return found


def alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_bin_serve_serves_at_the_address_it_announces_and_stops_everything(tmp_path):
    address = f"127.0.0.1:{free_port()}"
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        serve = subprocess.Popen(
            ["bin/serve"],
            cwd=ROOT,
            env=clean_environment(PORTAL_ADDRESS=address, PORTAL_VAR_DIR=str(tmp_path / "var")),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    started = []
    try:
        deadline = time.monotonic() + 600
        status = None
        while time.monotonic() < deadline and serve.poll() is None:
            try:
                with urllib.request.urlopen(f"http://{address}/contact/", timeout=10) as response:
                    status = response.status
                    break
            except OSError:
                time.sleep(2)
        text = log.read_text()
        assert status == 200, text[-3000:]
        assert f"Serving the portal at http://{address} " in text
        assert "http://127.0.0.1:8000" not in text
        started = descendants(serve.pid)
        assert len(started) >= 3, "server, task worker and scheduler"
    finally:
        with suppress(ProcessLookupError):
            os.killpg(serve.pid, signal.SIGINT)  # Ctrl-C at the terminal
        serve.wait(timeout=60)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(alive(pid) for pid in started):
        time.sleep(0.5)
    assert not [pid for pid in started if alive(pid)]
    assert f"用户名 {DEMO_ADMIN_USERNAME}" in text
