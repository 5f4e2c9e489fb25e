"""Filters of the five reports' list and the must-visit list."""

import django_filters
from django import forms
from django.utils import timezone
from wagtail.admin.filters import WagtailFilterSet

from staff.levels import Level
from staff.scoping import ALL_LEVELS, sees_model

from .. import services
from ..choosers import LeaderFilter
from ..models import EventKind, EventReport, MustVisit, ReportStage, VisitReason
from ..scoping import office_level


def _choice(label, choices, **kwargs):
    return django_filters.ChoiceFilter(
        label=label, choices=choices, empty_label="全部", widget=forms.RadioSelect, **kwargs
    )


YES_NO = [("true", "是"), ("false", "否")]


class EventReportFilterSet(WagtailFilterSet):
    # Choices rather than BooleanFilters, whose active-filter pills read "True".
    waiting = _choice("等待我审核", YES_NO, method="filter_waiting")
    mine = _choice("我报送的", YES_NO, method="filter_mine")
    stage = _choice("当前环节", ReportStage.choices)
    kind = _choice("报告事项", EventKind.choices)
    level = _choice("属地", Level.choices)

    class Meta:
        model = EventReport
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        level = office_level(self.request.user)
        if not level and level is not ALL_LEVELS:
            del self.filters["waiting"]  # only the talent offices review reports
        if level is not ALL_LEVELS:
            del self.filters["level"]  # everyone else sees one level at most
        if not sees_model(self.request.user, EventReport, ("add",)):
            del self.filters["mine"]  # only liaisons file reports

    def filter_waiting(self, queryset, name, value):
        waiting = services.reports_waiting_for(self.request.user, queryset).values("pk")
        return queryset.filter(pk__in=waiting) if value == "true" else queryset.exclude(pk__in=waiting)

    def filter_mine(self, queryset, name, value):
        mine = {"filed_by": self.request.user}
        return queryset.filter(**mine) if value == "true" else queryset.exclude(**mine)


class VisitState:
    PENDING = "pending"
    OVERDUE = "overdue"
    DONE = "done"
    CHOICES = [(PENDING, "待走访"), (OVERDUE, "已超期"), (DONE, "已走访")]


class MustVisitFilterSet(WagtailFilterSet):
    state = _choice("状态", VisitState.CHOICES, method="filter_state")
    reason = _choice("必访事由", VisitReason.choices)
    leader = LeaderFilter("联系领导")

    class Meta:
        model = MustVisit
        fields = []

    def filter_state(self, queryset, name, value):
        today = timezone.localdate()
        if value == VisitState.DONE:
            return queryset.filter(done_by__isnull=False)
        if value == VisitState.OVERDUE:
            return queryset.filter(done_by__isnull=True, due_on__lt=today)
        return queryset.filter(done_by__isnull=True, due_on__gte=today)
