from django.urls import path
from wagtail.admin.viewsets.base import ViewSet

from .views import RevokeFeedView, RotateFeedView


class CalendarFeedViewSet(ViewSet):
    """The calendar feed's actions, posted from a leader's page; no menu item."""

    name = "reminders_calendar"
    url_prefix = "reminders/calendar"

    def get_urlpatterns(self):
        return [
            path("<int:pk>/rotate/", RotateFeedView.as_view(), name="rotate"),
            path("<int:pk>/revoke/", RevokeFeedView.as_view(), name="revoke"),
        ]
