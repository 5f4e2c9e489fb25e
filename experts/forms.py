"""Forms of the expert database; every rule on an expert record is checked here once,
for the admin form and the spreadsheet import alike."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from staff.levels import Level
from staff.roles import UNIT_LIAISONS
from staff.scoping import ALL_LEVELS, level_scope, restrict_to_scope

from .models import Expert, RemovalReason, TalentCategory, Unit
from .services import check_status_change, duplicate_message, find_duplicate

EXPERT_FORM_FIELDS = [
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "political_status",
    "education",
    "degree",
    "professional_title",
    "title_level",
    "position",
    "specialty",
    "level",
    "unit",
    "mobile",
    "email",
    "talent_team",
    "categories",
    "joined_on",
    "notes",
    "public_profile_consent",
    "public_profile_consent_on",
    "public_shows_unit",
    "public_shows_title",
]


def levels_for(user):
    """The level choices a user may give a record: all for city staff, their own county otherwise."""
    scope = level_scope(user)
    if scope is ALL_LEVELS:
        return list(Level.choices)
    return [(value, label) for value, label in Level.choices if value == scope]


class LevelScopedFormMixin:
    """Level choices and the level check follow the user's scope (staff.scoping); a form whose
    levels follow another rule overrides `levels_offered` and `level_refused`."""

    level_refused = "您只能录入本属地的记录。"

    def levels_offered(self):
        return levels_for(self.for_user)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the widget is narrowed: another level still validates as a choice, so that
        # clean_level can say why it is refused instead of "not a valid choice".
        self.fields["level"].widget.choices = [("", "---------"), *self.levels_offered()]

    def clean_level(self):
        level = self.cleaned_data["level"]
        if level not in dict(self.levels_offered()):
            raise ValidationError(self.level_refused)
        return level


class ExpertForm(LevelScopedFormMixin, WagtailAdminModelForm):
    class Meta:
        model = Expert
        fields = EXPERT_FORM_FIELDS
        widgets = {
            "categories": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = restrict_to_scope(Unit.objects.all(), self.for_user)
        self.fields["categories"].queryset = TalentCategory.objects.all()
        self.fields["mobile"].widget.attrs.update(inputmode="numeric", autocomplete="off")
        if self.instance.pk:
            # The entry date is the date of the entry in the status history; it is fixed once made.
            self.fields["joined_on"].disabled = True
            self.fields["joined_on"].help_text = "入库日期在录入时确定，与入库调出记录一致，不能修改。"

    def clean_birth_date(self):
        birth_date = self.cleaned_data["birth_date"]
        if birth_date and birth_date > timezone.localdate():
            raise ValidationError("出生日期不能晚于今天。")
        if birth_date and birth_date < datetime.date(1900, 1, 1):
            raise ValidationError("出生日期不能早于1900年。")
        return birth_date

    def clean_joined_on(self):
        joined_on = self.cleaned_data["joined_on"]
        if joined_on and not self.instance.pk and joined_on > timezone.localdate():
            raise ValidationError("入库日期不能晚于今天。")
        return joined_on

    def clean(self):
        cleaned_data = super().clean()
        self._check_unit_level(cleaned_data)
        self._check_consent(cleaned_data)
        self._check_duplicates(cleaned_data)
        return cleaned_data

    def _check_unit_level(self, cleaned_data):
        unit, level = cleaned_data.get("unit"), cleaned_data.get("level")
        if unit and level and unit.level != level:
            self.add_error("unit", f"“{unit}”属于{unit.get_level_display()}，与专家的属地不一致。")

    def _check_consent(self, cleaned_data):
        if not cleaned_data.get("public_profile_consent"):
            if cleaned_data.get("public_shows_unit") or cleaned_data.get("public_shows_title"):
                self.add_error("public_profile_consent", "未同意公开专家简介时，不能勾选公开工作单位或职称职务。")
            return
        consent_on = cleaned_data.get("public_profile_consent_on")
        if not consent_on:
            self.add_error("public_profile_consent_on", "同意公开时请填写本人同意的日期。")
        elif consent_on > timezone.localdate():
            self.add_error("public_profile_consent_on", "同意日期不能晚于今天。")

    def _check_duplicates(self, cleaned_data):
        duplicate, field = find_duplicate(
            name=cleaned_data.get("name"),
            unit=cleaned_data.get("unit"),
            mobile=cleaned_data.get("mobile"),
            exclude_pk=self.instance.pk,
        )
        if duplicate and field not in self.errors:
            linkable = level_scope(self.for_user) is ALL_LEVELS or level_scope(self.for_user) == duplicate.level
            self.add_error(field, duplicate_message(duplicate, linkable=linkable))


class UnitForm(LevelScopedFormMixin, WagtailAdminModelForm):
    class Meta:
        model = Unit
        fields = ["name", "unit_type", "level", "liaisons"]
        widgets = {"liaisons": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Members of the liaison group within the user's scope (staff.scoping); a unit's own stay listed.
        candidates = restrict_to_scope(
            get_user_model().objects.filter(groups__name=UNIT_LIAISONS, is_active=True),
            self.for_user,
            "staff_profile__level",
        )
        current = self.instance.liaisons.all() if self.instance.pk else get_user_model().objects.none()
        self.fields["liaisons"].queryset = (candidates | current).distinct().order_by("username")
        self.fields["liaisons"].label_from_instance = lambda user: (
            f"{user.get_full_name() or user.get_username()}（{user.get_username()}）"
        )

    def clean_level(self):
        level = super().clean_level()
        if self.instance.pk and level != self.instance.level and self.instance.experts.exists():
            raise ValidationError("该单位已有专家记录，不能更改属地。")
        return level

    def clean(self):
        cleaned_data = super().clean()
        level = cleaned_data.get("level")
        for user in cleaned_data.get("liaisons") or []:
            user_level = getattr(getattr(user, "staff_profile", None), "level", "")
            if level and user_level != level:
                self.add_error(
                    "liaisons", f"联络员“{user.get_username()}”的属地与单位不同，请先在用户设置中设为同一属地。"
                )
        return cleaned_data


class StatusChangeForm(forms.Form):
    """Removal (调出) or restoration: a date, a reason for removals, and the basis of the decision."""

    date = forms.DateField(label="日期", widget=AdminDateInput)
    basis = forms.CharField(
        label="依据",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="决定依据，例如会议纪要、文件文号或情况说明。",
    )

    def __init__(self, *args, expert, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.expert = expert
        self.kind = kind
        self.fields["date"].initial = timezone.localdate()

    def clean(self):
        cleaned_data = super().clean()
        if "date" in cleaned_data:
            try:
                check_status_change(self.expert, self.kind, cleaned_data["date"])
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned_data


class RemovalForm(StatusChangeForm):
    reason = forms.ChoiceField(label="调出原因", choices=[("", "请选择"), *RemovalReason.choices])

    field_order = ["date", "reason", "basis"]


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Excel 文件（.xlsx）",
        help_text="请使用“下载导入模板”得到的表格，表头不能改动；一次最多导入 2000 行。",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError("请上传 .xlsx 格式的 Excel 文件。")
        if upload.size > 5 * 1024 * 1024:
            raise ValidationError("文件不能超过 5 MB。")
        return upload
