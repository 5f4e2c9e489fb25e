"""Six-activity coverage (六活动, 《工作方案》三(一)4): which of the six activities each expert took
part in during a year, from the contact records; a group activity counts for each expert in it."""

import datetime

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, Value, When

from experts.reviews import YearlyReview

from .models import ACTIVITY_OF_KIND, SIX_ACTIVITIES, ContactRecord, Pairing

ExpertLink = ContactRecord.experts.through


def year_range(year):
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def activity_links(year):
    """The year's links of experts to contacts that count for an activity, with the `activity`."""
    activity = Case(
        *(When(contactrecord__kind=kind, then=Value(activity)) for kind, activity in ACTIVITY_OF_KIND.items()),
        output_field=CharField(),
    )
    return ExpertLink.objects.filter(
        contactrecord__date__range=year_range(year), contactrecord__kind__in=list(ACTIVITY_OF_KIND)
    ).annotate(activity=activity)


def activities_by_expert(experts, year):
    """{expert id: set of the activities they took part in} for `experts` (ids or a queryset); one query."""
    found = {}
    rows = activity_links(year).filter(expert__in=experts).values_list("expert_id", "activity").distinct()
    for expert_id, activity in rows:
        found.setdefault(expert_id, set()).add(activity)
    return found


def activity_totals(experts, year):
    """For the experts of the queryset `experts`: ([experts ticked for each activity], experts with all six); two queries."""
    links = activity_links(year).filter(expert__in=experts.values("pk"))
    counts = dict(
        links.values("activity").annotate(count=Count("expert_id", distinct=True)).values_list("activity", "count")
    )
    complete = (
        links.values("expert_id")
        .annotate(activities=Count("activity", distinct=True))
        .filter(activities=len(SIX_ACTIVITIES))
        .count()
    )
    return [counts.get(activity, 0) for activity in SIX_ACTIVITIES], complete


def coverage_experts(user, year):
    """The experts a coverage of `year` lists for `user`: those in the database in that year (as the
    yearly review counts them), in the user's scope."""
    return YearlyReview(year, user).active_experts()


def paired_with(experts, leader, year):
    """`experts` narrowed to those paired with `leader` at some time in `year`."""
    first, last = year_range(year)
    pairings = Pairing.objects.filter(expert=OuterRef("pk"), leader=leader, started_on__lte=last).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=first)
    )
    return experts.filter(Exists(pairings))


def ticks(activities):
    """One flag per activity, in the plan's order, for a set of activities."""
    return [activity in activities for activity in SIX_ACTIVITIES]
