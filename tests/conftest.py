import io
import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import Page, Site

from tests.imap_server import imap_server  # noqa: F401 - the mailbox tests' Dovecot, a session fixture
from tests.s3_server import s3_media, s3_server  # noqa: F401 - the object-storage tests' moto_server and bucket

# Playwright's sync API runs an event loop in the test thread; the ORM calls that
# browser tests make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
SCREENSHOT_DIR = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


_force_login_without_second_factor = Client.force_login


def force_login(self, user, backend=None, *, two_factor=True):
    """Signs in as after the password and the authenticator code: most tests are about what staff do
    once signed in, and superusers and the city office may not go further without the second factor.
    `two_factor=False` stops after the password, as a user who has not yet given the code."""
    _force_login_without_second_factor(self, user, backend)
    if two_factor:
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="测试设备", defaults={"confirmed": True})
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


Client.force_login = force_login


@pytest.fixture(scope="session")
def browser_type_launch_args():
    # Debian's chromium, never a downloaded browser; a missing one fails, never skips.
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: bin/test installs Debian's chromium package.")
    return {
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
            "--disable-dev-shm-usage",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args():
    return {"locale": "zh-CN", "timezone_id": "Asia/Shanghai", "viewport": DESKTOP}


@pytest.fixture
def screenshot(request):
    """Saves a full-page screenshot under test-artifacts/screenshots/ for a person to look at."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        path = SCREENSHOT_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture(scope="session")
def migration_snapshot(django_db_setup, django_db_blocker):
    """The rows that migrations made in the new test database (Wagtail's tree root, groups ...)."""
    with django_db_blocker.unblock():
        return connection.creation.serialize_db_to_string()


def restore_migration_rows(snapshot):
    """Puts back what a flush removed.

    The flush's post_migrate signal recreated content types and permissions under new
    keys; they are replaced by the snapshot's, which are saved first because saving
    other rows (a page, through Wagtail's reference index) looks content types up.
    """
    rows = sorted(serializers.deserialize("json", snapshot), key=lambda row: not isinstance(row.object, ContentType))
    with transaction.atomic():
        Permission.objects.all().delete()
        ContentType.objects.all().delete()
        ContentType.objects.clear_cache()
        with connection.constraint_checks_disabled():
            for row in rows:
                row.save()
    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _migration_rows_survive_flushes(request):
    # Transactional tests (the browser tests) end with a flush that also removes the
    # rows migrations made; Django's serialized_rollback cannot put them back here,
    # because Playwright's event loop gives the test thread a second connection object.
    # Tests without the database never ask for it (a run of only those has no test database).
    if "_django_db_helper" not in request.fixturenames:
        return
    migration_snapshot = request.getfixturevalue("migration_snapshot")
    request.getfixturevalue("_django_db_helper")
    if not Page.objects.exists():
        restore_migration_rows(migration_snapshot)


def live_server_request_threads():
    # Django's live server handles each request on a thread of socketserver's, named after its target.
    return [thread for thread in threading.enumerate() if thread.name.endswith("(process_request_thread)")]


@pytest.fixture(autouse=True)
def _live_server_requests_finish(request):
    """A browser test's last requests (the editor's autosave every half second) may still be running
    on the live server when the test ends. The test's teardown closes the browser first; this waits
    for what it had sent before the database is emptied, which on PostgreSQL would otherwise fail
    (the flush and the request lock the same tables) or leave the request's rows behind."""
    if "live_server" not in request.fixturenames or "_django_db_helper" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("_django_db_helper")  # set up before this, so emptied after it
    yield
    deadline = time.monotonic() + 30
    quiet_checks = 0
    while quiet_checks < 2 and time.monotonic() < deadline:  # twice: a request accepted a moment ago
        threads = live_server_request_threads()
        for thread in threads:
            thread.join(timeout=max(deadline - time.monotonic(), 0))
        quiet_checks = 0 if threads else quiet_checks + 1
        time.sleep(0.05)


@pytest.fixture
def demo_site(db):
    """The demo site, as `bin/serve` builds it."""
    call_command("load_demo_content", stdout=io.StringIO(), allow_demo_without_debug=True)
    return Site.objects.get(is_default_site=True)


@pytest.fixture(autouse=True)
def _empty_cache():
    # The test cache lives in process memory: a page cached by one test must not answer the next.
    from django.core.cache import cache

    from base.page_cache import forget_process_pages

    cache.clear()
    forget_process_pages()
