"""Viewsets of this part of the liaison work (see liaison/viewsets/__init__.py): contact records
with their materials, and the follow-ups."""

from django.urls import path
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.viewsets.model import ModelViewSet

from ..forms.contacts import ContactRecordForm
from ..models import ContactRecord, FollowUp
from ..views import contacts as views
from ..views import follow_ups


class ContactViewSet(ModelViewSet):
    model = ContactRecord
    name = "liaison_contacts"
    url_prefix = "liaison/contacts"
    icon = "group"
    menu_label = "联系服务记录"
    inspect_view_enabled = True
    copy_view_enabled = False
    list_per_page = 20
    ordering = ["-date", "-pk"]
    search_fields = ["experts__name", "leaders__name"]  # Django's icontains: any Chinese substring matches
    search_backend_name = None

    index_view_class = views.ContactIndexView
    add_view_class = views.ContactCreateView
    edit_view_class = views.ContactEditView
    inspect_view_class = views.ContactInspectView
    history_view_class = views.ContactHistoryView
    usage_view_class = views.ContactUsageView
    delete_view_class = views.ContactDeleteView

    def get_form_class(self, for_update=False):
        return ContactRecordForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("attachment/<int:pk>/", views.ContactAttachmentView.as_view(), name="attachment"),
        ]


class FollowUpViewSet(ModelViewSet):
    """Follow-ups are raised in a contact record; here they are listed, inspected and moved on."""

    model = FollowUp
    name = "liaison_followups"
    url_prefix = "liaison/followups"
    icon = "tasks"
    menu_label = "问题跟踪"
    inspect_view_enabled = True
    copy_view_enabled = False
    list_per_page = 20
    ordering = ["due_on", "pk"]

    index_view_class = follow_ups.FollowUpIndexView
    inspect_view_class = follow_ups.FollowUpInspectView
    history_view_class = follow_ups.FollowUpHistoryView

    def get_urlpatterns(self):
        # No add, edit, delete or usage pages: a follow-up is raised in a record and moved on by its status.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("history/<int:pk>/", self.history_view, name="history"),
            path("history-results/<int:pk>/", self.history_results_view, name="history_results"),
            path("status/<int:pk>/", follow_ups.FollowUpStatusView.as_view(), name="status"),
        ]

    @property
    def url_finder_class(self):
        # What links to a follow-up (the usage of a record, site history) opens its detail page.
        return type("FollowUpURLFinder", (ModelAdminURLFinder,), {"edit_url_name": self.get_url_name("inspect")})

    def get_common_view_kwargs(self, **kwargs):
        # Wagtail's links to an edit page lead to the status page.
        return super().get_common_view_kwargs(
            **{
                "add_url_name": None,
                "edit_url_name": self.get_url_name("status"),
                "delete_url_name": None,
                "usage_url_name": None,
                **kwargs,
            }
        )


VIEWSETS = [ContactViewSet, FollowUpViewSet]
