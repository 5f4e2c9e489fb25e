"""The care the offices give experts (关心专家身心健康, 《工作方案》三(五)). Health results are never
stored: a checkup round records who was invited and who attended, nothing more."""

from django.db import models

from programme.models import Activity, Attendance, ExpertRecord


class CheckupRound(Activity):
    """每年1次集中体检: a round of a year and level at a hospital."""

    hospital = models.CharField("体检医院", max_length=100)
    arrangements = models.TextField(
        "分组安排",
        max_length=2000,
        blank=True,
        help_text="哪些类别的专家到哪家医院、哪个时段体检等。不得填写体检结果。",
    )

    class Meta(Activity.Meta):
        verbose_name = verbose_name_plural = "集中体检"

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.hospital}集中体检"


class CheckupAttendance(Attendance):
    activity = models.ForeignKey(
        CheckupRound, verbose_name="集中体检", on_delete=models.CASCADE, related_name="attendances"
    )

    class Meta(Attendance.Meta):
        verbose_name = verbose_name_plural = "体检参加情况"
        constraints = [models.UniqueConstraint(fields=["activity", "expert"], name="care_checkup_once")]


class RecuperationKind(models.TextChoices):
    RECUPERATION = "recuperation", "集体休假疗养"
    STUDY_TOUR = "study_tour", "国情区情市情考察"
    CONSULTING = "consulting", "智力咨询服务"


class RecuperationTrip(Activity):
    """每年1次休假疗养: a trip, its place and its kind; its experts are those offered a place."""

    end_date = models.DateField("结束日期")
    place = models.CharField("地点", max_length=100)
    kind = models.CharField("形式", max_length=20, choices=RecuperationKind.choices)

    class Meta(Activity.Meta):
        verbose_name = verbose_name_plural = "休假疗养"

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.place}{self.get_kind_display()}"


class RecuperationAttendance(Attendance):
    activity = models.ForeignKey(
        RecuperationTrip, verbose_name="休假疗养", on_delete=models.CASCADE, related_name="attendances"
    )

    class Meta(Attendance.Meta):
        verbose_name = verbose_name_plural = "休假疗养参加情况"
        constraints = [models.UniqueConstraint(fields=["activity", "expert"], name="care_recuperation_once")]


class GreenChannelStatus(models.TextChoices):
    OPEN = "open", "待办理"
    ARRANGED = "arranged", "已安排"
    CLOSED = "closed", "已办结"


class GreenChannelRequest(ExpertRecord):
    """诊疗绿色通道: an expert's request for medical help and how it was handled. Sensitive."""

    hospital = models.CharField("医院", max_length=100)
    need = models.TextField("需求", max_length=1000, help_text="只写安排就诊所需的内容，不写病情细节。")
    status = models.CharField(
        "办理状态", max_length=20, choices=GreenChannelStatus.choices, default=GreenChannelStatus.OPEN
    )
    handling = models.TextField("办理情况", max_length=2000, blank=True)

    class Meta(ExpertRecord.Meta):
        verbose_name = verbose_name_plural = "诊疗绿色通道"

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.hospital}绿色通道"


class HealthLecture(Activity):
    """健康知识讲座."""

    topic = models.CharField("主题", max_length=100)
    speaker = models.CharField("主讲人", max_length=50, blank=True)
    place = models.CharField("地点", max_length=100)

    class Meta(Activity.Meta):
        verbose_name = verbose_name_plural = "健康知识讲座"

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.topic}"


class LectureAttendance(Attendance):
    activity = models.ForeignKey(
        HealthLecture, verbose_name="健康知识讲座", on_delete=models.CASCADE, related_name="attendances"
    )

    class Meta(Attendance.Meta):
        verbose_name = verbose_name_plural = "讲座参加情况"
        constraints = [models.UniqueConstraint(fields=["activity", "expert"], name="care_lecture_once")]


class FamilySupportKind(models.TextChoices):
    SCHOOLING = "schooling", "子女入学"
    SPOUSE_JOB = "spouse_job", "配偶就业"
    HOUSING = "housing", "住房保障"
    ELDER_CARE = "elder_care", "老人照料"
    OTHER = "other", "其他"


class FamilySupportOutcome(models.TextChoices):
    IN_PROGRESS = "in_progress", "办理中"
    SOLVED = "solved", "已解决"
    UNSOLVABLE = "unsolvable", "无法解决"


class FamilySupport(ExpertRecord):
    """帮扶事项: help for an expert's family (children's schooling, a spouse's job ...) and its outcome."""

    kind = models.CharField("帮扶类别", max_length=20, choices=FamilySupportKind.choices)
    description = models.TextField("帮扶内容", max_length=2000)
    outcome = models.CharField(
        "办理结果", max_length=20, choices=FamilySupportOutcome.choices, default=FamilySupportOutcome.IN_PROGRESS
    )
    outcome_note = models.TextField("结果说明", max_length=2000, blank=True)

    class Meta(ExpertRecord.Meta):
        verbose_name = verbose_name_plural = "帮扶事项"

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"
