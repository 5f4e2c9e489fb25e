"""Contact records (联系服务记录) and the follow-ups of the problems experts raise (帮助解决实际问题)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from staff.levels import Level


class ContactKind(models.TextChoices):
    """What a contact was: one of the three must-visits, one of the six activities, or another contact."""

    # 三必访
    HOLIDAY_VISIT = "holiday_visit", "重要节日必访"
    ACHIEVEMENT_VISIT = "achievement_visit", "获得重大成就必访"
    HARDSHIP_VISIT = "hardship_visit", "遭遇特殊困难必访"
    # 六活动
    HOLIDAY_GREETING = "holiday_greeting", "节日慰问"
    SYMPOSIUM = "symposium", "座谈交流"
    ONLINE = "online", "线上互动"
    BRIEFING = "briefing", "工作通报"
    WORK_REPORT = "work_report", "工作汇报"
    STUDY = "study", "国情区情市情研修"
    # 其他
    FIELD_VISIT = "field_visit", "调研走访"
    OTHER = "other", "其他"


MUST_VISIT_KINDS = [ContactKind.HOLIDAY_VISIT, ContactKind.ACHIEVEMENT_VISIT, ContactKind.HARDSHIP_VISIT]
# 每年至少开展六项联系活动 (《工作方案》三(一)4), in the order the plan names them.
SIX_ACTIVITIES = [
    ContactKind.HOLIDAY_GREETING,
    ContactKind.SYMPOSIUM,
    ContactKind.ONLINE,
    ContactKind.BRIEFING,
    ContactKind.WORK_REPORT,
    ContactKind.STUDY,
]
# The activity a contact counts for: each activity itself, and a holiday must-visit is a holiday greeting.
ACTIVITY_OF_KIND = {**{kind: kind for kind in SIX_ACTIVITIES}, ContactKind.HOLIDAY_VISIT: ContactKind.HOLIDAY_GREETING}


class ContactMethod(models.TextChoices):
    IN_PERSON = "in_person", "面对面"
    PHONE = "phone", "电话"
    ONLINE = "online", "线上"
    LETTER = "letter", "信函"
    EMAIL = "email", "邮件"


class ContactRecord(models.Model):
    """One contact between leaders and experts; a group activity is one record that counts for each expert."""

    date = models.DateField("日期", default=timezone.localdate, db_index=True)
    kind = models.CharField("联系事由", max_length=30, choices=ContactKind.choices, db_index=True)
    method = models.CharField("联系方式", max_length=20, choices=ContactMethod.choices)
    leaders = models.ManyToManyField("liaison.Leader", verbose_name="参加领导", related_name="contacts")
    experts = models.ManyToManyField("experts.Expert", verbose_name="联系专家", related_name="contacts")
    staff_present = models.CharField(
        "陪同人员", max_length=200, blank=True, help_text="参加的工作人员，多人用顿号分隔。"
    )
    summary = models.TextField("联系情况")
    level = models.CharField(
        "属地",
        max_length=20,
        choices=Level.choices,
        db_index=True,
        help_text="登记这条记录的人才办或领导办公室所在属地。",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = "联系服务记录"
        verbose_name_plural = "联系服务记录"

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"

    @property
    def activity(self):
        """The one of the six activities this contact counts for, or None."""
        return ACTIVITY_OF_KIND.get(self.kind)


class FollowUpStatus(models.TextChoices):
    OPEN = "open", "待办"
    IN_PROGRESS = "in_progress", "办理中"
    SOLVED = "solved", "已解决"
    UNSOLVABLE = "unsolvable", "无法解决"


OPEN_FOLLOW_UP_STATUSES = [FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS]


class FollowUpQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_FOLLOW_UP_STATUSES)

    def overdue(self, today=None):
        return self.open().filter(due_on__lt=today or timezone.localdate())


class FollowUp(models.Model):
    """A problem an expert raised in a contact, followed until it is solved (or cannot be)."""

    record = models.ForeignKey(
        ContactRecord, verbose_name="联系记录", on_delete=models.CASCADE, related_name="follow_ups"
    )
    expert = models.ForeignKey(
        "experts.Expert", verbose_name="反映问题的专家", on_delete=models.PROTECT, related_name="follow_ups"
    )
    problem = models.TextField("反映的问题")
    owner = models.CharField("责任单位或责任人", max_length=100)
    due_on = models.DateField("办结时限")
    status = models.CharField("办理状态", max_length=20, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN)
    outcome = models.TextField("办理结果", blank=True, help_text="已解决时写明如何解决；无法解决时写明原因。")
    leader_attention = models.BooleanField("领导直接过问", default=False)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = "问题跟踪"
        verbose_name_plural = "问题跟踪"
        # The open follow-ups by deadline (the dashboard's and the reminders' first overdue ones).
        indexes = [
            models.Index(
                fields=["due_on", "id"], name="followup_open_due_idx", condition=Q(status__in=OPEN_FOLLOW_UP_STATUSES)
            )
        ]

    def __str__(self):
        return f"{self.expert.name}：{self.problem[:30]}"

    @property
    def is_open(self):
        return self.status in OPEN_FOLLOW_UP_STATUSES

    def is_overdue(self, today=None):
        return self.is_open and self.due_on < (today or timezone.localdate())
