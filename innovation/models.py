"""Support given to experts and their teams (支持专家人才创新创业, 《工作方案》三(五)): tax relief,
project priority, funding, finance, research grants, visiting study, grassroots posting and
innovation platforms. A record names the experts supported (one, or a team's members)."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from programme.models import Activity, Attendance

AMOUNT_NOT_NEGATIVE = "金额不能为负数。"


def yuan(amount):
    """12,000.00 元, the unit kept on the number's line (a no-break space)."""
    return f"{amount:,.2f}\u00a0元"


class SupportKind(models.TextChoices):
    TAX_RELIEF = "tax_relief", "税收优惠"
    PROJECT_PRIORITY = "project_priority", "项目申报优先"
    FUNDING_AWARD = "funding_award", "资金奖励"
    FINANCIAL = "financial", "金融支持"
    RESEARCH_GRANT = "research_grant", "科研经费资助"
    VISITING_STUDY = "visiting_study", "访问研修"
    GRASSROOTS_POSTING = "grassroots_posting", "基层挂职"
    PLATFORM = "platform", "创新平台建设"


class PlatformType(models.TextChoices):
    ENGINEERING_CENTRE = "engineering_centre", "工程技术中心"
    ENTERPRISE_CENTRE = "enterprise_centre", "企业技术中心"
    EXPERT_WORKSTATION = "expert_workstation", "专家工作站"


class SupportRecord(Activity):
    """A support granted on a date to one expert or a team (`team_name`, its members as the experts)."""

    kind = models.CharField("支持类别", max_length=20, choices=SupportKind.choices)
    platform_type = models.CharField(
        "平台类型",
        max_length=20,
        choices=PlatformType.choices,
        blank=True,
        help_text="仅在支持类别为“创新平台建设”时选择。",
    )
    project = models.CharField("项目或平台名称", max_length=200, blank=True)
    # Only some kinds carry an amount (a tax relief or a posting may have none).
    amount = models.DecimalField(
        "金额（元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0), AMOUNT_NOT_NEGATIVE)],
        help_text="资金奖励、科研经费资助等有金额的支持填写，单位：元，最多两位小数。",
    )
    granting_body = models.CharField("授予单位/部门", max_length=100)
    team_name = models.CharField(
        "团队名称", max_length=100, blank=True, help_text="支持对象是专家团队时填写，并在下方选择团队中的专家。"
    )
    notes = models.TextField("备注", max_length=2000, blank=True)

    class Meta(Activity.Meta):
        verbose_name = verbose_name_plural = "支持记录"
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="innovation_amount_not_negative",
                violation_error_message=AMOUNT_NOT_NEGATIVE,
            ),
            models.CheckConstraint(
                condition=(Q(kind=SupportKind.PLATFORM) & ~Q(platform_type=""))
                | (~Q(kind=SupportKind.PLATFORM) & Q(platform_type="")),
                name="innovation_platform_type_for_platforms",
                violation_error_message="只有“创新平台建设”有平台类型，且必须选择。",
            ),
        ]

    def __str__(self):
        subject = self.project or self.team_name
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}" + (f"：{subject}" if subject else "")

    @property
    def amount_text(self):
        """12,000.00 元, or empty when the support has no amount."""
        return "" if self.amount is None else yuan(self.amount)

    @property
    def kind_text(self):
        """The kind, with the platform's type for a platform: 创新平台建设（专家工作站）."""
        kind = self.get_kind_display()
        return f"{kind}（{self.get_platform_type_display()}）" if self.platform_type else kind


class SupportedExpert(Attendance):
    activity = models.ForeignKey(
        SupportRecord, verbose_name="支持记录", on_delete=models.CASCADE, related_name="attendances"
    )

    class Meta(Attendance.Meta):
        verbose_name = verbose_name_plural = "获得支持的专家"
        constraints = [models.UniqueConstraint(fields=["activity", "expert"], name="innovation_supported_once")]
