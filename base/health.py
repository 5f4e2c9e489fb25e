"""What /healthz (liveness) and /readyz (readiness) check, and the task worker's heartbeat.

The heartbeat proves the worker processes tasks: every minute the scheduled job queues a task that
does nothing, and the time the worker finished it (django_tasks_db's own `finished_at`) is the
heartbeat. Finished tasks are pruned with the others (base.wagtail_hooks.prune_finished_tasks).
"""

import logging
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.db.models import Max
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

HEARTBEAT_QUEUE = "health"
# Media is public (nginx serves it): the sentinel says nothing but that the storage is there.
STORAGE_SENTINEL = "health/readyz.txt"


def database_reachable():
    name = connection.settings_dict["NAME"]
    # Connecting to a missing SQLite file would create an empty database in its place.
    if connection.vendor == "sqlite" and not connection.is_in_memory_db() and not Path(name).is_file():
        logger.error("Health check: the SQLite file %s does not exist.", name)
        return False
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("Health check: the database does not answer.")
        return False
    return True


def cache_answers():
    # A key of its own per probe: concurrent probes from other processes never read each other's.
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=30)
    try:
        return cache.get(key) == "ok"
    finally:
        cache.delete(key)


def storage_answers():
    """One cheap request when the sentinel is there; it is written once (and again after a store was
    emptied), which also proves the storage accepts files: a missing S3 bucket answers "not found" too."""
    if default_storage.exists(STORAGE_SENTINEL):
        return True
    default_storage.save(STORAGE_SENTINEL, ContentFile(b"ok\n"))
    return default_storage.exists(STORAGE_SENTINEL)


def last_heartbeat():
    heartbeats = DBTaskResult.objects.filter(queue_name=HEARTBEAT_QUEUE, status=TaskResultStatus.SUCCESSFUL)
    return heartbeats.aggregate(last=Max("finished_at"))["last"]


def worker_state():
    last = last_heartbeat()
    if last is None:
        return "missing"
    max_age = timedelta(seconds=settings.READYZ_HEARTBEAT_MAX_AGE_SECONDS)
    return "ok" if timezone.now() - last <= max_age else "stale"


def run_check(name, check):
    """Says "ok" or "unavailable"; the reason goes to the log, never into the answer."""
    try:
        return "ok" if check() else "unavailable"
    except Exception:
        logger.warning("Readiness check %s failed.", name, exc_info=True)
        return "unavailable"


def readiness():
    """Each check by name: "ok", or why not ("unavailable", a heartbeat "stale" or "missing", or
    "unknown" when the database it is read from does not answer)."""
    checks = {"database": "ok" if database_reachable() else "unavailable"}
    checks["cache"] = run_check("cache", cache_answers)
    checks["storage"] = run_check("storage", storage_answers)
    if checks["database"] != "ok":
        checks["worker"] = "unknown"
    else:
        try:
            checks["worker"] = worker_state()
        except DatabaseError:
            logger.warning("Readiness check worker failed.", exc_info=True)
            checks["worker"] = "unavailable"
    return checks


@task(backend="background", queue_name=HEARTBEAT_QUEUE)
def heartbeat():
    """Nothing to do: the worker finishing it is the heartbeat."""


def queue_heartbeat():
    """The scheduled job: one heartbeat waiting at a time, so a stopped worker does not find a pile."""
    if not DBTaskResult.objects.filter(queue_name=HEARTBEAT_QUEUE, status=TaskResultStatus.READY).exists():
        heartbeat.enqueue()
