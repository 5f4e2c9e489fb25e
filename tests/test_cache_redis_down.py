"""Redis away (a restart): the cache answers as an empty one, pages render, the contact form's rate limit
counts in the database meanwhile (base/cache.py, intake/ratelimit.py)."""

import socket

import pytest
from django.core.cache import cache, caches
from redis.exceptions import ConnectionError as RedisConnectionError

from base.cache import ForgivingRedisCache
from intake.models import IntakeItem, RateLimitCounter

from .intake_builders import CONTACT_URL, contact_page_fixture, form_data  # noqa: F401


@pytest.fixture(name="redis_down")
def redis_down_fixture(settings):
    """The default cache is Redis on a port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "base.cache.ForgivingRedisCache", "LOCATION": f"redis://127.0.0.1:{port}/0"},
    }
    settings.INTAKE_RATE_LIMIT_STORE = "cache"
    return port


def test_an_unreachable_redis_is_an_empty_cache_except_for_counting(redis_down):
    assert isinstance(caches["default"], ForgivingRedisCache)
    assert cache.get("page", "missing") == "missing"
    cache.set("page", "stored")
    assert cache.add("page", "stored") is False
    assert cache.get_many(["page", "other"]) == {}
    assert cache.set_many({"page": 1}) == []
    assert cache.has_key("page") is False
    assert cache.delete("page") is False
    cache.delete_many(["page"])
    assert cache.get_or_set("page", "made again") == "made again"
    with pytest.raises(RedisConnectionError):
        cache.incr("page")


def test_pages_render_and_submissions_count_in_the_database_while_redis_is_away(client, contact_page, redis_down):
    assert client.get(CONTACT_URL).status_code == 200
    assert client.get("/").status_code == 200

    response = client.post(CONTACT_URL, form_data(), REMOTE_ADDR="10.1.2.3")

    assert response.status_code == 302 and response["Location"].endswith("/contact/submitted/")
    assert IntakeItem.objects.count() == 1
    assert RateLimitCounter.objects.get(key__contains="10.1.2.3").count == 1
