import io
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; the ORM calls that
# browser tests make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
SCREENSHOT_DIR = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


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


@pytest.fixture
def wagtail_tree(db):
    """Wagtail's default locale and tree root, which its migrations create.

    Transactional tests (the browser tests) flush the database afterwards, and
    with it the rows those migrations made; this puts them back.
    """
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Locale, Page

    locale, _ = Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    return Page.get_first_root_node() or Page.add_root(title="Root", slug="root", locale=locale)


@pytest.fixture(autouse=True)
def _wagtail_tree_for_database_tests(request):
    # Any test may follow a flushing browser test in the same worker.
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("wagtail_tree")


@pytest.fixture
def demo_site(wagtail_tree):
    """The demo site, as `bin/serve` builds it."""
    from wagtail.models import Site

    call_command("load_demo_content", stdout=io.StringIO())
    return Site.objects.get(is_default_site=True)
