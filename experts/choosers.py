"""The admin's one expert chooser (专家选择): every form that names experts opens it, one expert or
several at once.

A form opens it for a purpose (`?purpose=`, kept as the chooser pages, searches and returns): an app
registers its purposes from its wagtail_hooks.py with the PURPOSE_HOOK hook, each saying who may open
it and which experts it offers. Without a purpose it offers the experts in the database (在库) the
user may see in the expert list. It shows names, units, levels and title levels, never a phone
number, and searches names and units only; the forms check every posted choice again."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from wagtail import hooks
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView, ChosenMultipleView, ChosenView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from staff.scoping import sees_model, visible_rows

from .models import Expert, ExpertStatus
from .widgets import expert_label, plain_ids

PURPOSE_HOOK = "register_expert_chooser_purpose"


@dataclass(frozen=True)
class Purpose:
    """What a form picks experts for: who may open the chooser for it and which experts it offers."""

    name: str
    may_open: Callable  # (user) -> bool
    experts: Callable  # (user) -> a queryset of Expert
    public: bool = False  # for public pages: a unit shows (and is searched) only where the expert agreed


def experts_in_database(user):
    """The experts in the database (在库) that `user` may see."""
    return visible_rows(user, Expert).filter(status=ExpertStatus.ACTIVE)


DEFAULT_PURPOSE = Purpose("", lambda user: sees_model(user, Expert), experts_in_database)


def purpose_named(name):
    if not name:
        return DEFAULT_PURPOSE
    for register in hooks.get_hooks(PURPOSE_HOOK):
        purpose = register()
        if purpose.name == name:
            return purpose
    return None


def unit_shown(expert, public):
    return expert.unit.name if expert.public_shows_unit or not public else ""


def status_name(expert):
    return expert.name if expert.status == ExpertStatus.ACTIVE else f"{expert.name}（已调出）"


class ExpertSearchForm(BaseFilterForm):
    q = forms.CharField(
        label="搜索",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "姓名或工作单位，例如“韦某”"}),
    )

    def __init__(self, *args, public=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.public = public

    def filter(self, objects):
        query = self.cleaned_data.get("q", "").strip()
        if query:
            in_unit = Q(unit__name__icontains=query)  # Django's icontains: any Chinese substring matches
            if self.public:
                in_unit &= Q(public_shows_unit=True)
            objects = objects.filter(Q(name__icontains=query) | in_unit)
            self.is_searching, self.search_query = True, query
        return objects


class PurposeMixin:
    """Opens for the request's purpose, to those it lets in; an unknown purpose is a 404."""

    def dispatch(self, request, *args, **kwargs):
        self.purpose = purpose_named(request.GET.get("purpose", ""))
        if self.purpose is None:
            raise Http404
        if not self.purpose.may_open(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def offered(self):
        return self.purpose.experts(self.request.user).select_related("unit")


class ExpertListMixin(PurposeMixin):
    filter_form_class = ExpertSearchForm

    def get_object_list(self):
        return self.offered().order_by("name", "pk")

    def get_filter_form(self):
        return self.get_filter_form_class()(self.request.GET, public=self.purpose.public)

    @property
    def columns(self):
        name = self.title_column  # Wagtail's: links to the chosen view, or a checkbox label when several
        name.label, name.accessor = "姓名", status_name
        public = self.purpose.public
        return [
            name,
            Column("unit", label="工作单位", accessor=lambda expert: unit_shown(expert, public) or "—"),
            Column("level", label="属地", accessor="get_level_display"),
            Column("title_level", label="职称级别", accessor="get_title_level_display"),
        ]


class ExpertChooseView(ExpertListMixin, ChooseView):
    pass


class ExpertChooseResultsView(ExpertListMixin, ChooseResultsView):
    pass


class ExpertChosenMixin(PurposeMixin):
    def get_display_title(self, instance):
        return expert_label(instance, self.purpose.public)

    def get_edit_item_url(self, instance):
        return None  # the chooser's users need not see the expert's record


class ExpertChosenView(ExpertChosenMixin, ChosenView):
    def get_object(self, pk):
        return self.offered().get(pk__in=plain_ids([pk]))


class ExpertChosenMultipleView(ExpertChosenMixin, ChosenMultipleView):
    def get_objects(self, pks):
        return self.offered().filter(pk__in=plain_ids(pks))


class ExpertChooserViewSet(ChooserViewSet):
    model = Expert
    icon = "user"
    choose_one_text = "选择专家"
    choose_another_text = "改选专家"
    page_title = "选择专家"
    register_widget = False
    per_page = 20
    preserve_url_parameters = ["multiple", "purpose"]  # the purpose stays as the chooser searches and pages
    url_prefix = "experts/chooser"
    choose_view_class = ExpertChooseView
    choose_results_view_class = ExpertChooseResultsView
    chosen_view_class = ExpertChosenView
    chosen_multiple_view_class = ExpertChosenMultipleView

    def get_urlpatterns(self):
        # Experts are added in the expert database, never from a form's chooser.
        return [pattern for pattern in super().get_urlpatterns() if pattern.name != "create"]


expert_chooser_viewset = ExpertChooserViewSet("expert_chooser")
