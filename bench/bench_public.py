"""Public site: SQL queries as content grows tenfold, and throughput under gunicorn against a static file.

Run from the project root:  .venv/bin/python bench/bench_public.py
It builds a throwaway SQLite database and media folder in a temporary folder (nothing else is
touched), with production settings (DEBUG off, whitenoise with a manifest, the database cache),
and prints:
- SQL queries of the home page, the spotlight index, the expert directory and an article, uncached,
  with the demo content and with ten times as many articles and profiles (must be equal), and of
  an article with 10 and with 100 related experts (must be equal);
- requests per second under gunicorn (2 workers, wrk with 20 connections, 127.0.0.1) for a static
  file, the home page, an article and a search, in the same run, and each page's ratio to the
  static file. Targets: home and article at least 0.8x the static file, search at least 0.2x.
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
# Production settings with the static files collected into the temporary folder.
(WORKDIR / f"{SETTINGS_MODULE}.py").write_text(
    f"from portal.settings.production import *  # noqa: F403\nSTATIC_ROOT = {str(WORKDIR / 'static')!r}\n"
)
ENVIRONMENT = {
    "PORTAL_VAR_DIR": str(WORKDIR),
    "MEDIA_ROOT": str(WORKDIR / "media"),
    "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
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

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from base.demo import DemoContext  # noqa: E402
from base.page_cache import new_generation  # noqa: E402
from experts import demo_pages  # noqa: E402
from experts.models import Expert, ExpertStatus  # noqa: E402
from experts.models.pages import ExpertDirectoryPage, ExpertProfilePage  # noqa: E402
from spotlight.models import SpecialColumn, SpotlightArticleExpert, SpotlightArticlePage  # noqa: E402

GROWTH = 10
WORKERS = 2
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
    """Queries of a rendering of `url` that the page cache does not answer (renditions already made)."""
    client.get(url)
    new_generation()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    if response.status_code != 200 or response["X-Page-Cache"] != "miss":
        raise SystemExit(f"{url}: {response.status_code}, page cache {response.get('X-Page-Cache')}")
    return len(captured)


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


def requests_per_second(url):
    output = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", url], capture_output=True, text=True, check=True
    ).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        raise SystemExit(f"{url}: {non_2xx.group(1)} failed responses\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def main():
    ensure_wrk()
    say(f"Building the demo site in {WORKDIR} ...")
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("load_demo_content", stdout=io.StringIO())
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
    say("SQL queries per uncached page as content grows tenfold")
    say(
        f"  content: {articles_before} -> {SpotlightArticlePage.objects.live().count()} articles, "
        f"{profiles_before} -> {ExpertProfilePage.objects.live().count()} profiles"
    )
    for name in urls:
        verdict = "constant" if before[name] == after[name] else "GROWS"
        say(f"  {name:<18} {before[name]:>3} -> {after[name]:>3}  {verdict}")
    related_10, related_100 = queries(client, with_10.url), queries(client, with_100.url)
    verdict = "constant" if related_10 == related_100 else "GROWS"
    say(f"  article, 10 vs 100 related experts: {related_10} -> {related_100}  {verdict}")

    say("")
    say(f"Serving with gunicorn ({WORKERS} workers) ...")
    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "portal.wsgi",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--no-control-socket",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ},
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urlopen(f"{base}/healthz", timeout=1)  # noqa: S310 - our own local server
                break
            except OSError:
                time.sleep(0.2)
        targets = {
            "static file": "/static/css/portal.css",
            "home page": "/",
            "article": with_10.url,
            "search": "/search/?q=%E4%B8%93%E5%AE%B6",  # 专家
        }
        for path in targets.values():
            urlopen(base + path, timeout=10).read()  # noqa: S310 - warm the page cache
        rates = {name: requests_per_second(base + path) for name, path in targets.items()}
    finally:
        server.terminate()
        server.wait(timeout=30)
    static = rates["static file"]
    say(f"Throughput, wrk -c{CONNECTIONS} -d{DURATION}, same run (target: home and article >= 0.8x, search >= 0.2x)")
    for name, rate in rates.items():
        say(f"  {name:<12} {rate:>8.0f} req/s   {rate / static:.2f}x the static file")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORKDIR, ignore_errors=True)
