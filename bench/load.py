"""Load and breakage: the portal as one office runs it, then as the production profile, then the
profile broken on purpose while it is loaded.

Run from the project root, as root (deploy/up needs it):  .venv/bin/python bench/load.py
It sends traffic only to 127.0.0.1, and:
1. Single process: builds a throwaway SQLite database with the demo content in a temporary folder
   and serves it with gunicorn, ONE sync worker, production settings (DEBUG off, whitenoise for the
   static files, the database cache). Not runserver, which bin/serve uses: that is Django's
   development server (DEBUG on, static files from Django's own view, a reloader), whose figures say
   nothing of a deployed office; one gunicorn worker is the same one process on the same code path
   as production, without the proxy.
2. The profile: through nginx at http://127.0.0.1:8080 (PROFILE_NGINX_PORT), started with deploy/up if it does not answer
   (the script says so, and leaves it running; deploy/down stops it).
For each: requests/s and p50/p99 of a static file, the home page, an article, search (a Chinese
query), an admin list (signed in through the login form as rcb_xingbin, a county office whose
second factor is offered, not required), measured with wrk, every answer's status counted; then
the contact form, submitted by concurrent clients, each submission from its own loopback address
(the address nginx sees and names, so the per-client rate limit counts each once), every answer
checked and every submission looked up in the database: stored exactly once, none lost, no 5xx.
Each figure also as its ratio to the static file through the same front (whitenoise in 1, nginx in 2).
3. Breakage, each under a mix of page views, sign-ins and submissions through nginx: one of the two
   gunicorn servers killed (master and workers, SIGKILL) and restarted with deploy/up; Redis stopped
   and restarted with deploy/up; the task worker stopped, contact forms submitted, then restarted:
   their receipt mails must wait in the queue and go out (the profile's console mail backend writes
   them to the worker's log) once it is back.
It prints the counts it checked and exits with status 1 when any check fails.
"""

import http.client
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter

from submissions import (
    ROOT,
    base_env,
    contact_clients,
    free_port,
    manage,
    own_addresses,
    p50_p99,
    shell_json,
    start_gunicorn,
    stored,
    submit,
    tally,
)

PROFILE = ROOT / "var" / "deploy"  # deploy/up's state: pid files, logs, the environment file
# deploy/up's ports (deploy/_profile.sh), moved as it moves them.
NGINX_PORT = int(os.environ.get("PROFILE_NGINX_PORT", "8080"))
KILLED_PORT = int(os.environ.get("PROFILE_APP_PORTS", "8001 8002").split()[-1])  # the last app server
STAFF_USER = "rcb_xingbin"
PASSWORD = "laibin-demo-2026"  # noqa: S105 - base.demo.DEMO_PASSWORD, the fictional demo logins'
SEARCH = "/search/?q=" + urllib.parse.quote("专家")
ADMIN_LIST = "/admin/intake/items/"
WRK = ["wrk", "-t2", "-c16", "-d8s", "--timeout", "30s", "--latency"]
SUBMISSIONS = 400
CLIENTS = 16
BREAK_CLIENTS = 6
VISITORS = 8  # in the breakage: two for each of four addresses
RUN = random.randint(1, 99)  # apart from an earlier run's addresses and subjects
SUBJECT = f"负载测试{RUN:02d}-"
# wrk counts each status (its own summary lumps 3xx with 2xx).
STATUS_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} end
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do io.write(string.format("status %d %d\\n", status, count)) end
  end
end
"""
PAGES = """
import json
from spotlight.models import SpotlightArticlePage
print(json.dumps({"article": SpotlightArticlePage.objects.live().order_by("pk").first().url}))
"""
# The receipt mails of the submissions whose subject starts with the prefix: {tracking number: task status}.
RECEIPTS = """
import json
from django_tasks_db.models import DBTaskResult
from intake.models import IntakeItem
numbers = dict(IntakeItem.objects.filter(subject__startswith={prefix!r}).values_list("pk", "tracking_number"))
tasks = DBTaskResult.objects.filter(task_path__endswith="send_intake_mail", args_kwargs__args__0="receipt")
print(json.dumps({{numbers[task.args_kwargs["args"][1]]: task.status for task in tasks
                  if task.args_kwargs["args"][1] in numbers}}))
"""

failures = []


def say(message=""):
    print(message, flush=True)


def check(passed, what):
    """Records a failed check; the script exits with 1 at the end."""
    if not passed:
        failures.append(what)
        say(f"  FAILED: {what}")
    return passed


def connect(port, source=None, timeout=30):
    return http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=source)


def get(port, path, cookie=""):
    connection = connect(port)
    connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = connection.getresponse()
    body = response.read().decode(errors="replace")
    connection.close()
    return response.status, body


def cookies(response):
    return {value.split("=", 1)[0]: value.split(";")[0] for value in response.headers.get_all("Set-Cookie") or []}


def sign_in(port, username=STAFF_USER, source=None):
    """Signs in through /admin/login/ as a browser does: (status of the login POST, the session's Cookie
    header or None when it did not sign in)."""
    connection = connect(port, source)
    try:
        connection.request("GET", "/admin/login/")
        response = connection.getresponse()
        page = response.read().decode(errors="replace")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if response.status != 200 or not token:
            return response.status, None
        csrf = cookies(response).get("csrftoken", "")
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token.group(1), "username": username, "password": PASSWORD, "next": "/admin/"}
        )
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": csrf}
        connection.request("POST", "/admin/login/", body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        session = cookies(response).get("sessionid")
        if response.status == 302 and session and response.getheader("Location", "").endswith("/admin/"):
            return response.status, f"{session}; {csrf}"
        return response.status, None
    except OSError:
        return 0, None
    finally:
        connection.close()


def wrk(url, cookie=""):
    """wrk against `url`: (requests/s, p50 ms, p99 ms, {status: count}, socket errors)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(STATUS_SCRIPT)
        script.flush()
        headers = ["-H", f"Cookie: {cookie}"] if cookie else []
        output = subprocess.run([*WRK, "-s", script.name, *headers, url], capture_output=True, text=True).stdout
    statuses = Counter()
    for status, count in re.findall(r"^status (\d+) (\d+)$", output, re.MULTILINE):
        statuses[int(status)] += int(count)

    def latency(percent):
        found = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
        if not found:  # no answer at all
            return float("nan")
        value, unit = found.groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]

    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    rate = float(rate.group(1)) if rate else 0.0
    return rate, latency(50), latency(99), statuses, sum(map(int, errors.groups())) if errors else 0


def measure(label, port, static, article, cookie, env):
    """The table of one front: pages with wrk, then the contact form. Returns {name: requests/s}."""
    targets = [
        ("static file", static, ""),
        ("home page", "/", ""),
        ("article", article, ""),
        ("search (专家)", SEARCH, ""),
        (f"admin list ({STAFF_USER})", ADMIN_LIST, cookie),
    ]
    say(
        f"{label}: {' '.join(WRK)} per page (wrk shares the 2 cores), then {SUBMISSIONS} submissions from {CLIENTS} clients"
    )
    say(f"  {'':<26}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'x static':>10}   answers")
    rates = {}
    for name, path, cookie_header in targets:
        status, _ = get(port, path, cookie_header)
        check(status == 200, f"{label}: {path} answers {status} before the load")
        rate, p50, p99, statuses, socket_errors = wrk(f"http://127.0.0.1:{port}{path}", cookie_header)
        rates[name] = rate
        answers = ", ".join(f"{count} x {status}" for status, count in sorted(statuses.items()))
        say(f"  {name:<26}{rate:>9.0f}{p50:>9.1f}{p99:>9.1f}{rate / rates['static file']:>10.3f}   {answers}")
        check(
            set(statuses) == {200} and not socket_errors,
            f"{label}: {name} answered {answers}, {socket_errors} socket errors",
        )
    prefix = f"{SUBJECT}{label}-"
    answers, elapsed = submit(port, prefix, SUBMISSIONS, CLIENTS, address=own_addresses(RUN))
    rate = len(answers) / elapsed
    p50, p99 = p50_p99(answer.seconds for answer in answers)
    rates["contact form (POST)"] = rate
    statuses = Counter(answer.status for answer in answers)
    answered = ", ".join(f"{count} x {status}" for status, count in sorted(statuses.items()))
    say(
        f"  {'contact form (POST)':<26}{rate:>9.0f}{p50:>9.1f}{p99:>9.1f}{rate / rates['static file']:>10.3f}   {answered}"
    )
    checked = tally(answers, stored(env, prefix))
    say(f"  database: {checked.line()}")
    check(
        checked.exactly_once and checked.receipts == checked.rows == SUBMISSIONS,
        f"{label}: submissions not each stored exactly once with a receipt",
    )
    return rates


def single_process():
    """Phase 1: SQLite, one gunicorn worker, whitenoise."""
    workdir = tempfile.mkdtemp(prefix="bench-load-")
    try:
        env = base_env(workdir)
        say(f"Building the demo site on SQLite in {workdir} ...")
        manage(env, "migrate", "--no-input")
        manage(env, "createcachetable")
        manage(env, "load_demo_content", "--allow-demo-without-debug")
        article = shell_json(env, PAGES)["article"]
        port = free_port()
        server = start_gunicorn(env, port, workers=1)
        try:
            status, cookie = sign_in(port)
            check(cookie is not None, f"single process: {STAFF_USER} did not sign in ({status})")
            return measure("single process", port, "/static/css/portal.css", article, cookie or "", env)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def profile_env():
    """The profile's environment (its production settings, database and Redis), from deploy/up's file."""
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    for line in (PROFILE / "portal.env").read_text().splitlines():
        if line and not line.startswith("#"):
            key, value = line.split("=", 1)
            env[key] = value
    return env


def deploy_up(why):
    say(f"  deploy/up ({why}) ...")
    started = time.monotonic()
    result = subprocess.run([str(ROOT / "deploy" / "up")], cwd=ROOT, capture_output=True, text=True)
    if not check(result.returncode == 0, f"deploy/up ({why}) exited with {result.returncode}"):
        say(result.stdout[-2000:] + result.stderr[-2000:])
    return time.monotonic() - started


def answers_at(port):
    try:
        return get(port, "/healthz")[0] == 200
    except OSError:
        return False


def pid_of(name):
    return int((PROFILE / "run" / f"{name}.pid").read_text())


def gone(session):
    """True once no process of the session runs (a zombie aside: PID 1 here reaps late)."""
    states = subprocess.run(["ps", "-o", "stat=", "--sid", str(session)], capture_output=True, text=True).stdout
    return all(state.startswith("Z") for state in states.split())


def wait(condition, seconds):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


class Visitor(threading.Thread):
    """Asks for one address again and again until stopped; records (status, seconds) of each answer."""

    def __init__(self, path, stop, cookie=""):
        super().__init__(daemon=True)
        self.path, self.stop, self.cookie, self.answers = path, stop, cookie, []

    def run(self):
        connection = connect(NGINX_PORT)
        while not self.stop.is_set():
            started = time.perf_counter()
            try:
                connection.request("GET", self.path, headers={"Cookie": self.cookie} if self.cookie else {})
                response = connection.getresponse()
                response.read()
                self.answers.append((response.status, time.perf_counter() - started))
            except OSError:
                self.answers.append((0, time.perf_counter() - started))
                connection.close()
                time.sleep(0.05)


class SignIns(threading.Thread):
    """A new sign-in every half second until stopped; records each login POST's status and outcome."""

    def __init__(self, stop):
        super().__init__(daemon=True)
        self.stop, self.answers = stop, []

    def run(self):
        while not self.stop.is_set():
            status, session = sign_in(NGINX_PORT)
            self.answers.append((status, session is not None))
            time.sleep(0.5)


def nginx_log_offset():
    return (PROFILE / "logs" / "nginx-access.log").stat().st_size


def nginx_retries(offset):
    """Requests nginx passed to a second app server after the first failed, since `offset`."""
    with open(PROFILE / "logs" / "nginx-access.log", encoding="utf-8", errors="replace") as log:
        log.seek(offset)
        return Counter(
            f"{line.split(chr(34))[1].split()[0]} {line.split(chr(34))[2].split()[0]}"
            for line in log
            if re.search(r"upstream=[^ ]+, ", line)
        )


def under_load(name, start, env, cookie, break_it, mend_it, seconds=5):
    """`break_it` then `mend_it` while visitors, sign-ins and contact forms run through nginx; returns
    the row of the table."""
    stop = threading.Event()
    prefix = f"{SUBJECT}{name}-"
    visitors = [
        Visitor(path, stop, cookie if path == ADMIN_LIST else "")
        for path in ("/", SEARCH, "/contact/", ADMIN_LIST) * (VISITORS // 4)
    ]
    signins = SignIns(stop)
    submissions = []
    clients = contact_clients(
        NGINX_PORT, prefix, 10_000, BREAK_CLIENTS, submissions, address=own_addresses(RUN, start), stop=stop
    )
    threads = [*visitors, signins, *clients]
    offset = nginx_log_offset()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    say(f"  {name}: {break_it()}")
    time.sleep(seconds)
    say(f"  {name}: {mend_it()}")
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=90)
    pages = Counter(status for visitor in visitors for status, _ in visitor.answers)
    # A form client's failed fetches of the contact page, before it had its token.
    pages.update(status for client in clients for status in client.page_errors)
    by_path = {}
    for visitor in visitors:
        by_path.setdefault(visitor.path, []).extend(visitor.answers)
    signed = Counter("signed in" if ok else f"refused {status}" for status, ok in signins.answers)
    checked = tally(submissions, stored(env, prefix))
    row = {
        "scenario": name,
        "pages": pages,
        "by path": {path: (Counter(s for s, _ in got), *p50_p99(t for _, t in got)) for path, got in by_path.items()},
        "sign-ins": signed,
        "forms": Counter(answer.status for answer in submissions),
        "checked": checked,
        "retried by nginx": nginx_retries(offset),
    }
    return row


def kill_app_server(env, cookie):
    pid = pid_of(f"gunicorn-{KILLED_PORT}")

    def kill():
        os.killpg(pid, signal.SIGKILL)
        down = wait(lambda: not answers_at(KILLED_PORT), 10)
        return (
            f"SIGKILL to gunicorn :{KILLED_PORT} (master {pid} and its workers); {'down' if down else 'STILL ANSWERS'}"
        )

    def restart():
        took = deploy_up(f"restarting gunicorn :{KILLED_PORT}")
        back = wait(lambda: answers_at(KILLED_PORT), 30)
        check(back, f"gunicorn :{KILLED_PORT} answers again after deploy/up")
        return f"deploy/up took {took:.0f} s; :{KILLED_PORT} {'answers again' if back else 'DOES NOT ANSWER'}"

    row = under_load("app server killed", 10_000, env, cookie, kill, restart)
    checked = row["checked"]
    # nginx passes a request the dead server refused to the other one; one the dead server had taken
    # (in flight when it died) is not retried when it is a POST (proxy_next_upstream has no
    # non_idempotent), nor once an answer had begun: nginx answers 502. At most one request per
    # client thread was in flight.
    pages, forms = row["pages"], row["forms"]
    check(set(pages) <= {200, 502} and pages[502] <= VISITORS, "app server killed: pages answered other than 200")
    check(checked.exactly_once, "app server killed: a submission lost or stored twice")
    check(
        set(forms) <= {302, 502} and forms[502] <= BREAK_CLIENTS and checked.receipts == forms[302],
        "app server killed: a submission answered other than with its receipt or an in-flight 502",
    )
    check(
        set(row["sign-ins"]) <= {"signed in", "refused 502"} and row["sign-ins"]["refused 502"] <= 1,
        "app server killed: a sign-in answered other than 302 or an in-flight 502",
    )
    return row


def restart_redis(env, cookie):
    pid = pid_of("redis")

    def stop():
        os.kill(pid, signal.SIGTERM)
        down = wait(lambda: gone(pid), 10)
        return f"Redis (pid {pid}) stopped with SIGTERM; {'down' if down else 'STILL RUNS'}"

    def restart():
        return f"deploy/up took {deploy_up('restarting Redis'):.0f} s"

    row = under_load("Redis restarted", 20_000, env, cookie, stop, restart)
    check(set(row["pages"]) == {200}, "Redis restarted: a page view answered other than 200")
    check(row["checked"].exactly_once, "Redis restarted: a submission lost or stored twice")
    check(not row["checked"].errors, "Redis restarted: a submission answered with a 5xx")
    check(
        not any(label.startswith("refused 5") for label in row["sign-ins"]), "Redis restarted: a sign-in answered 5xx"
    )
    return row


def stop_worker(env, cookie):
    pid = pid_of("worker")
    log = PROFILE / "logs" / "worker.log"
    prefix = f"{SUBJECT}worker stopped-"
    held = []

    def stop():
        os.killpg(pid, signal.SIGTERM)
        down = wait(lambda: gone(pid), 30)
        return f"worker (pid {pid}) stopped with SIGTERM; {'gone' if down else 'STILL RUNS'}"

    def restart():
        # Mail queued while the worker is away waits: its task READY, nothing written to its log.
        receipts = shell_json(env, RECEIPTS.format(prefix=prefix))
        text = log.read_text(errors="replace")
        held.extend(number for number, status in receipts.items() if status == "READY" and number not in text)
        took = deploy_up("restarting the worker")
        return (
            f"{len(receipts)} receipt mails queued so far, {len(held)} waiting (READY, not in the worker's log); "
            f"deploy/up took {took:.0f} s"
        )

    row = under_load("worker stopped", 30_000, env, cookie, stop, restart)
    check(set(row["pages"]) == {200}, "worker stopped: a page view answered other than 200")
    check(row["checked"].exactly_once and not row["checked"].errors, "worker stopped: a submission lost, twice or 5xx")
    check(bool(held), "worker stopped: no receipt mail waited in the queue")

    def all_sent():
        receipts = shell_json(env, RECEIPTS.format(prefix=prefix))
        text = log.read_text(errors="replace")
        return all(status == "SUCCESSFUL" and number in text for number, status in receipts.items())

    check(wait(all_sent, 120), "worker stopped: receipt mails not all sent after the worker returned")
    receipts = shell_json(env, RECEIPTS.format(prefix=prefix))
    text = log.read_text(errors="replace")
    row["mail"] = (
        f"{len(held)} receipt mails waited while the worker was away; after it returned "
        f"{sum(status == 'SUCCESSFUL' for status in receipts.values())}/{len(receipts)} sent and "
        f"{sum(number in text for number in receipts)} in its log"
    )
    return row


def counts(counter):
    return ", ".join(f"{count} x {key}" for key, count in sorted(counter.items(), key=str)) or "-"


def breakage(env, cookie):
    say("")
    say(
        f"Breakage through nginx, each under {VISITORS} page visitors, a sign-in every 0.5 s and {BREAK_CLIENTS} form clients:"
    )
    rows = [kill_app_server(env, cookie), restart_redis(env, cookie), stop_worker(env, cookie)]
    say("")
    say("What happened")
    for row in rows:
        checked = row["checked"]
        say(f"  {row['scenario']}")
        for path, (statuses, p50, p99) in row["by path"].items():
            say(f"    GET {urllib.parse.unquote(path):<22} {counts(statuses)}; p50 {p50:.0f} ms, p99 {p99:.0f} ms")
        say(f"    sign-ins: {counts(row['sign-ins'])}")
        say(f"    contact forms answered: {counts(row['forms'])}")
        say(f"    database: {checked.line()}")
        say(f"    retried by nginx on the other server (method, final status): {counts(row['retried by nginx'])}")
        if "mail" in row:
            say(f"    mail: {row['mail']}")


def main():
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    say(
        f"bench/load.py at {subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], cwd=ROOT, capture_output=True, text=True).stdout.strip()}"
    )
    say(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    say("")
    single = single_process()
    say("")
    if not answers_at(NGINX_PORT):
        say(f"The profile does not answer at http://127.0.0.1:{NGINX_PORT}: starting it with deploy/up")
        deploy_up("starting the profile")
        check(answers_at(NGINX_PORT), "deploy/up started the profile")
    env = profile_env()
    status, cookie = sign_in(NGINX_PORT)
    check(cookie is not None, f"profile: {STAFF_USER} did not sign in ({status})")
    home = get(NGINX_PORT, "/")[1]
    static = re.search(r'/static/[^"]+\.css', home).group(0)
    profile = measure("profile", NGINX_PORT, static, shell_json(env, PAGES)["article"], cookie or "", env)
    say("")
    say("Profile / single process, requests per second")
    for name, rate in profile.items():
        say(f"  {name:<26}{rate / single[name]:>8.2f}")
    breakage(env, cookie or "")
    say("")
    say(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    if failures:
        say(f"{len(failures)} checks FAILED:")
        for failure in failures:
            say(f"  - {failure}")
        sys.exit(1)
    say("Every check passed.")


if __name__ == "__main__":
    main()
