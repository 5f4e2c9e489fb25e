from wagtail import hooks

from .page_cache import mark_cacheable


@hooks.register("before_serve_page")
def allow_public_page_cache(page, request, serve_args, serve_kwargs):
    # Page types opt in, naming the query parameters they read; the contact page (a form,
    # per-user results) does not.
    if getattr(page, "public_page_cache", False):
        mark_cacheable(request, getattr(page, "public_page_cache_params", ()))
