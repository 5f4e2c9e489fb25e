"""What every public page's <head> says about it: description, canonical URL, Open Graph, JSON-LD."""

import json

from django import template
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from wagtail.models import Page

from base.models import PortalSettings, absolute_image_url

register = template.Library()

DESCRIPTION_LENGTH = 150
# JSON inside <script> must not close the element or open a comment.
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def page_description(page):
    for value in (page.search_description, getattr(page, "summary", ""), getattr(page, "intro", "")):
        text = " ".join(strip_tags(str(value or "")).split())
        if text:
            return text[:DESCRIPTION_LENGTH]
    return ""


@register.inclusion_tag("includes/page_meta.html", takes_context=True)
def page_meta(context):
    """Meta tags for the page in the context; views may override title, description, URL and image."""
    request = context.get("request")
    page = context.get("page")
    if not isinstance(page, Page):
        return {"has_page": False}
    image = context.get("social_image", getattr(page, "social_image", None))
    structured_data = page.structured_data(request) if hasattr(page, "structured_data") else None
    return {
        "has_page": True,
        "site_name": PortalSettings.for_request(request).portal_name,
        "title": context.get("meta_title") or page.seo_title or page.title,
        "description": context.get("meta_description") or page_description(page),
        "canonical_url": context.get("canonical_url") or page.get_full_url(request),
        "og_type": "article" if hasattr(page, "date") else "website",
        "image_url": absolute_image_url(request, image),
        "image_alt": (getattr(page, "cover_alt", "") or getattr(page, "photo_alt", "")) if image else "",
        "structured_data": json_ld(structured_data) if structured_data else "",
    }


def json_ld(data):
    data = {key: value for key, value in data.items() if value not in (None, "", [])}
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES))  # noqa: S308 - escaped above
