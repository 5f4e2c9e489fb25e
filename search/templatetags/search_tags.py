import re

from django import template
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

register = template.Library()

EXCERPT_LENGTH = 120


def _pattern(words):
    # Longest words first, so "人民医院" is marked whole rather than as "人民" + "医院".
    ordered = sorted({word for word in words if word}, key=len, reverse=True)
    return re.compile("|".join(re.escape(word) for word in ordered), re.IGNORECASE) if ordered else None


@register.filter
def highlight(text, words):
    """`text`, escaped, with every search word wrapped in <mark>."""
    text = str(text or "")
    pattern = _pattern(words)
    if pattern is None:
        return escape(text)
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text was escaped above


@register.simple_tag
def search_excerpt(page, words):
    """A short plain-text excerpt of `page` around the first search word, highlighted."""
    text = " ".join(
        strip_tags(str(value))
        for value in (getattr(page, "summary", ""), page.search_description, getattr(page, "intro", ""))
        if value
    ).strip()
    pattern = _pattern(words)
    match = pattern.search(text) if pattern else None
    start = max(0, match.start() - EXCERPT_LENGTH // 3) if match else 0
    excerpt = text[start : start + EXCERPT_LENGTH]
    prefix = "…" if start else ""
    suffix = "…" if start + EXCERPT_LENGTH < len(text) else ""
    return mark_safe(f"{prefix}{highlight(excerpt, words)}{suffix}")  # noqa: S308 - highlight escapes
