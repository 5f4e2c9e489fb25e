from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.widgets import Button

from . import accounts, audit, lockouts, two_factor
from .models import SignInLogEntry, may_manage_sign_in


@hooks.register("register_log_actions")
def register_audit_actions(actions):
    actions.register_action(audit.VIEW, "查看详情", "查看了详情")
    actions.register_action(audit.REVEAL, "查看完整联系方式", "查看了完整联系方式")


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
