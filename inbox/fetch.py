"""Reading the talent mailbox: each unread message becomes an intake item, or is held for staff.

For each unread message of INBOX_IMAP_FOLDER, fetched with BODY.PEEK[] so that nothing is marked
before it is handled:
1. its ledger row (inbox.MailboxMessage, unique by Message-ID) and, if it can be registered, its
   item through intake.workflow.receive are committed in one transaction. A worker that finds the
   row taken meanwhile rolls back: the message is another's;
2. then the server is told: a registered message is marked read (\\Seen) and stays where it is;
   one that cannot be registered is moved, unread, to INBOX_IMAP_HELD_FOLDER for staff.
A message whose row already exists (a second copy of it, or a run cut off between 1 and 2) only
gets step 2. A message someone opened in webmail before the portal read it is no longer unread:
marked unread again, it is taken at the next run.
"""

import base64
import contextlib
import imaplib
import logging
import re
import ssl
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from wagtail.log_actions import log

from base.attachments import checked_attachment
from intake import workflow
from intake.models import Channel, IntakeItem, Kind
from staff.levels import Level

from .models import MailboxMessage, State
from .parsing import Refused, parse, read_content, read_headers

logger = logging.getLogger("portal.inbox")

# The fields of an item that a message fills in: checked with the model's own validators.
ITEM_FIELDS = ["name", "email", "subject", "message"]
NO_SUBJECT = "（无主题）"
SHORT_SUBJECT_PREFIX = "来信："
SHORT_BODY_PREFIX = "【邮件正文过短，原文如下】"
NO_BODY = "【邮件无正文】请查看附件或邮箱中的原邮件。"
FETCH_DUE_KEY = "inbox:fetch-due"


class MailboxError(Exception):
    """The mailbox could not be read (to the end); the message is in Chinese."""


def configured():
    return bool(settings.INBOX_IMAP_HOST)


@dataclass
class Report:
    taken: int = 0
    held: int = 0
    finished: int = 0  # rows already recorded: only marked read or moved now

    def __str__(self):
        text = f"已登记 {self.taken} 封，未能登记并移至“{settings.INBOX_IMAP_HELD_FOLDER}” {self.held} 封"
        return text + (f"，补做标记或移动 {self.finished} 封" if self.finished else "") + "。"


def scheduled_fetch():
    """The scheduled job: reads the mailbox when one is configured, at most every few minutes."""
    if not configured():
        return
    if not cache.add(FETCH_DUE_KEY, True, timeout=settings.INBOX_FETCH_INTERVAL_MINUTES * 60):
        return
    report = fetch_mailbox()
    if report.taken or report.held:
        logger.info("Mailbox: %s", report)


def fetch_mailbox(report=None):
    """Reads every unread message once; returns the Report, or raises MailboxError (what was
    committed before stays: the next run goes on from there)."""
    report = report if report is not None else Report()
    connection = None
    try:
        connection = connect()
        capabilities = server_capabilities(connection)
        ensure_folder(connection, settings.INBOX_IMAP_HELD_FOLDER)
        ok(connection.select(quoted(settings.INBOX_IMAP_FOLDER)), "打开文件夹")
        uids = ok(connection.uid("SEARCH", None, "UNSEEN"), "查找未读邮件")[0].split()
        for uid, size in sizes(connection, uids):
            handle(connection, capabilities, uid, size, report)
    except (imaplib.IMAP4.error, OSError) as error:
        raise MailboxError(f"读取人才邮箱失败：{failure(error)}。本次{report}下次运行时继续。") from error
    finally:
        if connection is not None:
            with contextlib.suppress(imaplib.IMAP4.error, OSError):
                connection.logout()
    return report


def failure(error):
    if isinstance(error, ssl.SSLCertVerificationError):
        # OpenSSL's own words alone ("certificate verify failed") leave the operator guessing.
        return (
            f"邮件服务器的证书未通过验证（{error.verify_message.rstrip('.')}）。"
            "请核对 INBOX_IMAP_HOST 是否为证书上的服务器名称；自签名或内部签发的证书须用 INBOX_IMAP_CA_FILE 指定"
        )
    return str(error) or type(error).__name__


# The IMAP side -----------------------------------------------------------------------------


def connect():
    host, port, timeout = settings.INBOX_IMAP_HOST, settings.INBOX_IMAP_PORT, settings.INBOX_IMAP_TIMEOUT_SECONDS
    if settings.INBOX_IMAP_SECURITY == "tls":
        connection = imaplib.IMAP4_SSL(host, port, ssl_context=tls_context(), timeout=timeout)
    else:
        connection = imaplib.IMAP4(host, port, timeout=timeout)
        if settings.INBOX_IMAP_SECURITY == "starttls":
            connection.starttls(ssl_context=tls_context())
    connection.login(settings.INBOX_IMAP_USER, settings.INBOX_IMAP_PASSWORD)
    return connection


def tls_context():
    # imaplib's own default checks no certificate at all.
    context = ssl.create_default_context()
    if settings.INBOX_IMAP_CA_FILE:
        context.load_verify_locations(cafile=settings.INBOX_IMAP_CA_FILE)
    return context


def server_capabilities(connection):
    # The list from before the login lacks what only signed-in users are offered (MOVE among them).
    return set(ok(connection.capability(), "查询服务器功能")[0].decode().upper().split())


def ok(response, doing):
    status, data = response
    if status != "OK":
        raise imaplib.IMAP4.error(f"{doing}未成功（{status} {data!r}）")
    return data


def imap_utf7(name):
    """A folder name in IMAP's modified UTF-7 (RFC 3501 5.1.3): "未能登记" is "&ZyqA,XZ7i7A-"."""
    out, pending = [], []

    def flush():
        if pending:
            encoded = base64.b64encode("".join(pending).encode("utf-16-be")).rstrip(b"=").replace(b"/", b",")
            out.append("&" + encoded.decode() + "-")
            pending.clear()

    for char in name:
        if " " <= char <= "~":
            flush()
            out.append("&-" if char == "&" else char)
        else:
            pending.append(char)
    flush()
    return "".join(out)


def quoted(name):
    return '"' + imap_utf7(name).replace("\\", "\\\\").replace('"', '\\"') + '"'


def ensure_folder(connection, name):
    def exists():
        status, data = connection.list('""', quoted(name))
        return status == "OK" and any(entry for entry in data if entry)

    if exists():
        return
    status, data = connection.create(quoted(name))
    if status != "OK" and not exists():  # another worker may have just created it
        raise imaplib.IMAP4.error(f"创建文件夹“{name}”未成功（{status} {data!r}）")
    connection.subscribe(quoted(name))


def sizes(connection, uids):
    """(uid, size in bytes) of each message, in the order of `uids`."""
    if not uids:
        return []
    found = {}
    for entry in ok(connection.uid("FETCH", b",".join(uids), "(RFC822.SIZE)"), "读取邮件大小"):
        line = entry[0] if isinstance(entry, tuple) else entry
        match = re.search(rb"UID (\d+).*RFC822\.SIZE (\d+)|RFC822\.SIZE (\d+).*UID (\d+)", line or b"")
        if match:
            uid, size = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
            found[uid] = int(size)
    return [(uid, found[uid]) for uid in uids if uid in found]


def fetch_part(connection, uid, part):
    """The bytes of `part` of message `uid`, or None if it is gone (another worker moved it)."""
    for entry in ok(connection.uid("FETCH", uid, f"({part})"), "下载邮件"):
        if isinstance(entry, tuple):
            return entry[1]
    return None


def finish_on_server(connection, capabilities, uid, key):
    """Marks the message read or moves it, as its row says. One worker at a time per message: the row
    is written to (locked, on SQLite the database) until the server has answered, so a second worker
    finds the message gone rather than copying it again."""
    with transaction.atomic():
        rows = MailboxMessage.objects.filter(message_key=key)
        rows.update(folder=F("folder"))
        state = rows.values_list("state", flat=True).get()
        if state == State.TAKEN:
            ok(connection.uid("STORE", uid, "+FLAGS", r"(\Seen)"), "标记已读")
            return
        held = quoted(settings.INBOX_IMAP_HELD_FOLDER)
        if "MOVE" in capabilities:
            gone_or_ok(connection.uid("MOVE", uid, held), "移动邮件")
            return
        if gone_or_ok(connection.uid("COPY", uid, held), "复制邮件"):
            ok(connection.uid("STORE", uid, "+FLAGS", r"(\Deleted)"), "标记删除")
            if "UIDPLUS" in capabilities:
                ok(connection.uid("EXPUNGE", uid), "清除已移动的邮件")
            else:
                ok(connection.expunge(), "清除已移动的邮件")


def gone_or_ok(response, doing):
    """True if done; False if the message was no longer there (another worker moved it first)."""
    status, data = response
    if status != "OK" and b"EXPUNGEISSUED" in b"".join(part for part in data if isinstance(part, bytes)):
        return False
    ok(response, doing)
    return True


# One message ---------------------------------------------------------------------------------


def handle(connection, capabilities, uid, size, report):
    limit = settings.INBOX_MAX_MESSAGE_BYTES
    too_large = size > limit
    raw = fetch_part(connection, uid, "BODY.PEEK[HEADER]" if too_large else "BODY.PEEK[]")
    if raw is None:
        return
    message, size = parse(raw, size)
    mail = read_headers(message, raw, size)
    state = MailboxMessage.objects.filter(message_key=mail.key).values_list("state", flat=True).first()
    if state is None:
        item, reason = None, ""
        if too_large:
            reason = f"邮件过大（约{size / 1024 / 1024:.1f}MB，上限{limit / 1024 / 1024:.0f}MB），未下载"
        else:
            try:
                item = item_from(mail, message)
            except Refused as refusal:
                reason = str(refusal)
        state, recorded = record(mail, item, reason)
        if not recorded:
            return  # another worker took it at the same moment, and tells the server
        if item is not None:
            report.taken += 1
        else:
            report.held += 1
    else:
        report.finished += 1
    finish_on_server(connection, capabilities, uid, mail.key)


def record(mail, item, reason):
    """Commits the ledger row (and the item): (the row's state, True), or (the state of the row
    another worker committed first, False)."""
    state = State.TAKEN if item is not None else State.HELD
    folder = settings.INBOX_IMAP_FOLDER if item is not None else settings.INBOX_IMAP_HELD_FOLDER
    try:
        with transaction.atomic():
            # The row first: a second worker stops at its unique key, before a tracking number or a file.
            row = MailboxMessage.objects.create(
                message_key=mail.key,
                state=state,
                reason=reason,
                sender_name=mail.sender_name[:100],
                sender_address=mail.sender_address[:254],
                subject=mail.subject[:255],
                sent_at=mail.sent_at,
                size=mail.size,
                folder=folder[:100],
            )
            if item is not None:
                workflow.receive(item)
                row.item = item
                row.save(update_fields=["item"])
            else:
                log(row, "inbox.held", data={"reason": reason})
    except IntegrityError:
        taken_by_another = MailboxMessage.objects.filter(message_key=mail.key).values_list("state", flat=True).first()
        if taken_by_another is None:
            raise
        return taken_by_another, False
    return state, True


def item_from(mail, message):
    """The unsaved intake item a message makes, or Refused with the reason."""
    if mail.problems:
        raise Refused("；".join(mail.problems))
    if mail.automatic:
        raise Refused("自动回复、退信或群发邮件，未登记（不发送回执）")
    read_content(mail, message)
    if len(mail.attachments) > 1:
        raise Refused(f"邮件有{len(mail.attachments)}个附件，一个事项只能保存一个附件，请人工登记")
    limit = IntakeItem._meta.get_field("message").max_length
    if len(mail.body) > limit:
        raise Refused(f"正文{len(mail.body)}字，超过事项内容{limit}字的上限，请人工登记")
    item = IntakeItem(
        channel=Channel.MAILBOX,
        kind=Kind.OTHER,
        level=Level.CITY,
        name=sender_name(mail),
        email=mail.sender_address,
        subject=subject_of(mail.subject),
        message=body_of(mail.body),
    )
    if mail.attachments:
        name, content = mail.attachments[0]
        try:
            item.attachment, item.attachment_name = checked_attachment(ContentFile(content, name=name))
        except ValidationError as error:
            raise Refused(f"附件“{name}”不能接收：{''.join(error.messages)}") from None
    try:
        item.clean_fields(exclude=[f.name for f in IntakeItem._meta.fields if f.name not in ITEM_FIELDS])
    except ValidationError as error:
        raise Refused(
            "；".join(
                f"{IntakeItem._meta.get_field(name).verbose_name}：{''.join(messages)}"
                for name, messages in error.message_dict.items()
            )
        ) from None
    return item


def sender_name(mail):
    """The display name, else the address's local part, else the whole address (a name has 2 letters at least)."""
    limit = IntakeItem._meta.get_field("name").max_length
    local = mail.sender_address.partition("@")[0]
    names = [mail.sender_name, local, mail.sender_address]
    return next(name for name in names if len(name) >= 2)[:limit]


def subject_of(subject):
    """The mail's subject as the item's (4 to 100 characters): none, short or long, said so."""
    limit = IntakeItem._meta.get_field("subject").max_length
    if not subject:
        return NO_SUBJECT
    if len(subject) < 4:
        return SHORT_SUBJECT_PREFIX + subject
    return subject if len(subject) <= limit else subject[: limit - 1] + "…"


def body_of(body):
    """The body as the item's content (at least 10 characters): a short one is marked as such."""
    if not body:
        return NO_BODY
    return body if len(body) >= 10 else SHORT_BODY_PREFIX + body
