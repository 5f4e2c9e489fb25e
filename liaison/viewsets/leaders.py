"""Viewsets of this part of the liaison work (see liaison/viewsets/__init__.py): leaders, pairings,
the quota summary and the leaders' offices."""

from django.urls import path
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet

from staff.scoping import sees_model

from ..forms.leaders import LeaderForm, LeaderOfficeForm, PairingForm, PairingStartForm
from ..models import Leader, LeaderOffice, Pairing
from ..views import leaders as views


class LeaderViewSet(ModelViewSet):
    model = Leader
    name = "liaison_leader"
    url_prefix = "liaison/leaders"
    icon = "user"
    menu_label = "联系领导"
    inspect_view_enabled = True
    copy_view_enabled = False
    list_per_page = 30
    search_fields = ["name", "post"]
    search_backend_name = None

    index_view_class = views.LeaderIndexView
    add_view_class = views.LeaderCreateView
    edit_view_class = views.ScopedEditView
    inspect_view_class = views.LeaderInspectView
    delete_view_class = views.ScopedDeleteView
    history_view_class = views.ScopedHistoryView
    usage_view_class = views.ScopedUsageView
    inspect_view_fields = ["name", "post", "body", "level", "active", "user"]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("post")]),
            FieldRowPanel([FieldPanel("level"), FieldPanel("body")]),
            FieldRowPanel([FieldPanel("active"), FieldPanel("sort_order")]),
            FieldPanel("user"),
        ],
        base_form_class=LeaderForm,
    )


class PairingViewSet(ModelViewSet):
    model = Pairing
    name = "liaison_pairing"
    url_prefix = "liaison/pairings"
    icon = "link"
    menu_label = "结对联系"
    inspect_view_enabled = True
    copy_view_enabled = False
    list_per_page = 30
    search_fields = ["leader__name", "expert__name", "expert__unit__name"]
    search_backend_name = None

    index_view_class = views.PairingIndexView
    add_view_class = views.PairingCreateView
    edit_view_class = views.ScopedEditView
    inspect_view_class = views.PairingInspectView
    delete_view_class = views.ScopedDeleteView
    history_view_class = views.ScopedHistoryView
    usage_view_class = views.ScopedUsageView

    def get_form_class(self, for_update=False):
        return PairingStartForm if for_update else PairingForm

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("end/<int:pk>/", views.EndPairingView.as_view(), name="end")]


class QuotaMenuItem(MenuItem):
    def is_shown(self, request):
        return sees_model(request.user, Leader)


class QuotaViewSet(ViewSet):
    name = "liaison_quota"
    url_prefix = "liaison/quota"
    icon = "warning"
    menu_label = "结对名额"
    menu_item_class = QuotaMenuItem

    def get_urlpatterns(self):
        return [path("", views.QuotaView.as_view(), name="index")]


class LeaderOfficeViewSet(ModelViewSet):
    model = LeaderOffice
    name = "liaison_office"
    url_prefix = "liaison/offices"
    icon = "group"
    menu_label = "领导办公室"
    inspect_view_enabled = True
    copy_view_enabled = False

    index_view_class = views.OfficeIndexView
    add_view_class = views.OfficeCreateView
    edit_view_class = views.ScopedEditView
    inspect_view_class = views.OfficeInspectView
    delete_view_class = views.ScopedDeleteView
    history_view_class = views.ScopedHistoryView
    usage_view_class = views.ScopedUsageView
    inspect_view_fields = ["level", "body", "members"]
    edit_handler = ObjectList(
        [FieldRowPanel([FieldPanel("level"), FieldPanel("body")]), FieldPanel("members")],
        base_form_class=LeaderOfficeForm,
    )


VIEWSETS = [LeaderViewSet, PairingViewSet, QuotaViewSet, LeaderOfficeViewSet]
