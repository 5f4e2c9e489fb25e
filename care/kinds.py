"""The care records' kinds (programme/kinds.py), registered when the admin loads (wagtail_hooks.py)."""

from django.db.models import Q

from programme.kinds import ServiceKind, register
from programme.models import AttendanceStatus

from . import models

CHAPTER = "care"
CHECKUPS = register(ServiceKind("care_checkups", models.CheckupRound, "集中体检", CHAPTER, coverage="参加集中体检"))
# Offered a place: invited, whether they went or not (the plan asks who has not been offered one).
RECUPERATION = register(
    ServiceKind(
        "care_recuperation",
        models.RecuperationTrip,
        "休假疗养",
        CHAPTER,
        coverage="安排休假疗养",
        counted=tuple(AttendanceStatus),
    )
)
GREEN_CHANNEL = register(
    ServiceKind(
        "care_green_channel",
        models.GreenChannelRequest,
        "诊疗绿色通道",
        CHAPTER,
        sensitive=True,
        still_open=~Q(status=models.GreenChannelStatus.CLOSED),
    )
)
LECTURES = register(
    ServiceKind(
        "care_lectures",
        models.HealthLecture,
        "健康知识讲座",
        CHAPTER,
        coverage="参加健康讲座",
    )
)
FAMILY_SUPPORT = register(
    ServiceKind(
        "care_family_support",
        models.FamilySupport,
        "帮扶事项",
        CHAPTER,
        coverage="家属帮扶",
        still_open=Q(outcome=models.FamilySupportOutcome.IN_PROGRESS),
    )
)
