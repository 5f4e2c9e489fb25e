"""The reminders in a real browser on the demo data: a leader's 今日待办 on the dashboard, and the
calendar feed on their page (open, copy, rotate), at desktop and phone width (screenshots in
test-artifacts/screenshots/)."""

import pytest
from playwright.sync_api import expect

from liaison.demo import LEADER_USERNAME
from reminders.models import CalendarFeed

from .browser_sign_in import sign_in
from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def both_widths(page, screenshot, name):
    # The admin scrolls inside its own frame, so a full-page shot is one screen: a tall one shows more.
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size({**size, "height": 2000})
        page.reload()
        screenshot(page, f"{name}-{label}")
    page.set_viewport_size(DESKTOP)


def test_a_leader_sees_what_is_due_and_subscribes_to_their_calendar(live_server, page, demo_site, screenshot):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(page, live_server.url, LEADER_USERNAME)
    panel = page.get_by_role("region", name="今日待办")
    expect(panel.get_by_role("heading", name="必访事项")).to_be_visible()
    expect(panel.get_by_role("link").first).to_be_visible()
    both_widths(page, screenshot, "reminders-dashboard")

    page.goto(f"{live_server.url}/admin/liaison/mine/")
    section = page.locator("section.reminders-feed")
    section.get_by_role("button", name="开启日历订阅").click()
    expect(page.get_by_text("已开启")).to_be_visible()
    address = section.get_by_label("订阅地址")
    first = CalendarFeed.objects.get().token
    assert address.input_value().endswith(f"/{first}.ics")
    section.get_by_role("button", name="复制地址").click()
    expect(section.locator("#calendar-feed-copied")).to_contain_text("已复制到剪贴板")
    assert page.evaluate("navigator.clipboard.readText()") == address.input_value()
    both_widths(page, screenshot, "reminders-leader-feed")

    section.get_by_role("button", name="重新生成地址").click()
    expect(page.get_by_text("原地址已失效")).to_be_visible()
    second = CalendarFeed.objects.get().token
    assert second != first
    assert section.get_by_label("订阅地址").input_value().endswith(f"/{second}.ics")
