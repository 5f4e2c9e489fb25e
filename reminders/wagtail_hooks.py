from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from base import scheduled_jobs
from liaison.views.leader_page import LEADER_PAGE_SECTIONS_HOOK

from . import calendar_feed
from .sending import scheduled_reminders
from .views import DueTodayPanel, leader_feed_section
from .viewsets import CalendarFeedViewSet

hooks.register(scheduled_jobs.HOOK, scheduled_reminders)
hooks.register(LEADER_PAGE_SECTIONS_HOOK, leader_feed_section)


@hooks.register("construct_homepage_panels")
def add_due_today_panel(request, panels):
    panels.append(DueTodayPanel(request))


@hooks.register("register_admin_viewset")
def register_calendar_feed_viewset():
    return CalendarFeedViewSet()


@hooks.register("register_log_actions")
def register_calendar_feed_log_actions(actions):
    actions.register_action(calendar_feed.CREATED, "开启日历订阅", "已开启日历订阅")
    actions.register_action(calendar_feed.ROTATED, "重新生成日历订阅地址", "已重新生成日历订阅地址")
    actions.register_action(calendar_feed.REVOKED, "停用日历订阅", "已停用日历订阅")


@hooks.register("insert_global_admin_css")
def reminders_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("reminders/reminders.css"))
