"""What the admin benches share: the median time of a page over a number of requests."""

import statistics
import time

TIMED_REQUESTS = 30


def median_ms(client, url):
    """The median of TIMED_REQUESTS requests of `url` after one to warm up, in milliseconds."""
    client.get(url)
    timings = []
    for _ in range(TIMED_REQUESTS):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    return statistics.median(timings)
