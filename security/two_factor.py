"""Two-factor sign-in: after Wagtail's password login, a code from an authenticator app (TOTP) or a
recovery code. Required for superusers and the city office (市委人才办), offered to every staff user.

- `TwoFactorMiddleware` (after OTPMiddleware) keeps a signed-in but unverified user on the
  verification page if they have a device, on the enrolment page if they must have one.
- `EnrolView` shows the key as a QR code (inline SVG, drawn here) and as text, confirms it with a
  code, then shows 10 recovery codes once; later it lets the user renew the codes or, if not
  required, remove their two-factor sign-in.
- `VerifyView` takes one code: six digits are tried on the authenticator, anything else as a
  recovery code, which then no longer works. django-otp throttles each device after a failure
  (1 s, 2 s, 4 s ...): the message says how long to wait.
"""

import re
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views import View
from django.views.generic import TemplateView
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from staff.roles import CITY_OFFICE

from . import audit

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "身份验证器"
RECOVERY_NAME = "恢复码"
TOTP_PATTERN = re.compile(r"\d{6}")


def is_required(user):
    return user.is_superuser or user.groups.filter(name=CITY_OFFICE).exists()


def authenticator(user, confirmed=True):
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).first()


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def new_recovery_codes(user):
    """Replaces the user's recovery codes with RECOVERY_CODE_COUNT new ones and returns them."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def remove_devices(user):
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def qr_code_svg(device):
    """The device's otpauth:// URL as an inline SVG QR code: drawn here, no image service sees the key."""
    svg = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage).to_string(encoding="unicode")
    size = 'width="220" height="220" role="img" aria-label="双重验证二维码"'
    svg = re.sub(r'width="[^"]*" height="[^"]*"', size, svg, count=1)
    return mark_safe(svg)  # noqa: S308 - qrcode's own markup, with no user text in it


def key_text(device):
    """The base32 key in groups of four, for typing into an app by hand."""
    plain = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(plain[i : i + 4] for i in range(0, len(plain), 4))


def safe_next(request, default=None):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default or reverse("wagtailadmin_home")


def throttled(device):
    """A message if `device` refuses codes for now after recent failures, else ""."""
    allowed, details = device.verify_is_allowed()
    if allowed:
        return ""
    until = (details or {}).get("locked_until")
    seconds = max(1, int((until - timezone.now()).total_seconds()) + 1) if until else 1
    return f"验证码错误次数过多，请等待 {seconds} 秒后再试。"


class CodeForm(forms.Form):
    """One code: six digits for the authenticator; with `recovery` devices, anything else as a recovery code.

    `devices` are the user's devices the code may be for; `device` is the one that accepted it."""

    code = forms.CharField(
        label="验证码",
        max_length=32,
        error_messages={"required": "请输入验证码。"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, authenticators, recovery=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.authenticators = list(authenticators)
        self.recovery = list(recovery)
        self.device = None
        if self.recovery:
            self.fields["code"].help_text = "输入身份验证器应用上显示的 6 位数字；手机不在身边时，可输入一个恢复码。"
        else:
            self.fields["code"].help_text = "输入身份验证器应用上显示的 6 位数字。"
            self.fields["code"].widget.attrs["inputmode"] = "numeric"

    def clean_code(self):
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"]).lower()
        as_totp = bool(TOTP_PATTERN.fullmatch(code))
        for device in self.authenticators if as_totp else self.recovery:
            if message := throttled(device):
                raise forms.ValidationError(message)
            with transaction.atomic():
                # Locked while checked, so that one code cannot pass twice in parallel requests.
                device = type(device).objects.select_for_update().get(pk=device.pk)
                if device.verify_token(code):
                    self.device = device
                    return code
        if as_totp or not self.recovery:
            raise forms.ValidationError("验证码不正确或已过期，请输入身份验证器上当前显示的 6 位数字。")
        raise forms.ValidationError("恢复码不正确或已使用过。")


class LoginLookMixin:
    """Pages shown between the password and the admin, laid out like Wagtail's login page."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
        return super().dispatch(request, *args, **kwargs)


def verify_form(user, data=None):
    return CodeForm(
        data,
        authenticators=TOTPDevice.objects.filter(user=user, confirmed=True),
        recovery=StaticDevice.objects.filter(user=user, confirmed=True),
    )


class VerifyView(LoginLookMixin, View):
    template_name = "security/two_factor_verify.html"

    def get(self, request):
        if request.user.is_verified():
            return redirect(safe_next(request))
        if not user_has_device(request.user):
            return redirect(f"{reverse('security_two_factor')}?next={safe_next(request)}")
        return self.render(verify_form(request.user))

    def post(self, request):
        if request.user.is_verified():
            return redirect(safe_next(request))
        form = verify_form(request.user, request.POST)
        if form.is_valid():
            otp_login(request, form.device)
            method = "恢复码" if isinstance(form.device, StaticDevice) else "身份验证器"
            audit.account_event(request, audit.TWO_FACTOR_PASSED, account=request.user, method=method)
            if isinstance(form.device, StaticDevice):
                left = recovery_codes_left(request.user)
                messages.warning(request, f"已使用一个恢复码，还剩 {left} 个。请在“双重验证”页面重新生成恢复码。")
            return redirect(safe_next(request))
        audit.account_event(
            request,
            audit.TWO_FACTOR_FAILED,
            account=request.user,
            result="失败：" + " ".join(form.errors.get("code", [])),
        )
        return self.render(form, status=200)

    def render(self, form, status=200):
        context = {
            "form": form,
            "next": safe_next(self.request),
            "page_title": "双重验证",
            "issuer": settings.OTP_TOTP_ISSUER,
        }
        return TemplateResponse(self.request, self.template_name, context, status=status)


class EnrolView(WagtailAdminTemplateMixin, TemplateView):
    """双重验证: enrolment while the user has no authenticator, their status and choices afterwards."""

    template_name = "security/two_factor.html"
    page_title = "双重验证"
    header_icon = "key"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
        if user_has_device(request.user) and not request.user.is_verified():
            return redirect_to_login(request.get_full_path(), reverse("security_two_factor_verify"))
        return super().dispatch(request, *args, **kwargs)

    def pending_device(self):
        device, _ = TOTPDevice.objects.get_or_create(
            user=self.request.user, confirmed=False, defaults={"name": AUTHENTICATOR_NAME}
        )
        return device

    def get_context_data(self, form=None, **kwargs):
        user = self.request.user
        context = super().get_context_data(
            required=is_required(user), next=safe_next(self.request, reverse("wagtailadmin_account")), **kwargs
        )
        device = authenticator(user)
        if device:
            context.update(device=device, codes_left=recovery_codes_left(user))
        else:
            pending = self.pending_device()
            context.update(
                form=form or CodeForm(authenticators=[pending]),
                qr_code=qr_code_svg(pending),
                key=key_text(pending),
            )
        return context

    def post(self, request):
        user = request.user
        if authenticator(user):
            return redirect("security_two_factor")
        form = CodeForm(request.POST, authenticators=[self.pending_device()])
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        with transaction.atomic():
            device = form.device
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = new_recovery_codes(user)
        otp_login(request, device)
        audit.account_event(request, audit.TWO_FACTOR_ENROLLED, account=user)
        messages.success(request, "双重验证已启用。")
        return show_codes(request, codes, safe_next(request, reverse("wagtailadmin_home")))


def show_codes(request, codes, next_url):
    return TemplateResponse(
        request,
        "security/recovery_codes.html",
        {
            "codes": codes,
            "next": next_url,
            "page_title": "恢复码",
            "header_icon": "key",
            "breadcrumbs_items": [
                *WagtailAdminTemplateMixin.breadcrumbs_items,
                {"url": reverse("security_two_factor"), "label": "双重验证"},
                {"url": "", "label": "恢复码"},
            ],
        },
    )


class VerifiedOwnerMixin:
    """Changing one's own second factor needs a session that passed it."""

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_authenticated and request.user.is_verified() and authenticator(request.user)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class RenewCodesView(VerifiedOwnerMixin, View):
    def post(self, request):
        codes = new_recovery_codes(request.user)
        audit.account_event(request, audit.TWO_FACTOR_CODES_RENEWED, account=request.user)
        return show_codes(request, codes, reverse("security_two_factor"))


class RemoveView(VerifiedOwnerMixin, View):
    def post(self, request):
        if is_required(request.user):
            raise PermissionDenied
        remove_devices(request.user)
        audit.account_event(request, audit.TWO_FACTOR_REMOVED, account=request.user)
        messages.success(request, "已停用双重验证。")
        return redirect("security_two_factor")


# Enforcement ------------------------------------------------------------------------------------

ADMIN_PREFIX = "/admin/"
ALWAYS_OPEN = {"wagtailadmin_login", "wagtailadmin_logout", "wagtailadmin_javascript_catalog", "wagtailadmin_sprite"}
OPEN_BEFORE_VERIFYING = ALWAYS_OPEN | {"security_two_factor_verify"}
OPEN_BEFORE_ENROLLING = ALWAYS_OPEN | {"security_two_factor"}


class TwoFactorMiddleware:
    """On every admin URL: a signed-in user who has a device must have given a code in this session;
    one who must have a device (superuser, 市委人才办) and has none must enrol first. After
    OTPMiddleware, which gives `user.is_verified()`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if request.path_info.startswith(ADMIN_PREFIX) and user.is_authenticated and not user.is_verified():
            try:
                url_name = resolve(request.path_info).url_name
            except Resolver404:
                url_name = None
            if user_has_device(user):
                if url_name not in OPEN_BEFORE_VERIFYING:
                    return redirect_to_login(request.get_full_path(), reverse("security_two_factor_verify"))
            elif is_required(user) and url_name not in OPEN_BEFORE_ENROLLING:
                return redirect_to_login(request.get_full_path(), reverse("security_two_factor"))
        return self.get_response(request)
