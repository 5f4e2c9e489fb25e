"""A full-page cache for the public site, emptied whenever anything public changes.

Only responses that a public view marked cacheable are stored (page types with
`public_page_cache = True`, the search page, feeds, the sitemap), only for visitors
without a session or message cookie, and never a response that sets a cookie (a form's
CSRF token) or says it is private. Previews are admin views and never marked.

Every publish, unpublish, move or delete, and every change to site settings, images or
documents, starts a new generation in the shared cache, which retires every stored page
at once. Each app-server process also keeps the pages it served in memory and asks the
shared cache for the generation at most once a second: a hit then costs no database or
network round trip, and a change made in another process shows within a second (at
once in the process that made it).
"""

import hashlib
import threading
import time
import uuid
from collections import OrderedDict

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import cc_delim_re

GENERATION_KEY = "public-page-cache:generation"
TIMEOUT = 15 * 60
GENERATION_CHECK_SECONDS = 1.0
LOCAL_MAX_PAGES = 500
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


def _shared_generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, generation, None):
            generation = cache.get(GENERATION_KEY)
    return generation


class _ProcessPages:
    """This process's stored pages of the current generation, least recently used dropped first."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self, generation=None):
        with self.lock:
            self.generation = generation
            self.checked_at = time.monotonic()
            self.pages = OrderedDict()

    def current_generation(self):
        if self.generation is None or time.monotonic() - self.checked_at >= GENERATION_CHECK_SECONDS:
            generation = _shared_generation()
            if generation != self.generation:
                self.reset(generation)
            self.checked_at = time.monotonic()
        return self.generation

    def get(self, address):
        with self.lock:
            entry = self.pages.get(address)
            if entry is None or entry[0] < time.monotonic():
                return None
            self.pages.move_to_end(address)
            return entry[1]

    def put(self, address, stored):
        with self.lock:
            self.pages[address] = (time.monotonic() + TIMEOUT, stored)
            self.pages.move_to_end(address)
            while len(self.pages) > LOCAL_MAX_PAGES:
                self.pages.popitem(last=False)


_process_pages = _ProcessPages()


def new_generation(**kwargs):
    """Retires every stored page; a signal receiver, so it takes any arguments."""
    generation = uuid.uuid4().hex
    cache.set(GENERATION_KEY, generation, None)
    _process_pages.reset(generation)


def forget_process_pages():
    """Drops what this process remembers (tests whose database and cache start afresh)."""
    _process_pages.reset()


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


def _response(stored, outcome):
    status, headers, content = stored
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response["X-Page-Cache"] = outcome
    return response


class PublicPageCacheMiddleware:
    """Serves stored public pages before sessions, users or the page tree are looked at."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _may_serve_from_cache(request):
            return self.get_response(request)
        address = f"{request.get_host()}{request.get_full_path()}"
        generation = _process_pages.current_generation()
        stored = _process_pages.get(address)
        if stored is not None:
            return _response(stored, "hit")
        shared_key = f"public-page-cache:{generation}:{hashlib.sha256(address.encode()).hexdigest()}"
        stored = cache.get(shared_key)
        if stored is not None:
            _process_pages.put(address, stored)
            return _response(stored, "hit")

        response = self.get_response(request)
        if _may_store(request, response):
            headers = [(name, value) for name, value in response.items() if name != "X-Page-Cache"]
            stored = (response.status_code, headers, response.content)
            cache.set(shared_key, stored, TIMEOUT)
            _process_pages.put(address, stored)
            response["X-Page-Cache"] = "miss"
        return response
