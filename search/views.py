"""The public search: Chinese words found inside longer runs, ranked, highlighted, by section."""

from django.template.response import TemplateResponse
from wagtail.models import Page, Site

from base.listings import paginate
from base.page_cache import cache_public

from .segmentation import query_words

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 100
# More results than anyone pages through; keeps a search for a common word cheap.
MAX_RESULTS = 500


def search_sections(request):
    """The sections a search can be limited to: the home page's live menu items."""
    site = Site.find_for_request(request)
    if site is None:
        return Page.objects.none()
    return site.root_page.get_children().live().in_menu()


def ranked_page_ids(pages, words):
    """Ids of the pages matching every word: title matches first, then the rest, each by relevance."""
    query = " ".join(words)
    in_title = [page.pk for page in pages.search(query, fields=["title"], operator="and")[:MAX_RESULTS]]
    anywhere = [page.pk for page in pages.search(query, operator="and")[:MAX_RESULTS]]
    return list(dict.fromkeys(in_title + anywhere))


@cache_public(params=("q", "section", "page"))
def search(request):
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    words = query_words(query)
    sections = list(search_sections(request))
    section = next((item for item in sections if item.slug == request.GET.get("section")), None)

    page_ids = []
    if words:
        pages = Page.objects.live().public()
        if section is not None:
            pages = pages.descendant_of(section)
        page_ids = ranked_page_ids(pages, words)
    results = paginate(request, page_ids, RESULTS_PER_PAGE)
    found = {page.pk: page for page in Page.objects.filter(pk__in=results.object_list).specific()}
    results.object_list = [found[pk] for pk in results.object_list if pk in found]

    return TemplateResponse(
        request,
        "search/search.html",
        {
            "search_query": query,
            # Whole query terms first, so "人民医院" is highlighted as one word where it appears whole.
            "search_words": list(dict.fromkeys([*query.split(), *words])),
            "sections": sections,
            "selected_section": section,
            "search_results": results,
        },
    )
