"""The city's yearly report workbook (年度工作报告) at 10,000 experts, 500 leaders and 100,000 contact
records: the seconds to build it and its SQL queries, as the background worker builds it.

Run from the project root:  .venv/bin/python bench/yearly.py
The throwaway SQLite database (with the database cache) is bench_liaison.py's, and the rows
liaison_data.py's `build`, as bench/dashboard.py builds them. Prints the workbook's build time (target < 10 s), its queries and
its size, with the year's activities and served experts not yet cached (the first build after a
change) and cached.
"""

import random
import shutil
import tempfile
import time

import bench_liaison as data  # first: sets up Django on a throwaway SQLite database
from django.db import connection
from django.test.utils import CaptureQueriesContext

from base.wagtail_hooks import refresh_sqlite_statistics
from experts.models import Expert
from liaison.coverage import contacts_changed
from liaison.models import ContactRecord
from programme.kinds import records_changed
from staff.exports import write_xlsx
from staff.levels import Level
from tests.experts_builders import make_staff
from workbench.yearly import YearlyReport, workbook_sheets


def build_workbook(user):
    report = YearlyReport(user, data.YEAR)
    with tempfile.TemporaryFile() as output, CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        write_xlsx(workbook_sheets(report), output)
        seconds = time.perf_counter() - started
        size = output.tell()
    return seconds, len(queries), size


def main():
    data.call_command("migrate", verbosity=0)
    rng = random.Random(20261130)
    units = data.make_units(rng)
    user = make_staff("bench-city", Level.CITY)
    started = time.perf_counter()
    data.build(data.EXPERTS, data.LEADERS, data.CONTACTS, units, rng, 0)
    print(
        f"built {Expert.objects.count():,} experts and {ContactRecord.objects.count():,} contact records "
        f"in {time.perf_counter() - started:.0f} s"
    )
    contacts_changed()
    records_changed()
    refresh_sqlite_statistics()
    for label in ("first build after the data changed", "second build (the year's activities cached)"):
        seconds, queries, size = build_workbook(user)
        print(f"the city's {data.YEAR} workbook, {label}: {seconds:.1f} s, {queries} queries, {size / 1024:.0f} KiB")
    shutil.rmtree(data.WORKDIR)


if __name__ == "__main__":
    main()
