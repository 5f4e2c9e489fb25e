"""A county office opens a party development file in a real browser: a milestone out of order is
refused next to its field, the corrected file shows its milestones as a timeline, at desktop and
phone width."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from guidance.models import PartyDevelopment
from staff.levels import Level

from .browser_sign_in import sign_in
from .conftest import DESKTOP, PHONE
from .experts_builders import make_expert, make_staff, make_superuser, make_unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_county_office_records_party_development_milestones_in_order(live_server, page, screenshot):
    make_staff("xingbin", Level.XINGBIN)
    expert = make_expert(
        make_superuser(), make_unit("兴宾区人民医院", Level.XINGBIN), name="黄某怡", political_status="masses"
    )
    applied = timezone.localdate() - datetime.timedelta(days=300)
    activist = applied + datetime.timedelta(days=120)

    sign_in(page, live_server.url, "xingbin", "pw")
    page.goto(f"{live_server.url}/admin/guidance/")
    page.get_by_role("row", name="发展党员").get_by_role("link", name="登记").click()
    page.get_by_role("button", name="选择专家").click()
    modal = page.locator(".modal")
    modal.get_by_role("link", name="黄某怡").click()
    expect(modal).to_be_hidden()
    page.get_by_label("培养联系人").fill("韦某明（医院党委副书记）")
    page.get_by_label("申请入党").fill(f"{activist:%Y-%m-%d}")
    page.get_by_label("入党积极分子").fill(f"{applied:%Y-%m-%d}")  # before the application
    page.get_by_label("发展对象").click()  # closes the date picker
    page.get_by_role("button", name="创建").click()

    error = f"不能早于“申请入党”的日期（{activist:%Y-%m-%d}）。"
    expect(page.get_by_text(error)).to_be_visible()
    assert not PartyDevelopment.objects.exists()
    page.get_by_role("group", name="发展进程").scroll_into_view_if_needed()
    screenshot(page, "guidance-party-form-error-desktop")
    page.set_viewport_size(PHONE)
    page.get_by_text(error).scroll_into_view_if_needed()
    screenshot(page, "guidance-party-form-error-phone")
    page.set_viewport_size(DESKTOP)

    page.get_by_label("申请入党").fill(f"{applied:%Y-%m-%d}")
    page.get_by_label("入党积极分子").fill(f"{activist:%Y-%m-%d}")
    page.get_by_label("发展对象").click()
    page.get_by_role("button", name="创建").click()

    timeline = page.locator("ol.guidance-milestones")
    expect(timeline.locator("li")).to_have_text(
        [
            f"申请入党 {applied:%Y-%m-%d}",
            f"入党积极分子 {activist:%Y-%m-%d}",
            "发展对象 尚未到达",
            "预备党员 尚未到达",
            "正式党员 尚未到达",
        ],
    )
    expect(timeline.locator("[aria-current=step]")).to_contain_text("入党积极分子")
    record = PartyDevelopment.objects.get()
    assert (record.expert, record.applied_on, record.activist_on, record.level) == (
        expert,
        applied,
        activist,
        Level.XINGBIN,
    )
    timeline.scroll_into_view_if_needed()
    screenshot(page, "guidance-party-inspect-desktop")
    page.set_viewport_size(PHONE)
    timeline.scroll_into_view_if_needed()
    screenshot(page, "guidance-party-inspect-phone")

    page.goto(f"{live_server.url}/admin/guidance/party-development/")
    expect(page.get_by_role("row", name="黄某怡")).to_contain_text("入党积极分子")
    screenshot(page, "guidance-party-list-phone")
