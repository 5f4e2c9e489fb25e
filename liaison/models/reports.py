"""The five reports (五报告, 《工作方案》三(一)3): a unit's liaison reports an event in an expert's life,
and the report goes up 单位 → 县(市、区)组织人事部门 → 市委人才办, each step accepted or sent back."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from staff.levels import Level


class EventKind(models.TextChoices):
    MAJOR_ACTIVITY = "major_activity", "参加重大活动"
    POST_CHANGE = "post_change", "岗位职务重大变动"
    ACHIEVEMENT = "achievement", "获得重大成就"
    FAMILY_EVENT = "family_event", "家庭重大变故"
    HEALTH = "health", "本人重大健康状况"


# Sensitive personal information (PIPL): details only for the city office, the expert's county
# office, the expert's paired leaders and the liaison who filed it.
SENSITIVE_KINDS = [EventKind.FAMILY_EVENT, EventKind.HEALTH]


class ReportStage(models.TextChoices):
    """Where a report waits. A county expert's report goes to the county first; a city expert's to the city."""

    RETURNED = "returned", "已退回联络员"
    COUNTY = "county", "待县（市、区）组织人事部门审核"
    CITY = "city", "待市委人才办审核"
    ACCEPTED = "accepted", "已接收"


class EventReport(models.Model):
    expert = models.ForeignKey(
        "experts.Expert", verbose_name="专家", on_delete=models.PROTECT, related_name="event_reports"
    )
    kind = models.CharField("报告事项", max_length=30, choices=EventKind.choices, db_index=True)
    event_date = models.DateField("事项发生日期")
    details = models.TextField("具体情况")
    # The expert's unit and level when the report was filed: the liaison's scope and the escalation's start.
    unit = models.ForeignKey(
        "experts.Unit", verbose_name="报告单位", on_delete=models.PROTECT, related_name="event_reports"
    )
    level = models.CharField("属地", max_length=20, choices=Level.choices, db_index=True)
    stage = models.CharField("当前环节", max_length=20, choices=ReportStage.choices, db_index=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报送人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("报送时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "五报告"
        verbose_name_plural = "五报告"

    def __str__(self):
        return f"{self.expert.name}：{self.get_kind_display()}（{self.event_date:%Y-%m-%d}）"

    @property
    def is_sensitive(self):
        return self.kind in SENSITIVE_KINDS


class ReportStep(models.Model):
    """One step of a report's way up: filed, accepted, sent back (with a comment) or filed again."""

    class Action(models.TextChoices):
        FILED = "filed", "报送"
        ACCEPTED = "accepted", "审核通过"
        RETURNED = "returned", "退回"
        REFILED = "refiled", "修改后重新报送"

    report = models.ForeignKey(EventReport, verbose_name="报告", on_delete=models.CASCADE, related_name="steps")
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    stage_before = models.CharField("原环节", max_length=20, choices=ReportStage.choices, blank=True)
    stage_after = models.CharField("新环节", max_length=20, choices=ReportStage.choices)
    comment = models.TextField("意见", blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField("时间")

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "报告流转记录"
        verbose_name_plural = "报告流转记录"

    def __str__(self):
        return f"{self.report_id} {self.get_action_display()} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"
