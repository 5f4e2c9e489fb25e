"""Political guidance and absorption (政治引领和政治吸纳, 《工作方案》三(二)): study and training sessions,
talents-to-the-grassroots trips, recommendations, and party development files."""

from django.db import models

from programme.models import Activity, Attendance, ExpertRecord


class StudyKind(models.TextChoices):
    TRAINING = "training", "研修培训"
    NATIONAL_CONDITIONS = "national_conditions", "国情研修"


class StudySession(Activity):
    """A study or training session (理论学习、教育培训、国情研修)."""

    kind = models.CharField("类别", max_length=30, choices=StudyKind.choices)
    end_date = models.DateField("结束日期", null=True, blank=True, help_text="一天以内的活动可不填。")
    place = models.CharField("地点", max_length=100)
    topic = models.CharField("主题", max_length=200)
    organiser = models.CharField("主办单位", max_length=100, blank=True)

    class Meta(Activity.Meta):
        verbose_name = verbose_name_plural = "研修培训"

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.topic}"


class StudyAttendance(Attendance):
    activity = models.ForeignKey(
        StudySession, verbose_name="研修培训", on_delete=models.CASCADE, related_name="attendances"
    )

    class Meta(Attendance.Meta):
        verbose_name = verbose_name_plural = "研修培训参加情况"
        constraints = [models.UniqueConstraint(fields=["activity", "expert"], name="guidance_study_once")]


class GrassrootsTrip(Activity):
    """人才下基层: experts go to a township or village (the plan pairs them with poor villages) and
    help solve its problems."""

    place = models.CharField("地点", max_length=100)
    topic = models.CharField("主题", max_length=200)
    served = models.CharField("服务乡镇/村", max_length=100, help_text="例如：某某镇某某村。")
    problems_solved = models.TextField("帮助解决的问题", max_length=2000, blank=True)

    class Meta(Activity.Meta):
        verbose_name = verbose_name_plural = "人才下基层"

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.served}{self.topic}"


class TripAttendance(Attendance):
    activity = models.ForeignKey(
        GrassrootsTrip, verbose_name="人才下基层", on_delete=models.CASCADE, related_name="attendances"
    )

    class Meta(Attendance.Meta):
        verbose_name = verbose_name_plural = "人才下基层参加情况"
        constraints = [models.UniqueConstraint(fields=["activity", "expert"], name="guidance_trip_once")]


class RecommendationKind(models.TextChoices):
    PARTY_CONGRESS = "party_congress", "推荐为党代表人选"
    PEOPLES_CONGRESS = "peoples_congress", "推荐为人大代表人选"
    CPPCC = "cppcc", "推荐为政协委员人选"
    MEETING = "meeting", "邀请列席有关会议"
    POST = "post", "推荐到机关事业单位任职"
    SECONDMENT = "secondment", "推荐到机关事业单位挂职"


class RecommendationOutcome(models.TextChoices):
    PENDING = "pending", "待定"
    DONE = "done", "已当选/已任用/已列席"
    NOT_DONE = "not_done", "未当选/未任用"


class Recommendation(ExpertRecord):
    """An expert recommended as a delegate, deputy or member, invited to a meeting, or put forward
    for a post or secondment in a government body."""

    kind = models.CharField("推荐类别", max_length=30, choices=RecommendationKind.choices)
    body = models.CharField("推荐至", max_length=100, help_text="代表大会、会议名称，或任职、挂职的机关事业单位。")
    outcome = models.CharField(
        "结果", max_length=20, choices=RecommendationOutcome.choices, default=RecommendationOutcome.PENDING
    )
    note = models.TextField("备注", max_length=2000, blank=True)

    class Meta(ExpertRecord.Meta):
        verbose_name = verbose_name_plural = "推荐与吸纳"

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"


# A party development file's `date` is the day the office opened it.
OPENED_ON = "建档日期"
# The milestones of a party development file, in the order they must be reached.
MILESTONES = ["applied_on", "activist_on", "candidate_on", "probationary_on", "full_member_on"]


class PartyDevelopment(ExpertRecord):
    """发展党员: an expert's file (`date`: when the office opened it), their named contact, and the
    dates of the milestones reached so far, in order."""

    contact_person = models.CharField("培养联系人", max_length=50, help_text="明确专人联系培养：姓名及职务。")
    applied_on = models.DateField("申请入党", null=True, blank=True)
    activist_on = models.DateField("入党积极分子", null=True, blank=True)
    candidate_on = models.DateField("发展对象", null=True, blank=True)
    probationary_on = models.DateField("预备党员", null=True, blank=True)
    full_member_on = models.DateField("正式党员", null=True, blank=True)
    note = models.TextField("备注", max_length=2000, blank=True)

    class Meta(ExpertRecord.Meta):
        verbose_name = verbose_name_plural = "发展党员"
        constraints = [models.UniqueConstraint(fields=["expert"], name="guidance_party_development_once")]

    def __str__(self):
        return f"{self.expert.name}发展党员档案"

    def milestones(self):
        """[(label, date or None)] in order."""
        return [(self._meta.get_field(name).verbose_name, getattr(self, name)) for name in MILESTONES]

    @property
    def stage(self):
        """The latest milestone reached, or 已建档 before the first."""
        reached = [label for label, date in self.milestones() if date]
        return reached[-1] if reached else "已建档"
