"""Load and loss: 1,000 contact-form submissions from 50 concurrent clients, under gunicorn.

Run from the project root:  .venv/bin/python bench/bench_intake.py [--sqlite-only]
For SQLite, then for a throwaway PostgreSQL cluster (installed with apt-get if missing, run
as the postgres user, removed afterwards), it:
- builds a fresh database in a temporary folder with a home page and the contact page,
- starts gunicorn on 127.0.0.1 (production settings, DEBUG off, 4 sync workers),
- runs 50 clients; each fetches /contact/ once for its own CSRF token, then posts its share
  of the 1,000 valid submissions, each from its own client address as the server sees it
  (the X-Forwarded-For address of INTAKE_TRUSTED_PROXY_COUNT = 1, as behind a proxy), so the
  per-client rate limit counts in the shared database store but refuses none,
- checks that every submission was answered with the receipt redirect, none with a 5xx,
  and that the database holds each exactly once with a unique tracking number,
- prints throughput and the p50/p99 latency, and the PostgreSQL/SQLite throughput ratio.
It sends traffic only to 127.0.0.1 and stops by itself.
"""

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
SUBMISSIONS = 1_000
CLIENTS = 50
WORKERS = 4
SUBJECT = "压力测试提交"
PGBIN = Path("/usr/lib/postgresql/15/bin")

# Production settings, served over plain HTTP on the loopback and without collectstatic.
BENCH_SETTINGS = """
from portal.settings.production import *  # noqa: F403

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
INTAKE_TRUSTED_PROXY_COUNT = 1
LOGGING["loggers"]["django"]["level"] = "WARNING"  # noqa: F405
"""

SETUP_SITE = """
from wagtail.models import Page, Site
from home.models import HomePage
from intake.models import ContactPage
root = Page.get_first_root_node()
home = root.add_child(instance=HomePage(title="首页", slug="bench-home"))
home.add_child(instance=ContactPage(title="联系我们", slug="contact"))
Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "127.0.0.1", "root_page": home})
"""

COUNT_ITEMS = f"""
import json
from intake.models import IntakeItem
items = IntakeItem.objects.filter(subject__startswith="{SUBJECT}")
print(json.dumps({{
    "rows": items.count(),
    "subjects": items.values("subject").distinct().count(),
    "numbers": items.values("tracking_number").distinct().count(),
}}))
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(env, *args):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True)


def wait_for(port, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer in time")


class Client(threading.Thread):
    """One browser: its own CSRF cookie and token, then its share of the submissions."""

    def __init__(self, port, index, count, results):
        super().__init__()
        self.port, self.index, self.count, self.results = port, index, count, results

    def run(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.request("GET", "/contact/", headers={"X-Forwarded-For": f"10.200.{self.index}.1"})
        response = connection.getresponse()
        page = response.read().decode()
        cookie = response.getheader("Set-Cookie").split(";")[0]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        for number in range(self.count):
            serial = self.index * 1000 + number
            body = urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": token,
                    "kind": "suggestion",
                    "name": "压力测试",
                    "mobile": "13800000000",
                    "email": "bench@example.invalid",
                    "subject": f"{SUBJECT}{serial:06d}",
                    "message": "这是一条压力测试留言，用于测量并发提交时的吞吐和可靠性。",
                    "consent": "on",
                }
            )
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie,
                "X-Forwarded-For": f"10.{100 + serial // 65536}.{serial // 256 % 256}.{serial % 256}",
            }
            started = time.perf_counter()
            try:
                connection.request("POST", "/contact/", body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                outcome = (response.status, response.getheader("Location") or "")
            except OSError as error:
                outcome = (0, str(error))
                connection.close()
            self.results.append((time.perf_counter() - started, *outcome))


def run(label, env):
    manage(env, "migrate", "--no-input")
    manage(env, "createcachetable")
    manage(env, "shell", "-c", SETUP_SITE)
    port = free_port()
    server = subprocess.Popen(
        [GUNICORN, "portal.wsgi", "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}", "--no-control-socket"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(port)
        results = []
        clients = [Client(port, index, SUBMISSIONS // CLIENTS, results) for index in range(CLIENTS)]
        started = time.perf_counter()
        for client in clients:
            client.start()
        for client in clients:
            client.join()
        elapsed = time.perf_counter() - started
    finally:
        server.send_signal(signal.SIGTERM)
        errors = server.communicate(timeout=30)[1]
    stored = json.loads(manage(env, "shell", "-c", COUNT_ITEMS).stdout.strip().splitlines()[-1])
    latencies = sorted(duration * 1000 for duration, *_ in results)
    statuses = [status for _, status, _ in results]
    receipts = sum(1 for _, status, location in results if status == 302 and location.endswith("/contact/submitted/"))
    server_errors = sum(1 for status in statuses if status >= 500 or status == 0)
    figures = {
        "label": label,
        "submissions": len(results),
        "receipts": receipts,
        "server_errors": server_errors,
        "rows": stored["rows"],
        "unique_numbers": stored["numbers"],
        "throughput": len(results) / elapsed,
        "p50": statistics.median(latencies),
        "p99": latencies[int(len(latencies) * 0.99) - 1],
    }
    print(
        f"{label:10} {figures['submissions']} posted, {receipts} receipts, {server_errors} 5xx/failed, "
        f"{stored['rows']} stored ({stored['subjects']} distinct), {stored['numbers']} unique tracking numbers | "
        f"{figures['throughput']:.0f} submissions/s, p50 {figures['p50']:.0f} ms, p99 {figures['p99']:.0f} ms"
    )
    lost = not (receipts == stored["rows"] == stored["subjects"] == stored["numbers"] == SUBMISSIONS)
    if lost or server_errors:
        print(f"{label}: FAILED — submissions lost, duplicated or refused.\nServer log tail:\n{errors[-3000:]}")
    return figures, not (lost or server_errors)


def base_env(workdir):
    settings_dir = Path(workdir) / "settings"
    settings_dir.mkdir()
    (settings_dir / "bench_settings.py").write_text(BENCH_SETTINGS)
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL" and key != "REDIS_URL"}
    env.update(
        PYTHONPATH=f"{settings_dir}:{ROOT}",
        DJANGO_SETTINGS_MODULE="bench_settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        INTAKE_QUERY_CODE_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="127.0.0.1",
        PORTAL_VAR_DIR=str(Path(workdir) / "var"),
        INTAKE_ATTACHMENT_ROOT=str(Path(workdir) / "private"),
        DJANGO_LOG_LEVEL="WARNING",
    )
    (Path(workdir) / "var").mkdir()
    return env


def start_postgres(workdir):
    if not (PGBIN / "initdb").exists():
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "postgresql"],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
    data = Path(workdir) / "pg"
    data.mkdir()
    shutil.chown(data, "postgres")
    port = free_port()

    def as_postgres(*command):
        subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True, capture_output=True)

    as_postgres(
        str(PGBIN / "initdb"),
        "-D",
        str(data / "data"),
        "-U",
        "postgres",
        "--auth=trust",
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
    )
    as_postgres(
        str(PGBIN / "pg_ctl"),
        "-D",
        str(data / "data"),
        "-l",
        str(data / "server.log"),
        "-w",
        "-o",
        f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
        "start",
    )
    as_postgres(
        str(PGBIN / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-qc", "CREATE DATABASE portal"
    )

    def stop():
        subprocess.run(
            ["runuser", "-u", "postgres", "--", str(PGBIN / "pg_ctl"), "-D", str(data / "data"), "-m", "fast", "stop"],
            capture_output=True,
        )

    return f"postgres://postgres@127.0.0.1:{port}/portal", stop


def main():
    workdir = tempfile.mkdtemp(prefix="bench-intake-")
    os.chmod(workdir, 0o755)  # noqa: S103 - the postgres user must reach its data folder
    print(f"{SUBMISSIONS} submissions, {CLIENTS} concurrent clients, gunicorn with {WORKERS} sync workers on 127.0.0.1")
    try:
        sqlite_dir = Path(workdir) / "sqlite"
        sqlite_dir.mkdir()
        sqlite, ok = run("SQLite", base_env(sqlite_dir))
        if "--sqlite-only" not in sys.argv:
            pg_dir = Path(workdir) / "postgresql"
            pg_dir.mkdir()
            os.chmod(pg_dir, 0o755)  # noqa: S103 - as above
            url, stop = start_postgres(pg_dir)
            try:
                env = base_env(pg_dir)
                env["DATABASE_URL"] = url
                postgresql, postgresql_ok = run("PostgreSQL", env)
            finally:
                stop()
            ok = ok and postgresql_ok
            print(f"PostgreSQL/SQLite throughput ratio: {postgresql['throughput'] / sqlite['throughput']:.2f}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
