"""A chooser for the expert record an item concerns, limited to the user's levels.

It lives here because only the intake forms use it (its search and columns come from
experts.choosers); it is not registered as the default widget for foreign keys to Expert.
"""

from django.core.exceptions import PermissionDenied
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView, ChosenMultipleView, ChosenView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from experts.choosers import ExpertChooserListMixin
from experts.models import Expert
from staff.scoping import restrict_to_scope, sees_model

from .models import IntakeItem


def experts_in_scope(user):
    return restrict_to_scope(Expert.objects.select_related("unit"), user)


class IntakeStaffOnlyMixin:
    """The chooser serves the item forms: only those who register or change items open it."""

    def dispatch(self, request, *args, **kwargs):
        if not sees_model(request.user, IntakeItem, ("add", "change")):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ScopedExpertListMixin(IntakeStaffOnlyMixin, ExpertChooserListMixin):
    def get_object_list(self):
        return experts_in_scope(self.request.user)


class ExpertChooseView(ScopedExpertListMixin, ChooseView):
    pass


class ExpertChooseResultsView(ScopedExpertListMixin, ChooseResultsView):
    pass


class ExpertChosenView(IntakeStaffOnlyMixin, ChosenView):
    def get_object(self, pk):
        return experts_in_scope(self.request.user).get(pk=pk)


class ExpertChosenMultipleView(IntakeStaffOnlyMixin, ChosenMultipleView):
    def get_objects(self, pks):
        return experts_in_scope(self.request.user).filter(pk__in=pks)


class ExpertChooserViewSet(ChooserViewSet):
    model = Expert
    icon = "user"
    choose_one_text = "选择相关专家"
    choose_another_text = "更换专家"
    page_title = "选择相关专家"
    register_widget = False
    url_prefix = "intake/expert-chooser"
    choose_view_class = ExpertChooseView
    choose_results_view_class = ExpertChooseResultsView
    chosen_view_class = ExpertChosenView
    chosen_multiple_view_class = ExpertChosenMultipleView


expert_chooser_viewset = ExpertChooserViewSet("intake_expert_chooser")
