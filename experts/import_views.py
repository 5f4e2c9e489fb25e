"""Admin screens of the spreadsheet import: upload, progress, preview, confirmation and result.

The reading, checking and storing run in the background worker (`experts.import_jobs`);
these views start them and show where an import stands. Each user sees only the imports
they started, within their level: any other import is a 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView, View
from wagtail.admin.views import generic
from wagtail.permissions import policy_registry

from . import exports, import_jobs
from .forms import ImportForm
from .models import Expert, ExpertImport, ImportState

RECENT_IMPORTS = 10
WAITING_HINT_AFTER = 15  # seconds in the queue before the page says the worker may not be running


class ImportPermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not policy_registry.get_by_type(Expert).user_has_permission(request.user, "add"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ImportTemplateView(ImportPermissionMixin, View):
    def get(self, request):
        return exports.import_template_response()


class ImportPageMixin(ImportPermissionMixin, generic.base.WagtailAdminTemplateMixin):
    page_title = "从 Excel 导入专家"
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("experts:index"), "label": "专家人才"},
            {"url": reverse("experts:import"), "label": self.page_title},
        ]


class ImportView(ImportPageMixin, FormView):
    """Upload: the file is kept and its check queued; the user follows it on the import's page."""

    form_class = ImportForm
    template_name = "experts/admin/import.html"

    def get_context_data(self, **kwargs):
        recent = ExpertImport.objects.for_user(self.request.user).defer("upload", "rows", "row_results")
        return {**super().get_context_data(**kwargs), "recent_imports": recent[:RECENT_IMPORTS]}

    def form_valid(self, form):
        job = import_jobs.start_import(form.cleaned_data["file"], user=self.request.user)
        return redirect(job)


class ImportJobMixin(ImportPermissionMixin):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.job = get_object_or_404(ExpertImport.objects.for_user(request.user), pk=kwargs["pk"])


def progress_of(job):
    """Where a running import stands, in words, for its page and for the page's polling script."""
    now = timezone.now()
    status = {"state": job.state, "running": job.is_running, "value": None, "max": None, "detail": "", "hint": ""}
    if not job.is_running:
        status["message"] = job.get_state_display()
    elif job.is_waiting:
        waited = int((now - job.queued_at).total_seconds())
        status["message"] = "排队等待后台任务…"
        if waited >= WAITING_HINT_AFTER:
            status["hint"] = (
                f"已等待 {waited} 秒仍未开始：可能有其他导入正在进行，也可能后台任务进程（db_worker）没有运行。"
                "请稍候；长时间没有进展时，请联系系统管理员。本页会自动更新，可以离开后再回来查看。"
            )
    elif job.state == ImportState.CHECKING and not job.total:
        status["message"] = "正在读取文件…"
    elif job.state == ImportState.CHECKING:
        status.update(message=f"正在逐行检查 {job.total} 行数据…", value=job.checked, max=job.total)
        status["detail"] = f"已检查 {job.checked} / {job.total} 行"
    else:
        # Storing is one transaction: its progress is invisible until it commits.
        status["message"] = f"正在导入 {job.total} 名专家（全部写入，或有错误时全部不写入）…"
        status["detail"] = f"已用时 {int((now - job.worker_started_at).total_seconds())} 秒"
    return status


class ImportStatusView(ImportJobMixin, ImportPageMixin, TemplateView):
    """One import: its progress while the worker runs, then the preview or the result."""

    template_name = "experts/admin/import_status.html"

    def get_context_data(self, **kwargs):
        import_jobs.mark_seen(self.job)
        return {
            **super().get_context_data(**kwargs),
            "job": self.job,
            "progress": progress_of(self.job),
            "abandoned_after_hours": int(import_jobs.ABANDONED_AFTER.total_seconds() // 3600),
        }


class ImportProgressView(ImportJobMixin, View):
    def get(self, request, pk):
        return JsonResponse(progress_of(self.job))


class ImportConfirmView(ImportJobMixin, View):
    def post(self, request, pk):
        if not import_jobs.confirm_import(self.job, request):
            messages.error(request, f"该导入当前状态为“{self.job.get_state_display()}”，不能确认。")
        return redirect(self.job)


class ImportCancelView(ImportJobMixin, View):
    def post(self, request, pk):
        if import_jobs.cancel_import(self.job):
            messages.success(request, f"已取消导入“{self.job.file_name}”，未写入任何数据。")
            return redirect("experts:import")
        messages.error(request, f"该导入当前状态为“{self.job.get_state_display()}”，不能取消。")
        return redirect(self.job)
