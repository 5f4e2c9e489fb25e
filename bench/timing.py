"""What the admin benches share: the median time of a page over a number of requests."""

import statistics
import time

TIMED_REQUESTS = 30


def median_ms(client, url, requests=TIMED_REQUESTS, before=None):
    """The median of `requests` requests of `url` after one to warm up, in milliseconds; `before()`,
    if given, runs before each request, untimed (what a change to the data would start)."""
    client.get(url)
    timings = []
    for _ in range(requests):
        if before:
            before()
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    return statistics.median(timings)


def signed_in(user):
    """A test client signed in as `user` past the second factor (an authenticator confirmed in the
    session, as tests/conftest.py does): the city office may not use the admin without it."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
