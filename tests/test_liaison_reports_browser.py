"""In a browser: a unit liaison files a report of a major achievement about a county expert (on a
phone), the county's office and then the city office accept it, and the paired leader finds the
must-visit it owes them."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from liaison.models import EventReport, MustVisit, ReportStage
from staff.levels import Level
from tests.conftest import DESKTOP, PHONE

from .browser_choosers import choose_expert
from .browser_sign_in import sign_in
from .experts_builders import days_ago, make_expert, make_staff, make_unit
from .liaison_builders import make_leader, make_leader_user, make_liaison, pair

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def review(page, screenshot, name, expected_stage):
    """From the dashboard of an office: the waiting report, its page, the confirmation, accepted."""
    panel = page.locator("#liaison-reports-dashboard-section")
    expect(panel).to_contain_text("等待我审核 1 件")
    screenshot(page, f"liaison-report-{name}-dashboard")
    panel.get_by_role("link", name="等待我审核").click()
    expect(page.locator("table.listing tbody tr")).to_have_count(1)
    screenshot(page, f"liaison-report-{name}-waiting-list")
    page.get_by_role("link", name="韦县专家").click()
    expect(page.locator(".liaison-details")).to_contain_text("荣获自治区五一劳动奖章")
    page.locator(".liaison-actions").get_by_role("link", name="审核通过").click()
    page.get_by_role("textbox", name="审核意见").fill("情况属实，同意上报。")
    screenshot(page, f"liaison-report-{name}-confirm")
    page.get_by_role("button", name="确认审核通过").click()
    expect(page.locator(".messages")).to_contain_text("已审核通过")
    expect(page.locator(".liaison-report__status .liaison-stage")).to_have_text(expected_stage)


def test_a_liaison_files_an_achievement_report_both_offices_accept_it_and_the_leader_owes_a_visit(
    live_server, page, screenshot
):
    county = make_staff("xiangzhou", Level.XIANGZHOU)
    make_staff("city", Level.CITY)
    school = make_unit("象州县中学", Level.XIANGZHOU, "school")
    expert = make_expert(county, school, name="韦县专家")
    leader = make_leader("覃书记", Level.CITY, post="市委常委、组织部部长")
    pair(leader, expert)
    make_leader_user("qin", leader)
    make_liaison("lianluoyuan", school)
    base = live_server.url

    # The liaison files on a phone; a future date is refused next to the field.
    page.set_viewport_size(PHONE)
    sign_in(page, base, "lianluoyuan", "pw")
    page.goto(f"{base}/admin/liaison/reports/new/")
    choose_expert(page, "韦县专家")
    page.get_by_role("combobox", name="报告事项").select_option(label="获得重大成就")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.get_by_role("textbox", name="事项发生日期").fill(tomorrow.isoformat())
    page.get_by_role("textbox", name="具体情况").fill("荣获自治区五一劳动奖章。")
    screenshot(page, "liaison-report-form-phone")
    page.get_by_role("button", name="报送", exact=True).scroll_into_view_if_needed()
    screenshot(page, "liaison-report-form-phone-bottom")
    page.get_by_role("button", name="报送", exact=True).click()
    expect(page.locator("[data-field-wrapper]").filter(has_text="事项发生日期")).to_contain_text(
        "事项发生日期不能晚于今天。"
    )
    screenshot(page, "liaison-report-form-phone-error")
    assert not EventReport.objects.exists()
    page.get_by_role("textbox", name="事项发生日期").fill(days_ago(3).isoformat())
    page.keyboard.press("Escape")  # the date picker
    page.get_by_role("button", name="报送", exact=True).click()
    expect(page.locator(".liaison-report__status .liaison-stage")).to_have_text("待县（市、区）组织人事部门审核")
    screenshot(page, "liaison-report-filed-phone")
    page.set_viewport_size(DESKTOP)
    screenshot(page, "liaison-report-filed")
    report = EventReport.objects.get()

    sign_in(page, base, "xiangzhou", "pw")
    review(page, screenshot, "county", "待市委人才办审核")
    assert EventReport.objects.get().stage == ReportStage.CITY

    sign_in(page, base, "city", "pw")
    review(page, screenshot, "city", "已接收")
    expect(page.locator("#visits-heading")).to_be_visible()
    expect(page.locator(".liaison-report")).to_contain_text("覃书记")
    expect(page.locator(".liaison-steps li")).to_have_count(3)
    screenshot(page, "liaison-report-accepted")
    assert MustVisit.objects.get().leader == leader

    sign_in(page, base, "qin", "pw")
    page.get_by_role("button", name="联系服务").click()
    page.get_by_role("link", name="必访事项", exact=True).click()
    row = page.locator("table.listing tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("韦县专家")
    expect(row).to_contain_text("获得重大成就必访")
    expect(row.locator(".liaison-visit--pending")).to_have_text("待走访")
    screenshot(page, "liaison-visits-leader")
    row.get_by_role("link").click()
    expect(page).to_have_url(f"{base}/admin/liaison/reports/inspect/{report.pk}/")
    expect(page.locator(".liaison-details")).to_contain_text("荣获自治区五一劳动奖章")
    screenshot(page, "liaison-report-leader")
