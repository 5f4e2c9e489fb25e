"""/readyz: 200 when the database, the cache, the media storage and the task worker's heartbeat all
answer; a 503 naming the check when any one of them does not."""

import io
import json
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from base import health
from tests.task_worker import run_task_worker
from tests.test_security_headers import assert_public_headers
from tests.test_settings import PRODUCTION, manage

ALL_OK = {"database": "ok", "cache": "ok", "storage": "ok", "worker": "ok"}


def probe(client):
    response = client.get("/readyz")
    assert response["Content-Type"] == "application/json"
    return response.status_code, json.loads(response.content)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def beating(db, media):
    """A worker that has just run its heartbeat, as the scheduler and the worker make it."""
    call_command("run_scheduled_jobs", stdout=io.StringIO())
    run_task_worker(health.HEARTBEAT_QUEUE)


def test_the_worker_running_the_scheduled_heartbeat_makes_the_portal_ready(client, db, media):
    assert probe(client) == (503, {"status": "unavailable", "checks": {**ALL_OK, "worker": "missing"}})

    # The scheduled job queues one heartbeat, and no second one while it waits for a stopped worker.
    call_command("run_scheduled_jobs", stdout=io.StringIO())
    call_command("run_scheduled_jobs", stdout=io.StringIO())
    assert DBTaskResult.objects.filter(queue_name=health.HEARTBEAT_QUEUE, status="READY").count() == 1
    assert probe(client)[1]["checks"]["worker"] == "missing"

    run_task_worker(health.HEARTBEAT_QUEUE)

    assert probe(client) == (200, {"status": "ok", "checks": ALL_OK})
    assert client.head("/readyz").status_code == 200  # load balancers often probe with HEAD
    assert DBTaskResult.objects.get(queue_name=health.HEARTBEAT_QUEUE).status == "SUCCESSFUL"


def test_the_probe_reads_the_database_twice_and_is_never_cached(client, beating, django_assert_num_queries):
    with django_assert_num_queries(2):  # SELECT 1, the last heartbeat
        response = client.get("/readyz")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert_public_headers(response)


def test_a_stale_heartbeat_is_a_503(client, beating, settings):
    settings.READYZ_HEARTBEAT_MAX_AGE_SECONDS = 120
    beat = DBTaskResult.objects.get(queue_name=health.HEARTBEAT_QUEUE)
    beat.finished_at -= timedelta(seconds=100)
    beat.save()
    assert probe(client)[0] == 200

    beat.finished_at -= timedelta(seconds=30)
    beat.save()
    assert probe(client) == (503, {"status": "unavailable", "checks": {**ALL_OK, "worker": "stale"}})


def test_a_cache_that_does_not_answer_is_a_503_within_seconds(client, beating, settings):
    # Nothing listens on the discard port: Redis is down.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    started = time.monotonic()
    assert probe(client) == (503, {"status": "unavailable", "checks": {**ALL_OK, "cache": "unavailable"}})
    assert time.monotonic() - started < 5


def test_a_storage_that_refuses_files_is_a_503(client, beating, settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.MEDIA_ROOT = blocker / "media"
    assert probe(client) == (503, {"status": "unavailable", "checks": {**ALL_OK, "storage": "unavailable"}})


def test_the_storage_sentinel_is_written_once(client, beating, media):
    for _ in range(3):
        assert probe(client)[0] == 200
    assert [path.name for path in (media / "health").iterdir()] == ["readyz.txt"]


def test_a_database_that_does_not_answer_is_a_503_without_details(tmp_path):
    probe_code = (
        "from django.test import Client\n"
        "response = Client(raise_request_exception=False).get('/readyz')\n"
        "print(response.status_code)\n"
        "print(response.content.decode())\n"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "PORTAL_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://portal:secret-password@127.0.0.1:9/portal",
    }
    result = manage("shell", "--no-imports", "-c", probe_code, env=env)
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().splitlines()[-2:]
    assert status == "503"
    # Without Redis the cache is a database table, so it is down too; the heartbeat cannot be read.
    assert json.loads(body) == {
        "status": "unavailable",
        "checks": {"database": "unavailable", "cache": "unavailable", "storage": "ok", "worker": "unknown"},
    }


def test_production_answers_the_probe_over_plain_http(tmp_path):
    # The load balancer asks the app server directly: no redirect to https.
    probe_code = (
        "from django.test import Client\n"
        "r = Client(raise_request_exception=False).get('/readyz', HTTP_HOST='talent.example.cn')\n"
        "print(r.status_code, r.get('Location', '-'))\n"
    )
    env = {
        **PRODUCTION,
        "DJANGO_SECRET_KEY": "k" * 20 + "production-like-secret-key-for-the-readiness-test",
        "INTAKE_QUERY_CODE_KEY": "q" * 20 + "production-like-query-code-key-for-the-readiness-test",
        "ALLOWED_HOSTS": "talent.example.cn",
        "PORTAL_VAR_DIR": str(tmp_path),
    }
    result = manage("shell", "--no-imports", "-c", probe_code, env=env)
    assert result.returncode == 0, result.stderr
    # No database in this folder: the probe itself answers, not a redirect.
    assert result.stdout.split()[-2:] == ["503", "-"]
