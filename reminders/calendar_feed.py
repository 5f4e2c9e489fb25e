"""A leader's calendar feed (日历订阅): the visits they owe as iCalendar events at a private address.

The address holds a random token (TOKEN_BYTES, URL-safe) that only the leader is shown; the leader
and the talent office of the leader's level rotate it (a new token, the old address dead at once) or
revoke it, each logged on the leader. The feed names the expert, the occasion and the window of each
visit, nothing of the expert's contact details.
"""

import datetime
import hashlib
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event
from wagtail.log_actions import log

from liaison.calendar import VisitStatus, owed_visits
from liaison.models import Leader, MustVisit
from liaison.scoping import office_level, own_leader
from staff.scoping import ALL_LEVELS

from .due import visit_window
from .models import CalendarFeed

TOKEN_BYTES = 32
# Upcoming visits shown this far ahead; open and overdue ones whatever their date.
HORIZON = datetime.timedelta(days=183)
CREATED, ROTATED, REVOKED = "reminders.calendar.created", "reminders.calendar.rotated", "reminders.calendar.revoked"


def may_manage_feeds(user):
    """Leaders (their own feed) and the talent offices (their level's leaders)."""
    return own_leader(user) is not None or office_level(user) is ALL_LEVELS or bool(office_level(user))


def may_manage(user, leader):
    level = office_level(user)
    mine = own_leader(user)
    return (mine is not None and mine.pk == leader.pk) or level is ALL_LEVELS or (bool(level) and level == leader.level)


def feed_path(feed):
    return reverse("reminders_calendar_feed", args=[feed.leader_id, feed.token])


def rotate(leader, user):
    """A new token for the leader's feed (the first one opens it); the old address stops at once."""
    with transaction.atomic():
        token, now = secrets.token_urlsafe(TOKEN_BYTES), timezone.now()
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(
            leader=leader, defaults={"token": token, "created_at": now}
        )
        if not created:
            feed.token, feed.created_at = token, now
            feed.save(update_fields=["token", "created_at"])
        log(instance=leader, action=CREATED if created else ROTATED, user=user)
    return feed


def revoke(leader, user):
    """Closes the leader's feed; returns whether there was one."""
    with transaction.atomic():
        deleted, _ = CalendarFeed.objects.filter(leader=leader).delete()
        if deleted:
            log(instance=leader, action=REVOKED, user=user)
    return bool(deleted)


def find(leader_id, token):
    """The open feed of an active leader whose token is `token`, or None; compared in constant time."""
    feed = CalendarFeed.objects.select_related("leader").filter(leader_id=leader_id, leader__active=True).first()
    if feed is None or not secrets.compare_digest(feed.token.encode(), token.encode()):
        return None
    return feed


def feed_visits(leader, today):
    """The visits the feed shows: every one still open or overdue, and those coming within HORIZON."""
    until = today + HORIZON
    years = range(today.year, until.year + 1)
    visits = owed_visits(Leader.objects.filter(pk=leader.pk), MustVisit.objects.all(), today, years)
    return [visit for visit in visits if visit.status != VisitStatus.UPCOMING or visit.date <= until]


def uid(visit, domain):
    if visit.must_visit is not None:
        return f"must-visit-{visit.must_visit.pk}@{domain}"
    name = hashlib.sha256(visit.reason.encode()).hexdigest()[:12]
    return f"holiday-{visit.leader_id}-{visit.expert_id}-{visit.date:%Y%m%d}-{name}@{domain}"


def calendar(leader, today=None):
    """The leader's feed as an icalendar Calendar: one all-day event on each visit's day."""
    today = today or timezone.localdate()
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    domain = urlsplit(base_url).hostname or "localhost"
    page = base_url + reverse("liaison_mine:index")
    feed = Calendar()
    feed.add("prodid", f"-//{settings.WAGTAIL_SITE_NAME}//必访日历//ZH")
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("x-wr-calname", f"{leader.name}的必访事项")
    feed.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    for visit in feed_visits(leader, today):
        event = Event()
        event.add("uid", uid(visit, domain))
        event.add("dtstamp", stamp)
        event.add("dtstart", visit.date)
        event.add("dtend", visit.date + datetime.timedelta(days=1))
        event.add("summary", f"必访：{visit.expert_name}（{visit.reason}）")
        event.add(
            "description",
            f"专家：{visit.expert_name}\n事由：{visit.reason}\n{visit_window(visit)}\n状态：{visit.status_label}",
        )
        event.add("url", page)
        event.add("transp", "TRANSPARENT")  # a visit to make, not a busy day
        feed.add_component(event)
    return feed
