"""Wagtail log entries of the liaison records, one table per model, scoped like the rows (staff.models)."""

from django.db import models

from staff.models import RecordLogEntry


class LeaderLogEntry(RecordLogEntry):
    leader = models.ForeignKey(
        "liaison.Leader", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", verbose_name="联系领导"
    )
    record_field = "leader"

    class Meta(RecordLogEntry.Meta):
        verbose_name = verbose_name_plural = "联系领导操作日志"


class LeaderOfficeLogEntry(RecordLogEntry):
    office = models.ForeignKey(
        "liaison.LeaderOffice",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name="领导办公室",
    )
    record_field = "office"

    class Meta(RecordLogEntry.Meta):
        verbose_name = verbose_name_plural = "领导办公室操作日志"


class PairingLogEntry(RecordLogEntry):
    pairing = models.ForeignKey(
        "liaison.Pairing", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", verbose_name="结对联系"
    )
    record_field = "pairing"

    class Meta(RecordLogEntry.Meta):
        verbose_name = verbose_name_plural = "结对联系操作日志"


class ContactLogEntry(RecordLogEntry):
    contact = models.ForeignKey(
        "liaison.ContactRecord",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name="联系服务记录",
    )
    record_field = "contact"

    class Meta(RecordLogEntry.Meta):
        verbose_name = verbose_name_plural = "联系服务记录操作日志"


class FollowUpLogEntry(RecordLogEntry):
    follow_up = models.ForeignKey(
        "liaison.FollowUp", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", verbose_name="问题跟踪"
    )
    record_field = "follow_up"

    class Meta(RecordLogEntry.Meta):
        verbose_name = verbose_name_plural = "问题跟踪操作日志"


class EventReportLogEntry(RecordLogEntry):
    report = models.ForeignKey(
        "liaison.EventReport", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", verbose_name="五报告"
    )
    record_field = "report"

    class Meta(RecordLogEntry.Meta):
        verbose_name = verbose_name_plural = "五报告操作日志"
