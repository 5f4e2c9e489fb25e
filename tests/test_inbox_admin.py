"""The city office's list of mail the portal could not register, 已人工处理, the dashboard line and the demo."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import ModelLogEntry

from inbox import demo, retention
from inbox.models import MailboxMessage, State
from intake.models import Channel, IntakeItem
from staff.levels import Level
from staff.roles import CITY_OFFICE, COUNTY_OFFICE
from tests.intake_builders import make_staff, new_item

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/inbox/"


def held(**fields):
    values = {
        "message_key": "<held-1@example.cn>",
        "state": State.HELD,
        "reason": "附件“setup.exe”不能接收：附件只能是PDF、JPEG或PNG文件（按文件内容判断，改扩展名无效）。",
        "sender_name": "韦专家",
        "sender_address": "weizhuanjia@example.cn",
        "subject": "申报材料",
        "sent_at": timezone.now(),
        "size": 2048,
        "folder": "未能登记",
    }
    values.update(fields)
    return MailboxMessage.objects.create(**values)


@pytest.fixture
def city(client):
    client.force_login(make_staff("city", Level.CITY, CITY_OFFICE))
    return client


def test_the_city_office_sees_held_mail_with_the_sender_masked(city):
    held()
    held(message_key="<taken@example.cn>", state=State.TAKEN, subject="已登记的来信", reason="")

    response = city.get(LIST_URL)

    text = response.content.decode()
    assert response.status_code == 200
    assert "申报材料" in text and "附件只能是PDF、JPEG或PNG文件" in text
    assert "韦** w***@example.cn" in text
    assert "weizhuanjia" not in text and "韦专家" not in text
    assert "已登记的来信" not in text  # registered mail is in the queue, not here


@pytest.mark.parametrize("role", [COUNTY_OFFICE, None])
def test_a_county_office_and_other_staff_may_not_open_the_mailbox(client, role):
    message = held()
    client.force_login(make_staff("county", Level.XINGBIN, role))

    for url in (LIST_URL, f"{LIST_URL}{message.pk}/handled/"):
        response = client.get(url)
        assert response.status_code in (302, 403) and "申报材料" not in response.content.decode()
    response = client.post(f"{LIST_URL}{message.pk}/handled/", {"note": "处理了"})
    assert response.status_code in (302, 403)
    message.refresh_from_db()
    assert message.state == State.HELD


def test_marking_a_message_handled_links_the_item_entered_by_hand_and_is_logged(city):
    message = held()
    item, _ = new_item(channel=Channel.MAILBOX)

    response = city.post(
        f"{LIST_URL}{message.pk}/handled/",
        {"tracking_number": item.tracking_number.lower(), "note": "已电话联系来信人，手工登记。"},
    )

    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.state, message.item, message.handled_note) == (State.HANDLED, item, "已电话联系来信人，手工登记。")
    assert message.handled_by.username == "city" and message.handled_at
    entry = ModelLogEntry.objects.get(action="inbox.handled")
    assert entry.object_id == str(message.pk) and entry.data["item"] == item.tracking_number
    text = city.get(LIST_URL).content.decode()
    assert "已人工处理" in text and "已电话联系来信人" in text
    assert 'name="note"' not in city.get(f"{LIST_URL}{message.pk}/handled/").content.decode()  # no second form


def test_the_handled_form_says_what_is_wrong_and_stores_nothing(city):
    message = held()

    response = city.post(f"{LIST_URL}{message.pk}/handled/", {"tracking_number": "LB20990101-0001", "note": ""})

    text = response.content.decode()
    assert response.status_code == 200
    assert "没有这个查询号的事项，请核对后重新填写。" in text and "请填写处理说明。" in text
    message.refresh_from_db()
    assert message.state == State.HELD and not ModelLogEntry.objects.filter(action="inbox.handled").exists()


def test_a_registered_message_has_no_handled_page(city):
    item, _ = new_item(channel=Channel.MAILBOX)
    message = held(state=State.TAKEN, item=item, reason="")

    assert city.get(f"{LIST_URL}{message.pk}/handled/").status_code == 404


def test_the_dashboard_counts_held_mail_for_the_city_office_only(city, client):
    held()
    held(message_key="<held-2@example.cn>")
    held(message_key="<done@example.cn>", state=State.HANDLED)

    assert "待人工处理的邮件 <strong>2</strong> 封" in city.get("/admin/").content.decode()
    client.force_login(make_staff("county", Level.XINGBIN, COUNTY_OFFICE))
    assert "待人工处理的邮件" not in client.get("/admin/").content.decode()


def test_the_list_pages_with_a_constant_number_of_queries(city):
    handler = make_staff("other", Level.CITY, CITY_OFFICE)

    def add_messages(start, count):
        for number in range(start, start + count):
            held(message_key=f"<many-{number}@example.cn>", state=State.HANDLED if number % 2 else State.HELD)
        MailboxMessage.objects.filter(state=State.HANDLED, handled_by=None).update(
            handled_by=handler, handled_at=timezone.now(), handled_note="已处理"
        )

    def queries_of_the_list():
        with CaptureQueriesContext(connection) as queries:
            response = city.get(LIST_URL)
        assert response.status_code == 200
        return len(queries), response.content.decode()

    add_messages(0, 4)
    city.get(LIST_URL)  # warm the session and the user's permissions
    few, _ = queries_of_the_list()
    add_messages(4, 36)
    many, html = queries_of_the_list()
    assert many == few
    # 30 a page, those still held first: 20 held, then 10 handled.
    assert html.count("：已处理") == 10


class Demo:
    def __init__(self):
        self.lines = []

    def log(self, line):
        self.lines.append(line)


def test_the_demo_records_mail_items_and_held_messages_once():
    item, _ = new_item(channel=Channel.MAILBOX)
    new_item(channel=Channel.HOTLINE)

    demo.build(Demo())
    demo.build(Demo())

    assert MailboxMessage.objects.get(state=State.TAKEN).item == item
    assert MailboxMessage.objects.filter(state=State.HELD).count() == len(demo.HELD)


def test_the_ledger_forgets_the_sender_with_the_item_or_after_the_retention_period(settings):
    item, _ = new_item(channel=Channel.MAILBOX)
    taken = held(message_key="<taken@example.cn>", state=State.TAKEN, item=item)
    kept = held(message_key="<recent@example.cn>")
    old = held(message_key="<old@example.cn>", state=State.HANDLED)
    MailboxMessage.objects.filter(pk=old.pk).update(
        recorded_at=timezone.now() - timedelta(days=settings.INTAKE_PERSONAL_DATA_RETENTION_DAYS + 1)
    )
    assert retention.clear_expired() == 1  # only the old one: the item still has its data
    IntakeItem.objects.filter(pk=item.pk).update(personal_data_cleared_at=timezone.now())
    assert retention.clear_expired() == 1

    for message in (taken, old):
        message.refresh_from_db()
        assert (message.sender_name, message.sender_address, message.subject) == ("", "", "")
    kept.refresh_from_db()
    assert kept.sender_address == "weizhuanjia@example.cn"
