"""A county office reads an expert's timeline in a real browser, filters it by kind with the keyboard,
and reads it on a phone."""

import datetime

import pytest
from playwright.sync_api import expect

from care.models import CheckupRound, FamilySupport, GreenChannelRequest, HealthLecture
from experts.models import UnitType
from liaison.models import EventKind
from programme.models import AttendanceStatus
from staff.levels import Level

from .browser_sign_in import sign_in
from .conftest import DESKTOP, PHONE
from .experts_builders import make_expert, make_staff, make_superuser, make_unit
from .intake_builders import new_item
from .liaison_builders import accepted_report, contact, make_follow_up, make_leader, make_liaison, pair
from .programme_builders import make_activity, make_expert_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = datetime.date


def test_a_county_office_reads_and_filters_an_experts_timeline(live_server, page, screenshot):
    school = make_unit("兴宾区高级中学", Level.XINGBIN, UnitType.SCHOOL)
    expert = make_expert(make_superuser(), school, name="韦某兴")
    county = make_staff("xingbin", Level.XINGBIN)
    liaison = make_liaison("lianluoyuan", school)
    leader = make_leader("覃某书", Level.XINGBIN, post="区委书记")
    pair(leader, expert, started_on=D(2025, 1, 5))
    record = contact([leader], [expert], date=D(2026, 9, 10), level=Level.XINGBIN)
    make_follow_up(record, expert, D(2026, 10, 10), problem="实验室用房紧张，希望协调周转用房。")
    accepted_report(expert, EventKind.ACHIEVEMENT, liaison, county, event_date=D(2026, 8, 20))
    make_activity(CheckupRound, [expert], level=Level.CITY, date=D(2026, 4, 18), hospital="来宾市人民医院")
    make_activity(
        HealthLecture,
        [expert],
        level=Level.XINGBIN,
        date=D(2026, 6, 2),
        topic="颈椎病的预防与康复",
        place="区委党校礼堂",
    )
    make_activity(
        CheckupRound,
        [expert],
        level=Level.XINGBIN,
        date=D(2025, 4, 20),
        hospital="兴宾区人民医院",
        status=AttendanceStatus.DECLINED,
    )
    make_expert_record(
        GreenChannelRequest, expert, date=D(2026, 7, 3), hospital="来宾市人民医院", need="协助预约专家门诊"
    )
    make_expert_record(
        FamilySupport, expert, date=D(2026, 3, 1), kind="schooling", description="协调子女转学到兴宾区实验小学。"
    )
    item, _ = new_item(subject="科研项目配套经费拨付进度咨询", level=Level.XINGBIN)
    item.expert = expert
    item.save()

    sign_in(page, live_server.url, "xingbin", "pw")
    page.goto(f"{live_server.url}/admin/experts/inspect/{expert.pk}/")
    timeline = page.locator("#timeline")
    entries = timeline.locator("li.programme-timeline__entry")
    expect(entries).to_have_count(10)
    expect(entries.first).to_contain_text("来信来访")
    expect(timeline.get_by_role("link", name="全部（10）")).to_have_attribute("aria-current", "true")
    timeline.locator("h2").scroll_into_view_if_needed()
    screenshot(page, "expert-timeline-desktop")

    # The kind filter by keyboard: focus its link and press Enter.
    link = timeline.get_by_role("link", name="集中体检（2）")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**?timeline=care_checkups#timeline")
    expect(entries).to_have_count(2)
    expect(entries.nth(1)).to_contain_text("未参加")
    expect(timeline.get_by_role("link", name="集中体检（2）")).to_have_attribute("aria-current", "true")

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/admin/experts/inspect/{expert.pk}/#timeline")
    expect(entries).to_have_count(10)
    width = page.evaluate("document.querySelector('#timeline').scrollWidth")
    assert width <= PHONE["width"], width  # a list that wraps, nothing to scroll sideways
    timeline.locator("h2").scroll_into_view_if_needed()
    screenshot(page, "expert-timeline-phone")
    page.set_viewport_size(DESKTOP)
