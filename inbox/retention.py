"""The ledger keeps who wrote and about what no longer than the intake queue keeps it (intake.retention):
a registered message's row is cleared with its item, any other after INTAKE_PERSONAL_DATA_RETENTION_DAYS."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import MailboxMessage


def clear_expired():
    cutoff = timezone.now() - timedelta(days=settings.INTAKE_PERSONAL_DATA_RETENTION_DAYS)
    expired = Q(item__personal_data_cleared_at__isnull=False) | Q(item__isnull=True, recorded_at__lt=cutoff)
    return (
        MailboxMessage.objects.filter(expired)
        .exclude(sender_name="", sender_address="", subject="")
        .update(sender_name="", sender_address="", subject="")
    )
