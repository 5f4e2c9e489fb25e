"""`manage.py fetch_mailbox` against a real Dovecot: what becomes an item, what is held, and that
nothing is taken twice (copies, two workers, a connection cut midway)."""

import base64
import io
import re
import socket
import threading
from unittest import mock

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection

from inbox import fetch
from inbox.models import MailboxMessage, State
from intake.models import Channel, IntakeItem, Kind, Status
from intake.tracking import find_item
from staff.levels import Level
from tests.inbox_builders import (
    EXE,
    HELD_FOLDER,
    PDF,
    CuttingProxy,
    mailbox_fixture,  # noqa: F401 - the mailbox fixture
    message,
)
from tests.intake_builders import contact_page_fixture, run_mail_worker  # noqa: F401 - the contact_page fixture


def fetch_mailbox():
    out = io.StringIO()
    call_command("fetch_mailbox", stdout=out)
    return out.getvalue()


def only_item():
    return IntakeItem.objects.get()


@pytest.mark.django_db
def test_without_a_mailbox_the_command_says_so_and_the_scheduled_job_reads_nothing(settings):
    settings.INBOX_IMAP_HOST = ""
    with mock.patch.object(fetch, "connect") as connect:
        assert fetch_mailbox() == "未配置人才邮箱（INBOX_IMAP_HOST 为空），未读取邮件。\n"
        call_command("run_scheduled_jobs")
    connect.assert_not_called()


@pytest.mark.django_db
def test_a_plain_message_becomes_an_item_and_the_sender_gets_the_receipt(mailbox, contact_page):
    mailbox.deliver(message(message_id="<plain-1@example.cn>"))

    assert fetch_mailbox() == f"已登记 1 封，未能登记并移至“{HELD_FOLDER}” 0 封。\n"

    item = only_item()
    assert (item.channel, item.kind, item.level, item.status) == (Channel.MAILBOX, Kind.OTHER, Level.CITY, Status.NEW)
    assert (item.name, item.email) == ("韦专家", "wei@example.cn")
    assert item.subject == "关于人才公寓配套的建议"
    assert item.message == "建议在人才公寓周边增设公交站点，方便专家通勤。"
    assert item.steps.get().get_action_display() == "登记"
    row = MailboxMessage.objects.get()
    assert (row.message_key, row.state, row.item, row.folder) == ("<plain-1@example.cn>", State.TAKEN, item, "INBOX")
    assert mailbox.folder("INBOX") == (1, 0)  # kept, marked read

    run_mail_worker()
    receipt = next(sent for sent in mail.outbox if sent.to == ["wei@example.cn"])
    assert item.tracking_number in receipt.subject and "“电子邮箱”" in receipt.body
    query_code = re.search(r"查询码：(\S+)", receipt.body).group(1)
    assert find_item(item.tracking_number, query_code) == item

    assert fetch_mailbox().startswith("已登记 0 封")  # read: not taken again
    assert IntakeItem.objects.count() == 1


@pytest.mark.django_db
def test_an_html_only_message_is_read_as_text_without_fetching_anything(mailbox):
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    remote = f"http://127.0.0.1:{listener.getsockname()[1]}"
    html = (
        f"<html><head><style>p {{ color: red }}</style><title>标题栏</title></head><body>"
        f"<p>尊敬的领导：</p><p>我单位<b>实验室</b>用电扩容问题至今未解决。</p>"
        f'<img src="{remote}/track.png" alt="跟踪"><script>alert("x")</script>'
        f'<p><a href="{remote}/more">详见此处</a></p></body></html>'
    )
    mailbox.deliver(message(body=None, html=html))

    fetch_mailbox()

    text = only_item().message
    assert text == "尊敬的领导：\n\n我单位实验室用电扩容问题至今未解决。\n\n详见此处"
    assert "alert" not in text and "color" not in text and "标题栏" not in text and "跟踪" not in text
    with pytest.raises(BlockingIOError):  # nobody came for the picture or the link
        listener.accept()
    listener.close()


@pytest.mark.django_db
def test_gbk_subject_and_8bit_gbk_body(mailbox):
    subject = base64.b64encode("关于科研经费的反映".encode("gbk")).decode()
    name = base64.b64encode("覃专家".encode("gbk")).decode()
    raw = (
        f"From: =?GBK?B?{name}?= <qin@example.cn>\r\nTo: lbsrcb@126.com\r\nSubject: =?GBK?B?{subject}?=\r\n"
        "Message-ID: <gbk-1@example.cn>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=GBK\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    ).encode() + "项目配套经费尚未到位，影响实验进度。\r\n第二行：请予协调。\r\n".encode("gbk")
    mailbox.deliver(raw)

    fetch_mailbox()

    item = only_item()
    assert (item.name, item.subject) == ("覃专家", "关于科研经费的反映")
    assert item.message == "项目配套经费尚未到位，影响实验进度。\n第二行：请予协调。"


@pytest.mark.django_db
def test_a_pdf_attachment_reaches_staff_under_its_name(mailbox, client):
    mailbox.deliver(message(attachments=[("发票.pdf", PDF, "application/pdf")]))

    fetch_mailbox()

    item = only_item()
    assert item.attachment_name == "发票.pdf"
    assert item.attachment.name.endswith(".pdf")
    with item.attachment.open("rb") as stored:
        assert stored.read() == PDF


@pytest.mark.django_db
@pytest.mark.parametrize(
    "attachment, reason",
    [
        (("setup.exe", EXE, "application/octet-stream"), "附件“setup.exe”不能接收：附件只能是PDF、JPEG或PNG文件"),
        (("发票.pdf", EXE, "application/pdf"), "附件“发票.pdf”不能接收：附件只能是PDF、JPEG或PNG文件"),
    ],
    ids=["exe", "exe-named-pdf"],
)
def test_a_forbidden_attachment_is_held_for_staff(mailbox, attachment, reason):
    mailbox.deliver(message(attachments=[attachment]))

    assert fetch_mailbox() == f"已登记 0 封，未能登记并移至“{HELD_FOLDER}” 1 封。\n"

    assert not IntakeItem.objects.exists()
    row = MailboxMessage.objects.get()
    assert row.state == State.HELD and row.reason.startswith(reason)
    assert (row.sender_name, row.sender_address, row.folder) == ("韦专家", "wei@example.cn", HELD_FOLDER)
    assert mailbox.folder("INBOX") == (0, 0)
    assert mailbox.folder(HELD_FOLDER) == (1, 1)  # moved, still unread for staff
    assert mailbox.maildir_folders() == [".&ZyqA,XZ7i7A-"]  # the name in IMAP's UTF-7, as Dovecot stores it


@pytest.mark.django_db
def test_an_oversized_message_is_held_without_being_downloaded(mailbox, settings):
    settings.INBOX_MAX_MESSAGE_BYTES = 4000
    mailbox.deliver(message(subject="大附件", attachments=[("材料.pdf", PDF + b"0" * 8000, "application/pdf")]))

    with mock.patch.object(fetch, "read_content") as read_content:
        fetch_mailbox()

    read_content.assert_not_called()
    row = MailboxMessage.objects.get()
    assert row.state == State.HELD and row.reason.startswith("邮件过大")
    assert row.subject == "大附件" and row.size > 4000
    assert mailbox.folder(HELD_FOLDER) == (1, 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw, reason",
    [
        (
            b"From: a@example.cn\r\nSubject: test subject\r\nMessage-ID: <bad-1@x>\r\n"
            b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            + "中文".encode("gbk")
            + b"\xff\xfe and more text here\r\n",
            "正文无法按其声明的字符编码“utf-8”解读",
        ),
        (
            b"From: a@example.cn\r\nSubject: =?X-UNKNOWN?B?1tDOxA==?=\r\nMessage-ID: <bad-2@x>\r\n"
            b"Content-Type: text/plain; charset=utf-8\r\n\r\nlong enough body text\r\n",
            "邮件主题的字符编码无法识别",
        ),
        (
            b"From: a@example.cn\r\nSubject: unknown charset\r\nMessage-ID: <bad-3@x>\r\n"
            b"Content-Type: text/plain; charset=x-martian\r\n\r\nlong enough body text\r\n",
            "正文声明的字符编码“x-martian”无法识别",
        ),
        (
            b"From: a@example.cn\r\nSubject: broken base64\r\nMessage-ID: <bad-4@x>\r\n"
            b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n5Lit5paH!!!x\r\n",
            "邮件内容的传输编码有误",
        ),
    ],
    ids=["undecodable-body", "unknown-subject-charset", "unknown-body-charset", "broken-base64"],
)
def test_a_malformed_encoding_is_held(mailbox, raw, reason):
    mailbox.deliver(raw)

    fetch_mailbox()

    assert not IntakeItem.objects.exists()
    row = MailboxMessage.objects.get()
    assert row.state == State.HELD and row.reason.startswith(reason)
    assert mailbox.folder(HELD_FOLDER) == (1, 1)


@pytest.mark.django_db
def test_an_auto_reply_is_held_and_gets_no_receipt(mailbox, contact_page):
    mailbox.deliver(message(subject="自动回复：已收到", headers={"Auto-Submitted": "auto-replied"}))

    fetch_mailbox()
    run_mail_worker()

    assert MailboxMessage.objects.get().reason.startswith("自动回复、退信或群发邮件")
    assert not IntakeItem.objects.exists() and mail.outbox == []


@pytest.mark.django_db
def test_short_subjects_and_bodies_are_marked_and_a_long_body_is_held(mailbox):
    mailbox.deliver(message(subject="", body="见附件", sender="<ab@example.cn>"))
    mailbox.deliver(message(subject="求助", body="请帮忙联系。" * 2, sender="x <x@example.cn>"))
    mailbox.deliver(message(subject="很长的建议", body="字" * 3001))

    fetch_mailbox()

    items = {item.email: item for item in IntakeItem.objects.all()}
    assert (items["ab@example.cn"].name, items["ab@example.cn"].subject) == ("ab", "（无主题）")
    assert items["ab@example.cn"].message == "【邮件正文过短，原文如下】见附件"
    assert (items["x@example.cn"].name, items["x@example.cn"].subject) == ("x@example.cn", "来信：求助")
    held = MailboxMessage.objects.get(state=State.HELD)
    assert held.reason == "正文3001字，超过事项内容3000字的上限，请人工登记"


@pytest.mark.django_db
def test_a_duplicate_delivery_makes_one_item(mailbox):
    twice = message(message_id="<twice@example.cn>")
    mailbox.deliver(twice)
    mailbox.deliver(twice)

    assert fetch_mailbox() == f"已登记 1 封，未能登记并移至“{HELD_FOLDER}” 0 封，补做标记或移动 1 封。\n"
    mailbox.deliver(twice)  # a third copy, later
    fetch_mailbox()

    assert IntakeItem.objects.count() == 1 and MailboxMessage.objects.count() == 1
    assert mailbox.folder("INBOX") == (3, 0)


@pytest.mark.django_db
def test_a_message_without_message_id_is_known_by_its_bytes(mailbox):
    raw = b"From: a@example.cn\r\nSubject: no id here\r\n\r\nthe body of a message without an id\r\n"
    mailbox.deliver(raw)
    mailbox.deliver(raw)

    fetch_mailbox()

    assert MailboxMessage.objects.get().message_key.startswith("sha256:")
    assert IntakeItem.objects.count() == 1


@pytest.mark.django_db
def test_a_cut_connection_keeps_what_was_committed_and_the_next_run_takes_the_rest(mailbox, settings):
    for number in range(3):
        mailbox.deliver(message(subject=f"第{number + 1}封来信的主题", message_id=f"<cut-{number}@example.cn>"))
    # Cut when the portal marks the first message read: it is committed, not yet marked.
    proxy = CuttingProxy(settings.INBOX_IMAP_PORT, b"UID STORE")
    settings.INBOX_IMAP_PORT = proxy.port

    with pytest.raises(CommandError, match=r"读取人才邮箱失败.*已登记 1 封.*下次运行时继续"):
        fetch_mailbox()

    assert proxy.cut
    assert IntakeItem.objects.count() == 1
    assert mailbox.folder("INBOX") == (3, 3)
    settings.INBOX_IMAP_PORT = proxy.target_port

    assert fetch_mailbox() == f"已登记 2 封，未能登记并移至“{HELD_FOLDER}” 0 封，补做标记或移动 1 封。\n"

    assert IntakeItem.objects.count() == 3 == MailboxMessage.objects.count()
    assert mailbox.folder("INBOX") == (3, 0)


@pytest.mark.django_db
def test_an_unreachable_server_is_reported(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    settings.INBOX_IMAP_HOST, settings.INBOX_IMAP_PORT, settings.INBOX_IMAP_SECURITY = "127.0.0.1", closed, "none"

    with pytest.raises(CommandError, match="读取人才邮箱失败"):
        fetch_mailbox()


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_take_each_message_once(mailbox):
    for number in range(4):
        mailbox.deliver(message(subject=f"并发测试来信{number}", message_id=f"<both-{number}@example.cn>"))
    mailbox.deliver(message(subject="并发测试附件", attachments=[("a.exe", EXE, "application/octet-stream")]))
    # Both workers reach the first message's row together, whatever their threads' timing.
    together = threading.Barrier(2, timeout=10)
    record, first_call = fetch.record, threading.local()

    def record_together(*args):
        if not getattr(first_call, "done", False):
            first_call.done = True
            together.wait()
        return record(*args)

    reports, errors = [], []

    def worker():
        try:
            reports.append(fetch.fetch_mailbox())
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    with mock.patch.object(fetch, "record", record_together):
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert not errors
    assert sum(report.taken for report in reports) == 4 == IntakeItem.objects.count()
    assert sum(report.held for report in reports) == 1
    assert MailboxMessage.objects.count() == 5
    assert len(set(IntakeItem.objects.values_list("tracking_number", flat=True))) == 4
    assert fetch.fetch_mailbox().taken == 0
    assert mailbox.folder("INBOX") == (4, 0)
    assert mailbox.folder(HELD_FOLDER) == (1, 1)


@pytest.mark.django_db
def test_the_scheduled_job_reads_at_most_every_few_minutes(mailbox):
    mailbox.deliver(message())
    call_command("run_scheduled_jobs")
    assert IntakeItem.objects.count() == 1

    mailbox.deliver(message())
    call_command("run_scheduled_jobs")  # within the interval: not read
    assert IntakeItem.objects.count() == 1

    fetch.cache.delete(fetch.FETCH_DUE_KEY)  # the interval has passed
    call_command("run_scheduled_jobs")
    assert IntakeItem.objects.count() == 2


def test_folder_names_are_written_in_imaps_utf7():
    assert fetch.imap_utf7("未能登记") == "&ZyqA,XZ7i7A-"
    assert fetch.imap_utf7("Held & 待办") == "Held &- &X4VSng-"
