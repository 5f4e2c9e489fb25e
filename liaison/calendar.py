"""The must-visit calendar (重要节日必访, 《工作方案》三(一)1): the days of a year on which each leader
owes their paired experts a visit, and whether the visit was made; with the must-visits that
accepted reports created (MustVisit). Read only: what changes a must-visit is in services.py.

A few bulk queries per call, whatever the number of leaders and pairings; the rest is Python.
"""

import datetime
import functools
from collections import defaultdict
from dataclasses import dataclass

import holidays
from django.core.cache import cache
from django.db import models
from django.db.models import Q
from django.utils import timezone

from base import generations
from experts.models import UnitType

from .models import ContactKind, ContactRecord, MustVisit, Pairing

# Professional days (fixed dates) owed to the experts of one type of unit: (name, month, day, unit type).
PROFESSIONAL_DAYS = [
    ("护士节", 5, 12, UnitType.HOSPITAL),
    ("全国科技工作者日", 5, 30, UnitType.RESEARCH_INSTITUTE),
    ("中国医师节", 8, 19, UnitType.HOSPITAL),
    ("教师节", 9, 10, UnitType.SCHOOL),
]
# A visit counts for a day when made within this window around it: festival visits are paid in
# the fortnight before as much as after (春节 visits start with 小年). A visit in two overlapping
# windows (中秋节 and 国庆节, 元旦 and an early 春节, 中秋节 and 教师节 for a teacher) counts for
# both, as a 双节慰问 does.
WINDOW_BEFORE = datetime.timedelta(days=15)
WINDOW_AFTER = datetime.timedelta(days=15)
# A contact of either kind with the leader and the expert in the window is the visit.
HOLIDAY_VISIT_KINDS = [ContactKind.HOLIDAY_VISIT, ContactKind.HOLIDAY_GREETING]
# The years the calendar can show: 清明节, 端午节 and 中秋节 are statutory holidays (in the library)
# from 2008; the library computes the lunar dates up to its end year.
FIRST_YEAR = 2008
LAST_YEAR = holidays.China.end_year
# The dashboard's counts of open visits work out every leader's calendar (about 1 s for 500 leaders
# at 100,000 contact records on SQLite), so they are kept in the shared cache for the day, until a
# contact record, pairing, must-visit or leader changes; an expert's unit changing its type (which
# professional days it owes) is seen within the hour.
VISITS_GENERATION = "liaison:visits-generation"
OPEN_COUNTS_TIMEOUT = 3600
# Up to this many leaders, their holiday visits are looked up by the leaders' ids (visit_dates).
LEADERS_LOOKED_UP_BY_ID = 20


class VisitStatus(models.TextChoices):
    DONE = "done", "已访"
    DUE = "due", "待访"  # the window is open
    OVERDUE = "overdue", "逾期"  # the window closed without a visit
    UPCOMING = "upcoming", "未到时间"  # the window has not opened yet


OPEN_STATUSES = [VisitStatus.DUE, VisitStatus.OVERDUE, VisitStatus.UPCOMING]


@dataclass(frozen=True)
class Occasion:
    """A day that owes a visit: to every paired expert, or (`unit_type`) to those of one type of unit."""

    name: str
    date: datetime.date
    unit_type: str = ""

    @property
    def opens(self):
        return self.date - WINDOW_BEFORE

    @property
    def closes(self):
        return self.date + WINDOW_AFTER

    @property
    def unit_type_label(self):
        return UnitType(self.unit_type).label if self.unit_type else ""

    def applies_to(self, unit_type):
        return not self.unit_type or self.unit_type == unit_type


def china(years):
    """China's holidays as `holidays` gives them, in zh_CN, without observed (（补假）) days."""
    return holidays.China(years=years, language="zh_CN", observed=False)


# 重要节日 for visits: every statutory holiday of China (元旦, 春节, 清明节, 劳动节, 端午节, 中秋节,
# 国庆节) on its first day; names and dates (lunar ones included) from `holidays`, not a table of ours.
# The library gives more days, none of them a visit of its own: 休息日（由…调休） (days off for worked
# weekends), one-offs (2015's victory anniversary, 2020's 春节延长假期) and, some years, 农历除夕,
# which the Spring Festival's window covers. Only the statutory holidays recur every year, so they
# are the names given in every year the calendar can show (a test pins the seven).
@functools.cache
def statutory_holidays():
    """The names `holidays` gives China's holidays in every year from FIRST_YEAR to LAST_YEAR."""
    calendar = china(range(FIRST_YEAR, LAST_YEAR + 1))
    years = defaultdict(set)
    for date in calendar:
        for name in calendar.get_list(date):  # two holidays on one day come as "中秋节; 国庆节"
            years[name].add(date.year)
    return frozenset(name for name, found in years.items() if len(found) == LAST_YEAR - FIRST_YEAR + 1)


def occasions(year):
    """The year's occasions in date order: the statutory holidays' first days and the professional days."""
    calendar = china(year)
    found = [
        Occasion(name, min(dates)) for name in statutory_holidays() if (dates := calendar.get_named(name, "exact"))
    ]
    found += [
        Occasion(name, datetime.date(year, month, day), unit_type) for name, month, day, unit_type in PROFESSIONAL_DAYS
    ]
    return sorted(found, key=lambda occasion: (occasion.date, occasion.name))  # 中秋节 may fall on 国庆节


@dataclass
class Visit:
    """One visit a leader owes an expert: for an occasion (`occasion`) or an accepted report (`must_visit`)."""

    leader_id: int
    expert_id: int
    expert_name: str
    reason: str
    date: datetime.date  # the occasion, or the date a must-visit is due by
    status: str
    done_on: datetime.date | None = None
    occasion: Occasion | None = None
    must_visit: MustVisit | None = None

    @property
    def status_label(self):
        return VisitStatus(self.status).label


def status_of(done_on, opens, closes, today):
    if done_on:
        return VisitStatus.DONE
    if today > closes:
        return VisitStatus.OVERDUE
    return VisitStatus.DUE if today >= opens else VisitStatus.UPCOMING


def holiday_visits(leaders, year, today=None):
    """The visits the `leaders` (a queryset) owe in `year` for the year's occasions, by their
    pairings running on each day; four queries."""
    today = today or timezone.localdate()
    days = occasions(year)
    first, last = days[0].opens, days[-1].closes
    pairings = (
        Pairing.objects.filter(leader__in=leaders, started_on__lte=days[-1].date)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=days[0].date))
        .order_by("expert__name", "expert_id", "started_on")
        .values_list("leader_id", "expert_id", "expert__name", "expert__unit__unit_type", "started_on", "ended_on")
    )
    visited = visit_dates(leaders, first, last)
    visits = []
    for leader_id, expert_id, name, unit_type, started_on, ended_on in pairings:
        dates = visited.get((leader_id, expert_id), [])
        for occasion in days:
            if not occasion.applies_to(unit_type) or occasion.date < started_on:
                continue
            if ended_on is not None and occasion.date > ended_on:
                continue
            done_on = next((date for date in dates if occasion.opens <= date <= occasion.closes), None)
            status = status_of(done_on, occasion.opens, occasion.closes, today)
            visits.append(Visit(leader_id, expert_id, name, occasion.name, occasion.date, status, done_on, occasion))
    return visits


def visit_dates(leaders, first, last):
    """{(leader id, expert id): sorted dates of their holiday visits between `first` and `last`}; three queries."""
    # A few leaders are looked up by their ids rather than `IN (subquery)`, which SQLite answers by
    # probing every link of the period with each value of the subquery (0.1 s for one leader instead
    # of 0.005 at 100,000 contact records). It probes a list of ids the same way, once per link and
    # id: for many leaders (a dashboard's every leader) reading all the period's links and keeping
    # the leaders' here is faster (about 0.3 s instead of 1 s for 500 leaders).
    leaders = list(leaders.values_list("pk", flat=True))
    holiday_visits = {"contactrecord__kind__in": HOLIDAY_VISIT_KINDS, "contactrecord__date__range": (first, last)}
    leader_links = ContactRecord.leaders.through.objects.filter(**holiday_visits)
    expert_links = ContactRecord.experts.through.objects.filter(**holiday_visits)
    if len(leaders) <= LEADERS_LOOKED_UP_BY_ID:
        leader_links = leader_links.filter(leader__in=leaders)
        expert_links = expert_links.filter(contactrecord__leaders__in=leaders)
    wanted = set(leaders)
    leaders_of = defaultdict(list)
    dates = {}
    for record_id, leader_id, date in leader_links.values_list("contactrecord_id", "leader_id", "contactrecord__date"):
        if leader_id in wanted:
            leaders_of[record_id].append(leader_id)
            dates[record_id] = date
    visited = defaultdict(list)
    for record_id, expert_id in expert_links.values_list("contactrecord_id", "expert_id").distinct():
        for leader_id in leaders_of.get(record_id, ()):
            visited[leader_id, expert_id].append(dates[record_id])
    for found in visited.values():
        found.sort()
    return visited


def report_visits(must_visits, today=None):
    """The visits that accepted reports created (MustVisit rows, `must_visits`), as Visits; one query."""
    today = today or timezone.localdate()
    rows = must_visits.select_related("expert", "done_by").order_by("due_on", "pk")
    visits = []
    for row in rows:
        done_on = row.done_by.date if row.done_by else None
        status = status_of(done_on, timezone.localdate(row.created_at), row.due_on, today)
        reason = row.get_reason_display()
        visits.append(
            Visit(row.leader_id, row.expert_id, row.expert.name, reason, row.due_on, status, done_on, None, row)
        )
    return visits


def owed_visits(leaders, must_visits, today=None, years=None):
    """Visits the `leaders` (a queryset) still owe, in date order: the holiday visits of `years` (this
    year's by default) not made, and every one of `must_visits` (MustVisit rows) not done, whatever its
    year. Four queries a year and one more: the leader's page, the reminders and the calendar feed."""
    today = today or timezone.localdate()
    holidays = [
        visit
        for year in years or [today.year]
        for visit in holiday_visits(leaders, year, today)
        if visit.status in OPEN_STATUSES
    ]
    owed = report_visits(must_visits.filter(leader__in=leaders, done_by__isnull=True), today)
    return sorted([*holidays, *owed], key=lambda visit: (visit.date, visit.expert_name))


@dataclass
class LeaderVisits:
    """What one leader owes in a year: the visits in date order and their counts by status."""

    leader: object
    visits: list

    def count(self, status):
        return sum(1 for visit in self.visits if visit.status == status)

    @property
    def owed(self):
        return len(self.visits)

    @property
    def done(self):
        return self.count(VisitStatus.DONE)

    @property
    def due(self):
        return self.count(VisitStatus.DUE)

    @property
    def overdue(self):
        return self.count(VisitStatus.OVERDUE)

    @property
    def upcoming(self):
        return self.count(VisitStatus.UPCOMING)

    def due_in_month(self, today):
        """The visits not yet made whose day (or due date) is in `today`'s month and not yet past its window."""
        return sum(
            1
            for visit in self.visits
            if visit.status in (VisitStatus.DUE, VisitStatus.UPCOMING)
            and (visit.date.year, visit.date.month) == (today.year, today.month)
        )

    def by_reason(self):
        """[(reason, date, visits)] in date order: the list per holiday (and per report-driven visit)."""
        groups = defaultdict(list)
        for visit in self.visits:
            groups[visit.reason, visit.date if visit.occasion else None].append(visit)
        return sorted(
            ((reason, date, items) for (reason, date), items in groups.items()),
            key=lambda group: (group[1] or group[2][0].date, group[0]),
        )


def year_calendar(leaders, must_visits, year, today=None):
    """[LeaderVisits] for each of `leaders` (a queryset, in its order): their holiday visits of
    `year` and those of `must_visits` (the MustVisit rows the viewer may see) due in it; six queries."""
    today = today or timezone.localdate()
    by_leader = defaultdict(list)
    for visit in holiday_visits(leaders, year, today):
        by_leader[visit.leader_id].append(visit)
    for visit in report_visits(must_visits.filter(leader__in=leaders, due_on__year=year), today):
        by_leader[visit.leader_id].append(visit)
    return [
        LeaderVisits(leader, sorted(by_leader[leader.pk], key=lambda visit: (visit.date, visit.expert_name)))
        for leader in leaders
    ]


def visits_changed(**kwargs):
    """Signal receiver: the cached counts of open visits are worked out again."""
    generations.renew_now_and_at_commit(VISITS_GENERATION)


def open_visits_by_level(leaders, must_visits, today, scope):
    """{leader level: (visits due in today's month, overdue visits)} of `today`'s year, from the
    calendar of `leaders` (a queryset) and `must_visits` as year_calendar reads them; `scope` names
    that choice of rows in the shared cache."""
    key = f"liaison:open-visits:{scope}:{today.isoformat()}:{generations.current(VISITS_GENERATION)}"
    found = cache.get(key)
    if found is None:
        counts = defaultdict(lambda: [0, 0])
        for row in year_calendar(leaders, must_visits, today.year, today):
            counts[row.leader.level][0] += row.due_in_month(today)
            counts[row.leader.level][1] += row.overdue
        found = {level: tuple(pair) for level, pair in counts.items()}
        cache.set(key, found, OPEN_COUNTS_TIMEOUT)
    return found
