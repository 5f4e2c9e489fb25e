"""Who touched whose data: one function writes every audit entry.

Entries are Wagtail log entries, in the log table registered for the touched model (an expert's in
`ExpertLogEntry`, an intake item's in `IntakeLogEntry` ...), so that site history and each record's
history show them, scoped as the record is. `data` carries the client address and the result.
"""

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
