"""Per-client rate limits that hold across every app-server process.

A fixed window per client and purpose, counted in a shared store: Redis (through the
cache, whose `incr` is atomic there) when REDIS_URL is set, otherwise a database table,
incremented with a single UPDATE. Django's database cache is no use for this: its `incr`
reads and writes back, so concurrent requests lose counts.
"""

import ipaddress
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import RateLimitCounter


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the window ends


def client_address(request):
    """REMOTE_ADDR, or behind INTAKE_TRUSTED_PROXY_COUNT proxies the address the outermost one saw;
    None when neither is an IP address (a test client's request).

    Each proxy appends the address it saw to X-Forwarded-For, after whatever the client wrote
    there: the Nth address from the right is the last one a trusted proxy wrote.
    """
    address = _ip_address(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.INTAKE_TRUSTED_PROXY_COUNT
    if proxies:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if hops:
            # Fewer hops than proxies: the request entered the chain further in, and the hop may be
            # the client's own words. Only an address is taken: the sign-in log (django-axes) stores
            # it in an address column, which PostgreSQL checks, so other text would be a 500.
            address = _ip_address(hops[-min(proxies, len(hops))]) or address
    return address


def _ip_address(text):
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def hit(request, purpose, limit):
    """Counts one request of `purpose` from this client and says whether it is within `limit`."""
    allowed, period = limit
    now = time.time()
    window = int(now // period)
    key = f"intake:{purpose}:{client_address(request) or 'unknown'}:{window}"
    count = COUNTERS[settings.INTAKE_RATE_LIMIT_STORE](key, period)
    return Verdict(allowed=count <= allowed, retry_after=int((window + 1) * period - now) + 1)


def count_in_cache(key, period):
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=period)
        return 1
    # None: Redis did not answer (its errors are logged, not raised); the database keeps counting.
    return count_in_database(key, period) if count is None else count


def count_in_database(key, period):
    counters = RateLimitCounter.objects.filter(key=key)
    with transaction.atomic():
        if counters.update(count=F("count") + 1):
            return counters.values_list("count", flat=True).get()
        now = timezone.now()
        try:
            with transaction.atomic():
                RateLimitCounter.objects.create(key=key, count=1, expires_at=now + timedelta(seconds=period))
        except IntegrityError:  # another process opened the window first
            counters.update(count=F("count") + 1)
            return counters.values_list("count", flat=True).get()
        # Opening a window is rare: the moment to clear the ones that ended.
        RateLimitCounter.objects.filter(expires_at__lt=now).delete()
        return 1


COUNTERS = {"cache": count_in_cache, "database": count_in_database}
