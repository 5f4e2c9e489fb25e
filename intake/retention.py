"""Personal data of finished intake items is kept for INTAKE_PERSONAL_DATA_RETENTION_DAYS, then cleared.

A finished item (不予受理, 已办结, 已回访) counts from the day it finished: its closing time, or for a
rejected item the time of the rejection. The scheduled job (`clear_expired`, run every minute by
`manage.py run_scheduled_jobs`) clears a batch at a time, each item in its own transaction and with an
entry in the item's history. What statistics count stays: channel, kind, level, status, dates,
deadlines, handler, satisfaction; so does the public answer (公开答复), an anonymised copy of its own.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.log_actions import log

from base.attachments import delete_when_committed
from experts.privacy import Scrubber

from .anonymise import anonymised
from .models import IntakeItem, IntakeLogEntry, IntakeStep, Status, StepAction

CLEARED = "personal_data_cleared"
ACTION = f"intake.{CLEARED}"
ANONYMOUS_NAME = "已匿名"
CLEARED_MESSAGE = "（个人信息已清除）"
FINISHED_STATUSES = [Status.REJECTED, Status.CLOSED, Status.FOLLOWED_UP]
BATCH_SIZE = 200  # items cleared per scheduled run: a backlog drains over a few minutes

logger = logging.getLogger("portal")


def finished_items():
    """Finished items with `finished_at`: when they were closed, or rejected."""
    rejected_at = Subquery(
        IntakeStep.objects.filter(item=OuterRef("pk"), action=StepAction.REJECTED).order_by("-at").values("at")[:1]
    )
    return IntakeItem.objects.filter(status__in=FINISHED_STATUSES).annotate(
        finished_at=Coalesce("closed_at", rejected_at)
    )


def expired_items(now=None):
    """Finished items past the retention period whose personal data is still there, oldest first."""
    cutoff = (now or timezone.now()) - timezone.timedelta(days=settings.INTAKE_PERSONAL_DATA_RETENTION_DAYS)
    return (
        finished_items()
        .filter(personal_data_cleared_at__isnull=True, finished_at__lt=cutoff)
        .order_by("finished_at", "pk")
    )


@transaction.atomic
def clear_personal_data(item, *, reason, user=None, also=None):
    """Clears the submitter's personal data from `item`, its steps and its history; irreversible.

    Names, unit and contact details go from every text (intake.anonymise's rule), the message and the
    attachment go whole, the link to an expert record goes. `also` (a text function) scrubs more.
    """
    item = IntakeItem.objects.select_for_update().get(pk=item.pk)
    more = also or (lambda text: text)
    scrubber = Scrubber(lambda text: more(anonymised(text, item)))
    scrubber.rows(IntakeStep.objects.filter(item=item), "note", "public_note")
    scrubber.log_entries(IntakeLogEntry.objects.filter(item=item))
    for field in ["subject", "reply", "rejection_reason", "satisfaction_note", "supervision_comment"]:
        setattr(item, field, scrubber.text(getattr(item, field)))
    delete_when_committed(item.attachment)
    item.attachment = ""
    item.name = ANONYMOUS_NAME
    item.unit = item.mobile = item.email = item.attachment_name = ""
    item.message = CLEARED_MESSAGE
    item.expert = None
    item.personal_data_cleared_at = timezone.now()
    item.save()
    log(item, ACTION, user=user, data={"reason": reason})
    return item


def clear_expired(now=None, limit=BATCH_SIZE):
    """Clears the personal data of up to `limit` expired items; returns how many. A second run finds none."""
    items = list(expired_items(now)[:limit])
    days = settings.INTAKE_PERSONAL_DATA_RETENTION_DAYS
    for item in items:
        clear_personal_data(item, reason=f"办结后超过保存期限（{days}天）")
    if items:
        logger.info("Cleared the personal data of %d intake items past retention", len(items))
    return len(items)
