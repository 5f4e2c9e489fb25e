"""Due work and coverage: the must-visit calendar and the six-activity coverage of a year.

Both pages compute from a few bulk queries (liaison/calendar.py, liaison/coverage.py), so their
number of queries stays the same as leaders, experts and contacts grow.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from experts.models import Expert
from staff.exports import Sheet, export_response, log_export
from staff.scoping import sees_model, visible_rows

from ..calendar import VisitStatus, occasions, year_calendar
from ..coverage import (
    activities_by_expert,
    activity_totals,
    coverage_experts,
    paired_with,
    ticks,
    without_contact,
    year_activities,
)
from ..forms.coverage import CalendarForm, CoverageForm
from ..models import SIX_ACTIVITIES, ContactRecord, Leader, MustVisit

EXPORT_FORMATS = ("xlsx", "csv")


def may_see_calendar(user):
    """Whoever sees some leaders: the talent offices, leaders (their own) and leaders' offices."""
    return sees_model(user, Leader)


def may_see_coverage(user):
    """The coverage is about experts and their contacts: for those who may see both (the talent offices)."""
    return sees_model(user, Expert) and sees_model(user, ContactRecord)


class LiaisonPageMixin(WagtailAdminTemplateMixin):
    """An admin page of this part: 403 for a user `allowed` refuses, breadcrumbs to the page."""

    @staticmethod
    def allowed(user):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def page_of(self, items, per_page):
        page = Paginator(items, per_page).get_page(self.request.GET.get("p"))
        return page, page.paginator.get_elided_page_range(page.number)


class CalendarView(LiaisonPageMixin, TemplateView):
    """必访日历: per leader, the visits owed on the year's important holidays and professional days,
    and those accepted reports created, each done, due, overdue or not yet open."""

    template_name = "liaison/coverage/calendar.html"
    page_title = "必访日历"
    header_icon = "date"
    per_page = 20
    allowed = staticmethod(may_see_calendar)

    def get_context_data(self, **kwargs):
        user = self.request.user
        form = CalendarForm(self.request.GET, user=user)
        # Leaders who left keep their history in the contact records; they owe no more visits.
        leaders = visible_rows(user, Leader).filter(active=True)
        if level := form.value("level"):
            leaders = leaders.filter(level=level)
        rows = year_calendar(leaders, visible_rows(user, MustVisit), form.chosen_year)
        if form.value("overdue_only"):
            rows = [row for row in rows if row.overdue]
        today = timezone.localdate()
        if form.value("due_this_month"):
            rows = [row for row in rows if row.due_in_month(today)]
        page, page_range = self.page_of(rows, self.per_page)
        totals = {status: sum(row.count(status) for row in rows) for status in VisitStatus}
        return super().get_context_data(
            form=form,
            year=form.chosen_year,
            occasions=occasions(form.chosen_year),
            page_obj=page,
            elided_page_range=page_range,
            totals=totals,
            owed=sum(totals.values()),
            leader_count=len(rows),
            due_this_month=sum(row.due_in_month(today) for row in rows) if form.chosen_year == today.year else None,
            **kwargs,
        )


class CoverageView(LiaisonPageMixin, TemplateView):
    """六活动覆盖: one row per expert, a tick per activity they took part in during the year."""

    template_name = "liaison/coverage/coverage.html"
    page_title = "六活动覆盖情况"
    header_icon = "table"
    per_page = 50
    allowed = staticmethod(may_see_coverage)

    def get(self, request, *args, **kwargs):
        self.form = CoverageForm(request.GET, user=request.user)
        self.experts = self.filtered_experts()
        if request.GET.get("export") in EXPORT_FORMATS:
            return self.export(request.GET["export"])
        return super().get(request, *args, **kwargs)

    def filtered_experts(self):
        form = self.form
        experts = coverage_experts(self.request.user, form.chosen_year)
        if level := form.value("level"):
            experts = experts.filter(level=level)
        if team := form.value("talent_team"):
            experts = experts.filter(talent_team=team)
        if leader := form.value("leader"):
            experts = paired_with(experts, leader, form.chosen_year)
        if form.value("uncontacted"):
            experts = without_contact(experts, form.chosen_year)
        return experts.select_related("unit").order_by("name", "pk")

    def get_context_data(self, **kwargs):
        page, page_range = self.page_of(self.experts, self.per_page)
        done = activities_by_expert([expert.pk for expert in page], self.form.chosen_year)
        totals, complete = activity_totals(self.experts.values_list("pk", flat=True), self.form.chosen_year)
        rows = [(expert, ticks(done.get(expert.pk, ()))) for expert in page]
        return super().get_context_data(
            form=self.form,
            year=self.form.chosen_year,
            activities=[activity.label for activity in SIX_ACTIVITIES],
            rows=[(expert, flags, sum(flags)) for expert, flags in rows],
            page_obj=page,
            elided_page_range=page_range,
            totals=totals,
            complete=complete,
            six=len(SIX_ACTIVITIES),
            **kwargs,
        )

    def export(self, export_format):
        year = self.form.chosen_year
        count = self.experts.count()
        log_export(
            self.request,
            "liaison.coverage.export",
            Expert,
            f"导出{year}年六活动覆盖情况（{export_format.upper()}）",
            count,
            format=export_format,
            query=self.request.GET.urlencode(),
        )
        sheet = Sheet(
            title=f"{year}年六活动覆盖情况",
            headings=["姓名", "工作单位", "属地", "人才队伍", *(a.label for a in SIX_ACTIVITIES), "已开展（项）"],
            rows=self.export_rows(year),
        )
        return export_response(export_format, sheet, f"六活动覆盖情况-{year}", f"six-activities-{year}")

    def export_rows(self, year):
        done = year_activities(year)
        ids = []
        for expert in self.experts.iterator(chunk_size=1000):
            ids.append(expert.pk)
            flags = ticks(done.get(expert.pk, ()))
            yield [
                expert.name,
                expert.unit.name,
                expert.get_level_display(),
                expert.get_talent_team_display(),
                *("√" if flag else None for flag in flags),
                sum(flags),
            ]
        totals, complete = activity_totals(ids, year)
        yield ["合计（人）", None, None, None, *totals, f"六项齐全 {complete} 人"]
