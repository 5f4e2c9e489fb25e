from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from base.scheduled_jobs import HOOK as SCHEDULED_JOB
from staff.exports import register_export_action

from . import urls, workbooks
from .panels import PANELS
from .yearly import may_see_report


@hooks.register("construct_homepage_panels")
def add_workbench_panels(request, panels):
    panels.extend(panel(request) for panel in PANELS)


@hooks.register("insert_global_admin_css")
def workbench_admin_css():
    # print.css: every admin page prints its content alone (no sidebar or header buttons over the tables).
    return format_html(
        '<link rel="stylesheet" href="{}"><link rel="stylesheet" href="{}" media="print">',
        static("workbench/dashboard.css"),
        static("workbench/print.css"),
    )


@hooks.register("register_admin_urls")
def yearly_report_urls():
    return [path("reports/yearly/", include(urls))]


class YearlyReportMenuItem(MenuItem):
    def is_shown(self, request):
        return may_see_report(request.user)


@hooks.register("register_reports_menu_item")
def yearly_report_menu_item():
    return YearlyReportMenuItem("年度工作报告", reverse("workbench_yearly:index"), icon_name="table", order=50)


@hooks.register("register_log_actions")
def register_yearly_export(actions):
    register_export_action(actions, workbooks.EXPORT_ACTION, "导出年度工作报告")


@hooks.register(SCHEDULED_JOB)
def prune_yearly_workbooks():
    workbooks.prune_workbooks()
