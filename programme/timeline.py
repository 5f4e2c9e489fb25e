"""An expert's timeline (时间线): everything the programme did with and for them, newest first, on their
detail view (/admin/experts/inspect/<pk>/#timeline).

The entries come from sources. Every kind of the programme's records (programme.kinds.KINDS) is one
by itself; other apps add theirs (contacts, reports, intake items, honours ...) with a function
registered under TIMELINE_SOURCES_HOOK in their wagtail_hooks.py that returns a list of `Source`:

    @hooks.register(TIMELINE_SOURCES_HOOK)
    def intake_timeline_sources():
        return [Source("intake", "来信来访", intake_entries)]

A source's function takes the request and the expert and returns that expert's entries among the
rows the viewer may see (staff.scoping.visible_rows; nothing when the viewer sees no row of the
model), in one or two queries whatever their number: the timeline reads every source on each
request, so its number of queries does not grow with the entries.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.urls import NoReverseMatch, reverse
from wagtail import hooks
from wagtail.admin.ui.components import Component

from staff.scoping import sees_model, visible_rows

from .kinds import KINDS
from .models import AttendanceStatus

TIMELINE_SOURCES_HOOK = "expert_timeline_sources"
FILTER_PARAM = "timeline"  # the chosen source's key
PAGE_PARAM = "timeline_page"  # not "p" or "page": the detail view's other parts may page too
PER_PAGE = 50


@dataclass(eq=False)
class Entry:
    """One thing done on a date. `note` is a short text, or a function returning it that the timeline
    calls only for the entries it shows (reading some details leaves a trace, see liaison's reports)."""

    date: datetime.date
    title: str
    url: str | None = None
    note: str | Callable[[], str] = ""
    source: "Source | None" = None  # set by the timeline

    @property
    def label(self):
        return self.source.label


@dataclass(frozen=True)
class Source:
    """A kind of entry: `key` (the filter's value), `label` (its Chinese name) and `entries`, a
    function (request, expert) -> the entries, as the module docstring says."""

    key: str
    label: str
    entries: Callable


def kind_source(kind):
    """The source of one kind of the programme's records: the activities that name the expert (with
    their attendance, for kinds whose attendance is marked), or the records about them."""

    def entries(request, expert):
        user = request.user
        if not sees_model(user, kind.model):
            return []
        rows = visible_rows(user, kind.model)  # the policy on these rows only: see ProgrammePolicy
        url_name = f"{kind.key}:inspect"
        if kind.is_activity:
            marked = marks_attendance(kind)
            attendances = kind.attendance_model.objects.filter(expert=expert)
            status = attendances.filter(activity=OuterRef("pk")).values("status")[:1]
            activities = rows.filter(pk__in=attendances.values("activity_id")).annotate(
                timeline_status=Subquery(status)
            )
            return [
                Entry(
                    activity.date,
                    str(activity),
                    reverse(url_name, args=[activity.pk]),
                    AttendanceStatus(activity.timeline_status).label if marked else "",
                )
                for activity in activities.order_by("-date", "-pk")
            ]
        records = rows.filter(expert=expert).select_related("expert").order_by("-date", "-pk")
        return [Entry(r.date, str(r), reverse(url_name, args=[r.pk])) for r in records]

    return Source(kind.key, kind.label, entries)


def marks_attendance(kind):
    """Whether the kind's attendance is marked after the event (its viewset then has an attendance
    view): until then its experts are only invited, so the timeline says which."""
    try:
        reverse(f"{kind.key}:attendance", args=[0])
    except NoReverseMatch:
        return False
    return True


def sources():
    """The programme's kinds in registration order, then the sources the apps register."""
    found = [kind_source(kind) for kind in KINDS.values()]
    for hook in hooks.get_hooks(TIMELINE_SOURCES_HOOK):
        found.extend(hook())
    return found


class Timeline:
    """Every entry of the expert the request's user may see, newest first; entries of one day keep
    the order of the sources and, within a source, the source's own order (newest row first)."""

    def __init__(self, request, expert):
        self.entries = []
        self.counts = []  # (source, how many entries) for each source with entries
        for source in sources():
            found = list(source.entries(request, expert))
            for entry in found:
                entry.source = source
            if found:
                self.counts.append((source, len(found)))
            self.entries.extend(found)
        self.entries.sort(key=lambda entry: entry.date, reverse=True)  # a stable sort: ties keep their order

    def of(self, key):
        """The entries of the source `key`; all of them for ""."""
        return [entry for entry in self.entries if entry.source.key == key] if key else self.entries


class TimelineSection(Component):
    """The timeline on the expert's detail view, filtered by `?timeline=<key>`, PER_PAGE entries a page."""

    template_name = "programme/timeline.html"

    def __init__(self, request, expert):
        self.request, self.expert = request, expert

    def get_context_data(self, parent_context):
        timeline = Timeline(self.request, self.expert)
        chosen = self.request.GET.get(FILTER_PARAM, "")
        if not any(source.key == chosen for source, _ in timeline.counts):
            chosen = ""
        page = Paginator(timeline.of(chosen), PER_PAGE).get_page(self.request.GET.get(PAGE_PARAM))
        for entry in page:
            if callable(entry.note):
                entry.note = entry.note()
        return {
            "page": page,
            "total": len(timeline.entries),
            "counts": timeline.counts,
            "chosen": chosen,
            "query": self.request.GET,
        }
