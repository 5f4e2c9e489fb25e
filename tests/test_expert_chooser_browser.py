"""The expert chooser in a real browser: a county's office picks an expert for an intake item, and a page
editor picks the expert of a public profile, each by searching 某 and clicking a name; the modal at
desktop and phone width (screenshots in test-artifacts/screenshots/)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from experts.models.pages import ExpertProfilePage
from intake.models import IntakeItem
from staff.levels import Level

from .browser_sign_in import sign_in
from .conftest import DESKTOP, PHONE
from .experts_builders import make_expert, make_staff, make_superuser, make_unit
from .public_builders import build_sections, give_consent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def search_in_chooser(page, screenshot, name, query):
    """Opens the chooser, searches `query`; screenshots of the modal at both widths."""
    page.get_by_role("button", name="选择专家").click()
    modal = page.locator(".modal")
    modal.get_by_label("搜索").fill(query)
    expect(modal.locator("table tbody tr").first).to_be_visible()
    expect(modal).to_have_css("opacity", "1")  # faded in
    screenshot(page, f"{name}-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, f"{name}-phone")
    page.set_viewport_size(DESKTOP)
    return modal


def test_a_county_office_picks_an_items_expert_in_the_chooser(live_server, page, screenshot):
    root = make_superuser()
    hospital = make_unit("兴宾区人民医院", Level.XINGBIN)
    chosen = make_expert(root, hospital, name="韦某明")
    make_expert(root, make_unit("兴宾区职业技术学校", Level.XINGBIN), name="覃某华")
    make_expert(root, make_unit("合山市人民医院", Level.HESHAN), name="蓝某林")
    make_staff("xingbin", Level.XINGBIN)
    sign_in(page, live_server.url, "xingbin", "pw")

    page.goto(live_server.url + reverse("intake_item:add"))
    page.locator("#id_channel").select_option(label="热线电话")
    page.locator("#id_kind").select_option(label="意见建议")
    page.locator("#id_name").fill("韦某明")
    page.locator("#id_mobile").fill("13807720001")
    page.locator("#id_subject").fill("关于人才公寓配套的建议")
    page.locator("#id_message").fill("建议在人才公寓周边增设公交站点，方便专家通勤。")

    modal = search_in_chooser(page, screenshot, "expert-chooser-intake", "某")
    expect(modal.get_by_role("link", name="覃某华")).to_be_visible()
    expect(modal.get_by_text("蓝某林")).to_have_count(0)  # another county's expert is not offered
    expect(modal.locator("table")).to_contain_text("兴宾区人民医院")
    modal.get_by_role("link", name="韦某明").click()
    expect(modal).to_be_hidden()
    expect(page.locator("#id_expert-chooser")).to_contain_text("韦某明（兴宾区人民医院）")

    page.locator("footer").get_by_role("button", name="创建").click()
    expect(page.locator(".messages")).to_be_visible()
    assert IntakeItem.objects.get().expert == chosen


def test_a_page_editor_picks_a_consenting_expert_for_a_public_profile(live_server, page, screenshot):
    directory = build_sections()["experts"]
    root = make_superuser()
    consenting = make_expert(root, make_unit("来宾市人民医院", Level.CITY), name="黄某涛")
    hidden_unit = make_expert(root, make_unit("合山市人民医院", Level.HESHAN), name="莫某宁")
    make_expert(root, make_unit("象州县中学", Level.XIANGZHOU), name="潘某静")  # did not agree
    give_consent([consenting])
    give_consent([hidden_unit], shows_unit=False)
    sign_in(page, live_server.url, "bianji")  # the demo's editor, made with the sections

    page.goto(live_server.url + reverse("wagtailadmin_pages:add", args=("experts", "expertprofilepage", directory.pk)))
    page.locator("#id_title").fill("黄某涛")
    modal = search_in_chooser(page, screenshot, "expert-chooser-profile", "某")
    expect(modal.get_by_role("link", name="莫某宁")).to_be_visible()
    expect(modal.get_by_text("潘某静")).to_have_count(0)  # no consent, not offered
    expect(modal.locator("table")).not_to_contain_text("合山市人民医院")  # a unit shown only with consent
    modal.get_by_role("link", name="黄某涛").click()
    expect(modal).to_be_hidden()
    expect(page.locator("#id_expert-chooser")).to_contain_text("黄某涛（来宾市人民医院）")
    page.locator("#id_field").fill("医疗卫生")
    page.locator("#id_talent_team").select_option(label="专业技术人才")
    page.locator("#id_summary").fill("长期从事心血管内科临床工作。")
    page.get_by_role("tab", name="推荐").click()
    page.locator("#id_slug").fill("huang-mou-tao")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".messages")).to_be_visible()
    screenshot(page, "expert-chooser-profile-saved")
    assert ExpertProfilePage.objects.get().expert == consenting
