"""Expert imports as background tasks: the one module that changes an import's state.

upload → `check_import` (the worker reads the file and checks every row, saving nothing)
→ preview → confirm → `store_import` (all rows in one transaction, or none) → result.
Cancelling, failing or being abandoned ends an import too. Whatever ends it, the uploaded
file and the parsed rows are deleted then; the result stays for the user to read.
"""

import io
import time
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from security.audit import SUCCESS, audit_data
from staff.levels import Level
from staff.scoping import level_scope

from . import imports
from .models import ExpertImport, ImportState
from .models.imports import OPEN_STATES

QUEUE = "imports"
# An import with no progress for this long is abandoned: a preview nobody confirmed, or a
# task whose worker died. Its rows are deleted then.
ABANDONED_AFTER = timedelta(hours=2)
# An ended import's result (names, error text) is personal data: kept for its user to read, not longer.
KEEP_READ_RESULTS = timedelta(days=7)
KEEP_UNREAD_RESULTS = timedelta(days=30)
# SQLite lets one connection write at a time, and a writer waiting for its turn retries every
# 100 ms at most: a pause this long between the check's transactions lets the site's own
# writes (sessions, forms) in, instead of making them wait for the whole check.
SQLITE_PAUSE = 0.15


class ImportEnded(Exception):
    """The import was cancelled or abandoned while its task ran."""


def _advance(job, from_states, *, idle_since=None, **changes):
    """Moves `job` on if it is still in one of `from_states` (and, with `idle_since`, made no progress
    after that time); False if something else moved it first. Ending an import deletes its file and rows."""
    now = timezone.now()
    changes.setdefault("updated_at", now)
    if changes.get("state") not in (*OPEN_STATES, None):
        changes.update(finished_at=now, upload=None, rows=None)
    current = ExpertImport.objects.filter(pk=job.pk, state__in=from_states)
    if idle_since:
        current = current.filter(updated_at__lte=idle_since)
    moved = current.update(**changes)
    if moved:
        for name, value in changes.items():
            setattr(job, name, value)
    return bool(moved)


# What the views start --------------------------------------------------------------------


def start_import(upload, *, user):
    """Keeps the uploaded file and queues its check; the worker reads it."""
    job = ExpertImport.objects.create(
        started_by=user,
        level=level_scope(user) or Level.CITY,
        file_name=upload.name,
        upload=upload.read(),
    )
    check_import.enqueue(job.pk)
    expire_import.using(run_after=job.updated_at + ABANDONED_AFTER).enqueue(job.pk)
    return job


def confirm_import(job, request):
    """Queues the storing of a checked import; False unless it is waiting for confirmation."""
    confirmed = _advance(
        job,
        [ImportState.READY],
        state=ImportState.IMPORTING,
        queued_at=timezone.now(),
        worker_started_at=None,
        confirmed_from=audit_data(request)["ip"],
    )
    if confirmed:
        store_import.enqueue(job.pk)
    return confirmed


def cancel_import(job):
    """Ends an import that is being checked or awaits confirmation; nothing was stored."""
    return _advance(job, [ImportState.CHECKING, ImportState.READY], state=ImportState.CANCELLED)


def mark_seen(job):
    """The user has read the result of an ended import."""
    if job.state not in OPEN_STATES and job.seen_at is None:
        job.seen_at = timezone.now()
        ExpertImport.objects.filter(pk=job.pk).update(seen_at=job.seen_at)


def prune_ended_imports():
    """Deletes ended imports whose result was read a week ago, or that ended a month ago; returns how many."""
    now = timezone.now()
    ended = ExpertImport.objects.exclude(state__in=OPEN_STATES)
    stale = ended.filter(seen_at__lte=now - KEEP_READ_RESULTS) | ended.filter(
        finished_at__lte=now - KEEP_UNREAD_RESULTS
    )
    deleted, _ = stale.delete()
    return deleted


# What the worker runs ------------------------------------------------------------------


def _run(job, state, work):
    """Runs `work` for a job in `state`; an unexpected error fails the import (nothing is stored) and the task."""
    if not _advance(job, [state], worker_started_at=timezone.now()):
        return "ended"
    try:
        return work(job)
    except ImportEnded:
        return "ended"
    except Exception:
        _advance(job, [state], state=ImportState.FAILED)
        raise  # the worker logs it and keeps the traceback with the task


@task(backend="background", queue_name=QUEUE)
def check_import(import_id):
    job = ExpertImport.objects.select_related("started_by").filter(pk=import_id).first()
    return _run(job, ImportState.CHECKING, _check) if job else "gone"


def _check(job):
    try:
        rows = imports.read_rows(io.BytesIO(bytes(job.upload)))
    except imports.ImportFileError as error:
        _advance(job, [ImportState.CHECKING], state=ImportState.REFUSED, file_error=str(error))
        return "file refused"
    if not _advance(job, [ImportState.CHECKING], upload=None, rows=rows, total=len(rows)):
        raise ImportEnded

    def progress(checked):
        if not _advance(job, [ImportState.CHECKING], checked=checked):
            raise ImportEnded
        if connection.vendor == "sqlite":
            time.sleep(SQLITE_PAUSE)

    outcome = imports.check_rows(rows, user=job.started_by, progress=progress)
    row_results = [row.as_json() for row in outcome.rows]
    if outcome.is_valid:
        _advance(job, [ImportState.CHECKING], state=ImportState.READY, row_results=row_results)
    else:
        _advance(job, [ImportState.CHECKING], state=ImportState.REFUSED, row_results=row_results)
    return f"{len(outcome.rows)} rows checked, {len(outcome.error_rows)} with errors"


@task(backend="background", queue_name=QUEUE)
def store_import(import_id):
    job = ExpertImport.objects.select_related("started_by").filter(pk=import_id).first()
    return _run(job, ImportState.IMPORTING, _store) if job else "gone"


def _store(job):
    # The new state is written in the experts' transaction: stored rows and "已导入" commit together.
    with transaction.atomic():
        # Each expert's entry, like every audit entry, says from where and with which result.
        log_data = {"ip": job.confirmed_from, "result": SUCCESS, "import": job.pk}
        outcome = imports.store_rows(job.rows, user=job.started_by, log_data=log_data)
        if outcome.is_valid:
            if not _advance(job, [ImportState.IMPORTING], state=ImportState.IMPORTED, imported=len(outcome.rows)):
                raise ImportEnded  # undoes the stored rows
            return f"{len(outcome.rows)} experts imported"
    # The database changed since the preview: the errors as they are now; nothing was stored.
    row_results = [row.as_json() for row in outcome.rows]
    _advance(job, [ImportState.IMPORTING], state=ImportState.REFUSED, row_results=row_results)
    return f"refused, {len(outcome.error_rows)} rows with errors"


@task(backend="background", queue_name=QUEUE)
def expire_import(import_id):
    """Ends an import that made no progress for ABANDONED_AFTER; looks again later while it moves."""
    job = ExpertImport.objects.filter(pk=import_id, state__in=OPEN_STATES).first()
    if job is None:
        return "ended"
    if _advance(job, OPEN_STATES, idle_since=timezone.now() - ABANDONED_AFTER, state=ImportState.EXPIRED):
        return "expired"
    last_move = ExpertImport.objects.filter(pk=job.pk).values_list("updated_at", flat=True).get()
    expire_import.using(run_after=last_move + ABANDONED_AFTER).enqueue(job.pk)
    return "still active"
