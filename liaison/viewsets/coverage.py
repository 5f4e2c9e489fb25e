"""Viewsets of this part of the liaison work (see liaison/viewsets/__init__.py): the must-visit
calendar, the six-activity coverage and a leader's own page; each menu item shown to those who may open it."""

from django.urls import path
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from ..views.coverage import CalendarView, CoverageView
from ..views.leader_page import LeaderPageView


class PageViewSet(ViewSet):
    """One admin page at its own address, in the menu for the users its view `allowed`."""

    view_class = None

    @property
    def menu_item_class(self):
        allowed = self.view_class.allowed
        return type("LiaisonMenuItem", (MenuItem,), {"is_shown": lambda _self, request: allowed(request.user)})

    def get_urlpatterns(self):
        return [path("", self.view_class.as_view(), name="index")]


class LeaderPageViewSet(PageViewSet):
    name = "liaison_mine"
    url_prefix = "liaison/mine"
    icon = "user"
    menu_label = "领导工作台"
    view_class = LeaderPageView


class CalendarViewSet(PageViewSet):
    name = "liaison_calendar"
    url_prefix = "liaison/calendar"
    icon = "date"
    menu_label = "必访日历"
    view_class = CalendarView


class CoverageViewSet(PageViewSet):
    name = "liaison_coverage"
    url_prefix = "liaison/coverage"
    icon = "table"
    menu_label = "六活动覆盖"
    view_class = CoverageView


VIEWSETS = [LeaderPageViewSet, CalendarViewSet, CoverageViewSet]
