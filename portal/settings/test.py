"""Tests: fast hashing, in-memory cache and mail, no collectstatic needed."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"  # noqa: S105 - never used outside tests
INTAKE_QUERY_CODE_KEY = "test-only-query-code-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
INTAKE_ATTACHMENT_ROOT = BASE_DIR / "var" / "test-private"  # noqa: F405
WORKBENCH_WORKBOOK_ROOT = BASE_DIR / "var" / "test-private-workbooks"  # noqa: F405
LIAISON_ATTACHMENT_ROOT = BASE_DIR / "var" / "test-private-liaison"  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
# Serve static files straight from the app folders: no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# SQLite tests use a file, not a shared in-memory database, where a write transaction locks
# its tables against every other connection: with a file (WAL) another thread reads the
# last committed state meanwhile, as another app-server process would.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405 - a fresh clone has no var/ yet
    DATABASES["default"]["TEST"] = {"NAME": VAR_DIR / "test-portal.sqlite3"}  # noqa: F405
