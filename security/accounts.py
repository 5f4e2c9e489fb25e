"""账号安全: each account's two-factor sign-in and sessions, for superusers and the city office, who may
reset a user's two-factor sign-in (the user then enrols again) and sign a user out everywhere; and
"sign out everywhere" for oneself from the account page. Every action is logged.

Only a superuser acts on a superuser's account: the city office cannot reset an administrator's
second factor.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import audit, sessions, two_factor
from .lockouts import SecurityAdminMixin
from .models import SessionCutoff, SignInLogEntry


def may_act_on(user, account):
    return not account.is_superuser or user.is_superuser


class AccountsView(SecurityAdminMixin, TemplateView):
    template_name = "security/accounts.html"
    page_title = "账号安全"
    header_icon = "user"
    per_page = 50

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()
        users = (
            get_user_model()
            .objects.filter(is_active=True)
            .annotate(enrolled=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
            .order_by("username")
        )
        if query:
            users = users.filter(
                Q(username__icontains=query) | Q(first_name__icontains=query) | Q(last_name__icontains=query)
            )
        page = Paginator(users, self.per_page).get_page(self.request.GET.get("p"))
        for user in page:
            user.required = two_factor.is_required(user)
        return super().get_context_data(
            query=query,
            page_obj=page,
            elided_page_range=page.paginator.get_elided_page_range(page.number),
            **kwargs,
        )


class AccountView(SecurityAdminMixin, TemplateView):
    template_name = "security/account.html"
    header_icon = "user"
    recent_entries = 20

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.account = get_object_or_404(get_user_model(), pk=kwargs["pk"])

    def get_page_title(self):
        return f"账号安全：{self.account.get_username()}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("security_accounts"), "label": "账号安全"},
            {"url": "", "label": self.account.get_username()},
        ]

    def get_context_data(self, **kwargs):
        account = self.account
        return super().get_context_data(
            account=account,
            device=two_factor.authenticator(account),
            codes_left=two_factor.recovery_codes_left(account),
            required=two_factor.is_required(account),
            may_act=may_act_on(self.request.user, account),
            cutoff=SessionCutoff.objects.filter(user=account).first(),
            entries=SignInLogEntry.objects.for_instance(account)[: self.recent_entries],
            **kwargs,
        )

    def post(self, request, pk):
        account = self.account
        if not may_act_on(request.user, account):
            raise PermissionDenied
        action = request.POST.get("action")
        if action == "reset_two_factor":
            two_factor.remove_devices(account)
            # Whoever held the old phone must not stay signed in on its strength.
            sessions.sign_out_everywhere(request, account)
            audit.account_event(request, audit.TWO_FACTOR_RESET, account=account)
            messages.success(request, f"已重置“{account.get_username()}”的双重验证，其所有登录已退出。")
        elif action == "sign_out_everywhere":
            sessions.sign_out_everywhere(request, account)
            messages.success(request, f"已让“{account.get_username()}”在所有设备上退出登录。")
        if account == request.user:
            return redirect_to_login(reverse("wagtailadmin_home"), reverse("wagtailadmin_login"))
        return redirect("security_account", pk=account.pk)


class SignOutEverywhereView(WagtailAdminTemplateMixin, TemplateView):
    """From the account page: every session of one's own ends, this one too."""

    template_name = "security/sign_out_everywhere.html"
    page_title = "在所有设备上退出"
    header_icon = "logout"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("wagtailadmin_account"), "label": "账号设置"},
            {"url": "", "label": self.page_title},
        ]

    def post(self, request):
        sessions.sign_out_everywhere(request, request.user)
        request.sign_out_reason = "本人在所有设备退出"
        logout(request)
        messages.success(request, sessions.CUT_OFF)
        return redirect("wagtailadmin_login")
