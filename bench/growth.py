"""Data growth on PostgreSQL: the admin lists, the dashboard and the public pages with a tenth of the
data and with all of it (100,000 experts, 1,000,000 contact records, 10,000 public pages added to the
demo site): SQL queries (must be equal) and median time (target < 300 ms).

Run from the project root, with a PostgreSQL database it may drop and rebuild:
    DATABASE_URL=postgres://postgres@127.0.0.1:55433/portal_d .venv/bin/python bench/growth.py
The full data goes in DATABASE_URL's database and the tenth in a sibling named `<name>_tenth`. Each
holds a marker table naming what was built: a later run reuses a database whose marker matches and
drops and rebuilds any other (an interrupted build included). Each size is measured in its own
process (`--size`), in-process with Django's test Client as the other admin benches do (no HTTP
server, no network), with the test settings and the database cache production has without Redis.
Public pages are measured rendered, with the public page cache left out (every request renders);
search with the PostgreSQL full-text backend. Prints the machine's load (uptime) with the table.
"""

import datetime
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"tenth": 10, "full": 1}  # divisor of the full figures
EXPERTS, LEADERS, CONTACTS = 100_000, 5_000, 1_000_000
NEWS, PROFILES = 5_000, 5_000  # the public pages added to the demo site's
INTAKE_ITEMS = 100_000
SEED = 20261130
REQUESTS = 15  # timed per page, after one to warm up: the full dashboard takes seconds each
MARKER = "bench_growth_marker"


def say(message):
    print(message, file=sys.stderr, flush=True)


def database_url(size):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database this bench may drop and rebuild.")
    if size == "full":
        return url
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"{parts.path}_{size}"))


def marker_text(size):
    divisor = SIZES[size]
    figures = (EXPERTS, LEADERS, CONTACTS, NEWS, PROFILES, INTAKE_ITEMS)
    return "growth v1: " + ", ".join(str(figure // divisor) for figure in figures)


def built(url, size):
    """True when the database exists and its marker names this size's data."""
    import psycopg

    try:
        with psycopg.connect(url) as connection:
            row = connection.execute(f"SELECT to_regclass('{MARKER}') IS NOT NULL").fetchone()
            if not row[0]:
                return False
            return connection.execute(f"SELECT built FROM {MARKER}").fetchone() == (marker_text(size),)  # noqa: S608
    except psycopg.OperationalError:
        return False


def recreate_database(url):
    import psycopg
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    server = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_django():
    """The test settings with the cache production has without Redis: the database's."""
    workdir = tempfile.mkdtemp(prefix="bench-growth-")
    (Path(workdir) / "bench_growth_settings.py").write_text(
        "from portal.settings.test import *  # noqa: F403\n"
        "CACHES['default'] = {'BACKEND': 'django.core.cache.backends.db.DatabaseCache', 'LOCATION': 'portal_cache'}\n"
    )
    sys.path[:0] = [workdir, str(ROOT)]
    os.environ["PORTAL_VAR_DIR"] = workdir
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_growth_settings"
    import django

    django.setup()


def add_pages(parent, model, rows):
    """Publishes `rows` (title, slug and the model's own fields) as live children of `parent`, in
    bulk: treebeard's paths computed as add_child computes them, the page rows and then the
    model's own rows inserted in batches, and the pages added to the search index."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import F
    from django.utils import timezone
    from liaison_data import BATCH
    from wagtail.models import Page
    from wagtail.search.backends import get_search_backend

    last = parent.get_last_child()
    first_step = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1
    depth, now = parent.depth + 1, timezone.now()
    content_type = ContentType.objects.get_for_model(model)
    pages = Page.objects.bulk_create(
        [
            Page(
                title=row["title"],
                draft_title=row["title"],
                slug=row["slug"],
                path=Page._get_path(parent.path, depth, first_step + number),
                depth=depth,
                numchild=0,
                url_path=f"{parent.url_path}{row['slug']}/",
                live=True,
                first_published_at=now,
                last_published_at=now,
                content_type=content_type,
                locale_id=parent.locale_id,
                translation_key=uuid.uuid4(),
            )
            for number, row in enumerate(rows)
        ],
        batch_size=BATCH,
    )
    own = [
        model(page_ptr_id=page.pk, **{key: value for key, value in row.items() if key not in ("title", "slug")})
        for page, row in zip(pages, rows, strict=True)
    ]
    # bulk_create refuses a model with a parent table; the page rows exist, so insert the own rows alone.
    for start in range(0, len(own), BATCH):
        model._base_manager._insert(own[start : start + BATCH], fields=model._meta.local_concrete_fields)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(rows))
    made = model.objects.filter(pk__in=[page.pk for page in pages])
    for start in range(0, len(pages), BATCH):
        get_search_backend().add_bulk(model, list(made.order_by("pk")[start : start + BATCH]))


def build(size):
    import io

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from liaison_data import BATCH, build, data_changed, make_units

    from experts.demo_pages import FIELD_BY_UNIT_TYPE
    from experts.models import Expert
    from experts.models.pages import ExpertDirectoryPage, ExpertProfilePage
    from intake.models import IntakeItem
    from intake.models.records import Channel, Kind
    from news.models import NewsCategory, NewsIndexPage, NewsPage

    divisor = SIZES[size]
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("load_demo_content", stdout=io.StringIO(), allow_demo_without_debug=True)
    say(f"  demo site loaded in {time.perf_counter() - started:.0f} s")
    rng = random.Random(SEED)
    units = make_units(rng)
    build(EXPERTS // divisor, LEADERS // divisor, CONTACTS // divisor, units, rng, 0)
    say(f"  experts and contact records built at {time.perf_counter() - started:.0f} s")

    today = timezone.localdate()
    IntakeItem.objects.bulk_create(
        [
            IntakeItem(
                tracking_number=f"BENCH{number:09d}",
                query_code_hash="0" * 64,
                channel=rng.choice(Channel.values),
                kind=rng.choice(Kind.values),
                level=rng.choice(units).level,
                name=f"{rng.choice('韦覃蓝黄莫潘陆梁廖蒙')}某{number}",
                subject=f"反映的问题第{number}号",
                message="这是性能测试数据，内容为虚构。",
                acceptance_due=today,
            )
            for number in range(INTAKE_ITEMS // divisor)
        ],
        batch_size=BATCH,
    )

    news_index = NewsIndexPage.objects.get()
    add_pages(
        news_index,
        NewsPage,
        [
            {
                "title": f"来宾市人才工作动态第{number}期",
                "slug": f"growth-{number}",
                "category": rng.choice(NewsCategory.values),
                "date": today - datetime.timedelta(days=number % 2000),
                "source": "来宾市委人才办",
                "summary": "人才工作动态摘要，性能测试数据。",
                "body": [("paragraph", f"<p>第{number}期人才工作动态正文，内容为虚构。</p>")],
            }
            for number in range(NEWS // divisor)
        ],
    )
    consenting = list(Expert.objects.select_related("unit").order_by("-pk")[: PROFILES // divisor])
    Expert.objects.filter(pk__in=[expert.pk for expert in consenting]).update(public_profile_consent=True)
    add_pages(
        ExpertDirectoryPage.objects.get(),
        ExpertProfilePage,
        [
            {
                "title": expert.name,
                "slug": f"expert-{expert.pk}",
                "expert": expert,
                "field": FIELD_BY_UNIT_TYPE[expert.unit.unit_type],
                "talent_team": expert.talent_team,
                "summary": f"{expert.name}，来宾市专家人才队伍中的一员（性能测试数据）。",
            }
            for expert in consenting
        ],
    )
    say(f"  pages built at {time.perf_counter() - started:.0f} s")
    # bulk_create sends no signals: start what saving a record in the admin starts, and let
    # PostgreSQL gather the statistics autovacuum would.
    data_changed()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute(f"CREATE TABLE {MARKER} (built text)")
        cursor.execute(f"INSERT INTO {MARKER} VALUES (%s)", [marker_text(size)])  # noqa: S608 - a constant
    say(f"  built in {time.perf_counter() - started:.0f} s")


def targets():
    """(label, username or None for the public, URL, what runs before each request or None) of every
    page measured. The dashboard keeps its figures in the shared cache: it is measured so, and as the
    first request after a change to the data (every figure counted again)."""
    from liaison_data import data_changed

    from experts.models.pages import ExpertProfilePage
    from news.models import NewsPage

    article = NewsPage.objects.live().order_by("-pk").first()
    profile = ExpertProfilePage.objects.live().order_by("-pk").first()
    pages = [
        ("admin: experts list", "rcb_city", "/admin/experts/"),
        ("admin: contact records list", "rcb_city", "/admin/liaison/contacts/"),
        ("admin: intake queue", "rcb_city", "/admin/intake/items/"),
        ("admin: pairings", "rcb_city", "/admin/liaison/pairings/"),
        ("dashboard /admin/, city office", "rcb_city", "/admin/"),
        ("dashboard /admin/, county office (兴宾区)", "rcb_xingbin", "/admin/"),
        ("dashboard, city office, after a change", "rcb_city", "/admin/", data_changed),
        ("dashboard, county office, after a change", "rcb_xingbin", "/admin/", data_changed),
        ("public: home", None, "/"),
        ("public: news index, page 2", None, "/news/?page=2"),
        ("public: expert directory, page 2", None, "/experts/?page=2"),
        ("public: news article", None, article.url),
        ("public: expert profile", None, profile.url),
        ("public: search 人才", None, "/search/?q=" + quote("人才")),
    ]
    return [(label, username, url, *rest, None)[:4] for label, username, url, *rest in pages]


def measure(size):
    """{label: (queries, median ms)} of every target, and the counts of what the database holds."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import override_settings
    from liaison_data import count_queries
    from timing import median_ms, signed_in
    from wagtail.models import Page

    from experts.models import Expert
    from intake.models import IntakeItem
    from liaison.models import ContactRecord

    clients = {None: Client()}
    results = {}
    with override_settings(
        MIDDLEWARE=[name for name in settings.MIDDLEWARE if not name.endswith("PageCacheMiddleware")]
    ):
        for label, username, url, before in targets():
            if username not in clients:
                clients[username] = signed_in(get_user_model().objects.get(username=username))
            client = clients[username]
            response = client.get(url)
            if response.status_code != 200 or "X-Page-Cache" in response:
                raise SystemExit(f"{url}: {response.status_code}, page cache {response.get('X-Page-Cache')}")
            # The fewest of three: now and then a request also checks the page cache's generation
            # (base/page_cache.py, every few seconds), one query more that the data does not cause.
            queries = min(count_queries(client, url, before) for _ in range(3))
            results[label] = (queries, median_ms(client, url, REQUESTS, before))
            say(f"  {label}: {results[label][0]} queries, {results[label][1]:.0f} ms")
    counts = {
        "experts": Expert.objects.count(),
        "contact records": ContactRecord.objects.count(),
        "intake items": IntakeItem.objects.count(),
        "live pages": Page.objects.live().filter(depth__gt=1).count(),
    }
    return {"results": results, "counts": counts, "requests": REQUESTS, "load": uptime()}


def uptime():
    return subprocess.run(["uptime"], capture_output=True, text=True, check=True).stdout.strip()


def run_size(size):
    url = os.environ["DATABASE_URL"]
    reuse = built(url, size)
    if not reuse:
        say(f"{size}: building {marker_text(size)} in a new database ...")
        recreate_database(url)
    setup_django()
    if reuse:
        say(f"{size}: reusing the database built earlier ({marker_text(size)})")
        from django.core.management import call_command

        call_command("migrate", verbosity=0)  # indexes added since it was built
    else:
        build(size)
    say(f"{size}: measuring ({uptime()})")
    print(json.dumps(measure(size)))


def main():
    measured = {}
    for size in SIZES:
        output = subprocess.run(
            [sys.executable, __file__, "--size", size],
            env={**os.environ, "DATABASE_URL": database_url(size)},
            stdout=subprocess.PIPE,
            text=True,
            check=True,
        ).stdout
        measured[size] = json.loads(output.splitlines()[-1])
    tenth, full = measured["tenth"], measured["full"]
    print()
    print("Data growth on PostgreSQL, in-process (Django test Client, no HTTP server), test settings with")
    print(f"the database cache, public pages rendered (page cache left out); median of {full['requests']} requests.")
    for size, data in measured.items():
        print(f"  {size}: " + ", ".join(f"{count:,} {name}" for name, count in data["counts"].items()))
        print(f"  load while measuring the {size}: {data['load']}")
    print()
    header = f"| {'page':<42} | queries tenth / full | median ms tenth / full | under 300 ms |"
    print(header)
    print("|" + "|".join("-" * len(cell) for cell in header.split("|")[1:-1]) + "|")
    for label, (queries_full, ms_full) in full["results"].items():
        queries_tenth, ms_tenth = tenth["results"][label]
        constant = "constant" if queries_tenth == queries_full else "GROWS"
        under = "yes" if ms_full < 300 else "NO"
        print(
            f"| {label:<42} | {queries_tenth:>4} / {queries_full:<4} {constant:<8} | "
            f"{ms_tenth:>8.0f} / {ms_full:<11.0f} | {under:<12} |"
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--size"]:
        run_size(sys.argv[2])
    else:
        main()
