"""年度调整: who was in the database in a year, who was confirmed, and the year's figures."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, Min, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.functional import cached_property

from staff.levels import Level
from staff.scoping import ALL_LEVELS, level_scope, visible_rows

from .models import (
    AnnualReview,
    Expert,
    ExpertStatus,
    ExpertStatusChange,
    RemovalReason,
    StatusChangeKind,
    TalentCategory,
    TalentTeam,
)

ENTRY_KINDS = [StatusChangeKind.JOINED, StatusChangeKind.RESTORED]


def review_years():
    """The years with experts in the database, newest first; always includes this year."""
    this_year = timezone.localdate().year
    first = Expert.objects.aggregate(first=Min("joined_on"))["first"]
    start = min(first.year, this_year) if first else this_year
    return list(range(this_year, start - 1, -1))


@dataclass
class CoverageRow:
    """六支人才队伍 coverage of one level: experts per team, and how many teams have any."""

    level: str
    counts: list

    @property
    def covered(self):
        return sum(1 for count in self.counts if count)

    @property
    def missing(self):
        return [label for (_, label), count in zip(TalentTeam.choices, self.counts, strict=True) if not count]


class YearlyReview:
    """The review of `year` as `user` sees it: only experts of the user's level count."""

    def __init__(self, year, user):
        self.year = year
        self.user = user
        # Past years are read as at 31 December; this year as at today.
        self.reference_date = min(datetime.date(year, 12, 31), timezone.localdate())

    @cached_property
    def scoped_experts(self):
        return visible_rows(self.user, Expert)

    def active_experts(self):
        """Experts in the database on the reference date, as their status history says."""
        if self.reference_date == timezone.localdate():
            # No change is ever dated after the day it is recorded (experts/services.py, the form's
            # joined_on), so today the stored status is the history's latest word: read it, not a
            # history lookup per expert, which at 100,000 experts takes seconds.
            return self.scoped_experts.filter(status=ExpertStatus.ACTIVE)
        kind_then = Subquery(
            ExpertStatusChange.objects.filter(expert=OuterRef("pk"), date__lte=self.reference_date)
            .order_by("-date", "-created_at", "-pk")
            .values("kind")[:1]
        )
        return self.scoped_experts.annotate(kind_then=kind_then).filter(kind_then__in=ENTRY_KINDS)

    def experts(self, reviewed=None):
        """The year's active experts with a `reviewed` flag; `reviewed` True/False narrows to those."""
        experts = (
            self.active_experts()
            .select_related("unit")
            .annotate(reviewed=Exists(AnnualReview.objects.filter(expert=OuterRef("pk"), year=self.year)))
            .order_by("reviewed", "name", "pk")
        )
        if reviewed is not None:
            experts = experts.filter(reviewed=reviewed)
        return experts

    @cached_property
    def changes(self):
        return ExpertStatusChange.objects.filter(expert__in=self.scoped_experts, date__year=self.year)

    @cached_property
    def active_count(self):
        return self.active_experts().count()

    @cached_property
    def reviewed_count(self):
        return AnnualReview.objects.filter(year=self.year, expert__in=self.active_experts()).count()

    @property
    def unreviewed_count(self):
        return self.active_count - self.reviewed_count

    @cached_property
    def joined_count(self):
        return self.changes.filter(kind=StatusChangeKind.JOINED).count()

    @cached_property
    def restored_count(self):
        return self.changes.filter(kind=StatusChangeKind.RESTORED).count()

    @cached_property
    def removed_by_reason(self):
        counts = dict(
            self.changes.filter(kind=StatusChangeKind.REMOVED)
            .values_list("reason")
            .annotate(count=Count("pk"))
            .values_list("reason", "count")
        )
        return [(label, counts.get(value, 0)) for value, label in RemovalReason.choices]

    @cached_property
    def removed_count(self):
        return sum(count for _, count in self.removed_by_reason)

    def _counts_by(self, field, choices):
        counts = dict(self.active_experts().values_list(field).annotate(count=Count("pk")).values_list(field, "count"))
        return [(label, counts.get(value, 0)) for value, label in choices]

    @cached_property
    def by_team(self):
        return self._counts_by("talent_team", TalentTeam.choices)

    @cached_property
    def levels(self):
        scope = level_scope(self.user)
        return [(value, label) for value, label in Level.choices if scope is ALL_LEVELS or value == scope]

    @cached_property
    def by_level(self):
        return self._counts_by("level", self.levels)

    @cached_property
    def by_category(self):
        active = self.active_experts().values("pk")
        return list(
            TalentCategory.objects.annotate(count=Count("experts", filter=Q(experts__in=active)))
            .order_by("sort_order", "pk")  # aggregation drops Meta.ordering
            .values_list("name", "count")
        )

    @cached_property
    def coverage(self):
        counts = {
            (level, team): count
            for level, team, count in self.active_experts()
            .values_list("level", "talent_team")
            .annotate(count=Count("pk"))
            .values_list("level", "talent_team", "count")
        }
        return [
            CoverageRow(label, [counts.get((value, team), 0) for team, _ in TalentTeam.choices])
            for value, label in self.levels
        ]
