"""The intake queue (来信来访): what experts send through the four channels and how staff handle it.

Private records: nothing here is read by a public template except through
`intake.tracking` (status timeline and official reply of one item) and the
published, anonymised `PublicAnswer`.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MinLengthValidator, RegexValidator
from django.db import models
from django.db.models import Case, DateField, ExpressionWrapper, F, Q, When
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.models import DraftStateMixin, PreviewableMixin, RevisionMixin

from base.attachments import private_storage, random_file_name
from staff.levels import Level
from staff.models import RecordLogEntry

mobile_validator = RegexValidator(r"^1[3-9]\d{9}$", "请输入11位手机号码，例如 13807721234。")


class Channel(models.TextChoices):
    """四通道: how the matter reached the office (web is the contact form)."""

    WEB = "web", "网上留言"
    HOTLINE = "hotline", "热线电话"
    MAILBOX = "mailbox", "电子邮箱"
    LETTER = "letter", "信函"
    VISIT = "visit", "来访"


STAFF_ENTERED_CHANNELS = [Channel.HOTLINE, Channel.MAILBOX, Channel.LETTER, Channel.VISIT]


class Kind(models.TextChoices):
    APPOINTMENT = "appointment", "预约约见联系领导"
    SUGGESTION = "suggestion", "意见建议"
    HELP = "help", "困难求助"
    OTHER = "other", "其他"


class Status(models.TextChoices):
    NEW = "new", "待受理"
    ACCEPTED = "accepted", "已受理"
    REJECTED = "rejected", "不予受理"
    ASSIGNED = "assigned", "已交办"
    IN_PROGRESS = "in_progress", "办理中"
    CLOSED = "closed", "已办结"
    FOLLOWED_UP = "followed_up", "已回访"


IN_HAND_STATUSES = [Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS]
OPEN_STATUSES = [Status.NEW, *IN_HAND_STATUSES]


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    FAIRLY_SATISFIED = "fairly_satisfied", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"


class StepAction(models.TextChoices):
    RECEIVED = "received", "登记"
    ACCEPTED = "accepted", "受理"
    REJECTED = "rejected", "不予受理"
    ASSIGNED = "assigned", "交办"
    STARTED = "started", "开始办理"
    APPOINTMENT = "appointment", "安排约见"
    CLOSED = "closed", "办结答复"
    FOLLOWED_UP = "followed_up", "回访"
    REOPENED = "reopened", "重新办理"
    SUPERVISED = "supervised", "督办"
    # A department's work (承办部门 in the portal) and the office's decisions on it: internal steps.
    EXTENSION_REQUESTED = "extension_requested", "申请延期"
    EXTENSION_APPROVED = "extension_approved", "批准延期"
    EXTENSION_DECLINED = "extension_declined", "不批准延期"
    REPLY_PROPOSED = "reply_proposed", "提交拟答复"
    REPLY_RETURNED = "reply_returned", "退回拟答复"
    REPLY_APPROVED = "reply_approved", "审核通过拟答复"


class ReplyState(models.TextChoices):
    """Where a department's proposed reply (拟答复意见) stands; the office's approval closes the item."""

    PROPOSED = "proposed", "拟答复待审核"
    RETURNED = "returned", "拟答复已退回"


def private_attachment_storage():
    # Outside MEDIA_ROOT and without a URL: only the permission-checked admin view serves these files.
    return private_storage(settings.INTAKE_ATTACHMENT_ROOT)


def attachment_path(instance, filename):
    # The name the expert gave is kept in `attachment_name` (see intake.forms).
    return random_file_name(instance, filename)


class Department(models.Model):
    """承办部门: a unit an item can be assigned to. Its users (`members`) handle its items in the admin.

    A county's department serves that county: assigning an item to it takes the item into the county.
    """

    name = models.CharField("部门名称", max_length=100, unique=True)
    level = models.CharField(
        "属地",
        max_length=20,
        choices=Level.choices,
        default=Level.CITY,
        db_index=True,
        help_text="县（市、区）的部门只承办本属地的事项；交办给它的事项随之转入该属地。",
    )
    contact_email = models.EmailField(
        "联系邮箱", blank=True, help_text="交办、退回等通知发送到该邮箱和部门用户的邮箱；可不填。"
    )
    active = models.BooleanField("可交办", default=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="DepartmentMembership",
        related_name="intake_departments",
        blank=True,
        verbose_name="部门用户",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "承办部门"
        verbose_name_plural = "承办部门"

    def __str__(self):
        return self.name


class DepartmentMembership(models.Model):
    """A department user's department: one each, so that what they see is never in doubt."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="intake_department_membership",
        verbose_name="用户",
    )
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="memberships", verbose_name="承办部门"
    )

    class Meta:
        verbose_name = "部门用户"
        verbose_name_plural = "部门用户"

    def __str__(self):
        return f"{self.user.get_username()}（{self.department}）"


# An item exists for those who may see or handle it; anyone else gets a 404. Not staff.scoping's
# ANY_ACTION: the right to register new items ("add") alone shows none of the queue.
ITEM_ACTIONS = ("view", "change")


def deadline():
    """The date an item's current step is due by (acceptance, then completion); none once done.
    The queryset's `deadline` and the open items' index share it, so that the index serves the sort."""
    return Case(
        When(status=Status.NEW, then=F("acceptance_due")),
        When(status__in=IN_HAND_STATUSES, then=F("completion_due")),
        default=None,
        output_field=DateField(),
    )


class IntakeItemQuerySet(models.QuerySet):
    def with_deadline(self):
        """`deadline`: the date the current step is due by."""
        return self.annotate(deadline=deadline())

    def with_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.with_deadline().annotate(
            is_overdue=ExpressionWrapper(Q(deadline__lt=today), output_field=models.BooleanField())
        )

    def overdue(self, today=None):
        return self.with_deadline().filter(deadline__lt=today or timezone.localdate())

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class IntakeItem(models.Model):
    """One matter raised by an expert through any of the four channels (来信来访事项)."""

    tracking_number = models.CharField("查询号", max_length=20, unique=True, editable=False)
    query_code_hash = models.CharField(max_length=64, editable=False)
    channel = models.CharField("渠道", max_length=20, choices=Channel.choices, db_index=True)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices, db_index=True)
    level = models.CharField("属地", max_length=20, choices=Level.choices, default=Level.CITY, db_index=True)
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.NEW, editable=False, db_index=True
    )

    name = models.CharField("姓名", max_length=30, validators=[MinLengthValidator(2, "姓名至少2个字。")])
    unit = models.CharField("工作单位", max_length=100, blank=True)
    mobile = models.CharField("手机号码", max_length=11, blank=True, validators=[mobile_validator])
    email = models.EmailField("电子邮箱", max_length=100, blank=True)
    subject = models.CharField("主题", max_length=100, validators=[MinLengthValidator(4, "主题至少4个字。")])
    message = models.TextField("内容", max_length=3000, validators=[MinLengthValidator(10, "内容至少10个字。")])
    preferred_leader = models.ForeignKey(
        "liaison.Leader",
        verbose_name="希望约见的领导",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # What the expert wrote when they did not know which leader (其他／不确定), and the whole wish
    # on items received before the leaders were listed.
    preferred_leader_text = models.CharField(
        "其他／不确定时请说明",
        max_length=50,
        blank=True,
        help_text="不清楚是哪位领导时，写下姓名或职务，例如“市委分管人才工作的领导”。",
    )
    preferred_date_from = models.DateField("希望约见日期（起）", null=True, blank=True)
    preferred_date_to = models.DateField("希望约见日期（止）", null=True, blank=True)
    attachment = models.FileField(
        "附件", upload_to=attachment_path, storage=private_attachment_storage, max_length=200, blank=True
    )
    attachment_name = models.CharField("附件原文件名", max_length=100, blank=True, editable=False)
    consent_at = models.DateTimeField("同意个人信息使用时间", null=True, blank=True, editable=False)
    publish_consent = models.BooleanField(
        "同意匿名公开答复", default=False, help_text="来信人同意在隐去个人信息后，将问题和答复公开。"
    )
    expert = models.ForeignKey(
        "experts.Expert",
        verbose_name="相关专家",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="intake_items",
    )

    received_at = models.DateTimeField("登记时间", default=timezone.now, db_index=True, editable=False)
    acceptance_due = models.DateField("受理期限", editable=False)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True, editable=False)
    rejection_reason = models.TextField("不予受理理由", max_length=500, blank=True, editable=False)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_intake_items",
        editable=False,
    )
    department = models.ForeignKey(
        Department,
        verbose_name="承办部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
        editable=False,
    )
    assigned_at = models.DateTimeField("交办时间", null=True, blank=True, editable=False)
    completion_due = models.DateField("办结期限", null=True, blank=True, editable=False)
    started_at = models.DateTimeField("开始办理时间", null=True, blank=True, editable=False)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True, editable=False, db_index=True)
    reply = models.TextField("答复意见", max_length=5000, blank=True, editable=False)
    # The department's side: its proposed reply and request for more time wait for the office's decision.
    reply_state = models.CharField(
        "拟答复状态", max_length=20, choices=ReplyState.choices, blank=True, editable=False, db_index=True
    )
    proposed_reply = models.TextField("拟答复意见", max_length=5000, blank=True, editable=False)
    return_reason = models.TextField("退回理由", max_length=500, blank=True, editable=False)
    extension_due = models.DateField("申请延期至", null=True, blank=True, editable=False)
    extension_reason = models.TextField("延期理由", max_length=500, blank=True, editable=False)
    satisfaction = models.CharField(
        "满意度", max_length=20, choices=Satisfaction.choices, blank=True, editable=False, db_index=True
    )
    satisfaction_note = models.TextField("回访情况", max_length=500, blank=True, editable=False)
    followed_up_at = models.DateTimeField("回访时间", null=True, blank=True, editable=False)
    meeting_leader = models.ForeignKey(
        "liaison.Leader",
        verbose_name="约见领导",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    # A leader not on the list, and the meeting leader of items arranged before the list existed.
    meeting_leader_text = models.CharField("约见领导（名单外）", max_length=50, blank=True, editable=False)
    meeting_at = models.DateTimeField("约见时间", null=True, blank=True, editable=False)
    meeting_place = models.CharField("约见地点", max_length=100, blank=True, editable=False)
    supervised = models.BooleanField("督办", default=False, editable=False, db_index=True)
    supervision_comment = models.TextField("督办意见", max_length=500, blank=True, editable=False)
    reopen_count = models.PositiveSmallIntegerField("重新办理次数", default=0, editable=False)
    # Set when the submitter's personal data was cleared (intake.retention): past retention, or on request.
    personal_data_cleared_at = models.DateTimeField(
        "个人信息清除时间", null=True, blank=True, editable=False, db_index=True
    )

    objects = IntakeItemQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = "来信来访事项"
        verbose_name_plural = "来信来访事项"
        permissions = [
            ("supervise_intakeitem", "可督办来信来访事项"),
            ("handle_intakeitem", "可办理交办本部门的事项"),
        ]
        indexes = [
            models.Index(fields=["status", "acceptance_due", "completion_due"], name="intake_deadline_idx"),
            # The open items by deadline (the dashboard's and the reminders' first overdue ones).
            models.Index(deadline(), F("id"), name="intake_open_deadline_idx", condition=Q(status__in=OPEN_STATUSES)),
        ]

    def __str__(self):
        return f"{self.tracking_number} {self.subject}"

    def get_admin_url(self):
        return reverse("intake_item:inspect", args=[self.pk])

    @property
    def is_appointment(self):
        return self.kind == Kind.APPOINTMENT

    @property
    def preferred_leader_label(self):
        """The leader the expert asked for: the one chosen from the list, what they wrote, or both."""
        return "；".join(str(part) for part in (self.preferred_leader, self.preferred_leader_text) if part)

    @property
    def meeting_leader_label(self):
        return str(self.meeting_leader) if self.meeting_leader_id else self.meeting_leader_text

    @property
    def handler(self):
        """承办: the department and the assignee, as the queue and exports show them."""
        names = [
            str(self.department) if self.department_id else "",
            display_name(self.assignee) if self.assignee_id else "",
        ]
        return "、".join(filter(None, names))

    @property
    def received_local(self):
        return timezone.localtime(self.received_at).strftime("%Y-%m-%d %H:%M")

    @property
    def overdue_label(self):
        return "超期" if getattr(self, "is_overdue", False) else ""

    @property
    def supervised_label(self):
        return "督办" if self.supervised else ""

    @property
    def has_proposed_reply(self):
        return self.reply_state == ReplyState.PROPOSED

    @property
    def has_extension_request(self):
        return self.extension_due is not None

    @property
    def may_request_extension(self):
        return not (self.has_extension_request or self.has_proposed_reply)

    @property
    def may_propose_reply(self):
        return not self.has_proposed_reply

    @property
    def awaiting_office(self):
        """What the office must decide on: the department's proposed reply, its request for more time."""
        return [
            label
            for label, waiting in (
                ("拟答复待审核", self.has_proposed_reply),
                ("延期待审批", self.has_extension_request),
            )
            if waiting
        ]

    @property
    def has_official_reply(self):
        return bool(self.reply) and self.status in (Status.CLOSED, Status.FOLLOWED_UP)

    @property
    def contact_summary(self):
        """Phone and e-mail masked, for lists where the full values are not needed."""
        return " ".join(filter(None, [mask_mobile(self.mobile), mask_email(self.email)]))


def display_name(user):
    return user.get_full_name() or user.get_username()


def mask_mobile(mobile):
    return f"{mobile[:3]}****{mobile[-4:]}" if mobile else ""


def mask_email(email):
    if not email:
        return ""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


class IntakeLogEntry(RecordLogEntry):
    """Wagtail log entries of intake items, kept apart so that site history shows a county only its items."""

    item = models.ForeignKey(
        IntakeItem, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", verbose_name="事项"
    )

    record_field = "item"
    scope_actions = ITEM_ACTIONS

    class Meta(RecordLogEntry.Meta):
        verbose_name = "来信来访操作日志"
        verbose_name_plural = "来信来访操作日志"


class IntakeStep(models.Model):
    """One step of an item's handling, with its time and the user who took it.

    The public tracking page shows the steps marked `public`, with `public_note`;
    `note` is for staff only.
    """

    item = models.ForeignKey(IntakeItem, on_delete=models.CASCADE, related_name="steps", verbose_name="事项")
    action = models.CharField("环节", max_length=20, choices=StepAction.choices)
    status = models.CharField("办理后状态", max_length=20, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("时间", default=timezone.now)
    note = models.TextField("内部说明", max_length=5000, blank=True)
    public = models.BooleanField("在查询页显示", default=True)
    public_note = models.TextField("查询页说明", max_length=5000, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "办理环节"
        verbose_name_plural = "办理环节"

    def __str__(self):
        return f"{self.item.tracking_number} {self.get_action_display()}"


class ReplyTemplate(models.Model):
    """答复模板: reusable wording that an official reply can start from."""

    title = models.CharField("模板名称", max_length=100, unique=True)
    kind = models.CharField(
        "适用类别", max_length=20, choices=Kind.choices, blank=True, help_text="不选则适用于全部类别。"
    )
    body = models.TextField("模板内容", max_length=5000)
    active = models.BooleanField("启用", default=True)

    panels = [FieldPanel("title"), FieldPanel("kind"), FieldPanel("body"), FieldPanel("active")]

    class Meta:
        ordering = ["title"]
        verbose_name = "答复模板"
        verbose_name_plural = "答复模板"

    def __str__(self):
        return self.title


class PublicAnswer(DraftStateMixin, RevisionMixin, PreviewableMixin, models.Model):
    """公开答复: an answered item, anonymised and published with the submitter's consent after review."""

    item = models.OneToOneField(
        IntakeItem,
        verbose_name="来源事项",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="public_answer",
    )
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    question_title = models.CharField("问题标题", max_length=100)
    question = models.TextField("问题（已隐去个人信息）", max_length=3000)
    answer = models.TextField("答复", max_length=5000)
    answered_on = models.DateField("答复日期")
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="public_answer")

    panels = [
        FieldPanel("question_title"),
        FieldPanel("kind"),
        FieldPanel("question"),
        FieldPanel("answer"),
        FieldPanel("answered_on"),
    ]

    class Meta:
        ordering = ["-answered_on", "-pk"]
        verbose_name = "公开答复"
        verbose_name_plural = "公开答复"
        # Wagtail's own name for it would be English ("Can publish 公开答复").
        permissions = [("publish_publicanswer", "可发布公开答复")]

    def __str__(self):
        return self.question_title

    @property
    def revisions(self):
        return self._revisions

    def get_preview_template(self, request, mode_name):
        return "intake/public_answer_preview.html"


class TrackingSequence(models.Model):
    """The last tracking number given out on a day, incremented in the submitting transaction."""

    day = models.DateField(unique=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "查询号序列"

    def __str__(self):
        return f"{self.day:%Y%m%d}: {self.last_number}"


class RateLimitCounter(models.Model):
    """Requests one client made in one time window, shared by every app-server process."""

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "访问频率计数"

    def __str__(self):
        return f"{self.key}: {self.count}"
