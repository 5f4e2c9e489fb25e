from wagtail.snippets.models import register_snippet

from .viewsets import SpecialColumnViewSet

register_snippet(SpecialColumnViewSet)
