"""Filters of the expert and unit listings."""

import django_filters
from django import forms
from wagtail.admin.filters import WagtailFilterSet

from staff.levels import Level

from .models import Expert, ExpertStatus, TalentCategory, TalentTeam, TitleLevel, Unit, UnitType
from .reviews import review_years


def _choice(label, choices, **kwargs):
    return django_filters.ChoiceFilter(
        label=label, choices=choices, empty_label="全部", widget=forms.RadioSelect, **kwargs
    )


class ExpertFilterSet(WagtailFilterSet):
    # Empty means 在库: removed experts leave the active list (see ExpertIndexView.filter_queryset).
    status = django_filters.ChoiceFilter(
        label="状态",
        choices=[(ExpertStatus.REMOVED.value, "已调出"), ("all", "全部")],
        empty_label="在库",
        widget=forms.RadioSelect,
        method="filter_status",
    )
    level = _choice("属地", Level.choices)
    talent_team = _choice("人才队伍", TalentTeam.choices)
    categories = django_filters.ModelChoiceFilter(
        label="人才类别", queryset=TalentCategory.objects.all(), empty_label="全部"
    )
    unit_type = _choice("单位类型", UnitType.choices, field_name="unit__unit_type")
    title_level = _choice("职称级别", TitleLevel.choices)
    joined_year = django_filters.ChoiceFilter(label="入库年度", empty_label="全部", method="filter_joined_year")

    class Meta:
        model = Expert
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["joined_year"].extra["choices"] = [(year, f"{year}年") for year in review_years()]

    def filter_status(self, queryset, name, value):
        if value == ExpertStatus.REMOVED:
            return queryset.filter(status=ExpertStatus.REMOVED)
        return queryset

    def filter_joined_year(self, queryset, name, value):
        return queryset.filter(joined_on__year=int(value))


class UnitFilterSet(WagtailFilterSet):
    unit_type = _choice("单位类型", UnitType.choices)
    level = _choice("属地", Level.choices)

    class Meta:
        model = Unit
        fields = []
