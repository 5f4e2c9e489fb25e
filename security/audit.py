"""Who touched whose data: one function writes every audit entry.

Entries are Wagtail log entries, in the log table registered for the touched model (an expert's in
`ExpertLogEntry`, an intake item's in `IntakeLogEntry` ...), so that site history and each record's
history show them, scoped as the record is. `data` carries the client address and the result.
"""

from dataclasses import dataclass

from wagtail.log_actions import log

from intake.ratelimit import client_address

VIEW = "portal.view"
REVEAL = "portal.reveal"
SUCCESS = "成功"
FAILURE = "失败"


def audit_data(request, *, result=SUCCESS, **data):
    """What every audit entry's `data` holds: the client address and the result, then the details."""
    return {"ip": client_address(request), "result": result, **data}


def audit(request, instance, action, *, result=SUCCESS, **data):
    """Logs `action` by the request's user on `instance`, with the address it came from."""
    user = request.user if request.user.is_authenticated else None
    return log(instance=instance, action=action, user=user, data=audit_data(request, result=result, **data))


class AuditedViewMixin:
    """For a detail or edit view of personal data: every opening (a GET that rendered) is logged as a
    VIEW of the view's object, with `audit_via` saying which screen showed it."""

    audit_via = "detail"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if response.status_code == 200:
            audit(request, self.object, VIEW, via=self.audit_via)
        return response


# Sign-in ---------------------------------------------------------------------------------------
# Account events live in security.models.SignInLogEntry (registered for AccountEvent in
# security/wagtail_hooks.py): a failed sign-in names a username that may have no account.

SIGN_IN = "portal.sign_in"
SIGN_IN_FAILED = "portal.sign_in_failed"
SIGN_OUT = "portal.sign_out"
LOCKED_OUT = "portal.locked_out"
LOCKOUT_LIFTED = "portal.lockout_lifted"
TWO_FACTOR_PASSED = "portal.two_factor_passed"
TWO_FACTOR_FAILED = "portal.two_factor_failed"
TWO_FACTOR_ENROLLED = "portal.two_factor_enrolled"
TWO_FACTOR_CODES_RENEWED = "portal.two_factor_codes_renewed"
TWO_FACTOR_REMOVED = "portal.two_factor_removed"
TWO_FACTOR_RESET = "portal.two_factor_reset"
SIGNED_OUT_EVERYWHERE = "portal.signed_out_everywhere"

ACCOUNT_ACTIONS = {
    SIGN_IN: ("登录", "登录成功"),
    SIGN_IN_FAILED: ("登录失败", "登录失败"),
    SIGN_OUT: ("退出登录", "退出登录"),
    LOCKED_OUT: ("登录锁定", "因登录失败次数过多被锁定"),
    LOCKOUT_LIFTED: ("解除登录锁定", "解除了登录锁定"),
    TWO_FACTOR_PASSED: ("双重验证通过", "双重验证通过"),
    TWO_FACTOR_FAILED: ("双重验证失败", "双重验证失败"),
    TWO_FACTOR_ENROLLED: ("启用双重验证", "启用了双重验证"),
    TWO_FACTOR_CODES_RENEWED: ("重新生成恢复码", "重新生成了恢复码"),
    TWO_FACTOR_REMOVED: ("停用双重验证", "停用了自己的双重验证"),
    TWO_FACTOR_RESET: ("重置双重验证", "重置了双重验证"),
    SIGNED_OUT_EVERYWHERE: ("在所有设备退出", "在所有设备上退出登录"),
}


@dataclass(frozen=True)
class AccountEvent:
    """What `log` is given for an account event: the account (None if the username has none) and the
    username as typed."""

    account: object
    username: str


def account_event(request, action, *, account=None, username="", result=SUCCESS, by=None, **data):
    """Logs `action` on `account` (or on a username without an account), from the request's address.

    `by` is who acted, the request's signed-in user unless given (None for a failed sign-in)."""
    if by is None and getattr(request, "user", None) and request.user.is_authenticated:
        by = request.user
    username = account.get_username() if account is not None else username
    return log(
        instance=AccountEvent(account, (username or "")[:150]),
        action=action,
        user=by,
        data=audit_data(request, result=result, **data) if request else {"ip": None, "result": result, **data},
    )
