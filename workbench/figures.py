"""The workbench's figures (工作台): one function per figure, for the dashboard and the yearly report.

Each takes the user (whose scope it counts in: a county office its county, a unit liaison its units,
a leader or a leader's office the experts of their pairings, the city office everything) and the
year, and reads a fixed number of queries whatever the data (the counting is done by the database,
or from the year's cached activities that liaison.coverage and programme.kinds keep). A `Figure`
also names the admin list that shows its rows, so that a number on a screen leads to them.

The dashboard keeps each figure in the shared cache (workbench.panels): at 100,000 experts and
1,000,000 contact records its figures take seconds to count (bench/growth.py). `@reads` names the
generations (base.generations) of what a figure counts; a change to any of them counts it again.
"""

import calendar
import datetime
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth
from django.urls import reverse
from django.utils.functional import cached_property

from base import generations
from care.kinds import CHECKUPS, RECUPERATION
from experts.models import Expert, TalentTeam
from experts.reviews import YearlyReview
from intake.models import ITEM_ACTIONS, Channel, IntakeItem
from liaison.calendar import VISITS_GENERATION, open_visits_by_level
from liaison.coverage import GENERATION_KEY as CONTACTS_GENERATION
from liaison.coverage import activity_totals, coverage_experts, without_contact, year_activities
from liaison.models import SIX_ACTIVITIES, ContactRecord, Leader, MustVisit, Pairing
from liaison.scoping import office_level
from liaison.services import quota_by_level
from programme.coverage import Coverage
from programme.kinds import SERVED_GENERATION
from staff.levels import Level
from staff.scoping import ALL_LEVELS, ALL_UNITS, level_scope, sees_model, unit_scope, visible_rows

MONTHS = range(1, 13)

# Renewed (workbench.apps) when an expert, their status, review, categories or unit changes, or
# whose experts a leader's office sees; and when an intake item changes.
EXPERTS_GENERATION = "workbench:experts-generation"
INTAKE_GENERATION = "workbench:intake-generation"
# Pairings and leaders: the must-visit calendar's generation, renewed when either changes.
PAIRINGS_GENERATION = VISITS_GENERATION
GENERATIONS = [EXPERTS_GENERATION, INTAKE_GENERATION, PAIRINGS_GENERATION, CONTACTS_GENERATION, SERVED_GENERATION]
# A change no signal reports (a bulk update from a shell) is counted within the hour.
KEPT_TIMEOUT = 3600


def reads(*generation_keys):
    """Marks a figure with the generations of the records it counts."""

    def mark(function):
        function.generations = generation_keys
        return function

    return mark


def current_generations():
    """{key: generation} of every generation a figure reads, for `kept`; one cache call."""
    return generations.current_many(GENERATIONS)


def kept(function, user, args, current):
    """`function(user, *args)` from the shared cache, counted again when a generation it `reads`
    moved on (`current`, from current_generations()) or the user's scope or permissions changed."""
    units = unit_scope(user)
    scope = (
        user.pk,
        level_scope(user),
        None if units is ALL_UNITS else sorted(units),
        sorted(user.get_all_permissions()),
    )
    read = [current[key] for key in function.generations]
    digest = hashlib.sha256(repr((args, scope, read)).encode()).hexdigest()
    key = f"workbench:figure:{function.__name__}:{digest}"
    found = cache.get(key)
    if found is None:
        found = function(user, *args)
        cache.set(key, found, KEPT_TIMEOUT)
    return found


@dataclass(frozen=True)
class Figure:
    """A count by level (属地) and the admin list behind it: `url` with `query` shows its rows, narrowed
    to one level by `level_param` (None: the list has no level filter)."""

    label: str
    by_level: dict
    url: str = ""
    query: dict = field(default_factory=dict)
    level_param: str | None = "level"

    @property
    def total(self):
        return sum(self.by_level.values())

    def count(self, level):
        return self.by_level.get(level, 0)

    def link(self, level=None):
        """The list of the figure's rows (of `level` only, if given); "" where there is none."""
        if not self.url or (level and not self.level_param):
            return ""
        query = {**self.query, **({self.level_param: level} if level else {})}
        return f"{self.url}?{urlencode(query)}" if query else self.url


def _by_level(queryset, field_name="level"):
    return dict(queryset.order_by().values_list(field_name).annotate(count=Count("pk")))


def _url(name, user, model):
    """The list `name`, when the user may open it."""
    return reverse(name) if sees_model(user, model) else ""


# Experts -------------------------------------------------------------------------------------


def experts_in_scope(user):
    """The experts `user` works with: those their lists show, or for a leader and a leader's office
    (who have no expert list) the experts of the pairings they see."""
    if sees_model(user, Expert):
        return visible_rows(user, Expert)
    return Expert.objects.filter(pk__in=visible_rows(user, Pairing).active().values("expert_id"))


class ScopedReview(YearlyReview):
    """The yearly review's counts (experts/reviews.py) over the experts in the user's scope."""

    @cached_property
    def scoped_experts(self):
        return experts_in_scope(self.user)

    @cached_property
    def levels(self):
        if sees_model(self.user, Expert):
            return super().levels
        return list(Level.choices)  # a leader's experts may be of any level


@reads(EXPERTS_GENERATION, PAIRINGS_GENERATION)
def active_experts(user, year):
    """在库专家: the experts in the database in `year` (today, for this year), by level."""
    return Figure(
        "在库专家",
        _by_level(ScopedReview(year, user).active_experts()),
        _url("experts:index", user, Expert),
    )


@reads(EXPERTS_GENERATION, PAIRINGS_GENERATION)
def experts_by_team(user, year):
    """One Figure per team (六支人才队伍), in the teams' order."""
    counts = _by_level_and(ScopedReview(year, user).active_experts(), "talent_team")
    return [
        Figure(label, counts.get(value, {}), _url("experts:index", user, Expert), {"talent_team": value})
        for value, label in TalentTeam.choices
    ]


def team_coverage(teams):
    """How many of the six teams have any active expert, from `experts_by_team`'s figures: (covered, missing labels)."""
    missing = [team.label for team in teams if not team.total]
    return len(teams) - len(missing), missing


@reads(EXPERTS_GENERATION, PAIRINGS_GENERATION)
def experts_by_category(user, year):
    """One Figure per talent category (人才类别); an expert of several categories counts in each."""
    rows = (
        ScopedReview(year, user)
        .active_experts()
        .order_by()
        .values_list("categories__pk", "categories__name", "level")
        .annotate(count=Count("pk"))
    )
    found = {}
    for pk, name, level, count in rows:
        if pk is not None:
            found.setdefault((pk, name), {})[level] = count
    url = _url("experts:index", user, Expert)
    return [Figure(name, counts, url, {"categories": pk}) for (pk, name), counts in sorted(found.items())]


@reads(EXPERTS_GENERATION, PAIRINGS_GENERATION)
def experts_by_team_and_level(user, year):
    """The yearly review's 六支队伍 table: one CoverageRow per level, experts per team (for the chart)."""
    return ScopedReview(year, user).coverage


def _by_level_and(queryset, field_name):
    """{value of `field_name`: {level: count}} in one query."""
    found = {}
    for value, level, count in (
        queryset.order_by()
        .values_list(field_name, "level")
        .annotate(count=Count("pk"))
        .values_list(field_name, "level", "count")
    ):
        found.setdefault(value, {})[level] = count
    return found


# Liaison work ---------------------------------------------------------------------------------


@reads(EXPERTS_GENERATION, PAIRINGS_GENERATION)
def leaders_under_quota(user):
    """少于结对名额的领导: the active leaders the user sees with fewer pairings than the plan asks."""
    counts = quota_by_level(visible_rows(user, Leader))
    return Figure(
        "结对少于名额的领导",
        {level: under for level, (_, under) in counts.items() if under},
        _url("liaison_leader:index", user, Leader),
        {"quota": "under"},
    )


@reads(EXPERTS_GENERATION, CONTACTS_GENERATION)
def experts_without_contact(user, year):
    """全年无联系记录: the year's active experts no contact record of the year names; their list is
    the six-activity coverage narrowed to them. Counted against the year's cached activities, which
    name every contacted expert (a database anti-join reads every link of the year each time)."""
    contacted = year_activities(year)
    uncontacted = Counter(
        level for pk, level in coverage_experts(user, year).order_by().values_list("pk", "level") if pk not in contacted
    )
    may_list = sees_model(user, Expert) and sees_model(user, ContactRecord)
    return Figure(
        "全年无联系记录的专家",
        dict(uncontacted),
        reverse("liaison_coverage:index") if may_list else "",
        {"year": year, "uncontacted": "on"},
    )


@reads(EXPERTS_GENERATION, PAIRINGS_GENERATION, CONTACTS_GENERATION)
def pairings_without_contact(user, year):
    """A leader's (or a leader office's) running pairings whose expert has no contact record in `year`."""
    pairings = visible_rows(user, Pairing).active().filter(expert__in=without_contact(Expert.objects.all(), year))
    return Figure(
        "本年度尚未联系的结对专家",
        _by_level(pairings, "expert__level"),
        _url("liaison_pairing:index", user, Pairing),
        {"status": "active", "uncontacted": year},
        level_param=None,
    )


@reads(EXPERTS_GENERATION, PAIRINGS_GENERATION)
def active_pairings(user):
    """The running pairings the user sees (a leader's own, an office's leaders')."""
    return Figure(
        "正在结对联系的专家",
        _by_level(visible_rows(user, Pairing).active(), "expert__level"),
        _url("liaison_pairing:index", user, Pairing),
        {"status": "active"},
        level_param=None,
    )


def must_visits(user, today):
    """(本月应访未访, 逾期未访): the visits the active leaders a talent office sees owe in `today`'s year
    (holiday visits and the must-visits of accepted reports), by the leaders' level, as the must-visit
    calendar counts them; None for anyone else (leaders see theirs in 今日待办 and on their page)."""
    level = office_level(user)
    if level == "":
        return None
    counts = open_visits_by_level(
        visible_rows(user, Leader).filter(active=True),
        visible_rows(user, MustVisit),
        today,
        "all" if level is ALL_LEVELS else level,
    )
    url = reverse("liaison_calendar:index")
    return (
        Figure(
            "本月应访未访",
            {lvl: due for lvl, (due, _) in counts.items() if due},
            url,
            {"year": today.year, "due_this_month": "on"},
        ),
        Figure(
            "逾期未访",
            {lvl: late for lvl, (_, late) in counts.items() if late},
            url,
            {"year": today.year, "overdue_only": "on"},
        ),
    )


@dataclass(frozen=True)
class ActivityCoverage:
    """六活动覆盖 of a year: the experts counted, how many took part in each activity, in all six."""

    experts: Figure
    complete: Figure
    per_activity: list  # [(activity label, experts)], in the plan's order
    by_activity: list  # one Figure per activity (experts by level), for a level's numbers


@reads(EXPERTS_GENERATION, CONTACTS_GENERATION)
def six_activity_coverage(user, year):
    """Six-activity coverage of `year` (liaison/coverage.py), with its complete count by level."""
    rows = list(coverage_experts(user, year).order_by().values_list("pk", "level"))
    ids_by_level = {}
    for pk, level in rows:
        ids_by_level.setdefault(level, []).append(pk)
    done = year_activities(year)  # read from the cache once for every level
    totals, _ = activity_totals([pk for pk, _ in rows], year, done)
    level_totals = {level: activity_totals(ids, year, done) for level, ids in ids_by_level.items()}
    complete = {level: found for level, (_, found) in level_totals.items()}
    url = reverse("liaison_coverage:index") if sees_model(user, Expert) and sees_model(user, ContactRecord) else ""
    return ActivityCoverage(
        experts=Figure("计入覆盖的专家", {level: len(ids) for level, ids in ids_by_level.items()}, url, {"year": year}),
        complete=Figure("六项活动全部开展", complete),  # no list narrows to them: the coverage page counts them
        per_activity=[(activity.label, count) for activity, count in zip(SIX_ACTIVITIES, totals, strict=True)],
        by_activity=[
            Figure(activity.label, {level: counts[index] for level, (counts, _) in level_totals.items()})
            for index, activity in enumerate(SIX_ACTIVITIES)
        ],
    )


# Care and the yearly review -------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceCoverage:
    """A care service's coverage of a year: the experts it served, and those it did not (with their list)."""

    label: str
    served: Figure
    not_served: Figure


@reads(EXPERTS_GENERATION, SERVED_GENERATION)
def care_coverage(user, year):
    """This year's checkup (集中体检) and recuperation (休假疗养) coverage among the year's active experts."""
    kinds = [kind for kind in (CHECKUPS, RECUPERATION) if sees_model(user, kind.model)]
    coverage = Coverage(user, year, kinds)
    level_of = {label: value for value, label in Level.choices}
    lines = [line for line in coverage.lines("level") if line.label in level_of]
    url = reverse("care:coverage") if kinds else ""
    return [
        ServiceCoverage(
            kind.coverage,
            Figure(kind.coverage, {level_of[line.label]: line.counts[index] for line in lines}),
            Figure(
                f"未{kind.coverage}",
                {level_of[line.label]: line.total - line.counts[index] for line in lines},
                url,
                {"year": year, "missing": kind.key},
            ),
        )
        for index, kind in enumerate(coverage.kinds)
    ]


@dataclass(frozen=True)
class ReviewProgress:
    reviewed: Figure
    unreviewed: Figure


@reads(EXPERTS_GENERATION, PAIRINGS_GENERATION)
def review_progress(user, year):
    """年度调整 of `year`: how many of the year's active experts staff confirmed, and how many are left."""
    rows = (
        ScopedReview(year, user)
        .experts()
        .order_by()
        .values_list("level")
        .annotate(total=Count("pk"), reviewed=Count("pk", filter=Q(reviewed=True)))
    )
    reviewed, unreviewed = {}, {}
    for level, total, done in rows:
        reviewed[level], unreviewed[level] = done, total - done
    url = reverse("experts_review:index") if sees_model(user, Expert, ("change",)) else ""
    return ReviewProgress(
        Figure("已确认", reviewed, url, {"year": year, "shown": "yes"}, level_param=None),
        Figure("待确认", unreviewed, url, {"year": year, "shown": "no"}, level_param=None),
    )


# Per month (for the charts) ---------------------------------------------------------------------


def month_range(year, month):
    return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])


@reads(EXPERTS_GENERATION, CONTACTS_GENERATION)
def contacts_per_month(user, year, level=None):
    """The contact records the user sees (of `level` only, if given), per month of `year`: [(month, count, list URL)]."""
    counts = dict.fromkeys(MONTHS, 0)
    records = visible_rows(user, ContactRecord)
    if level:
        records = records.filter(level=level)
    # Grouped by day, summed by month here: SQLite extracts a month in Python, row by row.
    for day, count in (
        records.filter(date__range=(datetime.date(year, 1, 1), datetime.date(year, 12, 31)))
        .order_by()
        .values_list("date")
        .annotate(count=Count("pk"))
    ):
        counts[day.month] += count
    # The contacts list filters by the experts' level, not the record's own: a level's months link nowhere.
    url = "" if level else _url("liaison_contacts:index", user, ContactRecord)
    return [(month, counts[month], _month_link(url, ("date_from", "date_to"), year, month)) for month in MONTHS]


@reads(INTAKE_GENERATION)
def intake_per_month(user, year, level=None):
    """Intake items received per month of `year` (of `level` only, if given), by channel:
    [(channel label, [(month, count, URL)])]."""
    items = visible_rows(user, IntakeItem, ITEM_ACTIONS).filter(
        received_at__year=year  # the items' time zone is Beijing (settings.TIME_ZONE)
    )
    if level:
        items = items.filter(level=level)
    found = {}
    for channel, month, count in (
        items.order_by()
        .annotate(month=ExtractMonth("received_at"))
        .values_list("channel", "month")
        .annotate(count=Count("pk"))
    ):
        found[(channel, month)] = count
    url = reverse("intake_item:index") if sees_model(user, IntakeItem, ITEM_ACTIONS) else ""
    return [
        (
            label,
            [
                (
                    month,
                    found.get((value, month), 0),
                    _month_link(
                        url,
                        ("received_at_after", "received_at_before"),
                        year,
                        month,
                        channel=value,
                        **({"level": level} if level else {}),
                    ),
                )
                for month in MONTHS
            ],
        )
        for value, label in Channel.choices
    ]


def _month_link(url, params, year, month, **query):
    """The list at `url` narrowed to one month by its date range filter (`params`: its two fields)."""
    if not url:
        return ""
    return f"{url}?{urlencode({**query, **dict(zip(params, month_range(year, month), strict=True))})}"
