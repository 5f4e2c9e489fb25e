from wagtail import hooks
from wagtail.snippets.models import register_snippet

from experts import privacy

from .models import SpotlightArticlePage
from .viewsets import SpecialColumnViewSet

register_snippet(SpecialColumnViewSet)


@hooks.register(privacy.SUBJECT_ACCESS_HOOK)
def articles_on_expert(expert):
    """The spotlight articles that name the expert (by their public profile) among their related experts."""
    pages = SpotlightArticlePage.objects.filter(related_experts__profile__expert=expert).distinct()
    yield privacy.page_sheet("专家风采", pages.order_by("date", "pk"), ["title", "date", "author", "summary"])
