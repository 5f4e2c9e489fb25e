"""A raw message read into what an intake item needs, or the reason (in Chinese) it cannot be.

Parsed with `email.policy.default`. Text is decoded strictly: a body or header that its declared
charset does not decode is refused, never registered with replacement characters in it. HTML is
turned into plain text here, without fetching anything it links to.
"""

import email
import hashlib
import re
from dataclasses import dataclass, field
from email import errors, policy
from email.utils import parsedate_to_datetime

from bs4 import BeautifulSoup
from django.utils import timezone

KEY_MAX_LENGTH = 255
# Mislabelled GB2312 mail is common: GB18030 reads GB2312 and GBK as well.
CHARSET_READ_AS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030"}
TRANSFER_DEFECTS = (
    errors.InvalidBase64CharactersDefect,
    errors.InvalidBase64PaddingDefect,
    errors.InvalidBase64LengthDefect,
    errors.UndecodableBytesDefect,
)
# Elements whose content is not text a person wrote (or is fetched from elsewhere).
HTML_DROPPED = ["script", "style", "head", "title", "img", "picture", "video", "audio", "iframe", "object", "svg"]
HTML_BLOCKS = ["p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table"]


class Refused(Exception):
    """The message cannot become an item; the argument says why, in Chinese, for staff."""


@dataclass
class Mail:
    key: str
    size: int
    sender_name: str = ""
    sender_address: str = ""
    subject: str = ""
    sent_at: object = None
    # Problems found while reading the headers; a message with any is held.
    problems: list = field(default_factory=list)
    body: str = ""
    attachments: list = field(default_factory=list)  # (file name, bytes)
    automatic: bool = False  # an auto-reply, a bounce or list mail: never answered with a receipt


def parse(raw, size=None):
    return email.message_from_bytes(raw, policy=policy.default), len(raw) if size is None else size


def message_key(message, raw):
    """The Message-ID, or a hash of the bytes for a message without one (or with an absurd one)."""
    message_id = " ".join(str(message.get("Message-ID", "") or "").split())
    if message_id and len(message_id) <= KEY_MAX_LENGTH:
        return message_id
    return "sha256:" + hashlib.sha256(message_id.encode() if message_id else raw).hexdigest()


def read_headers(message, raw, size):
    """The ledger's fields of a message (whole, or only its header for one too large to fetch)."""
    mail = Mail(key=message_key(message, raw), size=size)
    subject = header(message, "Subject", mail.problems, "邮件主题")
    mail.subject = " ".join(str(subject or "").split())
    sender = header(message, "From", mail.problems, "发件人")
    addresses = getattr(sender, "addresses", ()) if sender is not None else ()
    if addresses:
        mail.sender_name = " ".join(addresses[0].display_name.split())
        mail.sender_address = addresses[0].addr_spec.strip()
    if not mail.sender_address or "@" not in mail.sender_address:
        mail.problems.append("发件人地址无法识别")
    try:
        sent = message.get("Date")
        mail.sent_at = getattr(sent, "datetime", None) or (parsedate_to_datetime(str(sent)) if sent else None)
    except (TypeError, ValueError, IndexError):
        mail.sent_at = None
    if mail.sent_at is not None and timezone.is_naive(mail.sent_at):
        mail.sent_at = timezone.make_aware(mail.sent_at, timezone.get_default_timezone())
    mail.automatic = is_automatic(message, mail.sender_address)
    return mail


def header(message, name, problems, label):
    """The header `name` parsed, with raw 8-bit values read as UTF-8 or GB18030; None if absent."""
    raw = next((value for key, value in message.raw_items() if key.lower() == name.lower()), None)
    if raw is None:
        return None
    if re.search("[\udc80-\udcff]", raw):  # 8-bit bytes outside any encoded word
        octets = raw.encode("ascii", "surrogateescape")
        for charset in ("utf-8", "gb18030"):
            try:
                raw = octets.decode(charset)
                break
            except UnicodeDecodeError:
                continue
        else:
            problems.append(f"{label}的字符编码无法识别")
            return None
    try:
        value = policy.default.header_factory(name, raw)
    except Exception:  # the header parser gives up on some malformed values
        problems.append(f"{label}无法解析")
        return None
    if "\ufffd" in str(value):  # an encoded word in a charset Python does not know, or bytes it does not decode
        problems.append(f"{label}的字符编码无法识别")
    return value


def is_automatic(message, address):
    """Auto-replies, bounces and list mail (RFC 3834, Precedence): a receipt to them could loop."""
    auto = str(message.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(message.get("Precedence", "")).strip().lower()
    local = address.partition("@")[0].lower()
    return (
        auto != "no"
        or precedence in ("bulk", "junk", "list", "auto_reply")
        or message.get("List-Id") is not None
        or local in ("mailer-daemon", "postmaster")
    )


def read_content(mail, message):
    """Fills in the body as text and the attachments, or raises Refused."""
    for part in message.walk():
        if not part.is_multipart():
            part.get_payload(decode=True)  # decoding is what records a broken base64 in the defects
        if any(isinstance(defect, TRANSFER_DEFECTS) for defect in part.defects):
            raise Refused("邮件内容的传输编码有误，无法完整读取")
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",)) if plain is None else None
    if plain is not None:
        body = text_of(plain)
    elif html is not None:
        body = html_to_text(text_of(html))
    else:
        body = ""
    mail.body = normalise(body)
    for part in message.iter_attachments():
        if part.get_content_maintype() == "multipart" or part.get_content_type() == "message/rfc822":
            raise Refused("邮件中包含转发的邮件或多层附件，请人工查看")
        if part.get("Content-ID") and part.get_content_disposition() != "attachment":
            continue  # a picture inside the HTML body: the text is kept, the picture stays in the mailbox
        name = part.get_filename() or ""
        if "\ufffd" in name:
            raise Refused("附件文件名的字符编码无法识别")
        content = part.get_payload(decode=True) or b""
        mail.attachments.append((name or "附件", content))


def text_of(part):
    octets = part.get_payload(decode=True) or b""
    declared = (part.get_content_charset() or "us-ascii").lower()
    charset = CHARSET_READ_AS.get(declared, declared)
    try:
        return octets.decode(charset)
    except LookupError:
        raise Refused(f"正文声明的字符编码“{declared}”无法识别") from None
    except UnicodeDecodeError:
        if declared in ("us-ascii", "ascii"):  # undeclared 8-bit text: UTF-8 is what senders mean today
            try:
                return octets.decode("utf-8")
            except UnicodeDecodeError:
                pass
        raise Refused(f"正文无法按其声明的字符编码“{declared}”解读") from None


def html_to_text(html):
    """The text of an HTML body: scripts, styles and images dropped, blocks on their own lines."""
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(HTML_DROPPED):
        element.decompose()
    for element in soup.find_all(HTML_BLOCKS):
        element.insert_before("\n")
        element.insert_after("\n")
    return soup.get_text()


def normalise(text):
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
