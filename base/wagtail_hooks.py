from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import format_html
from wagtail import hooks

from . import admin_wording, health, review_messages, scheduled_jobs  # noqa: F401 - admin_wording acts on import
from .page_cache import mark_cacheable
from .viewsets import PortalPageViewSet


@hooks.register("insert_global_admin_css")
def admin_lists_css():
    return format_html('<link rel="stylesheet" href="{}">', static("base/admin_lists.css"))


@hooks.register(scheduled_jobs.HOOK)
def publish_scheduled():
    """Pages and snippets scheduled for a later time go live, or expire."""
    call_command("publish_scheduled", verbosity=0)


@hooks.register(scheduled_jobs.HOOK)
def prune_finished_tasks():
    """Finished background tasks keep their arguments, a receipt's query code among them."""
    call_command(
        "prune_db_task_results",
        "--backend=background",
        "--queue-name=*",
        f"--min-age-days={settings.FINISHED_TASK_RETENTION_DAYS}",
        "--verbosity=0",
    )


# The task worker's heartbeat, which /readyz reads.
hooks.register(scheduled_jobs.HOOK, health.queue_heartbeat)


@hooks.register(scheduled_jobs.HOOK)
def refresh_sqlite_statistics(now=None):
    """On SQLite, ANALYZE once an hour (and whenever no statistics exist): without them its
    planner answers a join filtered by `IN (subquery)` by probing every row's index with every
    value, which took 85 s instead of 0.5 for the liaison coverage at 100,000 contact records.
    The limit samples each index, so this takes milliseconds. PostgreSQL's autovacuum does the same."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        analysed = cursor.fetchone()[0]
        if analysed and (now or timezone.now()).minute != 0:
            return
        cursor.execute("PRAGMA analysis_limit = 1000")
        cursor.execute("ANALYZE")


@hooks.register("before_serve_page")
def allow_public_page_cache(page, request, serve_args, serve_kwargs):
    # Page types opt in, naming the query parameters they read; the contact page (a form,
    # per-user results) does not.
    if getattr(page, "public_page_cache", False):
        mark_cacheable(request, getattr(page, "public_page_cache_params", ()))


@hooks.register("register_admin_viewset")
def register_page_viewset():
    # For `Page`, so every page type: it replaces Wagtail's default, registered with order=-1.
    return PortalPageViewSet()


hooks.register("after_edit_page", review_messages.announce_approval)
