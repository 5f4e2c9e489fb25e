"""`run_scheduled_jobs`, which bin/serve and the systemd timer run every minute: scheduled pages
go live; finished background tasks (which hold receipts' query codes) and old import results are deleted."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail import hooks
from wagtail.models import Page

from base import scheduled_jobs
from base.models import StandardPage
from base.wagtail_hooks import refresh_sqlite_statistics
from experts.models import ExpertImport, ImportState
from intake.mail import RECEIPT, send_intake_mail
from staff.levels import Level


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

    # The mail queue's: the jobs also queued the worker's heartbeat (base/health.py).
    assert set(DBTaskResult.objects.filter(queue_name="mail").values_list("pk", flat=True)) == {recent, waiting}
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


@pytest.mark.django_db
def test_ended_imports_are_deleted_a_week_after_reading_or_a_month_after_ending(django_user_model):
    user = django_user_model.objects.create_user("rcb_import", password="x")
    now = timezone.now()

    def ended(state, finished_ago, seen_ago=None):
        return ExpertImport.objects.create(
            started_by=user,
            level=Level.CITY,
            file_name="experts.xlsx",
            state=state,
            finished_at=now - finished_ago,
            seen_at=None if seen_ago is None else now - seen_ago,
        ).pk

    read_long_ago = ended(ImportState.IMPORTED, timedelta(days=9), seen_ago=timedelta(days=8))
    unread_old = ended(ImportState.REFUSED, timedelta(days=31))
    read_lately = ended(ImportState.IMPORTED, timedelta(days=3), seen_ago=timedelta(days=2))
    unread_recent = ended(ImportState.REFUSED, timedelta(days=10))
    waiting = ExpertImport.objects.create(
        started_by=user, level=Level.CITY, file_name="a.xlsx", state=ImportState.READY
    ).pk

    call_command("run_scheduled_jobs", stdout=io.StringIO())

    assert set(ExpertImport.objects.values_list("pk", flat=True)) == {read_lately, unread_recent, waiting}
    assert not ExpertImport.objects.filter(pk__in=[read_long_ago, unread_old]).exists()


@pytest.mark.django_db
def test_a_failing_job_does_not_stop_the_others():
    def broken():
        raise RuntimeError("boom")

    old_sent = enqueue_receipt("SUCCESSFUL", timedelta(days=2))
    with hooks.register_temporarily(scheduled_jobs.HOOK, broken), pytest.raises(CommandError, match="broken"):
        call_command("run_scheduled_jobs", stdout=io.StringIO())
    assert not DBTaskResult.objects.filter(pk=old_sent).exists()


@pytest.mark.django_db
def test_sqlite_gets_its_planner_statistics_at_once_and_then_hourly():
    at = timezone.now().replace(minute=5)
    if connection.vendor != "sqlite":  # PostgreSQL's autovacuum keeps its statistics
        with CaptureQueriesContext(connection) as queries:
            refresh_sqlite_statistics(now=at)
        assert len(queries) == 0
        return

    def statistics():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if not cursor.fetchone()[0]:
                return None
            cursor.execute("SELECT count(*) FROM sqlite_stat1")
            return cursor.fetchone()[0]

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
    refresh_sqlite_statistics(now=at)  # none yet: analysed whatever the minute
    assert statistics()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sqlite_stat1")
    refresh_sqlite_statistics(now=at)
    assert statistics() == 0  # not again before the hour
    refresh_sqlite_statistics(now=at.replace(minute=0))
    assert statistics()
