from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter

from . import accounts, audit, lockouts, reports, two_factor
from .models import SignInLogEntry, may_manage_sign_in
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


# Sign-in: lockouts, two-factor, accounts ----------------------------------------------------------


@hooks.register("register_log_actions")
def register_account_actions(actions):
    actions.register_model(audit.AccountEvent, SignInLogEntry)
    for action, (label, message) in audit.ACCOUNT_ACTIONS.items():
        actions.register_action(action, label, message)


@hooks.register("register_admin_urls")
def sign_in_urls():
    return [
        path("security/lockouts/", lockouts.LockoutsView.as_view(), name="security_lockouts"),
        path("security/accounts/", accounts.AccountsView.as_view(), name="security_accounts"),
        path("security/accounts/<int:pk>/", accounts.AccountView.as_view(), name="security_account"),
        path(
            "security/sign-out-everywhere/",
            accounts.SignOutEverywhereView.as_view(),
            name="security_sign_out_everywhere",
        ),
        path("security/two-factor/", two_factor.EnrolView.as_view(), name="security_two_factor"),
        path("security/two-factor/verify/", two_factor.VerifyView.as_view(), name="security_two_factor_verify"),
        path(
            "security/two-factor/recovery-codes/",
            two_factor.RenewCodesView.as_view(),
            name="security_two_factor_codes",
        ),
        path("security/two-factor/remove/", two_factor.RemoveView.as_view(), name="security_two_factor_remove"),
    ]


class SecurityMenuItem(MenuItem):
    def is_shown(self, request):
        return may_manage_sign_in(request.user)


@hooks.register("register_admin_menu_item")
def sign_in_menu():
    items = [
        SecurityMenuItem(
            "登录锁定", reverse("security_lockouts"), name="security-lockouts", icon_name="lock", order=10
        ),
        SecurityMenuItem(
            "账号与双重验证", reverse("security_accounts"), name="security-accounts", icon_name="user", order=20
        ),
    ]
    return SubmenuMenuItem("账号安全", Menu(items=items), name="account-security", icon_name="key", order=8500)


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("security_two_factor"),
        "label": "双重验证",
        "help_text": "登录时除密码外，再输入手机身份验证器上的验证码；管理恢复码。",
    }


@hooks.register("register_account_menu_item")
def sign_out_everywhere_account_item(request):
    return {
        "url": reverse("security_sign_out_everywhere"),
        "label": "在所有设备上退出",
        "help_text": "结束您在所有电脑和手机上的登录。",
    }


@hooks.register("register_user_listing_buttons")
def account_security_button(user, request_user):
    if may_manage_sign_in(request_user):
        yield Button("账号安全", reverse("security_account", args=[user.pk]), icon_name="key", priority=50)
