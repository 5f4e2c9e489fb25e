"""The admin of public answers (公开答复), scoped by the level of the item each one answers.

The rows follow the model's permission policy (registered in wagtail_hooks.py on the item's
level): a county's office sees its county's answers, in every view and the chooser, and another
county's answer is a 404. An answer without an item has no level: only city staff see it, so only
they write one directly; a county's office starts one from its item (DraftPublicAnswerView).
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from wagtail.snippets.views import snippets

from staff.scoping import (
    ALL_LEVELS,
    LevelScopedIndexMixin,
    LevelScopedObjectMixin,
    PolicyChooserViewSet,
    ensure_in_scope,
    level_scope,
)


class AnswerIndexView(LevelScopedIndexMixin, snippets.IndexView):
    pass


class CityOnlyCreationMixin:
    """Writing an answer directly (not from an item) is for city staff: an answer without an item is theirs."""

    def dispatch(self, request, *args, **kwargs):
        if level_scope(request.user) is not ALL_LEVELS:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class AnswerCreateView(CityOnlyCreationMixin, snippets.CreateView):
    pass


class AnswerPreviewOnCreateView(CityOnlyCreationMixin, snippets.PreviewOnCreateView):
    pass


class AnswerEditView(LevelScopedObjectMixin, snippets.EditView):
    object_action = "change"


class AnswerDeleteView(LevelScopedObjectMixin, snippets.DeleteView):
    pass


class AnswerUsageView(LevelScopedObjectMixin, snippets.UsageView):
    pass


class AnswerHistoryView(LevelScopedObjectMixin, snippets.HistoryView):
    pass


class AnswerPreviewOnEditView(snippets.PreviewOnEditView):
    def get_object(self):
        # Wagtail's lookup refuses a row out of scope as forbidden; out of scope is "not there".
        ensure_in_scope(self.request.user, get_object_or_404(self.model, pk=self.kwargs["pk"]))
        return super().get_object()


class AnswerRevisionView(LevelScopedObjectMixin, snippets.PreviewRevisionView):
    pass


class AnswerRevisionsCompareView(LevelScopedObjectMixin, snippets.RevisionsCompareView):
    pass


class AnswerRevisionsUnscheduleView(LevelScopedObjectMixin, snippets.RevisionsUnscheduleView):
    pass


class AnswerUnpublishView(LevelScopedObjectMixin, snippets.UnpublishView):
    pass


class AnswerChooserViewSet(PolicyChooserViewSet):
    create_view_class = type(
        "AnswerChooserCreateView", (CityOnlyCreationMixin, PolicyChooserViewSet.create_view_class), {}
    )
