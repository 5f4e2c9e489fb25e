"""The admin home (工作台) at 10,000 experts, 500 leaders and 100,000 contact records: its queries with a
tenth of the data and with all of it, and its median time, for the city office and a county's office.

Run from the project root:  .venv/bin/python bench/dashboard.py
The throwaway SQLite database (with the database cache) is bench_liaison.py's, set up on import; the
rows are liaison_data.py's `build`, which bench_liaison.py and growth.py use too. Prints, per user, the SQL queries of
/admin/ at 1x and 10x (must be equal) and the median of 30 requests at 10x (target < 300 ms).
"""

import random
import shutil
import time

import bench_liaison as data  # first: sets up Django on a throwaway SQLite database
from django.utils import timezone
from liaison_data import data_changed
from timing import TIMED_REQUESTS, median_ms, signed_in

from base.wagtail_hooks import refresh_sqlite_statistics
from experts.models import Expert
from liaison.models import ContactRecord
from staff.levels import Level
from tests.experts_builders import make_staff

URL = "/admin/"


def main():
    data.call_command("migrate", verbosity=0)
    rng = random.Random(20261130)
    units = data.make_units(rng)
    users = {
        "city office": signed_in(make_staff("bench-city", Level.CITY)),
        "county office (兴宾区)": signed_in(make_staff("bench-xingbin", Level.XINGBIN)),
    }
    data.build(data.EXPERTS // data.SMALL, data.LEADERS // data.SMALL, data.CONTACTS // data.SMALL, units, rng, 0)
    # The queries of a dashboard whose figures are counted again (as after any change), not kept ones.
    small = {label: data.count_queries(client, URL, before=data_changed) for label, client in users.items()}

    started = time.perf_counter()
    grow = data.SMALL - 1
    data.build(
        data.EXPERTS // data.SMALL * grow,
        data.LEADERS // data.SMALL * grow,
        data.CONTACTS // data.SMALL * grow,
        units,
        rng,
        1,
    )
    print(
        f"built {Expert.objects.count():,} experts and {ContactRecord.objects.count():,} contact records "
        f"in {time.perf_counter() - started:.0f} s"
    )
    # bulk_create sends no signals: start what saving a record in the admin starts (cached figures
    # read again), and let SQLite gather the statistics its scheduled job gathers.
    data_changed()
    refresh_sqlite_statistics()
    for label, client in users.items():
        started = time.perf_counter()
        client.get(URL)
        cold = (time.perf_counter() - started) * 1000
        large = data.count_queries(client, URL, before=data_changed)
        equal = "equal" if large == small[label] else "NOT EQUAL"
        print(
            f"/admin/ as the {label}: {small[label]} queries at 1x, {large} at 10x ({equal}); "
            f"first request after the data changed {cold:.0f} ms; "
            f"median of {TIMED_REQUESTS} requests {median_ms(client, URL):.0f} ms"
        )
    print(f"(today is {timezone.localdate():%Y-%m-%d})")
    shutil.rmtree(data.WORKDIR)


if __name__ == "__main__":
    main()
