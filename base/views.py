import logging
from pathlib import Path

from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_safe

logger = logging.getLogger(__name__)


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request):
    # Browsers ask for /favicon.ico whatever the page links. Not a permanent redirect: the target's
    # name carries the file's hash in production, and a new icon gets a new name.
    return HttpResponseRedirect(static("favicon.ico"))


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


@require_safe
def healthz(request):
    """For the proxy and process supervisor: "ok" when the database answers, else a 503.

    Served by base.middleware.HealthCheckMiddleware, ahead of the page cache.
    """
    if not database_reachable():
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
