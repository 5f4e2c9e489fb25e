"""Admin views of the five reports (五报告): a unit liaison files a report about an expert of their
units, the county's office and then the city office accept it or send it back (liaison.services),
and the details of health and family reports stay with those liaison.scoping.may_read_details names."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import Button

from experts.models import Expert
from security import audit
from staff.exports import ListExportMixin
from staff.scoping import (
    ALL_LEVELS,
    ANY_ACTION,
    LevelScopedIndexMixin,
    LevelScopedObjectMixin,
    ensure_in_scope,
    sees_model,
    visible_rows,
)

from .. import services
from ..filters.reports import EventReportFilterSet
from ..forms.reports import AcceptForm, ReturnForm
from ..models import SENSITIVE_KINDS, EventReport, MustVisit, ReportStage, ReportStep
from ..scoping import may_read_details, office_level

# What stands in for the details of a health or family report for whoever may not read them.
SENSITIVE_MASK = "涉及个人敏感信息，仅市委人才办、所属县级人才办、联系领导和报送人可查看"
READ_SENSITIVE = "liaison.report.read_sensitive"
PANEL_ROWS = 5


def person(user):
    return (user.get_full_name() or user.get_username()) if user else "—"


def read_details(request, report, via):
    """(whether the request's user may read the details, the details or the notice in their place);
    reading those of a sensitive report is logged on it, with `via` the screen or export that showed them."""
    if not may_read_details(request.user, report):
        return False, SENSITIVE_MASK
    if report.is_sensitive:
        audit.audit(request, report, READ_SENSITIVE, via=via)
    return True, report.details


def with_last_step(reports):
    last_step = ReportStep.objects.filter(report=OuterRef("pk")).order_by("-at", "-pk").values("at")[:1]
    return reports.annotate(last_step_at=Subquery(last_step))


def local_time(moment):
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else "—"


class StageColumn(Column):
    cell_template_name = "liaison/reports/stage_cell.html"


class KindColumn(Column):
    cell_template_name = "liaison/reports/kind_cell.html"


class EventReportIndexView(ListExportMixin, LevelScopedIndexMixin, generic.IndexView):
    filterset_class = EventReportFilterSet
    export_action = "liaison.reports.export"
    export_ascii_filename = "event-reports"

    def get_base_queryset(self):
        return with_last_step(super().get_base_queryset().select_related("expert", "unit", "filed_by"))

    @cached_property
    def add_item_label(self):
        return "报送五报告"

    def get_edit_url(self, instance):
        # Only a returned report is edited, by the liaison who filed it.
        if services.may_revise(self.request.user, instance):
            return reverse(self.edit_url_name, args=[instance.pk])
        return None

    @cached_property
    def columns(self):
        title = self._get_title_column_class(TitleColumn)(
            "expert", label="专家", accessor="expert.name", sort_key="expert__name", get_url=self.get_inspect_url
        )
        return [
            title,
            Column("unit", label="报告单位", accessor="unit.name", sort_key="unit__name"),
            KindColumn("kind", label="报告事项", sort_key="kind"),
            Column(
                "event_date", label="发生日期", accessor=lambda r: f"{r.event_date:%Y-%m-%d}", sort_key="event_date"
            ),
            StageColumn("stage", label="当前环节", sort_key="stage"),
            Column("filed_by", label="报送人", accessor=lambda r: person(r.filed_by)),
            Column(
                "last_step_at", label="最近办理", accessor=lambda r: local_time(r.last_step_at), sort_key="last_step_at"
            ),
        ]

    # Export: the same rows, the details masked as on screen; sensitive details read are logged.

    def export_items(self, queryset):
        sensitive = queryset.filter(kind__in=SENSITIVE_KINDS)
        self.readable = {report.pk for report in sensitive if read_details(self.request, report, "export")[0]}
        return super().export_items(queryset)

    def export_row(self, item, spreadsheet_format):
        details = item.details if not item.is_sensitive or item.pk in self.readable else SENSITIVE_MASK
        return [
            item.expert.name,
            item.unit.name,
            item.get_level_display(),
            item.get_kind_display(),
            item.event_date,
            details,
            item.get_stage_display(),
            person(item.filed_by),
            item.created_at,
            item.last_step_at,
        ]


class EventReportCreateView(generic.CreateView):
    page_title = page_subtitle = "报送五报告"
    submit_button_label = "报送"
    submit_button_active_label = "正在报送…"

    def get_breadcrumbs_items(self):
        # Wagtail's "New: …" has no Chinese translation.
        return [*super().get_breadcrumbs_items()[:-1], {"url": "", "label": self.page_title}]

    def save_instance(self):
        return services.file_report(self.form.save(commit=False), user=self.request.user)

    def get_success_message(self, instance):
        return f"已报送：{instance}，当前环节：{instance.get_stage_display()}。"

    def get_success_buttons(self):
        return []  # Wagtail's "编辑": a filed report is not edited unless sent back

    def get_success_url(self):
        return reverse("liaison_reports:inspect", args=[self.object.pk])


class RevisableObjectMixin(LevelScopedObjectMixin):
    """The report of a view that changes it as its liaison: 404 outside the user's rows, 403 unless
    it was sent back to this user."""

    object_action = "change"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # Before the view's check of the model permission: a report out of sight is a 404 for all.
        self.object = self.get_object()

    def get_object(self, *args, **kwargs):
        if hasattr(self, "object"):
            return self.object
        report = super().get_object(*args, **kwargs)
        if not services.may_revise(self.request.user, report):
            raise PermissionDenied
        return report


class EventReportEditView(RevisableObjectMixin, generic.EditView):
    page_title = "修改后重新报送"
    submit_button_label = "重新报送"
    submit_button_active_label = "正在报送…"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # The form shows the details: for a sensitive report, a read like any other.
        read_details(request, self.object, "edit")
        return response

    def save_instance(self):
        report = self.form.save(commit=False)
        return services.revise_report(report, user=self.request.user, changed=self.form.has_changed())

    def get_success_message(self):
        return f"已重新报送：{self.object}，当前环节：{self.object.get_stage_display()}。"

    def get_success_buttons(self):
        return []

    def get_success_url(self):
        return reverse("liaison_reports:inspect", args=[self.object.pk])


class EventReportInspectView(audit.AuditedViewMixin, generic.InspectView):
    template_name = "liaison/reports/inspect.html"
    page_title = "五报告"
    fields = []

    def get_object(self, queryset=None):
        report = get_object_or_404(
            EventReport.objects.select_related("expert", "unit", "filed_by"), pk=self.kwargs["pk"]
        )
        return ensure_in_scope(self.request.user, report)

    def get_edit_url(self):
        if services.may_revise(self.request.user, self.object):
            return reverse(self.edit_url_name, args=[self.object.pk])
        return None

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        buttons.append(
            Button("操作日志", url=reverse("liaison_reports:history", args=[self.object.pk]), icon_name="history")
        )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report, user = self.object, self.request.user
        readable, details = read_details(self.request, report, "inspect")
        may_review = services.may_review(user, report) and self.user_has_permission_for_instance("change", report)
        context.update(
            report=report,
            details=details,
            readable=readable,
            steps=report.steps.select_related("user"),
            returned=report.steps.filter(action=ReportStep.Action.RETURNED).last()
            if report.stage == ReportStage.RETURNED
            else None,
            may_review=may_review,
            edit_url=self.get_edit_url(),
            expert_url=reverse("experts:inspect", args=[report.expert_id])
            if visible_rows(user, Expert).filter(pk=report.expert_id).exists()
            else "",
            must_visits=visible_rows(user, MustVisit).filter(report=report).select_related("leader", "done_by"),
            today=timezone.localdate(),
        )
        return context


class ReportReviewView(WagtailAdminTemplateMixin, FormView):
    """The office at the report's stage accepts it (审核通过) or sends it back (退回) with a comment."""

    template_name = "liaison/reports/review.html"
    header_icon = "tasks"
    decisions = {
        "accept": ("审核通过", AcceptForm, services.accept_report),
        "return": ("退回", ReturnForm, services.return_report),
    }
    decision = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        report = get_object_or_404(EventReport.objects.select_related("expert", "unit"), pk=kwargs["pk"])
        self.report = ensure_in_scope(request.user, report, "change")
        self.label, self.form_class, self.perform = self.decisions[self.decision]

    def dispatch(self, request, *args, **kwargs):
        if not services.may_review(request.user, self.report):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"{self.label}五报告"

    def get_page_subtitle(self):
        return str(self.report)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("liaison_reports:index"), "label": EventReport._meta.verbose_name_plural},
            {"url": reverse("liaison_reports:inspect", args=[self.report.pk]), "label": str(self.report)},
            {"url": "", "label": self.label},
        ]

    def get_context_data(self, **kwargs):
        next_stage = ReportStage.RETURNED
        if self.decision == "accept":
            next_stage = ReportStage.CITY if self.report.stage == ReportStage.COUNTY else ReportStage.ACCEPTED
        return super().get_context_data(
            report=self.report,
            decision=self.decision,
            next_stage=ReportStage(next_stage).label,
            action_url=self.request.path,
            submit_button_label=f"确认{self.label}",
            **kwargs,
        )

    def form_valid(self, form):
        try:
            self.perform(self.report, user=self.request.user, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, f"已{self.label}：{self.report}，当前环节：{self.report.get_stage_display()}。")
        return redirect("liaison_reports:inspect", self.report.pk)


class EventReportHistoryView(LevelScopedObjectMixin, generic.HistoryView):
    # Whoever sees the report sees its history (which never holds the details: see the tests).
    any_permission_required = list(ANY_ACTION)

    def get_edit_url(self, instance):
        return reverse("liaison_reports:inspect", args=[instance.pk])

    @cached_property
    def header_buttons(self):
        return []


class EventReportUsageView(LevelScopedObjectMixin, generic.UsageView):
    permission_required = None
    any_permission_required = list(ANY_ACTION)  # like the history: for whoever sees the report


class EventReportDeleteView(LevelScopedObjectMixin, generic.DeleteView):
    pass


# Dashboard ------------------------------------------------------------------------------------


class ReportsDashboardPanel(Component):
    """The dashboard's "五报告" panel: the reports waiting for an office; a liaison's returned reports."""

    name = "liaison_reports"
    order = 140
    template_name = "liaison/reports/dashboard_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        user = self.request.user
        level = office_level(user)
        is_office = level is ALL_LEVELS or bool(level)
        files_reports = sees_model(user, EventReport, ("add",))
        if not (is_office or files_reports):
            return {"shown": False}
        reports = with_last_step(visible_rows(user, EventReport).select_related("expert", "unit"))
        waiting = services.reports_waiting_for(user, reports).order_by("created_at", "pk")
        returned = reports.filter(stage=ReportStage.RETURNED, filed_by=user).order_by("-last_step_at", "-pk")
        waiting_count, returned_count = waiting.count(), returned.count()
        return {
            "shown": True,
            "is_office": is_office,
            "files_reports": files_reports,
            "waiting_count": waiting_count,
            "waiting": list(waiting[:PANEL_ROWS]),
            "returned_count": returned_count,
            "returned": list(returned[:PANEL_ROWS]),
        }
