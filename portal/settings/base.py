"""Settings shared by every environment.

Secure by default: DEBUG is off and secrets come only from the environment.
`dev.py` and `test.py` relax what they need; `production.py` insists on the rest.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from wagtail.embeds.oembed_providers import vimeo, youtube

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))


def env_list(name, default=""):
    """A comma-separated environment variable as a list, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = False
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "base",
    "staff",
    "home",
    "experts",
    "spotlight",
    "honours",
    "news",
    "services",
    "intake",
    "inbox",
    "liaison",
    "reminders",
    "programme",
    "care",
    "guidance",
    "consulting",
    "publicity",
    "innovation",
    "workbench",
    "search",
    "security",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "staff.apps.StaffUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # Outermost: every log line of the request, its own access line included, carries its id.
    "base.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before the health check and the page cache: every response carries the policies and the
    # frame protection, a stored page fresh ones (the cache stores what the views below return).
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "security.headers.PermissionsPolicyMiddleware",
    "security.csp.PathCSPMiddleware",
    "base.middleware.HealthCheckMiddleware",
    "base.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions: a cached public page is served without touching them (base/page_cache.py).
    "base.page_cache.PublicPageCacheMiddleware",
    "base.page_cache.SiteLookupsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages, which they leave for the login page: the 12-hour and "sign out everywhere"
    # limits (security/sessions.py), then the second factor on every admin URL (security/two_factor.py).
    "security.sessions.SessionLifetimeMiddleware",
    "security.two_factor.TwoFactorMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Sign-in lockout (django-axes): 5 failures per account, and per client address, lock for
# 15 minutes. The attempts live in the database, which every app-server process shares.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True  # the failures of the account that signed in, not of its address
AXES_HANDLER = "security.lockouts.AttemptsHandler"
# The same client address as the intake's rate limits, behind the same proxies.
AXES_CLIENT_IP_CALLABLE = "intake.ratelimit.client_address"
# Sign-ins are logged in security.models.SignInLogEntry, not in axes' own access log.
AXES_DISABLE_ACCESS_LOG = True
# A Chinese page in the login's look (HTTP 429), which never says whether the account exists.
AXES_LOCKOUT_TEMPLATE = "security/lockout.html"
# Two-factor sign-in (security/two_factor.py): the name authenticator apps show for the key.
OTP_TOTP_ISSUER = "来宾市专家人才平台"

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: DATABASE_URL wins; otherwise an embedded SQLite file under var/.
# The SQLite options let several app-server processes write at once without
# "database is locked" errors (see README, "SQLite under concurrent writes").
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
# Each process keeps its connection: opening one (and its PRAGMAs) on every request was a
# tenth of an uncached page's time under gunicorn.
SQLITE_CONN_MAX_AGE = 60


def database_from_env():
    url = os.environ.get("DATABASE_URL")
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "portal.sqlite3",
            "OPTIONS": SQLITE_OPTIONS,
            "CONN_MAX_AGE": SQLITE_CONN_MAX_AGE,
        }
    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = SQLITE_OPTIONS
        config["CONN_MAX_AGE"] = SQLITE_CONN_MAX_AGE
    return config


DATABASES = {"default": database_from_env()}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Wagtail's PostgreSQL search backend needs it for `migrate`.
    INSTALLED_APPS.append("django.contrib.postgres")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis in production, the database otherwise, so that every app-server
# process shares one store (rate limits, page caches).
REDIS_URL = os.environ.get("REDIS_URL", "")


def redis_cache(url):
    """The shared cache on the Redis at `url`."""
    # django-redis rather than Django's own backend: while Redis is down or restarting, a read is a
    # miss and a write is dropped (each logged) instead of an error, so pages are still served, only
    # slower; a Redis that does not answer costs at most 2 s a call, never hangs a request.
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "portal",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2, "IGNORE_EXCEPTIONS": True},
    }


DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "portal.cache"
if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
    # Sessions are read from Redis and kept in the database too: a sign-in outlives a Redis restart.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",
        }
    }

# Wagtail looks image renditions up, and writes them back, on every page render. Without Redis,
# each process keeps them in its own memory rather than in the database cache (five SQL
# statements per image); a rendition replaced after a focal-point change is seen within 10 minutes.
if not REDIS_URL:
    CACHES["renditions"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "TIMEOUT": 600,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }

# At least 10 characters of three kinds (lower case, upper case, digits, other), not like the
# username or name, not a common password, not all digits.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "security.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "security.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# New passwords are hashed with Argon2; older hashes still check and are upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# Staff work in Chinese and in Beijing time: with one choice each, the account page asks for neither.
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文")]
WAGTAIL_USER_TIME_ZONES = ["Asia/Shanghai"]
# The project's catalogue fills what Wagtail leaves untranslated in zh_Hans and comes before it.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))


def media_storage_from_env():
    """Media (images, renditions, documents) in an S3-compatible bucket when S3_BUCKET is set, else
    under MEDIA_ROOT. Either way URLs stay under MEDIA_URL (base/storage.py; README, "Media on
    object storage"); private attachments, workbooks and backups stay on local disk."""
    bucket = os.environ.get("S3_BUCKET", "")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    endpoint = os.environ.get("S3_ENDPOINT_URL") or None
    return {
        "BACKEND": "base.storage.MediaStorage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            # Unset: boto3's own chain (AWS_* variables, the machine's role).
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "region_name": os.environ.get("S3_REGION") or "us-east-1",
            # MinIO and most stores on the intranet answer at one host for every bucket.
            "addressing_style": "path" if endpoint else None,
            # A second upload of the same name gets a suffix, as on local disk; never replaces the first.
            "file_overwrite": False,
        },
    }


S3_BUCKET = os.environ.get("S3_BUCKET", "")
STORAGES = {
    "default": media_storage_from_env(),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Email: an SMTP server from the environment; dev.py prints mail to the console.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "来宾市委人才办 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Logs go to the console, request errors included, so that a 500 is never silent. LOG_FORMAT=json
# writes each record as one JSON object on one line (base/logs.py), for a log collector; every
# record logged during a request carries its id (base.middleware.RequestIdMiddleware).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain").strip().lower()
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured("LOG_FORMAT must be plain or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "base.logs.RequestIdFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "base.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO"), "propagate": False},
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "portal": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Sessions expire when the browser closes, after 30 minutes idle, and 12 hours after the sign-in
# however active (security/sessions.py): staff machines are often shared.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"  # Wagtail lifts it for its own preview frames
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp, security/csp.py); README, "Content-Security-Policy".
# The public site: scripts and styles only from our own static files, never inline. NONCE
# adds a nonce only to a response whose template read `request.csp_nonce`; the page cache
# never stores such a page (a stored nonce would be the same for every visitor).
# The only other hosts are the video players a VideoBlock may embed: the embed finders below
# accept those providers alone, so an editor cannot embed what the policy would block.
EMBED_FRAME_SOURCES = ["https://www.youtube.com", "https://player.vimeo.com"]
WAGTAILEMBEDS_FINDERS = [{"class": "wagtail.embeds.finders.oembed", "providers": [youtube, vimeo]}]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": EMBED_FRAME_SOURCES,
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The admin (and its page previews): Wagtail's admin writes inline scripts (each widget's set-up,
# e.g. `new ImageChooser(...)`), injects <style> elements (the rich text editor, choosers) and
# style attributes, and previews images from data: and blob: URLs, so it needs 'unsafe-inline'.
# No nonce here: a nonce would make browsers ignore 'unsafe-inline'. Only signed-in staff reach
# these pages, and every other source is still our own origin.
ADMIN_CSP_PREFIXES = ("/admin/",)
ADMIN_CONTENT_SECURITY_POLICY = {
    "default-src": [SELF],
    "script-src": [SELF, "'unsafe-inline'"],
    "style-src": [SELF, "'unsafe-inline'"],
    "img-src": [SELF, "data:", "blob:"],
    "font-src": [SELF, "data:"],
    "connect-src": [SELF],
    "frame-src": [SELF, *EMBED_FRAME_SOURCES],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    # Wagtail shows previews of pages in a frame of its own.
    "frame-ancestors": [SELF],
}
# Permissions-Policy (security/headers.py): browser features no page of the portal uses, off
# for the site and anything it embeds. Fullscreen stays allowed for embedded videos.
PERMISSIONS_POLICY_DISABLED = [
    "accelerometer",
    "browsing-topics",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "serial",
    "usb",
    "xr-spatial-tracking",
]

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# A file whose name is not UTF-8 is kept, not silently dropped (base.attachments).
FILE_UPLOAD_HANDLERS = [
    "base.attachments.ReadableFileNames",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Wagtail
WAGTAIL_SITE_NAME = "来宾市党委联系服务专家人才平台"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Only the review workflow publishes: its final approval, not anyone's publish permission.
WAGTAIL_FINISH_WORKFLOW_ACTION = "base.workflows.publish_approved"
# No Gravatar: it would send staff e-mail hashes to a foreign server.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_USER_LOGIN_FORM = "base.forms.LoginForm"
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database"},
}
# Wagtail's frontend-cache invalidation: a publish or unpublish purges the page from nginx's proxy
# cache (base/frontend_cache.py, deploy/up's profile); the portal's own page cache retires itself.
FRONTEND_CACHE_PURGE_URL = os.environ.get("FRONTEND_CACHE_PURGE_URL", "")
if FRONTEND_CACHE_PURGE_URL:
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")
    WAGTAILFRONTENDCACHE = {
        "nginx": {"BACKEND": "base.frontend_cache.NginxPurgeBackend", "LOCATION": FRONTEND_CACHE_PURGE_URL}
    }
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip", "doc", "xls", "wps"]
# Documents are always streamed by Wagtail's view, which checks their collection's privacy: never a
# redirect to the file's own URL (in a bucket that would be a signed URL anyone holding it could open).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024

# Background tasks (django-tasks). Wagtail's own small tasks keep running inside
# the request ("default"); mail goes through a queue in the database, run by
# `manage.py db_worker --backend background --queue-name mail` (bin/serve starts it).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["mail", "imports", "reports", "health"]},
}
# /readyz answers 503 when the worker last finished a heartbeat task (queued every minute by
# `run_scheduled_jobs`, base/health.py) longer ago than this.
READYZ_HEARTBEAT_MAX_AGE_SECONDS = int(os.environ.get("READYZ_HEARTBEAT_MAX_AGE_SECONDS", "300"))
# Finished tasks keep their arguments (a receipt's query code among them): `run_scheduled_jobs`
# deletes them after this many days.
FINISHED_TASK_RETENTION_DAYS = 1

# Reminders (待办提醒): the scheduled job queues the day's mails once, from this hour (Beijing time) on.
REMINDERS_SEND_HOUR = int(os.environ.get("REMINDERS_SEND_HOUR", "7"))
# The yearly review (年度调整) is reminded of from this (month, day) to the year's end.
REMINDERS_REVIEW_SEASON_OPENS = (12, 1)
# Requests to the leaders' calendar feeds, per client: (requests, seconds).
REMINDERS_CALENDAR_RATE_LIMIT = (120, 60 * 60)

# Intake (来信来访): deadlines in working days on China's official calendar.
INTAKE_ACCEPTANCE_WORKING_DAYS = int(os.environ.get("INTAKE_ACCEPTANCE_WORKING_DAYS", "2"))
INTAKE_COMPLETION_WORKING_DAYS = int(os.environ.get("INTAKE_COMPLETION_WORKING_DAYS", "15"))
# Per client: (requests, seconds). The counters live in a store every app-server
# process shares: Redis when REDIS_URL is set, otherwise the database.
INTAKE_SUBMISSION_RATE_LIMIT = (5, 60 * 60)
INTAKE_LOOKUP_RATE_LIMIT = (20, 10 * 60)
INTAKE_RATING_RATE_LIMIT = (10, 60 * 60)
INTAKE_RATE_LIMIT_STORE = "cache" if REDIS_URL else "database"
# How many reverse proxies, each appending to X-Forwarded-For, stand before the app server;
# 0 takes REMOTE_ADDR. Wrong behind a proxy, every visitor shares one limit (too few) or
# picks their own address (too many).
INTAKE_TRUSTED_PROXY_COUNT = int(os.environ.get("INTAKE_TRUSTED_PROXY_COUNT", "0"))
if "INTAKE_CLIENT_IP_HEADER" in os.environ:
    # It named a header that a client can write (X-Forwarded-For's first hop): refuse rather than ignore.
    raise ImproperlyConfigured("INTAKE_CLIENT_IP_HEADER is no longer read: set INTAKE_TRUSTED_PROXY_COUNT instead.")
# Query codes are hashed with a key of their own, not SECRET_KEY, so that rotating the secret
# key keeps every code an expert holds; codes hashed with an earlier key open the tracking
# page while that key is listed in the old keys (README, "Rotating keys").
INTAKE_QUERY_CODE_KEY = os.environ.get("INTAKE_QUERY_CODE_KEY", "")
INTAKE_QUERY_CODE_OLD_KEYS = env_list("INTAKE_QUERY_CODE_OLD_KEYS")
# Seconds to wait before each new attempt at a mail the mail server refused.
INTAKE_MAIL_RETRY_DELAYS = [60, 5 * 60, 15 * 60, 60 * 60, 3 * 60 * 60, 6 * 60 * 60, 12 * 60 * 60]
# Personal data of finished items is cleared this many days after they finished (intake.retention).
INTAKE_PERSONAL_DATA_RETENTION_DAYS = int(os.environ.get("INTAKE_PERSONAL_DATA_RETENTION_DAYS", "1095"))
# Attachments are private: kept outside MEDIA_ROOT, served only to permitted staff.
INTAKE_ATTACHMENT_ROOT = Path(os.environ.get("INTAKE_ATTACHMENT_ROOT", VAR_DIR / "private" / "intake"))
# Yearly report workbooks built in the background: private, downloaded through the admin only.
WORKBENCH_WORKBOOK_ROOT = Path(os.environ.get("WORKBENCH_WORKBOOK_ROOT", VAR_DIR / "private" / "workbooks"))
# The materials attached to contact records (联系服务记录), private in the same way.
LIAISON_ATTACHMENT_ROOT = Path(os.environ.get("LIAISON_ATTACHMENT_ROOT", VAR_DIR / "private" / "liaison"))

# The talent mailbox (inbox/): `manage.py fetch_mailbox` reads it over IMAP and registers each new
# message on the 电子邮箱 channel. Without a host nothing is read.
INBOX_IMAP_HOST = os.environ.get("INBOX_IMAP_HOST", "")
# "tls": implicit TLS (port 993); "starttls": plain connection upgraded (143); "none": no encryption.
INBOX_IMAP_SECURITY = os.environ.get("INBOX_IMAP_SECURITY", "tls").strip().lower()
if INBOX_IMAP_SECURITY not in ("tls", "starttls", "none"):
    raise ImproperlyConfigured("INBOX_IMAP_SECURITY must be tls, starttls or none.")
INBOX_IMAP_PORT = int(os.environ.get("INBOX_IMAP_PORT", "993" if INBOX_IMAP_SECURITY == "tls" else "143"))
INBOX_IMAP_USER = os.environ.get("INBOX_IMAP_USER", "")
INBOX_IMAP_PASSWORD = os.environ.get("INBOX_IMAP_PASSWORD", "")
# Certificates to trust besides the system's (a mail server with a private CA); certificates are always checked.
INBOX_IMAP_CA_FILE = os.environ.get("INBOX_IMAP_CA_FILE", "")
INBOX_IMAP_FOLDER = os.environ.get("INBOX_IMAP_FOLDER", "INBOX")
# Where messages that cannot be registered are moved for staff; created if missing.
INBOX_IMAP_HELD_FOLDER = os.environ.get("INBOX_IMAP_HELD_FOLDER", "未能登记")
# A larger message is not downloaded: it is held for staff.
INBOX_MAX_MESSAGE_BYTES = int(os.environ.get("INBOX_MAX_MESSAGE_BYTES", str(10 * 1024 * 1024)))
INBOX_IMAP_TIMEOUT_SECONDS = int(os.environ.get("INBOX_IMAP_TIMEOUT_SECONDS", "30"))
# The scheduled job (`run_scheduled_jobs`, every minute) reads the mailbox at most this often.
INBOX_FETCH_INTERVAL_MINUTES = int(os.environ.get("INBOX_FETCH_INTERVAL_MINUTES", "5"))


def require_env(name):
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in the environment for production.")
    return value


# Backups (`manage.py backup`, README "Backups"): archives are written here unless --output says otherwise.
BACKUP_ROOT = Path(os.environ.get("BACKUP_ROOT", VAR_DIR / "backups"))
