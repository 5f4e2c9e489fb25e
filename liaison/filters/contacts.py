"""Filters of the contact record and follow-up listings."""

import django_filters
from django import forms
from django.db.models import Min
from django.utils import timezone
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from staff.levels import Level

from ..choosers import LeaderFilter
from ..forms.contacts import KIND_GROUPS
from ..models import MUST_VISIT_KINDS, SIX_ACTIVITIES, ContactMethod, ContactRecord, FollowUp, FollowUpStatus

# A whole group of kinds, or one kind.
KIND_FILTER_GROUPS = {"must_visit": MUST_VISIT_KINDS, "six_activities": SIX_ACTIVITIES}
KIND_FILTER_CHOICES = [
    ("三必访", [("must_visit", "全部三必访"), *KIND_GROUPS[0][1]]),
    ("六活动", [("six_activities", "全部六活动"), *KIND_GROUPS[1][1]]),
    KIND_GROUPS[2],
]
UNCLOSED = "unclosed"


def contact_years():
    first = ContactRecord.objects.aggregate(first=Min("date"))["first"]
    this_year = timezone.localdate().year
    return [(year, f"{year}年") for year in range(this_year, (first.year if first else this_year) - 1, -1)]


class ContactFilterSet(WagtailFilterSet):
    year = django_filters.ChoiceFilter(label="年度", empty_label="全部", field_name="date__year")
    date = django_filters.DateFromToRangeFilter(label="日期范围", widget=DateRangePickerWidget)
    kind = django_filters.ChoiceFilter(
        label="联系事由", choices=KIND_FILTER_CHOICES, empty_label="全部", method="filter_kind"
    )
    method = django_filters.ChoiceFilter(
        label="联系方式", choices=ContactMethod.choices, empty_label="全部", widget=forms.RadioSelect
    )
    leader = LeaderFilter("参加领导", method="filter_leader")
    expert_level = django_filters.ChoiceFilter(
        label="专家属地", choices=Level.choices, empty_label="全部", method="filter_expert_level"
    )

    class Meta:
        model = ContactRecord
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["year"].extra["choices"] = contact_years()

    def filter_kind(self, queryset, name, value):
        return queryset.filter(kind__in=KIND_FILTER_GROUPS.get(value, [value]))

    # Through the many-to-many relations by subquery: a record is listed once however many match.
    def filter_leader(self, queryset, name, value):
        return queryset.filter(pk__in=ContactRecord.objects.filter(leaders=value).values("pk"))

    def filter_expert_level(self, queryset, name, value):
        return queryset.filter(pk__in=ContactRecord.objects.filter(experts__level=value).values("pk"))


class FollowUpFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label="办理状态",
        choices=[(UNCLOSED, "未办结（待办、办理中）"), *FollowUpStatus.choices],
        empty_label="全部",
        widget=forms.RadioSelect,
        method="filter_status",
    )
    overdue = django_filters.BooleanFilter(label="已逾期", method="filter_overdue")
    leader_attention = django_filters.BooleanFilter(label="领导直接过问")
    level = django_filters.ChoiceFilter(
        label="专家属地", choices=Level.choices, empty_label="全部", field_name="expert__level"
    )

    class Meta:
        model = FollowUp
        fields = []

    def filter_status(self, queryset, name, value):
        return queryset.open() if value == UNCLOSED else queryset.filter(status=value)

    def filter_overdue(self, queryset, name, value):
        overdue = queryset.overdue().values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)
