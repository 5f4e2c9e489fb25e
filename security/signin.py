"""Sign-in events into the audit log: sign-in, failed sign-in (any username), sign-out and lockout.

Django and django-axes send the signals; the receivers write `SignInLogEntry` rows through
`security.audit.account_event`. The password is never logged, only the username as typed.
"""

# Imported first so that django-axes counts a failed attempt before `sign_in_failed` reads the count:
# receivers run in the order they were connected.
import axes.signals  # noqa: F401
from django.conf import settings
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
    """Logs the failure, and the lockout when this failure starts one.

    django-axes has counted this attempt: the most failures of the account or of the address in the
    cool-off, this one included. Above the limit, the account or address was locked already."""
    username = str(credentials.get("username") or "")
    account = account_named(username)
    failures = getattr(request, "axes_failures_since_start", 0)
    limit = settings.AXES_FAILURE_LIMIT
    result = "已锁定，拒绝登录" if failures > limit else "用户名或密码错误"
    audit.account_event(request, audit.SIGN_IN_FAILED, account=account, username=username, result=result)
    if failures == limit and getattr(request, "axes_locked_out", False):
        audit.account_event(request, audit.LOCKED_OUT, account=account, username=username, result="已锁定 15 分钟")


@receiver(user_logged_out, dispatch_uid="security.signed_out")
def signed_out(sender, request, user, **kwargs):
    if user is None:
        return
    reason = getattr(request, "sign_out_reason", "")
    audit.account_event(request, audit.SIGN_OUT, account=user, by=user, result=reason or "本人退出")
