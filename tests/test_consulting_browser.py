"""A county office records a consultation that asks an industry development group, in a real
browser, and sees the year's consulting coverage (screenshots in test-artifacts/screenshots/)."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from consulting.models import Consultation, IndustryGroup
from staff.levels import Level

from .browser_sign_in import sign_in
from .conftest import DESKTOP, PHONE
from .experts_builders import make_expert, make_staff, make_superuser, make_unit
from .programme_builders import make_activity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def both_widths(page, screenshot, name):
    # The admin scrolls inside its own frame: a tall viewport shows the whole form.
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size({**size, "height": 2200})
        screenshot(page, f"{name}-{label}")
    page.set_viewport_size(DESKTOP)


def test_a_county_office_records_a_consultation_of_a_group_and_sees_the_coverage(live_server, page, screenshot):
    root = make_superuser()
    unit = make_unit("兴宾区农业科学研究所", Level.XINGBIN)
    lead, member = make_expert(root, unit, name="韦某甘"), make_expert(root, unit, name="覃某蔗")
    make_expert(root, unit, name="蓝某农")
    make_activity(IndustryGroup, [lead, member], level=Level.XINGBIN, name="甘蔗产业发展小组", sector="甘蔗", lead=lead)
    make_staff("rcb_xb", Level.XINGBIN, password="pw-browser")
    sign_in(page, live_server.url, "rcb_xb", password="pw-browser")

    page.goto(f"{live_server.url}/admin/consulting/consultations/new/")
    page.get_by_label("咨询事项").fill("兴宾区糖料蔗良种推广方案")
    page.get_by_label("咨询阶段").select_option(label="事前研究")
    page.get_by_label("甘蔗产业发展小组").check()
    page.get_by_label("咨询意见").fill("分片推广，先试点后铺开。")
    page.get_by_label("采纳情况").select_option(label="已采纳")
    page.locator("footer").get_by_role("button", name="创建").click()
    error = page.locator(".w-field--error").filter(has=page.locator("#id_adopting_body"))
    expect(error).to_contain_text("意见已采纳或部分采纳时，请填写采纳单位。")
    both_widths(page, screenshot, "consulting-consultation-form")
    assert not Consultation.objects.exists()

    page.get_by_label("采纳单位").fill("兴宾区农业农村局")
    page.locator("footer").get_by_role("button", name="创建").click()
    expect(page.get_by_role("heading", name="专家（2人）")).to_be_visible()
    expect(page.locator("main")).to_contain_text("覃某蔗")

    year = datetime.date.today().year
    page.goto(f"{live_server.url}/admin/consulting/coverage/?year={year}")
    table = page.locator("table").first
    expect(table).to_contain_text("参与决策咨询")
    total = table.locator("tr.programme-total td")
    expect(total.nth(0)).to_have_text("3")  # the county's three active experts
    expect(total.nth(1)).to_have_text(re.compile(r"^2\s*（66.7%）$"))  # the group's two members, consulted
    both_widths(page, screenshot, "consulting-coverage")
