"""Public site: SQL queries as content grows tenfold, and throughput and memory under gunicorn.

Run from the project root:  .venv/bin/python bench/bench_public.py
It builds a throwaway SQLite database and media folder in a temporary folder (nothing else is
touched), with production settings (DEBUG off, whitenoise with a manifest, the database cache),
and prints:
- SQL queries of the home page, the spotlight index, the expert directory and an article: on a
  page-cache miss right after a publish (the shared menu and settings read again, the page
  stored), and of the render alone (page cache bypassed), with the demo content and with ten
  times as many articles and profiles (must be equal), and of an article with 10 and with 100
  related experts (must be equal);
- requests per second under gunicorn (2 workers, wrk with 20 connections, 127.0.0.1) for a static
  file and the public pages, served by the page cache and raw (a second gunicorn whose settings
  leave the page cache middleware out: every request renders), each page's ratio to the static
  file, and the workers' CPU time per request. Targets: cached home and article at least 0.8x
  the static file and search 0.2x; raw home, article and listings at least 0.03x;
- the memory of the gunicorn master and of each worker after the load: resident (VmRSS) and
  proportional (Pss, shared pages divided among the processes that share them).
"""

import io
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
WORKDIR = Path(tempfile.mkdtemp(prefix="bench-public-"))
SETTINGS_MODULE = "bench_public_settings"
RAW_SETTINGS_MODULE = "bench_public_raw_settings"
# Production settings with the static files collected into the temporary folder.
(WORKDIR / f"{SETTINGS_MODULE}.py").write_text(
    f"from portal.settings.production import *  # noqa: F403\nSTATIC_ROOT = {str(WORKDIR / 'static')!r}\n"
)
# The same without the page cache: every request renders its page.
(WORKDIR / f"{RAW_SETTINGS_MODULE}.py").write_text(
    f"from {SETTINGS_MODULE} import *  # noqa: F403\n"
    'MIDDLEWARE = [name for name in MIDDLEWARE if name != "base.page_cache.PublicPageCacheMiddleware"]  # noqa: F405\n'
)
ENVIRONMENT = {
    "PORTAL_VAR_DIR": str(WORKDIR),
    "MEDIA_ROOT": str(WORKDIR / "media"),
    "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
    "INTAKE_QUERY_CODE_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "0",
    "DJANGO_LOG_LEVEL": "WARNING",
    "PYTHONPATH": os.pathsep.join([str(WORKDIR), str(ROOT)]),
}
os.environ.update(ENVIRONMENT)
os.environ.pop("DATABASE_URL", None)
os.environ.pop("REDIS_URL", None)
sys.path[:0] = [str(WORKDIR), str(ROOT)]

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from base.demo import DemoContext  # noqa: E402
from base.page_cache import new_generation  # noqa: E402
from experts import demo_pages  # noqa: E402
from experts.models import Expert, ExpertStatus  # noqa: E402
from experts.models.pages import ExpertDirectoryPage, ExpertProfilePage  # noqa: E402
from spotlight.models import SpecialColumn, SpotlightArticleExpert, SpotlightArticlePage  # noqa: E402

GROWTH = 10
# As the README runs it: --preload loads the application (and the search dictionary) once in the
# master, whose memory the forked workers share.
WORKERS = 2
GUNICORN_ARGS = ["--workers", str(WORKERS), "--preload", "--no-control-socket", "--log-level", "warning"]
CONNECTIONS = 20
DURATION = "10s"


def say(message):
    print(message, flush=True)


def profiles_for(experts):
    """Consent recorded for `experts` and their public profiles built (the demo builder)."""
    Expert.objects.filter(pk__in=[expert.pk for expert in experts]).update(
        public_profile_consent=True, public_shows_unit=True, public_shows_title=True
    )
    demo_pages.build(DemoContext(stdout=io.StringIO(), pages={"experts": ExpertDirectoryPage.objects.get()}))


def copy_experts(count):
    """`count` more fictional experts, copies of the demo's first one under new names."""
    template = Expert.objects.filter(status=ExpertStatus.ACTIVE).order_by("pk").first()
    copies = []
    for number in range(count):
        template.pk = None
        template.name = f"测试某{number:04d}"
        template.mobile = f"1390000{number:04d}"
        template.save()
        copies.append(Expert.objects.get(pk=template.pk))
    return copies


def add_articles(count, profiles):
    index = SpotlightArticlePage.objects.first().get_parent()
    columns = list(SpecialColumn.objects.filter(live=True))
    covers = [article.cover_image for article in SpotlightArticlePage.objects.exclude(cover_image=None)]
    articles = []
    for number in range(count):
        article = SpotlightArticlePage(
            title=f"专家风采第{number + 1}篇",
            author="本网记者",
            summary="摘要",
            cover_image=covers[number % len(covers)],
            cover_alt="封面",
            body=[("paragraph", "<p>正文。</p>")],
        )
        article.columns = [columns[number % len(columns)]]
        article.related_experts = [SpotlightArticleExpert(profile=profile) for profile in profiles]
        index.add_child(instance=article)
        article.save_revision().publish()
        articles.append(article)
    return articles


def queries(client, url):
    """Queries of `url` on a page-cache miss right after a publish, and of its render alone."""
    client.get(url)
    new_generation()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    if response.status_code != 200 or response["X-Page-Cache"] != "miss":
        raise SystemExit(f"{url}: {response.status_code}, page cache {response.get('X-Page-Cache')}")
    miss = len(captured)
    with override_settings(
        MIDDLEWARE=[name for name in settings.MIDDLEWARE if not name.endswith("PageCacheMiddleware")]
    ):
        raw_client = Client()
        raw_client.get(url)
        with CaptureQueriesContext(connection) as captured:
            raw_client.get(url)
    return miss, len(captured)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ensure_wrk():
    """wrk, the load tool, from Debian's packages when the machine lacks it."""
    if shutil.which("wrk"):
        return
    say("Installing wrk from Debian's packages ...")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "wrk"], check=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    )


def load(url):
    """wrk against `url`: (requests per second, requests made)."""
    output = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", url], capture_output=True, text=True, check=True
    ).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        raise SystemExit(f"{url}: {non_2xx.group(1)} failed responses\n{output}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    return rate, int(re.search(r"(\d+) requests in", output).group(1))


def workers_of(master):
    return [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]


def cpu_seconds(pids):
    """User and system CPU time the processes have used."""
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def memory_mb(pid):
    """(resident, proportional) memory of a process in MB: VmRSS, and Pss, which counts a page
    shared by n processes as 1/n."""
    rss = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text()).group(1)
    pss = re.search(r"Pss:\s+(\d+) kB", Path(f"/proc/{pid}/smaps_rollup").read_text()).group(1)
    return int(rss) / 1024, int(pss) / 1024


def serve_and_measure(settings_module, targets):
    """Under gunicorn with `settings_module`: per target (requests/s, workers' CPU ms per request),
    and the memory of the master and of each worker after the load."""
    port = free_port()
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "portal.wsgi", *GUNICORN_ARGS, "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": settings_module},
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                urlopen(f"{base}/healthz", timeout=1)  # noqa: S310 - our own local server
                break
            except OSError:
                time.sleep(0.2)
        workers = workers_of(server.pid)
        while len(workers) < WORKERS:  # the first worker answers before the others have started
            time.sleep(0.2)
            workers = workers_of(server.pid)
        for path in targets.values():
            urlopen(base + path, timeout=10).read()  # noqa: S310 - warm the page cache
        results = {}
        for name, path in targets.items():
            cpu_before = cpu_seconds(workers)
            rate, count = load(base + path)
            results[name] = (rate, (cpu_seconds(workers) - cpu_before) / count * 1000)
        return results, [memory_mb(pid) for pid in [server.pid, *workers]]
    finally:
        server.terminate()
        server.wait(timeout=30)


def main():
    ensure_wrk()
    say(f"Building the demo site in {WORKDIR} ...")
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("load_demo_content", stdout=io.StringIO(), allow_demo_without_debug=True)
    active = list(Expert.objects.filter(status=ExpertStatus.ACTIVE).order_by("pk"))
    profiles_for(active[::3])
    client = Client()
    article = SpotlightArticlePage.objects.live().order_by("pk").first()
    urls = {"home": "/", "spotlight index": "/spotlight/", "expert directory": "/experts/", "article": article.url}
    before = {name: queries(client, url) for name, url in urls.items()}
    articles_before = SpotlightArticlePage.objects.live().count()
    profiles_before = ExpertProfilePage.objects.live().count()

    say(f"Growing the content {GROWTH}x ...")
    profiles_for(copy_experts(profiles_before * (GROWTH - 1)))
    profiles = list(ExpertProfilePage.objects.live().order_by("pk"))
    add_articles(articles_before * (GROWTH - 1) - 2, [])
    with_10, with_100 = add_articles(1, profiles[:10])[0], add_articles(1, profiles[:100])[0]
    after = {name: queries(client, url) for name, url in urls.items()}
    say("")
    say("SQL queries per page as content grows tenfold: on a page-cache miss after a publish / of the render alone")
    say(
        f"  content: {articles_before} -> {SpotlightArticlePage.objects.live().count()} articles, "
        f"{profiles_before} -> {ExpertProfilePage.objects.live().count()} profiles"
    )
    for name in urls:
        verdict = "constant" if before[name] == after[name] else "GROWS"
        say(f"  {name:<18} {'/'.join(map(str, before[name])):>7} -> {'/'.join(map(str, after[name])):<7}  {verdict}")
    related_10, related_100 = queries(client, with_10.url), queries(client, with_100.url)
    verdict = "constant" if related_10 == related_100 else "GROWS"
    say(
        f"  article, 10 vs 100 related experts: {'/'.join(map(str, related_10))} -> "
        f"{'/'.join(map(str, related_100))}  {verdict}"
    )

    targets = {
        "static file": "/static/css/portal.css",
        "home page": "/",
        "article": with_10.url,
        "spotlight index": "/spotlight/",
        "expert directory": "/experts/",
        "search": "/search/?q=%E4%B8%93%E5%AE%B6",  # 专家
    }
    say("")
    say(f"Serving with gunicorn ({' '.join(GUNICORN_ARGS)}), from the page cache and then without it ...")
    cached, cached_memory = serve_and_measure(SETTINGS_MODULE, targets)
    raw, raw_memory = serve_and_measure(RAW_SETTINGS_MODULE, targets)
    say(
        f"Throughput, wrk -t2 -c{CONNECTIONS} -d{DURATION}, same run: requests/s, ratio to the static file "
        "served by the same gunicorn, workers' CPU ms per request"
    )
    say(f"  {'':<17} {'from the page cache':>30}   {'rendered (cache bypassed)':>30}")
    for name in targets:
        cells = []
        for results in (cached, raw):
            rate, cpu = results[name]
            cells.append(f"{rate:>8.0f} req/s {rate / results['static file'][0]:>6.3f}x {cpu:>6.2f} ms")
        say(f"  {name:<17} {cells[0]:>30}   {cells[1]:>30}")
    say("  targets: from the cache, home and article >= 0.8x and search >= 0.2x; rendered, home, article and")
    say("  listings >= 0.03x")
    say("Memory after the load, MB, VmRSS / Pss (a page shared by n processes counts 1/n in Pss)")
    for label, (master, *workers) in (("page cache", cached_memory), ("cache bypassed", raw_memory)):
        say(
            f"  {label:<15} master {master[0]:.0f} / {master[1]:.0f}; workers "
            + ", ".join(f"{rss:.0f} / {pss:.0f}" for rss, pss in workers)
        )


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORKDIR, ignore_errors=True)
