"""In a browser: a department answers in the portal, the office approves, the expert reads the reply, is
not satisfied, and the item is back in the office's queue."""

import pytest
from playwright.sync_api import expect

from intake.demo import DEMO_QUERY_CODE
from intake.models import IntakeItem, ReplyState, Status
from tests.browser_sign_in import sign_in, signed_out
from tests.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEPARTMENT_LOGIN = "rcb_dept_xingbin"  # the demo's 兴宾区人力资源和社会保障局
OFFICE_LOGIN = "rcb_city"  # the city talent office: signs in with the second factor
ITEM_SUBJECT = "人才公寓供暖设施老化需维修"  # a demo item just assigned to that department
PROPOSED_REPLY = "经现场查看，供暖管道已更换，区住建局将于本周内完成调试。"
COMPLAINT = "调试后仍不供暖，请再派人查看。"
APPROVED_REPLY = "经兴宾区人社局协调，供暖管道已更换，将于本周内完成调试。如仍有问题，请拨打专家人才热线。"


def both_sizes(page, screenshot, name):
    """A screenshot at the desktop size and one at a phone's width (the page loaded again at each, as
    the admin lays itself out for the width it opens at)."""
    screenshot(page, name)
    page.set_viewport_size(PHONE)
    page.reload()
    screenshot(page, f"{name}-phone")
    page.set_viewport_size(DESKTOP)
    page.reload()


def take_step(page, name, fill=None):
    """Opens the item page's action `name`, fills its form, submits it, and waits for the confirmation."""
    page.locator(".intake-actions").get_by_role("link", name=name, exact=True).click()
    if fill:
        fill()
    page.locator("footer").get_by_role("button", name=name).click()
    expect(page.locator(".messages")).to_contain_text(f"已{name}")


def department_accepts_and_proposes(page, base_url, item, screenshot):
    sign_in(page, base_url, DEPARTMENT_LOGIN)
    page.get_by_role("link", name="本部门承办事项").first.click()
    expect(page.get_by_role("link", name=item.tracking_number)).to_be_visible()
    expect(page.locator("table.listing tbody tr")).to_have_count(1)  # only the department's own item
    both_sizes(page, screenshot, "intake-department-list")

    page.get_by_role("link", name=item.tracking_number).click()
    expect(page.get_by_role("heading", name=ITEM_SUBJECT, exact=True)).to_be_visible()
    expect(page.locator(".intake-dl")).not_to_contain_text(item.mobile)  # contact data masked
    take_step(page, "接收办理")
    take_step(page, "提交拟答复", lambda: page.get_by_role("textbox", name="拟答复意见").fill(PROPOSED_REPLY))
    expect(page.locator(".intake-inspect__status")).to_contain_text("拟答复待审核")
    expect(page.locator(".intake-actions")).to_have_count(0)  # waiting for the office: nothing to do
    both_sizes(page, screenshot, "intake-department-item")


def office_approves_an_edited_reply(page, base_url, item, screenshot):
    sign_in(page, base_url, OFFICE_LOGIN)
    page.goto(f"{base_url}/admin/intake/items/?awaiting=reply")
    row = page.locator("tr", has=page.get_by_role("link", name=item.tracking_number))
    expect(row).to_contain_text("拟答复待审核")
    row.get_by_role("link", name=item.tracking_number).click()
    expect(
        page.get_by_role("heading", name="拟答复意见（兴宾区人力资源和社会保障局提交，待人才办审核）")
    ).to_be_visible()

    def edit():
        reply = page.get_by_role("textbox", name="答复意见")
        expect(reply).to_have_value(PROPOSED_REPLY)
        both_sizes(page, screenshot, "intake-office-review")
        reply.fill(APPROVED_REPLY)

    take_step(page, "审核通过拟答复", edit)
    expect(page.locator(".intake-message--reply")).to_contain_text(APPROVED_REPLY)


def expert_reads_the_reply(page, base_url, item):
    signed_out(page)
    page.goto(f"{base_url}/contact/track/")
    page.get_by_role("textbox", name="查询号", exact=True).fill(item.tracking_number)
    page.get_by_role("textbox", name="查询码", exact=True).fill(DEMO_QUERY_CODE)
    page.get_by_role("button", name="查询").click()
    expect(page.locator(".intake-reply")).to_contain_text(APPROVED_REPLY)
    expect(page.locator("main")).not_to_contain_text(PROPOSED_REPLY)  # the department's draft stays inside


def expert_is_not_satisfied(page, screenshot):
    rating = page.locator("form.intake-rating")
    rating.get_by_role("radio", name="不满意").check()
    rating.get_by_role("textbox", name="意见（选填）").fill(COMPLAINT)
    rating.get_by_role("button", name="提交评价").click()
    expect(page.get_by_role("status")).to_contain_text("事项已退回重新办理")
    expect(page.locator(".intake-timeline li").last).to_contain_text("因您对办理结果不满意，已重新办理。")
    expect(page.locator("form.intake-rating")).to_have_count(0)
    both_sizes(page, screenshot, "intake-track-dissatisfied")


def office_finds_it_back_in_the_queue(page, base_url, item):
    sign_in(page, base_url, OFFICE_LOGIN)
    page.goto(f"{base_url}/admin/intake/items/")
    row = page.locator("tr", has=page.get_by_role("link", name=item.tracking_number))
    expect(row).to_contain_text("办理中")
    row.get_by_role("link", name=item.tracking_number).click()
    expect(page.locator(".intake-steps li").last).to_contain_text(COMPLAINT)
    expect(page.locator(".intake-steps li").last).to_contain_text("来信人")


def test_a_department_answers_the_office_approves_the_expert_rates_it_and_it_comes_back(
    live_server, page, demo_site, screenshot
):
    item = IntakeItem.objects.get(subject=ITEM_SUBJECT)
    assert item.status == Status.ASSIGNED

    department_accepts_and_proposes(page, live_server.url, item, screenshot)
    item.refresh_from_db()
    assert (item.status, item.reply_state) == (Status.IN_PROGRESS, ReplyState.PROPOSED)

    office_approves_an_edited_reply(page, live_server.url, item, screenshot)
    item.refresh_from_db()
    assert (item.status, item.reply) == (Status.CLOSED, APPROVED_REPLY)

    expert_reads_the_reply(page, live_server.url, item)
    expert_is_not_satisfied(page, screenshot)
    item.refresh_from_db()
    assert (item.status, item.reopen_count) == (Status.IN_PROGRESS, 1)

    office_finds_it_back_in_the_queue(page, live_server.url, item)
