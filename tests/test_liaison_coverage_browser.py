"""The must-visit calendar, the six-activity coverage and a leader's page in a real browser, on the
demo data, at desktop and phone width (screenshots in test-artifacts/screenshots/)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from liaison.demo import LEADER_USERNAME
from liaison.models import EventKind, EventReport, Leader

from .browser_sign_in import sign_in
from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def both_widths(page, screenshot, name):
    # The admin scrolls inside its own frame, so a full-page shot is one screen: a tall one shows more.
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size({**size, "height": 2000})
        page.reload()  # laid out afresh at this width, scrolled to the top
        screenshot(page, f"{name}-{label}")
    page.set_viewport_size(DESKTOP)


def test_the_city_office_reads_the_calendar_and_the_coverage(live_server, page, demo_site, screenshot):
    year = timezone.localdate().year
    sign_in(page, live_server.url, "rcb_city")
    page.get_by_role("button", name="联系服务").click()
    page.get_by_role("link", name="必访日历").click()
    expect(page.get_by_role("heading", name=f"{year}年各领导必访情况")).to_be_visible()
    # Seven statutory holidays and four professional days.
    days = page.locator("ul.liaison-occasions > li")
    expect(days).to_have_count(11)
    expect(days.filter(has_text="清明节")).to_contain_text("全部结对专家")
    expect(days.filter(has_text="国庆节")).to_contain_text("10月1日")
    expect(page.locator("table.liaison-table").first).to_contain_text("韦某军")
    overdue = page.locator("details.liaison-leader[open]").first
    expect(overdue.locator(".liaison-tag--overdue").first).to_be_visible()
    both_widths(page, screenshot, "liaison-calendar")

    page.goto(f"{live_server.url}/admin/liaison/calendar/?year=abc")  # the field takes only numbers; a link may not
    expect(page.locator("#id_year-error")).to_contain_text("年度请填写四位数字的年份")
    expect(page.get_by_label("年度")).to_have_attribute("aria-invalid", "true")

    page.goto(f"{live_server.url}/admin/liaison/coverage/?year={year}")
    table = page.locator("table.liaison-table")
    expect(table.locator("tfoot")).to_contain_text("合计")
    expect(table.locator("tbody tr").first).to_be_visible()
    page.get_by_label("属地").select_option(label="兴宾区")
    page.get_by_role("button", name="查看").click()
    expect(table.locator("tbody")).to_contain_text("兴宾区")
    expect(table.locator("tbody")).not_to_contain_text("市本级")
    both_widths(page, screenshot, "liaison-coverage")
    with page.expect_download() as download:
        page.get_by_role("button", name="导出 XLSX").click()
    assert download.value.suggested_filename == f"六活动覆盖情况-{year}.xlsx"

    # The expert's detail view lists the liaison rows, newest first.
    expert = EventReport.objects.get(kind=EventKind.ACHIEVEMENT).expert
    page.goto(f"{live_server.url}/admin/experts/inspect/{expert.pk}/")
    section = page.locator("section").filter(has=page.get_by_role("heading", name="联系服务", exact=True))
    expect(section).to_contain_text("获得自治区科学技术进步奖")
    expect(section.get_by_role("heading", name="五报告")).to_be_visible()
    section.scroll_into_view_if_needed()
    screenshot(page, "liaison-expert-section-desktop")


def test_a_leader_opens_their_page_from_the_admin_home(live_server, page, demo_site, screenshot):
    leader = Leader.objects.get(user__username=LEADER_USERNAME)
    sign_in(page, live_server.url, LEADER_USERNAME)
    panel = page.get_by_role("region", name="联系服务", exact=True)
    expect(panel).to_contain_text("待访")
    both_widths(page, screenshot, "liaison-leader-home")
    panel.get_by_role("link", name="查看我的联系服务").click()
    expect(page.get_by_role("heading", name="我的联系服务")).to_be_visible()
    expect(page.get_by_role("heading", name=leader.name)).to_be_visible()
    expect(page.locator("table").filter(has_text="应访日期")).to_contain_text("获得重大成就必访")
    expect(page.locator("table").filter(has_text="办结时限")).to_contain_text("已超期")
    both_widths(page, screenshot, "liaison-leader-page")
