"""A leader's office records a symposium with three experts and one problem in a real browser,
then finds the overdue items in the follow-up list, at desktop and phone width."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from liaison.models import Body, ContactRecord, FollowUp
from staff.levels import Level

from .browser_sign_in import sign_in
from .conftest import DESKTOP, PHONE
from .experts_builders import make_expert, make_staff, make_unit
from .liaison_builders import contact, make_follow_up, make_leader, make_office_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_office_records_a_symposium_then_follows_up_the_overdue_items(live_server, page, screenshot):
    city = make_staff("city", Level.CITY)
    hospital, institute = make_unit("来宾市人民医院"), make_unit("来宾市农业科学院", unit_type="research_institute")
    experts = [
        make_expert(city, hospital, name="黄心怡"),
        make_expert(city, institute, name="莫建华"),
        make_expert(city, institute, name="韦丽萍"),
        make_expert(city, hospital, name="覃志强"),
    ]
    leader = make_leader("覃书记", Level.CITY, Body.PARTY, post="市委书记")
    make_leader("韦市长", Level.CITY, Body.GOVERNMENT, post="市长")
    earlier = contact([leader], [experts[3]], date=timezone.localdate() - datetime.timedelta(days=40))
    make_follow_up(
        earlier,
        experts[3],
        timezone.localdate() - datetime.timedelta(days=12),
        problem="实验室用房紧张，希望协调周转用房。",
    )
    make_office_user("shiweiban", Body.PARTY, Level.CITY)

    sign_in(page, live_server.url, "shiweiban", "pw")
    page.goto(f"{live_server.url}/admin/liaison/contacts/")
    page.get_by_role("link", name="登记联系记录").click()
    expect(page.get_by_role("checkbox", name="韦市长（市长）")).to_have_count(0)  # another body's leader
    page.get_by_label("联系事由").select_option(label="座谈交流")
    page.get_by_role("radio", name="面对面").check()
    page.get_by_role("checkbox", name="覃书记（市委书记）").check()

    # Three experts at once through the chooser.
    page.get_by_role("button", name="添加专家").click()
    modal = page.locator(".modal")
    for expert in experts[:3]:
        modal.locator(f"input[data-multiple-choice-select][value='{expert.pk}']").check()
    modal.locator("[data-multiple-choice-submit]").click()
    expect(modal).to_be_hidden()
    expect(page.locator("[data-experts-widget-count]")).to_have_text("已选 3 位专家")

    page.get_by_label("陪同人员").fill("市委办秘书科工作人员")
    page.get_by_label("联系情况").fill("召开青年专家座谈会，听取对人才政策落实的意见建议。")
    page.get_by_role("button", name="添加一个问题").click()
    row = page.locator("[data-follow-up-row]").first
    row.get_by_label("反映问题的专家").select_option(label="莫建华（来宾市农业科学院）")
    row.get_by_label("反映的问题").fill("科研项目配套资金拨付慢。")
    row.get_by_label("责任单位或责任人").fill("市财政局")
    row.get_by_label("办结时限").fill(f"{timezone.localdate() + datetime.timedelta(days=20):%Y-%m-%d}")
    row.get_by_label("办结时限").press("Tab")  # leaves the date picker
    row.get_by_label("领导直接过问").check()
    screenshot(page, "liaison-contact-form-desktop")
    page.get_by_label("联系事由").scroll_into_view_if_needed()
    screenshot(page, "liaison-contact-form-top-desktop")
    page.set_viewport_size(PHONE)
    row.scroll_into_view_if_needed()
    screenshot(page, "liaison-contact-form-phone")
    page.set_viewport_size(DESKTOP)

    page.locator("footer").get_by_role("button", name="创建").click()
    expect(page.get_by_text("已登记联系记录")).to_be_visible()
    record = ContactRecord.objects.exclude(pk=earlier.pk).get()
    assert sorted(record.experts.values_list("name", flat=True)) == sorted(expert.name for expert in experts[:3])
    assert (record.level, list(record.leaders.all())) == (Level.CITY, [leader])
    follow_up = FollowUp.objects.get(record=record)
    assert (follow_up.expert, follow_up.leader_attention) == (experts[1], True)
    screenshot(page, "liaison-contact-inspect-desktop")
    page.goto(f"{live_server.url}/admin/liaison/contacts/")
    expect(page.locator("table.listing tbody tr").first).to_contain_text("3人：")
    screenshot(page, "liaison-contacts-desktop")

    page.goto(f"{live_server.url}/admin/liaison/followups/")
    overdue = page.locator("tr.liaison-row--overdue")
    expect(overdue).to_have_count(1)
    expect(overdue).to_contain_text("已逾期 12 天")
    expect(page.locator("table.listing tbody tr")).to_have_count(2)
    screenshot(page, "liaison-followups-desktop")
    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator("tr.liaison-row--overdue")).to_contain_text("已逾期 12 天")
    screenshot(page, "liaison-followups-phone")
