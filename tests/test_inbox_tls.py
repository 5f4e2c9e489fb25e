"""The mailbox over TLS, as imap.126.com is read (implicit TLS on 993), and over STARTTLS: the
certificate is checked, so a self-signed one or one for another name stops the run."""

import io

import pytest
from django.core.management import call_command, execute_from_command_line

from inbox.models import MailboxMessage
from intake.models import Channel, IntakeItem
from tests.inbox_builders import (
    HELD_FOLDER,
    CuttingProxy,
    mailbox_fixture,  # noqa: F401 - the mailbox fixture
    message,
)


@pytest.mark.django_db
@pytest.mark.parametrize("security", ["tls", "starttls"])
def test_a_message_is_taken_over_tls_with_the_servers_certificate_trusted(mailbox, imap_server, settings, security):
    settings.INBOX_IMAP_SECURITY = security
    settings.INBOX_IMAP_PORT = imap_server.tls_port if security == "tls" else imap_server.port
    settings.INBOX_IMAP_CA_FILE = imap_server.ca_file
    mailbox.deliver(message(subject=f"经{security}读取的来信", message_id=f"<{security}-1@example.cn>"))
    out = io.StringIO()

    call_command("fetch_mailbox", stdout=out)

    assert out.getvalue() == f"已登记 1 封，未能登记并移至“{HELD_FOLDER}” 0 封。\n"
    item = IntakeItem.objects.get()
    assert (item.channel, item.subject) == (Channel.MAILBOX, f"经{security}读取的来信")
    assert mailbox.folder("INBOX") == (1, 0)


@pytest.mark.django_db(transaction=True)  # the command's exit closes the database connection
@pytest.mark.parametrize(
    ("security", "trusted", "address", "refusal"),
    [
        ("tls", False, "127.0.0.1", "self-signed certificate"),
        ("starttls", False, "127.0.0.1", "self-signed certificate"),
        # The trusted certificate names localhost and 127.0.0.1, the server is reached as 127.0.0.2.
        ("tls", True, "127.0.0.2", "IP address mismatch, certificate is not valid for '127.0.0.2'"),
    ],
    ids=["tls-self-signed", "starttls-self-signed", "tls-another-name"],
)
def test_a_certificate_that_fails_the_check_stops_the_run_and_nothing_is_taken(
    mailbox, imap_server, settings, capsys, security, trusted, address, refusal
):
    proxy = CuttingProxy(imap_server.tls_port if security == "tls" else imap_server.port, address=address)
    settings.INBOX_IMAP_SECURITY = security
    settings.INBOX_IMAP_HOST, settings.INBOX_IMAP_PORT = address, proxy.port
    settings.INBOX_IMAP_CA_FILE = imap_server.ca_file if trusted else ""
    mailbox.deliver(message(message_id=f"<refused-{security}-{address}@example.cn>"))

    with pytest.raises(SystemExit) as exit:
        execute_from_command_line(["manage.py", "fetch_mailbox"])

    assert exit.value.code == 1
    assert capsys.readouterr().err == (
        f"CommandError: 读取人才邮箱失败：邮件服务器的证书未通过验证（{refusal}）。"
        "请核对 INBOX_IMAP_HOST 是否为证书上的服务器名称；自签名或内部签发的证书须用 INBOX_IMAP_CA_FILE 指定。"
        f"本次已登记 0 封，未能登记并移至“{HELD_FOLDER}” 0 封。下次运行时继续。\n"
    )
    assert not IntakeItem.objects.exists()
    assert not MailboxMessage.objects.exists()
    assert mailbox.folder("INBOX") == (1, 1)
