"""Purges pages from nginx's proxy cache for Wagtail's frontend-cache invalidation.

Debian's purge module (libnginx-mod-http-cache-purge 2.3) crashes nginx's worker when a PURGE
is sent to the cached address itself, so the profile's nginx (deploy/nginx/profile.conf.template)
purges in a location of its own: a page's address under LOCATION's path, e.g.
http://127.0.0.1:8080/purge/news/ for /news/. nginx keys its cache on the address alone.

Wagtail purges from inside the publish's transaction; the request goes out once it commits, as the
portal's own page cache retires itself (base/page_cache.py): sent earlier, a visitor's request in
between would have nginx store the page as it was.
"""

import functools
import logging
from urllib.error import HTTPError, URLError
from urllib.parse import quote, urlsplit, urlunsplit
from urllib.request import urlopen

from django.db import transaction
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest

logger = logging.getLogger("wagtail.frontendcache")

# A purge runs when a publish commits, inside the editor's request: never wait long for nginx.
TIMEOUT_SECONDS = 5


class NginxPurgeBackend(HTTPBackend):
    def __init__(self, params):
        self.purge_prefix = urlsplit(params["LOCATION"]).path.rstrip("/")
        super().__init__(params)

    def purge(self, url):
        transaction.on_commit(functools.partial(self._send_purge, url))

    def _send_purge(self, url):
        parts = urlsplit(url)
        # As a browser sends it (Chinese slugs percent-encoded), which is what nginx stored it under.
        path = quote(self.purge_prefix + (parts.path or "/"), safe="/%-._~!$&'()*+,;=:@")
        request = PurgeRequest(
            url=urlunsplit((self.cache_scheme, self.cache_netloc, path, parts.query, "")),
            headers={"Host": parts.netloc, "User-Agent": "Wagtail-frontendcache"},
        )
        try:
            urlopen(request, timeout=TIMEOUT_SECONDS)  # noqa: S310 - LOCATION comes from the settings
        except HTTPError as error:
            if error.code != 404:  # 404: nginx had nothing stored under that address
                logger.error("Couldn't purge '%s' from nginx's cache: HTTP %d", url, error.code)
        except (URLError, TimeoutError) as error:
            logger.error("Couldn't purge '%s' from nginx's cache: %s", url, getattr(error, "reason", error))
