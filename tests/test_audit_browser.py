"""In a real browser: an expert's phone and e-mail are masked until revealed (with and without
JavaScript), and the audit report shows the reveal; desktop and phone screenshots."""

import re

import pytest
from playwright.sync_api import expect

from experts.models import ExpertLogEntry
from security import audit
from staff.levels import Level

from .conftest import DESKTOP, PHONE
from .experts_builders import make_expert, make_staff, make_unit
from .intake_builders import new_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOBILE = "13912345678"
EMAIL = "wei.expert@example.invalid"


@pytest.fixture
def county_expert():
    city = make_staff("city", Level.CITY)
    county = make_staff("xingbin", Level.XINGBIN)
    expert = make_expert(city, make_unit("兴宾区人民医院", Level.XINGBIN), name="韦某明", mobile=MOBILE, email=EMAIL)
    return county, expert


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("pw")
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{live_server.url}/admin/")


def test_reveal_in_place_then_the_audit_report(live_server, page, county_expert, screenshot):
    county, expert = county_expert
    log_in(page, live_server, county.username)
    page.goto(f"{live_server.url}/admin/experts/inspect/{expert.pk}/")
    mobile = page.locator("#reveal-mobile")
    expect(mobile).to_have_text("139****5678")
    expect(mobile).to_have_attribute("aria-live", "polite")
    assert MOBILE not in page.content() and EMAIL not in page.content()
    screenshot(page, "audit-expert-detail-masked")

    page.get_by_role("button", name="显示完整号码").click()
    expect(mobile).to_have_text(MOBILE)
    expect(mobile).to_be_focused()  # the button is gone; focus stays by the value it revealed
    expect(page.get_by_role("button", name="显示完整号码")).to_have_count(0)
    expect(page.locator("#reveal-email")).to_have_text("w***@example.invalid")  # the other stays masked
    assert page.url.endswith(f"/admin/experts/inspect/{expert.pk}/")  # in place, no reload
    screenshot(page, "audit-expert-detail-revealed")
    reveals = ExpertLogEntry.objects.filter(action=audit.REVEAL, expert=expert)
    assert [entry.data["field"] for entry in reveals] == ["mobile"]

    page.get_by_role("button", name="报告").click()
    page.get_by_role("link", name="审计日志").click()
    expect(page).to_have_url(re.compile(r"/admin/reports/audit/$"))
    first = page.locator("table.portal-audit tbody tr").first
    expect(first).to_contain_text("查看了完整手机号码")
    expect(first).to_contain_text("韦某明")
    expect(first).to_contain_text("127.0.0.1")
    expect(first).to_contain_text("成功")
    screenshot(page, "audit-report-desktop")

    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator("table.portal-audit tbody tr").first).to_be_visible()
    screenshot(page, "audit-report-phone")
    page.goto(f"{live_server.url}/admin/experts/inspect/{expert.pk}/")
    screenshot(page, "audit-expert-detail-phone")

    item = new_item(level=Level.XINGBIN, mobile="13807720002", email="qin@example.cn")[0]
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/admin/intake/items/inspect/{item.pk}/")
    page.get_by_role("button", name="显示完整邮箱").click()
    expect(page.locator("#reveal-email")).to_have_text("qin@example.cn")
    expect(page.locator("#reveal-mobile")).to_have_text("138****0002")
    screenshot(page, "audit-intake-detail-revealed")


def test_reveal_without_javascript(live_server, browser, county_expert, screenshot):
    county, expert = county_expert
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    log_in(page, live_server, county.username)
    page.goto(f"{live_server.url}/admin/experts/inspect/{expert.pk}/")
    page.get_by_role("button", name="显示完整邮箱").click()
    expect(page).to_have_url(re.compile(rf"/admin/experts/inspect/{expert.pk}/#reveal-email$"))
    expect(page.locator("#reveal-email")).to_have_text(EMAIL)
    expect(page.locator("#reveal-mobile")).to_have_text("139****5678")
    screenshot(page, "audit-expert-detail-revealed-nojs")
    assert ExpertLogEntry.objects.filter(action=audit.REVEAL, expert=expert, data__field="email").count() == 1
    context.close()
