"""The daily reminder mail (`manage.py send_reminders`, and the scheduled job once a day): one mail
per person per day listing what reminders.due finds, none when nothing is due.

The ledger row (ReminderDelivery) and the queued mail (a task row of the database queue, as
intake.mail does) are written in one transaction: the unique (user, date) pair lets one of two runs
of the same day through, and a run that fails for one person leaves nothing half done for them.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from .due import due_groups
from .models import ReminderDelivery, ReminderRun

logger = logging.getLogger("portal.reminders")

QUEUED = "已排队发送"
ALREADY_SENT = "今日已发送，不再发送"
DRY_RUN = "将发送（试运行，未发送）"


@dataclass
class Reminder:
    user: object
    groups: list
    subject: str
    body: str
    outcome: str = ""

    @property
    def item_count(self):
        return sum(group.count for group in self.groups)


def recipients():
    """Active staff (a user in any group) with an e-mail address; a superuser in no group gets none."""
    users = get_user_model().objects.filter(is_active=True, groups__isnull=False).exclude(email="")
    return users.distinct().order_by("pk")


def build(user, groups, today):
    """(subject, body) of `user`'s reminder, the links absolute on the admin's address."""
    context = {
        "user": user,
        "name": user.get_full_name() or user.get_username(),
        "groups": groups,
        "today": today,
        "count": sum(group.count for group in groups),
        "base_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/"),
    }
    subject, _, body = render_to_string("reminders/mail/reminder.txt", context).strip().partition("\n")
    return subject.strip(), body.strip() + "\n"


@task(backend="background", queue_name="mail")
def send_reminder(delivery_id, subject, body):
    delivery = ReminderDelivery.objects.select_related("user").filter(pk=delivery_id).first()
    if delivery is None or not delivery.user.email:
        return "no recipient"
    EmailMessage(subject=subject, body=body, to=[delivery.user.email]).send()
    ReminderDelivery.objects.filter(pk=delivery_id).update(sent_at=timezone.now())
    return "sent"


def send_reminders(today=None, dry_run=False):
    """Queues today's reminder of each person something is due for, unless one was queued already;
    returns the [Reminder]s with what happened to each. `dry_run` writes nothing."""
    today = today or timezone.localdate()
    sent = set(ReminderDelivery.objects.filter(date=today).values_list("user_id", flat=True))
    reminders = []
    for user in recipients():
        if user.pk in sent and not dry_run:
            continue
        groups = due_groups(user, today)
        if not groups:
            continue
        reminder = Reminder(user, groups, *build(user, groups, today))
        if dry_run:
            reminder.outcome = ALREADY_SENT if user.pk in sent else DRY_RUN
        else:
            reminder.outcome = queue(reminder, today)
        reminders.append(reminder)
    return reminders


def queue(reminder, today):
    summary = {group.title: group.count for group in reminder.groups}
    try:
        with transaction.atomic():
            delivery = ReminderDelivery.objects.create(
                user=reminder.user, date=today, item_count=reminder.item_count, summary=summary
            )
            send_reminder.enqueue(delivery.pk, reminder.subject, reminder.body)
    except IntegrityError:  # another run got there first
        return ALREADY_SENT
    logger.info("Reminder of %s queued for %s: %d items", today, reminder.user.get_username(), reminder.item_count)
    return QUEUED


def scheduled_reminders(now=None):
    """The scheduled job (every minute): the day's reminders once, from REMINDERS_SEND_HOUR (Beijing time) on."""
    now = timezone.localtime(now)
    if now.hour < settings.REMINDERS_SEND_HOUR:
        return
    run, created = ReminderRun.objects.get_or_create(date=now.date())
    if not created:
        return
    try:
        send_reminders(now.date())
    except Exception:
        run.delete()  # the next minute tries again; the ledger keeps whoever was queued from a second mail
        raise
