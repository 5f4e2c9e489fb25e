"""The liaison work's entries on an expert's timeline (programme.timeline): contact records, five
reports, follow-ups, and the start and end of each pairing; each among the rows the viewer may see,
a sensitive report's details only for those liaison.scoping.may_read_details names."""

from django.urls import reverse

from programme.timeline import Entry, Source
from staff.scoping import sees_model, visible_rows

from ..models import ContactRecord, EventReport, FollowUp, Pairing
from .reports import read_details


def rows(request, model, **lookups):
    """The expert's rows of `model` the viewer may see; None when they see no row of it."""
    if not sees_model(request.user, model):
        return None
    return visible_rows(request.user, model).filter(**lookups)


def contact_entries(request, expert):
    records = rows(request, ContactRecord, experts=expert)
    if records is None:
        return []
    return [
        Entry(
            record.date,
            record.get_kind_display(),
            reverse("liaison_contacts:inspect", args=[record.pk]),
            "、".join(leader.name for leader in record.leaders.all()) + f"（{record.get_method_display()}）",
        )
        for record in records.prefetch_related("leaders").order_by("-date", "-pk")
    ]


def report_entries(request, expert):
    reports = rows(request, EventReport, expert=expert)
    if reports is None:
        return []

    def details(report):
        # Read (and, for a sensitive report, logged) only when the entry is shown.
        return lambda: read_details(request, report, "expert_timeline")[1]

    return [
        Entry(
            report.event_date,
            f"{report.get_kind_display()}（{report.get_stage_display()}）",
            reverse("liaison_reports:inspect", args=[report.pk]),
            details(report),
        )
        for report in reports.order_by("-event_date", "-pk")
    ]


def follow_up_entries(request, expert):
    follow_ups = rows(request, FollowUp, expert=expert)
    if follow_ups is None:
        return []
    return [
        Entry(
            item.record.date,
            item.problem,
            reverse("liaison_followups:inspect", args=[item.pk]),
            f"{item.owner}：{item.get_status_display()}",
        )
        for item in follow_ups.select_related("record").order_by("-record__date", "-pk")
    ]


def pairing_entries(request, expert):
    pairings = rows(request, Pairing, expert=expert)
    if pairings is None:
        return []
    entries = []
    for pairing in pairings.select_related("leader").order_by("-started_on", "-pk"):
        url = reverse("liaison_pairing:inspect", args=[pairing.pk])
        if pairing.ended_on:
            entries.append(Entry(pairing.ended_on, f"结束结对：{pairing.leader.name}", url, pairing.end_note))
        entries.append(Entry(pairing.started_on, f"开始结对：{pairing.leader.name}", url, pairing.leader.post))
    return entries


def timeline_sources():
    return [
        Source("liaison_pairings", "结对联系", pairing_entries),
        Source("liaison_contacts", "联系服务", contact_entries),
        Source("liaison_reports", "五报告", report_entries),
        Source("liaison_followups", "问题跟踪", follow_up_entries),
    ]
