"""The liaison work (联系服务, 《工作方案》二 and 三(一)): private records, never on the public site."""

from .attachments import ContactAttachment
from .contacts import (
    ACTIVITY_OF_KIND,
    MUST_VISIT_KINDS,
    SIX_ACTIVITIES,
    ContactKind,
    ContactMethod,
    ContactRecord,
    FollowUp,
    FollowUpStatus,
)
from .logs import (
    ContactLogEntry,
    EventReportLogEntry,
    FollowUpLogEntry,
    LeaderLogEntry,
    LeaderOfficeLogEntry,
    PairingLogEntry,
)
from .people import Body, Leader, LeaderOffice, Pairing
from .reports import SENSITIVE_KINDS, EventKind, EventReport, ReportStage, ReportStep
from .visits import MustVisit, VisitReason

__all__ = [
    "ACTIVITY_OF_KIND",
    "MUST_VISIT_KINDS",
    "SENSITIVE_KINDS",
    "SIX_ACTIVITIES",
    "Body",
    "ContactAttachment",
    "ContactKind",
    "ContactLogEntry",
    "ContactMethod",
    "ContactRecord",
    "EventKind",
    "EventReport",
    "EventReportLogEntry",
    "FollowUp",
    "FollowUpLogEntry",
    "FollowUpStatus",
    "Leader",
    "LeaderLogEntry",
    "LeaderOffice",
    "LeaderOfficeLogEntry",
    "MustVisit",
    "Pairing",
    "PairingLogEntry",
    "ReportStage",
    "ReportStep",
    "VisitReason",
]
