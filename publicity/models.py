"""Publicity for experts and teams (《工作方案》三(六)1): touring report talks and special reports,
linked to the public spotlight article where one was published."""

from django.db import models

from programme.models import Activity, Attendance


class PublicityKind(models.TextChoices):
    TOUR_TALK = "tour_talk", "巡回报告宣讲"
    SPECIAL_REPORT = "special_report", "专题报道"


class PublicityActivity(Activity):
    """宣传活动: a talk tour stop or a report; its experts (attendances) are those featured."""

    kind = models.CharField("形式", max_length=20, choices=PublicityKind.choices)
    title = models.CharField("标题", max_length=200, help_text="宣讲或报道的题目。")
    place = models.CharField("地点或媒体", max_length=100, help_text="宣讲的地点，或刊发报道的媒体。")
    audience = models.CharField("受众", max_length=100, blank=True)
    team = models.CharField("团队", max_length=100, blank=True, help_text="报道一个团队时，填写团队名称。")
    article = models.ForeignKey(
        "spotlight.SpotlightArticlePage",
        verbose_name="专家风采文章",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="已在网站“专家风采”栏目发布的相关文章（可不选）。",
    )

    class Meta(Activity.Meta):
        verbose_name = verbose_name_plural = "宣传活动"

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}"


class FeaturedExpert(Attendance):
    activity = models.ForeignKey(
        PublicityActivity, verbose_name="宣传活动", on_delete=models.CASCADE, related_name="attendances"
    )

    class Meta(Attendance.Meta):
        verbose_name = verbose_name_plural = "宣传的专家"
        constraints = [models.UniqueConstraint(fields=["activity", "expert"], name="publicity_featured_once")]
