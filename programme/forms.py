"""The two forms the programme's records share: an activity with its experts, a record about one
expert. A chapter's form subclasses one, naming its fields in Meta and adding its own checks.

Choices offered, in the expert chooser, are only the experts in the database the user may see
(experts.choosers.experts_in_database) and, on edit, those the record already holds; anything else posted by hand is refused next to the field.
The record's level is the recording office's (its user's), never typed.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from wagtail.admin.forms import WagtailAdminModelForm

from experts.choosers import experts_in_database
from experts.models import Expert
from experts.widgets import ExpertChooser, ExpertsWidget, plain_ids
from liaison.scoping import office_level
from staff.levels import Level
from staff.scoping import ALL_LEVELS

from .models import AttendanceStatus

EXPERT_REFUSED = "只能选择您负责范围内的在库专家。"
MAX_EXPERTS = 500


def recording_level(user):
    level = office_level(user)
    return Level.CITY if level is ALL_LEVELS or not level else level


def choose_one_expert(form, name, current_pk, required_message="请选择专家。"):
    """Replaces the form's field `name` (a foreign key to an expert) by one that offers, in the
    expert chooser, the experts in the database the form's user may see and the one it holds
    (`current_pk`); any other value is refused before any query and never shown by name."""
    current = Q(pk=current_pk) if current_pk else Q(pk__in=[])
    allowed = Expert.objects.filter(Q(pk__in=experts_in_database(form.for_user).values("pk")) | current)
    model_field = form.fields[name]
    field = ExpertChoiceField(
        queryset=allowed,
        required=model_field.required,
        label=model_field.label,
        help_text=model_field.help_text,
        widget=ExpertChooser(),
        error_messages={"required": required_message, "invalid_choice": EXPERT_REFUSED},
    )
    field.widget.experts = allowed
    form.fields[name] = field


class ProgrammeRecordForm(WagtailAdminModelForm):
    """Dates in order (`date` before `end_date`, where the model has one), amounts not negative."""

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("date"), cleaned_data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "结束日期不能早于开始日期。")
        return cleaned_data

    def save(self, commit=True):
        if self.instance.pk is None:
            self.instance.level = recording_level(self.for_user)
            self.instance.recorded_by = self.for_user
        return super().save(commit=commit)


class ExpertChoiceField(forms.ModelChoiceField):
    """One expert: a value no expert's id can be is refused before any query."""

    def to_python(self, value):
        if value not in self.empty_values and not plain_ids([value]):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ExpertsField(forms.ModelMultipleChoiceField):
    """Several experts, at most MAX_EXPERTS; values no expert's id can be are refused before any query."""

    def _check_values(self, value):
        if len(value) > MAX_EXPERTS:
            raise ValidationError(f"一次最多选择{MAX_EXPERTS}位专家。", code="too_many")
        for pk in value:
            if not plain_ids([pk]):
                raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value")
        return super()._check_values(value)


class ExpertRecordForm(ProgrammeRecordForm):
    """A record about one expert, chosen in the expert chooser."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choose_one_expert(self, "expert", self.instance.expert_id)


class ActivityForm(ProgrammeRecordForm):
    """An activity and its experts (`experts`): new experts join with `new_status` (an invitation
    for a checkup round, attendance for a lecture); the statuses of those already in stay as they are."""

    new_status = AttendanceStatus.ATTENDED
    experts_label = "参加专家"
    experts_help = "点击“添加专家”可一次选择多位专家；取消勾选即移除。"

    experts = ExpertsField(
        queryset=Expert.objects.none(),
        widget=ExpertsWidget(),
        error_messages={
            "required": "请至少选择一位专家。",
            "invalid_choice": EXPERT_REFUSED,
            "invalid_pk_value": EXPERT_REFUSED,
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        record = self.instance
        current = Q(pk__in=record.attendances.values("expert_id")) if record.pk else Q(pk__in=[])
        allowed = Expert.objects.filter(Q(pk__in=experts_in_database(self.for_user).values("pk")) | current)
        field = self.fields["experts"]
        field.queryset = allowed
        field.widget.experts = allowed
        field.label, field.help_text = self.experts_label, self.experts_help
        if record.pk and not self.is_bound:
            self.initial["experts"] = list(record.attendances.values_list("expert_id", flat=True))

    def save(self, commit=True):
        record = super().save(commit=commit)
        if commit:
            self.save_experts()
        return record

    def save_experts(self):
        chosen = {expert.pk for expert in self.cleaned_data["experts"]}
        attendances = self.instance.attendances
        attendances.exclude(expert_id__in=chosen).delete()
        present = set(attendances.values_list("expert_id", flat=True))
        attendances.model.objects.bulk_create(
            attendances.model(activity=self.instance, expert_id=pk, status=self.new_status)
            for pk in sorted(chosen - present)
        )
