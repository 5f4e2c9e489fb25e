"""Expert database at 10,000 records: admin list queries and speed, XLSX export time and memory.

Run from the project root:  .venv/bin/python bench/bench_experts.py
It builds a throwaway SQLite database in a temporary folder (nothing else is touched) and prints:
- SQL queries for page 1 of the admin expert list with 10 and with 10,000 experts (must be equal),
- the list page's median response time with 10,000 experts (plain, searched, filtered),
- time and peak memory to export all 10,000 to XLSX (Python heap by tracemalloc, and the
  growth of the process's peak RSS while exporting).
Targets: list under 150 ms median on SQLite, export under 5 s and under 150 MB peak.
"""

import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# `--export DIR` re-runs this script on an existing database, in a fresh process, to measure the export alone.
EXPORT_ONLY = len(sys.argv) == 3 and sys.argv[1] == "--export"
WORKDIR = sys.argv[2] if EXPORT_ONLY else tempfile.mkdtemp(prefix="bench-experts-")
os.environ["PORTAL_VAR_DIR"] = WORKDIR
os.environ.pop("DATABASE_URL", None)
os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from timing import TIMED_REQUESTS, median_ms, signed_in  # noqa: E402

from experts.models import (  # noqa: E402
    Expert,
    ExpertStatusChange,
    StatusChangeKind,
    TalentCategory,
    TalentTeam,
    TitleLevel,
    Unit,
    UnitType,
)
from staff.levels import Level  # noqa: E402
from tests.experts_builders import make_staff  # noqa: E402

TOTAL = 10_000
LIST_URL = "/admin/experts/"


def build_experts(count, start, units, categories, rng):
    experts = [
        Expert(
            name=f"{rng.choice('韦覃蓝黄莫潘陆梁廖蒙')}某{index}",
            gender=rng.choice(["male", "female"]),
            political_status="cpc",
            title_level=rng.choice(TitleLevel.values),
            specialty=rng.choice(["心血管内科", "甘蔗育种", "制糖工艺", "高中数学", "社区治理"]),
            unit=(unit := rng.choice(units)),
            level=unit.level,
            mobile=f"13{index:09d}",
            email=f"expert{index}@example.invalid",
            talent_team=rng.choice(TalentTeam.values),
            joined_on=f"{rng.randint(2015, 2025)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
        )
        for index in range(start, start + count)
    ]
    Expert.objects.bulk_create(experts, batch_size=1000)
    experts = list(Expert.objects.filter(mobile__in=[expert.mobile for expert in experts]))
    ExpertStatusChange.objects.bulk_create(
        [ExpertStatusChange(expert=e, kind=StatusChangeKind.JOINED, date=e.joined_on) for e in experts],
        batch_size=1000,
    )
    through = Expert.categories.through
    through.objects.bulk_create(
        [through(expert=e, talentcategory=rng.choice(categories)) for e in experts], batch_size=1000
    )


def count_list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL)
    if response.status_code != 200:
        raise RuntimeError(f"{LIST_URL} answered {response.status_code}")
    return len(queries)


def export_xlsx(client):
    response = client.get(f"{LIST_URL}?export=xlsx")
    return sum(len(chunk) for chunk in response.streaming_content)


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_export():
    """In a fresh process: time and peak RSS of one export, then the Python heap peak of a traced one."""
    client = signed_in(User.objects.get(username="bench"))
    client.get(LIST_URL)  # load the admin once, so that the RSS before the export includes it
    rss_before = peak_rss_mb()
    started = time.perf_counter()
    size = export_xlsx(client)
    seconds = time.perf_counter() - started
    rss_after = peak_rss_mb()
    tracemalloc.start()
    export_xlsx(client)
    _, heap_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"XLSX export of {Expert.objects.count():,} experts: {seconds:.2f} s, {size / 1024 / 1024:.1f} MB file; "
        f"process peak RSS {rss_after:.0f} MB ({rss_before:.0f} MB before the export, "
        f"+{rss_after - rss_before:.0f} MB); Python heap peak during export {heap_peak / 1024 / 1024:.1f} MB"
    )


def main():
    call_command("migrate", verbosity=0)
    rng = random.Random(20260101)
    units = [
        Unit.objects.create(name=f"{level.label}单位{number}", level=level, unit_type=rng.choice(UnitType.values))
        for level in Level
        for number in range(12)
    ]
    units.append(Unit.objects.create(name="来宾市人民医院", level=Level.CITY, unit_type=UnitType.HOSPITAL))
    categories = list(TalentCategory.objects.all())
    client = signed_in(make_staff("bench", Level.CITY))

    build_experts(10, 0, units, categories, rng)
    client.get(LIST_URL)  # warm up caches
    queries_small = count_list_queries(client)

    started = time.perf_counter()
    build_experts(TOTAL - 10, 10, units, categories, rng)
    print(f"built {Expert.objects.count():,} experts in {time.perf_counter() - started:.1f} s")
    queries_large = count_list_queries(client)

    print(f"list page 1 SQL queries: {queries_small} with 10 experts, {queries_large} with {TOTAL:,} experts", end="")
    print(" (equal)" if queries_small == queries_large else " (NOT EQUAL)")
    for label, query in [
        ("plain", ""),
        ("search 人民医院", "?q=人民医院"),
        ("filtered", "?level=city&title_level=senior"),
    ]:
        print(f"list page median over {TIMED_REQUESTS} requests, {label}: {median_ms(client, LIST_URL + query):.0f} ms")

    subprocess.run([sys.executable, __file__, "--export", WORKDIR], check=True)
    shutil.rmtree(WORKDIR)


if __name__ == "__main__":
    if EXPORT_ONLY:
        measure_export()
    else:
        main()
