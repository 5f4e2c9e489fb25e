"""Leaders, their offices, and the pairings (结对联系) of leaders with experts."""

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone

from staff.levels import Level

# 每名领导至少直接联系2名专家人才 (《工作方案》二).
PAIRING_QUOTA = 2


class Body(models.TextChoices):
    """The four leading bodies (四套班子) whose members pair with experts, at the city or a county."""

    PARTY = "party", "党委"
    CONGRESS = "congress", "人大常委会"
    GOVERNMENT = "government", "政府"
    CPPCC = "cppcc", "政协"


# "市委", "兴宾区人大常委会" ...: the body's name at a level.
BODY_NAMES = {
    Body.PARTY: "{place}委",
    Body.CONGRESS: "{place}人大常委会",
    Body.GOVERNMENT: "{place}政府",
    Body.CPPCC: "{place}政协",
}


def body_name(body, level):
    place = "市" if level == Level.CITY else Level(level).label
    return BODY_NAMES[Body(body)].format(place=place)


def _in_choice_order(field, choices):
    return Case(*(When(**{field: value}, then=Value(index)) for index, value in enumerate(choices.values)))


class LeaderQuerySet(models.QuerySet):
    def in_plan_order(self):
        """The city first, then each county; within a level 党委, 人大常委会, 政府, 政协, as lists show them."""
        return self.order_by(
            _in_choice_order("level", Level), _in_choice_order("body", Body), "sort_order", "name", "pk"
        )


class Leader(models.Model):
    """A member of a leading body who keeps in touch with experts (联系领导)."""

    name = models.CharField("姓名", max_length=50)
    post = models.CharField("职务", max_length=100, help_text="例如：市委常委、组织部部长。")
    body = models.CharField("所在班子", max_length=20, choices=Body.choices)
    level = models.CharField("属地", max_length=20, choices=Level.choices, db_index=True)
    active = models.BooleanField("在任", default=True, help_text="离任后取消勾选：结对历史保留，不再计入名额统计。")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leader",
        help_text="“领导”组的账号；设置后该领导可登录查看自己联系的专家和待办事项。",
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=100, help_text="数字小的排在前面。")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = LeaderQuerySet.as_manager()

    class Meta:
        ordering = ["level", "body", "sort_order", "name", "pk"]
        verbose_name = "联系领导"
        verbose_name_plural = "联系领导"

    def __str__(self):
        return f"{self.name}（{self.post}）"

    @property
    def body_name(self):
        return body_name(self.body, self.level)


class LeaderOffice(models.Model):
    """A leading body's office (市委办, 市人大办 ...): its members record contacts for the body's leaders
    (《工作方案》四(二)) and see only those leaders' pairings, contacts and due visits."""

    body = models.CharField("所在班子", max_length=20, choices=Body.choices)
    level = models.CharField("属地", max_length=20, choices=Level.choices, db_index=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="工作人员",
        blank=True,
        related_name="leader_offices",
        help_text="“领导办公室”组的成员。",
    )

    class Meta:
        ordering = ["level", "body"]
        verbose_name = "领导办公室"
        verbose_name_plural = "领导办公室"
        constraints = [
            models.UniqueConstraint(
                fields=["body", "level"], name="unique_leader_office", violation_error_message="该班子的办公室已登记。"
            )
        ]

    def __str__(self):
        return f"{body_name(self.body, self.level)}办公室"


class PairingQuerySet(models.QuerySet):
    def active_on(self, date):
        """Pairings running on `date`: started by then and not ended before it."""
        return self.filter(started_on__lte=date).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=date))

    def active(self):
        return self.filter(ended_on__isnull=True)


class Pairing(models.Model):
    """结对联系: a leader keeps in personal touch with an expert from `started_on` until `ended_on`.

    Ending keeps the row (the history); an expert may have several leaders.
    """

    leader = models.ForeignKey(Leader, verbose_name="联系领导", on_delete=models.PROTECT, related_name="pairings")
    expert = models.ForeignKey("experts.Expert", verbose_name="专家", on_delete=models.PROTECT, related_name="pairings")
    started_on = models.DateField("开始日期", default=timezone.localdate)
    ended_on = models.DateField("结束日期", null=True, blank=True)
    end_note = models.CharField("结束原因", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = PairingQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = "结对联系"
        verbose_name_plural = "结对联系"
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="pairing_ends_after_it_starts",
                violation_error_message="结束日期不能早于开始日期。",
            ),
            models.UniqueConstraint(
                fields=["leader", "expert"],
                condition=Q(ended_on__isnull=True),
                name="one_open_pairing_per_leader_and_expert",
                violation_error_message="该领导已在联系这位专家。",
            ),
        ]

    def __str__(self):
        return f"{self.leader.name} — {self.expert.name}"

    @property
    def is_active(self):
        return self.ended_on is None
