"""The ledger of the talent mailbox: one row per message the portal has seen, whatever became of it.

The row's `message_key` is unique and is written in the same transaction as the intake item,
so a message is registered once however many copies the server holds or workers read it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from intake.models import IntakeItem
from intake.models.records import mask_email


class State(models.TextChoices):
    TAKEN = "taken", "已登记"
    HELD = "held", "未能登记"
    HANDLED = "handled", "已人工处理"


class MailboxMessage(models.Model):
    # The Message-ID, or "sha256:" and a hash of the message when it has none.
    message_key = models.CharField("邮件标识", max_length=255, unique=True)
    state = models.CharField("状态", max_length=20, choices=State.choices, db_index=True)
    item = models.OneToOneField(
        IntakeItem,
        verbose_name="登记的事项",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mailbox_message",
    )
    reason = models.TextField("未能登记原因", blank=True)
    sender_name = models.CharField("发件人", max_length=100, blank=True)
    sender_address = models.CharField("发件地址", max_length=254, blank=True)
    subject = models.CharField("邮件主题", max_length=255, blank=True)
    sent_at = models.DateTimeField("邮件日期", null=True, blank=True)
    size = models.PositiveIntegerField("大小（字节）", default=0)
    folder = models.CharField("所在文件夹", max_length=100)
    recorded_at = models.DateTimeField("读取时间", default=timezone.now, db_index=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)
    handled_note = models.TextField("处理说明", max_length=500, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = "邮箱来信"
        verbose_name_plural = "邮箱来信"

    def __str__(self):
        return f"{self.subject or '（无主题）'}（{self.get_state_display()}）"

    @property
    def masked_sender(self):
        name = f"{self.sender_name[:1]}**" if self.sender_name else ""
        return " ".join(filter(None, [name, mask_email(self.sender_address)]))

    @property
    def sent_local(self):
        return timezone.localtime(self.sent_at).strftime("%Y-%m-%d %H:%M") if self.sent_at else ""
