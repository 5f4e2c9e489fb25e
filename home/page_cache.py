"""A full-page cache for the public site, emptied whenever anything public changes.

Only responses that a public view marked cacheable are stored (page types with
`public_page_cache = True`, the search page, feeds, the sitemap), only for visitors
without a session cookie, and never a response that sets a cookie (a form's CSRF
token) or says it is private. Previews are admin views and never marked. Every
publish, unpublish, move or delete, and every change to site settings, images or
documents, starts a new generation, which retires every stored page at once.
"""

import hashlib
import uuid

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.utils.cache import cc_delim_re

GENERATION_KEY = "public-page-cache:generation"
TIMEOUT = 15 * 60
UNCACHEABLE_DIRECTIVES = {"private", "no-cache", "no-store"}


def mark_cacheable(request):
    """Lets the cache store this request's response (public content only)."""
    request.public_page_cache = True


def cache_public(view):
    """Decorator: the view's responses may be stored in the public page cache."""

    def wrapped(request, *args, **kwargs):
        mark_cacheable(request)
        return view(request, *args, **kwargs)

    return wrapped


def new_generation(**kwargs):
    """Retires every stored page; a signal receiver, so it takes any arguments."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def _generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, generation, None):
            generation = cache.get(GENERATION_KEY)
    return generation


def _key(request):
    address = f"{request.get_host()}{request.get_full_path()}".encode()
    return f"public-page-cache:{_generation()}:{hashlib.sha256(address).hexdigest()}"


def _may_serve_from_cache(request):
    # A session (a signed-in editor) or a pending flash message means content for this visitor only.
    personal_cookies = {settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name}
    return request.method in ("GET", "HEAD") and not personal_cookies & request.COOKIES.keys()


def _may_store(request, response):
    if not getattr(request, "public_page_cache", False) or getattr(request, "is_preview", False):
        return False
    if request.method != "GET" or response.status_code != 200 or response.streaming or response.cookies:
        return False
    directives = {d.split("=")[0].strip().lower() for d in cc_delim_re.split(response.get("Cache-Control", ""))}
    return not directives & UNCACHEABLE_DIRECTIVES


class PublicPageCacheMiddleware:
    """Serves stored public pages before sessions, users or the page tree are looked at."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _may_serve_from_cache(request):
            return self.get_response(request)
        key = _key(request)
        response = cache.get(key)
        if response is not None:
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if _may_store(request, response):
            cache.set(key, response, TIMEOUT)
            response["X-Page-Cache"] = "miss"
        return response
