"""`run_scheduled_jobs`, which bin/serve and the systemd timer run every minute: scheduled pages
go live and finished background tasks, which hold receipts' query codes, are deleted."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import Page

from base.models import StandardPage
from intake.mail import RECEIPT, send_intake_mail


def enqueue_receipt(status, finished_ago=None):
    result = send_intake_mail.enqueue(RECEIPT, 1, "query-code-123456")
    row = DBTaskResult.objects.get(pk=result.id)
    row.status = status
    if finished_ago is not None:
        row.finished_at = timezone.now() - finished_ago
    row.save()
    return row.pk


@pytest.mark.django_db
def test_finished_tasks_are_pruned_after_a_day_and_waiting_ones_kept():
    old_sent = enqueue_receipt("SUCCESSFUL", timedelta(days=2))
    old_failed = enqueue_receipt("FAILED", timedelta(days=2))
    recent = enqueue_receipt("SUCCESSFUL", timedelta(hours=1))
    waiting = enqueue_receipt("READY")

    call_command("run_scheduled_jobs", stdout=io.StringIO())

    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {recent, waiting}
    assert not DBTaskResult.objects.filter(pk__in=[old_sent, old_failed]).exists()


@pytest.mark.django_db
def test_a_page_scheduled_for_a_past_time_goes_live():
    home = Page.objects.get(depth=1).get_children().first()
    page = StandardPage(title="定时发布的通知", slug="scheduled", live=False)
    home.add_child(instance=page)
    page.save_revision(approved_go_live_at=timezone.now() - timedelta(minutes=1))

    call_command("run_scheduled_jobs", stdout=io.StringIO())

    page.refresh_from_db()
    assert page.live
