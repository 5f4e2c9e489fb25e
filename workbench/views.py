"""The yearly report's admin screens: the report (HTML, or ?format=xlsx), a workbook's progress and its download."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from experts.models import Expert
from staff.exports import XLSX_CONTENT_TYPE, as_download, log_export, xlsx_response

from . import workbooks
from .models import WorkbookState, YearlyWorkbook
from .yearly import FIRST_YEAR, WHOLE_CITY, YearlyReport, level_choices, may_see_report, report_url, workbook_sheets


class YearlyReportForm(forms.Form):
    year = forms.IntegerField(label="年度", widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    level = forms.ChoiceField(label="属地", required=False)

    def __init__(self, data, *, user):
        super().__init__(data)
        self.this_year = timezone.localdate().year
        self.fields["year"].error_messages.update(invalid=self.year_message, required=self.year_message)
        choices = level_choices(user)
        if choices:
            self.fields["level"].choices = choices
            self.fields["level"].error_messages["invalid_choice"] = "请从列表中选择属地。"
        else:
            del self.fields["level"]  # a county's office reports on its county, whatever the address says

    @property
    def year_message(self):
        return f"请填写 {FIRST_YEAR} 至 {self.this_year} 之间的年份，例如 {self.this_year}。"

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not FIRST_YEAR <= year <= self.this_year:
            raise forms.ValidationError(self.year_message)
        return year


class OfficeOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not may_see_report(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class YearlyReportView(OfficeOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "workbench/yearly_report.html"
    page_title = "年度工作报告"
    header_icon = "table"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get(self, request, *args, **kwargs):
        data = {"year": timezone.localdate().year, "level": WHOLE_CITY, **request.GET.dict()}
        self.form = YearlyReportForm(data, user=request.user)
        self.report = None
        if self.form.is_valid():
            level = self.form.cleaned_data.get("level", WHOLE_CITY)
            self.report = YearlyReport(request.user, self.form.cleaned_data["year"], level)
            if request.GET.get("format") == "xlsx":
                return self.workbook()
        return super().get(request, *args, **kwargs)

    def workbook(self):
        report = self.report
        if workbooks.builds_inline(report):
            name, ascii_name = workbooks.filename(report)
            log_workbook(self.request, report.year, report.level_label, report.value(report.active))
            return xlsx_response(workbook_sheets(report), name, ascii_name)
        job = workbooks.start_workbook(report)
        return redirect(f"{reverse('workbench_yearly:workbook')}?job={job.pk}")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(form=self.form, report=self.report, **kwargs)
        if self.report:
            context.update(
                sections=list(self.report.sections()),
                xlsx_url=report_url(self.report.year, self.report.level, format="xlsx"),
            )
        return context


def log_workbook(request, year, level_label, rows):
    log_export(
        request,
        workbooks.EXPORT_ACTION,
        Expert,
        f"导出{year}年度工作报告（{level_label}，XLSX）",
        rows,
        query=request.GET.urlencode(),
    )


def own_workbook(request):
    """The user's workbook named by ?job=, or None."""
    job_id = request.GET.get("job", "")
    return YearlyWorkbook.objects.filter(pk=job_id, user=request.user).first() if job_id.isdigit() else None


class WorkbookStatusView(OfficeOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    """A workbook's progress, read again every few seconds until it is done (no script needed)."""

    template_name = "workbench/yearly_workbook.html"
    page_title = "年度工作报告：生成工作簿"
    header_icon = "download"
    refresh_seconds = 2

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get(self, request, *args, **kwargs):
        self.job = own_workbook(request)
        if self.job is None:
            return redirect("workbench_yearly:index")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        job = self.job
        waiting = job.state in (WorkbookState.QUEUED, WorkbookState.RUNNING)
        return super().get_context_data(
            job=job,
            waiting=waiting,
            stalled=job.state == WorkbookState.QUEUED and timezone.now() - job.created_at > workbooks.STALLED_AFTER,
            refresh_seconds=self.refresh_seconds,
            report_url=report_url(job.year, job.level),
            **kwargs,
        )


class WorkbookDownloadView(OfficeOnlyMixin, View):
    def get(self, request):
        job = own_workbook(request)
        path = job and workbooks.workbook_path(job)
        if job is None or job.state != WorkbookState.DONE or not path.exists():
            return redirect("workbench_yearly:index")  # gone (a day old) or not theirs: ask for it again
        report = YearlyReport(request.user, job.year, job.level)
        log_workbook(request, job.year, report.level_label, job.rows)
        name, ascii_name = workbooks.filename(report)
        response = FileResponse(path.open("rb"), content_type=XLSX_CONTENT_TYPE)
        return as_download(response, name, ascii_name)
