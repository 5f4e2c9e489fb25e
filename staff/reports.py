"""Wagtail's admin reports, exported through staff.exports like every other list, and logged.

Each view here subclasses Wagtail's own (same rows, scoping and permissions) and takes the export
from `ReportExportMixin`; portal/urls.py routes Wagtail's report URLs to them, before the admin's.
"""

from django.db.models import IntegerField, Value
from django.urls import path
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.aging_pages import AgingPagesView
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.admin.views.reports.locked_pages import LockedPagesView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.views.reports.workflows import WorkflowTasksView, WorkflowView
from wagtail.contrib.redirects.models import Redirect
from wagtail.contrib.redirects.views import IndexView as RedirectIndexView
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import Page, PageLogEntry
from wagtail.utils.urlpatterns import decorate_urlpatterns

from .exports import ListExportMixin

PAGE_HEADINGS = {
    "title": "标题",
    "status_string": "状态",
    "content_type": "页面类型",
    "content_type.model_class._meta.verbose_name.title": "页面类型",
    "latest_revision_created_at": "最后修改时间",
}


class ReportExportMixin(ListExportMixin):
    """A report's ?export=csv/xlsx: the rows the report shows (every page of them), logged as `export_model`.

    The export is named `export_filename`, in Chinese, and its columns `export_headings`.
    """

    export_action = "reports.export"
    export_model = Page  # what the report's rows are about, for the log's type and who sees it

    def get_filename(self):
        return self.export_filename  # Wagtail's reports name their files in English

    def export_items(self, object_list):
        # A report has already read its rows (and decorated them): write them as they are.
        items = list(object_list)
        return self.export_model, len(items), items


def report_urls(prefix, view):
    """A report's page and its results fragment (which answers ?export too), both served by `view`.

    portal/urls.py lists them before Wagtail's admin URLs, whose paths (and names) they take over; outside
    the admin's URL list, they take its sign-in and access check here, as Wagtail gives it to the URLs apps register.
    """
    patterns = [path(prefix, view.as_view()), path(f"{prefix}results/", view.as_view(results_only=True))]
    return decorate_urlpatterns(patterns, require_admin_access)


class FlatUnionMixin:
    """For a LogEntriesView: the log tables' entries in one flat UNION. Wagtail's union of unions
    nests one level per log table, past the depth SQLite parses ("parser stack overflow") once
    the portal has a few dozen log tables. `entries_of(log_model)` gives a table's entries."""

    def entries_of(self, log_model):
        return log_model.objects.viewable_by_user(self.request.user)

    def get_filtered_queryset(self):
        self.log_models = list(log_action_registry.get_log_entry_models())
        selects = [
            self.filter_queryset(
                self.entries_of(log_model)
                .values("pk", "timestamp")
                .annotate(log_model_index=Value(index, output_field=IntegerField()))
            ).order_by()
            for index, log_model in enumerate(self.log_models)
        ]
        return selects[0].union(*selects[1:], all=True).order_by("-timestamp", "-pk")


class SiteHistoryReport(FlatUnionMixin, ReportExportMixin, LogEntriesView):
    export_filename = "网站历史"
    export_ascii_filename = "site-history"
    export_model = PageLogEntry  # entries of every log table; ExportLogEntry shows it to the exporter's level
    export_headings = {
        "object_id": "ID",
        "label": "名称",
        "content_type": "类型",
        "action": "操作",
        "user_display_name": "用户",
        "timestamp": "时间",
    }


class LockedPagesReport(ReportExportMixin, LockedPagesView):
    export_filename = "已锁定的页面"
    export_ascii_filename = "locked-pages"
    export_headings = {**PAGE_HEADINGS, "locked_at": "锁定时间", "locked_by": "锁定人"}


class AgingPagesReport(ReportExportMixin, AgingPagesView):
    export_filename = "较早的页面"
    export_ascii_filename = "aging-pages"
    export_headings = {**PAGE_HEADINGS, "last_published_at": "最后发布时间", "last_published_by_user": "最后发布人"}


class PageTypesUsageReport(ReportExportMixin, PageTypesUsageReportView):
    """Wagtail gives this report no export (?export=csv answered an empty file): here it has its table's columns."""

    export_filename = "页面类型使用情况"
    export_ascii_filename = "page-types-usage"
    list_export = ["name", "count", "last_edited_title", "last_edited_at"]
    export_headings = {
        "name": "页面类型",
        "count": "页面数",
        "last_edited_title": "最后编辑的页面",
        "last_edited_at": "最后编辑时间",
    }

    def decorate_paginated_queryset(self, page_types):
        page_types = super().decorate_paginated_queryset(page_types)
        for page_type in page_types:
            page = page_type.last_edited_page
            page_type.last_edited_title = page.get_admin_display_title() if page else ""
            page_type.last_edited_at = page.latest_revision_created_at if page else None
        return page_types


class WorkflowReport(ReportExportMixin, WorkflowView):
    export_filename = "工作流"
    export_ascii_filename = "workflows"
    export_headings = {
        "workflow": "工作流",
        "get_status_display": "状态",
        "content_object.pk": "页面/片段ID",
        "content_type": "页面/片段类型",
        "content_object": "页面/片段标题",
        "requested_by": "提交人",
        "created_at": "开始时间",
    }


class WorkflowTasksReport(ReportExportMixin, WorkflowTasksView):
    export_filename = "工作流任务"
    export_ascii_filename = "workflow-tasks"
    export_headings = {
        "task": "任务",
        "get_status_display": "状态",
        "workflow_state.content_object.pk": "页面/片段ID",
        "workflow_state.content_type": "页面/片段类型",
        "workflow_state.content_object.__str__": "页面/片段标题",
        "workflow_state.requested_by": "提交人",
        "started_at": "开始时间",
        "finished_at": "完成时间",
        "finished_by": "完成人",
    }


class RedirectsReport(ReportExportMixin, RedirectIndexView):
    export_filename = "重定向"
    export_ascii_filename = "redirects"
    export_model = Redirect
    export_headings = {"old_path": "原地址", "link": "目标地址", "get_is_permanent_display": "类型", "site": "站点"}
