"""Six-activity coverage (六活动, 《工作方案》三(一)4): which of the six activities each expert took
part in during a year, from the contact records; a group activity counts for each expert in it."""

import datetime

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q

from base import generations
from experts.reviews import YearlyReview

from .models import ACTIVITY_OF_KIND, SIX_ACTIVITIES, ContactRecord, Pairing

ExpertLink = ContactRecord.experts.through

# Who took part in what is read from every contact record of a year at once (a join of the
# records with their experts, ~0.3 s for 100,000 records on SQLite) and kept in the shared cache
# until a contact record changes: the coverage, its totals and a leader's gaps all read it.
GENERATION_KEY = "liaison:contacts-generation"
YEAR_TIMEOUT = 24 * 3600


def year_range(year):
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def contacts_changed(**kwargs):
    """Signal receiver: what was read from the contact records is read again."""
    generations.renew_now_and_at_commit(GENERATION_KEY)


def _activities(links):
    """{expert id: set of activities} from `links` (rows of ExpertLink), for every expert they name
    (an empty set when none of the expert's contacts is one of the six); one query."""
    found = {}
    for expert_id, kind in links.values_list("expert_id", "contactrecord__kind").distinct():
        activities = found.setdefault(expert_id, set())
        if activity := ACTIVITY_OF_KIND.get(kind):
            activities.add(activity)
    return found


def _year_links(year):
    return ExpertLink.objects.filter(contactrecord__date__range=year_range(year))


def _year_key(year):
    return f"liaison:year-activities:{year}:{generations.current(GENERATION_KEY)}"


def year_activities(year):
    """{expert id: set of the activities they took part in during `year`}, for every expert a contact
    record of the year names (so also who had any contact); one query when the cache does not have it."""
    key = _year_key(year)
    found = cache.get(key)
    if found is None:
        found = _activities(_year_links(year))
        cache.set(key, found, YEAR_TIMEOUT)
    return found


def activities_by_expert(expert_ids, year):
    """{expert id: set of activities} for the experts of `expert_ids` (a list) who had a contact:
    from the year's activities when the cache has them, else by a query about these experts only."""
    done = cache.get(_year_key(year))
    if done is None:
        return _activities(_year_links(year).filter(expert_id__in=expert_ids))
    return {expert_id: done[expert_id] for expert_id in expert_ids if expert_id in done}


def activity_totals(expert_ids, year, done=None):
    """For the experts of `expert_ids`: ([how many took part in each activity], how many in all six).
    `done`: the year's activities when the caller has read them already (for several groups)."""
    done = year_activities(year) if done is None else done
    counts = dict.fromkeys(SIX_ACTIVITIES, 0)
    complete = 0
    for expert_id in expert_ids:
        activities = done.get(expert_id, ())
        for activity in activities:
            counts[activity] += 1
        complete += len(activities) == len(SIX_ACTIVITIES)
    return [counts[activity] for activity in SIX_ACTIVITIES], complete


def coverage_experts(user, year):
    """The experts a coverage of `year` lists for `user`: those in the database in that year (as the
    yearly review counts them), in the user's scope."""
    return YearlyReview(year, user).active_experts()


def without_contact(experts, year):
    """`experts` narrowed to those no contact record of `year` names (全年无联系记录)."""
    return experts.exclude(Exists(_year_links(year).filter(expert_id=OuterRef("pk"))))


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
