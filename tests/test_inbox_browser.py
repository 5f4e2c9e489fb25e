"""The city office finds held mail from the dashboard, and marks a message 已人工处理, in a real browser;
at desktop and phone width (screenshots in test-artifacts/screenshots/)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from inbox.models import MailboxMessage, State
from staff.levels import Level

from .browser_sign_in import sign_in
from .conftest import DESKTOP, PHONE
from .experts_builders import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def both_widths(page, screenshot, name):
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size({**size, "height": 1400})
        page.reload()
        screenshot(page, f"{name}-{label}")
    page.set_viewport_size(DESKTOP)


def test_the_city_office_handles_a_held_message(live_server, page, screenshot):
    for number, (subject, reason) in enumerate(
        [
            (
                "申报材料（含安装程序）",
                "附件“申报工具.exe”不能接收：附件只能是PDF、JPEG或PNG文件（按文件内容判断，改扩展名无效）。",
            ),
            ("项目汇报视频", "邮件过大（约38.2MB，上限10MB），未下载"),
        ]
    ):
        MailboxMessage.objects.create(
            message_key=f"<held-{number}@example.cn>",
            state=State.HELD,
            reason=reason,
            sender_name="蒙专家",
            sender_address="mengzhuanjia@example.cn",
            subject=subject,
            sent_at=timezone.now(),
            size=2048,
            folder="未能登记",
        )
    make_staff("city", Level.CITY)
    sign_in(page, live_server.url, "city", "pw")

    page.get_by_role("link", name="未能登记、待人工处理的邮件 2 封").click()
    expect(page.get_by_role("heading", name="未能登记的邮件")).to_be_visible()
    expect(page.get_by_text("蒙** m***@example.cn").first).to_be_visible()
    both_widths(page, screenshot, "inbox-held-list")

    page.get_by_role("link", name="项目汇报视频").click()
    page.get_by_role("button", name="标记为已人工处理").click()
    expect(page.get_by_text("请填写处理说明。")).to_be_visible()
    both_widths(page, screenshot, "inbox-handled-form")
    page.get_by_label("处理说明").fill("已电话联系来信人，请其分段发送。")
    page.get_by_role("button", name="标记为已人工处理").click()

    expect(page.get_by_text("已标记为已人工处理：项目汇报视频")).to_be_visible()
    assert MailboxMessage.objects.get(subject="项目汇报视频").state == State.HANDLED
    page.goto(f"{live_server.url}/admin/")
    expect(page.get_by_role("link", name="未能登记、待人工处理的邮件 1 封")).to_be_visible()
