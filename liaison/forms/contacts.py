"""The contact record form with its follow-up rows and materials, and the follow-up status form.

Choices offered are only those the user may use (liaison.services: leaders_to_record_for,
experts_to_contact); anything else posted by hand is refused next to its field, never stored.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms import inlineformset_factory
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from base.attachments import checked_attachment
from experts.models import Expert
from experts.widgets import ExpertsWidget, expert_label, plain_ids
from programme.forms import ExpertsField

from .. import services
from ..models import (
    MUST_VISIT_KINDS,
    SIX_ACTIVITIES,
    ContactAttachment,
    ContactKind,
    ContactMethod,
    ContactRecord,
    FollowUp,
    FollowUpStatus,
    Leader,
)

# The three groups the plan sorts contacts into (《工作方案》三(一)).
KIND_GROUPS = [
    ("三必访", [(kind.value, kind.label) for kind in MUST_VISIT_KINDS]),
    ("六活动", [(kind.value, kind.label) for kind in SIX_ACTIVITIES]),
    (
        "其他联系",
        [(kind.value, kind.label) for kind in ContactKind if kind not in MUST_VISIT_KINDS + SIX_ACTIVITIES],
    ),
]
# The expert chooser opens for this purpose on the record form (registered in liaison/wagtail_hooks.py).
EXPERT_PURPOSE = "contacts"
LEADER_REFUSED = "只能选择您可以登记联系记录的在任领导。"
EXPERT_REFUSED = "只能选择您负责范围内的在库专家。"
MAX_FILES_PER_SAVE = 10
ACCEPTED_FILES = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_FILES}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        clean_one = super().clean
        if isinstance(data, (list, tuple)):
            return [clean_one(item, initial) for item in data]
        return [clean_one(data, initial)] if data else []


class FollowUpRowForm(forms.ModelForm):
    """One problem an expert raised, to be followed up (帮助解决实际问题)."""

    class Meta:
        model = FollowUp
        fields = ["expert", "problem", "owner", "due_on", "leader_attention"]
        widgets = {
            "expert": forms.Select(attrs={"data-follow-up-expert": ""}),
            "problem": forms.Textarea(attrs={"rows": 2}),
            "due_on": AdminDateInput,
        }
        error_messages = {
            "expert": {"required": "请选择反映问题的专家。", "invalid_choice": "请从本次联系的专家中选择。"},
            "problem": {"required": "请填写反映的问题。"},
            "owner": {"required": "请填写责任单位或责任人。"},
            "due_on": {"required": "请填写办结时限。", "invalid": "请按“年-月-日”填写办结时限。"},
        }

    def __init__(self, *args, expert_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Only the record's experts are offered; the check that the choice is one of them is the record form's.
        self.fields["expert"].widget.choices = [("", "请选择专家"), *expert_choices]


FollowUpFormSet = inlineformset_factory(
    ContactRecord,
    FollowUp,
    form=FollowUpRowForm,
    extra=0,
    can_delete=False,
    max_num=50,
    validate_max=True,
)


class ContactRecordForm(WagtailAdminModelForm):
    """A contact record with its follow-up rows (`follow_ups`) and materials: valid only as a whole."""

    attachments = MultipleFileField(
        label="上传材料",
        required=False,
        help_text=f"例如座谈会纪要、照片。可一次选择多个文件（最多{MAX_FILES_PER_SAVE}个），PDF、JPEG或PNG格式，每个不超过5MB。",
    )
    remove_attachments = forms.ModelMultipleChoiceField(
        label="删除已上传的材料",
        queryset=ContactAttachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Media:
        js = ["liaison/contacts.js"]

    class Meta:
        model = ContactRecord
        fields = ["date", "kind", "method", "leaders", "experts", "staff_present", "summary"]
        widgets = {
            "date": AdminDateInput,
            "method": forms.RadioSelect,
            "leaders": forms.CheckboxSelectMultiple,
            "experts": ExpertsWidget(purpose=EXPERT_PURPOSE),
            "summary": forms.Textarea(attrs={"rows": 5}),
        }
        field_classes = {"experts": ExpertsField}  # ids no expert can have are refused before any query
        help_texts = {
            "kind": "三必访、六活动或其他联系。座谈会等集体活动只登记一条，参加的每位专家都会计入。",
            "leaders": "只列出您可以为其登记联系记录的在任领导。",
            "experts": "点击“添加专家”可一次选择多位专家；取消勾选即从本条记录中移除。",
        }
        error_messages = {
            "date": {"required": "请填写联系日期。", "invalid": "请按“年-月-日”填写联系日期。"},
            "kind": {"required": "请选择联系事由。"},
            "method": {"required": "请选择联系方式。"},
            "leaders": {
                "required": "请至少选择一位参加的领导。",
                "invalid_choice": LEADER_REFUSED,
                "invalid_pk_value": LEADER_REFUSED,
            },
            "experts": {
                "required": "请至少选择一位专家。",
                "invalid_choice": EXPERT_REFUSED,
                "invalid_pk_value": EXPERT_REFUSED,
            },
            "summary": {"required": "请填写联系情况。"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user, record = self.for_user, self.instance
        on_record = Q(contacts=record) if record.pk else Q(pk__in=[])
        # What the user may choose, and what the record already holds (kept when it is edited).
        self.allowed_leaders = Leader.objects.filter(
            Q(pk__in=services.leaders_to_record_for(user).values("pk")) | on_record
        ).distinct()
        self.allowed_experts = Expert.objects.filter(
            Q(pk__in=services.experts_to_contact(user).values("pk")) | on_record
        ).distinct()
        self.fields["kind"].choices = [("", "请选择"), *KIND_GROUPS]
        self.fields["method"].choices = ContactMethod.choices  # radio buttons need no blank one
        self.fields["leaders"].widget.choices = self._leader_choices()
        self.fields["experts"].widget.experts = self.allowed_experts
        if record.pk and record.attachments.exists():
            self.fields["remove_attachments"].queryset = record.attachments.all()
        else:
            del self.fields["remove_attachments"]
        choices = [(expert.pk, expert_label(expert)) for expert in self._experts_shown()]
        self.follow_ups = FollowUpFormSet(
            self.data if self.is_bound else None,
            instance=record,
            prefix="follow_ups",
            form_kwargs={"expert_choices": choices},
        )

    def _leader_choices(self):
        groups = {}
        for leader in self.allowed_leaders:
            groups.setdefault(leader.body_name, []).append((leader.pk, f"{leader.name}（{leader.post}）"))
        if len(groups) == 1:
            return next(iter(groups.values()))
        return list(groups.items())

    def _experts_shown(self):
        """The experts on the form now (posted, or the record's), as far as the user may see them."""
        if self.is_bound:
            ids = plain_ids(self.data.getlist(self.add_prefix("experts")))
        elif self.instance.pk:
            ids = self.instance.experts.values("pk")
        else:
            return Expert.objects.none()
        return self.allowed_experts.filter(pk__in=ids).select_related("unit").order_by("name", "pk")

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise ValidationError("联系日期不能晚于今天。")
        return date

    def clean_leaders(self):
        leaders = self.cleaned_data["leaders"]
        allowed = set(self.allowed_leaders.filter(pk__in=leaders).values_list("pk", flat=True))
        if any(leader.pk not in allowed for leader in leaders):
            raise ValidationError(LEADER_REFUSED)
        return leaders

    def clean_experts(self):
        experts = self.cleaned_data["experts"]
        allowed = set(self.allowed_experts.filter(pk__in=experts).values_list("pk", flat=True))
        if any(expert.pk not in allowed for expert in experts):
            raise ValidationError(EXPERT_REFUSED)
        return experts

    def clean_attachments(self):
        uploads = self.cleaned_data["attachments"]
        if len(uploads) > MAX_FILES_PER_SAVE:
            raise ValidationError(f"一次最多上传{MAX_FILES_PER_SAVE}个文件。")
        checked, errors = [], []
        for upload in uploads:
            name = upload.name
            try:
                checked.append(checked_attachment(upload))
            except ValidationError as error:
                errors.extend(f"{name}：{message}" for message in error.messages)
        if errors:
            raise ValidationError(errors)
        return checked

    def clean(self):
        cleaned_data = super().clean()
        if not self._rows_are_valid(cleaned_data):
            self.add_error(None, "请修改下方“反映的问题”中标出的错误。")
        return cleaned_data

    def _rows_are_valid(self, cleaned_data):
        valid = self.follow_ups.is_valid()
        experts = {expert.pk for expert in cleaned_data.get("experts") or []}
        date = cleaned_data.get("date")
        for row in self.follow_ups.forms:
            expert, due_on = row.cleaned_data.get("expert"), row.cleaned_data.get("due_on")
            if expert and "experts" in cleaned_data and expert.pk not in experts:
                row.add_error("expert", "该专家不在本次联系的专家中：请先在上方添加该专家，或改选其他专家。")
                valid = False
            if due_on and date and due_on < date:
                row.add_error("due_on", "办结时限不能早于联系日期。")
                valid = False
        return valid

    def save(self, commit=True):
        if self.instance.pk is None:
            # The record's level is the recording office's, never typed.
            self.instance.level = services.recording_level(self.for_user, self.cleaned_data["leaders"])
            self.instance.recorded_by = self.for_user
        return super().save(commit=commit)


class FollowUpStatusForm(forms.Form):
    """A follow-up's status and outcome; the rules are services.check_follow_up_status's."""

    status = forms.ChoiceField(
        label="办理状态",
        choices=FollowUpStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择办理状态。"},
    )
    outcome = forms.CharField(
        label="办理结果",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="标记为已解决时写明如何解决；标记为无法解决时写明原因；办理中可写进展。",
    )

    def __init__(self, *args, follow_up, **kwargs):
        kwargs.setdefault("initial", {"status": follow_up.status, "outcome": follow_up.outcome})
        super().__init__(*args, **kwargs)
        self.follow_up = follow_up

    def clean(self):
        cleaned_data = super().clean()
        if "status" in cleaned_data:
            try:
                services.check_follow_up_status(self.follow_up, cleaned_data["status"], cleaned_data.get("outcome", ""))
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned_data
