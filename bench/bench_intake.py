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

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from submissions import base_env, free_port, manage, p50_p99, server_log, start_gunicorn, stored, submit, tally

SUBMISSIONS = 1_000
CLIENTS = 50
WORKERS = 4
SUBJECT = "压力测试提交"
PGBIN = Path("/usr/lib/postgresql/15/bin")

SETUP_SITE = """
from wagtail.models import Page, Site
from home.models import HomePage
from intake.models import ContactPage
root = Page.get_first_root_node()
home = root.add_child(instance=HomePage(title="首页", slug="bench-home"))
home.add_child(instance=ContactPage(title="联系我们", slug="contact"))
Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "127.0.0.1", "root_page": home})
"""


def run(label, env):
    manage(env, "migrate", "--no-input")
    manage(env, "createcachetable")
    manage(env, "shell", "-c", SETUP_SITE)
    port = free_port()
    server = start_gunicorn(env, port, WORKERS)
    try:
        answers, elapsed = submit(port, SUBJECT, SUBMISSIONS, CLIENTS)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    errors = server_log(env).read_text()
    checked = tally(answers, stored(env, SUBJECT))
    p50, p99 = p50_p99(answer.seconds for answer in answers)
    figures = {"label": label, "throughput": len(answers) / elapsed, "p50": p50, "p99": p99}
    print(
        f"{label:10} {checked.line()} | "
        f"{figures['throughput']:.0f} submissions/s, p50 {figures['p50']:.0f} ms, p99 {figures['p99']:.0f} ms"
    )
    ok = checked.exactly_once and checked.receipts == checked.rows == SUBMISSIONS and not checked.errors
    if not ok:
        print(f"{label}: FAILED — submissions lost, duplicated or refused.\nServer log tail:\n{errors[-3000:]}")
    return figures, ok


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
