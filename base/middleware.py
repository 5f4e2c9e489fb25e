"""Requests answered before sessions, the page cache or the page tree are looked at."""

from django.http import HttpResponseBadRequest

from .views import healthz

HEALTHZ_PATH = "/healthz"


class HealthCheckMiddleware:
    """/healthz, ahead of the page cache: without Redis that cache is a database table, and
    reading it first would answer a 500 (or create an empty SQLite file) instead of the check's 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTHZ_PATH:
            return healthz(request)
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
