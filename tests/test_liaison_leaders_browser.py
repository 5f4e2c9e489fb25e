"""A county's talent office in a real browser: the leader list warns of a leader under quota, a pairing
that already runs is refused next to the field, and the quota screen lists who is under; at desktop
and phone width."""

import pytest
from playwright.sync_api import expect

from base.demo import DEMO_PASSWORD
from liaison.models import Body, Pairing
from staff.levels import Level

from .browser_choosers import choose_expert
from .browser_sign_in import sign_in
from .conftest import DESKTOP, PHONE
from .experts_builders import make_expert, make_staff, make_unit
from .liaison_builders import make_leader, pair

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_county_office_sees_the_quota_and_is_told_why_a_pairing_is_refused(live_server, page, screenshot):
    county = make_staff("rcb_xiangzhou", Level.XIANGZHOU, password=DEMO_PASSWORD)
    school = make_unit("象州县中学", Level.XIANGZHOU)
    first, second = (make_expert(county, school, name=name) for name in ("县专家甲", "县专家乙"))
    under = make_leader("蓝县长", Level.XIANGZHOU, Body.GOVERNMENT, post="县长")
    full = make_leader("黄书记", Level.XIANGZHOU, Body.PARTY, post="县委书记")
    pair(under, first)
    pair(full, first)
    pair(full, second)

    sign_in(page, live_server.url, "rcb_xiangzhou")
    page.get_by_role("button", name="联系服务").click()
    page.get_by_role("link", name="联系领导", exact=True).click()
    rows = page.locator("table.listing tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="蓝县长")).to_contain_text("少于2名")
    expect(rows.filter(has_text="黄书记")).not_to_contain_text("少于2名")
    screenshot(page, "liaison-leaders-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "liaison-leaders-phone")
    page.set_viewport_size(DESKTOP)

    page.goto(f"{live_server.url}/admin/liaison/pairings/new/")
    page.locator("#id_leader").select_option(label="蓝县长（县长）")
    choose_expert(page, "县专家甲")
    page.get_by_role("button", name="创建").click()
    expert_field = page.locator('[data-contentpath="expert"]')
    expect(expert_field).to_contain_text("蓝县长已在联系县专家甲")
    assert Pairing.objects.filter(leader=under).count() == 1
    screenshot(page, "liaison-pairing-error-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "liaison-pairing-error-phone")
    page.set_viewport_size(DESKTOP)

    page.goto(f"{live_server.url}/admin/liaison/quota/")
    expect(page.get_by_role("heading", name="少于2名的领导（1 名）")).to_be_visible()
    screenshot(page, "liaison-quota-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "liaison-quota-phone")
    page.set_viewport_size(DESKTOP)

    # The quota screen's link opens the form with the leader chosen.
    page.get_by_role("link", name="新建结对：蓝县长").click()
    expect(page.locator("#id_leader")).to_have_value(str(under.pk))
    choose_expert(page, "县专家乙")
    page.get_by_role("button", name="创建").click()
    expect(page).to_have_url(f"{live_server.url}/admin/liaison/pairings/")
    assert Pairing.objects.filter(leader=under, expert=second, created_by=county).exists()
    page.goto(f"{live_server.url}/admin/liaison/quota/")
    expect(page.get_by_role("heading", name="少于2名的领导（0 名）")).to_be_visible()
