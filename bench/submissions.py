"""What the load benches share: a throwaway production-settings environment served by gunicorn on
the loopback, the contact form's submission client, and the check that every submission the portal
answered with its receipt is stored exactly once (bench_intake.py, load.py)."""

import http.client
import json
import os
import re
import secrets
import socket
import statistics
import subprocess
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
RECEIPT_PATH = "/contact/submitted/"

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

# Prints {subject: rows} of the submissions whose subject starts with the prefix, and how many
# distinct tracking numbers they have.
COUNT_ITEMS = """
import json
from django.db.models import Count
from intake.models import IntakeItem
items = IntakeItem.objects.filter(subject__startswith={prefix!r})
print(json.dumps({{
    "subjects": dict(items.values("subject").annotate(rows=Count("pk")).values_list("subject", "rows")),
    "numbers": items.values("tracking_number").distinct().count(),
}}))
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(env, *args):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True)


def shell_json(env, code):
    """The JSON that `code`, run by `manage.py shell`, prints last."""
    return json.loads(manage(env, "shell", "-c", code).stdout.strip().splitlines()[-1])


def base_env(workdir):
    """Environment for a throwaway site in `workdir`: production settings (BENCH_SETTINGS), new secrets,
    SQLite unless DATABASE_URL is added, the database cache (no Redis)."""
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


def server_log(env):
    return Path(env["PORTAL_VAR_DIR"]) / "gunicorn.log"


def start_gunicorn(env, port, workers):
    """gunicorn with `workers` sync workers on 127.0.0.1:`port`, once it answers /healthz. Its log goes
    to server_log(env): a pipe nobody reads while the load runs fills up and stops the workers."""
    with open(server_log(env), "a") as log:
        server = subprocess.Popen(
            [GUNICORN, "portal.wsgi", "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--no-control-socket"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise RuntimeError("gunicorn did not answer in time")


def forwarded_address(serial):
    """Each submission from its own address as a trusted proxy would name it (X-Forwarded-For)."""
    return None, {"X-Forwarded-For": f"10.{100 + serial // 65536}.{serial // 256 % 256}.{serial % 256}"}


def own_addresses(seed, start=0):
    """Each submission from its own loopback address (127.0.0.0/8 all reaches this machine), the address
    a proxy in front sees and names: the per-client rate limit counts each once. `seed` (1-99) keeps
    one run's addresses apart from another's, whose counts the shared store may still hold; `start`
    (below 60,000) keeps one batch's serials apart from another's."""

    def address(serial):
        number = start + serial
        return (f"127.{100 + seed + number // 65536}.{number // 256 % 256}.{number % 256}", 0), {}

    return address


@dataclass
class Answer:
    subject: str
    seconds: float
    status: int  # 0: no answer (the connection failed)
    location: str
    finished: float = field(default_factory=time.monotonic)

    @property
    def receipt(self):
        return self.status == 302 and self.location.endswith(RECEIPT_PATH)


def form_token(connection, headers=None):
    """(status, CSRF cookie, token) from the contact page, as a browser gets them; status 0 when it
    did not answer, cookie and token None unless it answered 200."""
    try:
        connection.request("GET", "/contact/", headers=headers or {})
        response = connection.getresponse()
        page = response.read().decode()
    except OSError:
        connection.close()
        return 0, None, None
    if response.status != 200:
        return response.status, None, None
    cookie = response.getheader("Set-Cookie").split(";")[0]
    return 200, cookie, re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


class ContactClient(threading.Thread):
    """One browser: its own CSRF cookie and token, then one submission per serial (until `stop` is set),
    each from the client address `address(serial)` gives: (source address to bind or None, extra headers).
    The contact page's failed answers, before it gave a token, are in `page_errors`; with `stop`, the
    client asks again every half second."""

    def __init__(
        self, port, serials, answers, *, prefix, address=forwarded_address, email="bench@example.invalid", stop=None
    ):
        super().__init__(daemon=True)
        self.port, self.serials, self.answers = port, serials, answers
        self.prefix, self.address, self.email, self.stop = prefix, address, email, stop
        self.page_errors = []

    def connect(self, source=None):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=60, source_address=source)

    def run(self):
        connection = self.connect()
        first_headers = self.address(self.serials[0])[1] if self.serials else {}
        status, cookie, token = form_token(connection, first_headers)
        while not token:
            self.page_errors.append(status)
            if not self.stop or self.stop.wait(0.5):
                return
            status, cookie, token = form_token(connection, first_headers)
        for serial in self.serials:
            if self.stop and self.stop.is_set():
                break
            source, headers = self.address(serial)
            if source:  # a new connection from that address
                connection.close()
                connection = self.connect(source)
            subject = f"{self.prefix}{serial:06d}"
            body = urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": token,
                    "kind": "suggestion",
                    "name": "压力测试",
                    "mobile": "13800000000",
                    "email": self.email,
                    "subject": subject,
                    "message": "这是一条压力测试留言，用于测量并发提交时的吞吐和可靠性。",
                    "consent": "on",
                }
            )
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie, **headers}
            started = time.perf_counter()
            try:
                connection.request("POST", "/contact/", body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                answer = Answer(subject, 0, response.status, response.getheader("Location") or "")
            except OSError as error:
                answer = Answer(subject, 0, 0, str(error))
                connection.close()
            answer.seconds = time.perf_counter() - started
            self.answers.append(answer)


def contact_clients(port, prefix, count, clients, answers, **options):
    """`clients` clients sharing `count` submissions (serials 0 to count - 1), not started."""
    share = [list(range(index, count, clients)) for index in range(clients)]
    return [ContactClient(port, serials, answers, prefix=prefix, **options) for serials in share]


def submit(port, prefix, count, clients, **options):
    """`count` submissions from `clients` concurrent clients: (answers, seconds taken)."""
    answers = []
    threads = contact_clients(port, prefix, count, clients, answers, **options)
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers, time.perf_counter() - started


def p50_p99(seconds):
    """The median and the 99th percentile of durations in seconds, in milliseconds."""
    ordered = sorted(value * 1000 for value in seconds)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.99) - 1)]


def stored(env, prefix):
    """What the database holds of the submissions whose subject starts with `prefix`."""
    return shell_json(env, COUNT_ITEMS.format(prefix=prefix))


@dataclass
class Tally:
    """The answers checked against the database."""

    posted: int
    receipts: int
    errors: int  # 5xx or no answer
    refused: int  # any other answer (a 4xx: the form or the rate limit said no)
    rows: int
    duplicated: int  # subjects stored more than once
    lost: int  # answered with the receipt but not stored
    stored_after_error: int  # answered with an error, stored all the same (stored once)
    unexpected: int  # stored without having been posted
    numbers_unique: bool

    @property
    def exactly_once(self):
        return not (self.duplicated or self.lost or self.unexpected) and self.numbers_unique

    def line(self):
        return (
            f"{self.posted} posted, {self.receipts} receipts, {self.errors} 5xx/failed, {self.refused} refused | "
            f"{self.rows} stored, {self.lost} receipted but lost, {self.duplicated} stored twice, "
            f"{self.stored_after_error} stored despite an error answer, tracking numbers "
            f"{'unique' if self.numbers_unique else 'NOT UNIQUE'}"
        )


def tally(answers, database):
    rows = Counter(database["subjects"])
    posted = {answer.subject: answer for answer in answers}
    errors = [answer for answer in answers if answer.status == 0 or answer.status >= 500]
    return Tally(
        posted=len(answers),
        receipts=sum(answer.receipt for answer in answers),
        errors=len(errors),
        refused=sum(not answer.receipt and 0 < answer.status < 500 for answer in answers),
        rows=sum(rows.values()),
        duplicated=sum(count > 1 for count in rows.values()),
        lost=sum(answer.receipt and not rows[answer.subject] for answer in answers),
        stored_after_error=sum(bool(rows[answer.subject]) for answer in errors),
        unexpected=sum(subject not in posted for subject in rows),
        numbers_unique=database["numbers"] == sum(rows.values()),
    )
