"""A full-page cache for the public site, emptied whenever anything public changes.

Only responses that a public view marked cacheable are stored (page types with
`public_page_cache = True`, the search page, feeds, the sitemap), only for visitors
without a session or message cookie, and never a response that sets a cookie (a form's
CSRF token), says it is private or used a Content-Security-Policy nonce. A stored page keeps
no policy header: the policies are added to every response, a hit's too, outside this cache. Previews are admin views and never marked.

A cacheable view names the query parameters it reads (`public_page_cache_params` on a
page type, `cache_public(params=...)` on a view); it is shown only those, and its page is
stored under its path and those parameters, normalised. The other parameters (tracking
tags, random strings) neither reach the view nor make a new entry. The middleware looks a
page up before any view runs, so each stored page also records its path's parameters.

Every publish, unpublish, move or delete, and every change to site settings, view
restrictions, images or documents, starts a new generation in the shared cache once the
change is committed, which retires every stored page at once. Each app-server process also
keeps the pages it served in memory and asks the shared cache for the generation at most
once a second: a hit then costs no database or network round trip, and a change made in
another process shows within a second (at once in the process that made it).

What many pages share (the menu, the site settings, the site, the way to each page, cards)
is kept in the same way (`remembered`, `{% public_fragment %}`), so that a page the cache
cannot answer renders quickly and a publish still retires all of it.
"""

import copy
import functools
import hashlib
import threading
import time
from collections import OrderedDict
from urllib.parse import unquote, urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.utils.cache import cc_delim_re
from wagtail.models import Site
from wagtail.url_routing import RouteResult

from . import generations

GENERATION_KEY = "public-page-cache:generation"
TIMEOUT = 15 * 60
GENERATION_CHECK_SECONDS = 1.0
LOCAL_MAX_PAGES = 500
UNCACHEABLE_DIRECTIVES = {"private", "no-cache", "no-store"}


def normalised_query(query, params):
    """The query string of `params` in `query` as a view reads them: each parameter's last
    value (what `QueryDict.get` returns), blank ones dropped (every reader treats them as
    absent), sorted by name, encoded one way."""
    pairs = ((name, query.get(name)) for name in sorted(set(params)))
    return urlencode([(name, value) for name, value in pairs if value is not None and value.strip()])


def mark_cacheable(request, params=()):
    """Lets the cache store this request's response (public content only).

    The view is shown only the query parameters `params`, so its response cannot depend on
    any other, and the page is stored under those alone.
    """
    request.public_page_cache = tuple(params)
    request.GET = QueryDict(normalised_query(request.GET, params))


def cache_public(view=None, *, params=()):
    """Decorator: the view's responses may be stored in the public page cache.

    `params`: the query parameters the view reads; `@cache_public` alone for none.
    """
    if view is None:
        return functools.partial(cache_public, params=params)

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        mark_cacheable(request, params)
        return view(request, *args, **kwargs)

    return wrapped


class _ProcessPages:
    """This process's stored pages, paths' parameters and remembered values of the current
    generation, least recently used dropped first (a value in use is never the oldest)."""

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
            generation = generations.current(GENERATION_KEY)
            if generation != self.generation:
                self.reset(generation)
            self.checked_at = time.monotonic()
        return self.generation

    def get(self, key):
        with self.lock:
            entry = self.pages.get(key)
            if entry is None or entry[0] < time.monotonic():
                return None
            self.pages.move_to_end(key)
            return entry[1]

    def put(self, generation, key, stored):
        with self.lock:
            # What was rendered while a newer generation started may show the older content.
            if generation != self.generation:
                return
            self.pages[key] = (time.monotonic() + TIMEOUT, stored)
            self.pages.move_to_end(key)
            while len(self.pages) > LOCAL_MAX_PAGES:
                self.pages.popitem(last=False)


_process_pages = _ProcessPages()


def new_generation(**kwargs):
    """Retires every stored page at once; takes a signal's arguments."""
    _process_pages.reset(generations.renew(GENERATION_KEY))


def retire_on_commit(**kwargs):
    """Signal receiver: retires every stored page once the change is committed.

    Not earlier: with a cache outside the database (Redis) a generation started inside the
    transaction is seen by other processes at once, and they would fill it with pages
    rendered from the content not yet committed over. Retiring at signal time as well would
    add nothing, since whatever it stored is retired again at commit.
    """
    transaction.on_commit(new_generation)


def remembered(key, compute):
    """`compute()`, kept in this process until anything public changes (a new generation).

    For what many public pages share (the menu, the site settings, cards): `key` says
    everything the value depends on. Read the generation first, so a value computed while
    a change commits is never kept under the generation that follows it.
    """
    generation = _process_pages.current_generation()
    value = _process_pages.get(("remembered", *key))
    if value is None:
        value = compute()
        _process_pages.put(generation, ("remembered", *key), value)
    return value


def forget_process_pages():
    """Drops what this process remembers (tests whose database and cache start afresh)."""
    _process_pages.reset()


class _Entry:
    """Where one kind of thing is stored for an address: in this process and in the shared cache."""

    def __init__(self, kind, generation, address):
        self.kind = kind
        self.address = address
        self.local_key = (kind, address)
        self.generation = generation

    def shared_key(self):
        digest = hashlib.sha256(self.address.encode()).hexdigest()
        return f"public-page-cache:{self.generation}:{self.kind}:{digest}"

    def get(self):
        stored = _process_pages.get(self.local_key)
        if stored is None:
            stored = cache.get(self.shared_key())
            if stored is not None:
                _process_pages.put(self.generation, self.local_key, stored)
        return stored

    def put(self, stored):
        cache.set(self.shared_key(), stored, TIMEOUT)
        _process_pages.put(self.generation, self.local_key, stored)


def _is_personal(request):
    # A session (a signed-in editor) or a pending flash message means content for this visitor only.
    return bool({settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name} & request.COOKIES.keys())


def _may_serve_from_cache(request):
    return request.method in ("GET", "HEAD") and not _is_personal(request)


def _may_store(request, response):
    if getattr(request, "public_page_cache", None) is None or getattr(request, "is_preview", False):
        return False
    if request.method != "GET" or response.status_code != 200 or response.streaming or response.cookies:
        return False
    # A page whose template read the CSP nonce (`request.csp_nonce`, true once read) would give every
    # visitor that same nonce, and its inline script would be refused on a hit, whose policy has a new one.
    if getattr(request, "csp_nonce", None):
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
        path = f"{request.get_host()}{request.path}"
        # Read before rendering: a page stored under it was rendered after it started.
        generation = _process_pages.current_generation()
        if any(value.strip() for value in request.GET.values()):
            params = _Entry("params", generation, path).get()
        else:
            params = ()  # whatever the path reads, it reads nothing here
        if params is not None:
            stored = _Entry("page", generation, f"{path}?{normalised_query(request.GET, params)}").get()
            if stored is not None:
                return _response(stored, "hit")

        response = self.get_response(request)
        if _may_store(request, response):
            params = request.public_page_cache
            headers = [(name, value) for name, value in response.items() if name != "X-Page-Cache"]
            known = _Entry("params", generation, path)
            if _process_pages.get(known.local_key) != params:
                known.put(params)
            # request.GET holds only `params` by now (mark_cacheable).
            _Entry("page", generation, f"{path}?{normalised_query(request.GET, params)}").put(
                (response.status_code, headers, response.content)
            )
            response["X-Page-Cache"] = "miss"
        return response


class SiteLookupsMiddleware:
    """Spares a visitor's request the lookups Wagtail makes on every request: the site, the sites'
    root paths, and the way to the page (the site's root page, then one level of the tree at a
    time, two queries a level). All change only with a new generation (saving a site, moving or
    renaming a page), so they are kept in this process until then, and a known page is read in one
    query. Wagtail finds them on the request (`_wagtail_site`, `_wagtail_cached_site_root_paths`,
    `_wagtail_route_for_request`). Signed-in staff keep Wagtail's own lookups."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _is_personal(request):
            return self.get_response(request)
        generation = _process_pages.current_generation()
        site = remembered(("site", request.get_host(), request.get_port()), lambda: Site.find_for_request(request))
        if site is not None:
            request._wagtail_site = copy.copy(site)  # the request's own: Wagtail caches its root page on it
            request._wagtail_site._state.fields_cache = {}
        request._wagtail_cached_site_root_paths = remembered(("site-root-paths",), Site.get_site_root_paths)
        if site is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)

        route_key = ("route", site.pk, request.path_info)
        known = _process_pages.get(route_key)
        route = _route(request, *known) if known is not None else None
        if route is not None:
            request._wagtail_route_for_request = route
        response = self.get_response(request)
        routed = getattr(request, "_wagtail_route_for_request", None)
        # Only addresses that lead somewhere: made-up ones (a column's random slug) are not kept.
        if route is None and routed is not None and response.status_code == 200:
            page_path = unquote(routed.page.get_url_parts(request)[2])  # Chinese slugs come quoted
            subpath = None  # a page's own address; a routable page's routes get the rest
            if routed.args:
                subpath = "/" + request.path_info.removeprefix(page_path)
            if request.path_info.startswith(page_path):
                _process_pages.put(generation, route_key, (type(routed.page), routed.page.pk, subpath))
        return response


def _route(request, model, pk, subpath):
    """What Wagtail's routing found for this address before, with the page read anew (or None)."""
    page = model.objects.filter(pk=pk, live=True).first()
    if page is None:
        return None
    if subpath is None:
        return RouteResult(page)
    # As RoutablePageMixin.route does: the view bound to this page object.
    match = page.resolve_subpage(subpath)
    request.routable_resolver_match = match
    return RouteResult(page, args=tuple(match))
