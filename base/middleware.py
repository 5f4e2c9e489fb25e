"""Requests answered before sessions, the page cache or the page tree are looked at, and the
request id with the access log line that wrap every request."""

import logging
import re
import time
import uuid

from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpResponseBadRequest

from .logs import request_id
from .views import healthz, readyz

# nginx's $request_id is 32 hex digits; other proxies send UUIDs. Anything else is replaced, so
# that a client cannot write what it likes into the logs.
REQUEST_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
access_log = logging.getLogger("portal.request")

PROBES = {"/healthz": healthz, "/readyz": readyz}


class HealthCheckMiddleware:
    """/healthz and /readyz, ahead of the page cache: without Redis that cache is a database table,
    and reading it first would answer a 500 (or create an empty SQLite file) instead of the check's 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if probe := PROBES.get(request.path_info):
            return probe(request)
        return self.get_response(request)


class RejectNulMiddleware:
    """A 400 for a NUL character in the address or the query string.

    PostgreSQL refuses NUL in text, so one reaching a query is a 500 there; no browser sends
    one. Form fields need no check here: Django's form CharField already refuses NUL.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        parameters = (text for key, values in request.GET.lists() for text in (key, *values))
        if "\x00" in request.path or any("\x00" in text for text in parameters):
            return HttpResponseBadRequest("网址中含有不允许的字符。", content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class RequestIdMiddleware:
    """Outermost: the request id (the proxy's X-Request-ID, or a new one) goes on every record logged
    while the request runs and back in the response's X-Request-ID; then one line per request on the
    "portal.request" logger, with the path but never the query string (it may hold an intake query
    code or personal data)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        current = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        # Kept until the response is closed: Django logs a 4xx or 5xx answer after the middleware.
        request_id.set(current)
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = current
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        path = logged_path(request)
        access_log.info(
            "%s %s %s %.1f ms",
            request.method,
            path,
            response.status_code,
            duration_ms,
            extra={"method": request.method, "path": path, "status": response.status_code, "duration_ms": duration_ms},
        )
        return response


@receiver(request_finished)
def forget_request_id(**kwargs):
    request_id.set(None)


def logged_path(request):
    # A calendar feed's address is its secret (reminders/urls.py).
    match = request.resolver_match
    if match and "token" in match.kwargs:
        return request.path.replace(str(match.kwargs["token"]), "…")
    return request.path
