"""The two shapes every record of the programme's service chapters takes, and their log tables.

- An activity (`Activity`) names several experts, each through an attendance row (`Attendance`)
  with a status: a checkup round and its invitees, a training session, a consultation, a support
  granted to a team. A concrete activity pairs with a concrete attendance model whose foreign key
  to it is named `activity`, with `related_name="attendances"`.
- A record about one expert (`ExpertRecord`): a green-channel request, a recommendation, a party
  development file.

Both keep the level (属地) of the office that recorded them. Who sees which rows is the office's
rule of the liaison work (programme/kinds.py registers each model's policy): the city office
and superusers every row, a county office the rows its county recorded or that name its experts.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.models import BaseLogEntry, BaseLogEntryManager

from staff.levels import Level
from staff.scoping import sees_model, visible_rows


class AttendanceStatus(models.TextChoices):
    INVITED = "invited", "已邀请"
    ATTENDED = "attended", "已参加"
    DECLINED = "declined", "未参加"


class ProgrammeRecord(models.Model):
    level = models.CharField(
        "登记属地",
        max_length=20,
        choices=Level.choices,
        db_index=True,
        editable=False,
        help_text="登记这条记录的人才办所在属地。",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class Activity(ProgrammeRecord):
    """Something done with several experts on a date (to `end_date` when it lasts several days)."""

    date = models.DateField("日期", default=timezone.localdate, db_index=True)

    class Meta:
        abstract = True
        ordering = ["-date", "-pk"]


class Attendance(models.Model):
    """One expert in an activity; the concrete model adds `activity`."""

    expert = models.ForeignKey("experts.Expert", verbose_name="专家", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        "参加情况", max_length=20, choices=AttendanceStatus.choices, default=AttendanceStatus.ATTENDED
    )

    class Meta:
        abstract = True
        ordering = ["pk"]

    def __str__(self):
        return f"{self.expert}：{self.get_status_display()}"


class ExpertRecord(ProgrammeRecord):
    """Something done for one expert, dated."""

    expert = models.ForeignKey("experts.Expert", verbose_name="专家", on_delete=models.PROTECT, related_name="+")
    date = models.DateField("日期", default=timezone.localdate, db_index=True)

    class Meta:
        abstract = True
        ordering = ["-date", "-pk"]


class ProgrammeLogEntryManager(BaseLogEntryManager):
    def log_action(self, instance, action, **kwargs):
        return super().log_action(instance, action, record_id=instance.pk, **kwargs)

    def for_instance(self, instance):
        content_type = ContentType.objects.get_for_model(instance, for_concrete_model=False)
        return self.filter(content_type=content_type, record_id=instance.pk)

    def viewable_by_user(self, user):
        # The entries of the rows the user may see, kind by kind, as each kind's policy says.
        if user.is_superuser:
            return self.all()
        from .kinds import KINDS

        visible = Q(pk__in=[])
        for kind in KINDS.values():
            if sees_model(user, kind.model):
                rows = visible_rows(user, kind.model).values("pk")
                visible |= Q(content_type=ContentType.objects.get_for_model(kind.model), record_id__in=rows)
        return self.filter(visible)


class ProgrammeLogEntry(BaseLogEntry):
    """The log of every kind of the programme's records, in one table: Wagtail's site history joins
    the log tables in one UNION, which SQLite cannot parse past a few dozen tables. History
    outlives the row (no foreign key); each entry is shown to those who may see its row."""

    record_id = models.PositiveBigIntegerField("记录编号", db_index=True)

    objects = ProgrammeLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = verbose_name_plural = "专家服务记录操作日志"
        indexes = [models.Index(fields=["content_type", "record_id"], name="programme_log_record")]

    def __str__(self):
        return f"ProgrammeLogEntry {self.pk}: {self.action} on {self.content_type_id}/{self.record_id}"

    @property
    def object_id(self):
        return str(self.record_id)
