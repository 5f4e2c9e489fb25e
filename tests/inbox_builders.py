"""Builders for the mailbox tests: messages, a configured mailbox on the test Dovecot, a look into its folders."""

import contextlib
import imaplib
import socket
import threading
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

import pytest

from inbox.fetch import quoted
from tests.intake_builders import pdf_upload

HELD_FOLDER = "未能登记"
PDF = pdf_upload().read()
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200


def message(
    subject="关于人才公寓配套的建议",
    body="建议在人才公寓周边增设公交站点，方便专家通勤。",
    sender="韦专家 <wei@example.cn>",
    message_id=None,
    html=None,
    attachments=(),
    headers=None,
):
    """A message as bytes; `attachments` are (file name, bytes, MIME type)."""
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = "lbsrcb@126.com"
    mail["Subject"] = subject
    mail["Date"] = formatdate(localtime=True)
    mail["Message-ID"] = message_id or make_msgid(domain="example.cn")
    for name, value in (headers or {}).items():
        mail[name] = value
    if body is not None:
        mail.set_content(body)
        if html:
            mail.add_alternative(html, subtype="html")
    elif html:
        mail.set_content(html, subtype="html")
    for name, content, mime_type in attachments:
        maintype, subtype = mime_type.split("/")
        mail.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return mail.as_bytes()


@pytest.fixture(name="mailbox")
def mailbox_fixture(imap_server, settings):
    """A fresh account on the test Dovecot, and the settings that point the portal at it."""
    user = imap_server.new_account()
    settings.INBOX_IMAP_HOST = imap_server.host
    settings.INBOX_IMAP_PORT = imap_server.port
    settings.INBOX_IMAP_SECURITY = "none"
    settings.INBOX_IMAP_USER = user
    settings.INBOX_IMAP_PASSWORD = imap_server.password
    settings.INBOX_IMAP_FOLDER = "INBOX"
    settings.INBOX_IMAP_HELD_FOLDER = HELD_FOLDER
    settings.INBOX_IMAP_TIMEOUT_SECONDS = 10

    class Mailbox:
        def deliver(self, raw, folder=""):
            imap_server.deliver(raw, user, folder)

        def folder(self, name="INBOX"):
            """(number of messages, number unread) in the folder; (0, 0) if it does not exist."""
            connection = imaplib.IMAP4(imap_server.host, imap_server.port, timeout=10)
            try:
                connection.login(user, imap_server.password)
                status, _ = connection.select(quoted(name), readonly=True)
                if status != "OK":
                    return 0, 0
                every = connection.search(None, "ALL")[1][0].split()
                unread = connection.search(None, "UNSEEN")[1][0].split()
                return len(every), len(unread)
            finally:
                connection.logout()

        def maildir_folders(self):
            return sorted(path.name for path in Path(imap_server.dir, "mail", user).glob(".*") if path.is_dir())

    box = Mailbox()
    box.user = user
    return box


class CuttingProxy:
    """A TCP proxy, for one connection, to the IMAP server on 127.0.0.1 from `address`: it drops the
    connection when the client sends `cut_on` (if given)."""

    def __init__(self, target_port, cut_on=None, address="127.0.0.1"):
        self.target_port, self.cut_on = target_port, cut_on
        self.listener = socket.create_server((address, 0))
        self.port = self.listener.getsockname()[1]
        self.cut = False
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        with self.listener:
            client, _ = self.listener.accept()
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()
            self._pump(client, upstream, True)

    def _pump(self, source, target, watch):
        try:
            while data := source.recv(65536):
                if watch and self.cut_on and self.cut_on in data:
                    self.cut = True
                    break
                target.sendall(data)
        except OSError:
            pass
        for end in (source, target):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()
