"""Sign-in events into the audit log: sign-in, failed sign-in (any username), sign-out and lockout.

Django and django-axes send the signals; each receiver writes one `SignInLogEntry` through
`security.audit.account_event`. The password is never logged, only the username as typed.
"""

from axes.handlers.proxy import AxesProxyHandler
from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import audit, sessions


def account_named(username):
    return get_user_model()._default_manager.filter(username=username).first() if username else None


@receiver(user_logged_in, dispatch_uid="security.signed_in")
def signed_in(sender, request, user, **kwargs):
    sessions.stamp_sign_in(request)
    audit.account_event(request, audit.SIGN_IN, account=user, by=user)


@receiver(user_login_failed, dispatch_uid="security.sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username") or "")
    locked = False
    if request is not None:
        # Asked before axes counts this attempt: a refusal during a lockout is logged as such, and
        # the lockout itself once, when it begins (`locked_out` below).
        locked = AxesProxyHandler.is_locked(request, {"username": username})
        request.sign_in_was_locked = locked
    audit.account_event(
        request,
        audit.SIGN_IN_FAILED,
        account=account_named(username),
        username=username,
        result="已锁定，拒绝登录" if locked else "用户名或密码错误",
    )


@receiver(user_locked_out, dispatch_uid="security.locked_out")
def locked_out(sender, request, username, ip_address, **kwargs):
    if getattr(request, "sign_in_was_locked", False):
        return
    audit.account_event(
        request, audit.LOCKED_OUT, account=account_named(username), username=username or "", result="已锁定 15 分钟"
    )


@receiver(user_logged_out, dispatch_uid="security.signed_out")
def signed_out(sender, request, user, **kwargs):
    if user is None:
        return
    reason = getattr(request, "sign_out_reason", "")
    audit.account_event(request, audit.SIGN_OUT, account=user, by=user, result=reason or "本人退出")
