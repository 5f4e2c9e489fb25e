from django.urls import path
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from staff.scoping import sees_model

from . import views
from .models import MailboxMessage


class MailboxMenuItem(MenuItem):
    def is_shown(self, request):
        return sees_model(request.user, MailboxMessage, ["view"])


class MailboxViewSet(ViewSet):
    """The talent mailbox is the city's: its list is the city office's (and superusers')."""

    name = "inbox_message"
    url_prefix = "inbox"
    icon = "mail"
    menu_label = "邮箱未登记邮件"
    menu_order = 301  # right after 来信来访
    menu_item_class = MailboxMenuItem
    add_to_admin_menu = True

    def get_urlpatterns(self):
        return [
            path("", views.HeldMessageIndexView.as_view(), name="index"),
            path("results/", views.HeldMessageIndexView.as_view(results_only=True), name="index_results"),
            path("<int:pk>/handled/", views.HandledView.as_view(), name="handle"),
        ]
