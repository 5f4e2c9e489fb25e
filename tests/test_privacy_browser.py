"""A county office answers an expert's requests in a real browser: 导出本人数据, then 匿名化处理."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from experts.models import Expert, ExpertStatus, RemovalReason
from experts.services import remove_expert

from .conftest import PHONE, SCREENSHOT_DIR
from .test_experts_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_more_actions(page):
    page.locator("#w-slim-header-buttons .w-dropdown__toggle").click()
    expect(page.get_by_role("link", name="导出本人数据")).to_be_visible()
    page.wait_for_timeout(400)  # the dropdown fades in


def test_export_and_anonymise_from_the_expert_detail(live_server, page, demo_site, screenshot):
    expert = Expert.objects.filter(level="xingbin", status=ExpertStatus.ACTIVE).order_by("pk").first()
    name = expert.name
    log_in(page, live_server, "rcb_xingbin")
    page.goto(live_server.url + reverse("experts:inspect", args=[expert.pk]))
    open_more_actions(page)
    export_link = page.get_by_role("link", name="导出本人数据")
    expect(export_link).to_be_visible()
    screenshot(page, "privacy-expert-actions-desktop")
    with page.expect_download() as download_info:
        export_link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as workbook_file:
        workbook = load_workbook(workbook_file)
    assert "专家记录" in workbook.sheetnames and "联系服务记录" in workbook.sheetnames
    assert name in str(list(workbook["专家记录"].values))

    # An active expert: the screen says why not, and offers no button.
    page.goto(live_server.url + reverse("experts:anonymise", args=[expert.pk]))
    expect(page.get_by_role("alert")).to_contain_text("只有已调出的专家可以匿名化处理")
    expect(page.get_by_role("button", name="确认匿名化处理")).to_have_count(0)
    screenshot(page, "privacy-anonymise-refused")

    county = User.objects.get(username="rcb_xingbin")
    remove_expert(expert, date=timezone.localdate(), reason=RemovalReason.LEFT_CITY, basis="调离本市", user=county)
    expert.event_reports.exclude(stage="accepted").update(stage="accepted")
    expert.follow_ups.update(status="solved")
    expert.intake_items.update(status="closed")
    page.goto(live_server.url + reverse("experts:inspect", args=[expert.pk]))
    open_more_actions(page)
    page.get_by_role("link", name="匿名化处理").click()
    expect(page.locator("#header-title")).to_have_text("匿名化处理")
    page.get_by_role("button", name="确认匿名化处理").click()
    expect(page.get_by_text("请填写申请依据。")).to_be_visible()
    expect(page.get_by_text("请勾选确认：匿名化处理不可撤销。")).to_be_visible()
    screenshot(page, "privacy-anonymise-confirm-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "privacy-anonymise-confirm-phone")
    page.get_by_role("button", name="确认匿名化处理").scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOT_DIR / "privacy-anonymise-confirm-phone-end.png")  # the viewport, at the button
    page.get_by_label("申请依据").fill("本人书面申请删除个人信息")
    page.get_by_label("我已核实本人申请，知悉匿名化处理后无法恢复").check()
    page.get_by_role("button", name="确认匿名化处理").click()
    expect(page.get_by_text(f"已完成匿名化处理：已匿名专家 #{expert.pk}。")).to_be_visible()
    open_more_actions(page)
    screenshot(page, "privacy-expert-actions-phone")
    assert Expert.objects.get(pk=expert.pk).name == f"已匿名专家 #{expert.pk}"
