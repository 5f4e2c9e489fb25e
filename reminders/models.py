"""What the daily reminders sent (the ledger), the days the scheduled job ran, and the leaders'
calendar feeds (the private token of each)."""

from django.conf import settings
from django.db import models


class ReminderDelivery(models.Model):
    """One person's reminder of one day: the row is written with the queued mail, in one
    transaction, and the unique pair keeps a second run (or a concurrent one) from sending again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="收件人", on_delete=models.CASCADE, related_name="+"
    )
    date = models.DateField("提醒日期")
    item_count = models.PositiveIntegerField("待办事项数")
    summary = models.JSONField("待办摘要", default=dict, help_text="每类待办事项的数量。")
    queued_at = models.DateTimeField("排队时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        ordering = ["-date", "user_id"]
        verbose_name = "待办提醒发送记录"
        verbose_name_plural = "待办提醒发送记录"
        constraints = [models.UniqueConstraint(fields=["user", "date"], name="one_reminder_per_user_and_day")]

    def __str__(self):
        return f"{self.user} {self.date:%Y-%m-%d}"


class ReminderRun(models.Model):
    """A day on which the scheduled job started the reminders: it runs every minute, sends once a day."""

    date = models.DateField("日期", unique=True)
    started_at = models.DateTimeField("开始时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "待办提醒运行记录"

    def __str__(self):
        return f"{self.date:%Y-%m-%d}"


class CalendarFeed(models.Model):
    """A leader's private calendar address (/calendar/<leader>/<token>.ics): rotating replaces the
    token, revoking deletes the row; either way the old address answers 404."""

    leader = models.OneToOneField(
        "liaison.Leader", verbose_name="联系领导", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField("令牌", max_length=64)
    created_at = models.DateTimeField("生成时间")

    class Meta:
        verbose_name = verbose_name_plural = "日历订阅"

    def __str__(self):
        return f"{self.leader.name}的日历订阅"
