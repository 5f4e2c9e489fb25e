"""The reminders' screens: the dashboard's 今日待办 panel, the calendar-feed section of a leader's
page with its rotate and revoke actions, and the public feed itself."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.decorators.cache import never_cache
from wagtail.admin.ui.components import Component

from intake import ratelimit
from liaison.models import Leader
from liaison.scoping import own_leader
from staff.scoping import visible_rows

from . import calendar_feed
from .due import due_groups, receives_reminders


class DueTodayPanel(Component):
    """今日待办: what the daily reminder mail lists, for whoever reminders are for."""

    name = "reminders_due_today"
    order = 40
    template_name = "reminders/due_today_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        user = self.request.user
        if not receives_reminders(user):
            return {"shown": False}
        return {"shown": True, "groups": due_groups(user)}


class LeaderFeedSection(Component):
    """The leader's page's 日历订阅: the address for the leader alone; open, rotate and revoke for
    the leader and the talent office."""

    template_name = "reminders/leader_feed_section.html"

    def __init__(self, request, leader):
        self.request = request
        self.leader = leader

    def get_context_data(self, parent_context):
        feed = getattr(self.leader, "calendar_feed", None)
        mine = own_leader(self.request.user)
        own = mine is not None and mine.pk == self.leader.pk
        return {
            "leader": self.leader,
            "feed": feed,
            "feed_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + calendar_feed.feed_path(feed)
            if feed and own
            else "",
            "own": own,
            "rotate_url": reverse("reminders_calendar:rotate", args=[self.leader.pk]),
            "revoke_url": reverse("reminders_calendar:revoke", args=[self.leader.pk]),
            "csrf_token": parent_context.get("csrf_token"),
        }


def leader_feed_section(request, leader):
    if not calendar_feed.may_manage(request.user, leader):
        return None
    return LeaderFeedSection(request, leader)


class FeedActionView(View):
    """POST only: refuses anyone who manages no feed before looking the leader up; a leader out of
    sight is a 404, one in sight that the user may not manage (a leader's office) a 403."""

    http_method_names = ["post"]

    def post(self, request, pk):
        user = request.user
        if not calendar_feed.may_manage_feeds(user):
            raise PermissionDenied
        leader = get_object_or_404(visible_rows(user, Leader), pk=pk)
        if not calendar_feed.may_manage(user, leader):
            raise PermissionDenied
        messages.success(request, self.act(leader, user))
        return redirect(f"{reverse('liaison_mine:index')}?leader={leader.pk}")


class RotateFeedView(FeedActionView):
    def act(self, leader, user):
        opened = not hasattr(leader, "calendar_feed")
        calendar_feed.rotate(leader, user)
        if opened:
            return f"已开启{leader.name}的日历订阅。"
        return f"已重新生成{leader.name}的日历订阅地址，原地址已失效。"


class RevokeFeedView(FeedActionView):
    def act(self, leader, user):
        if calendar_feed.revoke(leader, user):
            return f"已停用{leader.name}的日历订阅，原地址已失效。"
        return f"{leader.name}的日历订阅未开启。"


@never_cache
def feed(request, leader, token):
    """The public .ics: no sign-in, the token is the key; never cached; every request counted per client."""
    if not ratelimit.hit(request, "calendar", settings.REMINDERS_CALENDAR_RATE_LIMIT).allowed:
        return HttpResponse("请求过于频繁，请稍后再试。", status=429, content_type="text/plain; charset=utf-8")
    found = calendar_feed.find(leader, token)
    if found is None:
        raise Http404
    response = HttpResponse(calendar_feed.calendar(found.leader).to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
