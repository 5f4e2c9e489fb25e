from wagtail import hooks

from experts import privacy
from programme.timeline import TIMELINE_SOURCES_HOOK, Entry, Source

from .models import HonourPage


@hooks.register(privacy.SUBJECT_ACCESS_HOOK)
def honours_of_expert(expert):
    """The honour pages that list the expert (by their public profile) among the recipients."""
    pages = HonourPage.objects.filter(recipients__profile__expert=expert).distinct().order_by("date", "pk")
    yield privacy.page_sheet(
        "荣誉表彰", pages, ["title", "honour_type", "conferred_title", "conferring_body", "date", "summary"]
    )


def honour_entries(request, expert):
    """The live honours that name the expert (by their public profile) among the recipients: public
    pages, shown to whoever may open the expert."""
    pages = HonourPage.objects.live().filter(recipients__profile__expert=expert).distinct().order_by("-date", "-pk")
    return [Entry(page.date, page.title, page.get_url(request), page.conferring_body) for page in pages]


@hooks.register(TIMELINE_SOURCES_HOOK)
def honours_timeline_sources():
    return [Source("honours", "荣誉表彰", honour_entries)]
