"""必访事项: the visits an accepted report of a major achievement or a hardship owes each paired leader
(created by liaison.services, never by hand), listed to whoever the MustVisit policy lets see them."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic

from staff.scoping import LevelScopedIndexMixin, visible_rows

from ..filters.reports import MustVisitFilterSet, VisitState
from ..models import EventReport


def visit_state(visit, today):
    if visit.done_by_id:
        return VisitState.DONE
    return VisitState.OVERDUE if visit.due_on < today else VisitState.PENDING


def report_label(visit):
    return f"{visit.report.get_kind_display()}（{visit.report.event_date:%Y-%m-%d}）"


class LinkColumn(Column):
    """A plain link (the report, when the user may open it), not a row's bold title."""

    cell_template_name = "liaison/reports/link_cell.html"

    def __init__(self, name, get_url, **kwargs):
        super().__init__(name, **kwargs)
        self.get_url = get_url

    def get_cell_context_data(self, instance, parent_context):
        return {**super().get_cell_context_data(instance, parent_context), "url": self.get_url(instance)}


class VisitStateColumn(Column):
    cell_template_name = "liaison/reports/visit_state_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        state = visit_state(instance, timezone.localdate())
        context.update(state=state, state_label=dict(VisitState.CHOICES)[state])
        return context


class MustVisitIndexView(LevelScopedIndexMixin, generic.IndexView):
    filterset_class = MustVisitFilterSet
    page_title = "必访事项"
    header_icon = "date"
    paginate_by = 30
    default_ordering = "due_on"

    def get_base_queryset(self):
        # Whether the user may open each visit's report, in the same query.
        reports = visible_rows(self.request.user, EventReport).filter(pk=OuterRef("report_id"))
        return (
            super()
            .get_base_queryset()
            .select_related("leader", "expert", "report", "done_by")
            .annotate(report_visible=Exists(reports))
        )

    def report_url(self, visit):
        if visit.report_visible:
            return reverse("liaison_reports:inspect", args=[visit.report_id])
        return None

    @cached_property
    def columns(self):
        return [
            Column("leader", label="联系领导", accessor="leader.name", sort_key="leader__name"),
            Column("expert", label="专家", accessor="expert.name", sort_key="expert__name"),
            Column("reason", label="必访事由", accessor="get_reason_display", sort_key="reason"),
            Column("due_on", label="应访日期", accessor=lambda visit: f"{visit.due_on:%Y-%m-%d}", sort_key="due_on"),
            VisitStateColumn("state", label="状态"),
            Column(
                "done_by",
                label="走访记录",
                accessor=lambda visit: (
                    f"{visit.done_by.date:%Y-%m-%d} {visit.done_by.get_kind_display()}" if visit.done_by_id else "—"
                ),
            ),
            LinkColumn("report", label="来源报告", accessor=report_label, get_url=self.report_url),
        ]
