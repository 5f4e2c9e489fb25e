"""Production: refuses to start without a real secret key and host names.

Meant to run under gunicorn behind a reverse proxy that terminates TLS and sets
X-Forwarded-Proto; static files are served by whitenoise, the cache is Redis.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_list, require_env

SECRET_KEY = require_env("DJANGO_SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith(("dev-", "test-", "django-insecure")):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be a random value of at least 50 characters.")

require_env("ALLOWED_HOSTS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
INTAKE_QUERY_CODE_KEY = require_env("INTAKE_QUERY_CODE_KEY")
if len(INTAKE_QUERY_CODE_KEY) < 50 or INTAKE_QUERY_CODE_KEY == SECRET_KEY:
    raise ImproperlyConfigured(
        "INTAKE_QUERY_CODE_KEY must be a random value of at least 50 characters, other than DJANGO_SECRET_KEY."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS") or [f"https://{host}" for host in ALLOWED_HOSTS]
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", f"https://{ALLOWED_HOSTS[0]}")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# deploy/up's profile answers plain http on 127.0.0.1:8080, where a secure cookie is never sent back
# (so no sign-in) and an upgrade to https reaches nothing. Honoured for loopback host names only.
PLAIN_HTTP_ON_LOOPBACK = env_bool("PORTAL_PLAIN_HTTP_ON_LOOPBACK")
if PLAIN_HTTP_ON_LOOPBACK and not set(ALLOWED_HOSTS) <= {"127.0.0.1", "localhost", "[::1]"}:
    raise ImproperlyConfigured("PORTAL_PLAIN_HTTP_ON_LOOPBACK is only for ALLOWED_HOSTS=127.0.0.1,localhost.")
SESSION_COOKIE_SECURE = not PLAIN_HTTP_ON_LOOPBACK
CSRF_COOKIE_SECURE = not PLAIN_HTTP_ON_LOOPBACK
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Behind TLS: a page never loads a resource over plain http (the public and the admin policy alike).
if not PLAIN_HTTP_ON_LOOPBACK:
    CONTENT_SECURITY_POLICY = {
        **CONTENT_SECURITY_POLICY,  # noqa: F405
        "DIRECTIVES": {**CONTENT_SECURITY_POLICY["DIRECTIVES"], "upgrade-insecure-requests": True},  # noqa: F405
    }
    ADMIN_CONTENT_SECURITY_POLICY = {**ADMIN_CONTENT_SECURITY_POLICY, "upgrade-insecure-requests": True}  # noqa: F405
