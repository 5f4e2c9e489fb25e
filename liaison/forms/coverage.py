"""The query forms of the must-visit calendar and the six-activity coverage: a year and filters.

A bad value (year=abc, a leader outside the user's scope) gets a message next to its field; the
page then shows what the valid fields ask, and this year for a bad or missing year.
"""

from django import forms
from django.utils import timezone

from experts.forms import levels_for
from experts.models import TalentTeam
from staff.scoping import visible_rows

from ..calendar import FIRST_YEAR, LAST_YEAR
from ..models import Leader

ALL = [("", "全部")]


class YearForm(forms.Form):
    year = forms.IntegerField(
        label="年度",
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={
            "invalid": "年度请填写四位数字的年份，例如 2026。",
            "min_value": f"年度不能早于{FIRST_YEAR}年。",
            "max_value": f"年度不能晚于{LAST_YEAR}年。",
        },
    )

    def __init__(self, data, *, user, **kwargs):
        data = data.copy()
        if not data.get("year"):
            data["year"] = str(timezone.localdate().year)
        super().__init__(data, label_suffix="", **kwargs)
        self.narrow_to(user)
        self.order_fields(self.field_order)
        self.is_valid()
        for name in self.errors:  # the message next to the field is read with it
            self.fields[name].widget.attrs.update({"aria-invalid": "true", "aria-describedby": f"id_{name}-error"})

    def narrow_to(self, user):
        """The choices the user may make."""
        levels = levels_for(user)
        if len(levels) > 1:  # a county's staff have one level: nothing to choose
            self.fields["level"] = forms.ChoiceField(
                label="属地",
                choices=ALL + levels,
                required=False,
                error_messages={"invalid_choice": "请从列表中选择属地。"},
            )

    @property
    def chosen_year(self):
        """The year asked for, or this year if it is not a valid one."""
        return self.cleaned_data.get("year") or timezone.localdate().year

    def value(self, name):
        """A valid filter's value, or None: an invalid or empty one is left out."""
        return self.cleaned_data.get(name) or None


class CalendarForm(YearForm):
    overdue_only = forms.BooleanField(label="只看有逾期的领导", required=False)
    due_this_month = forms.BooleanField(label="只看本月有应访的领导", required=False)


class CoverageForm(YearForm):
    talent_team = forms.ChoiceField(
        label="人才队伍",
        choices=ALL + TalentTeam.choices,
        required=False,
        error_messages={"invalid_choice": "请从列表中选择人才队伍。"},
    )
    leader = forms.ModelChoiceField(
        label="联系领导",
        queryset=Leader.objects.none(),
        required=False,
        empty_label="全部",
        error_messages={"invalid_choice": "请从列表中选择联系领导。"},
    )
    uncontacted = forms.BooleanField(label="只看全年无联系记录的专家", required=False)

    field_order = ["year", "level", "talent_team", "leader", "uncontacted"]

    def narrow_to(self, user):
        super().narrow_to(user)
        self.fields["leader"].queryset = visible_rows(user, Leader)
