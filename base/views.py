from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_safe

from .health import database_reachable, readiness


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


@require_safe
def healthz(request):
    """For the proxy and process supervisor: "ok" when the database answers, else a 503.

    Served by base.middleware.HealthCheckMiddleware, ahead of the page cache.
    """
    if not database_reachable():
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@require_safe
@never_cache
def readyz(request):
    """For a load balancer: 200 when the database, the cache, the media storage and the task worker
    (its heartbeat) all answer, else a 503; the body names each check (base.health.readiness).

    Served by base.middleware.HealthCheckMiddleware, ahead of the page cache.
    """
    checks = readiness()
    ready = all(state == "ok" for state in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)
