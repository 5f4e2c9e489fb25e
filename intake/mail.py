"""Mail about intake items, sent by the background worker after the submitting transaction commits.

The task row is written in the same transaction as the item (the queue is in the
database), so the worker sees it only once the item is committed, and a mail server
that fails never undoes a submission: the task is tried again later, up to
`len(INTAKE_MAIL_RETRY_DELAYS)` more times.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task
from wagtail.models import Site

from base.models import PortalSettings

from .models import ContactPage, IntakeItem

logger = logging.getLogger("portal.intake")

# message name -> who receives it
RECEIPT = "receipt"  # the submitter: tracking number and query code
OFFICE_NOTICE = "office_notice"  # the talent office's mailbox: a new item arrived
ASSIGNED = "assigned"  # the assignee: an item to handle
SUPERVISED = "supervised"  # the assignee: the office supervises the item
CLOSED = "closed"  # the submitter: the reply is ready on the tracking page
REOPENED = "reopened"  # the office and the assignee: the expert rated the reply 不满意 on the tracking page
# The department (its contact e-mail and its users), with a link to the item's page for departments.
DEPARTMENT_ASSIGNED = "department_assigned"  # an item to handle
REPLY_RETURNED = "reply_returned"  # the office returned the proposed reply
EXTENSION_DECIDED = "extension_decided"  # the office decided on the request for more time
DEPARTMENT_REOPENED = "department_reopened"  # the item is back in hand: the expert was not satisfied
DEPARTMENT_MESSAGES = (DEPARTMENT_ASSIGNED, REPLY_RETURNED, EXTENSION_DECIDED, DEPARTMENT_REOPENED)
# The talent office's mailbox, as OFFICE_NOTICE: a department waits for its decision.
REPLY_PROPOSED = "reply_proposed"
EXTENSION_REQUESTED = "extension_requested"
OFFICE_MESSAGES = (OFFICE_NOTICE, REPLY_PROPOSED, EXTENSION_REQUESTED)


def recipients(message, item, portal):
    if message in (RECEIPT, CLOSED):
        return [item.email] if item.email else []
    office = [portal.mailbox] if portal.mailbox else []
    if message in OFFICE_MESSAGES:
        return office
    if message in DEPARTMENT_MESSAGES:
        return department_addresses(item.department) if item.department else []
    addresses = [item.assignee.email] if item.assignee and item.assignee.email else []
    return office + addresses if message == REOPENED else addresses


def department_addresses(department):
    users = department.members.filter(is_active=True).exclude(email="").order_by("pk")
    addresses = [department.contact_email] if department.contact_email else []
    return addresses + [email for email in users.values_list("email", flat=True) if email not in addresses]


def build_message(message, item, query_code=""):
    site = Site.objects.filter(is_default_site=True).first()
    portal = PortalSettings.for_site(site) if site else PortalSettings()
    to = recipients(message, item, portal)
    if not to:
        return None
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    contact_page = ContactPage.objects.live().first()
    context = {
        "item": item,
        "query_code": query_code,
        "portal": portal,
        "base_url": base_url,
        "track_url": base_url + contact_page.url + contact_page.reverse_subpage("track") if contact_page else base_url,
    }
    subject, _, body = render_to_string(f"intake/mail/{message}.txt", context).strip().partition("\n")
    return EmailMessage(subject=subject.strip(), body=body.strip() + "\n", to=to)


@task(backend="background", queue_name="mail")
def send_intake_mail(message, item_id, query_code="", attempt=1):
    item = IntakeItem.objects.select_related("assignee", "department").filter(pk=item_id).first()
    email = build_message(message, item, query_code) if item else None
    if email is None:
        return "no recipient"
    try:
        email.send()
    except (smtplib.SMTPException, OSError):
        delays = settings.INTAKE_MAIL_RETRY_DELAYS
        if attempt <= len(delays):
            retry_at = timezone.now() + timedelta(seconds=delays[attempt - 1])
            send_intake_mail.using(run_after=retry_at).enqueue(message, item_id, query_code, attempt + 1)
            logger.warning("Mail %s for %s failed (attempt %d); retrying at %s", message, item, attempt, retry_at)
        else:
            logger.error("Mail %s for %s failed %d times; giving up", message, item, attempt)
        raise
    return f"sent to {len(email.to)}"


def queue_mail(message, item, query_code=""):
    send_intake_mail.enqueue(message, item.pk, query_code)
