"""The experts, leaders and contact records the liaison benches build, on whatever database Django
is set up with (bench_liaison.py, dashboard.py and yearly.py on SQLite, growth.py on PostgreSQL).

Import it after django.setup(). The rows are made with bulk_create in batches, the contact records
a chunk at a time so that a million of them never sit in memory at once.
"""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from experts.models import Expert, ExpertStatusChange, StatusChangeKind, TalentTeam, TitleLevel, Unit, UnitType
from liaison.models import (
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
from staff.levels import Level

EXPERTS, LEADERS, CONTACTS = 10_000, 500, 100_000
SMALL = 10  # the first build is a tenth of the data
YEAR = 2026
BATCH = 5000
CHUNK = 50_000  # contact records made (and held in memory) at a time
GROUP_SHARE = 0.05  # contacts that are group activities, with 10 to 30 experts each


def day_in(year, rng):
    return datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))


def make_units(rng):
    """Twelve units at each level."""
    return [
        Unit.objects.create(name=f"{level.label}单位{number}", level=level, unit_type=rng.choice(UnitType.values))
        for level in Level
        for number in range(12)
    ]


def build_experts(count, units, rng):
    """`count` experts in `units`, each with the status change of their joining (the programme bench's too)."""
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
            for index in range(count)
        ],
        batch_size=BATCH,
    )
    if not new_experts[0].pk:  # SQLite before 3.35 returns no keys
        new_experts = list(Expert.objects.order_by("pk")[start:])
    ExpertStatusChange.objects.bulk_create(
        [ExpertStatusChange(expert=e, kind=StatusChangeKind.JOINED, date=e.joined_on) for e in new_experts],
        batch_size=BATCH,
    )
    return new_experts


def build(experts, leaders, contacts, units, rng, number):
    """Adds `experts` experts, `leaders` leaders with 3 pairings each, `contacts` contact records
    (mostly a leader with one of their experts, some group activities), follow-ups and must-visits."""
    new_experts = build_experts(experts, units, rng)
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
    for chunk_start in range(0, contacts, CHUNK):
        add_contacts(
            range(chunk_start, min(contacts, chunk_start + CHUNK)), contacts // 50, pairs, new_experts, rng, number
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


def add_contacts(indexes, follow_ups, pairs, experts, rng, number):
    """The contact records numbered `indexes`, their links, and a follow-up for those numbered
    below `follow_ups`."""
    records, leader_links, expert_links = [], [], []
    for index in indexes:
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
        expert_links.append(rng.sample(experts, rng.randint(10, 30)) if group else [expert])
    records = ContactRecord.objects.bulk_create(records, batch_size=BATCH)
    if not records[0].pk:
        made = ContactRecord.objects.filter(summary__startswith=f"联系记录{number}-").order_by("pk")
        records = list(made[indexes.start : indexes.stop])
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
                expert=links[0],
                problem="反映的问题",
                owner="市直部门",
                due_on=record.date + datetime.timedelta(days=30),
            )
            for index, record, links in zip(indexes, records, expert_links, strict=True)
            if index < follow_ups
        ],
        batch_size=BATCH,
    )


def data_changed():
    """What saving records in the admin starts, for data written in bulk (bulk_create sends no
    signals): every cached reading of the data the dashboard uses is worked out again."""
    from base import generations
    from workbench.figures import GENERATIONS

    for key in GENERATIONS:
        generations.renew(key)


def count_queries(client, url, before=None):
    """The SQL queries of `url` after one request to warm the caches (and `before()`, if given)."""
    client.get(url)
    if before:
        before()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return len(queries)
