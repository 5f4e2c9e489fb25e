"""The experts' part in decisions (发挥专家决策咨询作用, 《工作方案》三(四)): industry development
groups, consultations on decisions and projects, and popular-science activities."""

from django.db import models
from django.utils import timezone

from programme.models import Activity, Attendance


class IndustryGroup(Activity):
    """产业发展小组: a standing group of experts for an industry, founded on `date`; its experts
    (attendances) are its members, one of them its lead."""

    date = models.DateField("成立日期", default=timezone.localdate, db_index=True)
    name = models.CharField("小组名称", max_length=100)
    sector = models.CharField("产业领域", max_length=100)
    # Nullable for the record's sake only: the form requires a lead among the members.
    lead = models.ForeignKey(
        "experts.Expert", verbose_name="组长", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField("备注", blank=True)

    class Meta(Activity.Meta):
        verbose_name = verbose_name_plural = "产业发展小组"

    def __str__(self):
        return self.name


class GroupMembership(Attendance):
    activity = models.ForeignKey(
        IndustryGroup, verbose_name="产业发展小组", on_delete=models.CASCADE, related_name="attendances"
    )

    class Meta(Attendance.Meta):
        verbose_name = verbose_name_plural = "小组成员"
        constraints = [models.UniqueConstraint(fields=["activity", "expert"], name="consulting_group_member_once")]


class ConsultationStage(models.TextChoices):
    BEFORE = "before", "事前研究"
    DURING = "during", "事中施行"
    AFTER = "after", "事后监督评估"


class Adoption(models.TextChoices):
    ADOPTED = "adopted", "已采纳"
    PARTLY = "partly", "部分采纳"
    NOT_ADOPTED = "not_adopted", "未采纳"
    PENDING = "pending", "待反馈"


ADOPTED = (Adoption.ADOPTED, Adoption.PARTLY)


class Consultation(Activity):
    """决策咨询: experts (and industry groups) consulted on a decision or project, their advice and
    whether it was adopted."""

    matter = models.CharField("咨询事项", max_length=200, help_text="咨询的决策事项或项目名称。")
    stage = models.CharField("咨询阶段", max_length=20, choices=ConsultationStage.choices)
    groups = models.ManyToManyField(
        IndustryGroup, verbose_name="咨询的产业发展小组", blank=True, related_name="consultations"
    )
    advice = models.TextField("咨询意见")
    adoption = models.CharField("采纳情况", max_length=20, choices=Adoption.choices, default=Adoption.PENDING)
    adopting_body = models.CharField(
        "采纳单位", max_length=100, blank=True, help_text="已采纳或部分采纳时必填：采纳意见的部门或单位。"
    )

    class Meta(Activity.Meta):
        verbose_name = verbose_name_plural = "决策咨询"

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.matter}"


class ConsultationExpert(Attendance):
    activity = models.ForeignKey(
        Consultation, verbose_name="决策咨询", on_delete=models.CASCADE, related_name="attendances"
    )

    class Meta(Attendance.Meta):
        verbose_name = verbose_name_plural = "咨询专家"
        constraints = [models.UniqueConstraint(fields=["activity", "expert"], name="consulting_consulted_once")]


class PopularScience(Activity):
    """科学普及: a popular-science activity experts gave."""

    topic = models.CharField("主题", max_length=100)
    place = models.CharField("地点", max_length=100)
    audience = models.CharField("受众", max_length=100, help_text="如：中小学生、农户、社区居民。")
    audience_size = models.PositiveIntegerField("受众人数")

    class Meta(Activity.Meta):
        verbose_name = verbose_name_plural = "科普活动"

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.topic}"


class ScienceAttendance(Attendance):
    activity = models.ForeignKey(
        PopularScience, verbose_name="科普活动", on_delete=models.CASCADE, related_name="attendances"
    )

    class Meta(Attendance.Meta):
        verbose_name = verbose_name_plural = "科普活动参加情况"
        constraints = [models.UniqueConstraint(fields=["activity", "expert"], name="consulting_science_once")]
