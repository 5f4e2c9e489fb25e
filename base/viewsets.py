from wagtail.admin.viewsets.pages import PageViewSet

from .page_editor import PageCreateView


class PortalPageViewSet(PageViewSet):
    """Wagtail's page views for every page type, with the create view that survives an autosave
    arriving with the submit (base/page_editor.py)."""

    add_view_class = PageCreateView
