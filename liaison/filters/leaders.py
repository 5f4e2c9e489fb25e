"""Filters of the leader and pairing listings."""

import django_filters
from django import forms
from wagtail.admin.filters import WagtailFilterSet

from experts.models import Expert
from staff.levels import Level

from ..choosers import LeaderFilter
from ..coverage import without_contact
from ..models import Body, Leader, Pairing
from ..models.people import PAIRING_QUOTA
from ..services import under_quota
from .contacts import contact_years


def _choice(label, choices, **kwargs):
    return django_filters.ChoiceFilter(
        label=label, choices=choices, empty_label="全部", widget=forms.RadioSelect, **kwargs
    )


class LeaderFilterSet(WagtailFilterSet):
    level = _choice("属地", Level.choices)
    body = _choice("所在班子", Body.choices)
    active = _choice("在任", [("yes", "在任"), ("no", "已离任")], method="filter_active")
    quota = _choice("结对名额", [("under", f"少于{PAIRING_QUOTA}名")], method="filter_quota")

    class Meta:
        model = Leader
        fields = []

    def filter_active(self, queryset, name, value):
        return queryset.filter(active=value == "yes")

    def filter_quota(self, queryset, name, value):
        # The listing's rows carry their own count already: the rule is asked of the table itself.
        return queryset.filter(pk__in=under_quota(Leader.objects.all()).values("pk"))


class PairingFilterSet(WagtailFilterSet):
    level = _choice("领导属地", Level.choices, field_name="leader__level")
    leader = LeaderFilter("联系领导")
    status = _choice("状态", [("active", "进行中"), ("ended", "已结束")], method="filter_status")
    uncontacted = django_filters.ChoiceFilter(
        label="全年无联系记录的专家", empty_label="全部", method="filter_uncontacted"
    )

    class Meta:
        model = Pairing
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["uncontacted"].extra["choices"] = contact_years()

    def filter_uncontacted(self, queryset, name, value):
        return queryset.filter(expert__in=without_contact(Expert.objects.all(), int(value)))

    def filter_status(self, queryset, name, value):
        return queryset.filter(ended_on__isnull=value == "active")
