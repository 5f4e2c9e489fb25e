"""The browser tests' teardown waits for the live server's requests (tests/conftest.py): it finds
them by their threads, which must be found while a request is being handled."""

import socket
import time
from urllib.parse import urlsplit

import pytest

from tests.conftest import live_server_request_threads

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_request_being_handled_has_a_thread_the_teardown_waits_for(live_server):
    address = urlsplit(live_server.url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as client:
        client.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")  # the headers not yet ended
        deadline = time.monotonic() + 5
        while not live_server_request_threads() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert live_server_request_threads()
        client.sendall(b"Connection: close\r\n\r\n")
        response = client.makefile("rb").read()
    assert response.startswith(b"HTTP/1.1 200")
    for thread in live_server_request_threads():
        thread.join(timeout=5)
    assert not live_server_request_threads()
