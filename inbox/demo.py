"""Demo mailbox: ledger rows for the demo items that came by mail, and messages the portal could not register.

No IMAP server is needed: the rows are what `fetch_mailbox` would have recorded. Names are fictional.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from intake.models import Channel, IntakeItem

from .models import MailboxMessage, State

HELD = [
    # (key, sender name, address, subject, reason, days ago)
    (
        "<demo-held-1@example.invalid>",
        "蒙某某（演示）",
        "demo-meng@example.invalid",
        "申报材料（含安装程序）",
        "附件“申报工具.exe”不能接收：附件只能是PDF、JPEG或PNG文件（按文件内容判断，改扩展名无效）。",
        1,
    ),
    (
        "<demo-held-2@example.invalid>",
        "韩某某（演示）",
        "demo-han@example.invalid",
        "项目汇报视频",
        "邮件过大（约38.2MB，上限10MB），未下载",
        3,
    ),
]


def build(demo):
    created = 0
    for item in IntakeItem.objects.filter(channel=Channel.MAILBOX, mailbox_message__isnull=True):
        MailboxMessage.objects.create(
            message_key=f"<demo-item-{item.tracking_number}@example.invalid>",
            state=State.TAKEN,
            item=item,
            sender_name=item.name,
            sender_address=item.email,
            subject=item.subject,
            sent_at=item.received_at - timedelta(minutes=3),
            size=4096,
            folder=settings.INBOX_IMAP_FOLDER,
            recorded_at=item.received_at,
        )
        created += 1
    now = timezone.now()
    for key, name, address, subject, reason, days_ago in HELD:
        _, new = MailboxMessage.objects.get_or_create(
            message_key=key,
            defaults={
                "state": State.HELD,
                "sender_name": name,
                "sender_address": address,
                "subject": subject,
                "reason": reason,
                "sent_at": now - timedelta(days=days_ago, minutes=5),
                "recorded_at": now - timedelta(days=days_ago),
                "size": 40_000_000 if "过大" in reason else 220_000,
                "folder": settings.INBOX_IMAP_HELD_FOLDER,
            },
        )
        created += new
    if created:
        demo.log(f"人才邮箱：{created} 条邮件记录（其中 {len(HELD)} 封未能登记，见“邮箱未登记邮件”）")
