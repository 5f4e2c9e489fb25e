"""A county office filters its contact records by one leader through the leader chooser, in a real
browser, with the keyboard's reach to the chooser and at phone width."""

import pytest
from playwright.sync_api import expect

from base.demo import DEMO_PASSWORD
from liaison.models import Body
from staff.levels import Level

from .browser_choosers import choose_leader
from .browser_sign_in import sign_in
from .conftest import DESKTOP, PHONE
from .experts_builders import make_expert, make_staff, make_unit
from .liaison_builders import contact, make_leader

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_county_office_filters_contacts_by_a_leader_it_chooses(live_server, page, screenshot):
    county = make_staff("rcb_xiangzhou", Level.XIANGZHOU, password=DEMO_PASSWORD)
    school = make_unit("象州县中学", Level.XIANGZHOU)
    expert = make_expert(county, school, name="县专家甲")
    mayor = make_leader("蓝县长", Level.XIANGZHOU, Body.GOVERNMENT, post="县长")
    secretary = make_leader("黄书记", Level.XIANGZHOU, Body.PARTY, post="县委书记")
    contact([mayor], [expert], level=Level.XIANGZHOU)
    contact([secretary], [expert], level=Level.XIANGZHOU)
    make_leader("韦市长", Level.CITY, Body.GOVERNMENT, post="市长")  # another level's: never offered

    sign_in(page, live_server.url, "rcb_xiangzhou")
    page.goto(f"{live_server.url}/admin/liaison/contacts/")
    rows = page.locator("table.listing tbody tr")
    expect(rows).to_have_count(2)
    page.get_by_role("button", name="显示过滤器").click()
    page.get_by_role("button", name="参加领导").click()
    chooser_button = page.get_by_role("button", name="选择领导")
    chooser_button.focus()
    expect(chooser_button).to_be_focused()
    page.get_by_role("button", name="选择领导").click()
    modal = page.locator(".modal")
    expect(modal.get_by_role("link", name="蓝县长")).to_be_visible()
    expect(modal).not_to_contain_text("韦市长")
    screenshot(page, "liaison-leader-chooser-modal")
    modal.get_by_role("button", name="关闭").click()
    expect(modal).to_be_hidden()

    page.reload()
    page.get_by_role("button", name="显示过滤器").click()
    page.get_by_role("button", name="参加领导").click()
    choose_leader(page, "县长", "蓝县长")
    expect(rows).to_have_count(1)
    expect(page).to_have_url(f"{live_server.url}/admin/liaison/contacts/?leader={mayor.pk}")
    expect(page.locator(".w-active-filters")).to_contain_text("蓝县长")
    page.keyboard.press("Escape")
    expect(page.locator("#id_leader-chooser")).to_be_hidden()  # the filters closed
    screenshot(page, "liaison-contacts-filtered-by-leader")
    page.set_viewport_size(PHONE)
    screenshot(page, "liaison-contacts-filtered-by-leader-phone")
    page.set_viewport_size(DESKTOP)
