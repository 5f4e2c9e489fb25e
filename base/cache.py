"""Redis as the shared cache, where a Redis that does not answer is an empty cache, not a failure.

Everything kept there can be made again: rendered public pages, site lookups, renditions, the
workbench's figures. While Redis restarts, a page is rendered (slower) instead of answering 500;
each miss so caused is logged. Counting is the exception: `incr` still raises, so that the rate
limits count in the database meanwhile (intake/ratelimit.py). /readyz still reports the cache down:
its check reads back what it wrote.
"""

import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("portal.cache")
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class ForgivingRedisCacheClient(RedisCacheClient):
    def _or(self, fallback, name, *args):
        try:
            return getattr(super(), name)(*args)
        except UNREACHABLE as error:
            logger.warning("Redis unreachable, cache %s skipped: %s", name, error)
            return fallback

    def add(self, key, value, timeout):
        return self._or(False, "add", key, value, timeout)

    def get(self, key, default):
        return self._or(default, "get", key, default)

    def set(self, key, value, timeout):
        return self._or(None, "set", key, value, timeout)

    def touch(self, key, timeout):
        return self._or(False, "touch", key, timeout)

    def delete(self, key):
        return self._or(False, "delete", key)

    def get_many(self, keys):
        return self._or({}, "get_many", keys)

    def has_key(self, key):
        return self._or(False, "has_key", key)

    def set_many(self, data, timeout):
        return self._or(None, "set_many", data, timeout)

    def delete_many(self, keys):
        return self._or(None, "delete_many", keys)


class ForgivingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ForgivingRedisCacheClient
