"""Must-visits (三必访) that an event creates: a major achievement or a special hardship reported
about an expert is owed a visit by each of the expert's paired leaders. (Holiday visits follow
from the calendar and the pairings: see liaison.calendar.)"""

from django.db import models


class VisitReason(models.TextChoices):
    ACHIEVEMENT = "achievement", "获得重大成就必访"
    HARDSHIP = "hardship", "遭遇特殊困难必访"


class MustVisit(models.Model):
    leader = models.ForeignKey(
        "liaison.Leader", verbose_name="联系领导", on_delete=models.PROTECT, related_name="must_visits"
    )
    expert = models.ForeignKey(
        "experts.Expert", verbose_name="专家", on_delete=models.PROTECT, related_name="must_visits"
    )
    reason = models.CharField("必访事由", max_length=20, choices=VisitReason.choices)
    report = models.ForeignKey(
        "liaison.EventReport", verbose_name="来源报告", on_delete=models.CASCADE, related_name="must_visits"
    )
    due_on = models.DateField("应访日期")
    done_by = models.ForeignKey(
        "liaison.ContactRecord",
        verbose_name="走访记录",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="must_visits_done",
    )
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = "必访事项"
        verbose_name_plural = "必访事项"
        constraints = [
            models.UniqueConstraint(fields=["leader", "report"], name="one_must_visit_per_leader_and_report")
        ]

    def __str__(self):
        return f"{self.leader.name} → {self.expert.name}：{self.get_reason_display()}"

    @property
    def is_done(self):
        return self.done_by_id is not None
