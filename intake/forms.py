from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput

from base.attachments import checked_attachment
from base.forms import GroupedModelChoiceField
from experts.models import Expert
from experts.widgets import ExpertChooser
from liaison.models import Leader
from staff.levels import Level
from staff.roles import DEPARTMENT_USERS, STAFF_GROUPS
from staff.scoping import ALL_LEVELS, level_scope, restrict_to_scope, visible_rows

from .models import (
    STAFF_ENTERED_CHANNELS,
    Channel,
    Department,
    DepartmentMembership,
    IntakeItem,
    Kind,
    ReplyTemplate,
    Satisfaction,
)
from .models.records import display_name

ITEM_FIELDS = [
    "kind",
    "name",
    "unit",
    "mobile",
    "email",
    "subject",
    "message",
    "preferred_leader",
    "preferred_leader_text",
    "preferred_date_from",
    "preferred_date_to",
    "attachment",
    "publish_consent",
]
APPOINTMENT_FIELDS = ["preferred_leader", "preferred_leader_text", "preferred_date_from", "preferred_date_to"]
REQUIRED_MESSAGES = {
    "kind": "请选择事项类别。",
    "name": "请填写姓名。",
    "subject": "请填写主题。",
    "message": "请填写反映的内容。",
}


# The choice for a leader the expert (or staff) cannot name from the list; the text field says who.
OTHER_LEADER = "other"


class LeaderChoiceField(GroupedModelChoiceField):
    """Leaders by body (市委, 兴宾区政府 …) as "name（post）", then 其他／不确定."""

    def __init__(self, queryset=None, **kwargs):
        kwargs.setdefault("empty_label", "请选择")
        super().__init__(
            Leader.objects.none() if queryset is None else queryset,
            group_by=lambda leader: leader.body_name,
            trailing_choices=[(OTHER_LEADER, "其他／不确定（请在下一栏说明）")],
            **kwargs,
        )
        self.error_messages["invalid_choice"] = "所选领导不在名单中，请重新选择，或选“其他／不确定”并说明。"


def leader_choices(leaders, current_id=None):
    """The active ones among `leaders`, and the one already chosen (`current_id`) even if they left or
    another level handles the item now: the expert's choice stays unless staff change it."""
    chosen = leaders.filter(active=True)
    if current_id:
        chosen = chosen | Leader.objects.filter(pk=current_id)
    return chosen.in_plan_order()


def clean_leader_choice(form, cleaned_data, field, text_field, *, required_message, text_message):
    """A leader from the list, or 其他／不确定 with words; words alone stand for 其他／不确定."""
    choice, text = cleaned_data.get(field), cleaned_data.get(text_field)
    if choice == OTHER_LEADER:
        cleaned_data[field] = None
        if not text and text_field not in form.errors:
            form.add_error(text_field, text_message)
    elif choice is None and not text and field not in form.errors:
        form.add_error(field, required_message)


class ItemFieldsMixin:
    """Rules every intake item obeys, whether the expert or a staff member fills the form."""

    attachment_name = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        item = self.instance
        if item.pk and item.preferred_leader_id is None and item.preferred_leader_text:
            # An item received before the list, or 其他／不确定: the words stay, under 其他／不确定.
            self.initial["preferred_leader"] = OTHER_LEADER

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            upload, self.attachment_name = checked_attachment(upload)
        return upload

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("kind") == Kind.APPOINTMENT:
            clean_leader_choice(
                self,
                cleaned_data,
                "preferred_leader",
                "preferred_leader_text",
                required_message="请选择希望约见的领导；不清楚是哪位领导时，请选“其他／不确定”并在下一栏说明。",
                text_message="请说明希望约见的领导，例如“市委分管人才工作的领导”。",
            )
            start, end = cleaned_data.get("preferred_date_from"), cleaned_data.get("preferred_date_to")
            if not start and "preferred_date_from" not in self.errors:
                self.add_error("preferred_date_from", "预约约见请填写希望约见的日期。")
            if start and end and end < start:
                self.add_error("preferred_date_to", "结束日期不能早于开始日期。")
        else:
            # Appointment details belong only to appointment requests; what was typed in their
            # fields (hidden for other kinds) is neither kept nor held against the form.
            for field in APPOINTMENT_FIELDS:
                self.errors.pop(field, None)
            cleaned_data.update(
                preferred_leader=None, preferred_leader_text="", preferred_date_from=None, preferred_date_to=None
            )
        return cleaned_data

    def save(self, commit=True):
        if self.attachment_name:
            self.instance.attachment_name = self.attachment_name
        return super().save(commit=commit)


class ContactForm(ItemFieldsMixin, forms.ModelForm):
    """The public contact form on /contact/."""

    kind = forms.ChoiceField(
        label="事项类别",
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": REQUIRED_MESSAGES["kind"]},
    )
    consent = forms.BooleanField(
        label="我已阅读并同意《个人信息保护说明》，同意本平台为办理本事项使用我填写的个人信息。",
        error_messages={"required": "请阅读并勾选同意个人信息保护说明后再提交。"},
    )
    # A field people never see: a bot that fills every input gives itself away.
    website = forms.CharField(label="网址（请留空）", required=False, max_length=200)

    class Meta:
        model = IntakeItem
        fields = ITEM_FIELDS
        field_classes = {"preferred_leader": LeaderChoiceField}
        error_messages = {field: {"required": message} for field, message in REQUIRED_MESSAGES.items()}
        labels = {"publish_consent": "同意在隐去姓名、单位和联系方式后，将我的问题和答复作为公开答复发布。"}
        help_texts = {
            "preferred_leader": "名单按班子排列，显示领导的姓名和职务。",
            "mobile": "手机号码和电子邮箱至少填写一项，以便我们答复您。",
            "email": "填写后，查询号、查询码和办结通知将发送到此邮箱。",
            "attachment": "可选。PDF、JPEG或PNG格式，不超过5MB。",
            "publish_consent": "",
        }
        widgets = {
            "mobile": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "unit": forms.TextInput(attrs={"autocomplete": "organization"}),
            "message": forms.Textarea(attrs={"rows": 8}),
            "preferred_date_from": forms.DateInput(attrs={"type": "date"}),
            "preferred_date_to": forms.DateInput(attrs={"type": "date"}),
            "attachment": forms.ClearableFileInput(
                attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
            ),
        }

    def __init__(self, *args, service=None, **kwargs):
        """`service`: the service guide the expert came from; its title starts the subject."""
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update(tabindex="-1", autocomplete="off")
        self.fields["preferred_leader"].queryset = leader_choices(Leader.objects.all())
        self.service = service
        if service is not None:
            subject_length = IntakeItem._meta.get_field("subject").max_length
            self.initial.setdefault("subject", f"咨询：{service.title}"[:subject_length])

    def clean(self):
        if self.cleaned_data.get("website"):
            raise ValidationError("提交未通过安全校验，请刷新页面后重新填写。")
        cleaned_data = super().clean()
        if not cleaned_data.get("mobile") and not cleaned_data.get("email") and not self.has_error("mobile"):
            self.add_error("mobile", "手机号码和电子邮箱请至少填写一项，以便我们答复您。")
        today = timezone.localdate()
        start, end = cleaned_data.get("preferred_date_from"), cleaned_data.get("preferred_date_to")
        if start and start < today:
            self.add_error("preferred_date_from", "希望约见日期不能早于今天。")
        for field, day in (("preferred_date_from", start), ("preferred_date_to", end)):
            if day and day > today + timedelta(days=183) and not self.has_error(field):
                self.add_error(field, "请选择半年以内的日期。")
        return cleaned_data


# The expert chooser opens for this purpose on the item forms (registered in wagtail_hooks.py).
EXPERT_PURPOSE = "intake"


def experts_in_scope(user):
    """The experts an item of the user's levels may concern, removed ones (已调出) too."""
    return restrict_to_scope(Expert.objects.all(), user)


# What the expert wrote online stays as they sent it; staff correct only how it is filed.
SUBMITTED_ONLINE_FIELDS = ["name", "unit", "mobile", "email", "subject", "message", "attachment", "publish_consent"]


class StaffEntryForm(ItemFieldsMixin, WagtailAdminModelForm):
    """What staff enter for the hotline, the mailbox, letters and visits; also the edit form."""

    class Meta:
        model = IntakeItem
        fields = ["channel", "level", *ITEM_FIELDS, "expert"]
        field_classes = {"preferred_leader": LeaderChoiceField}
        widgets = {
            "preferred_date_from": AdminDateInput,
            "preferred_date_to": AdminDateInput,
            "expert": ExpertChooser(EXPERT_PURPOSE),
        }
        error_messages = {"expert": {"invalid_choice": "只能选择您负责属地的专家。"}}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if self.instance.pk:
            self.fields["channel"].disabled = True
            if self.instance.channel == Channel.WEB:
                for name in SUBMITTED_ONLINE_FIELDS:
                    self.fields[name].disabled = True
        else:
            self.fields["channel"].choices = [(c.value, c.label) for c in STAFF_ENTERED_CHANNELS]
        experts = experts_in_scope(for_user)
        self.fields["expert"].queryset = self.fields["expert"].widget.experts = experts
        leaders = visible_rows(for_user, Leader) if for_user else Leader.objects.all()
        self.fields["preferred_leader"].queryset = leader_choices(leaders, self.instance.preferred_leader_id)
        scope = level_scope(for_user) if for_user else ALL_LEVELS
        if scope is not ALL_LEVELS:
            self.fields["level"].choices = [(value, label) for value, label in Level.choices if value == scope]
            self.fields["level"].initial = scope


class NoteForm(forms.Form):
    """Steps that need nothing but an optional note."""

    note = forms.CharField(label="说明", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, item, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.item, self.user = item, user


class RejectForm(NoteForm):
    reason = forms.CharField(
        label="不予受理理由",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="理由会在查询页上告知来信人。",
        error_messages={"required": "请填写不予受理的理由。"},
    )
    field_order = ["reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["note"]


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        level = getattr(getattr(user, "staff_profile", None), "get_level_display", lambda: "")()
        return f"{display_name(user)}（{level}）" if level else display_name(user)


def assignable_staff(user):
    """Active staff of the talent offices within `user`'s levels."""
    staff = (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=STAFF_GROUPS, staff_profile__isnull=False)
        .select_related("staff_profile")
        .distinct()
        .order_by("staff_profile__level", "last_name", "first_name", "username")
    )
    return restrict_to_scope(staff, user, "staff_profile__level")


class AssignForm(NoteForm):
    assignee = StaffChoiceField(label="承办人", queryset=get_user_model().objects.none(), required=False)
    department = forms.ModelChoiceField(label="承办部门", queryset=Department.objects.none(), required=False)
    due_date = forms.DateField(label="办结期限", widget=AdminDateInput, error_messages={"required": "请填写办结期限。"})
    field_order = ["assignee", "department", "due_date", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignable_staff(self.user)
        self.fields["assignee"].help_text = "交办给县（市、区）工作人员时，事项随之转入该属地办理。"
        # The departments of the office's own level; the city office's, every level's.
        self.fields["department"].queryset = restrict_to_scope(Department.objects.filter(active=True), self.user)
        self.fields[
            "department"
        ].help_text = "交办给县（市、区）的部门时，事项随之转入该属地，由该部门在工作台接收办理。"
        self.fields["department"].error_messages["invalid_choice"] = "所选承办部门不可交办或不在您的属地，请重新选择。"
        self.fields["due_date"].initial = self.item.completion_due
        self.fields["due_date"].help_text = "默认按受理之日起的工作日期限计算（已扣除法定节假日和调休）。"
        self.fields["note"].label = "交办意见"

    def clean_due_date(self):
        due_date = self.cleaned_data["due_date"]
        if due_date < timezone.localdate():
            raise ValidationError("办结期限不能早于今天。")
        return due_date

    def clean(self):
        cleaned_data = super().clean()
        assignee, department = cleaned_data.get("assignee"), cleaned_data.get("department")
        if not assignee and not department and "department" not in self.errors:
            self.add_error("assignee", "请选择承办人或承办部门（至少一项）。")
        if assignee and department and assignee.staff_profile.level != department.level:
            self.add_error("department", "承办人和承办部门不属于同一属地，请重新选择。")
        return cleaned_data


class ArrangeForm(NoteForm):
    leader = LeaderChoiceField(label="约见领导", required=False)
    leader_text = forms.CharField(
        label="名单外的领导",
        max_length=50,
        required=False,
        help_text="约见的领导不在名单中时，选“其他／不确定”并在此填写姓名和职务。",
    )
    meeting_at = forms.DateTimeField(
        label="约见时间", widget=AdminDateTimeInput, error_messages={"required": "请填写约见时间。"}
    )
    place = forms.CharField(label="约见地点", max_length=100, error_messages={"required": "请填写约见地点。"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["note"]
        item = self.item
        # The talent office's own leaders, and the one already arranged or asked for.
        current = item.meeting_leader_id or item.preferred_leader_id
        self.fields["leader"].queryset = leader_choices(visible_rows(self.user, Leader), current)
        if current:
            self.fields["leader"].initial = current
        elif item.meeting_leader_text or item.preferred_leader_text:
            self.fields["leader"].initial = OTHER_LEADER
            self.fields["leader_text"].initial = item.meeting_leader_text or item.preferred_leader_text
        self.fields["meeting_at"].initial = item.meeting_at
        self.fields["place"].initial = item.meeting_place

    def clean(self):
        cleaned_data = super().clean()
        clean_leader_choice(
            self,
            cleaned_data,
            "leader",
            "leader_text",
            required_message="请选择约见的领导；不在名单中时请选“其他／不确定”并填写。",
            text_message="请填写约见的领导。",
        )
        if cleaned_data.get("leader"):
            cleaned_data["leader_text"] = ""  # one leader meets the expert
        return cleaned_data


class ReplyTemplateSelect(forms.Select):
    """Each option carries its template's text, which the admin script copies into the reply."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        template = getattr(value, "instance", None)
        if template is not None:
            option["attrs"]["data-body"] = template.body
        return option


class CloseForm(NoteForm):
    template = forms.ModelChoiceField(
        label="从答复模板开始",
        queryset=ReplyTemplate.objects.none(),
        required=False,
        widget=ReplyTemplateSelect(attrs={"data-reply-template": ""}),
        help_text="选择后模板内容会填入下方答复意见，请按实际情况修改。",
    )
    reply = forms.CharField(
        label="答复意见",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "data-reply-body": ""}),
        help_text="正式答复，来信人可在查询页查看。",
    )
    field_order = ["template", "reply"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["note"]
        self.fields["template"].queryset = ReplyTemplate.objects.filter(active=True).filter(
            kind__in=["", self.item.kind]
        )

    def clean(self):
        cleaned_data = super().clean()
        template = cleaned_data.get("template")
        if not cleaned_data.get("reply") and "reply" not in self.errors:
            if template:
                # Without the script: put the template's text in the box, to be edited before sending.
                self.data = self.data.copy()
                self.data["reply"] = template.body
                self.add_error("reply", "已填入模板内容，请根据实际情况修改后再提交。")
            else:
                self.add_error("reply", "办结必须填写答复意见。")
        return cleaned_data


class FollowUpForm(NoteForm):
    satisfaction = forms.ChoiceField(
        label="满意度",
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择来信人的满意度。"},
    )
    field_order = ["satisfaction", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].label = "回访情况"


class ReopenForm(NoteForm):
    reason = forms.CharField(
        label="重新办理原因",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写重新办理的原因。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["note"]


class SuperviseForm(NoteForm):
    comment = forms.CharField(
        label="督办意见",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写督办意见。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["note"]
        self.fields["comment"].initial = self.item.supervision_comment


# The department's steps (承办部门) and the office's decisions on them --------------------------------


class ExtensionRequestForm(NoteForm):
    due_date = forms.DateField(
        label="申请延期至", widget=AdminDateInput, error_messages={"required": "请填写申请延长到的日期。"}
    )
    reason = forms.CharField(
        label="延期理由",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="由人才办审批；批准后办结期限随之调整。",
        error_messages={"required": "请填写延期理由。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["note"]
        if self.item.completion_due:
            self.fields[
                "due_date"
            ].help_text = f"当前办结期限为{self.item.completion_due:%Y-%m-%d}，新期限须晚于此日期。"

    def clean_due_date(self):
        due_date = self.cleaned_data["due_date"]
        if due_date <= timezone.localdate():
            raise ValidationError("申请的办结期限须晚于今天。")
        if self.item.completion_due and due_date <= self.item.completion_due:
            raise ValidationError(f"申请的办结期限须晚于当前期限（{self.item.completion_due:%Y-%m-%d}）。")
        return due_date


class ReplyTextForm(NoteForm):
    """A reply's text, starting from the department's proposal."""

    reply = forms.CharField(
        label="拟答复意见",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"required": "请填写拟答复意见。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["note"]
        self.fields["reply"].initial = self.item.proposed_reply


class ProposeReplyForm(ReplyTextForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply"].help_text = "提交后由人才办审核，审核通过后作为正式答复告知来信人；审核前来信人看不到。"


class ApproveReplyForm(ReplyTextForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply"].label = "答复意见"
        self.fields["reply"].error_messages["required"] = "答复意见不能为空。"
        self.fields[
            "reply"
        ].help_text = f"{self.item.department}提交的拟答复意见。可直接通过，也可修改后通过；通过后事项办结，来信人可在查询页看到此答复。"


class ReturnReplyForm(NoteForm):
    reason = forms.CharField(
        label="退回理由",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="承办部门将看到此理由，修改后重新提交。",
        error_messages={"required": "请填写退回理由。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["note"]


APPROVE, DECLINE = "approve", "decline"


class ExtensionDecisionForm(NoteForm):
    decision = forms.ChoiceField(
        label="审批结果",
        choices=[(APPROVE, "批准延期"), (DECLINE, "不批准")],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择审批结果。"},
    )
    field_order = ["decision", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        item = self.item
        self.fields["decision"].help_text = (
            f"{item.department}申请将办结期限由{item.completion_due:%Y-%m-%d}延至{item.extension_due:%Y-%m-%d}。"
            f"理由：{item.extension_reason}"
        )
        self.fields["note"].label = "审批意见"
        self.fields["note"].help_text = "承办部门将看到此意见；不批准时必须填写。"

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("decision") == DECLINE and not cleaned_data.get("note") and "note" not in self.errors:
            self.add_error("note", "不批准延期时请填写理由。")
        return cleaned_data


class DepartmentForm(WagtailAdminModelForm):
    """A department, its level and its users: active accounts of the 承办部门 group not linked to another department."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        taken = DepartmentMembership.objects.exclude(department_id=self.instance.pk).values("user")
        free = Q(is_active=True, groups__name=DEPARTMENT_USERS) & ~Q(pk__in=taken)
        if self.instance.pk:
            free |= Q(pk__in=self.instance.members.values("pk"))
        field = self.fields["members"]
        field.widget = forms.CheckboxSelectMultiple()
        field.queryset = get_user_model().objects.filter(free).distinct().order_by("username")
        field.label_from_instance = lambda user: f"{display_name(user)}（{user.get_username()}）"
        field.help_text = f"只能选择“{DEPARTMENT_USERS}”组中尚未加入其他部门的在用账号；账号由系统管理员创建。"
        field.error_messages["invalid_choice"] = f"只能选择“{DEPARTMENT_USERS}”组中尚未加入其他部门的在用账号。"

    def clean_level(self):
        level = self.cleaned_data["level"]
        department = self.instance
        if department.pk and level != department.level and department.items.open().exists():
            raise ValidationError("该部门尚有未办结的事项，不能更改属地。")
        return level


class TrackingForm(forms.Form):
    tracking_number = forms.CharField(
        label="查询号",
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "例如 LB20261125-0001", "autocomplete": "off"}),
        error_messages={"required": "请填写查询号。"},
    )
    query_code = forms.CharField(
        label="查询码",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": "请填写查询码。"},
    )


class RatingForm(TrackingForm):
    """The expert's own rating on the tracking page; the number and code come again, as hidden fields."""

    satisfaction = forms.ChoiceField(
        label="您对办理结果的评价",
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择您的评价。", "invalid_choice": "请从“满意”“基本满意”“不满意”中选择。"},
    )
    comment = forms.CharField(
        label="意见（选填）",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="选择“不满意”时，请写下原因，事项将退回重新办理。",
        error_messages={"max_length": "意见最多500字（现有%(show_value)d字）。"},
    )

    def __init__(self, *args, **kwargs):
        # Its own ids: the tracking form on the same page has fields of the same names.
        super().__init__(*args, auto_id="rating_%s", **kwargs)
        for name in ("tracking_number", "query_code"):
            self.fields[name].widget = forms.HiddenInput()
