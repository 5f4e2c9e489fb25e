"""The leader chooser (选择领导): the 联系领导 / 参加领导 filters of the contact record, pairing and
must-visit lists open it, rather than a drop-down of every leader the user sees (a whole region has
thousands, and the list drew them all on every page). It offers the leaders the user sees, searched
by name or post, and shows only the chosen one's name on the page."""

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView, ChosenView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from experts.widgets import plain_ids
from staff.scoping import sees_model, visible_rows

from .models import ContactRecord, Leader, MustVisit, Pairing

FILTERED_BY_LEADER = (ContactRecord, Pairing, MustVisit)  # the lists whose filter opens the chooser


def leaders_seen_by(user):
    return visible_rows(user, Leader) if user else Leader.objects.none()


class OpenToListUsersMixin:
    """Opens to those who see a list the chooser filters, and to no one else."""

    def dispatch(self, request, *args, **kwargs):
        if not any(sees_model(request.user, model) for model in FILTERED_BY_LEADER):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class LeaderSearchForm(BaseFilterForm):
    # Named by aria-label too: the list behind the modal has its own search box with the same id
    # (Wagtail's chooser script finds the field as #id_q), which its label's `for` would reach first.
    q = forms.CharField(
        label="搜索",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "姓名或职务，例如“区长”", "aria-label": "搜索领导"}),
    )

    def filter(self, objects):
        query = self.cleaned_data.get("q", "").strip()
        if query:
            objects = objects.filter(Q(name__icontains=query) | Q(post__icontains=query))
            self.is_searching, self.search_query = True, query
        return objects


class LeaderListMixin(OpenToListUsersMixin):
    filter_form_class = LeaderSearchForm

    def get_object_list(self):
        return leaders_seen_by(self.request.user)

    @property
    def columns(self):
        name = self.title_column  # Wagtail's: links to the chosen view
        name.label, name.accessor = "姓名", "name"
        return [
            name,
            Column("post", label="职务"),
            Column("level", label="属地", accessor="get_level_display"),
            Column("active", label="状态", accessor=lambda leader: "在任" if leader.active else "已停用"),
        ]


class LeaderChooseView(LeaderListMixin, ChooseView):
    pass


class LeaderChooseResultsView(LeaderListMixin, ChooseResultsView):
    pass


class LeaderChosenView(OpenToListUsersMixin, ChosenView):
    def get_object(self, pk):
        return leaders_seen_by(self.request.user).get(pk__in=plain_ids([pk]))

    def get_edit_item_url(self, instance):
        return None  # a filter's user need not manage leaders


class LeaderChooserViewSet(ChooserViewSet):
    model = Leader
    icon = "user"
    choose_one_text = "选择领导"
    choose_another_text = "改选领导"
    page_title = "选择领导"
    register_widget = False
    per_page = 20
    url_prefix = "liaison/leader-chooser"
    choose_view_class = LeaderChooseView
    choose_results_view_class = LeaderChooseResultsView
    chosen_view_class = LeaderChosenView

    def get_urlpatterns(self):
        # A filter picks one leader; leaders are registered in their own list, never from a chooser.
        return [pattern for pattern in super().get_urlpatterns() if pattern.name not in ("create", "chosen_multiple")]


leader_chooser_viewset = LeaderChooserViewSet("leader_chooser")


class LeaderChooser(leader_chooser_viewset.widget_class):
    """The chooser as a filter's widget: it names the chosen leader only if `user` sees them, and
    ignores a value that is no leader's id."""

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    def get_instance(self, value):
        if isinstance(value, Leader):
            return value
        ids = plain_ids([value])
        return leaders_seen_by(self.user).filter(pk__in=ids).first() if ids else None

    def get_value_data_from_instance(self, instance):
        return {**super().get_value_data_from_instance(instance), "edit_url": None}


class LeaderFilter(django_filters.ModelChoiceFilter):
    """A list's filter by one leader the user sees, picked in the leader chooser."""

    def __init__(self, label, **kwargs):
        super().__init__(label=label, queryset=lambda request: leaders_seen_by(request and request.user), **kwargs)

    @property
    def field(self):
        if not hasattr(self, "_field"):
            request = self.get_request()
            self.extra["widget"] = LeaderChooser(user=request and request.user)
        return super().field
