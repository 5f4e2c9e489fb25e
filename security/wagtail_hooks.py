from django.templatetags.static import static
from django.urls import path
from django.utils.html import format_html
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from . import audit, reports
from .reveal import FIELDS

# Audit of data access (views, reveals) and the audit report ------------------------------------


@hooks.register("register_log_actions")
def register_audit_actions(actions):
    @actions.register_action(audit.VIEW)
    class ViewFormatter(LogFormatter):
        label = "查看详情"

        def format_message(self, log_entry):
            return "打开了编辑表单（含完整联系方式）" if log_entry.data.get("via") == "edit" else "查看了详情"

    @actions.register_action(audit.REVEAL)
    class RevealFormatter(LogFormatter):
        label = "查看完整联系方式"

        def format_message(self, log_entry):
            label = FIELDS.get(log_entry.data.get("field"), ("联系方式",))[0]
            return f"查看了完整{label}"


@hooks.register("insert_global_admin_js")
def reveal_js():
    return format_html('<script src="{}" defer></script>', static("security/reveal.js"))


@hooks.register("insert_global_admin_css")
def audit_css():
    return format_html('<link rel="stylesheet" href="{}">', static("security/audit.css"))


@hooks.register("register_admin_urls")
def audit_report_urls():
    return [
        path("reports/audit/", reports.AuditReportView.as_view(), name="security_audit"),
        path(
            "reports/audit/results/", reports.AuditReportView.as_view(results_only=True), name="security_audit_results"
        ),
    ]


@hooks.register("register_reports_menu_item")
def audit_report_menu_item():
    return reports.audit_menu_item()
