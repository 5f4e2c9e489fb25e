"""A county office records an expert workstation for a team in a real browser: the form refuses a
platform without its type and a negative amount next to the fields, then the list shows the record,
at desktop and phone width."""

import pytest
from playwright.sync_api import expect

from innovation.models import SupportRecord
from staff.levels import Level

from .browser_sign_in import sign_in
from .conftest import DESKTOP, PHONE
from .experts_builders import make_expert, make_staff, make_superuser, make_unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_county_office_records_a_platform_for_a_team(live_server, page, screenshot):
    root = make_superuser()
    unit = make_unit("兴宾区演示制糖有限公司", Level.XINGBIN)
    experts = [make_expert(root, unit, name="韦某华"), make_expert(root, unit, name="覃某丽")]
    make_staff("xingbin", Level.XINGBIN)

    sign_in(page, live_server.url, "xingbin", "pw")
    page.goto(f"{live_server.url}/admin/innovation/support/new/")
    page.get_by_label("支持类别").select_option(label="创新平台建设")
    page.get_by_label("金额（元）").fill("-300000")
    page.get_by_label("授予单位/部门").fill("兴宾区科技和工业信息化局")
    page.get_by_label("团队名称").fill("制糖工艺创新团队")
    page.get_by_role("button", name="添加专家").click()
    modal = page.locator(".modal")
    for expert in experts:
        modal.locator(f"input[data-multiple-choice-select][value='{expert.pk}']").check()
    modal.locator("[data-multiple-choice-submit]").click()
    expect(modal).to_be_hidden()
    page.locator("footer").get_by_role("button", name="创建").click()

    expect(page.get_by_text("无法创建支持记录")).to_be_visible()
    expect(page.get_by_text("支持类别为“创新平台建设”时，请选择平台类型。")).to_be_visible()
    expect(page.get_by_text("请填写平台名称。")).to_be_visible()
    expect(page.get_by_text("金额不能为负数。")).to_be_visible()
    assert not SupportRecord.objects.exists()
    screenshot(page, "innovation-support-form-errors-desktop")
    page.get_by_label("团队名称").scroll_into_view_if_needed()
    screenshot(page, "innovation-support-form-team-desktop")
    page.set_viewport_size(PHONE)
    page.get_by_label("平台类型").scroll_into_view_if_needed()
    screenshot(page, "innovation-support-form-errors-phone")
    page.set_viewport_size(DESKTOP)

    page.get_by_label("平台类型").select_option(label="专家工作站")
    page.get_by_label("项目或平台名称").fill("兴宾区制糖专家工作站")
    page.get_by_label("金额（元）").fill("300000")
    page.locator("footer").get_by_role("button", name="创建").click()
    expect(page.get_by_role("heading", name="支持记录详情")).to_be_visible()
    record = SupportRecord.objects.get()
    assert (record.level, record.platform_type, record.attendances.count()) == (Level.XINGBIN, "expert_workstation", 2)

    page.goto(f"{live_server.url}/admin/innovation/support/")
    row = page.get_by_role("row").filter(has_text="制糖工艺创新团队")
    expect(row).to_contain_text("300,000.00\u00a0元")
    expect(row).to_contain_text("创新平台建设（专家工作站）")
    expect(row).to_contain_text("2人：覃某丽、韦某华")
    screenshot(page, "innovation-support-list-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "innovation-support-list-phone")
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/admin/innovation/")
    expect(page.get_by_role("table", name="支持情况")).to_contain_text("300,000.00\u00a0元")
    screenshot(page, "innovation-overview-desktop")
