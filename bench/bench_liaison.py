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
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from timing import TIMED_REQUESTS, median_ms, signed_in  # noqa: E402

from base.wagtail_hooks import refresh_sqlite_statistics  # noqa: E402
from experts.models import Expert, ExpertStatusChange, StatusChangeKind, TalentTeam, TitleLevel, Unit, UnitType  # noqa: E402
from liaison.coverage import contacts_changed  # noqa: E402
from liaison.models import (  # noqa: E402
    Body,
    ContactKind,
    ContactMethod,
    ContactRecord,
    EventKind,
    EventReport,
    FollowUp,
    Leader,
    MustVisit,
    Pairing,
    ReportStage,
    VisitReason,
)
from staff.levels import Level  # noqa: E402
from tests.experts_builders import make_staff  # noqa: E402
from tests.liaison_builders import make_leader_user  # noqa: E402

EXPERTS, LEADERS, CONTACTS = 10_000, 500, 100_000
SMALL = 10  # the first build is a tenth of the data
YEAR = 2026
BATCH = 5000
GROUP_SHARE = 0.05  # contacts that are group activities, with 10 to 30 experts each


def day_in(year, rng):
    return datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))


def build(experts, leaders, contacts, units, rng, number):
    """Adds `experts` experts, `leaders` leaders with 3 pairings each, `contacts` contact records
    (mostly a leader with one of their experts, some group activities), follow-ups and must-visits."""
    start = Expert.objects.count()
    new_experts = Expert.objects.bulk_create(
        [
            Expert(
                name=f"{rng.choice('韦覃蓝黄莫潘陆梁廖蒙')}某{start + index}",
                gender=rng.choice(["male", "female"]),
                political_status="cpc",
                title_level=rng.choice(TitleLevel.values),
                unit=(unit := rng.choice(units)),
                level=unit.level,
                mobile=f"13{start + index:09d}",
                talent_team=rng.choice(TalentTeam.values),
                joined_on=datetime.date(rng.randint(2015, 2024), 3, 1),
            )
            for index in range(experts)
        ],
        batch_size=BATCH,
    )
    if not new_experts[0].pk:  # SQLite before 3.35 returns no keys
        new_experts = list(Expert.objects.order_by("pk")[start:])
    ExpertStatusChange.objects.bulk_create(
        [ExpertStatusChange(expert=e, kind=StatusChangeKind.JOINED, date=e.joined_on) for e in new_experts],
        batch_size=BATCH,
    )
    first_leader = Leader.objects.count()
    new_leaders = Leader.objects.bulk_create(
        [
            Leader(
                name=f"领导{first_leader + index}",
                post="副职",
                body=rng.choice(Body.values),
                level=rng.choice(Level.values),
            )
            for index in range(leaders)
        ]
    )
    pairings = [
        Pairing(leader=leader, expert=rng.choice(new_experts), started_on=datetime.date(2025, 1, 1))
        for leader in new_leaders
        for _ in range(3)
    ]
    Pairing.objects.bulk_create({(p.leader_id, p.expert_id): p for p in pairings}.values(), batch_size=BATCH)
    pairs = [(p.leader, p.expert) for p in pairings]

    records, leader_links, expert_links = [], [], []
    for index in range(contacts):
        leader, expert = rng.choice(pairs)
        group = rng.random() < GROUP_SHARE
        records.append(
            ContactRecord(
                date=day_in(YEAR if rng.random() < 0.9 else YEAR - 1, rng),
                kind=ContactKind.SYMPOSIUM if group else rng.choice(ContactKind.values),
                method=ContactMethod.IN_PERSON,
                summary=f"联系记录{number}-{index}",
                level=leader.level,
            )
        )
        leader_links.append([leader])
        expert_links.append(rng.sample(new_experts, rng.randint(10, 30)) if group else [expert])
    records = ContactRecord.objects.bulk_create(records, batch_size=BATCH)
    if not records[0].pk:
        records = list(ContactRecord.objects.filter(summary__startswith=f"联系记录{number}-").order_by("pk"))
    LeaderLink, ExpertLink = ContactRecord.leaders.through, ContactRecord.experts.through
    LeaderLink.objects.bulk_create(
        [LeaderLink(contactrecord=r, leader=lead) for r, ls in zip(records, leader_links, strict=True) for lead in ls],
        batch_size=BATCH,
    )
    ExpertLink.objects.bulk_create(
        [ExpertLink(contactrecord=r, expert=e) for r, es in zip(records, expert_links, strict=True) for e in es],
        batch_size=BATCH,
    )
    FollowUp.objects.bulk_create(
        [
            FollowUp(
                record=record,
                expert=expert_links[index][0],
                problem="反映的问题",
                owner="市直部门",
                due_on=record.date + datetime.timedelta(days=30),
            )
            for index, record in enumerate(records[: contacts // 50])
        ],
        batch_size=BATCH,
    )
    reports = EventReport.objects.bulk_create(
        [
            EventReport(
                expert=expert,
                kind=EventKind.ACHIEVEMENT,
                event_date=day_in(YEAR, rng),
                details="获奖",
                unit_id=expert.unit_id,
                level=expert.level,
                stage=ReportStage.ACCEPTED,
            )
            for _, expert in pairs[: leaders // 2]
        ]
    )
    if not reports[0].pk:
        reports = list(EventReport.objects.order_by("-pk")[: len(reports)])[::-1]
    MustVisit.objects.bulk_create(
        [
            MustVisit(
                leader=leader, expert=expert, report=report, reason=VisitReason.ACHIEVEMENT, due_on=day_in(YEAR, rng)
            )
            for (leader, expert), report in zip(pairs[: leaders // 2], reports, strict=True)
        ]
    )
    return new_leaders


def count_queries(client, url):
    client.get(url)  # warm caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return len(queries)


def main():
    call_command("migrate", verbosity=0)
    rng = random.Random(20261129)
    units = [
        Unit.objects.create(name=f"{level.label}单位{number}", level=level, unit_type=rng.choice(UnitType.values))
        for level in Level
        for number in range(12)
    ]
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
