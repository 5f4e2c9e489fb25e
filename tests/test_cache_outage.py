"""Redis down or restarting (REDIS_URL set, nothing answering at its address): public and admin pages
are still served, a sign-in works and lasts, the contact form's rate limit counts in the database, and
/readyz names the cache. Each cache call that failed is logged, not raised."""

import json
import logging
import socket

import pytest
from django.core.management import call_command

from intake import ratelimit
from intake.models import RateLimitCounter
from portal.settings.base import redis_cache
from staff.levels import Level

from .experts_builders import make_staff
from .test_settings import manage


@pytest.fixture
def redis_down(settings, caplog):
    with socket.socket() as probe:  # a port just freed: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {"default": redis_cache(f"redis://127.0.0.1:{port}/0")}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.INTAKE_RATE_LIMIT_STORE = "cache"
    caplog.set_level(logging.ERROR, logger="portal.cache")
    return caplog


def cache_errors(caplog):
    return [record for record in caplog.records if record.name == "portal.cache"]


def test_the_production_cache_is_redis_and_sessions_are_kept_in_the_database_too():
    result = manage(
        "shell",
        "--verbosity=0",
        "-c",
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE)",
        env={"DJANGO_SETTINGS_MODULE": "portal.settings.dev", "REDIS_URL": "redis://127.0.0.1:6399/0"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django_redis.cache.RedisCache", "django.contrib.sessions.backends.cached_db"]


@pytest.mark.django_db
def test_pages_are_served_while_redis_is_down(client, redis_down):
    call_command("setup_site", stdout=open("/dev/null", "w"))  # noqa: SIM115 - the command's report is not wanted
    for _ in range(2):
        response = client.get("/")
        assert response.status_code == 200
        assert "来宾市" in response.content.decode()
    assert client.get("/search/?q=专家").status_code == 200
    assert cache_errors(redis_down)  # the cache was asked and failed: the page did without it


@pytest.mark.django_db
def test_a_sign_in_works_and_lasts_while_redis_is_down(client, redis_down):
    from django.contrib.sessions.models import Session

    client.force_login(make_staff("outage", Level.CITY))
    assert Session.objects.count() == 1  # kept in the database, whatever Redis does
    for _ in range(2):
        assert client.get("/admin/").status_code == 200
    assert cache_errors(redis_down)


@pytest.mark.django_db
def test_the_rate_limit_counts_in_the_database_while_redis_is_down(rf, redis_down):
    request = rf.post("/", REMOTE_ADDR="192.0.2.10")
    assert [ratelimit.hit(request, "outage", (2, 60)).allowed for _ in range(3)] == [True, True, False]
    assert RateLimitCounter.objects.get(key__startswith="intake:outage:192.0.2.10:").count == 3


@pytest.mark.django_db
def test_readiness_names_the_cache_while_redis_is_down(client, redis_down):
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = json.loads(response.content)["checks"]
    assert checks["cache"] != "ok" and checks["database"] == "ok"
