"""The liaison records in an expert's subject access export and anonymisation (experts.privacy's hooks)."""

from django.db.models import Count

from base.attachments import delete_when_committed
from experts.privacy import record_sheet
from staff.exports import Sheet

from .models import (
    ContactAttachment,
    ContactLogEntry,
    ContactRecord,
    EventReport,
    EventReportLogEntry,
    FollowUp,
    FollowUpLogEntry,
    MustVisit,
    Pairing,
    PairingLogEntry,
    ReportStage,
    ReportStep,
)

CLEARED_DETAILS = "（已匿名化处理，具体情况已清除）"


def contact_sheet(expert):
    """The contacts the expert took part in; the other experts of a group contact only as a number."""
    records = (
        ContactRecord.objects.filter(experts=expert)
        .select_related("recorded_by")
        .prefetch_related("leaders", "attachments", "experts")
        .order_by("date", "pk")
    )
    headings = [
        "日期",
        "联系事由",
        "联系方式",
        "参加领导",
        "陪同人员",
        "联系情况",
        "同场其他专家人数",
        "材料",
        "登记时间",
    ]
    rows = [
        [
            record.date,
            record.get_kind_display(),
            record.get_method_display(),
            "、".join(str(leader) for leader in record.leaders.all()),
            record.staff_present,
            record.summary,
            len(record.experts.all()) - 1,
            "、".join(attachment.name for attachment in record.attachments.all()),
            record.created_at,
        ]
        for record in records
    ]
    return Sheet("联系服务记录", headings, rows)


def subject_access_sheets(expert):
    yield record_sheet(
        "结对联系",
        Pairing.objects.filter(expert=expert).select_related("leader", "created_by").order_by("started_on", "pk"),
        ["leader", "started_on", "ended_on", "end_note", "created_by", "created_at"],
    )
    yield contact_sheet(expert)
    yield record_sheet(
        "问题跟踪",
        FollowUp.objects.filter(expert=expert).select_related("record").order_by("due_on", "pk"),
        ["record", "problem", "owner", "due_on", "status", "outcome", "leader_attention", "closed_on", "created_at"],
    )
    reports = EventReport.objects.filter(expert=expert).select_related("unit", "filed_by").order_by("created_at", "pk")
    yield record_sheet(
        "五报告", reports, ["kind", "event_date", "details", "unit", "level", "stage", "filed_by", "created_at"]
    )
    yield record_sheet(
        "五报告流转记录",
        ReportStep.objects.filter(report__expert=expert).select_related("report__expert", "user").order_by("at", "pk"),
        ["report", "action", "stage_before", "stage_after", "comment", "user", "at"],
    )
    yield record_sheet(
        "必访事项",
        MustVisit.objects.filter(expert=expert).select_related("leader", "report__expert", "done_by"),
        ["leader", "reason", "report", "due_on", "done_by", "created_at"],
    )


def refusals(expert):
    reasons = []
    if count := FollowUp.objects.open().filter(expert=expert).count():
        reasons.append(f"该专家还有 {count} 条未办结的问题跟踪。")
    if count := EventReport.objects.filter(expert=expert).exclude(stage=ReportStage.ACCEPTED).count():
        reasons.append(f"该专家还有 {count} 份五报告在审核或退回修改中。")
    if count := Pairing.objects.active().filter(expert=expert).count():
        reasons.append(f"该专家还有 {count} 个未结束的结对联系。")
    return reasons


def anonymise(expert, scrubber):
    """Names and contact details go from the liaison records; the rows stay, so coverage counts stay."""
    pairings = Pairing.objects.filter(expert=expert)
    scrubber.rows(pairings, "end_note")
    scrubber.log_entries(PairingLogEntry.objects.filter(pairing__in=pairings))
    records = ContactRecord.objects.filter(experts=expert)
    scrubber.rows(records, "summary", "staff_present")
    scrubber.log_entries(ContactLogEntry.objects.filter(contact__in=records))
    # Materials of a contact with this expert alone are about them (photos, letters); a group's stay.
    alone = ContactRecord.objects.filter(pk__in=records.values("pk")).annotate(experts_count=Count("experts"))
    for attachment in ContactAttachment.objects.filter(record__in=alone.filter(experts_count=1)):
        delete_when_committed(attachment.file)
        attachment.delete()
    follow_ups = FollowUp.objects.filter(expert=expert)
    scrubber.rows(follow_ups, "problem", "owner", "outcome")
    scrubber.log_entries(FollowUpLogEntry.objects.filter(follow_up__in=follow_ups))
    reports = EventReport.objects.filter(expert=expert)
    reports.update(details=CLEARED_DETAILS)
    scrubber.rows(ReportStep.objects.filter(report__in=reports), "comment")
    scrubber.log_entries(EventReportLogEntry.objects.filter(report__in=reports))
