"""Session lifetimes: 30 minutes idle (settings: SESSION_COOKIE_AGE, SESSION_SAVE_EVERY_REQUEST),
12 hours at most from the sign-in, and "sign out everywhere".

Both limits are checked here against the sign-in time stored in the session, so they hold with any
session backend: a session older than SESSION_ABSOLUTE_AGE, or signed in before the user's
`SessionCutoff`, is signed out at its next request.
"""

import time
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils import timezone

from . import audit
from .models import SessionCutoff

ADMIN_PREFIX = "/admin/"
SIGNED_IN_AT = "security_signed_in_at"
TOO_OLD = "登录已超过 12 小时，为了账号安全，请重新登录。"
CUT_OFF = "您的账号已在所有设备上退出，请重新登录。"


def stamp_sign_in(request):
    request.session[SIGNED_IN_AT] = time.time()


def signed_in_at(request):
    stamp = request.session.get(SIGNED_IN_AT)
    return datetime.fromtimestamp(stamp, tz=timezone.get_current_timezone()) if stamp else None


def sign_out_everywhere(request, user):
    """Ends every session of `user` (the current one too, if it is theirs) and logs who did it."""
    now = timezone.now()
    SessionCutoff.objects.update_or_create(user=user, defaults={"signed_out_at": now})
    audit.account_event(request, audit.SIGNED_OUT_EVERYWHERE, account=user)


def expiry_reason(request):
    """Why the signed-in session of this request must end, or "" if it may go on."""
    started = signed_in_at(request)
    if started is None:
        # Signed in before this check existed: its age is unknown, so it starts now.
        stamp_sign_in(request)
        return ""
    if timezone.now() - started > timedelta(seconds=settings.SESSION_ABSOLUTE_AGE):
        return TOO_OLD
    cutoff = SessionCutoff.objects.filter(user=request.user).values_list("signed_out_at", flat=True).first()
    if cutoff and started <= cutoff:
        return CUT_OFF
    return ""


class SessionLifetimeMiddleware:
    """Signs out a session past its 12 hours or cut off by "sign out everywhere"; on an admin page,
    sends to the login page with the reason. After the message middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and (reason := expiry_reason(request)):
            request.sign_out_reason = "会话超过 12 小时" if reason == TOO_OLD else "已在所有设备退出"
            logout(request)
            if request.path_info.startswith(ADMIN_PREFIX):
                messages.warning(request, reason)
                return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
        return self.get_response(request)
