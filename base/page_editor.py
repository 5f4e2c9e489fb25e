"""The page editor's create view: an autosave and a submit that arrive together make one page, not a 500.

Wagtail 8 autosaves a new page half a second after the last keystroke by POSTing the create form
(JSON). An editor who presses 提交审核 within that half second sends a second POST to the same
create URL. Both requests passed the form's slug check before either had saved, so the slower one
failed in `add_child` ("slug … already in use", or the tree path's unique constraint): a 500, and
the autosaved draft stayed behind.

The least invasive fix is a create view subclass, registered the supported way (a `PageViewSet`
for all page types, see base/viewsets.py), that changes two things only:
- creates under one parent run one after another (the parent row is locked; SQLite's IMMEDIATE
  transactions already serialise writers), so the second request's form check sees the first
  request's page and answers with the form and its message, never with a 500;
- a form submit that finds the page its own autosave has just created continues on that page
  through the edit view (saved, submitted, validated as any edit), so no stray draft is left.
Retrying with another slug was the alternative, but it would leave two pages for one article.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from wagtail.admin.views.pages.create import CreateView
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.models import Page

# An autosave answers within seconds; a draft older than this is a page of its own, not a twin.
AUTOSAVE_TWIN_AGE = datetime.timedelta(minutes=5)


class PageCreateView(CreateView):
    def post(self, request):
        with transaction.atomic():
            # Locks the parent row until this create has committed (a no-op on SQLite, see above),
            # and re-reads its child count: treebeard answers "no children" from a stale count, so
            # the form's slug check would not see the page that the other request has just made.
            self.parent_page.numchild = (
                Page.objects.select_for_update().values_list("numchild", flat=True).get(pk=self.parent_page.pk)
            )
            twin = None if self.expects_json_response else self.autosaved_twin()
            if twin is not None:
                edit_view = page_viewset_registry.get_by_type(type(twin)).edit_view
                return edit_view(request, page_id=twin.pk)
            return super().post(request)

    def autosaved_twin(self):
        """The draft this editor's autosave made from this same form moments ago: same type, parent
        and slug, never published nor submitted."""
        slug = self.request.POST.get("slug")
        if not slug:
            return None
        twin = (
            self.page_class.objects.child_of(self.parent_page)
            .filter(
                slug=slug,
                owner=self.request.user,
                live=False,
                first_published_at__isnull=True,
                latest_revision_created_at__gte=timezone.now() - AUTOSAVE_TWIN_AGE,
            )
            .first()
        )
        if twin is None or twin.workflow_states.exists():
            return None
        return twin
