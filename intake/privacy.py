"""The intake items linked to an expert (`IntakeItem.expert`, set when staff link an item to the
record) in the expert's subject access export and anonymisation (experts.privacy's hooks). Items
that only look alike (same name or phone, not linked) are not the expert's: nothing matches by value."""

from experts.privacy import record_sheet

from . import retention
from .models import IntakeItem, IntakeStep

ITEM_FIELDS = [
    "tracking_number",
    "channel",
    "kind",
    "level",
    "status",
    "name",
    "unit",
    "mobile",
    "email",
    "subject",
    "message",
    "preferred_leader",
    "preferred_leader_text",
    "preferred_date_from",
    "preferred_date_to",
    "attachment_name",
    "consent_at",
    "publish_consent",
    "received_at",
    "accepted_at",
    "rejection_reason",
    "closed_at",
    "reply",
    "satisfaction",
    "satisfaction_note",
    "followed_up_at",
    "meeting_leader",
    "meeting_at",
    "meeting_place",
]


def subject_access_sheets(expert):
    items = IntakeItem.objects.filter(expert=expert).select_related("preferred_leader", "meeting_leader")
    yield record_sheet("来信来访事项", items.order_by("received_at", "pk"), ITEM_FIELDS)
    steps = IntakeStep.objects.filter(item__expert=expert).select_related("item", "actor").order_by("at", "pk")
    yield record_sheet("来信来访办理环节", steps, ["item", "action", "status", "actor", "at", "note", "public_note"])


def refusals(expert):
    if count := IntakeItem.objects.open().filter(expert=expert).count():
        return [f"该专家关联的来信来访事项中还有 {count} 件未办结。"]
    return []


def anonymise(expert, scrubber):
    for item in IntakeItem.objects.filter(expert=expert):
        retention.clear_personal_data(item, reason="专家匿名化处理", also=scrubber.text)
