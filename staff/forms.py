from django import forms
from wagtail.users.forms import UserCreationForm, UserEditForm

from .levels import Level
from .models import StaffProfile
from .roles import CITY_OFFICE, COUNTY_OFFICE, UNIT_LIAISONS


class StaffLevelFormMixin(forms.Form):
    """Adds the staff member's level to Wagtail's user forms and keeps it consistent with the groups."""

    level = forms.ChoiceField(
        label="属地",
        choices=[("", "（未设置：看不到任何属地的记录）"), *Level.choices],
        required=False,
        help_text="市本级工作人员可查看全部属地；县（市、区）工作人员只能查看本属地的记录。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "username" in self.fields:  # Wagtail's own help text has no Chinese translation
            self.fields["username"].help_text = "必填。只能包含字母、数字和 @ . + - _ 符号。"
        if self.instance.pk:
            profile = StaffProfile.objects.filter(user=self.instance).first()
            self.initial["level"] = profile.level if profile else ""

    def clean(self):
        cleaned_data = super().clean()
        level = cleaned_data.get("level", "")
        group_names = {group.name for group in cleaned_data.get("groups") or []}
        if COUNTY_OFFICE in group_names and level in ("", Level.CITY):
            self.add_error("level", f"“{COUNTY_OFFICE}”的成员必须设置所属县（市、区）。")
        if CITY_OFFICE in group_names and level != Level.CITY:
            self.add_error("level", f"“{CITY_OFFICE}”的成员属地必须为“市本级”。")
        if UNIT_LIAISONS in group_names and not level:
            self.add_error("level", f"“{UNIT_LIAISONS}”的成员必须设置属地（所联系单位所在的属地）。")
        return cleaned_data

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit:
            self.save_level(user)
        return user

    def save_level(self, user):
        level = self.cleaned_data.get("level", "")
        if level:
            StaffProfile.objects.update_or_create(user=user, defaults={"level": level})
        else:
            StaffProfile.objects.filter(user=user).delete()


class StaffUserCreationForm(StaffLevelFormMixin, UserCreationForm):
    pass


class StaffUserEditForm(StaffLevelFormMixin, UserEditForm):
    pass
