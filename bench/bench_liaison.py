"""The liaison work at 10,000 experts, 500 leaders and 100,000 contact records: queries and speed
of the six-activity coverage, a leader's page, the must-visit calendar and the quota screen; time
of the coverage XLSX of all 10,000 experts.

Run from the project root:  .venv/bin/python bench/bench_liaison.py
It builds a throwaway SQLite database in a temporary folder (nothing else is touched), with the
database cache as production has it without Redis, and prints:
- SQL queries of each page with a tenth of the data and with all of it (must be equal),
- the coverage page's time right after a contact record changed (the year's activities read again),
- each page's median response time over 30 requests with all of it (target < 300 ms),
- the time to export the coverage of all 10,000 experts to XLSX (target < 5 s).
"""

import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = tempfile.mkdtemp(prefix="bench-liaison-")
os.environ["PORTAL_VAR_DIR"] = WORKDIR
os.environ.pop("DATABASE_URL", None)
# The test settings with the cache production has without Redis: the database's.
(Path(WORKDIR) / "bench_liaison_settings.py").write_text(
    "from portal.settings.test import *  # noqa: F403\n"
    "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.db.DatabaseCache', 'LOCATION': 'portal_cache'}}\n"
)
sys.path.insert(0, WORKDIR)
os.environ["DJANGO_SETTINGS_MODULE"] = "bench_liaison_settings"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from liaison_data import CONTACTS, EXPERTS, LEADERS, SMALL, YEAR, build, count_queries, make_units  # noqa: E402
from timing import TIMED_REQUESTS, median_ms, signed_in  # noqa: E402

from base.wagtail_hooks import refresh_sqlite_statistics  # noqa: E402
from experts.models import Expert  # noqa: E402
from liaison.coverage import contacts_changed  # noqa: E402
from liaison.models import ContactRecord, Leader, Pairing  # noqa: E402
from staff.levels import Level  # noqa: E402
from tests.experts_builders import make_staff  # noqa: E402
from tests.liaison_builders import make_leader_user  # noqa: E402


def main():
    call_command("migrate", verbosity=0)
    rng = random.Random(20261129)
    units = make_units(rng)
    office = signed_in(make_staff("bench", Level.CITY))
    leaders = build(EXPERTS // SMALL, LEADERS // SMALL, CONTACTS // SMALL, units, rng, 0)
    leader = Client()
    leader.force_login(make_leader_user("bench-leader", leaders[0]))

    pages = [
        ("six-activity coverage, page 1", office, f"/admin/liaison/coverage/?year={YEAR}"),
        (
            "six-activity coverage, filtered",
            office,
            f"/admin/liaison/coverage/?year={YEAR}&level=city&talent_team=professional_technical",
        ),
        ("a leader's page (as the leader)", leader, "/admin/liaison/mine/"),
        ("a leader's page (city office, leader chosen)", office, f"/admin/liaison/mine/?leader={leaders[0].pk}"),
        ("must-visit calendar, all leaders", office, f"/admin/liaison/calendar/?year={YEAR}"),
        ("quota screen", office, "/admin/liaison/quota/"),
    ]
    small = {label: count_queries(client, url) for label, client, url in pages}

    started = time.perf_counter()
    grow = SMALL - 1
    build(EXPERTS // SMALL * grow, LEADERS // SMALL * grow, CONTACTS // SMALL * grow, units, rng, 1)
    print(
        f"built {Expert.objects.count():,} experts, {Leader.objects.count():,} leaders, "
        f"{Pairing.objects.count():,} pairings, {ContactRecord.objects.count():,} contact records "
        f"({ContactRecord.experts.through.objects.count():,} expert links) in {time.perf_counter() - started:.0f} s"
    )
    # Rows made by bulk_create send no signals: start what saving a record through the admin starts
    # (the year's activities read again), and let SQLite gather the statistics the scheduled job does.
    contacts_changed()
    refresh_sqlite_statistics()
    started = time.perf_counter()
    office.get(pages[0][2])
    print(
        f"six-activity coverage, page 1, right after a contact record changed: {(time.perf_counter() - started) * 1000:.0f} ms"
    )
    for label, client, url in pages:
        large = count_queries(client, url)
        equal = "equal" if large == small[label] else "NOT EQUAL"
        print(f"{label}: {small[label]} queries with a tenth of the data, {large} with all of it ({equal}); ", end="")
        print(f"median of {TIMED_REQUESTS} requests {median_ms(client, url):.0f} ms")

    started = time.perf_counter()
    response = office.get(f"/admin/liaison/coverage/?year={YEAR}&export=xlsx")
    size = sum(len(chunk) for chunk in response.streaming_content)
    print(
        f"coverage XLSX of all {Expert.objects.count():,} experts ({YEAR}): {time.perf_counter() - started:.2f} s, "
        f"{size / 1024 / 1024:.1f} MB"
    )
    print(f"(today is {timezone.localdate():%Y-%m-%d})")
    shutil.rmtree(WORKDIR)


if __name__ == "__main__":
    main()
