"""The filters every list of the programme's records has: the year, the experts' level and team."""

import django_filters
from django import forms
from django.db.models import Max, Min
from django.utils import timezone
from wagtail.admin.filters import WagtailFilterSet

from experts.models import TalentTeam
from staff.levels import Level


class ProgrammeFilterSet(WagtailFilterSet):
    """Subclassed per model (Meta.model, and `expert_path`: "expert" or "attendances__expert");
    the level and team are the experts', so a city round lists under each county whose experts it names."""

    expert_path = "expert"

    year = django_filters.ChoiceFilter(label="年度", empty_label="全部", field_name="date__year")
    expert_level = django_filters.ChoiceFilter(
        label="专家属地", choices=Level.choices, empty_label="全部", method="filter_experts"
    )
    talent_team = django_filters.ChoiceFilter(
        label="人才队伍", choices=TalentTeam.choices, empty_label="全部", method="filter_experts"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        span = self._meta.model.objects.aggregate(first=Min("date"), last=Max("date"))
        this_year = timezone.localdate().year
        first = span["first"].year if span["first"] else this_year
        last = max(span["last"].year if span["last"] else this_year, this_year)
        self.filters["year"].extra["choices"] = [(year, f"{year}年") for year in range(last, first - 1, -1)]
        self.filters["talent_team"].extra["widget"] = forms.Select

    def filter_experts(self, queryset, name, value):
        field = "level" if name == "expert_level" else "talent_team"
        # By subquery: an activity with several such experts is listed once.
        rows = self._meta.model.objects.filter(**{f"{self.expert_path}__{field}": value})
        return queryset.filter(pk__in=rows.values("pk"))


def filterset_for(kind, *extra_fields):
    """The filter set of `kind`'s list, with filters of `extra_fields` (model fields with choices)."""
    meta = type("Meta", (), {"model": kind.model, "fields": list(extra_fields)})
    return type(
        f"{kind.model.__name__}FilterSet", (ProgrammeFilterSet,), {"Meta": meta, "expert_path": kind.expert_path}
    )
