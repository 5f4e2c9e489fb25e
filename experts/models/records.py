"""Private records of the expert talent database (专家人才资源信息库). Staff only, never public."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from staff.levels import Level
from staff.models import RecordLogEntry

mobile_validator = RegexValidator(r"^1[3-9]\d{9}$", "请输入11位手机号码，例如 13800000000。")


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class PoliticalStatus(models.TextChoices):
    CPC_MEMBER = "cpc", "中共党员"
    CPC_PROBATIONARY = "cpc_probationary", "中共预备党员"
    LEAGUE_MEMBER = "league", "共青团员"
    DEMOCRATIC_PARTY = "democratic_party", "民主党派"
    INDEPENDENT = "independent", "无党派人士"
    MASSES = "masses", "群众"


class Education(models.TextChoices):
    DOCTORATE = "doctorate", "博士研究生"
    MASTER = "master", "硕士研究生"
    BACHELOR = "bachelor", "大学本科"
    COLLEGE = "college", "大学专科"
    SECONDARY = "secondary", "中专及以下"


class Degree(models.TextChoices):
    DOCTOR = "doctor", "博士"
    MASTER = "master", "硕士"
    BACHELOR = "bachelor", "学士"
    NONE = "none", "无"


class TitleLevel(models.TextChoices):
    SENIOR = "senior", "正高级"
    DEPUTY_SENIOR = "deputy_senior", "副高级"
    INTERMEDIATE = "intermediate", "中级"
    OTHER = "other", "其他"


class TalentTeam(models.TextChoices):
    """六支人才队伍: every expert belongs to exactly one."""

    PARTY_GOVERNMENT = "party_government", "党政人才"
    ENTERPRISE_MANAGEMENT = "enterprise_management", "企业经营管理人才"
    PROFESSIONAL_TECHNICAL = "professional_technical", "专业技术人才"
    HIGHLY_SKILLED = "highly_skilled", "高技能人才"
    RURAL_PRACTICAL = "rural_practical", "农村实用人才"
    SOCIAL_WORK = "social_work", "社会工作人才"


class UnitType(models.TextChoices):
    SCHOOL = "school", "学校"
    HOSPITAL = "hospital", "医院"
    ENTERPRISE = "enterprise", "企业"
    RESEARCH_INSTITUTE = "research_institute", "科研院所"
    SOCIAL_ORGANISATION = "social_organisation", "社会组织"
    PUBLIC_INSTITUTION = "public_institution", "机关事业单位"
    OTHER = "other", "其他"


class ExpertStatus(models.TextChoices):
    ACTIVE = "active", "在库"
    REMOVED = "removed", "已调出"


class StatusChangeKind(models.TextChoices):
    JOINED = "joined", "入库"
    REMOVED = "removed", "调出"
    RESTORED = "restored", "恢复入库"


# The status each kind of change leaves the expert in.
STATUS_AFTER = {
    StatusChangeKind.JOINED: ExpertStatus.ACTIVE,
    StatusChangeKind.RESTORED: ExpertStatus.ACTIVE,
    StatusChangeKind.REMOVED: ExpertStatus.REMOVED,
}


class RemovalReason(models.TextChoices):
    LEFT_CITY = "left_city", "调离本市"
    DISCIPLINE = "discipline", "违纪违法"
    ACADEMIC_MISCONDUCT = "academic_misconduct", "学术不端"
    NO_LONGER_ELIGIBLE = "no_longer_eligible", "不再符合条件"
    OTHER = "other", "其他"


class TalentCategory(models.Model):
    """人才类别 of clause 二; the six rows come from a data migration, and an expert may have several."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=50, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = "人才类别"
        verbose_name_plural = "人才类别"

    def __str__(self):
        return self.name


class Unit(models.Model):
    """工作单位: where experts work; a unit's list and (later) its liaison hang off it."""

    name = models.CharField("单位名称", max_length=100)
    unit_type = models.CharField("单位类型", max_length=30, choices=UnitType.choices)
    level = models.CharField("属地", max_length=20, choices=Level.choices, db_index=True)
    liaisons = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="单位联络员",
        blank=True,
        related_name="liaison_units",
        help_text="“单位联络员”组的成员，负责报送本单位专家的“五报告”，只能查看本单位的专家。",
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "工作单位"
        verbose_name_plural = "工作单位"
        constraints = [
            models.UniqueConstraint(
                fields=["name", "level"],
                name="unique_unit_name_per_level",
                violation_error_message="本属地已有同名单位。",
            )
        ]

    def __str__(self):
        return self.name


class Expert(models.Model):
    """专家人才: one person in the database.

    `status` is derived from the status history (ExpertStatusChange) by
    `experts.services` and never edited on a form; `joined_on` is the date of
    the first entry, set when the record is created.
    """

    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=10, choices=Gender.choices)
    ethnicity = models.CharField("民族", max_length=20, default="汉族")
    birth_date = models.DateField("出生日期", null=True, blank=True)
    political_status = models.CharField("政治面貌", max_length=20, choices=PoliticalStatus.choices)
    education = models.CharField("学历", max_length=20, choices=Education.choices, blank=True)
    degree = models.CharField("学位", max_length=20, choices=Degree.choices, blank=True)
    professional_title = models.CharField(
        "专业技术职称", max_length=50, blank=True, help_text="例如：主任医师、正高级工程师、高级教师。"
    )
    title_level = models.CharField("职称级别", max_length=20, choices=TitleLevel.choices, db_index=True)
    position = models.CharField("职务", max_length=100, blank=True)
    specialty = models.CharField("专业领域", max_length=100, blank=True)
    unit = models.ForeignKey(Unit, verbose_name="工作单位", on_delete=models.PROTECT, related_name="experts")
    mobile = models.CharField("手机号码", max_length=11, blank=True, validators=[mobile_validator])
    email = models.EmailField("电子邮箱", blank=True)
    level = models.CharField("属地", max_length=20, choices=Level.choices, db_index=True)
    talent_team = models.CharField("人才队伍", max_length=30, choices=TalentTeam.choices, db_index=True)
    categories = models.ManyToManyField(TalentCategory, verbose_name="人才类别", related_name="experts")
    joined_on = models.DateField("入库日期", default=timezone.localdate, db_index=True)
    status = models.CharField(
        "状态", max_length=20, choices=ExpertStatus.choices, default=ExpertStatus.ACTIVE, editable=False, db_index=True
    )
    notes = models.TextField("备注", blank=True)

    # What the expert agreed to show on the public site (个人信息公开同意).
    public_profile_consent = models.BooleanField(
        "同意公开专家简介",
        default=False,
        help_text="本人书面同意后勾选；未同意的专家不会出现在门户网站上。撤回同意后，已发布的公开简介会自动下线。",
    )
    public_profile_consent_on = models.DateField("同意日期", null=True, blank=True)
    public_shows_unit = models.BooleanField("公开工作单位", default=False)
    public_shows_title = models.BooleanField("公开职称和职务", default=False)

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "专家人才"
        verbose_name_plural = "专家人才"
        indexes = [
            models.Index(fields=["mobile"], name="expert_mobile_idx"),
            # The list's first page in name order read from the index, not a sort of every expert.
            models.Index(fields=["name", "id"], name="expert_name_idx"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_active(self):
        return self.status == ExpertStatus.ACTIVE

    def get_admin_url(self):
        return reverse("experts:inspect", args=[self.pk])


class ExpertStatusChange(models.Model):
    """One entry into, removal from (调出) or restoration to the database. The status derives from these."""

    expert = models.ForeignKey(Expert, verbose_name="专家", on_delete=models.CASCADE, related_name="status_changes")
    kind = models.CharField("变动类型", max_length=20, choices=StatusChangeKind.choices)
    date = models.DateField("日期")
    reason = models.CharField("调出原因", max_length=30, choices=RemovalReason.choices, blank=True)
    basis = models.TextField("依据", blank=True, help_text="决定依据，例如会议纪要、文件文号或情况说明。")
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        ordering = ["date", "created_at", "pk"]
        get_latest_by = ["date", "created_at", "pk"]
        # An expert's status on a date (experts.reviews) is their latest change up to it: read
        # from this index alone, without a sort, for each expert.
        indexes = [models.Index(fields=["expert", "date", "created_at", "id", "kind"], name="status_change_latest_idx")]
        verbose_name = "入库调出记录"
        verbose_name_plural = "入库调出记录"

    def __str__(self):
        return f"{self.expert} {self.get_kind_display()} {self.date:%Y-%m-%d}"


class AnnualReview(models.Model):
    """年度调整: staff confirmed in `year` that the expert still belongs in the database."""

    expert = models.ForeignKey(Expert, verbose_name="专家", on_delete=models.CASCADE, related_name="annual_reviews")
    year = models.PositiveSmallIntegerField("年度")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("确认时间", auto_now_add=True)

    class Meta:
        ordering = ["-year", "pk"]
        verbose_name = "年度调整确认"
        verbose_name_plural = "年度调整确认"
        constraints = [models.UniqueConstraint(fields=["expert", "year"], name="unique_annual_review_per_year")]

    def __str__(self):
        return f"{self.expert} {self.year}年度确认"


class ExpertLogEntry(RecordLogEntry):
    """Wagtail log entries of expert records, kept apart so that county scoping applies to them too."""

    expert = models.ForeignKey(
        Expert, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", verbose_name="专家"
    )

    record_field = "expert"

    class Meta(RecordLogEntry.Meta):
        verbose_name = "专家操作日志"
        verbose_name_plural = "专家操作日志"
