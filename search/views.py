"""The public search: Chinese words found inside longer runs, ranked, highlighted, by section."""

from django.template.response import TemplateResponse
from wagtail.models import Page, Site

from base.models import paginate
from home.page_cache import cache_public

from .segmentation import query_words

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 100


def search_sections(request):
    """The sections a search can be limited to: the home page's live menu items."""
    site = Site.find_for_request(request)
    if site is None:
        return Page.objects.none()
    return site.root_page.get_children().live().in_menu()


@cache_public
def search(request):
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    words = query_words(query)
    sections = list(search_sections(request))
    section = next((item for item in sections if item.slug == request.GET.get("section")), None)

    results = Page.objects.none()
    if words:
        pages = Page.objects.live().public().specific()
        if section is not None:
            pages = pages.descendant_of(section)
        results = pages.search(" ".join(words), operator="and")

    return TemplateResponse(
        request,
        "search/search.html",
        {
            "search_query": query,
            "search_words": words,
            "sections": sections,
            "selected_section": section,
            "search_results": paginate(request, results, RESULTS_PER_PAGE),
        },
    )
