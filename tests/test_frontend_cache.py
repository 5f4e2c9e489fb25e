"""Wagtail's frontend-cache invalidation for nginx's proxy cache (base/frontend_cache.py): a publish
purges the page's address under nginx's purge location, after the commit, as the portal's own page
cache retires itself; and the profile's nginx configuration, with the purge module, passes `nginx -t`."""

import logging
import re
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.apps import apps
from django.test import override_settings
from wagtail.contrib.frontend_cache.signal_handlers import (
    page_published_signal_handler,
    page_unpublished_signal_handler,
    register_signal_handlers,
)
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from base import generations, page_cache
from base.frontend_cache import NginxPurgeBackend

ROOT = Path(__file__).resolve().parent.parent
PURGE_MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")


class FakeNginx(BaseHTTPRequestHandler):
    """Records each request's method, path and Host; answers with the server's `status`."""

    def do_PURGE(self):
        self.server.requests.append((self.command, self.path, self.headers["Host"]))
        self.send_response(self.server.status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def nginx():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeNginx)
    server.requests = []
    server.status = 200
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def backend(server):
    return NginxPurgeBackend({"LOCATION": f"http://127.0.0.1:{server.server_port}/purge"})


@pytest.fixture
def purge_now(django_capture_on_commit_callbacks):
    def purge(server, url):
        with django_capture_on_commit_callbacks(execute=True):
            backend(server).purge(url)

    return purge


@pytest.mark.django_db
def test_a_purge_asks_for_the_address_under_the_purge_location_as_a_browser_sends_it(nginx, purge_now):
    purge_now(nginx, "http://localhost/news/人才工作/?page=2")
    assert nginx.requests == [
        ("PURGE", "/purge/news/%E4%BA%BA%E6%89%8D%E5%B7%A5%E4%BD%9C/?page=2", "localhost"),
    ]


@pytest.mark.django_db
def test_nothing_stored_is_no_error_but_a_refusal_or_no_answer_is_logged(nginx, purge_now, caplog):
    caplog.set_level(logging.ERROR, logger="wagtail.frontendcache")
    nginx.status = 404  # the purge module: nothing was stored under that address
    purge_now(nginx, "http://localhost/news/")
    assert caplog.records == []

    nginx.status = 403
    purge_now(nginx, "http://localhost/news/")
    assert "HTTP 403" in caplog.text

    caplog.clear()
    nginx.shutdown()
    nginx.server_close()
    purge_now(nginx, "http://localhost/news/")
    assert "Couldn't purge 'http://localhost/news/'" in caplog.text


@pytest.fixture
def purge_on_publish(nginx):
    """Wagtail's frontend-cache app as the settings install it when FRONTEND_CACHE_PURGE_URL is set."""
    location = f"http://127.0.0.1:{nginx.server_port}/purge"
    backends = {"nginx": {"BACKEND": "base.frontend_cache.NginxPurgeBackend", "LOCATION": location}}
    register_signal_handlers()
    with override_settings(WAGTAILFRONTENDCACHE=backends):
        yield nginx
    for model in apps.get_models():
        if issubclass(model, Page):
            page_published.disconnect(page_published_signal_handler, sender=model)
            page_unpublished.disconnect(page_unpublished_signal_handler, sender=model)


@pytest.mark.django_db
def test_publishing_a_page_purges_it_from_nginx_once_committed_with_the_portal_page_cache(
    purge_on_publish, django_capture_on_commit_callbacks
):
    page = Page.objects.get(depth=2)  # the site's root page, at http://localhost/
    generation = generations.current(page_cache.GENERATION_KEY)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page.save_revision().publish()
    # Nothing before the commit: a purge then would let nginx store the page as it was.
    assert purge_on_publish.requests == []
    assert generations.current(page_cache.GENERATION_KEY) == generation
    for callback in callbacks:
        callback()
    assert purge_on_publish.requests == [("PURGE", "/purge/", "localhost")]
    assert generations.current(page_cache.GENERATION_KEY) != generation


@pytest.mark.django_db
def test_unpublishing_a_page_purges_it(purge_on_publish, django_capture_on_commit_callbacks):
    page = Page.objects.get(depth=2)
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert purge_on_publish.requests == [("PURGE", "/purge/", "localhost")]


def test_the_profile_nginx_configuration_passes_nginx_own_check(tmp_path):
    assert shutil.which("nginx"), "bin/test installs Debian's nginx-light"
    assert PURGE_MODULE.exists(), "bin/test installs libnginx-mod-http-cache-purge"
    for folder in ("run", "logs", "nginx/tmp", "nginx/cache"):
        (tmp_path / folder).mkdir(parents=True)
    conf = (ROOT / "deploy" / "nginx" / "profile.conf.template").read_text()
    values = {
        "STATE": str(tmp_path),
        "ROOT": str(ROOT),
        "BUCKET": "portal-media",
        "NGINX_PORT": "8080",
        "S3_PORT": "9100",
    }
    for name, value in values.items():
        conf = conf.replace(f"@{name}@", value)
    (tmp_path / "nginx" / "app_servers.conf").write_text("server 127.0.0.1:8001;\nserver 127.0.0.1:8002;\n")
    assert not re.search(r"@[A-Z]+@", conf)
    (tmp_path / "nginx.conf").write_text(conf)
    result = subprocess.run(
        ["nginx", "-t", "-p", f"{tmp_path}/", "-c", str(tmp_path / "nginx.conf"), "-e", str(tmp_path / "logs/e.log")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr
