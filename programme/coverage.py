"""A chapter's own screens: its index of record kinds, and the yearly coverage of its kinds (how many
of the year's active experts each kind served), by level and by team, with the list of those it
did not serve. Every figure comes from `Coverage`, which reads one query per kind and one for the
experts, so the page's number of queries does not grow with the data."""

from dataclasses import dataclass
from functools import cached_property

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from experts.models import Expert, TalentTeam
from liaison.coverage import coverage_experts
from liaison.forms.coverage import ALL, YearForm
from staff.exports import Percent, Sheet, log_export, xlsx_response
from staff.levels import Level
from staff.scoping import sees_model, visible_rows

COVERAGE_EXPORT_ACTION = "programme.coverage.export"


class CoverageForm(YearForm):
    talent_team = forms.ChoiceField(
        label="人才队伍",
        choices=ALL + TalentTeam.choices,
        required=False,
        error_messages={"invalid_choice": "请从列表中选择人才队伍。"},
    )
    field_order = ["year", "level", "talent_team"]


@dataclass
class Line:
    """A row of a coverage table: a level or a team (or 合计), its active experts and, per kind, how many were served."""

    label: str
    total: int
    counts: list

    @property
    def cells(self):
        return [(count, Percent(count / self.total) if self.total else None) for count in self.counts]


class Coverage:
    """The yearly coverage of `kinds` among the active experts of `year` that `user` sees (narrowed by `level`, `team`)."""

    def __init__(self, user, year, kinds, *, level=None, team=None):
        self.year, self.kinds = year, [kind for kind in kinds if kind.coverage]
        experts = coverage_experts(user, year)
        if level:
            experts = experts.filter(level=level)
        if team:
            experts = experts.filter(talent_team=team)
        self.experts = experts

    @cached_property
    def _rows(self):
        # Unsorted: grouped in Python, and sorting every active expert by name cost 0.3 s at 100,000.
        return list(self.experts.order_by().values_list("pk", "level", "talent_team"))

    @cached_property
    def served(self):
        return {kind.key: kind.served(self.year) for kind in self.kinds}

    def _line(self, label, rows):
        ids = {pk for pk, _, _ in rows}
        return Line(label, len(ids), [len(ids & self.served[kind.key]) for kind in self.kinds])

    def lines(self, by):
        """One line per level (`by` = "level") or team, those without experts left out, then 合计."""
        column, choices = (1, Level.choices) if by == "level" else (2, TalentTeam.choices)
        groups = {value: [] for value, _ in choices}
        for row in self._rows:
            if row[column] in groups:
                groups[row[column]].append(row)
        lines = [self._line(label, groups[value]) for value, label in choices]
        return [line for line in lines if line.total] + [self._line("合计", self._rows)]

    def not_served(self, kind):
        return self.experts.exclude(pk__in=kind.served_rows(self.year))


class ChapterPageMixin(WagtailAdminTemplateMixin):
    chapter = None

    def dispatch(self, request, *args, **kwargs):
        if not self.chapter.is_open_to(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.chapter.label

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def kinds(self):
        return [kind for kind in self.chapter.kinds if sees_model(self.request.user, kind.model)]


class ChapterIndexView(ChapterPageMixin, TemplateView):
    """The chapter's kinds: how many records of each the user sees, this year and in all."""

    template_name = "programme/chapter_index.html"
    header_icon = "folder-open-inverse"

    def get_context_data(self, **kwargs):
        year = timezone.localdate().year
        entries = []
        for kind in self.kinds():
            counts = visible_rows(self.request.user, kind.model).aggregate(
                this_year=Count("pk", filter=Q(date__year=year)), total=Count("pk")
            )
            entries.append((kind, reverse(f"{kind.key}:index"), reverse(f"{kind.key}:add"), counts))
        return super().get_context_data(
            entries=entries, year=year, coverage_url=reverse(f"{self.chapter.name}:coverage"), **kwargs
        )


class CoverageView(ChapterPageMixin, TemplateView):
    template_name = "programme/coverage.html"
    header_icon = "table"
    per_page = 50

    def get_page_title(self):
        return f"{self.chapter.label}：年度覆盖情况"

    def get(self, request, *args, **kwargs):
        self.form = CoverageForm(request.GET, user=request.user)
        form = self.form
        self.coverage = Coverage(
            request.user, form.chosen_year, self.kinds(), level=form.value("level"), team=form.value("talent_team")
        )
        if request.GET.get("export") == "xlsx":
            return self.export()
        return super().get(request, *args, **kwargs)

    def missing_kind(self):
        key = self.request.GET.get("missing")
        return next((kind for kind in self.coverage.kinds if kind.key == key), None)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        coverage = self.coverage
        context.update(
            form=self.form,
            year=coverage.year,
            kinds=coverage.kinds,
            by_level=coverage.lines("level"),
            by_team=coverage.lines("talent_team"),
        )
        if kind := self.missing_kind():
            experts = coverage.not_served(kind).select_related("unit").order_by("level", "name", "pk")
            page = Paginator(experts, self.per_page).get_page(self.request.GET.get("p"))
            context.update(
                missing=kind, page_obj=page, elided_page_range=page.paginator.get_elided_page_range(page.number)
            )
        return context

    def export(self):
        coverage, year = self.coverage, self.coverage.year
        headings = [
            heading for kind in coverage.kinds for heading in (f"{kind.coverage}（人）", f"{kind.coverage}（比例）")
        ]
        sheets = [
            Sheet(
                title=f"按{by_label}",
                headings=[by_label, "在库专家（人）", *headings],
                rows=[
                    [line.label, line.total, *(v for cell in line.cells for v in cell)] for line in coverage.lines(by)
                ],
            )
            for by, by_label in (("level", "属地"), ("talent_team", "人才队伍"))
        ]
        log_export(
            self.request,
            COVERAGE_EXPORT_ACTION,
            Expert,
            f"导出{year}年{self.chapter.label}覆盖情况（XLSX）",
            coverage.lines("level")[-1].total,
            query=self.request.GET.urlencode(),
        )
        return xlsx_response(
            sheets, f"{self.chapter.label}覆盖情况-{year}.xlsx", f"{self.chapter.name}-coverage-{year}.xlsx"
        )
