"""Request ids and structured logs: X-Request-ID from nginx (or a new one) on every log line of the
request and in the response; one access line per request without the query string; LOG_FORMAT=json
writes one JSON object per line."""

import io
import json
import logging
import re
import sys

import pytest

from base.logs import JsonFormatter, RequestIdFilter
from tests.test_settings import manage

NEW_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def json_log():
    """The portal's and Django's request loggers written as the LOG_FORMAT=json handler writes them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    loggers = [logging.getLogger(name) for name in ("portal.request", "django.request")]
    for logger in loggers:
        logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for logger in loggers:
        logger.removeHandler(handler)


def test_the_proxys_request_id_is_echoed_and_on_the_access_line(client, db, json_log):
    response = client.get("/robots.txt?code=ABCD-1234-SECRET", HTTP_X_REQUEST_ID="9f86d081884c7d659a2feaa0c55ad015")
    assert response["X-Request-ID"] == "9f86d081884c7d659a2feaa0c55ad015"
    [line] = json_log()
    assert line["logger"] == "portal.request" and line["level"] == "INFO"
    assert line["request_id"] == "9f86d081884c7d659a2feaa0c55ad015"
    # The path only: a query string may hold an intake query code or personal data.
    assert (line["method"], line["path"], line["status"]) == ("GET", "/robots.txt", 200)
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert "SECRET" not in json.dumps(line)


@pytest.mark.parametrize(
    "hostile",
    [
        "",
        "short",
        "x" * 65,
        "abc def ghi jkl",
        "0123456789abcdef\nforged line",
        '"}{"level":"CRITICAL',
        "编号一二三四五六七八",
    ],
)
def test_a_missing_or_hostile_request_id_is_replaced(client, db, json_log, hostile):
    response = client.get("/robots.txt", HTTP_X_REQUEST_ID=hostile)
    assert NEW_ID.fullmatch(response["X-Request-ID"])
    assert json_log()[0]["request_id"] == response["X-Request-ID"]


def test_each_request_gets_its_own_id(client, db):
    first, second = (client.get("/robots.txt")["X-Request-ID"] for _ in range(2))
    assert first != second


def test_djangos_own_error_line_carries_the_request_id(client, db, json_log, settings, tmp_path):
    # Django logs a 4xx or 5xx answer that a view returned after the whole middleware stack has
    # returned: here /readyz's 503, no worker having beaten yet.
    settings.MEDIA_ROOT = tmp_path
    assert client.get("/readyz", HTTP_X_REQUEST_ID="req-0001-from-nginx").status_code == 503
    lines = json_log()
    assert {line["logger"] for line in lines} == {"portal.request", "django.request"}
    assert all(line["request_id"] == "req-0001-from-nginx" for line in lines)
    # Outside a request, no id (nor the last request's).
    logging.getLogger("portal.request").info("between requests")
    assert "request_id" not in json_log()[-1]


def test_a_calendar_feeds_secret_address_is_masked(client, db, json_log):
    client.get("/calendar/1/k3y-that-opens-a-leaders-calendar.ics")
    access = next(line for line in json_log() if line["logger"] == "portal.request")
    assert access["path"] == "/calendar/1/….ics"


def test_a_traceback_stays_on_one_line():
    record = logging.LogRecord("portal", logging.ERROR, __file__, 1, "导入失败：%s", ("第3行",), None)
    try:
        raise ValueError("boom")
    except ValueError:
        record.exc_info = sys.exc_info()
    output = JsonFormatter().format(record)
    assert "\n" not in output
    entry = json.loads(output)
    assert entry["message"] == "导入失败：第3行"
    assert entry["exception"].startswith("Traceback") and "ValueError: boom" in entry["exception"]


def test_log_format_json_makes_every_line_of_a_request_a_json_object(tmp_path):
    # The settings' wiring, in a process of its own: the health check fails (no database in this
    # folder) and logs from three loggers during the request.
    probe = (
        "from django.test import Client\n"
        "r = Client(raise_request_exception=False).get('/healthz?name=%E5%BC%A0%E6%9F%90%E4%B8%80', "
        "HTTP_X_REQUEST_ID='5e884898da28047151d0e56f8dc62927')\n"
        "print('status', r.status_code, r['X-Request-ID'])\n"
    )
    env = {"DJANGO_SETTINGS_MODULE": "portal.settings.test", "PORTAL_VAR_DIR": str(tmp_path), "LOG_FORMAT": "json"}
    result = manage("shell", "--no-imports", "-c", probe, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["status", "503", "5e884898da28047151d0e56f8dc62927"]
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert {line["logger"] for line in lines} == {"base.health", "portal.request", "django.request"}
    assert all(line["request_id"] == "5e884898da28047151d0e56f8dc62927" for line in lines)
    assert "张某一" not in result.stderr and "name=" not in result.stderr


def test_an_unknown_log_format_is_refused(tmp_path):
    result = manage("check", env={"DJANGO_SETTINGS_MODULE": "portal.settings.test", "LOG_FORMAT": "xml"})
    assert result.returncode != 0
    assert "LOG_FORMAT must be plain or json" in result.stderr
