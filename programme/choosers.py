"""The expert chooser of the programme's forms: the active experts the user may see, one or several
at once. It opens only for users who may record some kind of the programme's records."""

from django.core.exceptions import PermissionDenied
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView, ChosenMultipleView, ChosenView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from experts.choosers import ExpertChooserListMixin
from experts.models import Expert, ExpertStatus
from experts.widgets import plain_ids
from staff.scoping import visible_rows

from .kinds import KINDS


def experts_to_serve(user):
    """The active experts `user` may name in a record of the programme."""
    return visible_rows(user, Expert).filter(status=ExpertStatus.ACTIVE)


def expert_label(expert):
    return f"{expert.name}（{expert.unit.name}）"


class RecordersOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not any(
            user.has_perm(f"{kind.model._meta.app_label}.{action}_{kind.model._meta.model_name}")
            for kind in KINDS.values()
            for action in ("add", "change")
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ExpertListMixin(RecordersOnlyMixin, ExpertChooserListMixin):
    per_page = 20

    def get_object_list(self):
        return experts_to_serve(self.request.user).select_related("unit").order_by("name", "pk")


class ExpertChooseView(ExpertListMixin, ChooseView):
    pass


class ExpertChooseResultsView(ExpertListMixin, ChooseResultsView):
    pass


class ExpertChosenMixin(RecordersOnlyMixin):
    def get_display_title(self, instance):
        return expert_label(instance)


class ExpertChosenView(ExpertChosenMixin, ChosenView):
    def get_object(self, pk):
        return experts_to_serve(self.request.user).select_related("unit").get(pk__in=plain_ids([pk]))


class ExpertChosenMultipleView(ExpertChosenMixin, ChosenMultipleView):
    def get_objects(self, pks):
        return experts_to_serve(self.request.user).select_related("unit").filter(pk__in=plain_ids(pks))


class ProgrammeExpertChooserViewSet(ChooserViewSet):
    model = Expert
    icon = "user"
    choose_one_text = "选择专家"
    choose_another_text = "改选专家"
    page_title = "选择专家"
    register_widget = False
    url_prefix = "programme/experts"
    choose_view_class = ExpertChooseView
    choose_results_view_class = ExpertChooseResultsView
    chosen_view_class = ExpertChosenView
    chosen_multiple_view_class = ExpertChosenMultipleView

    def get_urlpatterns(self):
        # Experts are added in the expert database, never from a service record's chooser.
        return [pattern for pattern in super().get_urlpatterns() if pattern.name != "create"]


expert_chooser_viewset = ProgrammeExpertChooserViewSet("programme_experts")


class ExpertChooserWidget(expert_chooser_viewset.widget_class):
    """The chooser of one expert on a form, showing only an expert of `experts` (set by the form):
    an id posted by hand, refused, is shown as no choice, never as another office's expert's name."""

    experts = Expert.objects.none()

    def get_instance(self, value):
        if value is None or isinstance(value, Expert):
            return value
        return self.experts.select_related("unit").filter(pk__in=plain_ids([value])).first()

    def get_display_title(self, instance):
        return expert_label(instance)  # as the chooser shows a newly chosen expert
