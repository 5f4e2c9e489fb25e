"""登录锁定: current lockouts and recent failed sign-ins from django-axes' attempts table, and lifting a
lockout, for superusers and the city office (市委人才办).

The attempts live in the database that every app-server process shares. A lockout holds while the
failures of an account (from any address), or of an address (for any account), within the last
AXES_COOLOFF_TIME reach AXES_FAILURE_LIMIT; lifting it deletes those attempts (axes.utils.reset).
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.utils import reset
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Max, Sum
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import audit
from .models import may_manage_sign_in
from .signin import account_named


class AttemptsHandler(AxesDatabaseHandler):
    """django-axes' database store, except that a successful sign-in clears only the failures of the
    account that signed in. Axes clears every failure from the address too: whoever holds one account
    could then sign in with it after every 4 guesses at another's password, and never be locked out."""

    def reset_user_attempts(self, request, credentials=None):
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username).delete() if username else (0, None)
        return count


def recent_attempts():
    return AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)


def locked(field):
    """The values of `field` (username or ip_address) locked now, with their failures and last attempt."""
    return (
        recent_attempts()
        .exclude(**{f"{field}__isnull": True})
        .values(field)
        .annotate(failures=Sum("failures_since_start"), last_attempt=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last_attempt")
    )


class LiftForm(forms.Form):
    kind = forms.ChoiceField(choices=[("username", "账号"), ("ip", "地址")])
    value = forms.CharField(max_length=255)


class SecurityAdminMixin(WagtailAdminTemplateMixin):
    """A page for superusers and the city office only."""

    def dispatch(self, request, *args, **kwargs):
        if not may_manage_sign_in(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class LockoutsView(SecurityAdminMixin, TemplateView):
    template_name = "security/lockouts.html"
    page_title = "登录锁定"
    header_icon = "lock"
    per_page = 50

    def get_context_data(self, **kwargs):
        failures = recent_attempts().order_by("-attempt_time")
        page = Paginator(failures, self.per_page).get_page(self.request.GET.get("p"))
        return super().get_context_data(
            locked_accounts=list(locked("username")),
            locked_addresses=list(locked("ip_address")),
            page_obj=page,
            elided_page_range=page.paginator.get_elided_page_range(page.number),
            failure_limit=settings.AXES_FAILURE_LIMIT,
            cooloff_minutes=int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            **kwargs,
        )

    def post(self, request):
        form = LiftForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请求无效，未解除任何锁定。")
            return redirect("security_lockouts")
        kind, value = form.cleaned_data["kind"], form.cleaned_data["value"]
        if kind == "username":
            removed = reset(username=value)
            audit.account_event(request, audit.LOCKOUT_LIFTED, account=account_named(value), username=value)
            messages.success(request, f"已解除账号“{value}”的登录锁定。")
        else:
            removed = reset(ip=value)
            audit.account_event(request, audit.LOCKOUT_LIFTED, username=f"地址 {value}", address=value)
            messages.success(request, f"已解除地址 {value} 的登录锁定。")
        if not removed:
            messages.info(request, "该锁定已过期或已被解除。")
        return redirect("security_lockouts")
