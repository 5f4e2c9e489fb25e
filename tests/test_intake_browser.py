"""In a browser: an expert writes in, a staff member handles it to the end, the expert reads the reply."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from django.utils import timezone
from playwright.sync_api import expect

from base.demo import DEMO_PASSWORD
from intake.models import IntakeItem, Status
from tests.browser_sign_in import sign_in
from tests.conftest import PHONE
from tests.intake_builders import contact_page_fixture  # noqa: F401 - the contact_page fixture
from tests.liaison_builders import make_leader

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAFF_LOGIN = ("rcb_city", DEMO_PASSWORD)  # the demo's city talent office


def submit_as_expert(page, base_url, screenshot):
    page.goto(f"{base_url}/contact/")
    page.get_by_role("radio", name="意见建议").check()
    expect(page.locator("#appointment-fields")).to_be_hidden()
    page.get_by_role("textbox", name="姓名", exact=True).fill("韦测试专家")
    page.get_by_role("textbox", name="工作单位", exact=True).fill("来宾市测试研究院")
    page.get_by_role("textbox", name="手机号码", exact=True).fill("1380772")  # too short: refused next to the field
    page.get_by_role("textbox", name="电子邮箱", exact=True).fill("expert@example.cn")
    page.get_by_role("textbox", name="主题", exact=True).fill("建议增设青年人才科研启动经费")
    page.get_by_role("textbox", name="内容", exact=True).fill(
        "建议对新引进的青年博士设立科研启动经费，帮助尽快开展研究。<b>谢谢</b>"
    )
    page.get_by_role("checkbox", name=re.compile("我已阅读并同意")).check()
    page.get_by_role("button", name="提交").click()

    expect(page.locator("#field-mobile .field__error")).to_contain_text("请输入11位手机号码")
    expect(page.get_by_role("textbox", name="主题", exact=True)).to_have_value("建议增设青年人才科研启动经费")
    expect(page.locator("#form-errors")).to_be_focused()
    screenshot(page, "intake-contact-errors")

    page.get_by_role("textbox", name="手机号码", exact=True).fill("13807720001")
    page.get_by_role("checkbox", name=re.compile("我已阅读并同意")).check()
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", name="提交成功，我们已收到您反映的事项")).to_be_visible()
    tracking_number = page.locator("[data-tracking-number]").inner_text()
    query_code = page.locator("[data-query-code]").inner_text()
    screenshot(page, "intake-receipt")
    return tracking_number, query_code


def handle_as_staff(page, base_url, tracking_number, screenshot):
    sign_in(page, base_url, *STAFF_LOGIN)
    expect(page.get_by_role("heading", name="督办事项")).to_be_visible()  # the dashboard panel

    page.goto(f"{base_url}/admin/intake/items/")
    expect(page.locator("tr.intake-row--overdue").first).to_be_visible()  # the demo's late item stands out
    screenshot(page, "intake-admin-queue")
    page.get_by_role("link", name=tracking_number).click()
    expect(page.locator(".intake-message").first).to_contain_text("<b>谢谢</b>")  # shown as text

    def step(name, fill=None):
        page.locator(".intake-actions").get_by_role("link", name=name, exact=True).click()
        if fill:
            fill()
        page.locator("footer").get_by_role("button", name=name).click()
        expect(page.locator(".messages")).to_contain_text(f"已{name}")

    step("受理")
    step("交办", lambda: page.get_by_role("combobox", name="承办部门").select_option(label="市科学技术局"))
    step("开始办理")

    def reply():
        page.get_by_role("combobox", name="从答复模板开始").select_option(label="政策咨询答复")
        expect(page.get_by_role("textbox", name="答复意见", exact=True)).to_have_value(
            re.compile("感谢您对我市人才工作的关心和支持")
        )
        page.get_by_role("textbox", name="答复意见", exact=True).fill(
            "感谢您的建议。市科学技术局已将青年博士科研启动经费纳入明年预算。"
        )
        screenshot(page, "intake-admin-close")

    step("办结答复", reply)
    expect(page.locator(".intake-steps li")).to_have_count(5)
    screenshot(page, "intake-admin-item")


def test_an_expert_writes_in_staff_answer_and_the_expert_reads_the_reply(live_server, page, demo_site, screenshot):
    tracking_number, query_code = submit_as_expert(page, live_server.url, screenshot)
    assert IntakeItem.objects.get(tracking_number=tracking_number).status == Status.NEW

    handle_as_staff(page, live_server.url, tracking_number, screenshot)
    assert IntakeItem.objects.get(tracking_number=tracking_number).status == Status.CLOSED

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/contact/track/")
    page.get_by_role("textbox", name="查询号", exact=True).fill(tracking_number)
    page.get_by_role("textbox", name="查询码", exact=True).fill(query_code)
    page.get_by_role("button", name="查询").click()
    expect(page.locator(".intake-reply")).to_contain_text("青年博士科研启动经费纳入明年预算")
    expect(page.locator(".intake-timeline li")).to_have_count(5)
    screenshot(page, "intake-track-reply")

    rate_as_expert(page, screenshot)
    assert IntakeItem.objects.get(tracking_number=tracking_number).status == Status.FOLLOWED_UP

    page.get_by_role("textbox", name="查询码", exact=True).fill("WRONG234")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("alert")).to_have_text("未找到对应的事项，请核对查询号和查询码后重试。")


def rate_as_expert(page, screenshot):
    """The expert rates the answer: asked for a choice first, then thanked, and the form is gone."""
    page.set_viewport_size(PHONE)
    rating = page.locator("form.intake-rating")
    rating.get_by_role("button", name="提交评价").click()
    expect(page.locator("#field-satisfaction .field__error")).to_have_text("请选择您的评价。")
    screenshot(page, "intake-track-rating-phone")
    page.get_by_role("radio", name="满意", exact=True).check()
    page.get_by_role("textbox", name="意见（选填）").fill("办理及时，谢谢。")
    page.locator("form.intake-rating").get_by_role("button", name="提交评价").click()
    expect(page.get_by_role("status")).to_contain_text("感谢您的评价。")
    expect(page.locator(".intake-timeline li").last).to_contain_text("您已评价：满意。")
    expect(page.locator("form.intake-rating")).to_have_count(0)
    screenshot(page, "intake-track-rated-phone")


def test_the_contact_page_on_a_phone(live_server, page, demo_site, screenshot):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/contact/")
    page.get_by_role("radio", name="预约约见联系领导").check()
    expect(page.locator("#appointment-fields")).to_be_visible()
    expect(page.get_by_role("button", name="提交")).to_be_visible()
    screenshot(page, "intake-contact-phone")


def test_an_expert_picks_a_leader_from_the_list_or_says_they_are_unsure(live_server, page, contact_page, screenshot):
    make_leader("覃书记", post="市委书记")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/contact/")
    page.get_by_role("radio", name="预约约见联系领导").check()
    page.get_by_role("textbox", name="姓名", exact=True).fill("韦测试专家")
    page.get_by_role("textbox", name="手机号码", exact=True).fill("13807720001")
    page.get_by_role("textbox", name="主题", exact=True).fill("希望约见领导汇报项目")
    page.get_by_role("textbox", name="内容", exact=True).fill("希望约见市领导，汇报产业化项目的进展和困难。")
    page.locator("#id_preferred_date_from").fill((timezone.localdate() + timedelta(days=7)).isoformat())
    leader = page.get_by_role("combobox", name="希望约见的领导")
    expect(leader.locator("option", has_text="覃书记（市委书记）")).to_have_count(1)
    leader.select_option(label="其他／不确定（请在下一栏说明）")
    page.get_by_role("checkbox", name=re.compile("我已阅读并同意")).check()
    page.get_by_role("button", name="提交").click()

    expect(page.locator("#field-preferred_leader_text .field__error")).to_contain_text("请说明希望约见的领导")
    screenshot(page, "intake-contact-leader-phone")
    page.get_by_role("textbox", name="其他／不确定时请说明").fill("分管科技的副市长")
    page.get_by_role("checkbox", name=re.compile("我已阅读并同意")).check()
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", name="提交成功，我们已收到您反映的事项")).to_be_visible()
    item = IntakeItem.objects.get()
    assert (item.preferred_leader, item.preferred_leader_text) == (None, "分管科技的副市长")


def test_a_service_guide_button_opens_the_form_about_that_service(live_server, page, demo_site, screenshot):
    page.goto(f"{live_server.url}/services/lvse-tongdao/")
    page.get_by_role("link", name="在线申请或咨询：医疗绿色通道").click()

    expect(page).to_have_url(f"{live_server.url}/contact/?service=lvse-tongdao")
    expect(page.locator("[data-service-note]")).to_contain_text("本次留言所涉服务事项：医疗绿色通道")
    expect(page.get_by_role("textbox", name="主题", exact=True)).to_have_value("咨询：医疗绿色通道")
    screenshot(page, "intake-contact-from-service")

    page.locator("[data-service-note]").get_by_role("link", name="医疗绿色通道").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("医疗绿色通道")


def test_a_busy_database_gives_the_expert_their_text_back_to_send_again(live_server, page, demo_site, screenshot):
    page.goto(f"{live_server.url}/contact/")
    page.get_by_role("radio", name="困难求助").check()
    page.get_by_role("textbox", name="姓名", exact=True).fill("韦测试专家")
    page.get_by_role("textbox", name="手机号码", exact=True).fill("13807720001")
    page.get_by_role("textbox", name="主题", exact=True).fill("子女入学政策咨询")
    page.get_by_role("textbox", name="内容", exact=True).fill(
        "我是新引进的高层次人才，想了解子女入学的办理流程和所需材料。"
    )
    page.get_by_label("附件").set_input_files(
        files=[{"name": "证明.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}]
    )
    page.get_by_role("checkbox", name=re.compile("我已阅读并同意")).check()
    with mock.patch("intake.workflow.receive", side_effect=OperationalError("database is locked")):
        page.get_by_role("button", name="提交").click()
        expect(page.locator("#form-errors")).to_contain_text("系统繁忙，您的留言暂未提交成功")
    expect(page.locator("#form-errors")).to_be_focused()
    expect(page.get_by_role("textbox", name="内容", exact=True)).to_have_value(re.compile("子女入学的办理流程"))
    screenshot(page, "intake-contact-busy")
    assert not IntakeItem.objects.filter(subject="子女入学政策咨询").exists()

    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", name="提交成功，我们已收到您反映的事项")).to_be_visible()
    assert IntakeItem.objects.filter(subject="子女入学政策咨询").count() == 1
