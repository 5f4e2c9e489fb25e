from wagtail import hooks

from experts import privacy

from .models import HonourPage


@hooks.register(privacy.SUBJECT_ACCESS_HOOK)
def honours_of_expert(expert):
    """The honour pages that list the expert (by their public profile) among the recipients."""
    pages = HonourPage.objects.filter(recipients__profile__expert=expert).distinct().order_by("date", "pk")
    yield privacy.page_sheet(
        "荣誉表彰", pages, ["title", "honour_type", "conferred_title", "conferring_body", "date", "summary"]
    )
