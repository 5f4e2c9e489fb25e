"""Chinese word segmentation for the public search index and its queries.

Wagtail's database backend (SQLite FTS5 `unicode61`, PostgreSQL `simple`) keeps a run of
Chinese characters as one token, so "医学" would not find "医学博士张某某扎根基层". The
text of every searchable field is indexed as jieba's search-mode words separated by
spaces, and the query is cut the same way, so both sides share one vocabulary.
"""

import functools
import logging
import re

from django.utils.html import strip_tags
from wagtail.models import Page
from wagtail.search import index

# Punctuation and spaces carry no meaning for the index; dropping them keeps it small.
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


@functools.cache
def _jieba():
    # Imported when first needed: jieba takes ~20 MB, and its dictionary ~60 MB more once it
    # cuts text, which only search and indexing do (not the admin, the task worker, most pages).
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def load_dictionary():
    """Loads jieba's dictionary now rather than on the first search: an app server calls it before
    forking its workers, which then share it (gunicorn --preload)."""
    _jieba().initialize()


def segment(text):
    """`text` as space-separated search words: "来宾市人民医院" -> "来宾 来宾市 人民 医院"."""
    if not text:
        return ""
    words = (word.strip() for word in _jieba().cut_for_search(strip_tags(str(text))))
    return " ".join(word for word in words if word and not _NOISE.fullmatch(word))


def query_words(query):
    """The distinct words of a search query, in order, as the index has them."""
    return list(dict.fromkeys(segment(query).split()))


class SegmentedSearchField(index.SearchField):
    """A SearchField whose indexed value is the segmented text of the field.

    Keeping the field's own name matters: the backends put a field named "title" in the
    index's title column, which ranks above the body.
    """

    def get_value(self, obj):
        value = super().get_value(obj)
        if isinstance(value, list | tuple):
            value = " ".join(str(item) for item in value)
        return segment(value)


def page_search_fields(*field_names):
    """Page's own search fields plus the segmented title and segmented `field_names`.

    The unsegmented title stays (Wagtail's checks expect Page's fields); it adds one
    whole-title token, which does no harm.
    """
    return [
        *Page.search_fields,
        SegmentedSearchField("title", boost=2),
        *(SegmentedSearchField(name) for name in field_names),
    ]
