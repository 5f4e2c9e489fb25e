"""The programme's records in an expert's subject access export and anonymisation (experts.privacy's
hooks), for every registered kind: one sheet per kind, the kind's still-open rows as refusals, and
free text and log entries scrubbed. The rows stay, so the yearly coverage keeps its counts."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from experts.models import Expert
from experts.privacy import display
from staff.exports import Sheet

from .kinds import KINDS
from .models import ProgrammeLogEntry

SHOWN_AUDIT_FIELDS = ("level", "created_at")


def own_fields(model):
    """The fields a sheet shows: what the office typed, the recording level and time."""
    return [
        field
        for field in model._meta.concrete_fields
        if (field.editable and not field.primary_key and field.name != "expert") or field.name in SHOWN_AUDIT_FIELDS
    ]


def text_fields(model):
    return [field.name for field in own_fields(model) if isinstance(field, (models.CharField, models.TextField))]


def shown(row, field, expert):
    """`field` of `row` as the sheet shows it; another expert it names (a group's lead) is not named."""
    if field.is_relation and field.related_model is Expert:
        named = getattr(row, field.attname)
        return "" if named is None else ("本人" if named == expert.pk else "其他专家")
    return display(row, field)


def kind_sheet(kind, expert):
    model = kind.model
    fields = own_fields(model)
    headings = [str(field.verbose_name) for field in fields]
    if not kind.is_activity:
        rows = model.objects.filter(expert=expert).order_by("date", "pk")
        return Sheet(kind.label, headings, [[shown(row, field, expert) for field in fields] for row in rows])
    attendances = (
        kind.attendance_model.objects.filter(expert=expert)
        .select_related("activity")
        .order_by("activity__date", "activity_id")
    )
    rows = [
        [
            *(shown(a.activity, field, expert) for field in fields),
            a.get_status_display(),
            a.activity.attendances.count() - 1,
        ]
        for a in attendances
    ]
    return Sheet(kind.label, [*headings, "参加情况", "同场其他专家人数"], rows)


def rows_about(kind, expert):
    if kind.is_activity:
        return kind.model.objects.filter(attendances__expert=expert).distinct()
    return kind.model.objects.filter(expert=expert)


def subject_access_sheets(expert):
    for kind in KINDS.values():
        yield kind_sheet(kind, expert)


def refusals(expert):
    reasons = []
    for kind in KINDS.values():
        if kind.still_open is not None and (count := rows_about(kind, expert).filter(kind.still_open).count()):
            reasons.append(f"该专家还有 {count} 条未办结的{kind.label}。")
    return reasons


def anonymise(expert, scrubber):
    for kind in KINDS.values():
        rows = rows_about(kind, expert)
        scrubber.rows(rows, *text_fields(kind.model))
        content_type = ContentType.objects.get_for_model(kind.model)
        scrubber.log_entries(
            ProgrammeLogEntry.objects.filter(content_type=content_type, record_id__in=rows.values("pk"))
        )
