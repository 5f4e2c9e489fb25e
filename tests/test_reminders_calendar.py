"""A leader's calendar feed (日历订阅): opened, rotated and revoked from the leader's page by the
leader or the talent office, each logged; the .ics parsed back with icalendar; old and revoked
addresses dead; never cached; no contact details in it."""

import datetime

import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar

from experts.models import UnitType
from liaison.models import LeaderLogEntry, MustVisit, VisitReason
from reminders import calendar_feed
from reminders.models import CalendarFeed
from staff.levels import Level

from .experts_builders import make_expert, make_staff, make_superuser, make_unit
from .liaison_builders import make_leader, make_leader_user, make_liaison, make_office_user, pair
from .liaison_builders import report as file_report

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 9, 28)
PAGE = "/admin/liaison/mine/"


@pytest.fixture
def world():
    root = make_superuser()
    unit = make_unit("来宾市人民医院", Level.CITY, UnitType.HOSPITAL)
    expert = make_expert(root, unit, name="韦某明", mobile="13900001111", email="wei@example.cn")
    leader = make_leader(name="覃某林")
    leader_user = make_leader_user("leader", leader)
    pair(leader, expert, started_on=D(2026, 9, 1))
    filed = file_report(make_liaison("liaison", unit), expert)
    MustVisit.objects.create(
        leader=leader, expert=expert, reason=VisitReason.ACHIEVEMENT, report=filed, due_on=D(2026, 9, 20)
    )
    other = make_leader(name="蒙某军", post="市委常委、秘书长")
    county_leader = make_leader(name="黄某平", level=Level.XINGBIN, post="区委书记")
    return {
        "leader": leader,
        "leader_user": leader_user,
        "other_user": make_leader_user("other", other),
        "county_leader": county_leader,
        "city": make_staff("city", Level.CITY),
        "county": make_staff("county", Level.XINGBIN),
        "office": make_office_user("office"),
    }


def rotate(client, user, leader):
    client.force_login(user)
    return client.post(f"/admin/reminders/calendar/{leader.pk}/rotate/")


def revoke(client, user, leader):
    client.force_login(user)
    return client.post(f"/admin/reminders/calendar/{leader.pk}/revoke/")


def feed_url(leader):
    return calendar_feed.feed_path(CalendarFeed.objects.get(leader=leader))


def actions(leader):
    return list(LeaderLogEntry.objects.filter(leader=leader).order_by("pk").values_list("action", flat=True))


def test_the_leader_opens_their_feed_and_reads_it_back(client, world):
    leader = world["leader"]
    response = rotate(client, world["leader_user"], leader)
    assert response.status_code == 302 and response["Location"] == f"{PAGE}?leader={leader.pk}"
    feed = CalendarFeed.objects.get(leader=leader)
    assert len(feed.token) >= 43  # 32 random bytes, URL-safe
    assert actions(leader) == [calendar_feed.CREATED]

    # The page shows the address to the leader, with a copy button.
    soup = BeautifulSoup(client.get(PAGE).content, "html.parser")
    shown = soup.find(id="calendar-feed-url")
    assert shown["value"] == f"http://testserver{feed_url(leader)}"
    assert soup.find("button", string="复制地址")["data-action"] == "w-clipboard#copy"

    client.logout()  # the feed needs no sign-in: the token is the key
    response = client.get(feed_url(leader))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["x-wr-calname"]) == "覃某林的必访事项"
    events = {str(event["summary"]): event for event in calendar.walk("VEVENT")}
    # The must-visit is owed until it is made, whatever today is (the holidays: see the next test).
    must_visit = events["必访：韦某明（获得重大成就必访）"]
    assert must_visit.decoded("dtstart") == D(2026, 9, 20)
    assert "应于 2026-09-20 前走访" in str(must_visit["description"])
    assert len({str(event["uid"]) for event in events.values()}) == len(events)
    text = response.content.decode()
    assert "13900001111" not in text and "wei@example.cn" not in text and "来宾市人民医院" not in text


def test_feed_events_are_what_is_owed_within_the_horizon(world):
    feed = calendar_feed.calendar(world["leader"], TODAY).walk("VEVENT")
    events = {str(event["summary"]): event.decoded("dtstart") for event in feed}
    # On 9-28: the overdue must-visit, 中秋节 and 国庆节 (due), and the holidays up to 2027-03-29 (元旦, 春节).
    assert events == {
        "必访：韦某明（获得重大成就必访）": D(2026, 9, 20),
        "必访：韦某明（中秋节）": D(2026, 9, 25),
        "必访：韦某明（国庆节）": D(2026, 10, 1),
        "必访：韦某明（元旦）": D(2027, 1, 1),
        "必访：韦某明（春节）": D(2027, 2, 6),
    }
    mid_autumn = next(event for event in feed if str(event["summary"]) == "必访：韦某明（中秋节）")
    assert mid_autumn.decoded("dtend") == D(2026, 9, 26)  # one all-day event on the day
    description = str(mid_autumn["description"])
    assert "专家：韦某明" in description and "事由：中秋节" in description
    assert "走访时间 2026-09-10 至 2026-10-10" in description and "状态：待访" in description


def test_rotating_kills_the_old_address_and_revoking_the_feed(client, world):
    leader = world["leader"]
    rotate(client, world["leader_user"], leader)
    old = feed_url(leader)
    rotate(client, world["leader_user"], leader)
    new = feed_url(leader)
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    revoke(client, world["leader_user"], leader)
    assert not CalendarFeed.objects.exists()
    assert client.get(new).status_code == 404
    assert actions(leader) == [calendar_feed.CREATED, calendar_feed.ROTATED, calendar_feed.REVOKED]


def test_wrong_tokens_and_a_departed_leader_answer_404(client, world):
    leader = world["leader"]
    rotate(client, world["leader_user"], leader)
    url = feed_url(leader)
    token = CalendarFeed.objects.get().token
    assert client.get(url.replace(token, token[:-1] + ("A" if token[-1] != "A" else "B"))).status_code == 404
    assert client.get(url.replace(f"/{leader.pk}/", f"/{world['county_leader'].pk}/")).status_code == 404
    leader.active = False
    leader.save()
    assert client.get(url).status_code == 404


def test_the_feed_is_rate_limited_per_client(client, world, settings):
    settings.REMINDERS_CALENDAR_RATE_LIMIT = (2, 60)
    rotate(client, world["leader_user"], world["leader"])
    url = feed_url(world["leader"])
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]


def test_the_office_rotates_and_revokes_without_seeing_the_address(client, world):
    leader = world["leader"]
    assert rotate(client, world["city"], leader).status_code == 302
    feed = CalendarFeed.objects.get(leader=leader)
    html = client.get(f"{PAGE}?leader={leader.pk}").content.decode()
    assert "日历订阅" in html and "重新生成地址" in html
    assert feed.token not in html
    assert revoke(client, world["city"], leader).status_code == 302
    entry = LeaderLogEntry.objects.filter(leader=leader).order_by("pk").last()
    assert entry.action == calendar_feed.REVOKED and entry.user_id == world["city"].pk
    # A county's office manages its county's leaders only; another level's is out of sight.
    assert rotate(client, world["county"], world["county_leader"]).status_code == 302
    assert rotate(client, world["county"], leader).status_code == 404


def test_others_may_not_rotate_a_leaders_feed(client, world):
    leader = world["leader"]
    assert rotate(client, world["other_user"], leader).status_code == 404  # another leader: out of sight
    refused = rotate(client, world["office"], leader)  # the leader's office sees the leader, may not act
    assert refused.status_code == 302 and refused["Location"] == "/admin/"  # Wagtail's "no permission"
    assert not CalendarFeed.objects.exists()
    client.force_login(world["office"])
    assert "日历订阅" not in client.get(f"{PAGE}?leader={leader.pk}").content.decode()
    client.force_login(world["leader_user"])
    assert client.get(f"/admin/reminders/calendar/{leader.pk}/rotate/").status_code == 405  # POST only
