"""The programme's service records at 10,000 experts and 100,000 records spread over every registered
kind (programme.kinds.KINDS): queries and speed of each kind's list (plain and by year), each
chapter's yearly coverage, and the detail view of one expert with a 500-entry timeline.

Run from the project root:  .venv/bin/python bench/programme.py
It builds a throwaway SQLite database in a temporary folder (nothing else is touched), with the
database cache as production has it without Redis. Activities get 3 to 8 experts each, of the
recording county (any level's for the city); every model's required fields are filled by type, as
the tests' sample records are (tests/programme_builders.sample_values). It prints, for the city
office and a county office, each route's SQL queries with a tenth of the data and with all of it
(must be equal) and its median response time over 15 requests with all of it (target < 300 ms);
and each coverage's time right after a record changed (the year's served experts read again).
"""

import datetime
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = tempfile.mkdtemp(prefix="bench-programme-")
os.environ["PORTAL_VAR_DIR"] = WORKDIR
os.environ.pop("DATABASE_URL", None)
(Path(WORKDIR) / "bench_programme_settings.py").write_text(
    "from portal.settings.test import *  # noqa: F403\n"
    "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.db.DatabaseCache', 'LOCATION': 'portal_cache'}}\n"
)
sys.path.insert(0, WORKDIR)
os.environ["DJANGO_SETTINGS_MODULE"] = "bench_programme_settings"

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import UniqueConstraint  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from liaison_data import build_experts  # noqa: E402
from timing import median_ms, signed_in  # noqa: E402

from base.wagtail_hooks import refresh_sqlite_statistics  # noqa: E402
from experts.models import Expert, Unit, UnitType  # noqa: E402
from programme.kinds import KINDS, records_changed  # noqa: E402
from programme.models import AttendanceStatus  # noqa: E402
from programme.timeline import Timeline  # noqa: E402
from staff.levels import Level  # noqa: E402
from tests.experts_builders import make_staff  # noqa: E402
from tests.programme_builders import sample_values  # noqa: E402

EXPERTS, RECORDS, TIMELINE = 10_000, 100_000, 500
SMALL = 10  # the first build is a tenth of the data
YEAR = timezone.localdate().year
BATCH = 5000
COUNTY = Level.XINGBIN  # the county office's, and the timeline's expert's
TIMED_REQUESTS = 15  # per route and user, so that the run takes a few minutes


def day_in(rng):
    return datetime.date(YEAR - rng.randint(0, 1), 1, 1) + datetime.timedelta(days=rng.randrange(365))


def one_per_expert(model):
    """Whether `model` holds at most one row per expert (a party development file)."""
    return any(
        isinstance(constraint, UniqueConstraint) and tuple(constraint.fields) == ("expert",)
        for constraint in model._meta.constraints
    )


def build_records(kind, count, target_count, pools, target, rng):
    """`count` rows of `kind`, `target_count` of them naming `target`: an activity recorded by a
    level with 3 to 8 of its experts (the city's: any), a record by the expert's own level; of a
    kind with one row per expert, a row for each of as many experts, the target's among them."""
    if one_per_expert(kind.model):
        taken = set(kind.model.objects.values_list("expert_id", flat=True))
        free = [e for e in pools[None] if e.pk not in taken]
        rng.shuffle(free)
        experts = ([target] if target_count and target.pk not in taken else []) + free
        rows = []
        for expert in experts[:count]:
            day = day_in(rng)
            values = sample_values(kind, mark="测", day=day)
            rows.append(kind.model(level=expert.level, date=day, expert=expert, **values))
        kind.model.objects.bulk_create(rows, batch_size=BATCH)
        return
    for first in range(0, count, BATCH):
        levels, experts = [], []
        for index in range(first, min(first + BATCH, count)):
            ours = index < target_count
            level = COUNTY if ours else rng.choice(Level.values)
            if kind.is_activity:
                pool = pools[None] if level == Level.CITY else pools[level]
                chosen = rng.sample(pool, rng.randint(3, 8))
                experts.append([target, *(e for e in chosen if e != target)] if ours else chosen)
            else:
                expert = target if ours else rng.choice(pools[level])
                experts.append(expert)
            levels.append(level)
        rows = []
        for level in levels:
            day = day_in(rng)
            rows.append(kind.model(level=level, date=day, **sample_values(kind, mark="测", day=day)))
        if not kind.is_activity:
            for row, expert in zip(rows, experts, strict=True):
                row.expert = expert
            kind.model.objects.bulk_create(rows)
            continue
        rows = kind.model.objects.bulk_create(rows)
        attendance = kind.attendance_model
        statuses = [AttendanceStatus.ATTENDED] * 4 + [AttendanceStatus.INVITED, AttendanceStatus.DECLINED]
        kind.attendance_model.objects.bulk_create(
            [
                attendance(activity=row, expert=expert, status=rng.choice(statuses))
                for row, names in zip(rows, experts, strict=True)
                for expert in names
            ],
            batch_size=BATCH,
        )


def build(scale, units, rng, target=None):
    """A `scale` share (1/SMALL, then the rest) of the experts and records; `target`'s timeline
    grows by the same share of TIMELINE entries."""
    experts = build_experts(int(EXPERTS * scale), units, rng)
    target = target or next(e for e in experts if e.level == COUNTY)
    everyone = list(Expert.objects.exclude(pk=target.pk).only("pk", "level"))  # only its share names it
    pools = {None: everyone}
    for expert in everyone:
        pools.setdefault(expert.level, []).append(expert)
    kinds = list(KINDS.values())
    # The timeline's entries go to the kinds that may name the target many times; a kind with one
    # row per expert names it once, besides.
    many = [kind for kind in kinds if not one_per_expert(kind.model)]
    entries = int(TIMELINE * scale)
    for kind in kinds:
        if kind in many:
            number = many.index(kind)
            share = entries // len(many) + (number < entries % len(many))
        else:
            share = 1
        build_records(kind, int(RECORDS * scale) // len(kinds), share, pools, target, rng)
    return target


def count_queries(client, url):
    client.get(url)  # warm caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return len(queries)


def routes(expert):
    for kind in KINDS.values():
        index = reverse(f"{kind.key}:index")
        yield index
        yield f"{index}?year={YEAR}"
    for chapter in dict.fromkeys(kind.chapter for kind in KINDS.values()):
        yield f"{reverse(f'{chapter}:coverage')}?year={YEAR}"
    yield f"{reverse('experts:inspect', args=[expert.pk])}#timeline"


def main():
    call_command("migrate", verbosity=0)
    rng = random.Random(20261130)
    units = [
        Unit.objects.create(name=f"{level.label}单位{number}", level=level, unit_type=rng.choice(UnitType.values))
        for level in Level
        for number in range(12)
    ]
    users = {
        "city office": signed_in(make_staff("bench-city", Level.CITY)),
        "county office": signed_in(make_staff("bench-county", COUNTY)),
    }

    started = time.perf_counter()
    target = build(1 / SMALL, units, rng)
    refresh_sqlite_statistics()
    small = {(who, url): count_queries(client, url) for who, client in users.items() for url in routes(target)}
    build(1 - 1 / SMALL, units, rng, target)
    # Rows made by bulk_create send no signals: start what saving a record through the admin starts
    # (the served experts read again), and let SQLite gather the statistics the scheduled job does.
    records_changed()
    refresh_sqlite_statistics()
    records = sum(kind.model.objects.count() for kind in KINDS.values())
    attendances = sum(kind.attendance_model.objects.count() for kind in KINDS.values() if kind.is_activity)
    print(
        f"built {Expert.objects.count():,} experts, {records:,} records of {len(KINDS)} kinds "
        f"({attendances:,} attendances) in {time.perf_counter() - started:.0f} s; "
        f"the expert {target.pk}'s timeline holds {len(timeline_of(target))} programme entries"
    )
    for url in [url for url in routes(target) if "/coverage/" in url]:
        started = time.perf_counter()
        users["city office"].get(url)
        print(
            f"{url} right after a record changed (as the city office): {(time.perf_counter() - started) * 1000:.0f} ms"
        )
    print(f"| route | signed in as | queries at 1/{SMALL} | queries at all | median of {TIMED_REQUESTS} (ms) |")
    print("| --- | --- | --- | --- | --- |")
    for who, client in users.items():
        for url in routes(target):
            large = count_queries(client, url)
            mark = "" if large == small[who, url] else " NOT EQUAL"
            print(
                f"| {url} | {who} | {small[who, url]} | {large}{mark} | {median_ms(client, url, TIMED_REQUESTS):.0f} |"
            )
    shutil.rmtree(WORKDIR)


def timeline_of(expert):
    request = RequestFactory().get("/")
    request.user = User.objects.get(username="bench-city")
    return Timeline(request, expert).entries


if __name__ == "__main__":
    main()
